"""The admin screens of the packages the portal runs on (log-in lockout, scheduled tasks,
two-step devices and backup codes), re-registered where a package writes English that no catalogue can
translate: column names taken from method names, fieldset titles, messages built with
f-strings. Texts the packages do mark for translation are in locale/zh_Hans (django.po).
"""

import calendar
import re

from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from cron_descriptor import (
    ExpressionDescriptor,
    FormatException,
    MissingFieldException,
    Options,
    WrongArgumentException,
)
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_celery_beat.admin import CrontabScheduleAdmin, PeriodicTaskAdmin
from django_celery_beat.models import CrontabSchedule, PeriodicTask
from django_celery_results.admin import GroupResultAdmin, TaskResultAdmin
from django_celery_results.models import GroupResult, TaskResult
from django_otp.plugins.otp_static.admin import StaticDeviceAdmin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice


def _replace(model, model_admin) -> None:
    if admin.site.is_registered(model):
        admin.site.unregister(model)
        admin.site.register(model, model_admin)


# -- django-axes ------------------------------------------------------------------------------


class PortalAccessAttemptAdmin(AccessAttemptAdmin):
    @admin.display(description=gettext_lazy("状态"))
    def status(self, obj):
        return super().status(obj)

    @admin.action(description=gettext_lazy("清理已过期的登录尝试"))
    def cleanup_expired_attempts(self, request, queryset):
        # axes counts the cool-off back from the time a log-in request carries (its own action
        # fails for want of it); this request is no log-in, so from now.
        request.axes_attempt_time = timezone.now()
        count = self.handler.clean_expired_user_attempts(request=request)
        self.message_user(request, _("已清理 %(n)s 条过期的登录尝试。") % {"n": count})


_replace(AccessAttempt, PortalAccessAttemptAdmin)


# -- django-celery-beat -----------------------------------------------------------------------

WEEKDAYS = dict(zip(calendar.day_name, ["星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日"], strict=True))
MONTHS = dict(zip(calendar.month_name[1:], [f"{n}月" for n in "一二三四五六七八九十"] + ["十一月", "十二月"], strict=True))
_NAMES = re.compile(r"\b({})\b".format("|".join([*WEEKDAYS, *MONTHS])))


def crontab_in_chinese(crontab: CrontabSchedule) -> str:
    """What a crontab means, in Chinese: 在 08:00, 每月的 1 号（Asia/Shanghai）.

    django-celery-beat asks cron-descriptor in English only; its Chinese leaves the names of
    days and months in English, which are put into Chinese here.
    """
    expression = " ".join([crontab.minute, crontab.hour, crontab.day_of_month, crontab.month_of_year, crontab.day_of_week])
    options = Options()
    options.locale_code = "zh_CN"
    options.use_24hour_time_format = True
    try:
        text = ExpressionDescriptor(expression, options).get_description()
    except (FormatException, MissingFieldException, WrongArgumentException):
        text = expression
    text = _NAMES.sub(lambda m: WEEKDAYS.get(m[0]) or MONTHS[m[0]], text).replace(", ", "，")
    return f"{text}（{crontab.timezone}）"


class PortalPeriodicTaskAdmin(PeriodicTaskAdmin):
    @admin.display(description=gettext_lazy("执行计划"))
    def schedule_shown(self, obj):
        return crontab_in_chinese(obj.crontab) if obj.crontab_id else obj.scheduler

    @admin.display(description=gettext_lazy("Crontab 含义"))
    def crontab_translation(self, obj):
        return crontab_in_chinese(obj.crontab) if obj.crontab_id else "-"

    list_display = tuple("schedule_shown" if name == "scheduler" else name for name in PeriodicTaskAdmin.list_display)


class PortalCrontabScheduleAdmin(CrontabScheduleAdmin):
    @admin.display(description=gettext_lazy("含义"))
    def meaning(self, obj):
        return crontab_in_chinese(obj)

    list_display = ["__str__", "meaning"]
    fields = ["meaning", "minute", "hour", "day_of_month", "month_of_year", "day_of_week", "timezone"]
    readonly_fields = ["meaning"]


_replace(PeriodicTask, PortalPeriodicTaskAdmin)
_replace(CrontabSchedule, PortalCrontabScheduleAdmin)


# -- django-otp (TOTP devices, backup codes) --------------------------------------------------

TOTP_FIELDSETS = {
    "Identity": gettext_lazy("设备"),
    "Timestamps": gettext_lazy("时间"),
    "Configuration": gettext_lazy("参数"),
    "State": gettext_lazy("时钟偏移"),
    "Throttling": gettext_lazy("失败限制"),
}


