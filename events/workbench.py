"""What waits for staff in events (the admin index's workbench)."""

from django.utils.translation import gettext_lazy as _

from association import extensions, scoping

from .models import Event, Registration


@extensions.workbench_item(60, label=_("有报名待审核的活动"), permission="events.change_registration",
                           url="admin:events_registration_changelist", query="status__exact=pending")
def events_with_pending_signups(user):
    events = Event.objects.filter(registrations__status=Registration.Status.PENDING)
    return scoping.scope(events, user).values("pk").distinct().count()
