"""Staff screens of the 科普部: review volunteers, teams and roles, roster import/export,
projects and orders (派单), service hours and certificates. Actions call services."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_post_parameters

from association import audit, filecheck, fragments, scoping
from association.admin_actions import ServiceActionsMixin, service_action
from association.admin_masking import MaskedFieldsMixin
from association.admin_scoping import ScopedAdminMixin
from association.formatting import chinese_datetime
from association.models import AuditEntry
from association.states import DomainError

from . import idcard
from .models import (
    HoursCertificate,
    HoursClaim,
    Membership,
    ServiceOrder,
    ServiceProject,
    ServiceRecord,
    ServiceTeam,
    Volunteer,
)
from .models.people import id_number_hash, mobile_hash
from .services import certificates, claims, orders, records, review, roster, units

PERSONAL = "volunteers.view_personal_data"


def sees_personal_data(request) -> bool:
    return request.user.has_perm(PERSONAL)


def beyond_reach(request, obj, names) -> list[str]:
    """The foreign keys of ``obj`` naming a record outside a unit's work (the city's corps
    above a county's team, a city volunteer in a county's team): shown read only, since the
    unit's choices cannot hold them and the form would refuse to save."""
    if obj is None or not scoping.is_unit_staff(request.user):
        return []
    return [name for name in names
            if getattr(obj, f"{name}_id") is not None and not scoping.may_reach(request.user, getattr(obj, name))]


# -- teams ---------------------------------------------------------------------------------
@admin.register(ServiceTeam)
class ServiceTeamAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "parent", "field", "founded", "member_count", "is_active", "order"]
    list_filter = ["kind", "is_active"]
    list_editable = ["order"]
    search_fields = ["name", "field"]
    autocomplete_fields = ["parent", "organization"]
    list_select_related = ["parent"]
    # Explicit: the member count's GROUP BY drops the model's own ordering (lists and the
    # event form's team picker page through it).
    ordering = ["order", "name"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_members=Count("memberships"))

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), *beyond_reach(request, obj, ["parent"])]

    @admin.display(description=_("成员数"), ordering="n_members")
    def member_count(self, obj):
        return obj.n_members


class MembershipInline(ScopedAdminMixin, admin.TabularInline):
    """A volunteer's teams: a unit's staff see and pick their own teams only."""

    model = Membership
    extra = 0
    autocomplete_fields = ["team"]
    fields = ["team", "role", "joined"]


@admin.register(Membership)
class MembershipAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["volunteer", "team", "role", "joined"]
    list_filter = ["role", "team__kind"]
    search_fields = ["volunteer__name", "team__name"]
    autocomplete_fields = ["volunteer", "team"]
    list_select_related = ["volunteer", "team"]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), *beyond_reach(request, obj, ["volunteer"])]


# -- volunteers ----------------------------------------------------------------------------
class TeamFilter(admin.SimpleListFilter):
    title = _("服务队伍")
    parameter_name = "team"

    def lookups(self, request, model_admin):
        teams = scoping.scope(ServiceTeam.objects.filter(kind=ServiceTeam.Kind.TEAM), request.user)
        return [(t.pk, t.name) for t in teams.order_by("parent__order", "order", "name").only("id", "name")]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            # A team with its work groups; EXISTS rather than a join: no duplicates, no DISTINCT.
            team_id = int(self.value())
            # Ids as literals (one small query) let the planner use the team index on memberships.
            teams = scoping.scope(ServiceTeam.objects.filter(Q(pk=team_id) | Q(parent_id=team_id)), request.user)
            teams = list(teams.values_list("pk", flat=True))
            return queryset.filter(Exists(Membership.objects.filter(volunteer=OuterRef("pk"), team_id__in=teams)))
        return queryset


