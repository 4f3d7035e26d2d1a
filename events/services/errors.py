"""The events app's refusals: the core's ``DomainError`` with the sign-up's own kinds, so
that a view can tell them apart where it shows them differently (a duplicate mobile is
shown at the mobile field). Every one carries the Chinese message the view shows as it is;
forbidden moves are the core's ``TransitionNotAllowed``."""

from django.utils.translation import gettext_lazy as _

from association.states import DomainError


class SignupClosed(DomainError):
    default_message = _("本活动现在不接受报名。")


class EventFull(DomainError):
    default_message = _("名额已满。")


class DuplicateRegistration(DomainError):
    default_message = _("该手机号码已报名本活动，请勿重复报名。")


class Busy(DomainError):
    default_message = _("报名人数较多，系统繁忙，请稍后再提交一次（您填写的内容已保留）。")
    # Nothing was written and trying again shortly will do: the API answers 503, not 409.
    api_status = 503


class UnknownCode(DomainError):
    default_message = _("签到码无效：本活动没有这个签到码。")


class AlreadyCheckedIn(DomainError):
    default_message = _("此人已签到，请勿重复签到。")


class GuardianRequired(DomainError):
    """An event for young people: the age question, and for a child under 14 a guardian's
    name, mobile and statement, come before anything is kept. ``field`` is where to show it."""

    default_message = _("请选择参加者是否未满14周岁。")

    def __init__(self, message=None, field="age_group"):
        super().__init__(message)
        self.field = field


class CheckInRefused(DomainError):
    """A volunteer's own check-in or check-out refused (``services.attendance``): the pages
    show the message; the API answers it with ``code``, one per reason, stable."""

    def __init__(self, code: str, message=None):
        super().__init__(message)
        self.api_code = code
