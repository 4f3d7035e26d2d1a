"""What waits for staff in talents and awards (the admin index's workbench)."""

from django.utils.translation import gettext_lazy as _

from association import extensions, scoping

from .models import Nomination, TechDemand


@extensions.workbench_item(70, label=_("待资格审查的推荐"), permission="talents.manage_award_process",
                           url="admin:talents_nomination_changelist", query="status__exact=submitted")
def nominations_to_review(user):
    return scoping.scope(Nomination.objects.filter(status=Nomination.Status.SUBMITTED), user).count()


@extensions.workbench_item(80, label=_("待审核的技术需求"), permission="talents.change_techdemand",
                           url="admin:talents_techdemand_changelist", query="status__exact=collected")
def demands_to_check(user):
    return scoping.scope(TechDemand.objects.filter(status=TechDemand.Status.COLLECTED), user).count()
