"""Volunteers in the open API: the public service teams and projects
(``/api/v1/volunteers/``), and a volunteer's own profile, hours and 点单 follow-up
(``/api/v1/me/``).

The public part is what ``/volunteers/teams/`` and ``/volunteers/projects/`` show: the
tree 服务团 → 服务队 → 工作组 with member counts and the leaders' names and roles the page
prints, and the published projects; never a contact, a mobile or an ID number.

A volunteer's part reads as ``/accounts/me/`` does (ID number and mobile masked) and
writes only through the services the web pages use, each of which records the change in
the audit log: an order's moves (``services.orders``) and the hours a leader records
(``services.records``). A token whose account has no volunteer profile is answered 403.
"""

import datetime as dt
from decimal import Decimal
from typing import Annotated

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from pydantic import field_validator

from association import audit
from association.api.auth import volunteer_auth
from association.api.core import site_url
from association.api.errors import ApiError
from association.api.pagination import PagePagination
from association.api.resolvers import display, name_of
from association.models import AuditEntry

from . import selectors
from .forms import RecordHoursForm
from .models import ServiceOrder, Volunteer
from .services import orders, records

router = Router(tags=["志愿服务队与项目"])
me_router = Router(tags=["志愿者本人"], auth=volunteer_auth)


def own_volunteer(request) -> Volunteer:
    """The token's volunteer, or a 403 in Chinese: a token of an account that never
    registered as a volunteer (or closed its registration) has nothing of its own here."""
    volunteer = getattr(request, "_api_volunteer", None)
    if volunteer is None:
        volunteer = selectors.volunteer_for_user(request.user)
        if volunteer is None or volunteer.status == Volunteer.Status.DELETED:
            raise ApiError("not_a_volunteer", _("这个账号还没有注册为科技志愿者：请先在网站“志愿者注册”页完成实名注册。"), 403)
        request._api_volunteer = volunteer
    return volunteer


class Input(Schema):
    """What a client sends: text with a NUL character (which PostgreSQL cannot keep, and no
    person types) is refused with the other field errors, not failed on at the INSERT."""

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value):
        if isinstance(value, str) and "\x00" in value:
            raise ValueError("不能包含空字符。")
        return value


# -- public: teams and projects ------------------------------------------------------------
class Leader(Schema):
    role: str = Field(description="角色代码：corps_leader=团长、team_leader=队长、group_leader=组长")
    role_label: str
    name: str = Field(description="姓名（与网页公开的相同）")

    resolve_role_label = display("role")

    @staticmethod
    def resolve_name(obj):
        return obj.volunteer.name


class TeamNode(Schema):
    id: int
    name: str
    kind: str = Field(description="层级：corps=服务团、team=服务队、group=工作组")
    kind_label: str
    field: str = Field(description="服务领域")
    description: str
    founded: dt.date | None
    members: int = Field(description="已通过审核的成员人数（含下级队伍，可能有几分钟延迟）")
    leaders: list[Leader]
    children: list["TeamNode"] = Field(description="下级队伍")


TeamNode.model_rebuild()


def _node(node) -> dict:
    team = node.team
    return {
        "id": team.pk, "name": team.name, "kind": team.kind, "kind_label": team.get_kind_display(),
        "field": team.field, "description": team.description, "founded": team.founded,
        "members": node.members, "leaders": node.leaders, "children": [_node(child) for child in node.children],
    }


@router.get("/teams/", response=list[TeamNode], summary="服务队伍（服务团 → 服务队 → 工作组）", auth=None)
def teams(request):
    return [_node(root) for root in selectors.team_tree()]


class Project(Schema):
    id: int
    title: str
    summary: str
    description: str = Field(description="服务内容（纯文本）")
    audience: str = Field(description="服务对象")
    duration: str = Field(description="时长与形式")
    capacity: int | None = Field(description="单场可服务人数")
    team_id: int
    team: str = Field(description="提供服务的队伍")
    team_parent: str | None = Field(description="队伍所属的服务团或服务队")
    done: int = Field(description="已完成的点单场次")
    published_at: dt.datetime | None
    order_url: str = Field(description="网页点单地址（社区、学校、村、企业在网页上点单）")

    @staticmethod
    def resolve_team(obj):
        return obj.team.name

    @staticmethod
    def resolve_team_parent(obj):
        return obj.team.parent.name if obj.team.parent_id else None

    @staticmethod
    def resolve_order_url(obj):
        from django.urls import reverse

        return site_url(reverse("volunteers:order", args=[obj.pk]))


@router.get("/projects/", response=list[Project], summary="服务项目（点单菜单）", auth=None)
@paginate(PagePagination)
def projects(request):
    return selectors.published_projects()


@router.get("/projects/{int:project_id}/", response=Project, summary="服务项目详情", auth=None)
def project(request, project_id: int):
    return get_object_or_404(selectors.published_projects(), pk=project_id)


