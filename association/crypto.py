"""Personal data at rest: encryption, look-up hashes and masks.

ID numbers and mobiles are stored encrypted (Fernet, keys from ``FIELD_ENCRYPTION_KEYS``;
the first key encrypts, every key decrypts, so keys rotate without downtime). Beside each
encrypted value sits a keyed hash (HMAC-SHA256) of its normalised form, which is what
uniqueness constraints and look-ups use. Screens show masks unless a staff member holds
the permission for the full value, and each such view is recorded (``association.audit``).
"""

import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS is not set")
    return MultiFernet([Fernet(k.encode()) for k in keys])


def encrypt(value: str) -> str:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS)).encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS)).decrypt(token.encode()).decode()
    except InvalidToken as exc:
        # Usually a .env made anew (fresh key) against a database filled under the old one.
        raise ValueError(
            "个人信息无法解密：FIELD_ENCRYPTION_KEYS 与数据库中的数据不匹配（请恢复原来的密钥，或换用新数据库）。"
            " / cannot decrypt: FIELD_ENCRYPTION_KEYS does not match the data in DATABASE_URL"
            " (restore the old key, or use a fresh database)"
        ) from exc


def lookup_hash(value: str, *, purpose: str) -> str:
    """Keyed hash for uniqueness and look-up; ``purpose`` keeps hashes of different kinds apart."""
    key = getattr(settings, "LOOKUP_HASH_KEY", "") or settings.SECRET_KEY
    normalised = value.strip().upper()
    return hmac.new(key.encode(), f"{purpose}:{normalised}".encode(), hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):
    """A text column holding ciphertext; Python sees the plain value. Not searchable."""

    def from_db_value(self, value, expression, connection):
        if value in (None, ""):
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return encrypt(value)


def mask_id_number(value: str) -> str:
    """4109**********4519"""
    if not value:
        return ""
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_mobile(value: str) -> str:
    """138****1234"""
    if not value:
        return ""
    if len(value) < 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_name(value: str) -> str:
    """张** (for lists the public may see)"""
    if not value:
        return ""
    return value[0] + "*" * (len(value) - 1)
