"""An event's own state machine (draft → published → finished, or cancelled) and copying."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from association import audit, queue
from association.models import AuditEntry
from association.states import DomainError, StateMachine

from ..models import Event
from ._common import lock_event
from .registrations import promote_waiting_list

S = Event.Status

EVENTS = StateMachine(S, {
    S.DRAFT: {S.PUBLISHED, S.CANCELLED},
    S.PUBLISHED: {S.CANCELLED, S.FINISHED},
    S.CANCELLED: set(),
    S.FINISHED: set(),
})


def _named(event: Event) -> str:
    return _("活动“%(title)s”") % {"title": event.title}


@transaction.atomic
def publish(*, event_id: int, actor, request=None) -> Event:
    event = lock_event(event_id)
    if event.end < event.start:
        raise DomainError(_("结束时间早于开始时间，不能发布。"))
    event.published_at = timezone.now()
    EVENTS.move(event, S.PUBLISHED, actor=actor, request=request, fields=["published_at"], subject=_named(event))
    return event


@transaction.atomic
def cancel(*, event_id: int, actor, reason: str = "", request=None) -> Event:
    """Cancel the event and tell everyone signed up, by e-mail, once this commits."""
    event = lock_event(event_id)
    event.cancellation_reason = reason[:200]
    event.registration_open = False
    EVENTS.move(event, S.CANCELLED, actor=actor, request=request, detail=reason,
                fields=["cancellation_reason", "registration_open"], subject=_named(event))
    queue.enqueue("events.tasks.send_event_cancelled_notices", event.pk)
    return event


@transaction.atomic
def finish(*, event_id: int, actor=None, request=None) -> Event:
    event = lock_event(event_id)
    event.registration_open = False
    EVENTS.move(event, S.FINISHED, actor=actor, request=request, fields=["registration_open"], subject=_named(event))
    return event


def finish_past_events(*, now=None) -> int:
    """Mark published events that ended more than a day ago as finished (the nightly job)."""
    cutoff = (now or timezone.now()) - timezone.timedelta(days=1)
    done = 0
    for event_id in Event.objects.filter(status=S.PUBLISHED, end__lt=cutoff).values_list("pk", flat=True).iterator():
        finish(event_id=event_id)
        done += 1
    return done


def hold_for_change(*, event_id: int) -> Event:
    """The event, fresh and held for the rest of the transaction, for staff changing it:
    its form is checked against the counts as they are while nobody can sign up, and what
    is saved is never older than the latest sign-up (the admin's change view)."""
    return lock_event(event_id)


@transaction.atomic
def settings_changed(*, event_id: int, actor=None, request=None) -> list:
    """After staff edit capacity or the waiting list: fill any seats that opened up."""
    event = lock_event(event_id)
    return promote_waiting_list(event, actor=actor, request=request)


@transaction.atomic
def copy(*, event_id: int, actor, request=None) -> Event:
    """A draft copy of an event, for next year's edition: same settings, no sign-ups or outcome."""
    source = Event.objects.get(pk=event_id)
    clone = Event.objects.get(pk=event_id)
    clone.pk = None
    clone.id = None
    clone._state.adding = True
    clone.title = _("%(title)s（副本）") % {"title": source.title}
    clone.status = S.DRAFT
    clone.published_at = None
    clone.cancellation_reason = ""
    clone.seats_taken = clone.waitlisted_count = clone.pending_count = clone.checked_in_count = 0
    clone.created_by = actor if getattr(actor, "is_authenticated", False) else None
    clone.save()
    clone.partners.set(source.partners.all())
    clone.teams.set(source.teams.all())
    audit.record(AuditEntry.Action.CREATE, actor=actor, obj=clone, detail=_("复制自活动 #%(id)s") % {"id": source.pk},
                 request=request)
    return clone
