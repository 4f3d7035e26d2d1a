"""Staff screens for report jobs: start a report (the add form), watch its progress (the
job's page polls a small JSON endpoint), download the files, start it again."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_protect

from . import scoping
from .admin_scoping import ScopedAdminMixin
from .models import ReportJob
from .reports import services
from .reports.kinds import kind_choices
from .states import DomainError

S = ReportJob.Status


def _year_choices():
    this_year = timezone.localdate().year
    return [("", _("（按日期范围）"))] + [(y, f"{y}年") for y in range(this_year, this_year - 10, -1)]


class ReportJobRequestForm(forms.ModelForm):
    report = forms.ChoiceField(label=_("报表"), choices=kind_choices)
    year = forms.TypedChoiceField(label=_("统计年度"), choices=_year_choices, coerce=int, empty_value=None, required=False)

    class Meta:
        model = ReportJob
        fields = ["report", "year", "date_from", "date_to", "county"]
        widgets = {"date_from": forms.DateInput(attrs={"type": "date"}), "date_to": forms.DateInput(attrs={"type": "date"})}
        help_texts = {"date_from": _("填写起止日期时按日期范围统计，不再按年度。")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and "year" not in self.initial:
            self.initial["year"] = timezone.localdate().year

    def clean(self):
        data = super().clean()
        date_from, date_to = data.get("date_from"), data.get("date_to")
        if date_from and not date_to:
            self.add_error("date_to", _("请同时填写截止日期。"))
        elif date_to and not date_from:
            self.add_error("date_from", _("请同时填写起始日期。"))
        elif date_from and date_to and date_from > date_to:
            self.add_error("date_to", _("截止日期不能早于起始日期。"))
        elif not date_from and not data.get("year") and "year" not in self.errors:
            self.add_error("year", _("请选择统计年度，或填写日期范围。"))
        if not self.errors:
            try:
                services.validate_request(report=data["report"], year=data.get("year"), date_from=date_from, date_to=date_to)
            except DomainError as exc:
                raise forms.ValidationError(exc.message) from exc
        return data


class ReportKindFilter(admin.SimpleListFilter):
    title = _("报表")
    parameter_name = "report"

    def lookups(self, request, model_admin):
        return kind_choices()

    def queryset(self, request, queryset):
        return queryset.filter(report=self.value()) if self.value() else queryset


@admin.register(ReportJob)
class ReportJobAdmin(ScopedAdminMixin, admin.ModelAdmin):
    form = ReportJobRequestForm
    list_display = ["title_display", "status_badge", "progress_text", "requester", "created", "download_links"]
    list_filter = ["status", ReportKindFilter, "county"]
    search_fields = ["requested_by__username", "requested_by__first_name", "requested_by__last_name", "error"]
    list_select_related = ["requested_by", "county"]
    autocomplete_fields = ["county"]
    date_hierarchy = "created"
    list_per_page = 30
    actions = ["regenerate"]
    readonly_fields = ["title_display", "scope_display", "progress_panel", "download_links", "requester", "created", "started", "finished", "attempts"]
    add_fieldsets = [(None, {"fields": ["report", "year", "date_from", "date_to", "county"]})]
    view_fieldsets = [
        (None, {"fields": ["title_display", "scope_display", "progress_panel", "download_links"]}),
        (_("申请与执行"), {"fields": ["requester", "created", "started", "finished", "attempts"]}),
    ]

    class Media:
        css = {"all": ["association/css/dashboard.css"]}
        js = ["association/js/report-progress.js"]

    # A job is never edited: it is asked for, runs, and is read.
    def has_change_permission(self, request, obj=None):
        return False

    def get_fieldsets(self, request, obj=None):
        return self.add_fieldsets if obj is None else self.view_fieldsets

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        unit = scoping.unit_of(request.user)
        if obj is None and unit is not None and "county" in form.base_fields:
            # A unit's report counts its own subtree's work (services.request_report), not the city's.
            form.base_fields["county"].help_text = _("留空表示%(unit)s及下级单位的全部工作；选择县（区）时只统计其中该县（区）的部分。") % {
                "unit": unit.name}
        return form

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    # -- columns and read-only fields ------------------------------------------------------
    @admin.display(description=_("报表"))
    def title_display(self, obj):
        return obj.title

    @admin.display(description=_("申请人"), ordering="requested_by")
    def requester(self, obj):
        return obj.requested_by_name or _("系统（定时任务）")

    @admin.display(description=_("统计范围"))
    def scope_display(self, obj):
        return obj.scope_text

    @admin.display(description=_("状态"), ordering="status")
    def status_badge(self, obj):
        return format_html('<span class="badge report-status report-status-{}">{}</span>', obj.shown_status,
                           obj.shown_status_label)

    @admin.display(description=_("进度"))
    def progress_text(self, obj):
        if obj.shown_status == S.FAILED:
            return format_html('<span title="{}">{}</span>', obj.shown_error, _("见失败原因"))
        return f"{obj.sections_done}/{obj.sections_total}"

    @admin.display(description=_("进度"))
    def progress_panel(self, obj):
        return format_html(
            '<div class="report-progress" data-status-url="{}" data-active="{}">'
            '<progress max="100" value="{}" aria-label="{}">{}%</progress>'
            '<div class="report-progress-text" aria-live="polite">{}</div>'
            '<div class="report-error">{}</div></div>',
            reverse("reports:status", args=[obj.pk]),
            "1" if obj.is_active else "0",
            obj.percent,
            _("生成进度"),
            obj.percent,
            obj.progress_label,
            _("失败原因：%(error)s") % {"error": obj.shown_error} if obj.shown_error else "",
        )

    @admin.display(description=_("下载"))
    def download_links(self, obj):
        if obj.status != S.SUCCEEDED:
            return "—"
        return format_html_join(
            " · ",
            '<a href="{}">{}</a>',
            [(reverse("reports:download", args=[obj.pk, kind]), label) for kind, label in (("xlsx", "Excel"), ("pdf", "PDF"))
             if getattr(obj, kind)],
        )

    # -- starting a report -----------------------------------------------------------------
    # The add form asks the service for a job: a new one, or the one already running with the
    # same parameters. Django's own add flow (save the form's object, then redirect to it)
    # cannot say "this other job", so a valid form is handled here; the GET and a form with
    # errors are Django's.
    @method_decorator(csrf_protect)
    def add_view(self, request, form_url="", extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "title": _("生成统计报表"),
            "show_save_and_add_another": False,
            "show_save_and_continue": False,
        }
        if request.method == "POST" and self.has_add_permission(request):
            form = self.get_form(request)(request.POST)
            if form.is_valid():
                return self._request_report(request, form)
        return super().add_view(request, form_url, extra_context)

    def _request_report(self, request, form):
        data = form.cleaned_data
        with transaction.atomic():
            job, created = services.request_report(
                report=data["report"], year=data.get("year"), date_from=data.get("date_from"),
                date_to=data.get("date_to"), county_id=data["county"].pk if data.get("county") else None,
                user=request.user,
            )
            if created:
                self.log_addition(request, job, self.construct_change_message(request, form, None, add=True))
        if created:
            self.message_user(request, _("已开始生成“%(title)s”，完成后可在本页下载。") % {"title": job.title}, messages.SUCCESS)
        else:
            self.message_user(
                request, _("相同参数的“%(title)s”正在生成中，已为您打开该任务，无需重复申请。") % {"title": job.title},
                messages.INFO,
            )
        return redirect(reverse("admin:association_reportjob_change", args=[job.pk]))

    def save_model(self, request, obj, form, change):
        # Never reached: a job is asked for through the service (add_view) and never edited.
        raise PermissionDenied

    @admin.action(description=_("按相同参数重新生成所选报表"), permissions=["add"])
    def regenerate(self, request, queryset):
        started = existing = 0
        for job in queryset:
            _job, created = services.request_report(
                report=job.report, year=job.year, date_from=job.date_from, date_to=job.date_to, county_id=job.county_id,
                user=request.user,
            )
            started += created
            existing += not created
        message = _("已开始生成 %(n)s 份报表。") % {"n": started}
        if existing:
            message += _("另有 %(n)s 份相同参数的报表正在生成，未重复申请。") % {"n": existing}
        self.message_user(request, message, messages.SUCCESS)

    # -- deleting removes the files too ----------------------------------------------------
    def delete_model(self, request, obj):
        services.delete_jobs([obj])

    def delete_queryset(self, request, queryset):
        services.delete_jobs(queryset)
