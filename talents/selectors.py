"""Reads of the talents app: the public directory, rankings, reviewers' lists, demands."""

from django.core.cache import cache
from django.db.models import (
    Case,
    Count,
    DecimalField,
    F,
    FilteredRelation,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Cast, Collate, Round, RowNumber
from django.utils.translation import gettext_lazy as _

from association import scoping
from association.models import County
from association.selectors import count_of
from volunteers.models import ServiceTeam

from .models import (
    AwardProgramme,
    AwardRound,
    DoctorsCommittee,
    Field,
    Match,
    Nomination,
    Registry,
    Review,
    Talent,
    TechDemand,
)

# Chinese names sort by pinyin (ICU collation), as people expect in a directory.
PINYIN = "zh-x-icu"

# -- expert directory ----------------------------------------------------------------------


def expert_directory():
    """The public profiles as the directory lists them (``filters.ExpertFilter`` narrows them)."""
    return Talent.objects.public().select_related("field", "committee").order_by("title_level", Collate("name", PINYIN), "id")


FACETS_CACHE_KEY = "talents:expert-facets"
CHOICES_CACHE_KEY = "talents:filter-choices"


def filter_choices() -> dict[str, list[tuple[int, str]]]:
    """The short reference lists the filters offer (fields, committees, counties); cached."""
    choices = cache.get(CHOICES_CACHE_KEY)
    if choices is None:
        choices = {
            "field": list(Field.objects.values_list("pk", "name")),
            "committee": list(DoctorsCommittee.objects.values_list("pk", "name")),
            "county": list(County.objects.values_list("pk", "name")),
        }
        cache.set(CHOICES_CACHE_KEY, choices, 300)
    return choices


def expert_facets() -> dict:
    """Counts for the directory's side lists, over public profiles; cached for five minutes."""
    facets = cache.get(FACETS_CACHE_KEY)
    if facets is None:
        public = Talent.objects.public()
        by_field = dict(public.values_list("field").annotate(n=Count("id")).order_by())
        registries = public.aggregate(
            pool=Count("id", filter=Q(in_expert_pool=True)),
            doctors=Count("id", filter=Q(in_doctors_association=True)),
            haizhi=Count("id", filter=Q(is_haizhi=True)),
            total=Count("id"),
        )
        facets = {
            "fields": [{"id": f.pk, "name": f.name, "count": by_field.get(f.pk, 0)} for f in Field.objects.all()],
            "registries": [{"value": v, "label": str(label), "count": registries[v]} for v, label in Registry.choices],
            "total": registries["total"],
        }
        cache.set(FACETS_CACHE_KEY, facets, 300)
    return facets


# -- awards ---------------------------------------------------------------------------------

RANKING_RULE = _(
    "排名规则：每份推荐的最终得分取评审专家已提交评分的平均分；有效评分达到 5 份及以上时，"
    "先去掉一个最高分和一个最低分，再取平均分。最终得分保留两位小数，按从高到低排名。"
    "得分相同时，依次按以下规则排序：① 全部有效评分的平均分高者在前；② 有效评分份数多者在前；"
    "③ 推荐提交时间早者在前。尚无评分的推荐排在最后。"
)


def round_ranking(round_id: int):
    """The ranking of a round, computed in the database (see ``RANKING_RULE``).

    Rows are dicts: id, nominee_name, nominee_employer, achievement_title, nominating_unit_id,
    status, n_scores, mean_score, final_score, rank. Only nominations that reached review are
    ranked. The reviews are joined through their copied round, so only this round's are read.
    """
    decimal = DecimalField(max_digits=7, decimal_places=2)
    scored = (
        Nomination.objects.filter(round_id=round_id, status__in=Nomination.RANKED_STATES)
        .annotate(scores=FilteredRelation("reviews", condition=Q(reviews__round_id=round_id)))
        .annotate(
            n_scores=Count("scores__score"),
            total=Sum("scores__score"),
            top=Max("scores__score"),
            bottom=Min("scores__score"),
        )
    )
    plain_mean = Round(Cast(F("total"), DecimalField(max_digits=9, decimal_places=4)) / F("n_scores"), 2)
    trimmed_mean = Round(
        Cast(F("total") - F("top") - F("bottom"), DecimalField(max_digits=9, decimal_places=4)) / (F("n_scores") - 2), 2
    )
    return (
        scored.annotate(
            mean_score=Case(When(n_scores__gt=0, then=plain_mean), default=Value(None), output_field=decimal),
            final_score=Case(
                When(n_scores__gte=5, then=trimmed_mean),
                When(n_scores__gt=0, then=plain_mean),
                default=Value(None),
                output_field=decimal,
            ),
        )
        .annotate(
            rank=Window(
                RowNumber(),
                order_by=[
                    F("final_score").desc(nulls_last=True),
                    F("mean_score").desc(nulls_last=True),
                    F("n_scores").desc(),
                    F("submitted_at").asc(),
                    F("id").asc(),
                ],
            )
        )
        .values(
            "id", "nominee_name", "nominee_employer", "achievement_title", "nominating_unit_id", "status", "n_scores",
            "mean_score", "final_score", "rank",
        )
        .order_by("rank")
    )


def ranking_counts(round_id: int) -> dict[str, int]:
    """How many nominations the ranking holds (without computing it) and how many places are taken."""
    places = [Nomination.Status.SHORTLISTED, Nomination.Status.PUBLICISED, Nomination.Status.AWARDED]
    return Nomination.objects.filter(round_id=round_id).aggregate(
        ranked=Count("id", filter=Q(status__in=Nomination.RANKED_STATES)),
        taken=Count("id", filter=Q(status__in=places)),
    )


def public_rounds():
    """Rounds the public may see (all but those still being prepared), newest first."""
    return (
        AwardRound.objects.exclude(status=AwardRound.Status.PREPARING)
        .select_related("programme")
        # Counted on the (round, status) index rather than by a JOIN over every nomination
        # with GROUP BY: at 30,000 nominations that is the difference of 28 ms to 1 ms.
        .annotate(
            n_awarded=count_of(Nomination.objects.filter(round=OuterRef("pk"), status=Nomination.Status.AWARDED), "round"),
            n_publicised=count_of(Nomination.objects.filter(round=OuterRef("pk"), status=Nomination.Status.PUBLICISED), "round"),
        )
        .order_by("-year", "programme__order", "-number")
    )



def programmes_with_rounds():
    return AwardProgramme.objects.prefetch_related(Prefetch("rounds", queryset=public_rounds()))


def round_list_for_notice(award_round: AwardRound):
    """The people (or societies) on a round's public page: on notice, or the winners once announced."""
    status = Nomination.Status.AWARDED if award_round.status == AwardRound.Status.ANNOUNCED else Nomination.Status.PUBLICISED
    return (
        award_round.nominations.filter(status=status)
        .select_related("nominating_unit", "nominee_field")
        .order_by(Collate("nominee_name", PINYIN), "id")
    )


def latest_notices(limit: int = 5):
    return (
        AwardRound.objects.filter(status__in=[AwardRound.Status.PUBLICISING, AwardRound.Status.ANNOUNCED])
        .select_related("programme")
        .order_by("-notice_starts", "-id")[:limit]
    )


def reviewer_assignments(user):
    """What one reviewer was given, and nothing else: the ones still to score first."""
    return (
        Review.objects.filter(reviewer=user)
        .select_related("nomination__round__programme", "nomination__nominating_unit", "nomination__nominee_field")
        .order_by(F("scored_at").asc(nulls_first=True), "-assigned_at", "id")
    )


# -- demands ----------------------------------------------------------------------------------


def published_demands():
    """The demands the public may read, newest first (``filters.DemandFilter`` narrows them)."""
    return (
        TechDemand.objects.filter(status__in=TechDemand.PUBLIC_STATES)
        .select_related("county")
        .prefetch_related("fields")
        .order_by("-published_at", "-id")
    )


# The figures above the public list of demands, in the words its readers use.
DEMAND_FIGURES = (
    (TechDemand.Status.PUBLISHED, _("待对接")),
    (TechDemand.Status.MATCHED, _("对接中")),
    (TechDemand.Status.SOLVED, _("已解决")),
)


def demand_figures() -> list[tuple[str, int]]:
    """(label, count) of the public demands in each state, with one query."""
    counts = dict(
        TechDemand.objects.filter(status__in=TechDemand.PUBLIC_STATES).values_list("status").annotate(n=Count("id")).order_by()
    )
    return [(label, counts.get(status, 0)) for status, label in DEMAND_FIGURES]


def suggest_experts(demand: TechDemand, limit: int = 10):
    """Experts whose field is one of the demand's: the expert pool first, senior titles first,
    those with fewer 对接 under way first; experts already matched to it are left out."""
    field_ids = list(demand.fields.values_list("pk", flat=True))
    if not field_ids:
        return Talent.objects.none()
    busy = Q(matches__outcome__in=[Match.Outcome.PROPOSED, Match.Outcome.IN_CONTACT])
    return (
        Talent.objects.filter(field_id__in=field_ids)
        .exclude(matches__demand=demand)
        .select_related("field")
        .annotate(open_matches=Count("matches", filter=busy))
        .order_by("-in_expert_pool", "title_level", "open_matches", "name", "id")[:limit]
    )


def suggest_teams(demand: TechDemand, limit: int = 5, user=None):
    """Active service teams whose field names one of the demand's fields (for a unit's staff,
    the teams of their unit and the units below it)."""
    names = list(demand.fields.values_list("name", flat=True))
    if not names:
        return ServiceTeam.objects.none()
    fits = Q()
    for name in names:
        fits |= Q(field__icontains=name) | Q(name__icontains=name)
    return (
        scoping.scope(ServiceTeam.objects.all(), user).filter(fits, is_active=True)
        .exclude(demand_matches__demand=demand)
        .order_by("order", "name")[:limit]
    )
