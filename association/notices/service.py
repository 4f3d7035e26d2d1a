"""Writing notices (in the caller's transaction) and sending them (in the worker)."""

import json
import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from smtplib import SMTPException

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction
from django.db.models import F
from django.template import Context, Template
from django.utils import timezone

from .. import extensions, queue
from ..crypto import encrypt, lookup_hash, mask_mobile
from ..models import Channel, Delivery, NoticePreference, NoticeTemplate, SiteSettings
from . import sms

logger = logging.getLogger(__name__)

SEND_TASK = "association.send_deliveries"
SEND_BATCH = 500  # deliveries per send task
INSERT_BATCH = 2000
MAX_ATTEMPTS = 6
S = Delivery.Status
PASSING_FAULTS = (SMTPException, ConnectionError, TimeoutError, OSError, sms.SmsTemporaryError)


@dataclass
class Recipient:
    """One person to tell: their account (inbox, their e-mail, their choices), or an e-mail
    and a mobile the app keeps for them; ``context`` adds to the notice's own."""

    user: object = None
    email: str = ""
    mobile: str = ""
    context: dict = field(default_factory=dict)
    key: str = ""  # this person's own key, when one call tells each about a thing of their own


def mask_email(value: str) -> str:
    """z***@example.org"""
    name, _, domain = value.partition("@")
    return f"{name[:1]}***@{domain}" if domain else "***"


def _normal_mobile(value: str) -> str:
    digits = "".join(ch for ch in value or "" if ch.isdigit())
    return digits[-11:] if len(digits) >= 11 else digits


class _Templates:
    """The kind's templates (staff's wording first), compiled once per call. Staff's wording
    that fails with this notice's data (a link to a page that needs what this notice lacks)
    gives way to the code's wording, and the failure is logged for the office to mend."""

    def __init__(self, kind_key: str):
        try:
            self.kind = extensions.notice_kinds()[kind_key]
        except KeyError:
            raise LookupError(f"unknown notice kind {kind_key!r}: register it with extensions.notice_kind") from None
        override = NoticeTemplate.objects.filter(kind=kind_key).first()
        self.default = self._compile(self.kind)
        self.override = self._compile(override) if override else None
        self.signature = sms.signature() if (self.override or self.default)["sms"] is not None else ""

    def _compile(self, source) -> dict:
        compiled = {name: Template(getattr(source, name) or getattr(self.kind, name)) for name in ("subject", "body")}
        sms_source = source.sms or self.kind.sms
        compiled["sms"] = Template(sms_source) if sms_source else None
        return compiled

    def render(self, context: dict) -> dict:
        ctx = Context({"site_url": settings.SITE_URL, "site": SiteSettings.load(), **context}, autoescape=False)
        if self.override is not None:
            try:
                return self._render(self.override, ctx, context)
            except Exception:  # noqa: BLE001 - staff's wording must never stop a notice
                logger.warning("notice template of %s failed to render; the default wording was used", self.kind.key,
                               exc_info=True)
        return self._render(self.default, ctx, context)

    def _render(self, templates: dict, ctx, context: dict) -> dict:
        out = {"subject": " ".join(templates["subject"].render(ctx).split())[:200],
               "body": templates["body"].render(ctx).strip()}
        if templates["sms"] is not None:
            out["sms"] = self.signature + " ".join(templates["sms"].render(ctx).split())
            out["params"] = json.dumps(self.kind.sms_params(context), ensure_ascii=False, default=str) if (
                self.kind.sms_params) else ""
        return out


def _turned_off(kind, user_ids) -> set[tuple[int, str]]:
    if kind.essential or not user_ids:
        return set()
    return set(NoticePreference.objects.filter(kind=kind.key, user_id__in=user_ids).values_list("user_id", "channel"))


def _rows_for(templates: _Templates, recipient: Recipient, context: dict, key: str, off: set, now) -> list[Delivery]:
    kind = templates.kind
    key = (recipient.key or key)[:120]
    user = recipient.user
    text = templates.render({**context, **recipient.context, "recipient_user": user})
    rows = []

    def row(channel, recipient_id, address="", mask="", body=text["body"], params=""):
        skipped = user is not None and (user.pk, channel) in off
        status = S.SKIPPED if skipped else (S.SENT if channel == Channel.INBOX else S.QUEUED)
        rows.append(Delivery(
            kind=kind.key, key=key, channel=channel, recipient=recipient_id, user=user, address=address,
            address_mask=mask, subject=text["subject"], body=body, params=params, status=status,
            sent_at=now if status == S.SENT else None,
        ))

    email = (recipient.email or (getattr(user, "email", "") if user is not None else "")).strip()
    if email:
        row(Channel.EMAIL, lookup_hash(email.lower(), purpose="notice-email"), email, mask_email(email))
    mobile = _normal_mobile(recipient.mobile)
    if mobile and "sms" in text:
        row(Channel.SMS, lookup_hash(mobile, purpose="notice-mobile"), mobile, mask_mobile(mobile),
            body=text["sms"], params=text["params"])
    if user is not None:
        row(Channel.INBOX, f"user:{user.pk}")
    return rows