# -- a volunteer's own ----------------------------------------------------------------------
class MyMembership(Schema):
    team_id: int
    team: str
    parent: str | None = Field(description="上级队伍")
    role: str
    role_label: str
    is_leader: bool

    @staticmethod
    def resolve_team(obj):
        return obj.team.name

    @staticmethod
    def resolve_parent(obj):
        return obj.team.parent.name if obj.team.parent_id else None

    resolve_role_label = display("role")


class Profile(Schema):
    number: str = Field(description="志愿者编号")
    name: str
    status: str = Field(description="pending=审核中、approved=已通过、rejected=未通过、suspended=已暂停")
    status_label: str
    rejection_reason: str = Field(description="未通过审核的原因（其他状态为空）")
    id_number: str = Field(description="身份证号（部分隐藏，与网页相同）")
    mobile: str = Field(description="手机号码（部分隐藏）")
    gender: str
    birth_year: int | None
    email: str
    political_status: str = Field(description="政治面貌")
    education: str = Field(description="学历")
    title: str = Field(description="职称")
    field: str = Field(description="专业领域")
    employer: str = Field(description="工作单位")
    county: str | None
    created: dt.datetime = Field(description="注册时间")
    memberships: list[MyMembership] = Field(description="所在队伍与角色")


@me_router.get("/", response=Profile, summary="我的资料（身份证号、手机号部分隐藏）")
def profile(request):
    v = own_volunteer(request)
    return {
        "number": v.number, "name": v.name, "status": v.status, "status_label": v.get_status_display(),
        "rejection_reason": v.rejection_reason if v.status == Volunteer.Status.REJECTED else "",
        "id_number": v.masked_id_number, "mobile": v.masked_mobile, "gender": v.get_gender_display(),
        "birth_year": v.birth_date.year if v.birth_date else None, "email": v.email,
        "political_status": v.get_political_status_display(), "education": v.get_education_display(),
        "title": v.title, "field": v.field, "employer": v.employer, "county": v.county.name if v.county_id else None,
        "created": v.created, "memberships": list(selectors.memberships_of(v)),
    }


class Month(Schema):
    month: dt.date = Field(description="月份（该月 1 日）")
    hours: Decimal
    records: int


class Hours(Schema):
    total_hours: Decimal = Field(description="累计服务时长（已确认，小时）")
    year_hours: Decimal = Field(description="今年服务时长（已确认）")
    pending_hours: Decimal = Field(description="待确认时长")
    confirmed: int = Field(description="已确认服务次数")
    records: int = Field(description="服务记录条数")
    monthly: list[Month] = Field(description="按月时长（最近 12 个有记录的月份）")


@me_router.get("/hours", response=Hours, summary="我的服务时长")
def hours(request):
    v = own_volunteer(request)
    totals = selectors.totals_of(v, year=timezone.localdate().year)
    return {
        **{k: totals[k] for k in ("total_hours", "year_hours", "pending_hours", "confirmed")},
        "records": totals["total"],
        "monthly": [{"month": m["month"], "hours": m["sum_hours"], "records": m["n"]}
                    for m in selectors.monthly_hours_of(v)],
    }


class Record(Schema):
    id: int
    date: dt.date
    title: str = Field(description="服务内容")
    team: str | None
    hours: Decimal
    status: str = Field(description="pending=待确认、confirmed=已确认、rejected=不予确认")
    status_label: str

    resolve_team = name_of("team")
    resolve_status_label = display("status")


@me_router.get("/hours/records", response=list[Record], summary="我的服务记录（最近的在前）")
@paginate(PagePagination)
def hours_records(request):
    return selectors.records_of(own_volunteer(request))


# -- 点单 follow-up: the orders dispatched to the teams a volunteer leads -----------------------
class OrderItem(Schema):
    id: int
    project: str = Field(description="服务项目")
    team: str | None = Field(description="承接队伍")
    orderer_kind_label: str = Field(description="点单单位类型")
    orderer_name: str = Field(description="点单单位")
    wanted_date: dt.date = Field(description="期望服务日期")
    audience_size: int
    status: str = Field(description="状态：" + "、".join(f"{v}={label}" for v, label in ServiceOrder.Status.choices))
    status_label: str
    can_accept: bool = Field(description="可以接单或拒单")
    can_complete: bool = Field(description="可以标记服务完成")
    takes_hours: bool = Field(description="可以登记服务时长")

    @staticmethod
    def resolve_project(obj):
        return obj.project.title

    resolve_team = name_of("team")
    resolve_orderer_kind_label = display("orderer_kind")
    resolve_status_label = display("status")

    @staticmethod
    def resolve_can_accept(obj):
        return obj.status == ServiceOrder.Status.DISPATCHED

    @staticmethod
    def resolve_can_complete(obj):
        return obj.status == ServiceOrder.Status.ACCEPTED


