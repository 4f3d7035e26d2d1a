"""The one notification service: e-mail, SMS and the inbox, sent by the real worker once."""

import uuid

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from association import extensions, notices
from association.models import Delivery, NoticeTemplate
from association.notices import service
from tests.association.factories import UserFactory
from tests.worker_output import mails_to, sms_lines, wait_until_sent

HELLO = extensions.notice_kind(
    "tests.hello", label="测试通知", subject="您好，{{ name }}",
    body="{{ name }}，您报名的{{ what }}已确认。", sms="{{ name }}，您报名的{{ what }}已确认。",
)
NEWS = extensions.notice_kind("tests.news", label="测试资讯", subject="资讯：{{ what }}", body="今天的资讯：{{ what }}")
URGENT = extensions.notice_kind("tests.urgent", label="测试紧急通知", essential=True, subject="紧急：{{ what }}",
                                body="紧急：{{ what }}", sms="紧急：{{ what }}")

S = Delivery.Status


def unique_mobile() -> str:
    return "139" + str(uuid.uuid4().int)[:8]


def masked(mobile: str) -> str:
    return mobile[:3] + "****" + mobile[-4:]


@pytest.mark.django_db(transaction=True)
def test_each_channel_gets_the_message_once_through_the_worker(celery_worker_process):
    user = UserFactory(email=f"{uuid.uuid4().hex[:8]}@example.org")
    mobile = unique_mobile()
    for _ in range(2):  # the service (or a task) running twice
        notices.notify("tests.hello", user=user, mobile=mobile, context={"name": "王芳", "what": "科普讲座"}, key="k1")
    rows = Delivery.objects.filter(kind="tests.hello", user=user)
    wait_until_sent(rows, expected=3)
    assert sorted(rows.values_list("channel", "status")) == [("email", "sent"), ("inbox", "sent"), ("sms", "sent")]
    (message,) = mails_to(user.email)
    assert message["subject"] == "您好，王芳" and "科普讲座已确认" in message["body"]
    (line,) = sms_lines(masked(mobile))
    assert "【濮阳市科协】王芳，您报名的科普讲座已确认。" in line
    assert mobile not in (line + str(list(rows.values_list("address_mask", flat=True))))


@pytest.mark.django_db(transaction=True)
def test_a_kind_turned_off_is_not_sent_but_an_essential_one_is(celery_worker_process):
    user = UserFactory(email=f"{uuid.uuid4().hex[:8]}@example.org")
    service.set_preferences(user=user, turned_off={("tests.news", "email"), ("tests.urgent", "email"),
                                                   ("tests.urgent", "sms")})
    mobile = unique_mobile()
    notices.notify("tests.news", user=user, context={"what": "新展开幕"}, key="n1")
    notices.notify("tests.urgent", user=user, mobile=mobile, context={"what": "活动改期"}, key="u1")
    wait_until_sent(Delivery.objects.filter(user=user), expected=5)
    assert Delivery.objects.get(user=user, kind="tests.news", channel="email").status == S.SKIPPED
    assert [m["subject"] for m in mails_to(user.email)] == ["紧急：活动改期"]
    assert len(sms_lines(masked(mobile))) == 1
    # The inbox still has both: only the e-mail of the news was turned off.
    assert set(notices.inbox_of(user).values_list("kind", flat=True)) == {"tests.news", "tests.urgent"}


@pytest.mark.django_db(transaction=True)
def test_the_rate_per_number_stops_the_next_sms(celery_worker_process, settings):
    mobile = unique_mobile()
    limit = settings.SMS_RATE_PER_NUMBER  # the worker's (the same settings module)
    for i in range(limit + 1):
        notices.notify("tests.urgent", mobile=mobile, context={"what": f"第{i}条"}, key=f"r{i}")
    rows = Delivery.objects.filter(kind="tests.urgent", address_mask=masked(mobile))
    wait_until_sent(rows, expected=limit + 1)
    assert rows.filter(status=S.SENT).count() == limit
    assert rows.filter(status=S.LIMITED).count() == 1
    assert len(sms_lines(masked(mobile))) == limit


@pytest.mark.django_db(transaction=True)
def test_the_send_task_run_twice_sends_once(celery_worker_process):
    from association import queue

    address = f"{uuid.uuid4().hex[:8]}@example.org"
    (row,) = notices.notify("tests.news", email=address, context={"what": "一次"}, key="t1")
    queue.enqueue(service.SEND_TASK, [row.pk])  # a second delivery of the same task
    queue.enqueue(service.SEND_TASK, [row.pk])
    wait_until_sent(Delivery.objects.filter(pk=row.pk))
    import time

    time.sleep(1.5)  # the later copies have had their turn
    assert len(mails_to(address)) == 1
    assert Delivery.objects.get(pk=row.pk).attempts == 1


