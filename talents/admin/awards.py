"""Staff screens of the awards: rounds and their ranking, nominations, reviews, objections."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Q
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
from association.models import Organization
from association.selectors import count_of
from association.states import DomainError

from .. import selectors
from ..forms import AssignReviewersForm, ReasonForm, ShortlistTopForm, StaffNominationForm
from ..models import AwardProgramme, AwardRound, Nomination, NominationMaterial, NominationQuota, Objection, Review
from ..services import awards as award_services
from ..services import registry as registry_services

PROCESS_PERMISSION = "talents.manage_award_process"


def round_filter(path: str):
    """A list filter by round that names rounds with one query (the default one asks per round)."""

    class RoundFilter(admin.SimpleListFilter):
        title = gettext_lazy("届次")
        parameter_name = "round"

        def lookups(self, request, model_admin):
            return [(r.pk, str(r)) for r in AwardRound.objects.select_related("programme")]

        def queryset(self, request, queryset):
            return queryset.filter(**{path: self.value()}) if self.value() else queryset

    return RoundFilter


class NominationStatusFilter(admin.SimpleListFilter):
    """By status as staff read it: once a round's 公示 began, 评审中 is 未入围 (see status_label)."""

    title = gettext_lazy("状态")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        choices = list(Nomination.Status.choices)
        after = [value for value, _label in choices].index(Nomination.Status.IN_REVIEW) + 1
        return [*choices[:after], (Nomination.NOT_SHORTLISTED, Nomination.NOT_SHORTLISTED_LABEL), *choices[after:]]

    def queryset(self, request, queryset):
        if self.value() == Nomination.NOT_SHORTLISTED:
            return queryset.not_shortlisted()
        if self.value() == Nomination.Status.IN_REVIEW:
            return queryset.filter(status=self.value()).exclude(round__status__in=AwardRound.SHORTLIST_FINAL_STATES)
        return queryset.filter(status=self.value()) if self.value() else queryset


@admin.register(AwardProgramme)
class AwardProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "nominee_kind", "organisers", "max_age", "min_title_level", "repeat_ban_rounds", "order"]
    search_fields = ["name"]
    list_editable = ["order"]


