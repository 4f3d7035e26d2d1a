"""Bearer tokens for programs acting for a person (``association.ApiToken``).

``Authorization: Bearer kx_…`` on every request; the token is looked up by its keyed hash.
Reading with a token writes nothing (no "last used" stamp): a page that is only read stays
a read. ``volunteer_auth`` accepts a volunteer's token, ``unit_auth`` a unit's.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from ninja.security import HttpBearer

from .. import audit
from ..models import ApiToken
from ..models.api import TOKEN_PREFIX, token_digest


class TokenAuth(HttpBearer):
    openapi_description = "登录后取得的令牌：请求头 Authorization: Bearer kx_…"

    def __init__(self, kind: str | None = None):
        super().__init__()
        self.kind = kind

    def authenticate(self, request, token):
        if not token or not token.startswith(TOKEN_PREFIX) or len(token) > 100:
            return None
        found = ApiToken.objects.usable().select_related("user").filter(digest=token_digest(token)).first()
        if found is None or (self.kind and found.kind != self.kind):
            return None
        request.user = found.user
        request.api_token = found
        return found


volunteer_auth = TokenAuth(ApiToken.Kind.VOLUNTEER)
unit_auth = TokenAuth(ApiToken.Kind.UNIT)


def lifetime(kind: str) -> timedelta:
    days = settings.API_STAFF_TOKEN_DAYS if kind == ApiToken.Kind.UNIT else settings.API_TOKEN_DAYS
    return timedelta(days=days)


@transaction.atomic
def issue(*, user, kind: str, name: str, actor=None, request=None) -> tuple[ApiToken, str]:
    """A new token for ``user``; returns the row and the token, which is never shown again."""
    key = ApiToken.new_key()
    token = ApiToken.objects.create(
        user=user, kind=kind, name=(name or "")[:60] or "接口令牌", digest=token_digest(key), hint=key[-4:],
        expires_at=timezone.now() + lifetime(kind),
    )
    audit.record("接口令牌签发", actor=actor or user, obj=token, to_state=token.get_kind_display(), request=request)
    return token, key


@transaction.atomic
def revoke(*, token_id: int, actor=None, request=None) -> ApiToken:
    token = ApiToken.objects.select_for_update().get(pk=token_id)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record("接口令牌撤销", actor=actor, obj=token, from_state="有效", to_state="已撤销", request=request)
    return token