COLUMNS = ("kind", "key", "channel", "recipient", "user_id", "address", "address_mask", "subject", "body", "params",
           "status", "attempts", "last_error", "created", "sent_at")


def _write(rows: list[Delivery]) -> list[int]:
    """Insert the rows, the ones already there (same kind, key, channel and recipient) left
    as they are; returns the ids of those left to send.

    One INSERT … ON CONFLICT per few thousand rows, written here rather than through
    ``bulk_create``: a cancellation tells ten thousand people at once, and the ORM's work per
    field would double the time. ``DO UPDATE`` of an unchanged column makes PostgreSQL
    return every row, the existing ones with their status (sent stays sent)."""
    from psycopg2.extras import execute_values

    unique = {}
    for r in rows:  # one statement may not meet the same row twice
        unique.setdefault((r.key, r.channel, r.recipient), r)
    rows = list(unique.values())
    table = connection.ops.quote_name(Delivery._meta.db_table)
    sql = (f"INSERT INTO {table} ({', '.join(COLUMNS)}) VALUES %s "
           "ON CONFLICT (kind, key, channel, recipient) DO UPDATE SET kind = EXCLUDED.kind RETURNING id, status")
    queued = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), INSERT_BATCH):
            chunk = rows[start:start + INSERT_BATCH]
            values = [(r.kind, r.key, r.channel, r.recipient, r.user_id, encrypt(r.address) if r.address else "",
                       r.address_mask, r.subject, r.body, r.params, r.status, 0, "", r.created, r.sent_at)
                      for r in chunk]
            returned = execute_values(cursor.cursor, sql, values, page_size=INSERT_BATCH, fetch=True)
            for r, (pk, status) in zip(chunk, returned, strict=True):
                r.pk, r.status = pk, status
                if status == S.QUEUED:
                    queued.append(pk)
    return queued


def _schedule(ids: list[int]) -> None:
    for start in range(0, len(ids), SEND_BATCH):
        queue.enqueue(SEND_TASK, ids[start:start + SEND_BATCH])


def notify(kind: str, *, user=None, email: str = "", mobile: str = "", context: dict | None = None,
           key: str = "") -> list[Delivery]:
    """Tell one person; see the package's docstring."""
    return notify_many(kind, [Recipient(user=user, email=email, mobile=mobile)], context=context, key=key)


def notify_many(kind: str, recipients: Iterable[Recipient], *, context: dict | None = None, key: str = "") -> list[Delivery]:
    """Tell many people the same kind of notice (rendered for each): the rows in bulk, one
    send task per ``SEND_BATCH`` of them."""
    templates = _Templates(kind)
    recipients = list(recipients)
    key = key or uuid.uuid4().hex
    off = _turned_off(templates.kind, {r.user.pk for r in recipients if r.user is not None})
    now = timezone.now()
    rows = [row for r in recipients for row in _rows_for(templates, r, context or {}, key, off, now)]
    for row in rows:
        row.created = now
    with transaction.atomic():
        _schedule(_write(rows))
    return rows


def keys_written(kind: str, keys: Iterable[str]) -> set[str]:
    """Which of these keys already have a notice of this kind (to skip the work of
    rendering what would be written once anyway)."""
    return set(Delivery.objects.filter(kind=kind, key__in=list(keys)).values_list("key", flat=True).distinct())


# -- the worker's side --------------------------------------------------------------------


def _send_email(connection, delivery: Delivery) -> None:
    message = EmailMessage(delivery.subject, delivery.body, None, [delivery.address], connection=connection)
    kind = extensions.notice_kinds().get(delivery.kind)
    for attachment in (kind.attachments(delivery) if kind is not None and kind.attachments else ()):
        message.attach(*attachment)
    message.send()


def _send_sms(backend, delivery: Delivery) -> None:
    backend.send(delivery.address, delivery.body, kind=delivery.kind,
                 params=json.loads(delivery.params) if delivery.params else {})


