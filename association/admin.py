import base64
from functools import partial

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from . import admin_api, admin_units, audit, extensions, scoping  # noqa: F401  (单位账号, 接口令牌)
from .admin_actions import ServiceActionsMixin
from .admin_scoping import ScopedAdminMixin
from .forms import ArticleAdminForm, ArticleAttachmentForm
from .models import (
    Article,
    ArticleAttachment,
    AuditEntry,
    County,
    Delivery,
    NoticeTemplate,
    Organization,
    OutboxMessage,
    Page,
    RetentionRun,
    SiteSettings,
)
from .services import news as news_services
from .states import DomainError


@admin.register(SiteSettings)
class SiteSettingsAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "short_name", "hotline", "address"]

    def has_add_permission(self, request):
        return not SiteSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(County)
class CountyAdmin(admin.ModelAdmin):
    list_display = ["name", "order"]
    list_editable = ["order"]
    search_fields = ["name"]


@admin.register(Organization)
class OrganizationAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "parent", "county", "contact_person", "founded", "is_active"]
    list_filter = ["kind", "county", "is_active"]
    search_fields = ["name", "short_name", "address"]
    autocomplete_fields = ["parent", "county"]
    list_select_related = ["parent", "county"]
    list_per_page = 50
    fieldsets = [
        (None, {"fields": ["name", "short_name", "kind", "parent", "county"]}),
        (_("联系方式"), {"fields": ["address", "contact_person", "phone"]}),
        (_("志愿服务记录证明"), {"fields": ["seal", "seal_preview", "certificate_handler", "certificate_phone"],
                          "description": _("本单位管理的志愿者申请证明时，由本单位出具；本单位没有上传印章的，由上级单位中最近的有印章的单位出具。")}),
        (_("其他"), {"fields": ["founded", "description", "order", "is_active"]}),
    ]

    # The kinds a unit may add below itself (not the city's own departments and institutions).
    UNIT_MAY_ADD = [k for k in Organization.Kind if k not in (
        Organization.Kind.ASSOCIATION, Organization.Kind.DEPARTMENT, Organization.Kind.INSTITUTION)]

    def get_readonly_fields(self, request, obj=None):
        # A unit keeps its own entry and those below it up to date but cannot move one to
        # another place in the tree; it adds new units below itself.
        if obj is not None and scoping.is_unit_staff(request.user):
            return ["kind", "parent", "county", "is_active", "seal_preview"]
        return [*super().get_readonly_fields(request, obj), "seal_preview"]

    @admin.display(description=_("印章预览"))
    def seal_preview(self, obj):
        # The seal is kept out of the public media folder, so it is shown inline here.
        if obj is None or not obj.seal:
            return "—"
        try:
            with obj.seal.open("rb") as f:
                data = base64.b64encode(f.read()).decode()
        except FileNotFoundError:
            return _("印章文件缺失，请重新上传。")
        kind = "png" if obj.seal.name.lower().endswith(".png") else "jpeg"
        return format_html('<img src="data:image/{};base64,{}" alt="{}" style="max-width:160px;max-height:160px">',
                           kind, data, _("印章"))

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is None and scoping.is_unit_staff(request.user):
            form.base_fields["parent"].required = True
            form.base_fields["parent"].help_text = _("本单位或本单位的下级单位。")
            form.base_fields["kind"].choices = [(k.value, k.label) for k in self.UNIT_MAY_ADD]
        return form

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        unit = scoping.unit_of(request.user)
        if unit is not None:
            initial.setdefault("parent", unit.pk)
            if unit.county_id:
                initial.setdefault("county", unit.county_id)
        return initial