class FieldFilter(admin.SimpleListFilter):
    title = _("专业领域")
    parameter_name = "field"

    def lookups(self, request, model_admin):
        unit = scoping.unit_of(request.user)
        key = f"volunteers:admin-field-filter:{unit.pk if unit is not None else 'city'}"
        fields = cache.get(key)
        if fields is None:
            fields = list(
                scoping.scope(Volunteer.objects.exclude(field=""), request.user).values("field").annotate(n=Count("id"))
                .order_by("-n").values_list("field", flat=True)[:15]
            )
            cache.set(key, fields, 600)
        return [(f, f) for f in fields]

    def queryset(self, request, queryset):
        return queryset.filter(field=self.value()) if self.value() else queryset


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("未通过原因"), widget=forms.Textarea(attrs={"rows": 3, "cols": 60}), max_length=500,
                             error_messages={"required": _("请填写未通过的原因，志愿者会在通知中看到它。")})


class ImportForm(forms.Form):
    file = forms.FileField(label=_("花名册文件（.xlsx）"))

    def clean_file(self):
        f = self.cleaned_data["file"]
        # By content: a zip with an Excel workbook inside, whatever the name says.
        filecheck.check_xlsx(f)
        return f


class LookupForm(forms.Form):
    number = forms.CharField(label=_("身份证号或手机号码"), max_length=20,
                             widget=forms.TextInput(attrs={"autocomplete": "off"}))

    def __init__(self, *args, volunteers=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Whom the staff member may find: a unit's staff their own volunteers only.
        self.volunteers = Volunteer.objects.all() if volunteers is None else volunteers

    def clean(self):
        data = super().clean()
        term = data.get("number", "")
        normalised = idcard.normalise_id_number(term)
        mobile = idcard.normalise_mobile(term)
        if idcard.ID_PATTERN.match(normalised):
            data["volunteer"] = self.volunteers.filter(id_number_hash=id_number_hash(normalised)).first()
        elif idcard.MOBILE_PATTERN.match(mobile):
            data["volunteer"] = self.volunteers.filter(mobile_hash=mobile_hash(mobile)).first()
        elif term:
            self.add_error("number", _("请输入18位身份证号或11位手机号码。"))
        return data


class PersonalDataForm(forms.ModelForm):
    """The change form for staff who may see and correct ID numbers and mobiles."""

    id_number = forms.CharField(label=_("身份证号"), required=False, max_length=18)
    mobile = forms.CharField(label=_("手机号码"), required=False, max_length=20)

    class Meta:
        model = Volunteer
        fields = ["name", "gender", "birth_date", "id_number", "mobile", "email", "user", "political_status", "education",
                  "title", "title_level", "field", "employer", "county", "skills", "wished_teams", "unit", "status",
                  "rejection_reason"]

    def clean_id_number(self):
        value = idcard.normalise_id_number(self.cleaned_data.get("id_number", ""))
        if value:
            idcard.parse_id_number(value)
            if Volunteer.objects.filter(id_number_hash=id_number_hash(value)).exclude(pk=self.instance.pk).exists():
                raise forms.ValidationError(_("该身份证号已被其他志愿者登记。"))
        return value

    def clean_mobile(self):
        value = self.cleaned_data.get("mobile", "")
        if value:
            value = idcard.validate_mobile(value)
            if Volunteer.objects.filter(mobile_hash=mobile_hash(value)).exclude(pk=self.instance.pk).exists():
                raise forms.ValidationError(_("该手机号码已被其他志愿者登记。"))
        return value


@admin.register(Volunteer)
class VolunteerAdmin(ScopedAdminMixin, MaskedFieldsMixin, ServiceActionsMixin, admin.ModelAdmin):
    masked_fields = {"id_number": PERSONAL, "mobile": PERSONAL, "guardian_mobile": PERSONAL}
    masked_view_detail = "在编辑页查看完整身份证号与手机号码"
    # Read at 1280 px: the state beside the name; the masked numbers, gender and political
    # status are on the record (and in the filters), not in the list.
    list_display = ["number", "name", "status", "title", "field", "county", "unit", "created"]
    list_filter = ["status", TeamFilter, FieldFilter, "political_status", "title_level", "county", "gender"]
    search_fields = ["=number", "name", "email", "employer", "field", "title"]
    search_help_text = _("按志愿者编号、姓名、邮箱、单位、专业领域或职称搜索；按身份证号或手机号查找请用右上角“按证件号查找”（号码不会出现在网址中）。")
    list_select_related = ["county", "unit"]
    autocomplete_fields = ["county", "user", "unit"]
    filter_horizontal = ["wished_teams"]
    inlines = [MembershipInline]
    list_per_page = 50
    show_full_result_count = False
    actions = ["approve_selected", "reject_selected", "suspend_selected", "export_selected"]
    readonly_fields = ["number", "consent_version", "consent_at", "reviewed_at", "reviewed_by", "created", "updated",
                       "personal_data_link"]
    fieldsets = [
        (_("实名信息"), {"fields": ["number", "name", "gender", "birth_date", "id_number", "mobile", "personal_data_link", "email",
                                "user"]}),
        (_("专业情况"), {"fields": ["political_status", "education", "title", "title_level", "field", "employer",
                                "county", "skills", "wished_teams"]}),
        (_("审核"), {"fields": ["unit", "status", "rejection_reason", "reviewed_at", "reviewed_by"]}),
        (_("监护人（未满14周岁）"), {"fields": ["guardian_name", "guardian_mobile"], "classes": ["collapse"]}),
        (_("个人信息授权"), {"fields": ["consent_version", "consent_at", "created", "updated"]}),
    ]
    change_list_template = "admin/volunteers/volunteer/change_list.html"

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:  # the link leads to a volunteer's own page
            fieldsets = [(title, {**options, "fields": [f for f in options["fields"] if f != "personal_data_link"]})
                         for title, options in fieldsets]
        return fieldsets

    def get_form(self, request, obj=None, **kwargs):
        if sees_personal_data(request):
            kwargs["form"] = PersonalDataForm
        return super().get_form(request, obj, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            fields.append("status")  # status changes only through the review actions (recorded)
        if scoping.is_unit_staff(request.user):
            fields.append("user")  # a unit's staff do not hand out the portal's accounts
        return fields

    def get_queryset(self, request):
        # A closed account's anonymised row keeps its hours for the figures, not as a person.
        return super().get_queryset(request).exclude(status=Volunteer.Status.DELETED)

    @admin.display(description=_("完整个人信息"))
    def personal_data_link(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        url = reverse("admin:volunteers_volunteer_personal", args=[obj.pk])
        return format_html('<a href="{}">查看完整身份证号与手机号码（需授权，查看将被记录）</a>', url)

    @method_decorator(sensitive_post_parameters("id_number", "mobile"))
    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        return super().changeform_view(request, object_id, form_url, extra_context)

    def get_changeform_initial_data(self, request):
        # Left empty, a new volunteer's managing unit follows the rule (save_model), which
        # gives the staff member's own unit unless a team of a unit below it says otherwise.
        initial = super().get_changeform_initial_data(request)
        if "unit" not in request.GET:
            initial.pop("unit", None)
        return initial

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "unit" and field is not None:
            field.help_text = _("审核、管理这名志愿者的单位。新增时可留空：按意向或所在服务队的单位、否则所在县（区）科协自动确定。")
        return field

    def save_model(self, request, obj, form, change):
        if not change and obj.unit_id is None:
            # The managing unit by the one rule (units.managing_unit_id), from the wished teams
            # here; the teams joined below are read once they are saved (save_related).
            obj.unit_id = units.managing_unit_id(teams=form.cleaned_data.get("wished_teams") or (),
                                                 county_id=obj.county_id, registered_by=request.user)
            obj._unit_by_rule = True
        super().save_model(request, obj, form, change)
        audit.record(AuditEntry.Action.CHANGE if change else AuditEntry.Action.CREATE, obj=obj, request=request,
                     detail="后台编辑志愿者信息")

    def save_related(self, request, form, formsets, change):
        volunteer = form.instance
        kept = []
        if change and scoping.is_unit_staff(request.user) and "wished_teams" in form.cleaned_data:
            # Wishes for other units' teams are not offered to a unit's staff: they stay as they were.
            kept = list(volunteer.wished_teams.exclude(pk__in=scoping.scope(ServiceTeam.objects.all(), request.user)))
        super().save_related(request, form, formsets, change)
        if kept:
            volunteer.wished_teams.add(*kept)
        if getattr(volunteer, "_unit_by_rule", False) and not form.cleaned_data.get("wished_teams"):
            joined = [m.team for m in volunteer.memberships.select_related("team").order_by("id")]
            unit_id = units.managing_unit_id(teams=joined, county_id=volunteer.county_id, registered_by=request.user)
            if joined and unit_id != volunteer.unit_id:
                Volunteer.objects.filter(pk=volunteer.pk).update(unit_id=unit_id)
                volunteer.unit_id = unit_id

    # actions ------------------------------------------------------------------------------
    approve_selected = service_action(review.approve, "volunteer_id", description=_("审核通过所选志愿者"),
                                      done=_("已审核通过 %(n)s 名志愿者。"))

    reject_selected = service_action(
        review.reject, "volunteer_id", description=_("审核不通过所选志愿者（需填写原因）"), done=_("已退回 %(n)s 名志愿者。"),
        form=RejectForm, confirm={
            "title": _("填写未通过原因"), "intro": _("所选志愿者将被标为“未通过”，并收到含原因的通知邮件。"),
            "submit_label": _("确认不通过"), "template": "admin/volunteers/volunteer/reject.html"})

    suspend_selected = service_action(review.suspend, "volunteer_id", description=_("暂停所选志愿者"),
                                      done=_("已暂停 %(n)s 名志愿者。"))

    def has_export_permission(self, request):
        # The roster (names, e-mails, employers of everyone) leaves the portal only through
        # the department that runs the volunteers, not every group allowed to look them up.
        return request.user.has_perm("volunteers.change_volunteer")

    @admin.action(description=_("导出所选志愿者到 Excel"), permissions=["export"])
    def export_selected(self, request, queryset):
        if queryset.count() > roster.EXPORT_LIMIT:
            self.message_user(request, f"一次最多导出 {roster.EXPORT_LIMIT:,} 人，请先用右侧筛选缩小范围。", messages.WARNING)
            return None
        data = roster.export_roster(queryset, user=request.user, request=request)
        response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f"attachment; filename=\"volunteers-{stamp}.xlsx\"; filename*=UTF-8''%E5%BF%97%E6%84%BF%E8%80%85%E8%8A%B1%E5%90%8D%E5%86%8C-{stamp}.xlsx"
        return response

    # extra pages ---------------------------------------------------------------------------
    def get_urls(self):
        extra = [
            path("import/", self.admin_site.admin_view(self.import_view), name="volunteers_volunteer_import"),
            path("import/template/", self.admin_site.admin_view(self.import_template_view),
                 name="volunteers_volunteer_import_template"),
            path("<int:pk>/personal/", self.admin_site.admin_view(self.personal_view), name="volunteers_volunteer_personal"),
            path("lookup/", self.admin_site.admin_view(sensitive_post_parameters("number")(self.lookup_view)),
                 name="volunteers_volunteer_lookup"),
        ]
        return extra + super().get_urls()

    def import_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ImportForm(request.POST or None, request.FILES or None)
        result = None
        if request.method == "POST" and form.is_valid():
            result = roster.import_roster(form.cleaned_data["file"], actor=request.user, request=request)
            if result.ok:
                self.message_user(request, f"已导入 {result.created} 名志愿者。", messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:volunteers_volunteer_changelist"))
        return render(request, "admin/volunteers/volunteer/import.html", {
            **self.admin_site.each_context(request), "title": _("从 Excel 导入志愿者花名册"), "form": form,
            "result": result, "errors": result.errors[:500] if result else [], "opts": self.model._meta,
            "headers": roster.HEADERS, "unit": scoping.unit_of(request.user),
        })

    def lookup_view(self, request):
        """Find a volunteer by ID number or mobile through a POST, so the number stays out of URLs and logs."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = LookupForm(request.POST or None, volunteers=self.get_queryset(request))
        if request.method == "POST" and form.is_valid():
            volunteer = form.cleaned_data["volunteer"]
            if volunteer is not None:
                return HttpResponseRedirect(reverse("admin:volunteers_volunteer_change", args=[volunteer.pk]))
            form.add_error("number", _("没有找到使用这个身份证号或手机号码的志愿者。"))
        return render(request, "admin/volunteers/volunteer/lookup.html", {
            **self.admin_site.each_context(request), "title": _("按身份证号或手机号码查找志愿者"), "form": form,
            "opts": self.model._meta,
        })

    def import_template_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        response = HttpResponse(roster.template_workbook(),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = 'attachment; filename="volunteer-roster-template.xlsx"'
        return response

    def personal_view(self, request, pk):
        if not sees_personal_data(request):
            raise PermissionDenied
        volunteer = get_object_or_404(self.get_queryset(request), pk=pk)  # another unit's: as if none
        audit.record(AuditEntry.Action.VIEW_PERSONAL, obj=volunteer, request=request, detail="查看完整身份证号与手机号码")
        return render(request, "admin/volunteers/volunteer/personal.html", {
            **self.admin_site.each_context(request), "title": _("完整个人信息"), "volunteer": volunteer,
            "opts": self.model._meta,
        })


# -- projects and orders -------------------------------------------------------------------
@admin.register(ServiceProject)
class ServiceProjectAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["title", "team", "audience", "status", "published_at", "order_count"]
    list_filter = ["status", "team"]
    search_fields = ["title", "summary", "team__name"]
    autocomplete_fields = ["team"]
    list_select_related = ["team"]
    actions = ["publish_selected", "close_selected"]

    def get_queryset(self, request):
        # A grouped query drops the model's own ordering: given back, so pages stay stable.
        queryset = super().get_queryset(request).annotate(n_orders=Count("orders"))
        return queryset.order_by(*queryset.model._meta.ordering)

    @admin.display(description=_("点单数"), ordering="n_orders")
    def order_count(self, obj):
        return obj.n_orders

    @admin.action(description=_("发布所选服务项目"), permissions=["change"])
    def publish_selected(self, request, queryset):
        n = queryset.exclude(status=ServiceProject.Status.PUBLISHED).update(
            status=ServiceProject.Status.PUBLISHED, published_at=timezone.now())
        fragments.changed_on_commit("volunteers")  # update() passes no save()
        self.message_user(request, f"已发布 {n} 个服务项目。")

    @admin.action(description=_("下架所选服务项目"), permissions=["change"])
    def close_selected(self, request, queryset):
        n = queryset.update(status=ServiceProject.Status.CLOSED)
        fragments.changed_on_commit("volunteers")
        self.message_user(request, f"已下架 {n} 个服务项目。")


class DispatchForm(forms.Form):
    team = forms.ModelChoiceField(
        label=_("派给"), queryset=ServiceTeam.objects.exclude(kind=ServiceTeam.Kind.CORPS).filter(is_active=True),
        widget=AutocompleteSelect(ServiceOrder._meta.get_field("team"), admin.site),
        error_messages={"required": _("请选择承接的服务队或工作组。")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # A unit's staff hand an order on to their own teams only.
        self.fields["team"].queryset = scoping.scope(self.fields["team"].queryset, user)


@admin.register(ServiceOrder)
class ServiceOrderAdmin(ScopedAdminMixin, MaskedFieldsMixin, ServiceActionsMixin, admin.ModelAdmin):
    masked_fields = {"contact_phone": PERSONAL}
    masked_view_detail = "查看点单联系电话"
    list_display = ["orderer_name", "orderer_kind", "project", "county", "wanted_date", "team", "status", "rating",
                    "masked_contact_phone", "submitted_at"]
    list_filter = ["status", "orderer_kind", "county", "team", "rating"]
    search_fields = ["orderer_name", "project__title", "team__name"]
    list_select_related = ["project", "team", "county"]
    autocomplete_fields = ["project", "team", "county"]
    actions = ["dispatch_selected", "accept_selected", "complete_selected", "cancel_selected"]
    date_hierarchy = "submitted_at"
    fields = ["project", "orderer_kind", "orderer_name", "contact_name", "contact_phone", "email", "county", "address",
              "wanted_date", "audience_size", "needs", "team", "status", "decline_reason", "cancel_reason", "rating",
              "rating_comment", "submitted_at", "dispatched_at", "accepted_at", "done_at", "rated_at", "history"]
    EDITABLE = ("needs", "address", "wanted_date", "audience_size")

    def get_readonly_fields(self, request, obj=None):
        # The state and its dates change only through the actions, which record each step.
        return [f for f in self.get_fields(request, obj) if f not in self.EDITABLE]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("办理记录"))
    def history(self, obj):
        rows = [
            format_html("<li>{} {} {} → {} {}</li>", chinese_datetime(e.created),
                        e.actor or "点单单位", ServiceOrder.Status(e.from_state).label if e.from_state else "",
                        ServiceOrder.Status(e.to_state).label if e.to_state else "", e.detail)
            for e in audit.history(obj) if e.action == AuditEntry.Action.TRANSITION
        ]
        return format_html("<ul>{}</ul>", format_html_join("", "{}", ((row,) for row in rows))) if rows else "—"

    @admin.action(description=_("派单：派给服务队"), permissions=["change"])
    def dispatch_selected(self, request, queryset):
        form = DispatchForm(request.POST if "apply" in request.POST else None, user=request.user)
        if "apply" in request.POST and form.is_valid():
            team_id = form.cleaned_data["team"].pk
            self.run_for_each(
                request, queryset,
                lambda o: orders.dispatch(order_id=o.pk, team_id=team_id, actor=request.user, request=request),
                done=_("已派单 %(n)s 张点单。"))
            return None
        selected = list(queryset.select_related("project"))  # each line names its project
        return self.confirmation(
            request, selected, form=form, title=_("派单"), action="dispatch_selected",
            intro=_("将以下 %(n)s 张点单派给同一支服务队。") % {"n": len(selected)}, submit_label=_("确认派单"),
            template="admin/volunteers/serviceorder/dispatch.html",
        )

    accept_selected = service_action(orders.accept, "order_id", description=_("代为接单"),
                                     done=_("已接单 %(n)s 张点单。"))

    complete_selected = service_action(orders.complete, "order_id", description=_("标记服务完成"),
                                       done=_("已标记完成 %(n)s 张点单。"))

    cancel_selected = service_action(orders.cancel, "order_id", description=_("取消所选点单"),
                                     done=_("已取消 %(n)s 张点单。"), arguments={"reason": "工作人员取消"})


# -- hours ---------------------------------------------------------------------------------
class RecordHoursAdminForm(forms.Form):
    volunteers = forms.ModelMultipleChoiceField(
        label=_("志愿者"), queryset=Volunteer.objects.approved(),
        widget=AutocompleteSelectMultiple(ServiceRecord._meta.get_field("volunteer"), admin.site),
        error_messages={"required": _("请至少选择一名志愿者。")},
    )
    date = forms.DateField(label=_("服务日期"), widget=forms.DateInput(attrs={"type": "date"}))
    hours = forms.DecimalField(label=_("每人时长（小时）"), min_value=0.5, max_value=24, decimal_places=1)
    title = forms.CharField(label=_("服务内容"), max_length=200, required=False)
    team = forms.ModelChoiceField(label=_("服务队伍"), queryset=ServiceTeam.objects.all(), required=False,
                                  widget=AutocompleteSelect(ServiceRecord._meta.get_field("team"), admin.site))
    order = forms.ModelChoiceField(label=_("点单（可选）"), required=False,
                                   queryset=ServiceOrder.objects.filter(status__in=ServiceOrder.TAKES_HOURS),
                                   widget=AutocompleteSelect(ServiceRecord._meta.get_field("order"), admin.site))
    confirm = forms.BooleanField(label=_("同时确认"), required=False, initial=True)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # A unit's staff record hours for their own volunteers, teams and orders only.
        for name in ("volunteers", "team", "order"):
            self.fields[name].queryset = scoping.scope(self.fields[name].queryset, user)


@admin.register(ServiceRecord)
class ServiceRecordAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["volunteer", "date", "hours", "title", "team", "order", "status", "recorded_by", "confirmed_at"]
    list_filter = ["status", "team", ("date", admin.DateFieldListFilter)]
    search_fields = ["volunteer__name", "title"]
    autocomplete_fields = ["volunteer", "team", "order"]
    list_select_related = ["volunteer", "team", "order", "order__project", "recorded_by"]
    readonly_fields = ["recorded_by", "recorded_at", "confirmed_by", "confirmed_at", "activity_type", "activity_id"]
    actions = ["confirm_selected", "reject_selected"]
    show_full_result_count = False
    change_list_template = "admin/volunteers/servicerecord/change_list.html"

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), *beyond_reach(request, obj, ["team", "order"])]

    @admin.action(description=_("确认所选服务记录"), permissions=["change"])
    def confirm_selected(self, request, queryset):
        n = records.confirm_records(record_ids=queryset.values_list("pk", flat=True), actor=request.user)
        self.message_user(request, f"已确认 {n} 条服务记录。")

    @admin.action(description=_("不予确认所选服务记录"), permissions=["change"])
    def reject_selected(self, request, queryset):
        n = records.reject_records(record_ids=queryset.values_list("pk", flat=True), actor=request.user)
        self.message_user(request, f"已将 {n} 条服务记录标为不予确认。")

    def get_urls(self):
        return [path("record/", self.admin_site.admin_view(self.record_view), name="volunteers_servicerecord_record"),
                *super().get_urls()]

    def record_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = RecordHoursAdminForm(request.POST or None, initial={"date": timezone.localdate()}, user=request.user)
        if request.method == "POST" and form.is_valid():
            d = form.cleaned_data
            try:
                created = records.record_hours(
                    volunteer_ids=[v.pk for v in d["volunteers"]], hours=d["hours"], date=d["date"], title=d["title"],
                    order_id=d["order"].pk if d["order"] else None, team_id=d["team"].pk if d["team"] else None,
                    recorded_by=request.user, confirm=d["confirm"],
                )
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                self.message_user(request, f"已登记 {len(created)} 条服务记录。", messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:volunteers_servicerecord_changelist"))
        return render(request, "admin/volunteers/servicerecord/record.html", {
            **self.admin_site.each_context(request), "title": _("批量登记服务时长"), "form": form,
            "opts": self.model._meta, "media": self.media + form.media,
        })


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("撤销原因"), widget=forms.Textarea(attrs={"rows": 3, "cols": 60}), max_length=500,
                             error_messages={"required": _("请填写撤销原因，核验页面会显示该证明已撤销。")})


@admin.register(HoursCertificate)
class HoursCertificateAdmin(ScopedAdminMixin, ServiceActionsMixin, admin.ModelAdmin):
    list_display = ["number", "volunteer", "volunteer_number", "verification_code", "issuer_name", "total_hours",
                    "record_count", "status", "issued_on", "download"]
    list_filter = ["status"]
    search_fields = ["=number", "=volunteer__number", "volunteer__name", "code"]
    search_help_text = _("按证明编号、志愿者编号、姓名或核验码搜索。")
    list_select_related = ["volunteer"]
    readonly_fields = [f.name for f in HoursCertificate._meta.fields]
    actions = ["revoke_selected"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    revoke_selected = service_action(
        certificates.revoke, "certificate_id", description=_("撤销所选证明（需填写原因）"), done=_("已撤销 %(n)s 份证明。"),
        permissions=["delete"], only=Q(status=HoursCertificate.Status.READY), form=RevokeForm, confirm={
            "title": _("撤销志愿服务记录证明"), "intro": _("撤销后，扫码或输入核验码核验时将显示“已撤销”及撤销日期。"),
            "submit_label": _("确认撤销")})

    def get_actions(self, request):
        # A certificate given out is revoked, never deleted: its number must keep answering.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.display(description=_("志愿者编号"), ordering="volunteer__number")
    def volunteer_number(self, obj):
        return obj.volunteer.number

    @admin.display(description=_("核验码"), ordering="code")
    def verification_code(self, obj):
        return obj.display_code

    @admin.display(description=_("文件"))
    def download(self, obj):
        if obj.status != HoursCertificate.Status.READY:
            return "—"
        return format_html('<a href="{}">下载</a>', reverse("me:certificate_download", args=[obj.pk]))



# -- 补录 -------------------------------------------------------------------------------------
class RefuseClaimAdminForm(forms.Form):
    reason = forms.CharField(label=_("未通过原因"), widget=forms.Textarea(attrs={"rows": 3, "cols": 60}), max_length=300,
                             error_messages={"required": _("请填写未通过的原因，志愿者会看到它。")})


@admin.register(HoursClaim)
class HoursClaimAdmin(ScopedAdminMixin, ServiceActionsMixin, admin.ModelAdmin):
    """The staff's queue of 补录 requests: filter, then approve or refuse in bulk."""

    list_display = ["volunteer", "date", "title", "hours", "max_hours", "team", "status", "submitted_at", "evidence_link"]
    # Teams and units that have claims in the staff's scope (the list's queryset is scoped),
    # not every organisation of the directory.
    list_filter = ["status", ("team", admin.RelatedOnlyFieldListFilter), ("date", admin.DateFieldListFilter),
                   ("volunteer__unit", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["volunteer__name", "title"]
    list_select_related = ["volunteer", "team"]
    date_hierarchy = "date"
    readonly_fields = [f.name for f in HoursClaim._meta.fields if f.name != "id"] + ["evidence_link"]
    exclude = ["evidence"]
    actions = ["approve_selected", "refuse_selected"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False  # volunteers ask on their own page; staff record hours directly

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("证明材料"))
    def evidence_link(self, obj):
        if not obj.evidence:
            return "—"
        return format_html('<a href="{}" target="_blank" rel="noopener">查看</a>', reverse("me:claim_evidence", args=[obj.pk]))

    approve_selected = service_action(claims.approve, "claim_id", description=_("通过所选补录申请"),
                                      done=_("已通过 %(n)s 条补录申请，时长已计入。"),
                                      only=Q(status=HoursClaim.Status.PENDING))
    refuse_selected = service_action(
        claims.refuse, "claim_id", description=_("不通过所选补录申请（需填写原因）"), done=_("已退回 %(n)s 条补录申请。"),
        only=Q(status=HoursClaim.Status.PENDING), form=RefuseClaimAdminForm,
        confirm={"title": _("填写未通过原因"), "intro": _("志愿者会在“我的志愿服务”页面看到这个原因。"),
                 "submit_label": _("确认不通过")},
    )


from . import rights_admin  # noqa: E402, F401  (the rights screens, kept in their own module)
