"""Defences shared by every app: log-in lockout, staff password rules, rate limits, honeypot."""

import functools

from axes.backends import AxesStandaloneBackend
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django_ratelimit.core import is_ratelimited


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' lockout on every log-in made through a web request.

    Code that authenticates without a request (the test client's ``login()``, management
    commands) has no address to count failures against and is let through to the next
    backend unchanged.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class StaffPasswordValidator:
    """Staff accounts guard everyone's personal data: longer passwords of several kinds."""

    min_length = 12

    def validate(self, password, user=None):
        if user is None or not (user.is_staff or user.is_superuser):
            return
        kinds = sum(
            [
                any(c.islower() for c in password),
                any(c.isupper() for c in password),
                any(c.isdigit() for c in password),
                any(not c.isalnum() for c in password),
            ]
        )
        if len(password) < self.min_length or kinds < 3:
            raise ValidationError(
                _("工作人员密码至少 %(n)d 位，并包含大写字母、小写字母、数字、符号中的至少三类。"),
                code="staff_password_weak",
                params={"n": self.min_length},
            )

    def get_help_text(self):
        return _("工作人员密码至少 %(n)d 位，并包含大写字母、小写字母、数字、符号中的至少三类。") % {"n": self.min_length}


def public_form_ratelimit(group: str, rate: str | None = None):
    """Limit POSTs to a public form per client address; GETs are never limited.

    Counters live in Redis (the cache). When Redis is down the form is not limited rather
    than broken (RATELIMIT_FAIL_OPEN).
    """

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method == "POST" and is_ratelimited(
                request, group=f"form:{group}", key="ip", rate=rate or settings.PUBLIC_FORM_RATE, method="POST", increment=True
            ):
                return render(request, "429.html", status=429)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


class HoneypotMixin(forms.Form):
    """A field people never see and bots fill in; a filled one rejects the form quietly."""

    website = forms.CharField(
        label=_("网址（请勿填写）"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1", "class": "hp-field"}),
    )

    def clean_website(self):
        if self.cleaned_data.get("website"):
            raise ValidationError(_("提交未通过校验，请刷新页面后重试。"), code="honeypot")
        return ""
