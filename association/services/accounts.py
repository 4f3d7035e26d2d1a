"""Accounts: the password-reset e-mail and turning two-step log-in (TOTP) on and off.

The reset e-mail goes through the queue: the request only asks for it, so it neither
waits on SMTP nor fails while Redis is down (the task waits in the outbox). The task
takes the account's id and makes the link itself, so no token ever sits in the broker.

Two-step enrolment keeps the new key in the session until the person confirms a code;
only then is a (confirmed) device stored.
"""

import time

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
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from .. import queue
from ..models import SiteSettings

PASSWORD_RESET_TASK = "association.send_password_reset"
DEVICE_NAME = "身份验证器"


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


@transaction.atomic
def enable_two_factor(device: TOTPDevice) -> TOTPDevice:
    """Store the confirmed device; any unconfirmed one of the same person goes."""
    TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
    device.confirmed = True
    device.save()
    return device


def disable_two_factor(user) -> None:
    TOTPDevice.objects.filter(user=user).delete()
