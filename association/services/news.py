"""Changes to news: saving with a cover and attachments, publishing, pinning.

Status is a small state machine (草稿 → 已发布 → 草稿, ``ARTICLES``); each move is one
function, taking the article's id, holding its row while it checks and writes.
"""

import uuid

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import audit, filecheck, fragments, images
from ..models import Article, ArticleAttachment
from ..states import DomainError, StateMachine

Status = Article.Status

ARTICLES = StateMachine(Status, {
    Status.DRAFT: {Status.PUBLISHED},
    Status.PUBLISHED: {Status.DRAFT},
})


def _move(article_id: int, to: str, *, actor, request=None) -> Article:
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article_id)
        fields = []
        if to == Status.PUBLISHED and article.published_at is None:
            article.published_at = timezone.now()
            fields.append("published_at")
        if to == Status.DRAFT and article.pinned:
            article.pinned = False
            fields.append("pinned")
        ARTICLES.move(article, to, actor=actor, request=request, fields=fields,
                      subject=f"“{article.title}”")
    return article


def publish_article(*, article_id: int, actor=None, request=None) -> Article:
    """草稿 → 已发布; the publish time is now unless staff set one."""
    return _move(article_id, Status.PUBLISHED, actor=actor, request=request)


def unpublish_article(*, article_id: int, actor=None, request=None) -> Article:
    """已发布 → 草稿 (withdrawn from the public site; also unpinned)."""
    return _move(article_id, Status.DRAFT, actor=actor, request=request)


def set_pinned(*, article_id: int, pinned: bool, actor=None, request=None) -> Article:
    """Pin a published article to the top of the home page and the news list."""
    with transaction.atomic():
        article = Article.objects.select_for_update().only("id", "title", "status", "pinned").get(pk=article_id)
        if pinned and not article.is_published:
            raise DomainError(_("“%(title)s”尚未发布，不能置顶。") % {"title": article.title})
        Article.objects.filter(pk=article_id).update(pinned=pinned, updated=timezone.now())
        article.pinned = pinned
        # update() passes no save(): the kept parts and the page cache are told here, in
        # that order (as save() does), so a page rendered afresh never uses an old part.
        fragments.changed_on_commit("news")
        article.forget_cached_pages()
        audit.record(
            audit.AuditEntry.Action.CHANGE, actor=actor, obj=article, detail="置顶" if pinned else "取消置顶",
            request=request,
        )
    return article


def set_cover(article: Article, upload) -> None:
    """Store ``upload`` re-encoded with its thumbnails (the caller saves the article).

    ``upload`` is a file (checked here: ValidationError with a Chinese message for
    anything that is not a usable image) or an already ``filecheck.ProcessedImage``.
    """
    processed = upload if isinstance(upload, filecheck.ProcessedImage) else filecheck.process_image(upload)
    old = [f.name for f in (article.cover, article.cover_card, article.cover_thumb) if f]
    article.cover.save(processed.original.name, processed.original, save=False)
    article.cover_card.save(processed.thumbnails["card"].name, processed.thumbnails["card"], save=False)
    article.cover_thumb.save(processed.thumbnails["thumb"].name, processed.thumbnails["thumb"], save=False)
    storage = article.cover.storage
    transaction.on_commit(lambda: _delete_files(storage, old))


def _delete_files(storage, names) -> None:
    """The old cover, its thumbnails and their responsive copies (association.images)."""
    for name in names:
        images.delete_copies(storage, name)
        if storage.exists(name):
            storage.delete(name)


def clear_cover(article: Article) -> None:
    old = [f.name for f in (article.cover, article.cover_card, article.cover_thumb) if f]
    article.cover = article.cover_card = article.cover_thumb = ""
    storage = Article._meta.get_field("cover").storage
    transaction.on_commit(lambda: _delete_files(storage, old))


def prepare_attachment(attachment: ArticleAttachment, upload) -> None:
    """Check ``upload`` and put it on ``attachment`` under a random name (the caller saves)."""
    extension = filecheck.check_attachment(upload)
    original = (getattr(upload, "name", "") or "").rsplit("/", 1)[-1]
    if not attachment.title:
        attachment.title = original[:200] or "附件"
    attachment.extension = extension
    attachment.size = upload.size
    upload.seek(0)
    attachment.file.save(f"{uuid.uuid4().hex}{extension}", upload, save=False)


@transaction.atomic
def create_article(*, title: str, category: str, body: str = "", summary: str = "", source: str = "",
                   author: str = "", cover=None, published_at=None, actor=None, publish: bool = False,
                   attachments=()) -> Article:
    """Create an article (a draft unless ``publish``), with its cover and attachments."""
    article = Article(
        title=title, category=category, body=body, summary=summary, source=source, author=author,
        published_at=published_at, created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    if cover is not None:
        set_cover(article, cover)
    article.full_clean(exclude=["cover", "cover_card", "cover_thumb"])
    article.save()
    audit.record(audit.AuditEntry.Action.CREATE, actor=actor, obj=article)
    for order, upload in enumerate(attachments):
        attachment = ArticleAttachment(article=article, order=order)
        prepare_attachment(attachment, upload)
        attachment.save()
    if publish:
        article = publish_article(article_id=article.pk, actor=actor)
    return article
