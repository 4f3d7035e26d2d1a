"""Defences shared by every app: django-axes on every log-in, staff password rules, the NUL
character guard, the honeypot field. (The log-in limits are in ``loginguard``, the public
forms' in ``throttle``.)"""

from axes.backends import AxesStandaloneBackend
from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _


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


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's length rule with its message in Chinese (Django 5.2's new wording has no
    Chinese translation yet, so people registering saw it in English)."""

    def get_error_message(self):
        return _("密码太短，至少需要 %(min_length)d 个字符。") % {"min_length": self.min_length}

    def get_help_text(self):
        return _("密码至少需要 %(min_length)d 个字符。") % {"min_length": self.min_length}


class RejectNullCharactersMiddleware:
    """A query string or form field holding a NUL character is answered 400 at once.

    PostgreSQL cannot store or compare text with NUL, so such a value reaching a search
    filter would otherwise break the page (500). Forms refuse it with a message already;
    this covers the lists and filters that read ``request.GET`` directly.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", "") or any(
            "\x00" in value for values in request.GET.lists() for value in [values[0], *values[1]]
        ):
            return render(request, "400.html", status=400)
        return self.get_response(request)


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