def _mark(batch: list[Delivery], now) -> None:
    """Record the outcome: one UPDATE for the sent, one for the limited, the rest row by row."""
    done = {S.SENT: [], S.LIMITED: []}
    others = []
    for delivery in batch:
        (done[delivery.status] if delivery.status in done and not delivery.last_error else others).append(delivery)
    for status, rows in done.items():
        if rows:
            Delivery.objects.filter(pk__in=[d.pk for d in rows]).update(
                status=status, sent_at=now if status == S.SENT else None, attempts=F("attempts") + 1, last_error="")
    if others:
        Delivery.objects.bulk_update(others, ["status", "attempts", "last_error", "sent_at"])


def send_deliveries(ids: list[int], *, last_try: bool = False) -> list[int]:
    """Send the queued deliveries among ``ids`` (a row already sent, or held by another
    worker, is left alone); returns the ids that met a passing fault, to try again.

    Each row is held (``FOR UPDATE SKIP LOCKED``) from before its send until it is marked,
    so two runs of the same task never both send it."""
    retry = []
    # Rows are held while their messages go out: small enough a batch that a slow mail
    # server never leaves the transaction idle near PostgreSQL's limit (60 s).
    step = 50
    for start in range(0, len(ids), step):
        with transaction.atomic():
            batch = list(Delivery.objects.select_for_update(skip_locked=True)
                         .filter(pk__in=ids[start:start + step], status=S.QUEUED).order_by("pk"))
            if not batch:
                continue
            mail = get_connection() if any(d.channel == Channel.EMAIL for d in batch) else None
            backend = sms.backend() if any(d.channel == Channel.SMS for d in batch) else None
            now = timezone.now()
            # The rate per number, counted for the batch's messages in one round trip.
            texts = [d for d in batch if d.channel == Channel.SMS]
            allowed = dict(zip([d.pk for d in texts], sms.rate_allows([d.recipient for d in texts]), strict=True))
            for delivery in batch:
                delivery.attempts += 1
                try:
                    if delivery.channel == Channel.EMAIL:
                        _send_email(mail, delivery)
                        delivery.status = S.SENT
                    elif delivery.channel == Channel.SMS:
                        if allowed[delivery.pk]:
                            _send_sms(backend, delivery)
                            delivery.status = S.SENT
                        else:
                            delivery.status = S.LIMITED
                    else:
                        delivery.status = S.SENT
                    delivery.sent_at = now if delivery.status == S.SENT else None
                    delivery.last_error = ""
                except PASSING_FAULTS as exc:
                    delivery.last_error = f"{type(exc).__name__}: {exc}"[:300]
                    if last_try or delivery.attempts >= MAX_ATTEMPTS:
                        delivery.status = S.FAILED
                    else:
                        retry.append(delivery.pk)
                except Exception as exc:  # noqa: BLE001 - a refusal: recorded, never tried again
                    delivery.last_error = f"{type(exc).__name__}: {exc}"[:300]
                    delivery.status = S.FAILED
            if mail is not None:
                mail.close()
            _mark(batch, now)
    failed = len(retry)
    if failed:
        logger.warning("notices: %s deliveries met a passing fault, to be tried again", failed)
    return retry


# -- the person's own side ----------------------------------------------------------------


def inbox_of(user):
    return Delivery.objects.filter(user=user, channel=Channel.INBOX, status=S.SENT)


def unread_count(user) -> int:
    return inbox_of(user).filter(read_at__isnull=True).count()


def mark_read(*, user, delivery_id: int) -> Delivery:
    with transaction.atomic():
        message = inbox_of(user).select_for_update().get(pk=delivery_id)
        if message.read_at is None:
            message.read_at = timezone.now()
            message.save(update_fields=["read_at"])
    return message


def switchable_kinds():
    return [k for k in extensions.notice_kinds().values() if not k.essential]


def preferences_of(user) -> set[tuple[str, str]]:
    """(kind, channel) the person turned off."""
    return set(NoticePreference.objects.filter(user=user).values_list("kind", "channel"))


def set_preferences(*, user, turned_off: set[tuple[str, str]]) -> None:
    """Keep exactly these (kind, channel) off for the person; essential kinds cannot be."""
    allowed = {k.key for k in switchable_kinds()}
    wanted = {(k, c) for k, c in turned_off if k in allowed and c in Channel.values}
    with transaction.atomic():
        current = preferences_of(user)
        for kind, channel in current - wanted:
            NoticePreference.objects.filter(user=user, kind=kind, channel=channel).delete()
        NoticePreference.objects.bulk_create(
            [NoticePreference(user=user, kind=k, channel=c) for k, c in wanted - current], ignore_conflicts=True)
