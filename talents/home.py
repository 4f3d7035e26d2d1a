"""The app's block on the home page (latest 公示 and demands) and its headline figures."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from association import extensions

from . import selectors
from .models import AwardProgramme, Nomination, Registry, TechDemand

extensions.fragment_topic("talents", "talents.AwardProgramme", "talents.AwardRound", "talents.TechDemand", "talents.Talent",
                          "talents.Field", "talents.DoctorsCommittee")


@extensions.home_block(order=40, template="talents/home_block.html")
def home_context(request):
    return {
        "notices": list(selectors.latest_notices(6)),
        "demands": list(
            TechDemand.objects.filter(status__in=TechDemand.PUBLIC_STATES).only("pk", "title", "industry", "published_at")
            .order_by("-published_at", "-id")[:6]
        ),
    }


@extensions.headline_figure(order=40)
def figures():
    # The experts the public can find: the same count the directory shows beside 专家库.
    experts = next(r["count"] for r in selectors.expert_facets()["registries"] if r["value"] == Registry.EXPERT_POOL)
    honoured = Nomination.objects.filter(status=Nomination.Status.AWARDED).aggregate(
        people=Count("id", filter=~Q(round__programme__nominee_kind=AwardProgramme.NomineeKind.ORGANIZATION))
    )["people"]
    solved = TechDemand.objects.filter(status=TechDemand.Status.SOLVED).count()
    return [
        (_("专家库专家"), experts, _("人")),
        (_("获表彰科技工作者"), honoured, _("人次")),
        (_("累计解决企业技术需求"), solved, _("项")),  # all years, unlike the year's tables
    ]


@extensions.account_link(order=20)
def reviewer_link(user):
    # A superuser may do anything but is never a reviewer: no link for them.
    if user.is_superuser or not user.has_perm("talents.review_nomination"):
        return []
    return [(_("我的评审任务"), reverse("talents:review_list"))]


extensions.link("nav", order=50, key="talents", label=_l("人才与奖项"), url="talents:experts", prefixes=("/talents/",))
extensions.link("quick", order=30, key="demand", label=_l("技术需求"), url="talents:demand_new", icon="lightbulb")
for page in ("talents:experts", "talents:awards", "talents:demands"):
    extensions.cached_page(page)
for page in ("api-v1:experts", "api-v1:expert", "api-v1:award_rounds", "api-v1:award_round", "api-v1:demands",
             "api-v1:demand"):
    extensions.cached_page(page)  # the open API's public answers
    extensions.replica_read(page)
for page in ("/api/v1/talents/experts/", "/api/v1/talents/awards/", "/api/v1/talents/demands/"):
    extensions.replica_read(page)  # the API's public lists
