"""The activities a volunteer may ask 补录 hours for, from every app that holds some.

``volunteers`` knows its own orders; an app above it (events) registers a source from its
``AppConfig.ready()``: ``activity_source(func)`` with ``func(volunteer, team_ids, since)
-> [Activity, ...]`` — the activities of those teams (the volunteer's, with the groups
under them and the teams above them) that took place on or after ``since``.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date as date_type
from datetime import timedelta
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model
from django.utils import timezone

from association.formatting import chinese_date

# How far back a volunteer may ask for missing hours.
CLAIM_WINDOW_DAYS = 90

_sources: list[Callable] = []


@dataclass(frozen=True)
class Activity:
    obj: Model
    date: date_type
    title: str
    team_id: int | None
    max_hours: Decimal | None  # the activity's length, when it has one

    @property
    def key(self) -> str:
        meta = self.obj._meta
        return f"{meta.app_label}.{meta.model_name}:{self.obj.pk}"

    @property
    def label(self) -> str:
        return f"{chinese_date(self.date)} {self.title}"

    @property
    def content_type(self) -> ContentType:
        return ContentType.objects.get_for_model(self.obj)


def activity_source(func: Callable) -> Callable:
    if func not in _sources:
        _sources.append(func)
    return func


def team_ids_around(team_ids) -> list[int]:
    """The teams themselves, their groups and the teams and corps above them: the activities
    of any of them count for a member."""
    from .models import ServiceTeam

    ids = set(team_ids)
    rows = ServiceTeam.objects.filter(pk__in=ids).values_list("parent_id", "parent__parent_id")
    for parent, grandparent in rows:
        ids.update(i for i in (parent, grandparent) if i)
    ids.update(ServiceTeam.objects.filter(parent_id__in=list(team_ids)).values_list("pk", flat=True))
    return sorted(ids)


def activities_for(volunteer) -> list[Activity]:
    """What ``volunteer`` may ask hours for: their teams' activities of the last
    CLAIM_WINDOW_DAYS, latest first."""
    team_ids = list(volunteer.memberships.values_list("team_id", flat=True))
    if not team_ids:
        return []
    around = team_ids_around(team_ids)
    since = timezone.localdate() - timedelta(days=CLAIM_WINDOW_DAYS)
    found = []
    for source in _sources:
        found.extend(source(volunteer, around, since))
    return sorted(found, key=lambda a: (a.date, a.title), reverse=True)
