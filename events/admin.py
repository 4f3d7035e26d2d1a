"""Staff screens: events with their outcomes and photos, sign-ups, roster exports.

Statuses change only through actions that call the services (so every change is checked
against the transition tables, counted on the event and recorded in the audit log).

A unit's staff work their own unit's events and those of the units below it
(``ScopedAdminMixin``): the organiser is one of those units, the teams taking part are the
unit's own (a team already named on the event stays). The partners (协办/承办单位) may be
any organisation of the directory, as on the public page: naming a partner gives neither
side any right over the other's work, and an event co-hosted with a 学会 or a city
department must stay editable by the county that runs it.
"""

from django.contrib import admin, messages
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from association import audit, scoping
from association.admin_actions import ServiceActionsMixin, service_action
from association.admin_masking import MaskedFieldsMixin
from association.admin_scoping import ScopedAdminMixin
from association.formatting import chinese_datetime
from association.models import AuditEntry, Organization

from .forms import CancelEventForm
from .models import Event, EventOutcome, EventPhoto, Registration, RosterExport, ServiceAttendance
from .services import events as event_services
from .services import exports
from .services import registrations as registration_services


class EventOutcomeInline(admin.StackedInline):
    model = EventOutcome
    extra = 0
    max_num = 1
    can_delete = False
    fieldsets = [
        (None, {"fields": [("activities_held", "participants", "beneficiaries", "materials_distributed"),
                           ("projects_signed", "contract_value", "technologies_promoted"), "notes"]}),
    ]


class EventPhotoInline(admin.TabularInline):
    model = EventPhoto
    extra = 0
    fields = ["image", "caption", "order"]


class PartnersWidget(AutocompleteSelectMultiple):
    """The partners' autocomplete, answered by the event admin from the whole directory."""

    def get_url(self):
        return reverse("admin:events_event_partners_autocomplete")


class PartnersAutocompleteView(AutocompleteJsonView):
    """Any organisation of the directory by name (the directory is public), for whoever may
    add or change events; the organisations' own admin answers only with a unit's subtree."""

    event_admin = None

    def process_request(self, request):
        # Always the partners field, whatever the request names.
        field = Event._meta.get_field("partners")
        return request.GET.get("term", ""), self.admin_site.get_model_admin(Organization), field, "id"

    def has_perm(self, request, obj=None):
        return self.event_admin.has_add_permission(request) or self.event_admin.has_change_permission(request)

    def get_queryset(self):
        queryset = Organization.objects.all()
        queryset, may_have_duplicates = self.model_admin.get_search_results(self.request, queryset, self.term)
        return queryset.distinct() if may_have_duplicates else queryset


