"""Public, read only: the expert directory (opted-in profiles, never contacts), award rounds
with their 公示 and winners, and the published technology demands — what the public pages
show, nothing more."""

from datetime import date, datetime
from decimal import Decimal

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from association.api.conditional import last_modified
from association.api.core import site_url
from association.api.pagination import PagePagination
from association.api.resolvers import display, name_of
from association.choices import TitleLevel

from . import selectors
from .filters import DemandFilter, ExpertFilter
from .models import AwardRound, Registry, Talent, TechDemand

router = Router(tags=["人才、奖项与技术需求"])


def _choices(choices) -> str:
    return "、".join(f"{value}={label}" for value, label in choices)


# -- experts ------------------------------------------------------------------------------


class ExpertItem(Schema):
    id: int
    name: str
    title: str = Field(description="职称 / 职务")
    title_level: int
    title_level_label: str
    field: str | None = Field(description="专业领域")
    committee: str | None = Field(description="博士联谊会专业委员会")
    employer: str = Field(description="工作单位")
    specialty: str = Field(description="研究方向 / 专长")
    url: str

    @staticmethod
    def resolve_title_level_label(obj):
        return str(obj.title_level_label)

    resolve_field = name_of("field")
    resolve_committee = name_of("committee")

    @staticmethod
    def resolve_url(obj):
        return site_url(reverse("talents:expert", args=[obj.pk]))


class ExpertDetail(ExpertItem):
    degree: str
    county: str | None
    is_haizhi: bool = Field(description="海智专家")
    overseas_country: str
    bio: str
    updated: datetime

    @staticmethod
    def resolve_degree(obj):
        return obj.get_degree_display()

    resolve_county = name_of("county")


class ExpertQuery(Schema):
    q: str = Field("", max_length=50, description="姓名、单位或专长中的字")
    field: int | None = Field(None, ge=1, description="专业领域编号")
    level: int | None = Field(None, description="职称级别：" + _choices(c for c in TitleLevel.choices if c[0] != TitleLevel.NONE))
    registry: str = Field("", description="所属名录：" + _choices(Registry.choices))
    committee: int | None = Field(None, ge=1, description="专业委员会编号")
    county: int | None = Field(None, ge=1, description="县（区）编号")


def _present(filters: Schema) -> dict:
    return {k: v for k, v in filters.dict().items() if v not in (None, "")}


@router.get("/experts/", response=list[ExpertItem], summary="专家名录（本人同意公开的）")
@paginate(PagePagination)
def experts(request, filters: Query[ExpertQuery]):
    return ExpertFilter(_present(filters), queryset=selectors.expert_directory(), choices=selectors.filter_choices()).qs


@router.get("/experts/{int:expert_id}/", response=ExpertDetail, summary="专家详情")
def expert(request, expert_id: int, response: HttpResponse):
    talent = get_object_or_404(Talent.objects.public().select_related("field", "committee", "county"), pk=expert_id)
    last_modified(response, talent.updated)
    return talent


# -- award rounds and 公示 ------------------------------------------------------------------


class RoundItem(Schema):
    id: int
    programme: str = Field(description="奖项")
    number: int = Field(description="届次")
    year: int
    status: str = Field(description="状态代码：" + _choices(AwardRound.Status.choices))
    status_label: str
    title: str
    nomination_opens: date
    nomination_closes: date
    quota: int = Field(description="表彰名额")
    notice_starts: date | None = Field(description="公示开始日期")
    notice_ends: date | None = Field(description="公示结束日期")
    announced_on: date | None = Field(description="公布日期")
    url: str

    @staticmethod
    def resolve_programme(obj):
        return obj.programme.name

    resolve_status_label = display("status")

    @staticmethod
    def resolve_title(obj):
        return str(obj)

    @staticmethod
    def resolve_url(obj):
        return site_url(reverse("talents:round", args=[obj.pk]))


class Nominee(Schema):
    name: str
    gender: str
    employer: str
    title: str
    achievement: str = Field(description="成果名称")
    nominating_unit: str | None = Field(description="推荐单位")

    @staticmethod
    def resolve_name(obj):
        return obj.nominee_name

    @staticmethod
    def resolve_gender(obj):
        return obj.get_nominee_gender_display()

    @staticmethod
    def resolve_employer(obj):
        return obj.nominee_employer

    @staticmethod
    def resolve_title(obj):
        return obj.nominee_title

    @staticmethod
    def resolve_achievement(obj):
        return obj.achievement_title or ""

    resolve_nominating_unit = name_of("nominating_unit")


class RoundDetail(RoundItem):
    call_text: str = Field(description="推荐通知")
    objection_contact: str = Field(description="公示期间异议受理：联系人")
    objection_phone: str
    objection_email: str
    objection_address: str
    people: list[Nominee] = Field(description="公示期间为公示名单，公布后为获奖名单，其余时候为空")


@router.get("/awards/", response=list[RoundItem], summary="评奖（各届）")
@paginate(PagePagination)
def award_rounds(request):
    return AwardRound.objects.exclude(status=AwardRound.Status.PREPARING).select_related("programme").order_by(
        "-year", "programme__order", "-number"
    )


@router.get("/awards/{int:round_id}/", response=RoundDetail, summary="一届评奖：公示名单或获奖名单")
def award_round(request, round_id: int):
    award = get_object_or_404(
        AwardRound.objects.exclude(status=AwardRound.Status.PREPARING).select_related("programme"), pk=round_id
    )
    shown = award.status in (AwardRound.Status.PUBLICISING, AwardRound.Status.ANNOUNCED)
    award.people = list(selectors.round_list_for_notice(award)) if shown else []
    return award


# -- technology demands ---------------------------------------------------------------------


class DemandItem(Schema):
    id: int
    title: str
    kind: str = Field(description="需求类型：" + _choices(TechDemand.Kind.choices))
    kind_label: str
    industry: str
    industry_label: str
    status: str = Field(description="状态：" + _choices((s.value, s.label) for s in TechDemand.PUBLIC_STATES))
    status_label: str
    enterprise_name: str
    county: str | None
    budget: Decimal | None = Field(description="预算（万元）")
    fields: list[str] = Field(description="涉及专业领域")
    published_at: datetime | None
    url: str

    resolve_kind_label = display("kind")
    resolve_industry_label = display("industry")
    resolve_status_label = display("status")
    resolve_county = name_of("county")

    @staticmethod
    def resolve_fields(obj):
        return [f.name for f in obj.fields.all()]

    @staticmethod
    def resolve_url(obj):
        return site_url(reverse("talents:demand", args=[obj.pk]))


class DemandDetail(DemandItem):
    description: str


class DemandQuery(Schema):
    q: str = Field("", max_length=50, description="需求名称、描述或企业名称中的字")
    kind: str = Field("", description="需求类型代码")
    industry: str = Field("", description="行业代码")
    status: str = Field("", description="状态代码")


@router.get("/demands/", response=list[DemandItem], summary="技术需求（已发布）")
@paginate(PagePagination)
def demands(request, filters: Query[DemandQuery]):
    return DemandFilter(_present(filters), queryset=selectors.published_demands()).qs


@router.get("/demands/{int:demand_id}/", response=DemandDetail, summary="技术需求详情")
def demand(request, demand_id: int, response: HttpResponse):
    item = get_object_or_404(
        TechDemand.objects.filter(status__in=TechDemand.PUBLIC_STATES).select_related("county").prefetch_related("fields"),
        pk=demand_id,
    )
    last_modified(response, item.published_at)
    return item
