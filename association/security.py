"""Defences shared by every app: log-in lockout, staff password rules, rate limits, honeypot."""

import functools
import logging

from axes.backends import AxesStandaloneBackend
from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.signals import user_login_failed
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django_ratelimit.core import is_ratelimited

log = logging.getLogger(__name__)


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


# -- log-in failures per network address --------------------------------------------------
#
# django-axes locks an account after AXES_FAILURE_LIMIT failures and forgets them when that
# account logs in. An address is counted apart, in Redis, against a higher limit: a city
# office shares one address, so one person mistyping must not lock out everyone in it, and
# logging in to one's own account must not wipe the failures against other accounts.


def _address_key(request) -> str:
    from axes.helpers import get_client_ip_address

    return f"login-failures:{get_client_ip_address(request)}"


def _cooloff_seconds() -> int:
    return int(settings.AXES_COOLOFF_TIME * 3600)


def address_locked(request) -> bool:
    """Too many failed log-ins from this address lately (any accounts). Fails open."""
    try:
        return (cache.get(_address_key(request)) or 0) >= settings.LOGIN_FAILURES_PER_ADDRESS
    except Exception:  # noqa: BLE001  (Redis down: the per-account lockout still holds)
        log.warning("login failure counter unavailable")
        return False


def _count_failure_from_address(sender, credentials=None, request=None, **kwargs):
    if request is None:
        return
    key = _address_key(request)
    try:
        cache.add(key, 0, _cooloff_seconds())  # the window starts at the first failure
        cache.incr(key)
    except ValueError:  # expired between the two calls
        cache.set(key, 1, _cooloff_seconds())
    except Exception:  # noqa: BLE001
        log.warning("login failure counter unavailable")


user_login_failed.connect(_count_failure_from_address, dispatch_uid="association-login-failures-per-address")


def locked_out_response(request):
    return render(request, settings.AXES_LOCKOUT_TEMPLATE, status=429)


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
