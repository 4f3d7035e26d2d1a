"""What the units' data exchange endpoints (``/api/v1/exchange/…``) share.

A unit token (``ApiToken.Kind.UNIT``, made in the admin by its holder) acts as that staff
member: every list goes through ``association.scoping.scope(queryset, request.user)``, so a
county's token reads its county's and its townships' records and never a neighbour's, and
the holder's own rights decide what is read at all (the right to view events, volunteers,
returns) and whether personal data comes in full. A token whose account is no longer an
active staff account reads nothing.

Filters every exchange list takes: ``year``, ``updated_since`` (for an incremental sync: ask
again with the moment of the last sync) and the pages of ``association.api.pagination``.
Lists are ordered by their ``updated`` stamp, then id, so that a sync walking the pages
meets each row once.
"""

from datetime import date, datetime

from django.utils import timezone
from ninja import Field, Schema

from .errors import ApiError


class ExchangeQuery(Schema):
    year: int | None = Field(None, ge=2000, le=2100, description="年度，例如 2026")
    updated_since: datetime | None = Field(
        None, description="只要这个时刻以后新增或修改的记录（增量同步：填上次同步的时间），例如 2026-09-18T09:00:00+08:00"
    )


def require(request, *permissions: str) -> None:
    """Refuse (403, in Chinese) unless the token's holder is an active staff member with
    every one of ``permissions``."""
    user = request.user
    if not (user.is_active and user.is_staff):
        raise ApiError("not_staff", "这个令牌的持有人已不是工作人员，不能读取单位数据。", status=403)
    if not all(user.has_perm(p) for p in permissions):
        raise ApiError("forbidden", "令牌持有人没有查看这类数据的权限。", status=403)


def year_bounds(year: int) -> tuple[datetime, datetime]:
    """The first moment of ``year`` and of the next, in the portal's time zone (a range an
    index serves, unlike ``__year``)."""
    tz = timezone.get_current_timezone()
    return datetime(year, 1, 1, tzinfo=tz), datetime(year + 1, 1, 1, tzinfo=tz)


def aware(moment: datetime) -> datetime:
    """``updated_since`` without a zone is read in the portal's (Beijing time)."""
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def date_or_none(value) -> date | None:
    return value if value else None
