"""A volunteer's rights over their own data, under /accounts/me/: download a copy, edit the
profile, ask for a correction or a real-name change, close the account. Sensitive steps
(the download, the closing) ask for the password again."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_ratelimit.core import is_ratelimited

from association.states import DomainError

from . import consents, selectors
from .models import ChangeRequest, Volunteer
from .rights_forms import CorrectionForm, DeleteAccountForm, DownloadForm, ProfileForm, RealNameForm
from .services import rights

# Downloads of one's own data per account and hour: enough for a person, not for a script.
DOWNLOAD_RATE = "5/h"
CONTENT_TYPES = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                 "json": "application/json; charset=utf-8"}


def _submitted(request, form, action, done: str) -> bool:
    """A valid POSTed ``form`` runs ``action(cleaned_data)`` (a service call): True with
    ``done`` said when it went through; the service's refusal is shown on the form, with
    everything typed kept."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        action(form.cleaned_data)
    except DomainError as exc:
        form.add_error(None, exc.message)
        return False
    messages.success(request, done)
    return True


def _own_volunteer(request) -> Volunteer:
    volunteer = selectors.volunteer_for_user(request.user)
    if volunteer is None or volunteer.status == Volunteer.Status.DELETED:
        raise Http404
    return volunteer


@never_cache
@login_required
@sensitive_post_parameters("password")
def download(request):
    volunteer = _own_volunteer(request)
    form = DownloadForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        if is_ratelimited(request, group="me-data-download", key="user", rate=DOWNLOAD_RATE, increment=True):
            form.add_error(None, "一小时内下载次数过多，请稍后再试。")
        else:
            fmt = form.cleaned_data["fmt"]
            data = rights.export_own_data(volunteer_id=volunteer.pk, fmt=fmt, request=request)
            stamp = timezone.localtime().strftime("%Y%m%d")
            response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
            response["Content-Disposition"] = (
                f"attachment; filename=\"my-data-{stamp}.{fmt}\"; "
                f"filename*=UTF-8''%E6%88%91%E7%9A%84%E4%B8%AA%E4%BA%BA%E4%BF%A1%E6%81%AF-{stamp}.{fmt}"
            )
            return response
    return render(request, "volunteers/rights/download.html", {"form": form, "volunteer": volunteer})


@never_cache
@login_required
@sensitive_post_parameters("mobile")
def profile(request):
    volunteer = _own_volunteer(request)
    form = ProfileForm(request.POST or None, initial=ProfileForm.initial_for(volunteer))
    if _submitted(request, form, lambda d: rights.update_profile(volunteer_id=volunteer.pk, data=d, request=request),
                  "资料已保存。"):
        return redirect("me:home")
    return render(request, "volunteers/rights/profile.html", {"form": form, "volunteer": volunteer})


@never_cache
@login_required
def correction(request):
    volunteer = _own_volunteer(request)
    form = CorrectionForm(request.POST or None)
    if _submitted(request, form, lambda d: rights.request_change(
            volunteer_id=volunteer.pk, kind=ChangeRequest.Kind.CORRECTION, message=d["message"], request=request),
            "更正申请已提交，工作人员核实后处理，处理结果显示在本页“我的数据”一栏。"):
        return redirect("me:home")
    return render(request, "volunteers/rights/correction.html", {"form": form, "volunteer": volunteer})


@never_cache
@login_required
@sensitive_post_parameters("new_id_number")
def real_name(request):
    volunteer = _own_volunteer(request)
    form = RealNameForm(request.POST or None)
    if _submitted(request, form, lambda d: rights.request_change(
            volunteer_id=volunteer.pk, kind=ChangeRequest.Kind.REAL_NAME, message=d["message"], new_name=d["new_name"],
            new_id_number=d["new_id_number"], id_number_consent=d["id_consent"], request=request),
            "实名信息变更申请已提交，工作人员审核通过后生效。"):
        return redirect("me:home")
    return render(request, "volunteers/rights/real_name.html", {
        "form": form, "volunteer": volunteer, "id_consent_version": consents.ID_NUMBER_CONSENT_VERSION,
    })


@require_POST
@login_required
def withdraw_id_consent(request):
    volunteer = _own_volunteer(request)
    if request.POST.get("confirm") != "on":
        messages.error(request, "请勾选确认后再撤回。")
        return redirect("me:home")
    try:
        rights.withdraw_id_number_consent(volunteer_id=volunteer.pk, request=request)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已撤回同意，您的身份证号已删除；志愿服务记录证明上将不再显示身份证号。")
    return redirect("me:home")


@never_cache
@login_required
@sensitive_post_parameters("password")
def delete_account(request):
    volunteer = _own_volunteer(request)
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            rights.delete_account(volunteer_id=volunteer.pk, request=request)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            logout(request)
            return render(request, "volunteers/rights/deleted.html")
    return render(request, "volunteers/rights/delete.html", {
        "form": form, "volunteer": volunteer, "retention": rights_retention(),
    })


def rights_retention() -> dict:
    from .services.registration import retention_periods

    return retention_periods()
