"""Events in the open API: the public list and pages (``/api/v1/events/``), and a
volunteer's own sign-ups and check-ins (``/api/v1/me/events/``).

The public part reads what ``/events/`` shows, through the same filters
(``events.filters.EventFilterSet``) and the same words for the sign-up's state
(``Event.signup_state``: the list's badge). A volunteer's part writes only through the
services the web pages use (``services.registrations`` and ``services.attendance``): the
event row is taken before its seats are counted, whoever asks (the page, the API, staff),
so the last seat goes to exactly one of them. A sign-up through the API counts on the
same per-person and per-address counters as the web form (``association.throttle``).
"""

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Literal

from django.db.models import F, Max
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from association import audit, throttle
from association.api.auth import volunteer_auth
from association.api.conditional import last_modified
from association.api.core import site_url
from association.api.errors import ApiError
from association.api.pagination import PagePagination
from association.api.resolvers import display, name_of, page_url
from association.models import AuditEntry
from volunteers.api import Input, own_volunteer

from . import selectors
from .filters import EventFilterSet
from .forms import AGE_14_OR_OVER, AGE_UNDER_14, RegistrationForm
from .models import Event, Registration, ServiceAttendance
from .services import attendance, registrations
from .services.registrations import mobile_hash

router = Router(tags=["活动"])
me_router = Router(tags=["我的活动"], auth=volunteer_auth)


# -- public ---------------------------------------------------------------------------------
class Outcome(Schema):
    activities_held: int = Field(description="开展活动场次")
    participants: int = Field(description="参与人数")
    beneficiaries: int = Field(description="受益人次")
    materials_distributed: int = Field(description="发放资料（份）")
    projects_signed: int = Field(description="签约项目（个）")
    contract_value: Decimal = Field(description="协议资金（万元）")
    technologies_promoted: int = Field(description="推广新技术新品种（项）")


class EventItem(Schema):
    id: int
    title: str
    kind: str = Field(description="类别代码：" + "、".join(f"{v}={label}" for v, label in Event.Kind.choices))
    kind_label: str
    status: str = Field(description="published=已发布、cancelled=已取消、finished=已结束")
    status_label: str
    summary: str
    start: datetime
    end: datetime
    venue: str
    county: str | None = Field(description="所在县（区）")
    organiser: str = Field(description="主办单位")
    for_youth: bool = Field(description="面向青少年：报名时须回答是否未满14周岁，未满的须有监护人同意")
    needs_approval: bool = Field(description="报名需主办方审核")
    waiting_list: bool = Field(description="满员后接受候补")
    registration_deadline: datetime | None
    capacity: int | None = Field(description="名额（null 表示不限）")
    seats_taken: int = Field(description="已报名（占名额）人数")
    places_left: int | None = Field(description="剩余名额（不限名额时为 null）")
    waitlisted_count: int = Field(description="候补人数")
    signup_state: str = Field(
        description="报名状态代码：" + "、".join(f"{code}={label}" for code, label in Event.SIGNUP_STATES.items())
    )
    signup_state_label: str = Field(description="网页上显示的报名状态，如“报名中 · 剩余 3 个名额”")
    closed_reason: str = Field(description="不能报名的原因（能报名时为空）")
    outcome: Outcome | None = Field(description="活动成效（已登记时）")
    url: str = Field(description="网页地址")
    cover: str | None = Field(description="封面图地址（没有时为 null）")

    resolve_kind_label = display("kind")
    resolve_status_label = display("status")
    resolve_county = name_of("county")

    @staticmethod
    def resolve_organiser(obj):
        return obj.organiser.name

    @staticmethod
    def resolve_places_left(obj):
        return obj.seats_left

    @staticmethod
    def resolve_signup_state(obj):
        return obj.signup_state()[0]

    @staticmethod
    def resolve_signup_state_label(obj):
        return obj.signup_state()[1]

    @staticmethod
    def resolve_closed_reason(obj):
        return str(obj.signup_closed_reason())

    @staticmethod
    def resolve_outcome(obj):
        return getattr(obj, "outcome", None)

    resolve_url = page_url

    @staticmethod
    def resolve_cover(obj):
        return site_url(obj.cover.url) if obj.cover else None


class Named(Schema):
    id: int
    name: str


class Photo(Schema):
    url: str
    caption: str

    @staticmethod
    def resolve_url(obj):
        return site_url(obj.image.url)