@admin.register(Event)
class EventAdmin(ScopedAdminMixin, ServiceActionsMixin, admin.ModelAdmin):
    list_display = ["title", "kind", "start_display", "county", "status", "seats_display", "waitlisted_count",
                    "checked_in_count"]
    list_filter = ["status", "kind", "county", "registration_open", "needs_approval"]
    search_fields = ["title", "venue", "series", "organiser__name"]
    autocomplete_fields = ["organiser", "partners", "teams", "county"]
    list_select_related = ["county", "organiser"]
    date_hierarchy = "start"
    list_per_page = 50
    inlines = [EventOutcomeInline, EventPhotoInline]
    readonly_fields = ["status", "published_at", "cancellation_reason", "seats_taken", "waitlisted_count",
                       "pending_count", "checked_in_count", "manage_links"]
    fieldsets = [
        (None, {"fields": ["title", ("kind", "for_youth"), "series", "summary", "description", "cover"]}),
        (gettext_lazy("时间与地点"), {"fields": [("start", "end"), "venue", "county"]}),
        (gettext_lazy("主办与参与"), {"fields": ["organiser", "partners", "teams"]}),
        (gettext_lazy("报名设置"), {"fields": ["registration_open", ("capacity", "registration_deadline"),
                                           ("waiting_list", "needs_approval")]}),
        (gettext_lazy("状态与报名情况"), {"fields": [("status", "published_at"), "cancellation_reason",
                                              ("seats_taken", "waitlisted_count", "pending_count", "checked_in_count"),
                                              "manage_links"]}),
    ]
    actions = ["publish", "cancel", "finish", "copy", "export_roster", "export_roster_unmasked"]

    @admin.display(description=gettext_lazy("开始时间"), ordering="start")
    def start_display(self, obj):
        return chinese_datetime(obj.start)

    @admin.display(description=gettext_lazy("已报名/名额"))
    def seats_display(self, obj):
        return f"{obj.seats_taken}/{obj.capacity if obj.capacity is not None else '不限'}"

    @admin.display(description=gettext_lazy("相关页面"))
    def manage_links(self, obj):
        if not obj.pk:
            return "—"
        links = [
            (obj.get_absolute_url(), _("公开页面")),
            (reverse("events:check_in", args=[obj.pk]), _("现场签到")),
            (reverse("admin:events_registration_changelist") + f"?event__id__exact={obj.pk}", _("报名名单")),
        ]
        if obj.teams.exists():
            # Volunteers check themselves in at an event their teams serve at (with its QR).
            links.append((reverse("events:service_qr", args=[obj.pk]), _("志愿者签到二维码")))
        return format_html_join(" · ", '<a href="{}">{}</a>', links)

    def get_urls(self):
        view = PartnersAutocompleteView.as_view(admin_site=self.admin_site, event_admin=self)
        return [
            path("partners-autocomplete/", self.admin_site.admin_view(view), name="events_event_partners_autocomplete"),
            *super().get_urls(),
        ]

    def get_inline_instances(self, request, obj=None):
        # Outcomes and photos a unit's staff only read: no empty section where there is
        # nothing yet to read (a new event, or one without an outcome or photos).
        return [
            inline for inline in super().get_inline_instances(request, obj)
            if inline.has_add_permission(request, obj)
            or (obj is not None and inline.get_queryset(request).filter(event=obj).exists())
        ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        request._events_editing = obj  # the teams already chosen stay on offer (formfield_for_manytomany)
        return super().get_form(request, obj, change, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        unscoped = super(ScopedAdminMixin, self).formfield_for_manytomany  # the choices are decided here
        if db_field.name == "partners":
            # Any organisation of the directory (see the module's docstring).
            kwargs["widget"] = PartnersWidget(db_field, self.admin_site, using=kwargs.get("using"))
            return unscoped(db_field, request, **kwargs)
        editing = getattr(request, "_events_editing", None)
        if db_field.name == "teams" and editing is not None and scoping.is_unit_staff(request.user):
            # A team the city (or another unit) put on the event stays on it when the unit
            # saves the event; the unit may take it off, and add only its own teams.
            teams = db_field.related_model._default_manager.all()
            kwargs["queryset"] = teams.filter(
                Q(pk__in=scoping.scope(teams, request.user).values("pk")) | Q(pk__in=editing.teams.values("pk")))
            return unscoped(db_field, request, **kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None and request.method == "POST":
            # The admin's change view runs in one transaction: holding the row from here to
            # the save keeps sign-ups out while the form is checked and written.
            obj = event_services.hold_for_change(event_id=obj.pk)
        return obj

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        if change and {"capacity", "waiting_list"} & set(form.changed_data):
            promoted = event_services.settings_changed(event_id=obj.pk, actor=request.user, request=request)
            if promoted:
                self.message_user(request, _("名额增加，已从候补名单递补 %(n)s 人。") % {"n": len(promoted)})
        audit.record(AuditEntry.Action.CHANGE if change else AuditEntry.Action.CREATE, actor=request.user, obj=obj,
                     detail="、".join(form.changed_data)[:200], request=request)

    publish = service_action(event_services.publish, "event_id", description=gettext_lazy("发布所选活动"),
                             done=gettext_lazy("已发布 %(n)s 项活动。"))

    finish = service_action(event_services.finish, "event_id", description=gettext_lazy("标记为已结束"),
                            done=gettext_lazy("已将 %(n)s 项活动标记为已结束。"))

    cancel = service_action(
        event_services.cancel, "event_id", description=gettext_lazy("取消所选活动（通知已报名者）"),
        done=gettext_lazy("已取消 %(n)s 项活动，系统正在给已报名者发送通知邮件。"), form=CancelEventForm, confirm={
            "title": gettext_lazy("取消活动"),
            "intro": gettext_lazy("以下活动将被取消，已报名（含候补、待审核）且留有邮箱的人会收到取消通知邮件："),
            "template": "events/admin/cancel_confirmation.html", "submit_label": gettext_lazy("确认取消活动")})

    @admin.action(description=gettext_lazy("复制为新活动（草稿）"), permissions=["add"])
    def copy(self, request, queryset):
        copies = [event_services.copy(event_id=pk, actor=request.user, request=request)
                  for pk in queryset.values_list("pk", flat=True)]
        if len(copies) == 1:
            self.message_user(request, _("已复制为草稿，请修改时间后发布。"), messages.SUCCESS)
            return HttpResponseRedirect(reverse("admin:events_event_change", args=[copies[0].pk]))
        self.message_user(request, _("已复制 %(n)s 项活动为草稿。") % {"n": len(copies)}, messages.SUCCESS)
        return None

    def _export(self, request, queryset, unmasked):
        if queryset.count() != 1:
            self.message_user(request, _("请只选择一项活动导出名单。"), messages.WARNING)
            return None
        export = exports.request_roster(event_id=queryset.values_list("pk", flat=True).first(), user=request.user, unmasked=unmasked,
                                        request=request)
        return HttpResponseRedirect(export.get_absolute_url())

    @admin.action(description=gettext_lazy("导出报名名单（手机号码遮蔽）"), permissions=["view_registration"])
    def export_roster(self, request, queryset):
        return self._export(request, queryset, unmasked=False)

    @admin.action(description=gettext_lazy("导出报名名单（完整手机号码，记录审计）"), permissions=["view_personal_data"])
    def export_roster_unmasked(self, request, queryset):
        return self._export(request, queryset, unmasked=True)

    def has_view_registration_permission(self, request):
        return request.user.has_perm("events.view_registration")

    def has_view_personal_data_permission(self, request):
        return request.user.has_perm(exports.PERSONAL_DATA_PERMISSION)


@admin.register(Registration)
class RegistrationAdmin(ScopedAdminMixin, MaskedFieldsMixin, ServiceActionsMixin, admin.ModelAdmin):
    masked_fields = {"mobile": exports.PERSONAL_DATA_PERMISSION, "guardian_mobile": exports.PERSONAL_DATA_PERMISSION}
    masked_view_detail = gettext_lazy("查看报名者完整手机号码")
    list_display = ["name", "masked_mobile", "event_link", "status", "organization", "created_display",
                    "checked_in_at"]
    list_filter = ["status", "event__kind"]
    search_fields = ["name", "organization", "email", "event__title"]
    search_help_text = gettext_lazy("可按姓名、单位、邮箱、活动名称搜索，或输入完整手机号码精确查找。")
    list_select_related = ["event"]
    list_per_page = 50
    fields = ["event_link", "name", "mobile", "email", "organization", "guardian_name", "guardian_mobile",
              "guardian_statement_version", "status", "check_in_code", "created", "confirmed_at", "checked_in_at",
              "cancelled_at"]
    # The mobile is read here, never corrected: its lookup hash (one place per mobile) goes with it.
    readonly_fields = ["event_link", "mobile", "guardian_name", "guardian_mobile", "guardian_statement_version", "status",
                       "check_in_code", "created", "confirmed_at", "checked_in_at", "cancelled_at"]
    actions = ["approve", "reject", "cancel_registrations", "check_in"]

    def has_add_permission(self, request):
        return False  # people sign up on the public page

    def get_search_results(self, request, queryset, search_term):
        digits = "".join(ch for ch in search_term if ch.isdigit())
        if len(digits) == 11 and digits.startswith("1"):
            return queryset.filter(mobile_hash=registration_services.mobile_hash(digits)), False
        return super().get_search_results(request, queryset, search_term)

    @admin.display(description=gettext_lazy("活动"), ordering="event__start")
    def event_link(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("admin:events_event_change", args=[obj.event_id]),
                           obj.event.title)

    @admin.display(description=gettext_lazy("报名时间"), ordering="created")
    def created_display(self, obj):
        return chinese_datetime(obj.created)

    approve = service_action(registration_services.approve, "registration_id", description=gettext_lazy("审核通过"),
                             done=gettext_lazy("已审核通过 %(n)s 人。"), only=Q(status=Registration.Status.PENDING))

    reject = service_action(registration_services.reject, "registration_id", description=gettext_lazy("审核不通过"),
                            done=gettext_lazy("已审核不通过 %(n)s 人。"), only=Q(status=Registration.Status.PENDING))

    cancel_registrations = service_action(
        registration_services.cancel, "registration_id", description=gettext_lazy("取消所选报名（自动递补候补）"),
        done=gettext_lazy("已取消 %(n)s 条报名。"),
        only=Q(status__in=[Registration.Status.PENDING, Registration.Status.CONFIRMED, Registration.Status.WAITLISTED]))

    @admin.action(description=gettext_lazy("代为签到"), permissions=["change"])
    def check_in(self, request, queryset):
        self.run_for_each(
            request, queryset.filter(status=Registration.Status.CONFIRMED),
            lambda registration: registration_services.check_in(
                event_id=registration.event_id, code=registration.check_in_code, actor=request.user, request=request),
            done=_("已为 %(n)s 人签到。"))


@admin.register(RosterExport)
class RosterExportAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["event", "requested_by", "unmasked", "status", "rows", "created", "finished", "open_link"]
    list_filter = ["status", "unmasked"]
    search_fields = ["event__title", "requested_by__username"]
    list_select_related = ["event", "requested_by"]
    readonly_fields = ["event", "requested_by", "unmasked", "status", "rows", "error", "created", "finished"]
    exclude = ["file"]

    @admin.display(description=gettext_lazy("查看"))
    def open_link(self, obj):
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), _("打开"))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ServiceAttendance)
class ServiceAttendanceAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Volunteers' own check-ins at service activities: read only (the check-out makes the hours)."""

    list_display = ["volunteer", "event", "team", "checked_in_at", "checked_out_at", "record"]
    list_filter = [("checked_in_at", admin.DateFieldListFilter)]
    search_fields = ["volunteer__name", "event__title"]
    list_select_related = ["volunteer", "event", "team", "record"]
    readonly_fields = ["event", "volunteer", "team", "checked_in_at", "checked_out_at", "record"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
