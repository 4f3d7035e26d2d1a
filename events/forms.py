"""What people type: the sign-up form, the check-in code, the staff's cancellation reason."""

from django import forms
from django.utils.translation import gettext_lazy as _

from association.throttle import PublicFormMixin

from .models import Registration, mobile_validator
from .services.registrations import normalise_mobile


class RegistrationForm(PublicFormMixin, forms.ModelForm):
    throttle_group = "event-signup"
    person_fields = ("mobile",)

    mobile = forms.CharField(
        label=_("手机号码"), max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "tel", "placeholder": _("11 位手机号码")}),
        help_text=_("用于核对身份，只向活动工作人员显示部分号码。"),
    )
    consent = forms.BooleanField(
        label=_("我同意主办方为组织本次活动使用上述信息（活动结束一年后删除）"),
        error_messages={"required": _("请阅读并勾选同意后再提交。")},
    )

    class Meta:
        model = Registration
        fields = ["name", "mobile", "email", "organization"]
        labels = {"email": _("电子邮箱（选填）"), "organization": _("工作单位或学校（选填）")}
        help_texts = {"email": _("填写后，报名结果、候补转正和活动变动会发到这个邮箱。")}
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "name", "placeholder": _("真实姓名")}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }
        error_messages = {
            "name": {"required": _("请填写姓名。")},
            "email": {"invalid": _("请输入有效的电子邮箱地址，例如 name@example.com。")},
        }

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if len(name) < 2:
            raise forms.ValidationError(_("请填写真实姓名（至少 2 个字）。"))
        return name

    def clean_mobile(self):
        raw = self.cleaned_data.get("mobile", "")
        if not raw.strip():
            raise forms.ValidationError(_("请填写手机号码。"))
        mobile = normalise_mobile(raw)
        if mobile.startswith("86") and len(mobile) == 13:
            mobile = mobile[2:]
        mobile_validator(mobile)
        return mobile

    def cleaned_data_for_service(self) -> dict:
        return {key: self.cleaned_data.get(key, "") for key in ("name", "mobile", "email", "organization")}

    def _post_clean(self):
        # The services create the row; the model's own validation (which would encrypt
        # and compare) is not wanted here.
        pass


class CheckInForm(forms.Form):
    code = forms.CharField(
        label=_("签到码"), max_length=200,
        widget=forms.TextInput(attrs={
            "autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false",
            "placeholder": _("扫码或输入 8 位签到码"), "class": "form-control form-control-lg text-center",
        }),
        error_messages={"required": _("请扫码或输入签到码。")},
    )

    def clean_code(self):
        """Accept the bare code or the address in the QR code (…/check-in/?code=XXXX)."""
        from urllib.parse import parse_qs, urlparse

        text = self.cleaned_data["code"].strip()
        if "code=" in text:
            text = (parse_qs(urlparse(text).query).get("code") or [""])[0]
        return text


class ActivityCodeForm(CheckInForm):
    """A volunteer's check-in at a service activity: the activity's code, typed or scanned."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].label = _("活动签到码")
        self.fields["code"].widget.attrs["placeholder"] = _("扫码或输入活动现场的 8 位签到码")
        self.fields["code"].error_messages["required"] = _("请扫码或输入活动签到码。")

    def clean_code(self):
        from .services.registrations import normalise_code

        return normalise_code(super().clean_code())


class CancelEventForm(forms.Form):
    reason = forms.CharField(
        label=_("取消原因"), max_length=200, required=True,
        help_text=_("会写进发给报名者的通知邮件。"),
        error_messages={"required": _("请填写取消原因。")},
        widget=forms.TextInput(attrs={"size": 60}),
    )