class EventDetail(EventItem):
    description: str = Field(description="活动介绍（纯文本，换行分段）")
    series: str = Field(description="系列名称（没有时为空）")
    checked_in_count: int = Field(description="已签到人数")
    cancellation_reason: str
    partners: list[Named] = Field(description="协办/承办单位")
    teams: list[Named] = Field(description="参与的志愿服务队")
    photos: list[Photo]
    updated: datetime

    @staticmethod
    def resolve_partners(obj):
        return list(obj.partners.all())

    @staticmethod
    def resolve_teams(obj):
        return list(obj.teams.all())

    @staticmethod
    def resolve_photos(obj):
        return list(obj.photos.all())


class EventQuery(Schema):
    kind: str = Field("", description="类别代码（同网页 /events/?kind=）；无法识别的值不作筛选")
    county: int | None = Field(None, ge=1, le=999_999_999, description="县（区）编号")
    month: str = Field("", max_length=7, description="月份，如 2026-09：这个月里举办的活动")
    when: Literal["all", "upcoming", "past"] = Field(
        "all", description="all=全部（开始时间由近及远）、upcoming=近期（尚未结束，最早开始的在前）、past=往期（最近的在前）"
    )


def _filtered(filters: EventQuery):
    data = {k: v for k, v in filters.dict().items() if k != "when" and v not in (None, "")}
    qs = EventFilterSet(data).apply(
        Event.objects.public().select_related("county", "organiser", "outcome").defer("description")
    )
    now = timezone.now()
    if filters.when == "upcoming":
        # As the web list (selectors.event_list_page): upcoming events sit at the far end of
        # the start index, so the order is an expression that index cannot serve and the
        # planner takes the upcoming rows from the (end, status) index instead.
        return qs.upcoming(now).order_by((F("start") + timedelta(0)).asc(), "id")
    if filters.when == "past":
        # (ended implies started: the redundant bound lets the start index begin at now)
        return qs.past(now).filter(start__lt=now).order_by("-start", "-id")
    return qs.order_by("-start", "-id")


@router.get("/", response=list[EventItem], summary="活动列表", auth=None)
@paginate(PagePagination)
def event_list(request, filters: Query[EventQuery]):
    return _filtered(filters)


def _public_event(event_id: int) -> Event:
    try:
        return selectors.event_for_page(event_id)
    except Event.DoesNotExist as exc:
        raise Http404 from exc


def changed_at(event: Event):
    """The last change of what the event's page shows: the event, its outcome, or a sign-up
    (its counts are on the page, and a sign-up does not touch the event's own stamp)."""
    moments = event.registrations.aggregate(
        a=Max("created"), b=Max("confirmed_at"), c=Max("cancelled_at"), d=Max("checked_in_at"),
    )
    outcome = getattr(event, "outcome", None)
    return max(m for m in (event.updated, outcome.updated if outcome else None, *moments.values()) if m is not None)


@router.get("/{int:event_id}/", response=EventDetail, summary="活动详情", auth=None)
def event_detail(request, event_id: int, response: HttpResponse):
    event = _public_event(event_id)
    last_modified(response, changed_at(event))
    return event


# -- a volunteer's own ----------------------------------------------------------------------
class MyEvent(Schema):
    id: int
    title: str
    start: datetime
    end: datetime
    venue: str
    status: str
    cancelled: bool = Field(description="活动已取消")
    url: str

    @staticmethod
    def resolve_cancelled(obj):
        return obj.is_cancelled

    resolve_url = page_url


class MyRegistration(Schema):
    id: int = Field(description="报名编号（取消报名时用）")
    status: str = Field(description="报名状态：" + "、".join(f"{v}={label}" for v, label in Registration.Status.choices))
    status_label: str
    check_in_code: str | None = Field(description="现场签到码（报名成功时才有）")
    can_cancel: bool
    recorded_hours: Decimal | None = Field(None, description="本活动登记的服务时长（已结束的活动）")
    url: str = Field(description="报名凭证页（含签到二维码），请勿转发")
    event: MyEvent

    resolve_status_label = display("status")

    @staticmethod
    def resolve_check_in_code(obj):
        return obj.check_in_code if obj.status == Registration.Status.CONFIRMED else None

    @staticmethod
    def resolve_recorded_hours(obj):
        return getattr(obj, "recorded_hours", None)

    resolve_url = page_url


