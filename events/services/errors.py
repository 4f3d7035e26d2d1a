"""Domain errors: each carries the Chinese message the view shows as it is."""

from django.utils.translation import gettext_lazy as _


class EventError(Exception):
    default_message = _("操作未能完成。")

    def __init__(self, message=None):
        self.message = message or self.default_message
        super().__init__(str(self.message))


class InvalidTransition(EventError):
    default_message = _("当前状态下不能进行此操作。")


class SignupClosed(EventError):
    default_message = _("本活动现在不接受报名。")


class EventFull(EventError):
    default_message = _("名额已满。")


class DuplicateRegistration(EventError):
    default_message = _("该手机号码已报名本活动，请勿重复报名。")


class Busy(EventError):
    default_message = _("报名人数较多，系统繁忙，请稍后再提交一次（您填写的内容已保留）。")


class UnknownCode(EventError):
    default_message = _("签到码无效：本活动没有这个签到码。")


class AlreadyCheckedIn(EventError):
    default_message = _("此人已签到，请勿重复签到。")
