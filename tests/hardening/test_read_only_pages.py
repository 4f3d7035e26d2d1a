"""A page that is only read writes nothing: every public page, a volunteer's own page, the
leaders' dashboard and a report's progress, opened on the demo data, leave every table as
it was. (Logging in writes the session; that happens before the counting starts. The staff
admin's pages are held to the same rule in test_admin_pages.py.)"""

import pytest
from django.utils import timezone

from association.models import Article, County, Page, ReportJob
from association.roles import LEADERS
from events.models import Event, Registration
from talents.models import AwardRound, Talent, TechDemand
from tests.db_writes import count_writes
from volunteers.models import ServiceOrder, ServiceProject

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _demo_media(demo_site, settings):
    settings.MEDIA_ROOT = demo_site.media_root


def first(queryset):
    obj = queryset.order_by("pk").first()
    assert obj is not None, f"the demo data has no {queryset.model._meta.verbose_name}"
    return obj


# Each page: who opens it (None for the public) and its address, from the demo data.
PAGES = {
    "home": lambda: (None, "/"),
    "news": lambda: (None, "/news/"),
    "news search": lambda: (None, "/news/?q=科普"),
    "article": lambda: (None, f"/news/{first(Article.objects.filter(status=Article.Status.PUBLISHED)).pk}/"),
    "news feed": lambda: (None, "/news/feed/"),
    "about": lambda: (None, "/about/"),
    "about page": lambda: (None, f"/about/{first(Page.objects.all()).slug}/"),
    "organizations": lambda: (None, f"/organizations/?county={first(County.objects.all()).pk}"),
    "open data": lambda: (None, "/open-data/"),
    "open data file": lambda: (None, f"/open-data/{timezone.localdate().year}/events.csv"),
    "events": lambda: (None, "/events/"),
    "event": lambda: (None, f"/events/{first(Event.objects.filter(status=Event.Status.PUBLISHED)).pk}/"),
    "event sign-up form": lambda: (None, f"/events/{first(Event.objects.filter(status=Event.Status.PUBLISHED)).pk}/register/"),
    "event calendar": lambda: (None, "/events/calendar/"),
    "calendar feed": lambda: (None, "/events/calendar.ics"),
    "own sign-up (private link)": lambda: (None, f"/events/registration/{first(Registration.objects.all()).token}/"),
    "teams": lambda: (None, "/volunteers/teams/"),
    "projects": lambda: (None, "/volunteers/projects/"),
    "order form": lambda: (None, f"/volunteers/projects/{first(ServiceProject.objects.filter(status='published')).pk}/order/"),
    "own order (private link)": lambda: (None, f"/volunteers/orders/{first(ServiceOrder.objects.all()).token}/"),
    "volunteer sign-up form": lambda: (None, "/volunteers/register/"),
    "certificate check": lambda: (None, "/volunteers/certificates/verify/"),
    "experts": lambda: (None, "/talents/experts/"),
    "expert": lambda: (None, f"/talents/experts/{first(Talent.objects.filter(public_profile=True)).pk}/"),
    "awards": lambda: (None, "/talents/awards/"),
    "award round": lambda: (None, f"/talents/awards/{first(AwardRound.objects.all()).pk}/"),
    "demands": lambda: (None, "/talents/demands/"),
    "demand": lambda: (None, f"/talents/demands/{first(TechDemand.objects.filter(status=TechDemand.Status.PUBLISHED)).pk}/"),
    "log-in form": lambda: (None, "/accounts/login/"),
    "health": lambda: (None, "/healthz"),
    "volunteer's own page": lambda: ("volunteer", "/accounts/me/"),
    "dashboard": lambda: (LEADERS, "/dashboard/"),
    # A job whose worker vanished: the page shows it as lost, the beat sweep records it.
    "report progress": lambda: (LEADERS, f"/dashboard/reports/{first(ReportJob.objects.filter(status='running')).pk}/status/"),
}


@pytest.mark.parametrize("name", PAGES)
def test_reading_a_page_writes_nothing(client, demo_site, name):
    who, url = PAGES[name]()
    if who:
        demo_site.log_in(client, who)
    with count_writes() as writes:
        response = client.get(url)
    assert response.status_code == 200, url
    assert not writes, f"{url} wrote {dict(writes)}"

