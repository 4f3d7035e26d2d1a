"""What volunteers count for the statistics return (a rule named in the return's catalogue)."""

from association import extensions, scoping

from .models import Volunteer


@extensions.statistic_rule("volunteers.registered", label="在册科普志愿者")
def registered(unit_ids, year):
    # On the roll at the end of the year: approved, and registered by then.
    on_roll = Volunteer.objects.filter(status=Volunteer.Status.APPROVED, created__year__lte=year)
    return scoping.within(on_roll, unit_ids).count()
