"""Recording what happened: one call for every state change and every view of personal data."""

from django.contrib.contenttypes.models import ContentType

from .clientip import client_ip
from .models import AuditEntry


def record(
    action: str,
    *,
    actor=None,
    obj=None,
    from_state: str = "",
    to_state: str = "",
    detail: str = "",
    request=None,
) -> AuditEntry:
    """Write one audit entry. ``detail`` must never contain unmasked personal data."""
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return AuditEntry.objects.create(
        action=action,
        actor=actor,
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        from_state=from_state,
        to_state=to_state,
        detail=detail,
        ip_address=client_ip(request) or None,
    )


def history(obj):
    """Entries about one object, newest first."""
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
    ).select_related("actor")
