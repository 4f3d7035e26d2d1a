"""A return's moves told through the one notification service, by the real worker: the
level above of a submission, the unit's accounts of a return (with the reason) and of an
acceptance, each once, by e-mail and in the inbox."""

import uuid
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from association import notices, roles
from association.models import Delivery
from returns import services, tasks, workflow
from returns.models import ReturnItem
from tests.association.factories import StaffFactory
from tests.worker_output import mails_to, wait_until_sent

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]
YEAR = timezone.localdate().year


def item(table, code):
    return ReturnItem.objects.get(table__year=YEAR, table__code=table, code=code)


def address(who: str) -> str:
    return f"{who}-{uuid.uuid4().hex[:8]}@example.org"


def test_the_office_hears_of_a_submission_and_the_unit_of_its_return_and_acceptance(celery_worker_process, tree):
    office = StaffFactory(username="city_office", email=address("office"))
    office.groups.add(Group.objects.get(name=roles.OFFICE))
    for user, who in ((tree.admin_a, "admin"), (tree.staff_a, "staff")):
        user.email = address(who)
        user.save()
    statistics_return = services.open_return(tree.county_a.pk, YEAR)
    workflow.save_entries(statistics_return.pk, {item("AK表1-1", "07").pk: Decimal(12), item("DKX表4", "01").pk: Decimal(0)},
                          sign_off={"filled_by": "王统计", "phone": "0393-4412345"}, actor=tree.admin_a)

    workflow.submit(statistics_return.pk, actor=tree.admin_a)
    wait_until_sent(Delivery.objects.filter(kind="returns.submitted"), expected=2)
    (message,) = mails_to(office.email)
    assert message["subject"].strip() == f"【综合统计年报】华龙区科协{YEAR}年综合统计年报已报送，待审核"
    assert f"/returns/review/{statistics_return.pk}/" in message["body"]
    assert notices.inbox_of(office).get().kind == "returns.submitted"

    workflow.send_back(statistics_return.pk, "请补填期刊数。", actor=office)
    tasks.send_status_notice(statistics_return.pk, "returned")  # the task again: nothing more is sent
    wait_until_sent(Delivery.objects.filter(kind="returns.returned"), expected=4)
    for user in (tree.admin_a, tree.staff_a):
        (message,) = mails_to(user.email)
        assert "已被退回" in message["subject"] and "退回原因：请补填期刊数。" in message["body"]
        assert f"/returns/{YEAR}/" in message["body"]
        (inbox,) = notices.inbox_of(user)
        assert "请补填期刊数。" in inbox.body

    workflow.submit(statistics_return.pk, actor=tree.admin_a)
    workflow.accept(statistics_return.pk, actor=office)
    wait_until_sent(Delivery.objects.filter(kind="returns.accepted"), expected=4)
    wait_until_sent(Delivery.objects.filter(kind="returns.submitted"), expected=4)
    assert len(mails_to(office.email)) == 2  # the second submission is a second notice
    for user in (tree.admin_a, tree.staff_a):
        subjects = sorted(m["subject"].strip()[-5:] for m in mails_to(user.email))
        assert subjects == sorted(["已审核通过", "报已被退回"])
    # Nobody outside the county's accounts and the office heard anything.
    assert not Delivery.objects.exclude(user__in=[office, tree.admin_a, tree.staff_a]).filter(
        kind__startswith="returns.").exists()
