"""What waits for staff in the statistics return (the admin index's workbench): the returns
the units below them have submitted (a unit's own return is reviewed by the level above)."""

from django.utils.translation import gettext_lazy as _

from association import extensions, scoping

from .models import StatisticsReturn


@extensions.workbench_item(90, label=_("下级报送待审核的统计年报"), permission="returns.change_statisticsreturn",
                           url="admin:returns_statisticsreturn_changelist", query="status__exact=submitted")
def returns_to_accept(user):
    submitted = scoping.scope(StatisticsReturn.objects.filter(status=StatisticsReturn.Status.SUBMITTED), user)
    unit = scoping.unit_of(user)
    if unit is not None:
        submitted = submitted.exclude(organization_id=unit.pk)
    return submitted.count()