class MyEvents(Schema):
    upcoming: list[MyRegistration] = Field(description="即将参加")
    past: list[MyRegistration] = Field(description="已结束")


@me_router.get("/", response=MyEvents, summary="我的活动（与“我的”页面相同：登录后报名的，和用登记手机号报名的）")
def my_events(request):
    return selectors.registrations_of_volunteer(own_volunteer(request))


class SignupIn(Input):
    name: str = Field("", max_length=50, description="参加者姓名；不填为本人姓名")
    mobile: str = Field("", max_length=20, description="手机号码；不填为本人登记的手机号码")
    email: str = Field("", max_length=254, description="电子邮箱（选填）；不填为本人登记的邮箱")
    organization: str = Field("", max_length=120, description="工作单位或学校（选填）")
    consent: bool = Field(description="同意主办方为组织本次活动使用上述信息（活动结束一年后删除）：须为 true")
    under_14: bool | None = Field(
        None, description="面向青少年的活动必答：参加者是否未满14周岁；未满的须填写监护人信息并同意声明"
    )
    guardian_name: str = Field("", max_length=50, description="监护人姓名（未满14周岁时必填）")
    guardian_mobile: str = Field("", max_length=20, description="监护人手机号码（未满14周岁时必填）")
    guardian_statement: bool = Field(False, description="监护人已阅读并同意《监护人同意声明》（未满14周岁时须为 true）")


# A refused field of the web form → the API's stable code for it.
FIELD_CODES = {
    "consent": "consent_required", "name": "invalid_name", "mobile": "invalid_mobile", "email": "invalid_email",
    "organization": "invalid_organization", "age_group": "guardian_required", "guardian_name": "guardian_required",
    "guardian_mobile": "guardian_required", "guardian_statement": "guardian_required",
}


def _signup_data(payload: SignupIn, volunteer) -> dict:
    """The web page's own form checks what the API was sent (the same rules and messages,
    one place for them); what is left empty is the volunteer's own name, mobile and e-mail."""
    form = RegistrationForm({
        "name": payload.name or volunteer.name,
        "mobile": payload.mobile or volunteer.mobile,
        "email": payload.email or volunteer.email,
        "organization": payload.organization,
        "consent": "on" if payload.consent else "",
        "age_group": "" if payload.under_14 is None else (AGE_UNDER_14 if payload.under_14 else AGE_14_OR_OVER),
        "guardian_name": payload.guardian_name,
        "guardian_mobile": payload.guardian_mobile,
        "guardian_statement": "on" if payload.guardian_statement else "",
    })
    if not form.is_valid():
        field, messages = next(iter(form.errors.items()))
        raise ApiError(FIELD_CODES.get(field, "invalid"), str(messages[0]), 422)
    return form.cleaned_data_for_service()


class SignupOut(Schema):
    registration: MyRegistration
    message: str = Field(description="给报名者看的结果")


SIGNUP_MESSAGES = {
    Registration.Status.CONFIRMED: "报名成功。请在活动现场出示签到码。",
    Registration.Status.WAITLISTED: "名额已满，您已进入候补名单；有人取消时按报名先后自动递补。",
    Registration.Status.PENDING: "报名已提交，待主办方审核，审核结果将通知您。",
}


@me_router.post("/{int:event_id}/registration", response={201: SignupOut},
                summary="报名活动（名额已满且接受候补时进入候补名单）")
def sign_up(request, event_id: int, payload: SignupIn):
    volunteer = own_volunteer(request)
    # The web form's limits, on the same counters and counted as it counts (every
    # submission, refused or not): per person (the mobile) and per address. A token is a
    # logged-in account, so past the address's ceiling it is not asked for the picture code
    # the page would show; the API's own per-token limit applies instead.
    person = throttle.person_key(payload.mobile or volunteer.mobile)
    if throttle.count_submission(request, RegistrationForm.throttle_group, person):
        raise ApiError("too_many_submissions", str(RegistrationForm.person_error), 429)
    data = _signup_data(payload, volunteer)
    try:
        registration = registrations.register(event_id=event_id, user=request.user, **data)
    except Event.DoesNotExist as exc:
        raise Http404 from exc
    audit.record(AuditEntry.Action.CREATE, actor=request.user, obj=registration, to_state=registration.status,
                 detail="通过开放接口报名", request=request)
    registration.event = Event.objects.only("id", "title", "start", "end", "venue", "status").get(pk=event_id)
    return 201, {"registration": registration, "message": SIGNUP_MESSAGES.get(registration.status, "")}


