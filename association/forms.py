"""Forms of the core: log-in with the optional second step, and two-step enrolment."""

import django_otp
from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    otp_token = forms.CharField(
        label=_("动态验证码"),
        required=False,
        max_length=8,
        help_text=_("已开启两步验证的工作人员账号，请输入身份验证器中的 6 位数字。"),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    otp_device = None

    def clean(self):
        cleaned = super().clean()
        user = self.get_user()
        if user is not None and django_otp.user_has_device(user):
            token = (cleaned.get("otp_token") or "").strip()
            device = django_otp.match_token(user, token) if token else None
            if device is None:
                self.user_cache = None
                raise ValidationError(
                    _("该账号已开启两步验证：请输入身份验证器中当前的 6 位动态验证码。"), code="otp_required"
                )
            self.otp_device = device
        return cleaned


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("动态验证码"),
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(self, *args, device=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_token(self):
        token = self.cleaned_data["token"].strip()
        if not token.isdigit() or not self.device.verify_token(token):
            raise ValidationError(_("动态验证码不正确或已过期，请输入身份验证器中当前显示的 6 位数字。"))
        return token
