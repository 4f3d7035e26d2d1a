"""接口令牌: how a program (the WeChat mini-program, a partner's system) acts for a person.

Only a keyed hash of the token is kept; the token itself is shown once, when it is made.
A token expires (``API_TOKEN_DAYS`` for a volunteer's, ``API_STAFF_TOKEN_DAYS`` for a
unit's), and its holder or staff revoke it at any time.

- ``volunteer``: made by logging in through ``POST /api/v1/auth/token``; acts as that
  volunteer on their own records, under the same services and rules as the web pages.
- ``unit``: made by staff in the admin (接口令牌) for a unit's data exchange; reads what
  its holder may reach under the unit-scoping rules, never more.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..crypto import lookup_hash

TOKEN_PREFIX = "kx_"


def token_digest(key: str) -> str:
    return lookup_hash(key, purpose="api-token")


class ApiTokenQuerySet(models.QuerySet):
    def usable(self, now=None):
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=now, user__is_active=True)


class ApiToken(models.Model):
    class Kind(models.TextChoices):
        VOLUNTEER = "volunteer", _("志愿者（小程序）")
        UNIT = "unit", _("单位数据交换")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("账号"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    kind = models.CharField(_("类别"), max_length=12, choices=Kind.choices, default=Kind.VOLUNTEER)
    name = models.CharField(_("用途"), max_length=60, help_text=_("例如：微信小程序、省科协数据交换。"))
    digest = models.CharField(max_length=64, unique=True, editable=False)
    hint = models.CharField(_("令牌尾号"), max_length=8, editable=False, help_text=_("令牌的最后 4 位，便于辨认。"))
    created = models.DateTimeField(_("创建时间"), auto_now_add=True)
    expires_at = models.DateTimeField(_("到期时间"))
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True, editable=False)

    # A unit's staff see the tokens of their unit's accounts (and the units below); the
    # volunteers' tokens only the city office.
    unit_owner = "user__unit_membership__organization"

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")

    def __str__(self):
        return f"{self.name} · …{self.hint}"

    @staticmethod
    def new_key() -> str:
        return TOKEN_PREFIX + secrets.token_urlsafe(32)

    @property
    def state(self) -> str:
        if self.revoked_at:
            return "已撤销"
        if self.expires_at <= timezone.now():
            return "已过期"
        return "有效"
