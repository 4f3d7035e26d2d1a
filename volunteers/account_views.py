"""A volunteer's own pages under /accounts/me/: teams, roles, hours, certificates, and for
team leaders the orders dispatched to their teams."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from association import audit, extensions, scoping, two_factor
from association.models import AuditEntry
from association.privatefiles import private_file_response
from association.states import DomainError

from . import selectors
from .activities import activities_for
from .forms import ClaimQueueFilterForm, DeclineForm, HoursClaimForm, RecordHoursForm, RefuseClaimForm
from .models import HoursCertificate, HoursClaim, Membership, ServiceOrder, ServiceTeam
from .services import certificates, claims, orders, records


@never_cache
@login_required
def me(request):
    volunteer = selectors.volunteer_for_user(request.user)
    if volunteer is None:
        return render(request, "volunteers/me_none.html")
    memberships = list(selectors.memberships_of(volunteer))
    led = selectors.led_team_ids(memberships)
    page = Paginator(selectors.records_of(volunteer), 20).get_page(request.GET.get("page"))
    totals = selectors.totals_of(volunteer, year=timezone.localdate().year)
    return render(request, "volunteers/me.html", {
        "volunteer": volunteer,
        "memberships": memberships,
        "totals": totals,
        "certificate_unavailable": certificates.unavailable_reason(volunteer, confirmed_records=totals["confirmed"]),
        "monthly": selectors.monthly_hours_of(volunteer),
        "page_obj": page,
        "certificates": selectors.certificates_of(volunteer),
        "leader_orders": selectors.orders_for_leader(led) if led else [],
        "is_leader": bool(led),
        "sections": [
            {"template": entry.template, "context": entry.func(request, volunteer)} for entry in extensions.me_sections()
        ],
    })


@require_POST
@login_required
def request_certificate(request):
    volunteer = selectors.volunteer_for_user(request.user)
    if volunteer is None:
        raise Http404
    try:
        certificates.request_certificate(volunteer_id=volunteer.pk, request=request)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "证明正在生成，通常几秒钟即可完成，请稍后刷新本页下载。")
    return redirect("me:home")


@never_cache
@login_required
@two_factor.two_step_required
def download_certificate(request, pk: int):
    certificate = get_object_or_404(
        HoursCertificate.objects.select_related("volunteer"), pk=pk, status=HoursCertificate.Status.READY
    )
    owner = certificate.volunteer.user_id == request.user.pk
    # Staff with the right, and a unit's staff for their own volunteers only (another unit's: 404).
    staff = (two_factor.may_act_as_staff(request.user) and request.user.has_perm("volunteers.view_hourscertificate")
             and scoping.may_reach(request.user, certificate))
    if not (owner or staff) or not certificate.file:
        raise Http404
    if not owner:
        audit.record(AuditEntry.Action.VIEW_PERSONAL, obj=certificate, request=request, detail="工作人员下载志愿服务记录证明")
    return private_file_response(certificate.file, filename=f"志愿服务记录证明-{certificate.number}.pdf",
                                 content_type="application/pdf")


def _led_order(request, pk: int) -> ServiceOrder:
    order = get_object_or_404(ServiceOrder.objects.select_related("project", "team", "team__parent", "county"), pk=pk)
    if not orders.leads(request.user, order.team):
        raise Http404
    return order


@never_cache
@login_required
def leader_order(request, pk: int):
    """The leader's desk for one order: accept, decline, mark done, record the team's hours."""
    order = _led_order(request, pk)
    decline_form = DeclineForm(request.POST if request.POST.get("action") == "decline" else None)
    members = selectors.team_members_for_recording([order.team_id])
    hours_form = RecordHoursForm(
        request.POST if request.POST.get("action") == "hours" else None, volunteers_queryset=members,
        initial={"date": order.wanted_date if order.wanted_date <= timezone.localdate() else timezone.localdate(),
                 "title": order.project.title},
    )
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "accept":
                orders.accept(order_id=order.pk, actor=request.user, request=request)
                messages.success(request, "已接单。请按约定时间开展服务，完成后回到此页登记时长并标记完成。")
            elif action == "decline":
                if not decline_form.is_valid():
                    raise DomainError("请说明拒单的原因，便于工作人员另行派单。")
                orders.decline(order_id=order.pk, actor=request.user, reason=decline_form.cleaned_data["reason"], request=request)
                messages.info(request, "已拒单，工作人员将另行派单。")
            elif action == "complete":
                orders.complete(order_id=order.pk, actor=request.user, request=request)
                messages.success(request, "已标记为服务完成，点单单位可以评价了。")
            elif action == "hours":
                if not hours_form.is_valid():
                    raise DomainError("登记信息有误，请按提示修改。")
                d = hours_form.cleaned_data
                created = records.record_hours(
                    volunteer_ids=[v.pk for v in d["volunteers"]], hours=d["hours"], date=d["date"], title=d["title"],
                    order_id=order.pk, recorded_by=request.user,
                )
                messages.success(request, f"已为 {len(created)} 名志愿者登记服务时长，待科普部确认。")
            else:
                raise DomainError("无法办理这项操作。")
            return redirect("me:order", pk=order.pk)
        except DomainError as exc:
            messages.error(request, exc.message)
    show_contact = order.status in (ServiceOrder.Status.ACCEPTED, ServiceOrder.Status.DONE)
    if show_contact:
        audit.record(AuditEntry.Action.VIEW_PERSONAL, obj=order, request=request, detail="承接队伍负责人查看点单联系电话")
    return render(request, "volunteers/leader_order.html", {
        "order": order, "decline_form": decline_form, "hours_form": hours_form, "show_contact": show_contact,
    })


# -- 补录 -------------------------------------------------------------------------------------
@never_cache
@login_required
def claim_new(request):
    """The volunteer asks for hours that were never recorded."""
    volunteer = selectors.volunteer_for_user(request.user)
    if volunteer is None:
        raise Http404
    form = HoursClaimForm(request.POST or None, request.FILES or None, activities=activities_for(volunteer))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            claims.submit(volunteer_id=volunteer.pk, activity_key=d["activity"], date=d["date"], title=d["title"],
                          hours=d["hours"], reason=d["reason"], evidence=d["evidence"], request=request)
        except DomainError as exc:
            form.add_error("evidence" if isinstance(exc, claims.EvidenceRefused) else None, exc.message)
        else:
            messages.success(request, "补录申请已提交，队长或工作人员审核后，时长将计入您的累计服务时长。")
            return redirect(f"{reverse('me:home')}#my-claims")
    return render(request, "volunteers/claim_form.html", {"form": form, "volunteer": volunteer})


@never_cache
@login_required
def claim_queue(request):
    """A team leader's queue of their teams' claims: filter, then approve or refuse in bulk."""
    volunteer = selectors.volunteer_for_user(request.user)
    led = list(volunteer.memberships.filter(role__in=Membership.LEADER_ROLES).values_list("team_id", flat=True)) \
        if volunteer else []
    if not led:
        raise Http404
    teams = ServiceTeam.objects.filter(Q(pk__in=led) | Q(parent_id__in=led)).order_by("order", "name")
    mine = selectors.claims_for_leader(led).exclude(volunteer=volunteer)
    if request.method == "POST":
        ids = [int(i) for i in request.POST.getlist("claim") if i.isdigit()]
        chosen = list(mine.filter(pk__in=ids).values_list("pk", flat=True))
        refuse_form = RefuseClaimForm(request.POST)
        if not chosen:
            messages.error(request, "请先勾选要审核的申请。")
        elif request.POST.get("action") == "refuse" and not refuse_form.is_valid():
            messages.error(request, "请填写未通过的原因，志愿者会看到它。")
        else:
            done, refused = 0, []
            for pk in chosen:
                try:
                    if request.POST.get("action") == "refuse":
                        claims.refuse(claim_id=pk, actor=request.user, reason=refuse_form.cleaned_data["reason"],
                                      request=request)
                    else:
                        claims.approve(claim_id=pk, actor=request.user, request=request)
                except DomainError as exc:
                    refused.append(f"#{pk}：{exc.message}")
                else:
                    done += 1
            if done:
                messages.success(request, f"已审核 {done} 条补录申请。")
            for line in refused:
                messages.error(request, line)
        return redirect(request.get_full_path())
    filters = ClaimQueueFilterForm(request.GET or {"status": HoursClaim.Status.PENDING}, teams=teams)
    values = filters.cleaned_data if filters.is_valid() else {}
    rows = selectors.claim_queue(mine, status=values.get("status", ""), team_id=values.get("team"),
                                 date_from=values.get("date_from"), date_to=values.get("date_to"))
    page = Paginator(rows, 30).get_page(request.GET.get("page"))
    return render(request, "volunteers/claim_queue.html", {
        "filters": filters, "page_obj": page, "refuse_form": RefuseClaimForm(),
    })


@never_cache
@login_required
@two_factor.two_step_required
def claim_evidence(request, pk: int):
    """The evidence of a claim: for the volunteer and those who may review the claim only."""
    claim = get_object_or_404(HoursClaim.objects.select_related("volunteer", "team", "team__parent"), pk=pk)
    owner = claim.volunteer.user_id == request.user.pk
    if not claim.evidence or not (owner or claims.may_review(request.user, claim)):
        raise Http404
    if not owner:
        audit.record(AuditEntry.Action.VIEW_PERSONAL, obj=claim, request=request, detail="查看补录申请的证明材料")
    name = claim.evidence.name.rsplit(".", 1)
    extension = name[1].lower() if len(name) == 2 else ""
    types = {"pdf": "application/pdf", "png": "image/png", "jpg": "image/jpeg"}
    return private_file_response(claim.evidence, content_type=types.get(extension, "application/octet-stream"),
                                 filename=f"补录证明-{claim.pk}.{extension}", as_attachment=False)
