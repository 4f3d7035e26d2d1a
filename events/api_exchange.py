"""单位数据交换: a unit's events and what came of them (``/api/v1/exchange/events/``).

For a unit token (``association.api.exchange``): the events the holder may reach under the
scoping rule (their unit's and the units' below it), drafts included, each with its sign-up
counts (kept on the event by the services) and, once recorded, its outcome. Nothing
personal: the sign-ups are counted, never listed.
"""

from datetime import datetime

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from association import scoping
from association.api.auth import unit_auth
from association.api.core import site_url
from association.api.exchange import ExchangeQuery, aware, require, year_bounds
from association.api.pagination import PagePagination
from association.api.resolvers import display, name_of

from .api import Outcome
from .models import Event, Registration

router = Router(tags=["单位数据交换"], auth=unit_auth)


class ExchangeOutcome(Outcome):
    """The public outcome with what the exchange adds: the organiser's notes and when it was last changed."""

    notes: str = Field(description="成效说明")
    updated: datetime


class ExchangeEvent(Schema):
    id: int
    title: str
    kind: str = Field(description="类别代码：" + "、".join(f"{v}={label}" for v, label in Event.Kind.choices))
    kind_label: str
    status: str = Field(description="状态代码：" + "、".join(f"{v}={label}" for v, label in Event.Status.choices))
    status_label: str
    organiser_id: int
    organiser_name: str
    start: datetime
    end: datetime
    venue: str = Field(description="地点")
    county: str | None = Field(description="所在县（区）")
    capacity: int | None = Field(description="名额（null 为不限）")
    signed_up: int = Field(description="报名人数（报名成功、已签到、待审核、候补，不含取消和未通过）")
    confirmed: int = Field(description="占用名额的人数（报名成功和已签到）")
    waitlisted: int = Field(description="候补人数")
    attended: int = Field(description="签到人数")
    cancelled: int = Field(description="取消报名的人数")
    outcome: ExchangeOutcome | None = Field(description="活动成效（尚未填写时为 null）")
    updated: datetime = Field(description="活动最后修改时间")
    url: str | None = Field(description="公开网页地址（草稿为 null）")

    resolve_kind_label = display("kind")
    resolve_status_label = display("status")

    @staticmethod
    def resolve_organiser_name(obj):
        return obj.organiser.name

    resolve_county = name_of("county")

    @staticmethod
    def resolve_signed_up(obj):
        return obj.seats_taken + obj.pending_count + obj.waitlisted_count

    @staticmethod
    def resolve_confirmed(obj):
        return obj.seats_taken

    @staticmethod
    def resolve_waitlisted(obj):
        return obj.waitlisted_count

    @staticmethod
    def resolve_attended(obj):
        return obj.checked_in_count

    @staticmethod
    def resolve_cancelled(obj):
        return obj.cancelled_count

    @staticmethod
    def resolve_outcome(obj):
        try:
            return obj.outcome
        except Event.outcome.RelatedObjectDoesNotExist:
            return None

    @staticmethod
    def resolve_url(obj):
        return site_url(obj.get_absolute_url()) if obj.status != Event.Status.DRAFT else None


class EventExchangeQuery(ExchangeQuery):
    status: str = Field("", description="状态代码，留空为全部（含草稿）")


def cancelled_counts():
    """Each event's cancelled sign-ups, counted beside the page's rows (the index on
    (event, status) serves it): the services keep the other counts on the event itself."""
    counted = (
        Registration.objects.filter(event=OuterRef("pk"), status=Registration.Status.CANCELLED)
        .order_by().values("event").annotate(n=Count("id")).values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def exchange_events(user, filters: EventExchangeQuery):
    require_status = filters.status.strip()
    qs = scoping.scope(Event.objects.all(), user)
    if filters.year:
        start, end = year_bounds(filters.year)
        qs = qs.filter(start__gte=start, start__lt=end)
    if filters.updated_since:
        since = aware(filters.updated_since)
        # The sign-up counts are kept on the event by the services without touching its
        # ``updated`` stamp: an event whose sign-ups moved since comes too.
        moved = Registration.objects.filter(event=OuterRef("pk")).filter(
            Q(created__gte=since) | Q(confirmed_at__gte=since) | Q(checked_in_at__gte=since)
            | Q(cancelled_at__gte=since))
        qs = qs.filter(Q(updated__gte=since) | Q(outcome__updated__gte=since) | Exists(moved))
    if require_status:
        qs = qs.filter(status=require_status)
    return (
        qs.select_related("organiser", "county", "outcome")
        .annotate(cancelled_count=cancelled_counts())
        .order_by("updated", "id")
    )


@router.get("/", response=list[ExchangeEvent], summary="本单位及下级单位的活动与成效")
@paginate(PagePagination)
def events(request, filters: Query[EventExchangeQuery]):
    require(request, "events.view_event")
    return exchange_events(request.user, filters)
