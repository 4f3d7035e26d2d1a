"""What the events app contributes to the core: home block, headline figures, roles, open data."""

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from association import extensions, roles
from volunteers.activities import Activity, activity_source
from volunteers.models import ServiceTeam

from . import selectors
from .models import Event
from .services import attendance

MANAGE = [
    "events.add_event", "events.change_event", "events.delete_event", "events.view_event",
    "events.view_registration", "events.change_registration", "events.check_in_registration",
    "events.add_eventoutcome", "events.change_eventoutcome", "events.delete_eventoutcome", "events.view_eventoutcome",
    "events.add_eventphoto", "events.change_eventphoto", "events.delete_eventphoto", "events.view_eventphoto",
    "events.view_rosterexport", "events.view_serviceattendance",
    # The event form picks the teams taking part through the admin's autocomplete, which
    # asks for the right to view teams (names and fields; no personal data).
    "volunteers.view_serviceteam",
]
VIEW = ["events.view_event", "events.view_registration", "events.view_eventoutcome", "events.view_eventphoto",
        "events.view_rosterexport", "events.view_serviceattendance"]

# 科普部 runs 科普 events, 学会学术部 the academic ones and conferences; leaders look on.
# Full mobiles (events.view_personal_data) are granted to named people, not to a group.
extensions.role_permissions(roles.POPSCI, MANAGE)
extensions.role_permissions(roles.ACADEMIC, MANAGE)
extensions.role_permissions(roles.LEADERS, VIEW)
# A unit's staff (a county 科协, a 学会, an enterprise 科协, a 农技协) run their own events:
# they draft and publish them, work their sign-ups (approve, cancel, check in) and take
# their rosters (mobiles masked), and record what their events achieved (outcomes and
# photos: the figures of their own dashboard and statistics). Whose events these are is the
# scoping rule's (association.scoping): their unit's and the units' below it.
UNIT = [
    "events.add_event", "events.change_event", "events.view_event",
    "events.view_registration", "events.change_registration", "events.check_in_registration",
    "events.view_rosterexport", "events.add_rosterexport", "events.view_serviceattendance",
    "events.view_eventoutcome", "events.add_eventoutcome", "events.change_eventoutcome",
    "events.view_eventphoto", "events.add_eventphoto", "events.change_eventphoto", "events.delete_eventphoto",
    # The teams taking part are picked through the teams' autocomplete (their own teams).
    "volunteers.view_serviceteam",
]
extensions.role_permissions(roles.UNIT_STAFF, UNIT)


@extensions.home_block(order=20, template="events/home_block.html")
def upcoming_block(request) -> dict:
    return {"events": selectors.open_for_signup(limit=4)}


@extensions.headline_figure(order=20)
def headline_figures():
    year = timezone.localdate().year
    figures = selectors.headline(year)
    return [
        (_("%(year)s年活动") % {"year": year}, figures["events"], _("场")),
        (_("%(year)s年活动受益") % {"year": year}, figures["beneficiaries"], _("人次")),
    ]


@extensions.open_dataset(
    20, key="events", label=_l("活动及成效"),
    description=_l("当年已发布和已结束的活动：时间、地点、主办单位，以及签到人数和主办单位填报的参与人数、受益人次等成效。"
                   "只有人数，不含任何个人信息；成效尚未填报的为空。"),
    columns=[("id", "编号"), ("title", "活动名称"), ("kind", "活动类别"), ("organiser", "主办单位"),
             ("county", "所在县（区）"), ("venue", "地点"), ("start", "开始时间"), ("end", "结束时间"), ("status", "状态"),
             ("checked_in", "签到人数"), ("activities_held", "开展活动场次"), ("participants", "参与人数"),
             ("beneficiaries", "受益人次"), ("url", "网页地址")],
)
def open_data_events(year):
    for event in selectors.open_data_events(year):
        try:
            outcome = event.outcome
        except Event.outcome.RelatedObjectDoesNotExist:
            outcome = None
        yield {
            "id": event.pk, "title": event.title, "kind": event.get_kind_display(), "organiser": event.organiser.name,
            "county": event.county.name if event.county_id else "", "venue": event.venue,
            "start": timezone.localtime(event.start).strftime("%Y-%m-%d %H:%M"),
            "end": timezone.localtime(event.end).strftime("%Y-%m-%d %H:%M"),
            "status": event.get_status_display(), "checked_in": event.checked_in_count,
            "activities_held": outcome.activities_held if outcome else None,
            "participants": outcome.participants if outcome else None,
            "beneficiaries": outcome.beneficiaries if outcome else None,
            "url": f"{settings.SITE_URL}{event.get_absolute_url()}",
        }


extensions.periodic_task(
    "活动：每日将已结束的活动标记为“已结束”", task="events.tasks.finish_past_events", crontab={"hour": "1", "minute": "30"},
    description="每天1时30分把结束已超过一天的活动标记为“已结束”，停止报名。",
)

extensions.periodic_task(
    "活动：活动前一天和开始前两小时提醒报名者", task="events.tasks.send_event_reminders", every=600,
    description="每10分钟查看24小时内开始的活动，向报名成功的人发送前一天提醒和开始前两小时提醒（每人每种提醒只发一次）。",
)


extensions.link("nav", order=30, key="events", label=_l("活动"), url="events:list", prefixes=("/events/",))
extensions.cached_page("events:list")
extensions.fragment_topic("events", "events.Event", "events.EventOutcome", "events.EventPhoto")
extensions.cached_page("events:detail")  # every event: its places are forgotten as they change (Event.save)
extensions.cached_page("api-v1:event_list")
extensions.cached_page("api-v1:event_detail")  # forgotten with the event's page
# The list and the calendar may lag the sign-ups by seconds; the event's own page, where
# the places left are read before signing up, never does.
for page in ("events:list", "events:calendar", "events:feed", "/api/v1/events/"):
    extensions.replica_read(page)
extensions.private_link(r"(/events/registration/)[^/?#\s\"']+")


@extensions.me_section(order=20, template="events/me_section.html")
def my_events(request, volunteer) -> dict:
    return selectors.registrations_of_volunteer(volunteer)


@extensions.me_section(order=25, template="events/me_service.html")
def my_service_check_ins(request, volunteer) -> dict:
    return selectors.attendance_section(volunteer)


# The activity code in a volunteer's check-in address is what lets them check in: not logged.
extensions.private_link(r"(/events/\d+/service/\?code=)[^&#\s\"']+")


@activity_source
def events_served(volunteer, team_ids, since) -> list[Activity]:
    """Service activities of the volunteer's teams that have ended, for 补录 (capped at their length)."""
    rows = (Event.objects.filter(teams__in=team_ids, status__in=attendance.SERVING_STATUSES,
                                 start__date__gte=since, end__lte=timezone.now())
            .prefetch_related(Prefetch("teams", queryset=ServiceTeam.objects.filter(pk__in=team_ids).only("id")))
            .distinct().only("id", "title", "start", "end"))
    return [Activity(e, timezone.localtime(e.start).date(), e.title, next((t.pk for t in e.teams.all()), None),
                     attendance.max_hours(e)) for e in rows]
