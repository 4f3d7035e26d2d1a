"""The admin screens of the packages (django-axes, django-celery-results, django-celery-beat,
django-otp) read in Chinese, as the rest of the staff admin does."""

import datetime
import html as htmllib
import os
import re

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.models import Permission
from django.utils import timezone
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask
from django_celery_results.models import GroupResult, TaskResult
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from association.roles import name_default_permissions_in_chinese
from association.schedule import sync_periodic_tasks
from association.tasks import flush_outbox, run_report_job
from tests.association.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("chinese_catalogue")]


def shown(html: str) -> str:
    """The text a person reads on the page (no markup, scripts or styles)."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return htmllib.unescape(re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def records():
    """One of everything the screens list, so that lists and change pages have rows."""
    attempt_fields = {"username": "zhang", "ip_address": "10.0.0.9", "user_agent": "Firefox", "http_accept": "*/*",
                      "path_info": "/accounts/login/"}
    every_night = CrontabSchedule.objects.create(minute="30", hour="1", timezone="Asia/Shanghai")
    daily = IntervalSchedule.objects.create(every=1, period=IntervalSchedule.DAYS)
    return {
        "accessattempt": AccessAttempt.objects.create(**attempt_fields, get_data="", post_data="", failures_since_start=2),
        "accesslog": AccessLog.objects.create(**attempt_fields),
        "accessfailurelog": AccessFailureLog.objects.create(**attempt_fields),
        "taskresult": TaskResult.objects.create(task_id="t-1", task_name="association.flush_outbox", status="SUCCESS"),
        "groupresult": GroupResult.objects.create(group_id="g-1"),
        "periodictask": PeriodicTask.objects.create(name="夜间清理", task="association.apply_retention", crontab=every_night),
        "crontabschedule": every_night,
        "intervalschedule": daily,
        "totpdevice": TOTPDevice.objects.create(user=UserFactory(), name="手机"),
        "staticdevice": _backup_codes(),
    }


def _backup_codes():
    device = StaticDevice.objects.create(user=UserFactory(), name="备用码")
    StaticToken.objects.bulk_create(StaticToken(device=device, token=f"code{n}xyz") for n in range(3))
    return device


def test_admin_index_names_the_packages_and_their_screens_in_chinese(admin_client, records):
    text = shown(admin_client.get("/admin/").content.decode())
    for chinese in ["登录防护", "登录尝试", "登录失败", "登录日志", "后台任务结果", "任务结果", "任务组结果",
                    "周期任务", "周期性任务", "Crontab 时间表", "间隔时间表", "两步验证", "两步验证设备", "模型名称",
                    "两步验证备用码", "备用码组"]:
        assert chinese in text
    for english in ["Axes", "Access attempts", "Access failures", "Access logs", "Celery Results", "Task results",
                    "Group results", "Periodic Tasks", "Periodic tasks", "Crontabs", "Otp_Totp", "TOTP devices",
                    "Model name", "Otp_Static", "Static devices"]:
        assert english not in text


PAGES = [
    ("axes/accessattempt/", ["选择要修改的登录尝试", "尝试时间", "浏览器标识", "失败次数", "状态", "3 次后锁定", "按已锁定筛选",
                             "清理已过期的登录尝试"],
     ["Access attempt", "Attempt Time", "User Agent", "Failed Logins", "Status", "Attempt Remaining", "Locked Out",
      "Clean up"]),
    ("axes/accessattempt/{accessattempt}/change/", ["表单数据", "请求信息", "GET 参数", "IP 地址"],
     ["Form Data", "Meta Data", "GET Data", "IP Address"]),
    ("axes/accesslog/", ["选择要修改的登录日志", "退出时间", "访问路径"], ["Access log", "Logout Time", "Path"]),
    ("axes/accessfailurelog/", ["选择要修改的登录失败", "导致锁定"], ["Access failure", "Access lock out"]),
    ("django_celery_results/taskresult/", ["选择要修改的任务结果", "任务 ID", "任务状态", "执行进程", "按任务筛选", "系统：发送待发任务", "成功", "失败"],
     ["Task result", "Task ID", "Task State", "Worker", "Task Name", "SUCCESS", "FAILURE", "association.flush_outbox"]),
    ("django_celery_results/taskresult/{taskresult}/change/", ["任务位置参数", "错误追踪", "任务结果的创建时间", "成功"],
     ["Positional Arguments", "Traceback", "Datetime field", "UTC"]),
    ("django_celery_results/groupresult/", ["选择要修改的任务组结果", "任务组 ID"], ["Group result", "Group ID"]),
    ("django_celery_beat/periodictask/", ["选择要修改的周期性任务", "执行计划", "在 01:30（Asia/Shanghai）", "按任务名称筛选"],
     ["Periodic task", "Scheduler", "At 01:30", "Task Name"]),
    ("django_celery_beat/periodictask/add/", ["执行计划", "参数", "执行选项", "Crontab 含义", "取消勾选即停用这个定时任务", "消息头（AMQP）"],
     ["Schedule", "Arguments", "Execution Options", "Crontab translation", "False", "支持者"]),
    ("django_celery_beat/crontabschedule/{crontabschedule}/change/", ["含义", "在 01:30（Asia/Shanghai）", "执行的月份"],
     ["Human readable", "At 01:30", "Cron Months"]),
    ("django_celery_beat/intervalschedule/{intervalschedule}/change/", ["使用此时间表的周期性任务", "微秒"],
     ["Periodic Tasks Using This Schedule", "毫秒"]),
    ("otp_totp/totpdevice/", ["选择要修改的两步验证设备", "最近使用时间", "二维码", "查看二维码", "按用户名或电子邮件地址搜索",
                              "按已确认筛选"],
     ["TOTP device", "Last used at", "QR Code", "qrcode", "Search by", "confirmed"]),
    ("otp_totp/totpdevice/add/", ["设备", "失败限制", "该设备所属的用户。", "验证码位数", "允许向前或向后偏差的时间步数。"],
     ["Identity", "Throttling", "The user that this device belongs to.", "Digits", "time steps"]),
    ("otp_totp/totpdevice/{totpdevice}/config/", ["手机（", "手动输入"], ["Install", "segno"]),
    # the codes themselves never appear in the admin: only how many are left
    ("otp_static/staticdevice/", ["选择要修改的备用码组", "未使用的备用码", "最近使用时间", "按用户名或电子邮件地址搜索", "按已确认筛选"],
     ["Static device", "Last used at", "Search by", "confirmed", "code0xyz"]),
    ("otp_static/staticdevice/{staticdevice}/change/", ["设备", "时间", "该设备所属的用户。", "已确认", "最近使用时间"],
     ["Identity", "Timestamps", "Throttling", "Static token", "code0xyz", "code1xyz"]),
]


@pytest.mark.parametrize(("path", "chinese", "english"), PAGES, ids=[page[0] for page in PAGES])
def test_package_admin_screens_read_in_chinese(admin_client, records, path, chinese, english):
    response = admin_client.get("/admin/" + path.format(**{name: obj.pk for name, obj in records.items()}))
    assert response.status_code == 200
    text = shown(response.content.decode())
    for words in chinese:
        assert words in text
    for words in english:
        assert words not in text


def test_task_results_cannot_be_added_by_hand(admin_client, records):
    text = shown(admin_client.get("/admin/django_celery_results/taskresult/").content.decode())
    assert "任务结果" in text and "添加任务结果" not in text and "增加 任务结果" not in text
    assert admin_client.get("/admin/django_celery_results/taskresult/add/").status_code == 403
    assert "添加任务组结果" not in shown(admin_client.get("/admin/django_celery_results/groupresult/").content.decode())


def test_housekeeping_leaves_no_task_result_while_report_jobs_keep_theirs(admin_client, settings, monkeypatch):
    # Sent as beat and the views send them, run in process, results stored as a worker would.
    settings.CELERY_TASK_ALWAYS_EAGER = True
    for task in (flush_outbox, run_report_job):
        monkeypatch.setattr(task, "store_eager_result", True)
    flush_outbox.delay()
    run_report_job.delay(0)  # no such job: the task says "skipped", and that is kept
    mine = TaskResult.objects.filter(task_name__in=[flush_outbox.name, run_report_job.name])
    assert list(mine.values_list("task_name", flat=True)) == ["association.tasks.run_report_job"]
    text = shown(admin_client.get("/admin/django_celery_results/taskresult/").content.decode())
    assert "系统：发送待发任务" not in text and "报表：生成统计报表" in text


def test_scheduled_tasks_are_listed_under_chinese_names_and_old_english_rows_are_renamed(admin_client):
    # A database beat filled before the names were Chinese (and Celery's cleanup row).
    PeriodicTask.objects.filter(task__in=["association.flush_outbox", "association.warm_dashboard"]).delete()
    every_minute = IntervalSchedule.objects.create(every=60, period=IntervalSchedule.SECONDS)
    old = PeriodicTask.objects.create(name="flush-outbox", task="association.flush_outbox", interval=every_minute,
                                      total_run_count=42)
    PeriodicTask.objects.create(name="warm-dashboard", task="association.warm_dashboard", interval=every_minute)
    PeriodicTask.objects.create(name="报表：预先计算工作数据看板", task="association.warm_dashboard", interval=every_minute)
    PeriodicTask.objects.create(name="celery.backend_cleanup", task="celery.backend_cleanup", interval=every_minute)
    monthly = PeriodicTask.objects.filter(task="association.tasks.send_monthly_summary")
    monthly.update(name="领导月度工作简报")  # its name before it had the 报表： prefix
    sync_periodic_tasks()
    sync_periodic_tasks()

    text = shown(admin_client.get("/admin/django_celery_beat/periodictask/").content.decode())
    for chinese in ["系统：发送待发任务", "报表：预先计算工作数据看板", "报表：领导月度工作简报"]:
        assert chinese in text
    for english in ["flush-outbox", "warm-dashboard", "celery.backend_cleanup"]:
        assert english not in text
    old.refresh_from_db()
    assert (old.name, old.total_run_count) == ("系统：发送待发任务", 42)
    assert PeriodicTask.objects.filter(task="association.warm_dashboard").count() == 1
    assert list(monthly.values_list("name", flat=True)) == ["报表：领导月度工作简报"]


def test_a_failed_log_in_is_listed_under_log_in_failures(client, admin_client):
    UserFactory(username="kexie")
    client.post("/accounts/login/", {"username": "kexie", "password": "wrong-password"}, REMOTE_ADDR="10.0.0.7")
    text = shown(admin_client.get("/admin/axes/accessfailurelog/").content.decode())
    assert "kexie" in text and "10.0.0.7" in text


def test_a_weekly_schedule_names_its_days_in_chinese(admin_client):
    CrontabSchedule.objects.create(minute="0", hour="9", day_of_week="1-5", month_of_year="1,12", timezone="Asia/Shanghai")
    text = shown(admin_client.get("/admin/django_celery_beat/crontabschedule/").content.decode())
    assert "在 09:00，星期一 到 星期五，仅在 一月 和 十二月（Asia/Shanghai）" in text
    assert "Monday" not in text and "January" not in text


def test_clearing_expired_log_in_attempts_works_and_reports_in_chinese(admin_client, records):
    recent = records["accessattempt"]
    expired = AccessAttempt.objects.create(username="li", ip_address="10.0.0.8", user_agent="Firefox", http_accept="*/*",
                                           path_info="/accounts/login/", get_data="", post_data="", failures_since_start=5)
    AccessAttempt.objects.filter(pk=expired.pk).update(attempt_time=timezone.now() - datetime.timedelta(days=1))
    response = admin_client.post(
        "/admin/axes/accessattempt/", {"action": "cleanup_expired_attempts", "_selected_action": [recent.pk]}, follow=True
    )
    assert "已清理 1 条过期的登录尝试。" in shown(response.content.decode())
    assert list(AccessAttempt.objects.all()) == [recent]


def test_permissions_of_django_and_the_packages_are_named_in_chinese(admin_client):
    # What migrate made before: the packages' model names stayed English (translation is off there).
    Permission.objects.filter(codename="view_periodictask").update(name="查看 periodic task")
    name_default_permissions_in_chinese()
    names = dict(Permission.objects.values_list("codename", "name"))
    assert names["view_periodictask"] == "查看周期性任务"
    assert names["add_user"] == "添加用户"
    assert names["view_accessattempt"] == "查看登录尝试"
    assert names["change_totpdevice"] == "修改两步验证设备"
    assert names["view_crontabschedule"] == "查看 Crontab 时间表"


def test_every_task_of_the_portal_has_a_chinese_name_for_the_results_list():
    import re

    from config.celery import app

    app.loader.import_default_modules()
    ours = {name: task for name, task in app.tasks.items() if name.split(".")[0] in ("association", "volunteers", "events", "talents")}
    assert len(ours) >= 14
    unnamed = [name for name, task in ours.items() if not re.search(r"[\u4e00-\u9fff]", getattr(task, "label", "") or "")]
    assert unnamed == []


def test_a_fresh_web_process_names_every_task_in_chinese():
    """The web process imports no tasks module (workers do, at start; services ask for tasks
    by name): the results list still shows each task's Chinese name."""
    import subprocess
    import sys

    script = (
        "import django; django.setup()\n"
        "from association.admin_packages import task_label\n"
        "print(task_label('events.tasks.finish_past_events'))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                         env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}).stdout
    assert out.strip() == "活动：将已结束的活动标记为结束"
