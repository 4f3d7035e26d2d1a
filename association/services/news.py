"""Changes to news: saving with a cover and attachments, publishing, pinning.

Status is a small state machine (草稿 → 已发布 → 草稿); each transition is one function,
checked against ``TRANSITIONS`` and recorded in the audit log.
"""

import uuid

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import audit, filecheck
from ..models import Article, ArticleAttachment

Status = Article.Status

# (from, to): the name of the transition
TRANSITIONS = {
    (Status.DRAFT, Status.PUBLISHED): "publish",
    (Status.PUBLISHED, Status.DRAFT): "unpublish",
}


class ArticleTransitionError(Exception):
    """A transition the state machine does not allow; ``str()`` is a Chinese message."""


def _transition(article: Article, to: str, *, actor, request=None) -> Article:
    with transaction.atomic():
        locked = Article.objects.select_for_update().get(pk=article.pk)
        if (locked.status, to) not in TRANSITIONS:
            raise ArticleTransitionError(
                _("“%(title)s”当前为“%(state)s”，不能改为“%(to)s”。")
                % {"title": locked.title, "state": locked.get_status_display(), "to": Status(to).label}
            )
        from_state = locked.status
        locked.status = to
        fields = ["status", "updated"]
        if to == Status.PUBLISHED and locked.published_at is None:
            locked.published_at = timezone.now()
            fields.append("published_at")
        if to == Status.DRAFT and locked.pinned:
            locked.pinned = False
            fields.append("pinned")
        locked.save(update_fields=fields)
        audit.record(
            audit.AuditEntry.Action.TRANSITION, actor=actor, obj=locked, from_state=from_state, to_state=to,
            request=request,
        )
    article.status, article.published_at, article.pinned = locked.status, locked.published_at, locked.pinned
    return article


def publish_article(article: Article, *, actor=None, request=None) -> Article:
    """草稿 → 已发布; the publish time is now unless staff set one."""
    return _transition(article, Status.PUBLISHED, actor=actor, request=request)


def unpublish_article(article: Article, *, actor=None, request=None) -> Article:
    """已发布 → 草稿 (withdrawn from the public site; also unpinned)."""
    return _transition(article, Status.DRAFT, actor=actor, request=request)


def set_pinned(article: Article, pinned: bool, *, actor=None, request=None) -> Article:
    """Pin a published article to the top of the home page and the news list."""
    if pinned and not article.is_published:
        raise ArticleTransitionError(_("“%(title)s”尚未发布，不能置顶。") % {"title": article.title})
    with transaction.atomic():
        updated = Article.objects.filter(pk=article.pk).update(pinned=pinned, updated=timezone.now())
        if updated:
            audit.record(
                audit.AuditEntry.Action.CHANGE, actor=actor, obj=article, detail="置顶" if pinned else "取消置顶",
                request=request,
            )
    article.pinned = pinned
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
    transaction.on_commit(lambda: [storage.delete(name) for name in old if storage.exists(name)])


def clear_cover(article: Article) -> None:
    old = [f.name for f in (article.cover, article.cover_card, article.cover_thumb) if f]
    article.cover = article.cover_card = article.cover_thumb = ""
    storage = Article._meta.get_field("cover").storage
    transaction.on_commit(lambda: [storage.delete(name) for name in old if storage.exists(name)])


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
        publish_article(article, actor=actor)
    return article
