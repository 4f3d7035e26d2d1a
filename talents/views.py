"""Pages of the talents app: the expert directory, awards and 公示, demands, reviewers' pages.

Views read the request, call a selector or a service, and render; the rules live in
``services`` and the reads in ``selectors``.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from association import scoping, two_factor
from association.formatting import chinese_date
from association.privatefiles import private_file_response
from association.states import DomainError

from . import selectors
from .filters import DemandFilter, ExpertFilter
from .forms import DemandForm, NominationForm, ObjectionForm, ScoreForm
from .models import AwardRound, Nomination, NominationMaterial, Review, Talent, TechDemand
from .services import awards as award_services
from .services import demands as demand_services

EXPERTS_PER_PAGE = 20
DEMANDS_PER_PAGE = 20

# -- experts -----------------------------------------------------------------------------------


def expert_list(request):
    # Built and read only when the list is rendered: it is mostly kept rendered
    # (association.fragments).
    experts = SimpleLazyObject(lambda: ExpertFilter(request.GET, queryset=selectors.expert_directory(),
                                                    choices=selectors.filter_choices()))
    page = SimpleLazyObject(lambda: Paginator(experts.qs, EXPERTS_PER_PAGE).get_page(request.GET.get("page")))
    return render(
        request,
        "talents/expert_list.html",
        {"filters": experts, "page_obj": page, "facets": SimpleLazyObject(selectors.expert_facets),
         "selected": SimpleLazyObject(lambda: {name: experts.raw(name) for name in experts.filters})},
    )


def expert_detail(request, pk):
    talent = get_object_or_404(Talent.objects.public().select_related("field", "committee", "county"), pk=pk)
    honours = (
        talent.nominations.filter(status=Nomination.Status.AWARDED)
        .select_related("round__programme")
        .order_by("-round__year")
    )
    return render(request, "talents/expert_detail.html", {"talent": talent, "honours": honours})


# -- awards ------------------------------------------------------------------------------------


def award_index(request):
    return render(
        request,
        "talents/award_index.html",
        {
            "programmes": selectors.programmes_with_rounds(),
            "notices": [r for r in selectors.latest_notices(10) if r.notice_running()],
            "open_rounds": AwardRound.objects.filter(status=AwardRound.Status.NOMINATING).select_related("programme"),
        },
    )


def round_detail(request, pk):
    award_round = get_object_or_404(
        AwardRound.objects.exclude(status=AwardRound.Status.PREPARING).select_related("programme"), pk=pk
    )
    people = selectors.round_list_for_notice(award_round)
    show_list = award_round.status in (AwardRound.Status.PUBLICISING, AwardRound.Status.ANNOUNCED)
    return render(
        request,
        "talents/round_detail.html",
        {"round": award_round, "people": people if show_list else [], "show_list": show_list,
         "round_title": str(award_round), "share_description": _share_description(award_round)},
    )


def _share_description(award_round) -> str:
    """What a shared link to a round says under its title: the 公示 period while it runs."""
    if award_round.status == AwardRound.Status.PUBLICISING and award_round.notice_starts and award_round.notice_ends:
        return _("公示期：%(start)s至%(end)s。公示期间，任何单位和个人可对公示对象提出异议。") % {
            "start": chinese_date(award_round.notice_starts), "end": chinese_date(award_round.notice_ends)}
    return award_round.programme.description or str(award_round.programme)


@require_http_methods(["GET", "POST"])
def nominate(request, pk):
    award_round = get_object_or_404(AwardRound.objects.select_related("programme"), pk=pk)
    if not award_round.accepts_nominations():
        messages.warning(request, _("%(round)s当前不接受推荐。") % {"round": award_round})
        return redirect("talents:round", pk=award_round.pk)
    if award_round.allots_places:
        messages.info(request, award_services.NOMINATED_BY_UNITS % {"round": award_round})
        return redirect("talents:round", pk=award_round.pk)
    form = NominationForm(request.POST or None, request.FILES or None, award_round=award_round, request=request)
    if request.method == "POST" and form.is_valid():
        try:
            nomination = award_services.submit_nomination(**form.service_kwargs(), actor=request.user, request=request,
                                                          public=True)
        except DomainError as error:
            form.add_refusal(error)
        else:
            request.session["talents:last_nomination"] = nomination.pk
            return redirect("talents:nominate_done", pk=award_round.pk)
    return render(request, "talents/nominate.html", {"round": award_round, "form": form})


def nominate_done(request, pk):
    nomination_id = request.session.get("talents:last_nomination")
    nomination = get_object_or_404(
        Nomination.objects.select_related("round__programme", "nominating_unit"), pk=nomination_id or 0, round_id=pk
    )
    return render(request, "talents/nominate_done.html", {"nomination": nomination})


@require_http_methods(["GET", "POST"])
def objection(request, pk):
    award_round = get_object_or_404(AwardRound.objects.select_related("programme"), pk=pk)
    if not award_round.notice_running():
        messages.warning(request, _("%(round)s不在公示期内。") % {"round": award_round})
        return redirect("talents:round", pk=award_round.pk)
    form = ObjectionForm(request.POST or None, award_round=award_round, request=request)
    if request.method == "POST" and form.is_valid():
        try:
            award_services.raise_objection(round_id=award_round.pk, request=request, **form.service_kwargs())
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("您的异议已受理。我们将在调查核实后与您联系，并对您的信息严格保密。"))
            return redirect("talents:round", pk=award_round.pk)
    return render(request, "talents/objection.html", {"round": award_round, "form": form})


# -- demands -----------------------------------------------------------------------------------


def demand_list(request):
    demands = DemandFilter(request.GET, queryset=selectors.published_demands())
    page = Paginator(demands.qs, DEMANDS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "talents/demand_list.html",
        {"filters": demands, "page_obj": page, "figures": selectors.demand_figures(),
         "selected": {name: demands.raw(name) for name in demands.filters}},
    )


def demand_detail(request, pk):
    demand = get_object_or_404(
        TechDemand.objects.filter(status__in=TechDemand.PUBLIC_STATES).select_related("county").prefetch_related("fields"),
        pk=pk,
    )
    return render(request, "talents/demand_detail.html", {"demand": demand})


@require_http_methods(["GET", "POST"])
def demand_new(request):
    form = DemandForm(request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        demand = demand_services.post_demand(request=request, **form.service_kwargs())
        request.session["talents:last_demand"] = demand.pk
        return redirect("talents:demand_thanks")
    return render(request, "talents/demand_form.html", {"form": form})


def demand_thanks(request):
    demand = get_object_or_404(TechDemand, pk=request.session.get("talents:last_demand") or 0)
    return render(request, "talents/demand_thanks.html", {"demand": demand})


# -- reviewers ---------------------------------------------------------------------------------


@login_required
@permission_required("talents.review_nomination", raise_exception=True)
def review_list(request):
    reviews = selectors.reviewer_assignments(request.user)
    page = Paginator(reviews, 30).get_page(request.GET.get("page"))
    done = reviews.filter(score__isnull=False).count()
    return render(request, "talents/review_list.html", {"page_obj": page, "done": done, "total": page.paginator.count})


@login_required
@permission_required("talents.review_nomination", raise_exception=True)
@require_http_methods(["GET", "POST"])
def review_detail(request, pk):
    # Only the reviewer's own assignment is found; anyone else's is a 404.
    review = get_object_or_404(selectors.reviewer_assignments(request.user), pk=pk)
    nomination = review.nomination
    form = ScoreForm(request.POST or None, initial={"score": review.score, "comment": review.comment})
    if request.method == "POST" and form.is_valid():
        try:
            award_services.submit_score(review_id=review.pk, actor=request.user, request=request, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("评分已保存：%(name)s，%(score)s 分。") % {"name": nomination.nominee_name, "score": form.cleaned_data["score"]})
            return redirect("talents:review_list")
    return render(
        request,
        "talents/review_detail.html",
        {
            "review": review,
            "nomination": nomination,
            "materials": nomination.materials.all(),
            "form": form,
            "can_score": nomination.review_open,
        },
    )


@never_cache
@login_required
@two_factor.two_step_required
def material_download(request, pk):
    """Nomination materials: to staff who may see the nomination (a unit's staff: their own
    unit's and the units' below it only), and to the reviewers assigned."""
    material = get_object_or_404(NominationMaterial.objects.select_related("nomination"), pk=pk)
    allowed = (
        two_factor.may_act_as_staff(request.user)
        and request.user.has_perm("talents.view_nomination")
        and scoping.may_reach(request.user, material)
    ) or (
        request.user.has_perm("talents.review_nomination")
        and Review.objects.filter(nomination_id=material.nomination_id, reviewer=request.user).exists()
    )
    if not allowed:
        raise Http404
    # Always a download: a material is never rendered by the browser at the portal's address.
    return private_file_response(material.file, content_type=material.content_type, filename=material.original_name)


def search_redirect(request):
    """Keep old-style links working: /talents/ → the expert directory."""
    return redirect(reverse("talents:experts"))

