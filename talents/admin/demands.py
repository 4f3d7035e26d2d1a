"""Staff screens of technology demands: checking, publishing, 对接 with suggestions, outcomes."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from association import scoping
from association.admin_actions import ServiceActionsMixin, service_action
from association.admin_masking import MaskedFieldsMixin
from association.admin_scoping import ScopedAdminMixin
from association.states import DomainError

from .. import selectors
from ..forms import MatchForm, OutcomeForm, ReasonForm
from ..models import Match, Talent, TechDemand
from ..services import demands as demand_services

REVEAL_DEMAND_CONTACT = "talents.reveal_demand_contact"


class MatchInline(admin.TabularInline):
    model = Match
    extra = 0
    fields = ["talent", "team", "outcome", "note", "created_by", "created"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(TechDemand)
class TechDemandAdmin(ScopedAdminMixin, MaskedFieldsMixin, ServiceActionsMixin, admin.ModelAdmin):
    list_display = ["title", "enterprise_name", "kind", "industry", "status", "county", "collected_by", "budget", "n_matches",
                    "created", "match_link"]
    list_filter = ["status", "kind", "industry", "county", "fields"]
    search_fields = ["title", "enterprise_name", "description", "collected_by__name"]
    list_select_related = ["county", "collected_by"]
    autocomplete_fields = ["enterprise", "county", "collected_by"]
    filter_horizontal = ["fields"]
    readonly_fields = ["status", "published_at", "solved_at", "status_changed", "created"]
    inlines = [MatchInline]
    actions = ["approve", "publish", "reject", "close", "solve"]
    date_hierarchy = "created"
    list_per_page = 50
    masked_fields = {"contact_phone": REVEAL_DEMAND_CONTACT}
    fieldsets = [
        (None, {"fields": ["kind", "title", "industry", "fields", "description", "budget", "status", "review_note"]}),
        (gettext_lazy("企业"), {"fields": ["enterprise_name", "enterprise", "county", "contact_person", "contact_phone"]}),
        # A unit's new demand is the unit's (ScopedAdminMixin fills it); the choices are its
        # own and the units' below it, to hand a demand down to a township.
        (gettext_lazy("征集单位"), {"fields": ["collected_by"]}),
        (gettext_lazy("时间"), {"fields": ["created", "published_at", "solved_at", "status_changed"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_matches=Count("matches"))

    def hidden_fields(self, request):
        # A demand being entered (by a unit collecting it, or the city) has nothing to mask
        # yet: whoever types the enterprise's phone in sees it; afterwards it is masked.
        match = getattr(request, "resolver_match", None)
        if match is not None and match.url_name == "talents_techdemand_add":
            return []
        return super().hidden_fields(request)

    @admin.display(description=gettext_lazy("对接数"), ordering="_matches")
    def n_matches(self, obj):
        return obj._matches

    @admin.display(description=gettext_lazy("对接"))
    def match_link(self, obj):
        if obj.status in (TechDemand.Status.PUBLISHED, TechDemand.Status.MATCHED):
            return format_html('<a href="{}">{}</a>', reverse("admin:talents_techdemand_match", args=[obj.pk]), _("推荐专家对接"))
        return "—"

    approve = service_action(demand_services.check_demand, "demand_id", description=gettext_lazy("审核通过"),
                             done=gettext_lazy("%(n)s 条需求已审核。"))

    publish = service_action(demand_services.publish_demand, "demand_id", description=gettext_lazy("发布到网站"),
                             done=gettext_lazy("%(n)s 条需求已发布。"))

    reject = service_action(demand_services.reject_demand, "demand_id", description=gettext_lazy("不予发布（填写理由）"),
                            done=gettext_lazy("%(n)s 条需求不予发布。"), form=ReasonForm,
                            confirm={"title": gettext_lazy("不予发布")})

    close = service_action(demand_services.close_demand, "demand_id", description=gettext_lazy("关闭需求（填写原因）"),
                           done=gettext_lazy("%(n)s 条需求已关闭。"), form=ReasonForm,
                           confirm={"title": gettext_lazy("关闭需求")})

    solve = service_action(demand_services.solve_demand, "demand_id", description=gettext_lazy("标记为已解决"),
                           done=gettext_lazy("%(n)s 条需求已解决。"))

    def get_urls(self):
        return [
            path("<int:pk>/match/", self.admin_site.admin_view(self.match_view), name="talents_techdemand_match"),
            *super().get_urls(),
        ]

    def match_view(self, request, pk):
        """对接: the city's staff choose among suggested experts and teams. A unit's staff (their
        own demands only) choose among their own teams: the expert registry is the city's, and
        putting a demand in touch with an expert stays the city's work."""
        if not request.user.has_perm("talents.add_match"):
            raise PermissionDenied
        demand = get_object_or_404(self.get_queryset(request).prefetch_related("fields"), pk=pk)
        experts_offered = not scoping.is_unit_staff(request.user)
        suggested = list(selectors.suggest_experts(demand, limit=12)) if experts_offered else []
        teams = selectors.suggest_teams(demand, user=request.user)
        form = MatchForm(
            request.POST or None,
            talents=Talent.objects.filter(pk__in=[t.pk for t in suggested]).select_related("field"),
            teams=teams.model.objects.filter(pk__in=[t.pk for t in teams]),
            experts=experts_offered,
        )
        if request.method == "POST" and form.is_valid():
            try:
                created = demand_services.match_demand(
                    demand_id=demand.pk, talent_ids=[t.pk for t in form.cleaned_data["all_talents"]],
                    team_ids=[t.pk for t in form.cleaned_data["teams"]], note=form.cleaned_data["note"],
                    actor=request.user, request=request,
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                self.message_user(request, _("已建立 %(n)s 项对接。") % {"n": len(created)}, messages.SUCCESS)
                return redirect(reverse("admin:talents_techdemand_change", args=[demand.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": _("为“%(title)s”推荐对接专家") % {"title": demand.title},
            "demand": demand,
            "suggested": suggested,
            "experts_offered": experts_offered,
            "form": form,
            "matches": demand.matches.select_related("talent", "team"),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/talents/match.html", context)


@admin.register(Match)
class MatchAdmin(ScopedAdminMixin, ServiceActionsMixin, admin.ModelAdmin):
    list_display = ["demand", "talent", "team", "outcome", "created_by", "created", "updated"]
    list_filter = ["outcome", "demand__industry"]
    search_fields = ["demand__title", "demand__enterprise_name", "talent__name", "team__name"]
    list_select_related = ["demand", "talent", "team", "created_by"]
    readonly_fields = ["demand", "talent", "team", "outcome", "note", "created_by", "created", "updated"]
    actions = ["record_outcome"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=gettext_lazy("记录对接结果"), permissions=["change"])
    def record_outcome(self, request, queryset):
        form = OutcomeForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            self.run_for_each(request, queryset, lambda match: demand_services.record_match_outcome(
                match_id=match.pk, outcome=form.cleaned_data["outcome"], note=form.cleaned_data["note"],
                actor=request.user, request=request,
            ), done=_("已记录 %(n)s 项对接结果。"))
            return None
        return self.confirmation(request, queryset, form=form, title=_("记录对接结果"), action="record_outcome")

