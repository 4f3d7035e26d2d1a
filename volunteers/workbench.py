"""What waits for staff in volunteer work (the admin index's workbench)."""

from django.utils.translation import gettext_lazy as _

from association import extensions, scoping

from .models import ChangeRequest, HoursClaim, ServiceOrder, ServiceRecord, Volunteer


def _pending(model, status, user) -> int:
    return scoping.scope(model.objects.filter(status=status), user).count()


@extensions.workbench_item(10, label=_("待审核的志愿者"), permission="volunteers.change_volunteer",
                           url="admin:volunteers_volunteer_changelist", query="status__exact=pending")
def volunteers_to_approve(user):
    return _pending(Volunteer, Volunteer.Status.PENDING, user)


@extensions.workbench_item(20, label=_("待派单的点单"), permission="volunteers.change_serviceorder",
                           url="admin:volunteers_serviceorder_changelist", query="status__exact=submitted")
def orders_to_dispatch(user):
    return _pending(ServiceOrder, ServiceOrder.Status.SUBMITTED, user)


@extensions.workbench_item(30, label=_("待确认的服务时长"), permission="volunteers.change_servicerecord",
                           url="admin:volunteers_servicerecord_changelist", query="status__exact=pending")
def hours_to_confirm(user):
    return _pending(ServiceRecord, ServiceRecord.Status.PENDING, user)


@extensions.workbench_item(40, label=_("待审核的时长补录申请"), permission="volunteers.change_hoursclaim",
                           url="admin:volunteers_hoursclaim_changelist", query="status__exact=pending")
def claims_to_review(user):
    return _pending(HoursClaim, HoursClaim.Status.PENDING, user)


@extensions.workbench_item(50, label=_("待处理的更正与实名变更申请"), permission="volunteers.change_changerequest",
                           url="admin:volunteers_changerequest_changelist", query="status__exact=pending")
def change_requests(user):
    return _pending(ChangeRequest, ChangeRequest.Status.PENDING, user)
