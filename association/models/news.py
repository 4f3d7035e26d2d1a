"""新闻动态: articles (news and notices) with their attachments, and the fixed pages."""

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Lookup, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_prose_editor.fields import ProseEditorField

from .. import pagecache, scoping
from ..chinese_search import document_vector, query_text
from ..richtext import EDITOR_EXTENSIONS, excerpt, html_to_text, sanitize_html

SUMMARY_LENGTH = 120


@SearchVectorField.register_lookup
class MatchesTsQuery(Lookup):
    """``search_vector__matches=<tsquery text>``: the text is cast, not parsed, because
    our lexemes are bigrams built in Python (see ``association.chinese_search``)."""

    lookup_name = "matches"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} @@ ({rhs})::tsquery", [*lhs_params, *rhs_params]


class ArticleQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Article.Status.PUBLISHED)

    def listing(self):
        """What list pages show: no body and no search column fetched."""
        return self.defer("body", "search_vector", "created_by", "cover_caption")

    def search(self, q: str, *, category: str = ""):
        """Articles whose title, summary or body contain what the reader typed (and, with
        ``category``, in that column: the category is a lexeme of the search vector)."""
        tsquery = query_text(q, category=category)
        if not tsquery:
            return self.filter(category=category) if category else self
        return self.filter(search_vector__matches=tsquery)

    def search_any_status(self, q: str):
        """The same for staff, drafts included: one condition per partial index."""
        tsquery = query_text(q)
        if not tsquery:
            return self.none()
        return self.filter(
            Q(status=Article.Status.PUBLISHED, search_vector__matches=tsquery)
            | Q(status=Article.Status.DRAFT, search_vector__matches=tsquery)
        )


