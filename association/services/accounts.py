"""Accounts: the password-reset e-mail, and two-step log-in: turning it on and off, backup
codes, checking a code at log-in, and a superuser resetting a staff member's devices.

The reset e-mail goes through the queue: the request only asks for it, so it neither
waits on SMTP nor fails while Redis is down (the task waits in the outbox). The task
takes the account's id and makes the link itself, so no token ever sits in the broker.

Two-step enrolment keeps the new key in the session until the person confirms a code;
only then is a (confirmed) device stored, with ten backup codes (django-otp's static
tokens), each good for one log-in instead of the authenticator's code.
"""

import time

import django_otp
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from .. import audit, queue
from ..models import AuditEntry, SiteSettings

PASSWORD_RESET_TASK = "association.send_password_reset"
DEVICE_NAME = "身份验证器"
BACKUP_DEVICE_NAME = "备用码"
BACKUP_CODE_COUNT = 10


def request_password_reset(users) -> int:
    """Queue one reset e-mail per account; returns how many were asked for."""
    count = 0
    for user in users:
        queue.enqueue(PASSWORD_RESET_TASK, user.pk)
        count += 1
    return count


def send_password_reset(user_id: int) -> str:
    """Send the reset link to an active account with a usable password (run by the task)."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email or not user.has_usable_password():
        return "skipped"
    path = reverse(
        "password_reset_confirm",
        kwargs={"uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": default_token_generator.make_token(user)},
    )
    context = {
        "user": user,
        "site": SiteSettings.load(),
        "link": settings.SITE_URL.rstrip("/") + path,
        "hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
    }
    subject = render_to_string("registration/password_reset_subject.txt", context).strip()
    send_mail(subject, render_to_string("registration/password_reset_email.txt", context), None, [user.email])
    return "sent"


# -- two-step log-in ------------------------------------------------------------------------


def new_device_key() -> str:
    return random_hex(20)


def pending_device(user, key: str) -> TOTPDevice:
    """The device being set up, not saved: it exists only once a code confirms it."""
    return TOTPDevice(user=user, key=key, name=DEVICE_NAME, confirmed=False)


def check_pending_code(device: TOTPDevice, token: str) -> bool:
    """Does ``token`` match the unsaved device? Remembers the step used, writes nothing."""
    try:
        code = int(token)
    except ValueError:
        return False
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if not totp.verify(code, device.tolerance, device.last_t + 1):
        return False
    device.last_t = totp.t()  # the code just used cannot log in again
    device.drift = totp.drift
    return True


def confirmed_device(user) -> TOTPDevice | None:
    """The account's authenticator, once enrolled."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


@transaction.atomic
def enable_two_factor(device: TOTPDevice) -> list[str]:
    """Store the confirmed device (any unconfirmed one of the same person goes) and make the
    first backup codes; returns them, to be shown once."""
    TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
    device.confirmed = True
    device.save()
    return new_backup_codes(device.user)


@transaction.atomic
def new_backup_codes(user) -> list[str]:
    """Ten fresh backup codes for ``user``; the ones given before stop working."""
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()  # one renewal at a time
    device = StaticDevice.objects.filter(user=user).order_by("pk").first()
    if device is None:
        device = StaticDevice.objects.create(user=user, name=BACKUP_DEVICE_NAME, confirmed=True)
    StaticDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.token_set.all().delete()
    codes = set()
    while len(codes) < BACKUP_CODE_COUNT:
        codes.add(StaticToken.random_token())
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return sorted(codes)


def backup_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def verify_second_step(user, token: str):
    """The device that accepts ``token`` (already normalised), or None: six digits are an
    authenticator's code, anything else a backup code, which is used up by this log-in.
    Only devices of the matching kind are tried, so a backup code does not count as a
    wrong authenticator code in the authenticator's throttling."""
    if not token:
        return None
    kind = TOTPDevice if token.isdigit() else StaticDevice
    for device in kind.objects.devices_for_user(user, confirmed=True):
        verified = django_otp.verify_token(user, device.persistent_id, token)
        if verified is not None:
            return verified
    return None


@transaction.atomic
def reset_two_factor(user, *, actor, request=None) -> int:
    """A superuser takes away a staff member's authenticator and backup codes (a lost
    phone); recorded in the audit log. Returns how many devices went."""
    if not actor.is_superuser:
        raise PermissionError("only a superuser resets two-step log-in")
    removed = 0
    for model in (TOTPDevice, StaticDevice):
        removed += model.objects.filter(user=user).delete()[1].get(model._meta.label, 0)
    audit.record(AuditEntry.Action.CHANGE, actor=actor, obj=user, detail="重置两步验证：删除身份验证器和备用码", request=request)
    return removed


@transaction.atomic
def disable_two_factor(user) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
