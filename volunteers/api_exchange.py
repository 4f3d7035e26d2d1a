"""单位数据交换: the volunteers a unit manages (``/api/v1/exchange/volunteers/``).

For a unit token (``association.api.exchange``): the volunteers the holder may reach under
the scoping rule, with the teams of the holder's own work. ID numbers and mobiles come
masked, as in the roster export, unless the holder has been granted
``volunteers.view_personal_data`` (a named person's right, never a group's).

Every read is recorded in the audit log, one entry per request: which token, which page and
how many people, and whether in full — never the data itself.
"""

from datetime import date, datetime

from django.db.models import Prefetch
from ninja import Field, Query, Router, Schema

from association import audit, scoping
from association.api.auth import unit_auth
from association.api.exchange import ExchangeQuery, aware, require, year_bounds
from association.api.pagination import PagePagination
from association.crypto import mask_id_number, mask_mobile
from association.models import AuditEntry

from .models import Membership, Volunteer

router = Router(tags=["单位数据交换"], auth=unit_auth)

VIEW = "volunteers.view_volunteer"
PERSONAL = "volunteers.view_personal_data"


class ExchangeTeamRole(Schema):
    team_id: int
    team: str = Field(description="服务队伍名称")
    role: str = Field(description="角色")


class ExchangeVolunteer(Schema):
    id: int
    number: str = Field(description="志愿者编号")
    name: str
    gender: str = Field(description="性别")
    id_number: str = Field(description="身份证号（无权限时已遮蔽）")
    mobile: str = Field(description="手机号码（无权限时已遮蔽）")
    birth_date: date | None
    political_status: str = Field(description="政治面貌")
    education: str = Field(description="学历")
    title: str = Field(description="职称")
    field: str = Field(description="专业领域")
    employer: str = Field(description="工作单位")
    county: str | None = Field(description="所在县（区）")
    unit_id: int | None = Field(description="管理单位编号")
    unit_name: str | None = Field(description="管理单位")
    status: str = Field(description="状态代码：" + "、".join(f"{v}={label}" for v, label in Volunteer.Status.choices))
    status_label: str
    teams: list[ExchangeTeamRole] = Field(description="所在服务队伍（本单位工作范围内的）")
    created: datetime = Field(description="注册时间")
    updated: datetime = Field(description="最后修改时间")


class VolunteerPage(PagePagination.Output):
    items: list[ExchangeVolunteer]
    masked: bool = Field(description="身份证号和手机号码是否已遮蔽")


class VolunteerExchangeQuery(ExchangeQuery):
    year: int | None = Field(None, ge=2000, le=2100, description="注册年度，例如 2026")
    status: str = Field("", description="状态代码，留空为全部")


def exchange_volunteers(user, filters: VolunteerExchangeQuery):
    qs = scoping.scope(Volunteer.objects.all(), user)
    if filters.year:
        start, end = year_bounds(filters.year)
        qs = qs.filter(created__gte=start, created__lt=end)
    if filters.updated_since:
        qs = qs.filter(updated__gte=aware(filters.updated_since))
    if filters.status.strip():
        qs = qs.filter(status=filters.status.strip())
    # The teams of the holder's own work only: a volunteer may also serve elsewhere.
    memberships = Prefetch("memberships", queryset=scoping.scope(Membership.objects.select_related("team"), user)
                           .order_by("id"))
    # Encrypted fields are decrypted as rows load: leave out the one not sent.
    return (qs.select_related("county", "unit").defer("guardian_mobile").prefetch_related(memberships)
            .order_by("updated", "id"))


def row(volunteer: Volunteer, *, full: bool) -> dict:
    return {
        "id": volunteer.pk,
        "number": volunteer.number or "",
        "name": volunteer.name,
        "gender": volunteer.get_gender_display(),
        "id_number": volunteer.id_number if full else mask_id_number(volunteer.id_number),
        "mobile": volunteer.mobile if full else mask_mobile(volunteer.mobile),
        "birth_date": volunteer.birth_date,
        "political_status": volunteer.get_political_status_display(),
        "education": volunteer.get_education_display(),
        "title": volunteer.title,
        "field": volunteer.field,
        "employer": volunteer.employer,
        "county": volunteer.county.name if volunteer.county_id else None,
        "unit_id": volunteer.unit_id,
        "unit_name": volunteer.unit.name if volunteer.unit_id else None,
        "status": volunteer.status,
        "status_label": volunteer.get_status_display(),
        "teams": [{"team_id": m.team_id, "team": m.team.name, "role": m.get_role_display()}
                  for m in volunteer.memberships.all()],
        "created": volunteer.created,
        "updated": volunteer.updated,
    }


@router.get("/", response=VolunteerPage, summary="本单位及下级单位的志愿者（按权限脱敏，读取留痕）")
def volunteers(request, filters: Query[VolunteerExchangeQuery], pages: Query[PagePagination.Input]):
    require(request, VIEW)
    user = request.user
    full = user.has_perm(PERSONAL)
    page = PagePagination().paginate_queryset(exchange_volunteers(user, filters), pages, request)
    page["items"] = [row(v, full=full) for v in page["items"]]
    page["masked"] = not full
    token = request.api_token
    count = len(page["items"])
    how = "含完整身份证号与手机号码" if full else "身份证号与手机号码已遮蔽"
    audit.record(
        AuditEntry.Action.VIEW_PERSONAL if full else AuditEntry.Action.EXPORT, actor=user, obj=token, request=request,
        detail=f"接口读取志愿者信息 {count} 人（第 {page['page']} 页，{how}）",
    )
    return page