class Article(models.Model):
    class Category(models.TextChoices):
        ASSOCIATION_NEWS = "news", _("科协要闻")
        NOTICE = "notice", _("通知公告")
        POPSCI = "popsci", _("科普动态")
        SOCIETY = "society", _("学会动态")
        GRASSROOTS = "grassroots", _("基层风采")
        MEDIA = "media", _("媒体报道")

    unit_owner = "unit"

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已发布")

    title = models.CharField(_("标题"), max_length=200)
    category = models.CharField(_("栏目"), max_length=20, choices=Category.choices, default=Category.ASSOCIATION_NEWS)
    summary = models.TextField(
        _("摘要"), max_length=300, blank=True, help_text=_("列表和订阅中显示；留空则取正文开头 120 字。")
    )
    body = ProseEditorField(_("正文"), blank=True, extensions=EDITOR_EXTENSIONS, sanitize=sanitize_html)
    cover = models.ImageField(
        _("封面图"), upload_to="news/covers/%Y/%m/", blank=True,
        help_text=_("JPEG、PNG、GIF 或 WebP，不超过 10 MB、4000 万像素；保存时自动去除拍摄信息并生成缩略图。"),
    )
    cover_card = models.ImageField(_("封面大图"), upload_to="news/covers/%Y/%m/", blank=True, editable=False)
    cover_thumb = models.ImageField(_("封面缩略图"), upload_to="news/covers/%Y/%m/", blank=True, editable=False)
    cover_caption = models.CharField(
        _("封面说明"), max_length=200, blank=True, help_text=_("图片内容的文字说明，供读屏软件朗读。")
    )
    source = models.CharField(_("来源"), max_length=100, blank=True)
    author = models.CharField(_("作者"), max_length=60, blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.DRAFT, editable=False)
    published_at = models.DateTimeField(
        _("发布时间"), null=True, blank=True, help_text=_("留空则在发布时取当前时间；可填写过去的时间补录旧闻。")
    )
    pinned = models.BooleanField(_("置顶"), default=False, editable=False)
    search_vector = SearchVectorField(_("检索词"), null=True, editable=False)
    unit = models.ForeignKey(
        "association.Organization", verbose_name=_("发布单位"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="articles", help_text=_("县区动态、学会动态由本单位发布；留空为市科协。"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True, blank=True, editable=False,
        on_delete=models.SET_NULL, related_name="+",
    )
    created = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-pinned", "-published_at", "-id"]
        verbose_name = _("新闻")
        verbose_name_plural = _("新闻动态")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False), name="article_published_has_time"
            ),
        ]
        indexes = [
            # The public list (pinned first, newest first), whole and by category, and the
            # home page's picture news: each a partial index over published articles only.
            models.Index(
                fields=["-pinned", "-published_at", "-id"], name="article_published_idx", condition=Q(status="published")
            ),
            models.Index(
                fields=["category", "-pinned", "-published_at", "-id"], name="article_category_idx",
                condition=Q(status="published"),
            ),
            # Date order alone: the feed, an article's neighbours, this year's count.
            models.Index(fields=["-published_at", "-id"], name="article_date_idx", condition=Q(status="published")),
            models.Index(
                fields=["-pinned", "-published_at", "-id"], name="article_cover_idx",
                condition=Q(status="published") & ~Q(cover=""),
            ),
            # Bigram search (see association.chinese_search), one index for the public site
            # and a small one for drafts (staff search): with the condition in the index,
            # counting hits reads no table row that the visibility map marks all-visible.
            GinIndex(fields=["search_vector"], name="article_search_idx", condition=Q(status="published")),
            GinIndex(fields=["search_vector"], name="article_draft_search_idx", condition=Q(status="draft")),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # Sanitised on every save, not only through the editor's form: the demo loader,
        # the shell and any import write here too.
        self.title = self.title.strip()
        self.body = sanitize_html(self.body)
        self.summary = (self.summary or "").strip() or excerpt(self.body, SUMMARY_LENGTH)
        self.search_vector = document_vector(
            self.title, self.summary, html_to_text(self.body), category=self.category
        )
        super().save(*args, **kwargs)
        self.forget_cached_pages()

    def get_absolute_url(self):
        return reverse("news-detail", args=[self.pk])

    def delete(self, *args, **kwargs):
        pages = self.cached_pages()
        result = super().delete(*args, **kwargs)
        pagecache.forget_on_commit(*pages)
        return result

    def cached_pages(self) -> list[str]:
        return [self.get_absolute_url(), reverse("news-list"), reverse("home"),
                reverse("api-v1:news_item", args=[self.pk]), reverse("api-v1:news")]

    def forget_cached_pages(self) -> None:
        """An edited, withdrawn or pinned article is never shown as it was: its page and the
        lists that show it leave the anonymous page cache as the change commits."""
        pagecache.forget_on_commit(*self.cached_pages())

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class ArticleAttachment(models.Model):
    unit_owner = "article__unit"

    article = models.ForeignKey(Article, verbose_name=_("新闻"), on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(_("附件名称"), max_length=200, blank=True, help_text=_("留空则用上传时的文件名。"))
    file = models.FileField(_("文件"), upload_to="news/attachments/%Y/%m/")
    extension = models.CharField(_("类型"), max_length=10, editable=False)
    size = models.PositiveBigIntegerField(_("大小（字节）"), default=0, editable=False)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("附件")
        verbose_name_plural = _("附件")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("news-attachment", args=[self.pk])

    @property
    def download_name(self) -> str:
        return self.title if self.title.lower().endswith(self.extension) else f"{self.title}{self.extension}"


class Page(models.Model):
    """A fixed page under /about/ (机构设置, 职责定位, 领导体制, 履职情况, 联系我们)."""

    unit_owner = scoping.CITY

    slug = models.SlugField(_("地址"), max_length=50, unique=True, help_text=_("网址中的英文名，例如 contact。"))
    title = models.CharField(_("标题"), max_length=100)
    body = ProseEditorField(_("正文"), blank=True, extensions=EDITOR_EXTENSIONS, sanitize=sanitize_html)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    updated = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("栏目页面")
        verbose_name_plural = _("栏目页面")

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.body = sanitize_html(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("about-page", args=[self.slug])

    @property
    def excerpt(self) -> str:
        return excerpt(self.body, 70)
