"""What events count for the statistics return: events held in the year by kind, and what
their outcomes record (rules named in the return's catalogue)."""

from django.db.models import Sum
from django.db.models.functions import Coalesce

from association import extensions, scoping
from association.reporting import ReportParams

from .models import Event, EventOutcome
from .reports import held_events

K = Event.Kind
ACADEMIC = (K.ACADEMIC, K.INDUSTRY_CONFERENCE, K.SEMINAR)
POPSCI = (K.POPSCI_DAY, K.SCIENCE_WEEK, K.TRAINING, K.SCIENCE_VAN, K.HEALTH_CLINIC, K.PERFORMANCE)


def _held(unit_ids, year, kinds=None):
    events = scoping.within(held_events(ReportParams(year=year)), unit_ids)
    return events.filter(kind__in=kinds) if kinds else events


def _outcomes(unit_ids, year, field, kinds=None):
    found = EventOutcome.objects.filter(event__in=_held(unit_ids, year, kinds)).aggregate(n=Coalesce(Sum(field), 0))
    return found["n"]


RULES = [
    ("events.academic", "学术交流活动场次", lambda u, y: _held(u, y, ACADEMIC).count()),
    ("events.academic.participants", "学术交流活动参加人数", lambda u, y: _outcomes(u, y, "participants", ACADEMIC)),
    ("events.popsci", "科普宣讲活动场次", lambda u, y: _held(u, y, POPSCI).count()),
    ("events.popsci.lectures", "专家科普报告会（培训讲座）", lambda u, y: _held(u, y, (K.TRAINING,)).count()),
    ("events.popsci.clinics", "科技咨询（健康义诊）", lambda u, y: _held(u, y, (K.HEALTH_CLINIC,)).count()),
    ("events.popsci.days", "科普日、科技活动周活动", lambda u, y: _held(u, y, (K.POPSCI_DAY, K.SCIENCE_WEEK)).count()),
    ("events.popsci.participants", "科普活动参加人数", lambda u, y: _outcomes(u, y, "participants", POPSCI)),
    ("events.competitions", "青少年科技竞赛", lambda u, y: _held(u, y, (K.COMPETITION,)).count()),
    ("events.competitions.participants", "竞赛参加人数", lambda u, y: _outcomes(u, y, "participants", (K.COMPETITION,))),
    ("events.projects_signed", "活动签约项目", lambda u, y: _outcomes(u, y, "projects_signed")),
    ("events.technologies", "推广新技术新品种", lambda u, y: _outcomes(u, y, "technologies_promoted")),
]
for key, label, count in RULES:
    extensions.statistic_rule(key, label=label)(count)
