"""Public pages of the volunteers app: teams, registration, projects, ordering, verification."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from association import audit
from association.models import AuditEntry
from association.states import DomainError

from . import consents, selectors
from .forms import OrderForm, RatingForm, RegistrationForm, VerifyForm
from .models import ServiceOrder, ServiceProject
from .services import certificates, orders, registration


def notice_context() -> dict:
    """What the privacy notice and the consent texts quote: their versions and the periods."""
    return {
        "consent_version": consents.PRIVACY_NOTICE_VERSION, "id_consent_version": consents.ID_NUMBER_CONSENT_VERSION,
        "guardian_version": consents.GUARDIAN_STATEMENT_VERSION, "retention": registration.retention_periods(),
        "guardian_age": consents.GUARDIAN_AGE,
        # Only while the association lets children under 14 register (VOLUNTEER_MIN_AGE).
        "guardian_possible": consents.volunteer_min_age() < consents.GUARDIAN_AGE,
    }


def teams(request):
    tree = selectors.team_tree()
    return render(request, "volunteers/teams.html", {"tree": tree})


@never_cache
@sensitive_post_parameters("id_number", "phone", "guardian_mobile", "password1", "password2")
def register(request):
    if request.user.is_authenticated and selectors.volunteer_for_user(request.user):
        return redirect("me:home")
    form = RegistrationForm(request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        # The same answer whether or not the ID number, mobile or e-mail was registered
        # before (the first owner is told by e-mail): the page never says who is registered.
        registration.register_volunteer(
            data=form.volunteer_data(), password=form.cleaned_data["password1"],
            wished_teams=form.cleaned_data["teams"], given=form.consents(), request=request,
        )
        return redirect("volunteers:register_done")
    return render(request, "volunteers/register.html", {"form": form, **notice_context()})


def register_done(request):
    return render(request, "volunteers/register_done.html")


def privacy_notice(request):
    return render(request, "volunteers/privacy.html", notice_context())


def projects(request):
    page = Paginator(selectors.published_projects(), 12).get_page(request.GET.get("page"))
    return render(request, "volunteers/projects.html", {"page_obj": page})


@never_cache
@sensitive_post_parameters("contact_phone")
def order_project(request, pk: int):
    project = get_object_or_404(
        ServiceProject.objects.published().select_related("team", "team__parent"), pk=pk
    )
    form = OrderForm(request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        try:
            order = orders.place_order(project_id=project.pk, data=form.order_data(), request=request)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "点单已提交。请收藏本页地址，凭它查看派单、接单进度，服务完成后在此评价。")
            return redirect("volunteers:order_status", token=order.token)
    return render(request, "volunteers/order_form.html", {"project": project, "form": form})


@never_cache
def order_status(request, token: str):
    order = selectors.order_by_token(token)
    if order is None:
        raise Http404
    rating_form = RatingForm(request.POST or None) if order.status == ServiceOrder.Status.DONE else None
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "rate" and rating_form is not None:
                if rating_form.is_valid():
                    orders.rate(order_id=order.pk, rating=rating_form.cleaned_data["rating"],
                                comment=rating_form.cleaned_data["comment"], request=request)
                    messages.success(request, "感谢您的评价！")
                    return redirect("volunteers:order_status", token=token)
            elif action == "cancel":
                orders.cancel(order_id=order.pk, reason="点单单位撤销", request=request)
                messages.info(request, "点单已撤销。")
                return redirect("volunteers:order_status", token=token)
            else:
                raise DomainError("无法办理这项操作。")
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("volunteers:order_status", token=token)
    history = [e for e in audit.history(order) if e.action in (AuditEntry.Action.TRANSITION, AuditEntry.Action.CREATE)]
    return render(request, "volunteers/order_status.html", {
        "order": order, "rating_form": rating_form, "history": list(reversed(history)),
        "can_cancel": order.status in (ServiceOrder.Status.SUBMITTED, ServiceOrder.Status.DISPATCHED),
    })


@never_cache
def certificate_verify(request, code: str = ""):
    form = VerifyForm(request.GET or None, initial={"code": code})
    value = code or (request.GET.get("code", "") if form.is_valid() else "")
    certificate = certificates.verify(value) if value else None
    return render(request, "volunteers/verify.html", {
        "form": form, "checked": bool(value), "certificate": certificate,
    })
