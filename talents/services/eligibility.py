"""The rules a nomination must meet, checked by the system with the reason in Chinese.

The same rules run when a unit submits (the form shows the reason at the field) and when
staff run the eligibility check (the reason is kept in ``eligibility_note``).
"""

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from association.choices import TitleLevel
from association.formatting import chinese_date, chinese_numeral

from ..models import AwardRound, Nomination


def full_years(birth_date: datetime.date, on: datetime.date) -> int:
    """Age in full years (周岁) on a date, as the award rules count it."""
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


@dataclass(frozen=True)
class Candidate:
    """Who is being nominated, as far as the rules need to know."""

    name: str
    birth_date: datetime.date | None = None
    title_level: int | None = None
    talent_id: int | None = None
    organization_id: int | None = None

    @classmethod
    def of(cls, nomination: Nomination) -> "Candidate":
        return cls(
            name=nomination.nominee_name,
            birth_date=nomination.nominee_birth_date,
            title_level=nomination.nominee_title_level,
            talent_id=nomination.talent_id,
            organization_id=nomination.nominee_organization_id,
        )


@dataclass(frozen=True)
class Problem:
    field: str  # the form field the reason belongs to ("" for the whole form)
    message: str

    def __str__(self):
        return self.message


def _same_nominee(candidate: Candidate) -> Q:
    if candidate.organization_id:
        return Q(nominee_organization_id=candidate.organization_id)
    same = Q(nominee_name=candidate.name, nominee_birth_date=candidate.birth_date) if candidate.birth_date else Q(pk__in=[])
    if candidate.talent_id:
        same |= Q(talent_id=candidate.talent_id)
    return same


def problems(round: AwardRound, candidate: Candidate, *, exclude_nomination_id: int | None = None) -> list[Problem]:
    """Every rule the candidate breaks for this round; empty when eligible."""
    programme = round.programme
    found: list[Problem] = []

    if programme.max_age is not None and not programme.is_for_organizations:
        if candidate.birth_date is None:
            found.append(Problem("nominee_birth_date", _("“%(programme)s”有年龄要求，请填写被推荐人的出生日期。") % {"programme": programme.name}))
        else:
            age = full_years(candidate.birth_date, round.reference_date)
            if age > programme.max_age:
                found.append(
                    Problem(
                        "nominee_birth_date",
                        _("被推荐人在%(date)s已满%(age)s周岁，超过“%(programme)s”%(max)s周岁的年龄上限，不符合推荐条件。")
                        % {"date": chinese_date(round.reference_date), "age": age, "programme": programme.name, "max": programme.max_age},
                    )
                )

    if programme.min_title_level is not None and not programme.is_for_organizations:
        level = candidate.title_level
        if level is None or level > programme.min_title_level:
            found.append(
                Problem(
                    "nominee_title_level",
                    _("“%(programme)s”要求被推荐人具有%(min)s及以上职称，被推荐人为%(level)s。")
                    % {
                        "programme": programme.name,
                        "min": TitleLevel(programme.min_title_level).label,
                        "level": TitleLevel(level).label if level else _("未填写"),
                    },
                )
            )

    same = _same_nominee(candidate)
    if programme.repeat_ban_rounds:
        earlier = (
            Nomination.objects.filter(
                same,
                round__programme=programme,
                round__number__lt=round.number,
                round__number__gte=round.number - programme.repeat_ban_rounds,
                status=Nomination.Status.AWARDED,
            )
            .select_related("round")
            .order_by("-round__number")
            .first()
        )
        if earlier:
            found.append(
                Problem(
                    "nominee_name",
                    _("被推荐对象已获第%(number)s届“%(programme)s”（%(year)s年），按规定%(n)s届内不得重复推荐。")
                    % {
                        "number": chinese_numeral(earlier.round.number),
                        "programme": programme.name,
                        "year": earlier.round.year,
                        "n": programme.repeat_ban_rounds,
                    },
                )
            )

    duplicates = Nomination.objects.filter(same, round=round).exclude(status=Nomination.Status.INELIGIBLE)
    if exclude_nomination_id:
        duplicates = duplicates.exclude(pk=exclude_nomination_id)
    if duplicates.exists():
        found.append(Problem("nominee_name", _("被推荐对象已在本届被推荐，不能重复推荐。")))
    return found
