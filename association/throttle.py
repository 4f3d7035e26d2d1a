"""Limits on the public forms that stop abuse, not crowds.

A teacher signs up a class of 40 from the school's one address; a county office registers
30 volunteers in an afternoon; a carrier puts thousands of phones behind one address. So a
public form is limited on two keys, each counted per hour in Redis (django-ratelimit):

- **the person** (the mobile, ID number or e-mail the form carries, as a keyed hash):
  ``PUBLIC_FORM_PERSON_RATE`` submissions; beyond it the form says so at that field;
- **the address** (``association.clientip``): ``PUBLIC_FORM_ADDRESS_RATE`` submissions, or
  ``PUBLIC_FORM_SHARED_ADDRESS_RATE`` for the addresses of ``SHARED_NETWORKS`` (schools,
  offices, carriers' shared addresses). Beyond the ceiling nobody is refused: the form
  asks for a picture code (django-simple-captcha) that a person can read and a script
  cannot, and keeps everything typed.

When Redis is down the limits are not applied rather than breaking the forms.
"""

import ipaddress
import logging
import secrets
from functools import lru_cache

from captcha.fields import CaptchaField, CaptchaTextInput
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django_ratelimit.core import get_usage

from .clientip import client_ip
from .crypto import lookup_hash
from .formkit import AccessibleFormMixin
from .security import HoneypotMixin

log = logging.getLogger(__name__)

CAPTCHA_FIELD = "captcha"


@lru_cache(maxsize=4)
def _networks(spec: tuple[str, ...]):
    return tuple(ipaddress.ip_network(item.strip(), strict=False) for item in spec if item.strip())


def is_shared_address(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in _networks(tuple(settings.SHARED_NETWORKS)))


def address_rate(group, request) -> str:
    if is_shared_address(client_ip(request)):
        return settings.PUBLIC_FORM_SHARED_ADDRESS_RATE
    return settings.PUBLIC_FORM_ADDRESS_RATE


def _usage(request, group: str, key, rate, *, increment: bool):
    try:
        return get_usage(request, group=group, key=key, rate=rate, increment=increment)
    except Exception:  # noqa: BLE001 - Redis down: the form works unlimited rather than not at all
        log.warning("public form limits unavailable")
        return None


def address_over_ceiling(request, group: str) -> bool:
    """This address has used its submissions for the hour (without counting one more)."""
    usage = _usage(request, f"form:{group}:address", lambda g, r: client_ip(r), address_rate, increment=False)
    return bool(usage and usage["count"] >= usage["limit"])


def count_submission(request, group: str, person: str = "") -> bool:
    """Count one submission from this address and, when known, this person; True when the
    person has gone over their limit."""
    _usage(request, f"form:{group}:address", lambda g, r: client_ip(r), address_rate, increment=True)
    if not person:
        return False
    digest = lookup_hash(person, purpose="public-form-person")
    usage = _usage(request, f"form:{group}:person", lambda g, r: digest, settings.PUBLIC_FORM_PERSON_RATE, increment=True)
    return bool(usage and usage["should_limit"])


def person_key(value) -> str:
    """A person's mobile, ID number or e-mail in one spelling, whatever way it was typed."""
    text = str(value or "").strip().lower()
    digits = "".join(ch for ch in text if ch.isdigit())
    if "@" in text:
        return text
    if len(digits) >= 7:
        return digits + ("x" if text.endswith("x") else "")
    return text


CHALLENGE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"


def challenge_text():
    """The picture code's text and answer (``CAPTCHA_CHALLENGE_FUNCT``)."""
    text = "".join(secrets.choice(CHALLENGE_ALPHABET) for _ in range(settings.CAPTCHA_LENGTH))
    return text, text


class ChallengeInput(CaptchaTextInput):
    """The picture, the answer box and a "new picture" button (static/association/js/captcha-refresh.js)."""

    template_name = "association/widgets/captcha.html"


def challenge_field(help_text=None) -> CaptchaField:
    return CaptchaField(
        label=_("验证码"),
        widget=ChallengeInput(attrs={"class": "form-control captcha-answer", "inputmode": "latin"}),
        help_text=help_text or _("本网络地址近一小时提交较多，请输入图中的字符，以确认是您本人在填写。"),
        error_messages={
            "required": _("请输入图中的字符。"),
            "invalid": _("验证码不正确，请看清新图片中的字符后重新输入。"),
        },
    )


class GuardedFormMixin(forms.Form):
    """A form open to anyone: the per-person and per-address limits and the picture code.

    The view passes ``request``; ``throttle_group`` names the form's counters and
    ``person_fields`` the fields that identify the person (their values, joined).
    """

    throttle_group = ""
    person_fields: tuple[str, ...] = ()
    person_error = _("这个号码在一小时内提交的次数过多，请稍后再试。")

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        if request is not None and address_over_ceiling(request, self.throttle_group):
            self.fields[CAPTCHA_FIELD] = challenge_field()

    def challenge_fields(self) -> list[str]:
        """For crispy layouts: the picture code's field when this form asks for it."""
        return [CAPTCHA_FIELD] if CAPTCHA_FIELD in self.fields else []

    def clean(self):
        cleaned = super().clean()
        if self.request is not None and self.is_bound:
            person = "|".join(person_key(self.data.get(name)) for name in self.person_fields)
            if count_submission(self.request, self.throttle_group, person.strip("|")):
                target = self.person_fields[0] if self.person_fields and self.person_fields[0] in self.fields else None
                self.add_error(target, self.person_error)
        return cleaned


class PublicFormMixin(AccessibleFormMixin, GuardedFormMixin, HoneypotMixin):
    """The public forms' base: field-specific messages and phone keyboard hints
    (``association.formkit``), the limits above and the honeypot field."""