def _own_registration(request, registration_id: int) -> Registration:
    """One of the volunteer's own sign-ups (as "my activities" finds them), or 404."""
    volunteer = own_volunteer(request)
    mine = Registration.objects.filter(pk=registration_id)
    registration = mine.filter(user_id=request.user.pk).first()
    if registration is None and volunteer.mobile:
        registration = mine.filter(mobile_hash=mobile_hash(volunteer.mobile)).first()
    if registration is None:
        raise Http404
    return registration


@me_router.post("/registrations/{int:registration_id}/cancel", response=MyRegistration,
                summary="取消报名或退出候补（名额自动让给候补第一位）")
def cancel(request, registration_id: int):
    registration = _own_registration(request, registration_id)
    registrations.cancel(registration_id=registration.pk, actor=request.user, request=request,
                         reason=_("报名者本人取消（开放接口）"))
    return Registration.objects.select_related("event").get(pk=registration.pk)


class CheckInIn(Input):
    code: str = Field(min_length=1, max_length=200, description="活动现场二维码中的 8 位签到码（或二维码里的整个地址）")
    action: Literal["in", "out"] = Field("in", description="in=签到、out=签退（签退后按时长生成待确认的服务记录）")


class Attendance(Schema):
    event_id: int
    event_title: str
    team: str | None = Field(description="以哪支队伍的名义服务")
    checked_in_at: datetime
    checked_out_at: datetime | None
    hours: Decimal | None = Field(description="签退后登记的服务时长（待工作人员确认）")
    hours_status: str | None = Field(description="服务记录状态：pending=待确认、confirmed=已确认、rejected=不予确认")
    missed_check_out: bool = Field(False, description="未签退且已过签退时间：可在网站申请补录")

    @staticmethod
    def resolve_event_title(obj):
        return obj.event.title

    resolve_team = name_of("team")

    @staticmethod
    def resolve_hours(obj):
        return obj.record.hours if obj.record_id else None

    @staticmethod
    def resolve_hours_status(obj):
        return obj.record.status if obj.record_id else None

    @staticmethod
    def resolve_missed_check_out(obj):
        return bool(getattr(obj, "missed_check_out", False))


class CheckInOut(Schema):
    attendance: Attendance
    message: str


def _code(text: str) -> str:
    """The bare code, or the one in the address the QR holds (…/service/?code=XXXX)."""
    from urllib.parse import parse_qs, urlparse

    text = text.strip()
    if "code=" in text:
        text = (parse_qs(urlparse(text).query).get("code") or [""])[0]
    return registrations.normalise_code(text)


@me_router.post("/check-in", response=CheckInOut, summary="服务活动扫码签到或签退")
def check_in(request, payload: CheckInIn):
    volunteer = own_volunteer(request)
    code = _code(payload.code)
    event = attendance.event_for_code(code)
    if event is None:
        raise ApiError("unknown_activity_code", _("没有找到正在进行、可以签到的服务活动，请检查签到码。"), 404)
    if payload.action == "out":
        done = attendance.check_out(event_id=event.pk, volunteer_id=volunteer.pk, code=code, request=request)
        message = _("签退成功，本次服务时长 %(h)s 小时，待工作人员确认后计入累计时长。") % {"h": done.record.hours}
    else:
        done = attendance.check_in(event_id=event.pk, volunteer_id=volunteer.pk, code=code, request=request)
        message = _("签到成功。服务结束离开前，请再扫一次二维码签退。")
    done = ServiceAttendance.objects.select_related("event", "team", "record").get(pk=done.pk)
    return {"attendance": done, "message": message}


class MyCheckIns(Schema):
    recent: list[Attendance] = Field(description="最近的签到（最多 5 条）")


@me_router.get("/check-ins", response=MyCheckIns, summary="我最近的服务活动签到")
def my_check_ins(request):
    volunteer = own_volunteer(request)
    now = timezone.now()
    recent = list(ServiceAttendance.objects.filter(volunteer=volunteer).select_related("event", "team", "record")
                  .order_by("-checked_in_at")[:5])
    for a in recent:
        # Not checked out and too late to: the hours can still be asked for (补录), as the page says.
        a.missed_check_out = a.checked_out_at is None and now > attendance.check_out_closes_at(a.event)
    return {"recent": recent}
