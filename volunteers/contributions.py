"""What the volunteers app adds to the portal: home block, headline figures, staff roles."""

from django.core.cache import cache
from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _l

from association import extensions, roles

from . import selectors
from .activities import Activity, activity_source
from .models import ServiceOrder, ServiceRecord, Volunteer

MODELS = ["serviceteam", "membership", "volunteer", "serviceproject", "serviceorder", "servicerecord", "hourscertificate",
          "hoursclaim"]


def _perms(*verbs):
    return [f"volunteers.{verb}_{model}" for model in MODELS for verb in verbs]


# 科学技术普及部 runs the volunteers' work; the full ID/mobile permission is given to named
# staff one by one (auth admin), never to a whole group.
extensions.role_permissions(roles.POPSCI, _perms("add", "change", "view", "delete"))
extensions.role_permissions(roles.LEADERS, _perms("view"))
# A unit's staff (a county 科协, a 学会…) review and keep their own volunteers, their teams'
# members, projects and orders, and record and confirm their volunteers' hours; whose records
# these are is the scoping rule's (association.scoping). Volunteers are not deleted by a unit,
# teams are set up by 科普部, and full ID numbers stay a right given person by person.
extensions.role_permissions(roles.UNIT_STAFF, [
    "volunteers.view_volunteer", "volunteers.add_volunteer", "volunteers.change_volunteer",
    "volunteers.view_serviceteam", "volunteers.change_serviceteam",
    *(f"volunteers.{verb}_membership" for verb in ("view", "add", "change", "delete")),
    *(f"volunteers.{verb}_serviceproject" for verb in ("view", "add", "change")),
    "volunteers.view_serviceorder", "volunteers.change_serviceorder",
    *(f"volunteers.{verb}_servicerecord" for verb in ("view", "add", "change")),
    "volunteers.view_hourscertificate",
    # 补录 of their own volunteers: look at the evidence, approve or refuse.
    "volunteers.view_hoursclaim", "volunteers.change_hoursclaim",
])


@extensions.headline_figure(order=30)
def figures():
    year = timezone.localdate().year
    volunteers = Volunteer.objects.aggregate(n=Count("id", filter=Q(status=Volunteer.Status.APPROVED)))["n"]
    hours = ServiceRecord.objects.filter(status=ServiceRecord.Status.CONFIRMED, date__year=year).aggregate(
        h=Sum("hours"))["h"] or 0
    done = ServiceOrder.objects.filter(status__in=[ServiceOrder.Status.DONE, ServiceOrder.Status.RATED]).count()
    return [
        ("注册科技志愿者", volunteers, "人"),
        (f"{year}年志愿服务时长", f"{hours:,.0f}", "小时"),
        ("完成点单服务", done, "场次"),
    ]


@extensions.home_block(order=40, template="volunteers/home_block.html")
def home_block(request):
    def build():
        projects = list(selectors.published_projects()[:4])
        teams = [node for corps in selectors.team_tree()[:2] for node in corps.children][:8]
        return {"projects": projects, "teams": teams, "figures": figures()}

    # The home page is the busiest page: its volunteer figures may be five minutes old.
    return cache.get_or_set("volunteers:home-block", build, 300)


@extensions.account_link(order=30)
def my_page_link(user):
    # Only volunteers have a page of their own here; staff and reviewers have theirs elsewhere.
    if not Volunteer.objects.filter(user=user).exists():
        return []
    return [("我的志愿服务", reverse("me:home"))]


extensions.link("nav", order=40, key="volunteers", label=_l("志愿服务"), url="volunteers:teams", prefixes=("/volunteers/",))
extensions.link("quick", order=10, key="volunteer-register", label=_l("志愿者注册"), url="volunteers:register",
                icon="person-plus")
extensions.link("quick", order=20, key="order", label=_l("科普点单"), url="volunteers:projects", icon="hand-index-thumb")
extensions.link("join", order=10, key="volunteer-register", label=_l("志愿者注册"), url="volunteers:register",
                icon="person-plus")
extensions.fragment_topic("volunteers", "volunteers.ServiceProject", "volunteers.ServiceTeam")
for page in ("volunteers:teams", "volunteers:projects", "api-v1:teams", "api-v1:projects", "api-v1:project"):
    extensions.cached_page(page)
    extensions.replica_read(page)
for page in ("/api/v1/volunteers/teams/", "/api/v1/volunteers/projects/"):
    extensions.replica_read(page)  # the API's public lists (a volunteer's own, /api/v1/me/, never)
extensions.private_link(r"(/volunteers/orders/)[^/?#\s\"']+")
extensions.private_link(r"(/volunteers/certificates/verify/)[^/?#\s\"']+")


@activity_source
def orders_served(volunteer, team_ids, since) -> list[Activity]:
    """Orders of the volunteer's teams the team accepted, for 补录 (no length: a day's 24 hours cap them)."""
    rows = (ServiceOrder.objects.filter(team_id__in=team_ids, status__in=ServiceOrder.TAKES_HOURS,
                                        wanted_date__gte=since, wanted_date__lte=timezone.localdate())
            .select_related("project").only("id", "team_id", "wanted_date", "orderer_name", "project__title"))
    return [Activity(o, o.wanted_date, f"{o.project.title}（{o.orderer_name}）", o.team_id, None) for o in rows]


@extensions.me_section(order=30, template="volunteers/me_claims.html")
def my_claims(request, volunteer) -> dict:
    return selectors.claims_section(volunteer)
