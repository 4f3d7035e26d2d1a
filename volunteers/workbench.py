"""What waits for staff in volunteer work (the admin index's workbench): for each model, the
rows in one status within the person's scope, linked to the changelist filtered on it."""

from django.utils.translation import gettext_lazy as _

from association import extensions, scoping

from .models import ChangeRequest, HoursClaim, ServiceOrder, ServiceRecord, Volunteer

WAITING = [
    (10, Volunteer, Volunteer.Status.PENDING, _("待审核的志愿者")),
    (20, ServiceOrder, ServiceOrder.Status.SUBMITTED, _("待派单的点单")),
    (30, ServiceRecord, ServiceRecord.Status.PENDING, _("待确认的服务时长")),
    (40, HoursClaim, HoursClaim.Status.PENDING, _("待审核的时长补录申请")),
    (50, ChangeRequest, ChangeRequest.Status.PENDING, _("待处理的更正与实名变更申请")),
]


def _waiting_count(model, status):
    def count(user) -> int:
        return scoping.scope(model.objects.filter(status=status), user).count()

    count.__qualname__ = f"waiting_{model._meta.model_name}"  # the registry's key
    return count


for order, model, status, label in WAITING:
    meta = model._meta
    extensions.workbench_item(
        order, label=label, permission=f"{meta.app_label}.change_{meta.model_name}",
        url=f"admin:{meta.app_label}_{meta.model_name}_changelist", query=f"status__exact={status}",
    )(_waiting_count(model, status))
