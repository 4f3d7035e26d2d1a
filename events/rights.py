"""The events' part of a volunteer's rights over their data: their sign-ups in the copy of
their own data, and erased when they close their account (注销)."""

from django.db.models import CharField, Q, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from association import extensions
from association.retention import forget_in_audit

from .models import Registration, ServiceAttendance
from .retention import ERASED_NAME
from .services import registrations


def _theirs(volunteer):
    mine = Q(user_id=volunteer.user_id) if volunteer.user_id else Q(pk__in=[])
    if volunteer.mobile:
        mine |= Q(mobile_hash=registrations.mobile_hash(volunteer.mobile))
    return Registration.objects.filter(mine)


@extensions.personal_data(40, _("活动报名"))
def sign_ups(volunteer) -> list[dict]:
    return [
        {_("活动"): r.event.title, _("活动时间"): r.event.start, _("姓名"): r.name, _("手机号码"): r.mobile,
         _("电子邮箱"): r.email, _("工作单位或学校"): r.organization, _("状态"): r.get_status_display(),
         _("报名时间"): r.created, _("签到时间"): r.checked_in_at, _("监护人姓名"): r.guardian_name,
         _("监护人手机号码"): r.guardian_mobile}
        for r in _theirs(volunteer).exclude(name=ERASED_NAME).select_related("event").order_by("created", "id")
    ]


@extensions.personal_data(41, _("服务签到"))
def service_check_ins(volunteer) -> list[dict]:
    return [
        {_("活动"): a.event.title, _("服务队伍"): a.team.name if a.team_id else "", _("签到时间"): a.checked_in_at,
         _("签退时间"): a.checked_out_at}
        for a in ServiceAttendance.objects.filter(volunteer=volunteer).select_related("event", "team")
        .order_by("checked_in_at", "id")
    ]


@extensions.account_erasure(40)
def erase_sign_ups(volunteer, request) -> None:
    """Upcoming places are given up (the waiting list moves on), then every sign-up of
    theirs keeps only its status, for the events' attendance figures."""
    now = timezone.now()
    for pk in _theirs(volunteer).filter(status__in=Registration.ACTIVE, event__end__gte=now).exclude(
            status=Registration.Status.CHECKED_IN).values_list("pk", flat=True):
        registrations.cancel(registration_id=pk, request=request, reason="报名者注销账号")
    for registration in _theirs(volunteer).only("pk"):
        forget_in_audit(registration, ERASED_NAME)
    _theirs(volunteer).update(
        name=ERASED_NAME, mobile="", email="", organization="", guardian_name="", guardian_mobile="", user=None,
        mobile_hash=Concat(Value("erased-"), Cast("id", CharField())),
    )