@admin.register(AuditEntry)
class AuditEntryAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["created", "actor", "action", "content_type", "object_repr", "from_state_shown", "to_state_shown",
                    "ip_address"]
    # Only the kinds of object the log holds: not every model of every installed library.
    list_filter = ["action", ("content_type", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["object_repr", "detail", "actor__username"]
    list_select_related = ["actor", "content_type"]
    date_hierarchy = "created"
    readonly_fields = [*(f.name for f in AuditEntry._meta.fields), "from_state_shown", "to_state_shown"]
    fields = ["created", "actor", "action", "content_type", "object_id", "object_repr", "from_state_shown",
              "to_state_shown", "detail", "ip_address"]

    @admin.display(description=AuditEntry._meta.get_field("from_state").verbose_name)
    def from_state_shown(self, obj):
        return obj.from_state_label or "-"

    @admin.display(description=AuditEntry._meta.get_field("to_state").verbose_name)
    def to_state_shown(self, obj):
        return obj.to_state_label or "-"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["created", "task_name", "attempts", "sent_at", "last_error"]
    list_filter = [("sent_at", admin.EmptyFieldListFilter)]
    readonly_fields = ["task_name", "args", "kwargs", "created", "attempts", "last_error", "sent_at"]

    def has_add_permission(self, request):
        return False


class ArticleAttachmentInline(admin.TabularInline):
    model = ArticleAttachment
    form = ArticleAttachmentForm
    extra = 1
    fields = ["title", "file", "order", "extension", "size"]
    readonly_fields = ["extension", "size"]


@admin.register(Article)
class ArticleAdmin(ScopedAdminMixin, ServiceActionsMixin, admin.ModelAdmin):
    form = ArticleAdminForm
    change_form_template = "admin/association/article/change_form.html"
    list_display = ["title", "category", "status_badge", "pinned", "published_at", "author", "created_by"]
    list_display_links = ["title"]
    list_filter = ["status", "category", "pinned", "published_at"]
    search_fields = ["title"]
    search_help_text = _("按标题、摘要、正文中的字词检索（支持两个字的词，如“科普”）")
    list_select_related = ["created_by"]
    list_per_page = 50
    show_full_result_count = False
    date_hierarchy = "published_at"
    actions = ["publish_selected", "unpublish_selected", "pin_selected", "unpin_selected"]
    readonly_fields = ["status", "pinned", "cover_preview", "created_by", "created", "updated"]
    inlines = [ArticleAttachmentInline]

    class Media:
        css = {"all": ["association/css/editor.css"]}
    fieldsets = [
        (None, {"fields": ["title", "category", "summary", "body"]}),
        (_("封面"), {"fields": ["cover_preview", "new_cover", "remove_cover", "cover_caption"]}),
        (_("来源与发布"), {"fields": ["source", "author", "published_at", "status", "pinned"]}),
        (_("记录"), {"classes": ["collapse"], "fields": ["created_by", "created", "updated"]}),
    ]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and not self.has_change_permission(request, obj):
            # Looking, not editing (leaders): the upload fields have nothing to show.
            upload_only = {"new_cover", "remove_cover"}
            fieldsets = [(name, {**opts, "fields": [f for f in opts["fields"] if f not in upload_only]})
                         for name, opts in fieldsets]
        return fieldsets

    def get_queryset(self, request):
        return super().get_queryset(request).defer("body", "search_vector")

    def get_search_results(self, request, queryset, search_term):
        # The bigram index instead of LIKE '%…%' over the bodies of every article.
        if not search_term.strip():
            return queryset, False
        return queryset.search_any_status(search_term), False

    @admin.display(description=_("状态"), ordering="status")
    def status_badge(self, obj):
        colour = "#1a7f37" if obj.is_published else "#9a6700"
        return format_html('<b style="color:{}">{}</b>', colour, obj.get_status_display())

    @admin.display(description=_("当前封面"))
    def cover_preview(self, obj):
        if obj and obj.cover_thumb:
            return format_html('<img src="{}" alt="" style="max-width:240px;border-radius:4px">', obj.cover_thumb.url)
        return "—"

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        audit.record(audit.AuditEntry.Action.CHANGE if change else audit.AuditEntry.Action.CREATE, obj=obj,
                     request=request)

    # -- transitions: list actions and the buttons on the change form -------------------
    @admin.action(description=_("发布所选新闻"), permissions=["change"])
    def publish_selected(self, request, queryset):
        self.run_for_each(request, queryset, lambda article: news_services.publish_article(
            article_id=article.pk, actor=request.user, request=request), done=_("已发布 %(n)s 篇。"))

    @admin.action(description=_("撤回所选新闻（改为草稿）"), permissions=["change"])
    def unpublish_selected(self, request, queryset):
        self.run_for_each(request, queryset, lambda article: news_services.unpublish_article(
            article_id=article.pk, actor=request.user, request=request), done=_("已撤回 %(n)s 篇。"))

    @admin.action(description=_("置顶所选新闻"), permissions=["change"])
    def pin_selected(self, request, queryset):
        self.run_for_each(request, queryset, lambda article: news_services.set_pinned(
            article_id=article.pk, pinned=True, actor=request.user, request=request), done=_("已置顶 %(n)s 篇。"))

    @admin.action(description=_("取消置顶"), permissions=["change"])
    def unpin_selected(self, request, queryset):
        self.run_for_each(request, queryset, lambda article: news_services.set_pinned(
            article_id=article.pk, pinned=False, actor=request.user, request=request), done=_("已取消置顶 %(n)s 篇。"))

    def get_urls(self):
        return [
            path("<int:pk>/transition/<str:action>/", self.admin_site.admin_view(self.transition_view),
                 name="association_article_transition"),
            *super().get_urls(),
        ]

    def transition_view(self, request, pk, action):
        article = get_object_or_404(Article.objects.only("id"), pk=pk)
        moves = {
            "publish": (news_services.publish_article, _("已发布。")),
            "unpublish": (news_services.unpublish_article, _("已撤回为草稿。")),
            "pin": (partial(news_services.set_pinned, pinned=True), _("已置顶。")),
            "unpin": (partial(news_services.set_pinned, pinned=False), _("已取消置顶。")),
        }
        if request.method != "POST" or action not in moves or not self.has_change_permission(request, article):
            raise PermissionDenied
        move, done = moves[action]
        try:
            move(article_id=article.pk, actor=request.user, request=request)
        except DomainError as error:
            self.message_user(request, error.message, messages.ERROR)
        else:
            self.message_user(request, done, messages.SUCCESS)
        return redirect("admin:association_article_change", article.pk)


@admin.register(Page)
class PageAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["title", "slug", "order", "updated"]
    list_editable = ["order"]
    search_fields = ["title", "slug"]
    fields = ["title", "slug", "body", "order"]

    class Media:
        css = {"all": ["association/css/editor.css"]}



@admin.register(RetentionRun)
class RetentionRunAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["started", "finished", "total", "errors"]
    readonly_fields = ["started", "finished", "counts", "total", "errors"]
    date_hierarchy = "started"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


from . import admin_packages, admin_reports, admin_users  # noqa: E402, F401  (packages, report jobs, user accounts)


class NoticeTemplateForm(forms.ModelForm):
    kind = forms.ChoiceField(label=_("通知类型"))

    class Meta:
        model = NoticeTemplate
        fields = ["kind", "subject", "body", "sms"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k.key, k.label) for k in extensions.notice_kinds().values()]


@admin.register(NoticeTemplate)
class NoticeTemplateAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Staff's wording of a notice; the code's default is shown beside each field."""

    form = NoticeTemplateForm
    list_display = ["__str__", "kind", "updated"]
    readonly_fields = ["defaults"]

    @admin.display(description=_("默认模板"))
    def defaults(self, obj):
        kind = extensions.notice_kinds().get(obj.kind) if obj else None
        if kind is None:
            return "—"
        return format_html("<pre>{}\n\n{}\n\n{}</pre>", kind.subject, kind.body, kind.sms or "（不发短信）")


@admin.register(Delivery)
class DeliveryAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """The delivery log, read only: addresses masked, contents not shown."""

    list_display = ["created", "kind_label", "channel", "address_mask", "status", "attempts", "sent_at", "last_error"]
    list_filter = ["status", "channel", "kind"]
    search_fields = ["kind", "subject"]
    date_hierarchy = "created"
    fields = ["kind", "key", "channel", "address_mask", "subject", "status", "attempts", "last_error", "created",
              "sent_at", "read_at"]
    readonly_fields = fields
    show_full_result_count = False

    @admin.display(description=_("通知类型"), ordering="kind")
    def kind_label(self, obj):
        return obj.kind_label

    def get_queryset(self, request):
        return super().get_queryset(request).defer("address", "body", "params")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