class PortalTOTPDeviceAdmin(TOTPDeviceAdmin):
    search_help_text = gettext_lazy("按用户名或电子邮件地址搜索")

    def get_fieldsets(self, request, obj=None):
        return [(TOTP_FIELDSETS.get(name, name), options) for name, options in super().get_fieldsets(request, obj)]

    @admin.display(description=gettext_lazy("二维码"))
    def qrcode_link(self, device):
        url = reverse("admin:otp_totp_totpdevice_config", kwargs={"pk": device.pk})
        return format_html('<a href="{}">{}</a>', url, _("查看二维码"))


_replace(TOTPDevice, PortalTOTPDeviceAdmin)


class PortalStaticDeviceAdmin(StaticDeviceAdmin):
    """Each staff member's backup codes: who has them, when last used. The codes themselves
    are never shown here (only once, to their owner, on the two-step page)."""

    search_help_text = gettext_lazy("按用户名或电子邮件地址搜索")
    list_display = ["user", "name", "codes_left", "created_at", "last_used_at", "confirmed"]

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(_codes_left=Count("token_set"))

    @admin.display(description=gettext_lazy("未使用的备用码"), ordering="_codes_left")
    def codes_left(self, device):
        return device._codes_left

    def get_fieldsets(self, request, obj=None):
        return [(TOTP_FIELDSETS.get(name, name), options) for name, options in super().get_fieldsets(request, obj)]

    def get_inline_instances(self, request, obj=None):
        return []


_replace(StaticDevice, PortalStaticDeviceAdmin)


# -- django-celery-results --------------------------------------------------------------------

# Celery's state codes, as staff read them; the code itself stays searchable.
TASK_STATES = {
    "PENDING": gettext_lazy("等待执行"),
    "RECEIVED": gettext_lazy("已接收"),
    "STARTED": gettext_lazy("执行中"),
    "SUCCESS": gettext_lazy("成功"),
    "FAILURE": gettext_lazy("失败"),
    "RETRY": gettext_lazy("等待重试"),
    "REVOKED": gettext_lazy("已撤销"),
    "IGNORED": gettext_lazy("已忽略"),
    "REJECTED": gettext_lazy("已拒绝"),
}


class TaskStateFilter(admin.SimpleListFilter):
    title = gettext_lazy("任务状态")
    parameter_name = "status__exact"

    def lookups(self, request, model_admin):
        return list(TASK_STATES.items())

    def queryset(self, request, queryset):
        return queryset.filter(status=self.value()) if self.value() else queryset


class ResultsComeFromWorkers:
    """Results are written by the workers, never added by hand: no 增加 button or page."""

    def has_add_permission(self, request):
        return False


class PortalGroupResultAdmin(ResultsComeFromWorkers, GroupResultAdmin):
    pass


_tasks_imported = False


def task_label(task_name: str | None) -> str:
    """The Chinese name a task declares (``@shared_task(label=...)``), else its code name.

    A web process imports no tasks module by itself (a worker does at start, and services ask
    for tasks by name), so the apps' tasks modules are imported here the first time."""
    from celery import current_app as app

    global _tasks_imported
    if not _tasks_imported:
        app.loader.import_default_modules()
        _tasks_imported = True
    task = app.tasks.get(task_name or "")
    return getattr(task, "label", None) or task_name or "—"


class TaskNameFilter(admin.SimpleListFilter):
    title = gettext_lazy("任务")
    parameter_name = "task_name__exact"

    def lookups(self, request, model_admin):
        names = TaskResult.objects.order_by().values_list("task_name", flat=True).distinct()
        return sorted(((name, task_label(name)) for name in names if name), key=lambda item: item[1])

    def queryset(self, request, queryset):
        return queryset.filter(task_name=self.value()) if self.value() else queryset


class PortalTaskResultAdmin(ResultsComeFromWorkers, TaskResultAdmin):
    list_display = ("task_id", "periodic_task_name", "task", "date_done", "state", "worker")
    list_filter = (TaskStateFilter, "date_done", "periodic_task_name", TaskNameFilter, "worker")

    @admin.display(description=gettext_lazy("任务"), ordering="task_name")
    def task(self, result):
        return task_label(result.task_name)

    @admin.display(description=gettext_lazy("任务状态"), ordering="status")
    def state(self, result):
        return TASK_STATES.get(result.status, result.status)

    # A result's own page shows the state in Chinese too, in place of the stored code.
    def get_readonly_fields(self, request, obj=None):
        return ["state" if name == "status" else name for name in super().get_readonly_fields(request, obj)]

    def get_fieldsets(self, request, obj=None):
        return [(title, {**options, "fields": ["state" if f == "status" else f for f in options["fields"]]})
                for title, options in super().get_fieldsets(request, obj)]



_replace(TaskResult, PortalTaskResultAdmin)
_replace(GroupResult, PortalGroupResultAdmin)