class OrderDetail(OrderItem):
    county: str | None
    address: str = Field(description="服务地点")
    needs: str = Field(description="需求说明")
    contact_name: str | None = Field(description="联系人（接单后才提供，查看留痕）")
    contact_phone: str | None = Field(description="联系电话（接单后才提供，查看留痕）")
    decline_reason: str
    rating: int | None
    rating_comment: str

    resolve_county = name_of("county")

    @staticmethod
    def resolve_contact_name(obj):
        return obj.contact_name if _shows_contact(obj) else None

    @staticmethod
    def resolve_contact_phone(obj):
        return obj.contact_phone if _shows_contact(obj) else None


def _shows_contact(order) -> bool:
    return order.status in (ServiceOrder.Status.ACCEPTED, ServiceOrder.Status.DONE)


@me_router.get("/orders/", response=list[OrderItem], summary="派给我所带队伍的点单（队长、组长、团长）")
def my_orders(request):
    volunteer = own_volunteer(request)
    led = selectors.led_team_ids(selectors.memberships_of(volunteer))
    return list(selectors.orders_for_leader(led)) if led else []


def _led_order(request, order_id: int) -> ServiceOrder:
    """An order of a team the volunteer leads, as the leader's web page finds it; else 404."""
    own_volunteer(request)
    order = get_object_or_404(ServiceOrder.objects.select_related("project", "team", "team__parent", "county"),
                              pk=order_id)
    if not orders.leads(request.user, order.team):
        raise Http404
    return order


def _order_answer(request, order: ServiceOrder) -> ServiceOrder:
    if _shows_contact(order):
        audit.record(AuditEntry.Action.VIEW_PERSONAL, obj=order, request=request, actor=request.user,
                     detail="承接队伍负责人查看点单联系电话（开放接口）")
    return order


@me_router.get("/orders/{int:order_id}", response=OrderDetail, summary="点单详情（接单后含联系人和电话）")
def my_order(request, order_id: int):
    return _order_answer(request, _led_order(request, order_id))


def _reread(request, order_id: int) -> ServiceOrder:
    order = ServiceOrder.objects.select_related("project", "team", "team__parent", "county").get(pk=order_id)
    return _order_answer(request, order)


@me_router.post("/orders/{int:order_id}/accept", response=OrderDetail, summary="接单")
def accept_order(request, order_id: int):
    order = _led_order(request, order_id)
    orders.accept(order_id=order.pk, actor=request.user, request=request)
    return _reread(request, order.pk)


class DeclineIn(Input):
    reason: str = Field(max_length=500, description="拒单原因，便于工作人员另行派单")


@me_router.post("/orders/{int:order_id}/decline", response=OrderDetail, summary="拒单（退回工作人员另行派单）")
def decline_order(request, order_id: int, payload: DeclineIn):
    order = _led_order(request, order_id)
    orders.decline(order_id=order.pk, actor=request.user, reason=payload.reason, request=request)
    return _reread(request, order.pk)


@me_router.post("/orders/{int:order_id}/complete", response=OrderDetail, summary="标记服务完成（之后点单单位可评价）")
def complete_order(request, order_id: int):
    order = _led_order(request, order_id)
    orders.complete(order_id=order.pk, actor=request.user, request=request)
    return _reread(request, order.pk)


class HoursIn(Input):
    volunteer_ids: list[Annotated[int, Field(ge=1, le=2**31 - 1)]] = Field(max_length=500, description="参加服务的志愿者编号（本队已通过审核的成员）")
    date: dt.date = Field(description="服务日期（不能晚于今天）")
    hours: Decimal = Field(description="每人服务时长（小时，0.5–24）")
    title: str = Field("", max_length=200, description="服务内容；不填为服务项目名称")


class HoursOut(Schema):
    recorded: int = Field(description="登记的人数")
    message: str


class Member(Schema):
    id: int
    name: str


@me_router.get("/orders/{int:order_id}/members", response=list[Member], summary="可为这张点单登记时长的队员")
def order_members(request, order_id: int):
    order = _led_order(request, order_id)
    return list(selectors.team_members_for_recording([order.team_id]))


@me_router.post("/orders/{int:order_id}/hours", response={201: HoursOut}, summary="为点单登记队员的服务时长（待科普部确认）")
def order_hours(request, order_id: int, payload: HoursIn):
    order = _led_order(request, order_id)
    form = RecordHoursForm(
        {"volunteers": [str(i) for i in payload.volunteer_ids], "date": payload.date.isoformat(),
         "hours": str(payload.hours), "title": payload.title},
        volunteers_queryset=selectors.team_members_for_recording([order.team_id]),
    )
    if not form.is_valid():
        # The web form's own messages, first one first.
        message = next(iter(form.errors.values()))[0]
        raise ApiError("invalid_hours", message, 422)
    d = form.cleaned_data
    created = records.record_hours(
        volunteer_ids=[v.pk for v in d["volunteers"]], hours=d["hours"], date=d["date"], title=d["title"],
        order_id=order.pk, recorded_by=request.user,
    )
    return 201, {"recorded": len(created), "message": f"已为 {len(created)} 名志愿者登记服务时长，待科普部确认。"}