@pytest.mark.django_db
def test_a_passing_fault_is_recorded_and_tried_again(settings):
    settings.EMAIL_BACKEND = "tests.association.test_notifications.FailingBackend"
    (row,) = notices.notify("tests.news", email="later@example.org", context={"what": "稍后"}, key="f1")
    assert service.send_deliveries([row.pk]) == [row.pk]
    row.refresh_from_db()
    assert (row.status, row.attempts) == (S.QUEUED, 1) and "SMTP" in row.last_error
    service.send_deliveries([row.pk], last_try=True)
    row.refresh_from_db()
    assert (row.status, row.attempts) == (S.FAILED, 2)


class FailingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        from smtplib import SMTPServerDisconnected

        raise SMTPServerDisconnected("SMTP server went away")

    def close(self):
        pass


@pytest.mark.django_db
def test_staff_wording_replaces_the_default_and_a_broken_one_is_refused():
    NoticeTemplate.objects.create(kind="tests.news", subject="【资讯】{{ what }}")
    (row,) = notices.notify("tests.news", email="a@example.org", context={"what": "新展"})
    assert row.subject == "【资讯】新展" and row.body == "今天的资讯：新展"  # body: the code's default
    with pytest.raises(ValidationError) as info:
        NoticeTemplate(kind="tests.hello", body="{% if %}").save()
    assert "模板写法有误" in str(info.value)


@pytest.mark.django_db
def test_staff_may_save_a_kinds_own_wording_and_wording_that_fails_when_sent_gives_way_to_the_default():
    # The reminder's wording uses the event's filters and link: it renders only with an event.
    reminder = extensions.notice_kinds()["events.reminder_day"]
    NoticeTemplate(kind=reminder.key, subject="【提醒】" + reminder.subject, body=reminder.body, sms=reminder.sms).save()
    assert NoticeTemplate.objects.get(kind=reminder.key).body == reminder.body
    NoticeTemplate.objects.create(kind="tests.news", body="{% url 'no-such-page' what %}")  # fails when sent
    (row,) = notices.notify("tests.news", email="a@example.org", context={"what": "新展"})
    assert row.body == "今天的资讯：新展"  # the code's wording, not a failed notice


@pytest.mark.django_db
def test_the_inbox_shows_the_message_and_opening_marks_it_read(client):
    user = UserFactory()
    notices.notify("tests.hello", user=user, context={"name": "李雷", "what": "科技周"})
    client.force_login(user)
    html = client.get("/accounts/inbox/").content.decode()
    assert "您好，李雷" in html and "1 条未读" in html
    item = notices.inbox_of(user).get()
    page = client.post(f"/accounts/inbox/{item.pk}/", follow=True).content.decode()
    assert "李雷，您报名的科技周已确认。" in page
    assert "条未读" not in client.get("/accounts/inbox/").content.decode()
    other = UserFactory()
    client.force_login(other)
    assert client.get(f"/accounts/inbox/{item.pk}/").status_code == 404


@pytest.mark.django_db
def test_preferences_turn_off_what_is_not_essential_only(client):
    user = UserFactory()
    client.force_login(user)
    html = client.get("/accounts/inbox/preferences/").content.decode()
    assert "测试紧急通知" in html and "必要" in html
    # Everything unticked: the essential kind stays on whatever is posted.
    client.post("/accounts/inbox/preferences/", {"on": ["tests.news:inbox"]})
    off = notices.preferences_of(user)
    assert ("tests.news", "email") in off and ("tests.news", "inbox") not in off
    assert not any(kind == "tests.urgent" for kind, _ in off)


@pytest.mark.django_db
def test_the_delivery_log_shows_addresses_masked(admin_client):
    notices.notify("tests.hello", email="zhang.san@example.org", mobile="13812345678",
                   context={"name": "张三", "what": "讲座"})
    html = admin_client.get("/admin/association/delivery/").content.decode()
    assert "138****5678" in html and "z***@example.org" in html
    assert "13812345678" not in html and "zhang.san" not in html
    raw = Delivery.objects.filter(channel="sms").values_list("address", flat=True)
    assert list(raw) == ["13812345678"]  # decrypted by the field; the column holds ciphertext