class NominationQuotaInline(admin.TabularInline):
    """推荐名额 per unit, set by the city's staff on the round. A round with none takes
    nominations from any unit; with some, only from the units listed, each up to its number."""

    model = NominationQuota
    extra = 0
    fields = ["unit", "quota", "used"]
    readonly_fields = ["used"]
    autocomplete_fields = ["unit"]
    verbose_name_plural = gettext_lazy("推荐名额（留空则不限单位与人数；设置后只有列出的单位可以推荐，且不超过各自名额）")

    def get_queryset(self, request):
        return scoping.scope(super().get_queryset(request), request.user).select_related("unit")

    @admin.display(description=gettext_lazy("已推荐（不含资格不符）"))
    def used(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        return Nomination.objects.filter(round_id=obj.round_id, nominating_unit_id=obj.unit_id).holding_places().count()


@admin.register(AwardRound)
class AwardRoundAdmin(ServiceActionsMixin, admin.ModelAdmin):
    list_display = ["__str__", "status", "nomination_opens", "nomination_closes", "quota", "n_nominations",
                    "n_places", "notice_starts", "notice_ends", "ranking_link"]
    list_filter = ["programme", "status", "year"]
    search_fields = ["programme__name", "year"]
    list_select_related = ["programme"]
    readonly_fields = ["status", "notice_starts", "notice_ends", "announced_on"]
    autocomplete_fields = ["programme"]
    actions = ["open_nominations", "close_nominations", "publish_notice", "announce_winners"]
    inlines = [NominationQuotaInline]
    fieldsets = [
        (None, {"fields": ["programme", "number", "year", "status", "quota", "call_text"]}),
        (gettext_lazy("推荐与资格"), {"fields": ["nomination_opens", "nomination_closes", "reference_date"]}),
        (gettext_lazy("公示与公布"), {"fields": ["notice_days", "notice_starts", "notice_ends", "announced_on"]}),
        (gettext_lazy("受理异议的联系方式（发布公示前必填，写在公示上）"),
         {"fields": ["objection_contact", "objection_phone", "objection_email", "objection_address"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        # The end date is worked out on publishing; staff enter it beforehand only for a year
        # whose holiday calendar is not known yet (the service says so).
        fields = list(super().get_readonly_fields(request, obj))
        if obj is None or obj.status not in AwardRound.SHORTLIST_FINAL_STATES:
            fields.remove("notice_ends")
        return fields

    def get_queryset(self, request):
        places = [Nomination.Status.SHORTLISTED, Nomination.Status.PUBLICISED, Nomination.Status.AWARDED]
        return super().get_queryset(request).annotate(
            _n=Count("nominations"), _places=Count("nominations", filter=Q(nominations__status__in=places))
        )

    @admin.display(description=gettext_lazy("推荐数"), ordering="_n")
    def n_nominations(self, obj):
        return obj._n

    @admin.display(description=gettext_lazy("拟入选 / 获奖"))
    def n_places(self, obj):
        return f"{obj._places} / {obj.quota}"

    @admin.display(description=gettext_lazy("评审排名"))
    def ranking_link(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("admin:talents_awardround_ranking", args=[obj.pk]), _("查看排名"))

    def has_process_permission(self, request):
        return request.user.has_perm(PROCESS_PERMISSION)

    open_nominations = service_action(award_services.open_nominations, "round_id", description=gettext_lazy("开始接受推荐"),
                                      done=gettext_lazy("%(n)s 届已开始接受推荐。"), permissions=["process"])

    close_nominations = service_action(award_services.close_nominations, "round_id", description=gettext_lazy("截止推荐，进入评审"),
                                       done=gettext_lazy("%(n)s 届已截止推荐。"), permissions=["process"])

    publish_notice = service_action(award_services.publish_notice, "round_id", description=gettext_lazy("发布公示（拟入选名单）"),
                                    done=gettext_lazy("%(n)s 届已发布公示。"), permissions=["process"])

    announce_winners = service_action(award_services.announce_winners, "round_id", description=gettext_lazy("公示期满，公布获奖名单"),
                                      done=gettext_lazy("%(n)s 届已公布结果。"), permissions=["process"])

    def get_urls(self):
        return [
            path("<int:pk>/ranking/", self.admin_site.admin_view(self.ranking_view), name="talents_awardround_ranking"),
            *super().get_urls(),
        ]

    def ranking_view(self, request, pk):
        # The ranking is the reviewers' scores: the city's business, never a unit's (a unit
        # follows its own nominations' status in the list of nominations).
        if not request.user.has_perm("talents.view_nomination") or scoping.is_unit_staff(request.user):
            raise PermissionDenied
        award_round = get_object_or_404(AwardRound.objects.select_related("programme"), pk=pk)
        form = ShortlistTopForm(request.POST or None)
        if request.method == "POST":
            if not self.has_process_permission(request):
                raise PermissionDenied
            if form.is_valid():
                try:
                    done = award_services.shortlist_top(
                        round_id=award_round.pk, count=form.cleaned_data["count"], actor=request.user, request=request
                    )
                except DomainError as error:
                    self.message_user(request, error.message, messages.ERROR)
                else:
                    self.message_user(request, _("已按名次确定 %(n)s 名拟入选对象。") % {"n": len(done)}, messages.SUCCESS)
                return redirect(request.path)
        counts = selectors.ranking_counts(award_round.pk)
        paginator = Paginator(selectors.round_ranking(award_round.pk), RANKING_PAGE_SIZE)
        paginator.count = counts["ranked"]  # counting the ranking itself would compute it twice
        page = paginator.get_page(request.GET.get("page"))
        taken = counts["taken"]
        rows = _ranking_rows(list(page.object_list), award_round)
        context = {
            **self.admin_site.each_context(request),
            "title": _("%(round)s · 评审排名") % {"round": award_round},
            "round": award_round,
            "page_obj": page,
            "rows": rows,
            "rule": selectors.RANKING_RULE,
            "taken": taken,
            "free": max(0, award_round.quota - taken),
            "form": form,
            "can_process": self.has_process_permission(request) and award_round.status == AwardRound.Status.REVIEWING,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/talents/ranking.html", context)


RANKING_PAGE_SIZE = 50


def _ranking_rows(rows: list[dict], award_round: AwardRound) -> list[dict]:
    """Everything the ranking table shows, prepared once (the template only prints it)."""
    units = dict(Organization.objects.filter(pk__in={r["nominating_unit_id"] for r in rows}).values_list("pk", "name"))
    change = reverse("admin:talents_nomination_change", args=[0]).replace("/0/", "/%s/")
    return [
        {
            **row,
            "status_label": Nomination.status_label(row["status"], award_round.status),
            "unit_name": units.get(row["nominating_unit_id"], ""),
            "url": change % row["id"],
            "mean_text": "—" if row["mean_score"] is None else f"{row['mean_score']:.2f}",
            "final_text": "—" if row["final_score"] is None else f"{row['final_score']:.2f}",
        }
        for row in rows
    ]


class MaterialInline(admin.TabularInline):
    model = NominationMaterial
    extra = 0
    fields = ["kind", "download", "content_type", "size", "uploaded"]
    readonly_fields = fields
    can_delete = False

    @admin.display(description=gettext_lazy("文件"))
    def download(self, obj):
        return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', reverse("talents:material", args=[obj.pk]), obj.original_name)

    def has_add_permission(self, request, obj=None):
        return False


@admin.display(description=gettext_lazy("评审专家"), ordering="reviewer__last_name")
def reviewer_name(review: Review) -> str:
    return review.reviewer_name


class ReviewInline(admin.TabularInline):
    model = Review
    extra = 0
    fields = [reviewer_name, "score", "comment", "assigned_at", "scored_at"]
    readonly_fields = fields
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("reviewer")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Nomination)
class NominationAdmin(ScopedAdminMixin, MaskedFieldsMixin, ServiceActionsMixin, admin.ModelAdmin):
    list_display = ["ref", "nominee_name", "round", "nominating_unit", "status_shown", "scores", "submitted_at"]
    list_filter = [NominationStatusFilter, "round__programme", round_filter("round_id")]
    search_fields = ["nominee_name", "nominee_employer", "achievement_title", "nominating_unit__name"]
    list_select_related = ["round__programme", "nominating_unit"]
    autocomplete_fields = ["talent", "nominating_unit", "nominee_organization", "round"]
    readonly_fields = ["status_shown", "eligibility_note", "submitted_at", "submitted_by", "status_changed"]
    inlines = [MaterialInline, ReviewInline]
    actions = ["check_eligibility", "assign_reviewers", "reject_as_ineligible", "shortlist", "remove_from_shortlist"]
    date_hierarchy = "submitted_at"
    list_per_page = 50
    masked_fields = {"contact_phone": registry_services.REVEAL_PERMISSION,
                     "nominee_contact": registry_services.REVEAL_PERMISSION}
    fieldsets = [
        (None, {"fields": ["round", "nominating_unit", "status_shown", "eligibility_note", "talent"]}),
        (gettext_lazy("被推荐对象"), {"fields": ["nominee_name", "nominee_organization", "nominee_gender", "nominee_birth_date",
                                                 "nominee_title", "nominee_title_level", "nominee_employer", "nominee_field",
                                                 "nominee_contact", "achievement_title", "summary"]}),
        (gettext_lazy("推荐单位联系人"), {"fields": ["contact_person", "contact_phone", "submitted_by", "submitted_at", "status_changed"]}),
    ]

    def has_add_permission(self, request):
        # Nominations come in through the nomination form, where the rules, the unit's 推荐名额
        # and the file checks run: the public one, or the staff's (本单位推荐, nominate_view).
        return False

    def may_nominate(self, request) -> bool:
        return request.user.has_perm("talents.add_nomination")

    def get_list_display(self, request):
        shown = super().get_list_display(request)
        if scoping.is_unit_staff(request.user):
            # Reviews are the city's and the reviewers' business: not even how many.
            shown = [name for name in shown if name != "scores"]
        return shown

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "may_nominate": self.may_nominate(request),
                         "nominate_label": _("本单位推荐") if scoping.is_unit_staff(request.user) else _("录入推荐")}
        return super().changelist_view(request, extra_context)

    def get_urls(self):
        return [
            path("nominate/", self.admin_site.admin_view(self.nominate_index_view), name="talents_nomination_nominate_index"),
            path("nominate/<int:round_id>/", self.admin_site.admin_view(self.nominate_view), name="talents_nomination_nominate"),
            *super().get_urls(),
        ]

    def nominate_index_view(self, request):
        """The rounds taking nominations now, each with the unit's 推荐名额 and places used."""
        if not self.may_nominate(request):
            raise PermissionDenied
        unit = scoping.unit_of(request.user)
        rounds = [r for r in AwardRound.objects.filter(status=AwardRound.Status.NOMINATING).select_related("programme")
                  if r.accepts_nominations()]
        rows = []
        for award_round in rounds:
            standing = award_services.quota_standing(award_round.pk, unit.pk) if unit is not None else None
            rows.append({"round": award_round, "standing": standing,
                         "open": standing is None or standing["left"] > 0,
                         "units_with_quota": None if unit is not None else award_round.unit_quotas.filter(quota__gt=0).count()})
        context = {
            **self.admin_site.each_context(request),
            "title": _("本单位推荐") if unit is not None else _("录入推荐"),
            "unit": unit,
            "rows": rows,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/talents/nominate_index.html", context)

    def nominate_view(self, request, round_id):
        """A nomination by the unit's own account (the unit fixed), or typed in by the city's
        staff from a paper one (the unit chosen). The service counts the unit's places under
        its lock; beyond them the form says so and keeps what was typed."""
        if not self.may_nominate(request):
            raise PermissionDenied
        award_round = get_object_or_404(AwardRound.objects.select_related("programme"), pk=round_id)
        index = reverse("admin:talents_nomination_nominate_index")
        if not award_round.accepts_nominations():
            self.message_user(request, _("%(round)s当前不接受推荐。") % {"round": award_round}, messages.WARNING)
            return redirect(index)
        unit = scoping.unit_of(request.user)
        form = StaffNominationForm(request.POST or None, request.FILES or None, award_round=award_round, unit=unit)
        if request.method == "POST" and form.is_valid():
            try:
                nomination = award_services.submit_nomination(**form.service_kwargs(), actor=request.user, request=request)
            except DomainError as error:
                form.add_refusal(error)
            else:
                self.message_user(request, _("已提交推荐：%(name)s，受理编号 %(no)s。审查和评审进度可在本列表中查看。")
                                  % {"name": nomination.nominee_name, "no": nomination.reference_no}, messages.SUCCESS)
                return redirect(reverse("admin:talents_nomination_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "title": _("%(round)s · %(what)s") % {"round": award_round, "what": _("本单位推荐") if unit else _("录入推荐")},
            "round": award_round,
            "unit": unit,
            "standing": award_services.quota_standing(award_round.pk, unit.pk) if unit is not None else None,
            "form": form,
            "index": index,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/talents/nominate.html", context)

    def get_readonly_fields(self, request, obj=None):
        # A nomination never moves to another round (its reviews carry the round too).
        return [*super().get_readonly_fields(request, obj), *(["round"] if obj else [])]

    def get_queryset(self, request):
        # Counted per listed row (subqueries), not by joining every review before the page is cut.
        reviews = Review.objects.filter(nomination=OuterRef("pk"))
        return super().get_queryset(request).annotate(
            _assigned=count_of(reviews, "nomination"),
            _scored=count_of(reviews.filter(score__isnull=False), "nomination"),
        )

    @admin.display(description=gettext_lazy("受理编号"), ordering="pk")
    def ref(self, obj):
        return obj.reference_no

    @admin.display(description=gettext_lazy("状态"), ordering="status")
    def status_shown(self, obj):
        return obj.status_shown

    @admin.display(description=gettext_lazy("已评 / 分配"))
    def scores(self, obj):
        return f"{obj._scored} / {obj._assigned}"

    def has_process_permission(self, request):
        return request.user.has_perm(PROCESS_PERMISSION)

    @admin.action(description=gettext_lazy("系统资格审查"), permissions=["process"])
    def check_eligibility(self, request, queryset):
        failed = []

        def check(nomination):
            problems = award_services.check_eligibility(nomination_id=nomination.pk, actor=request.user, request=request)
            if problems:
                failed.append(f"{nomination.nominee_name}：" + "；".join(p.message for p in problems))

        self.run_for_each(request, queryset, check, done=_("已完成 %(n)s 份推荐的系统资格审查。"))
        for line in failed[:20]:
            self.message_user(request, _("资格不符——%(line)s") % {"line": line}, messages.WARNING)

    @admin.action(description=gettext_lazy("分配评审专家"), permissions=["process"])
    def assign_reviewers(self, request, queryset):
        form = AssignReviewersForm(request.POST if "apply" in request.POST else None, reviewers=award_services.reviewers())
        if "apply" in request.POST and form.is_valid():
            reviewer_ids = [reviewer.pk for reviewer in form.cleaned_data["reviewers"]]
            self.run_for_each(request, queryset, lambda nomination: award_services.assign_reviewers(
                nomination_id=nomination.pk, reviewer_ids=reviewer_ids, actor=request.user, request=request,
            ), done=_("已为 %(n)s 份推荐分配评审专家。"))
            return None
        return self.confirmation(
            request, queryset, form=form, title=_("分配评审专家"), action="assign_reviewers",
            intro=_("所选推荐须已通过资格审查。评审专家登录后只能看到分配给自己的推荐，彼此看不到评分。"),
        )

    reject_as_ineligible = service_action(
        award_services.reject_as_ineligible, "nomination_id", description=gettext_lazy("认定资格不符（填写理由）"),
        done=gettext_lazy("%(n)s 份推荐已认定为资格不符。"), permissions=["process"],
        form=ReasonForm, confirm={"title": gettext_lazy("认定资格不符")})

    shortlist = service_action(award_services.shortlist, "nomination_id", description=gettext_lazy("列为拟入选（不超过名额）"),
                               done=gettext_lazy("%(n)s 份推荐已列为拟入选。"), permissions=["process"])

    remove_from_shortlist = service_action(award_services.remove_from_shortlist, "nomination_id", description=gettext_lazy("移出拟入选名单"),
                                           done=gettext_lazy("%(n)s 份推荐已移出拟入选名单。"), permissions=["process"])


@admin.register(Review)
class ReviewAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["nomination", reviewer_name, "score", "assigned_at", "scored_at"]
    list_filter = [round_filter("round_id"), ("score", admin.EmptyFieldListFilter)]
    search_fields = ["nomination__nominee_name", "reviewer__username", "reviewer__last_name", "reviewer__first_name"]
    list_select_related = ["nomination__round__programme", "reviewer"]
    fields = ["nomination", reviewer_name, "score", "comment", "assigned_by", "assigned_at", "scored_at"]
    readonly_fields = fields
    ordering = ["-pk"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # An assignment not yet scored may be withdrawn; a score stays.
        return super().has_delete_permission(request, obj) and (obj is None or obj.score is None)


@admin.register(Objection)
class ObjectionAdmin(ScopedAdminMixin, MaskedFieldsMixin, ServiceActionsMixin, admin.ModelAdmin):
    list_display = ["round", "nomination", "name", "status", "created", "handled_at"]
    list_filter = ["status", round_filter("round_id")]
    search_fields = ["name", "reason", "nomination__nominee_name"]
    list_select_related = ["round__programme", "nomination"]
    readonly_fields = ["round", "nomination", "name", "contact", "reason", "status", "reply", "handled_by", "handled_at", "created"]
    actions = ["uphold", "dismiss"]
    masked_fields = {"contact": registry_services.REVEAL_PERMISSION}
    fieldsets = [(None, {"fields": ["round", "nomination", "name", "contact", "reason", "status", "reply", "handled_by",
                                    "handled_at", "created"]})]

    def has_add_permission(self, request):
        return False

    def has_process_permission(self, request):
        return request.user.has_perm(PROCESS_PERMISSION)

    def _handle(self, request, queryset, *, upheld: bool, action: str, title: str):
        form = ReasonForm(request.POST if "apply" in request.POST else None)
        form.fields["reason"].label = _("处理意见")
        if "apply" in request.POST and form.is_valid():
            self.run_for_each(request, queryset, lambda objection: award_services.handle_objection(
                objection_id=objection.pk, upheld=upheld, reply=form.cleaned_data["reason"], actor=request.user, request=request,
            ), done=_("已处理 %(n)s 条异议。"))
            return None
        return self.confirmation(request, queryset, form=form, title=title, action=action)

    @admin.action(description=gettext_lazy("异议成立（取消其拟表彰资格）"), permissions=["process"])
    def uphold(self, request, queryset):
        return self._handle(request, queryset, upheld=True, action="uphold", title=_("异议成立"))

    @admin.action(description=gettext_lazy("异议不成立"), permissions=["process"])
    def dismiss(self, request, queryset):
        return self._handle(request, queryset, upheld=False, action="dismiss", title=_("异议不成立"))
