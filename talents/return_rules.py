"""What talents count for the statistics return: nominations made, people awarded, demands
collected and solved, matches made (rules named in the return's catalogue)."""

import datetime

from association import extensions, scoping
from association.choices import Gender

from .models import AwardRound, Match, Nomination, TechDemand


def _nominations(unit_ids):
    return scoping.within(Nomination.objects.all(), unit_ids)


def _awarded(unit_ids, year):
    return _nominations(unit_ids).filter(status=Nomination.Status.AWARDED, round__status=AwardRound.Status.ANNOUNCED,
                                         round__announced_on__year=year)


def _demands(unit_ids, year):
    return scoping.within(TechDemand.objects.filter(created__year=year), unit_ids)


RULES = [
    ("talents.nominations", "当年推荐的人选", lambda u, y: _nominations(u).filter(submitted_at__year=y).count()),
    ("talents.awarded", "当年获奖的人选", lambda u, y: _awarded(u, y).count()),
    ("talents.awarded.women", "其中女性", lambda u, y: _awarded(u, y).filter(nominee_gender=Gender.FEMALE).count()),
    ("talents.awarded.young", "其中40岁以下", lambda u, y: _awarded(u, y).filter(
        nominee_birth_date__gt=datetime.date(y - 40, 12, 31)).count()),
    ("talents.demands", "当年征集的技术需求", lambda u, y: _demands(u, y).count()),
    ("talents.demands.solved", "其中已解决", lambda u, y: _demands(u, y).filter(status=TechDemand.Status.SOLVED).count()),
    ("talents.matches", "当年的技术对接", lambda u, y: scoping.within(Match.objects.filter(created__year=y), u).count()),
]
for key, label, count in RULES:
    extensions.statistic_rule(key, label=label)(count)