@pytest.mark.django_db
def test_many_recipients_are_written_in_bulk_with_one_task_per_batch(django_assert_max_num_queries):
    from association.models import OutboxMessage

    people = [notices.Recipient(email=f"p{i}@example.org", mobile=f"1380000{i:04d}", key=f"reg{i}") for i in range(600)]
    with django_assert_max_num_queries(12):
        notices.notify_many("tests.urgent", people, context={"what": "取消"}, key="bulk")
    assert Delivery.objects.filter(kind="tests.urgent").count() == 1200
    assert OutboxMessage.objects.filter(task_name=service.SEND_TASK).count() == 3  # 1200 / 500
    notices.notify_many("tests.urgent", people, context={"what": "取消"}, key="bulk")
    assert Delivery.objects.filter(kind="tests.urgent").count() == 1200
    assert len(mail.outbox) == 0  # nothing leaves the web process


@pytest.fixture
def fake_aliyun(monkeypatch, settings):
    """The Aliyun SDK's modules as the backend imports them, recording each request."""
    import sys
    import types

    sent = []

    class Client:
        def __init__(self, config):
            self.config = config

        def send_sms(self, request):
            sent.append(request)
            code = "OK" if request.phone_numbers != "13000000000" else "isv.BUSINESS_LIMIT_CONTROL"
            return types.SimpleNamespace(body=types.SimpleNamespace(code=code, message="触发流控"))

    class SendSmsRequest:
        def __init__(self, **kwargs):
            self.__dict__.update(kwargs)

    class Config:
        def __init__(self, **kwargs):
            self.__dict__.update(kwargs)

    modules = {
        "alibabacloud_dysmsapi20170525": types.ModuleType("alibabacloud_dysmsapi20170525"),
        "alibabacloud_dysmsapi20170525.client": types.SimpleNamespace(Client=Client),
        "alibabacloud_dysmsapi20170525.models": types.SimpleNamespace(SendSmsRequest=SendSmsRequest),
        "alibabacloud_tea_openapi": types.ModuleType("alibabacloud_tea_openapi"),
        "alibabacloud_tea_openapi.models": types.SimpleNamespace(Config=Config),
    }
    modules["alibabacloud_dysmsapi20170525"].models = modules["alibabacloud_dysmsapi20170525.models"]
    modules["alibabacloud_tea_openapi"].models = modules["alibabacloud_tea_openapi.models"]
    for name, module in modules.items():
        monkeypatch.setitem(sys.modules, name, module)
    settings.SMS_BACKEND = "association.notices.sms.AliyunBackend"
    settings.SMS_ALIYUN_ACCESS_KEY_ID, settings.SMS_ALIYUN_ACCESS_KEY_SECRET = "id", "secret"
    settings.SMS_ALIYUN_TEMPLATES = {"tests.aliyun": "SMS_000001"}
    return sent


ALIYUN_KIND = extensions.notice_kind(
    "tests.aliyun", label="测试阿里云", subject="s", body="b", sms="{{ name }}您好", sms_params=lambda c: {"name": c["name"]})


@pytest.mark.django_db
def test_the_aliyun_backend_sends_the_kind_s_template_with_the_signature_name(fake_aliyun, settings):
    (row,) = notices.notify("tests.aliyun", mobile="13812345678", context={"name": "王芳"})
    service.send_deliveries([row.pk])
    (request,) = fake_aliyun
    assert (request.phone_numbers, request.sign_name, request.template_code) == ("13812345678", "濮阳市科协", "SMS_000001")
    assert request.template_param == '{"name": "王芳"}'
    row.refresh_from_db()
    assert row.status == S.SENT
    # The provider's flow control is a passing fault: tried again later.
    (busy,) = notices.notify("tests.aliyun", mobile="13000000000", context={"name": "李雷"})
    assert service.send_deliveries([busy.pk]) == [busy.pk]
    busy.refresh_from_db()
    assert busy.status == S.QUEUED and "BUSINESS_LIMIT_CONTROL" in busy.last_error
    # A kind with no approved template is not sent, and says why.
    settings.SMS_ALIYUN_TEMPLATES = {}
    (missing,) = notices.notify("tests.aliyun", mobile="13812345679", context={"name": "韩梅梅"})
    service.send_deliveries([missing.pk])
    missing.refresh_from_db()
    assert missing.status == S.FAILED and "SMS_ALIYUN_TEMPLATES" in missing.last_error
