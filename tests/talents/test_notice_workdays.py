"""公示 counted in working days on the official calendar (调休 included), with the
contacts that take objections printed in the notice."""

import datetime

import pytest

from association import workdays
from association.states import DomainError
from talents.models import AwardRound, Nomination
from talents.services import awards as services

from .factories import NominationFactory, RoundFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def _reviewed_round(**kwargs):
    award_round = RoundFactory(status=AwardRound.Status.REVIEWING, **kwargs)
    NominationFactory(round=award_round, status=Nomination.Status.SHORTLISTED, nominee_name="公示中的人")
    return award_round


# The first year whose holiday notice the installed calendar does not have (2027 with
# chinesecalendar 1.11): found, not assumed, so a release that adds a year moves the tests on.
UNKNOWN = next(year for year in range(2026, 2100) if not workdays.knows_year(year))


def _first_monday_of_february(year):
    day = D(year, 2, 1)
    return day + datetime.timedelta(days=(7 - day.weekday()) % 7)


def _publish(award_round, starts):
    services.publish_notice(round_id=award_round.pk, starts=starts)
    award_round.refresh_from_db()
    return award_round


def test_calendar_knows_2026_with_its_national_day_and_mid_autumn_holidays_and_the_saturday_made_a_working_day():
    assert workdays.knows_year(2026)
    assert not workdays.is_working_day(D(2026, 10, 1))  # 国庆
    assert not workdays.is_working_day(D(2026, 9, 25))  # 中秋, a Friday
    assert workdays.is_working_day(D(2026, 10, 10))  # 调休: a Saturday at work
    assert workdays.is_working_day(D(2026, 9, 20))  # 调休: a Sunday at work
    assert not workdays.is_working_day(D(2026, 10, 11))


def test_five_working_day_notice_from_30_september_2026_skips_national_day_and_counts_the_make_up_saturday():
    # 9月30日 (1), 10月8日 (2), 9日 (3), 10日 Saturday 调休 (4), 12日 (5).
    award_round = _publish(_reviewed_round(notice_days=5), D(2026, 9, 30))
    assert award_round.notice_starts == D(2026, 9, 30)
    assert award_round.notice_ends == D(2026, 10, 12)


def test_notice_published_on_a_holiday_starts_counting_on_the_next_working_day():
    award_round = _publish(_reviewed_round(notice_days=5), D(2026, 10, 3))
    assert award_round.notice_ends == D(2026, 10, 13)  # 8, 9, 10 (Sat), 12, 13


def test_notice_around_mid_autumn_2026_skips_the_three_day_holiday():
    award_round = _publish(_reviewed_round(notice_days=5), D(2026, 9, 22))
    assert award_round.notice_ends == D(2026, 9, 29)  # 22, 23, 24, 28, 29


def test_public_notice_says_how_many_working_days_from_which_date_to_which_and_whom_to_contact(client):
    award_round = _publish(_reviewed_round(notice_days=5), D(2026, 9, 30))
    html = client.get(f"/talents/awards/{award_round.pk}/").content.decode()
    assert "公示期：<strong>5个工作日（2026年9月30日至2026年10月12日）</strong>" in html
    for text in ("王老师", "0393-8800110", "kxbgs@example.org", "濮阳市华龙区开州路科技大厦708室"):
        assert text in html


def test_notice_without_objection_contacts_is_refused_and_names_what_is_missing():
    award_round = _reviewed_round(objection_email="", objection_address="")
    with pytest.raises(DomainError, match="异议受理邮箱、异议受理地址"):
        services.publish_notice(round_id=award_round.pk, starts=D(2026, 9, 30))
    award_round.refresh_from_db()
    assert award_round.status == AwardRound.Status.REVIEWING


def test_results_wait_until_the_day_after_the_last_working_day():
    award_round = _publish(_reviewed_round(notice_days=5), D(2026, 9, 30))
    with pytest.raises(DomainError, match="公示期至2026年10月12日结束"):
        services.announce_winners(round_id=award_round.pk, today=D(2026, 10, 12))
    assert services.announce_winners(round_id=award_round.pk, today=D(2026, 10, 13)) == 1


def test_objections_are_taken_on_the_last_working_day_and_not_the_day_after():
    award_round = _publish(_reviewed_round(notice_days=5), D(2026, 9, 30))
    services.raise_objection(round_id=award_round.pk, name="赵", contact="13611112222", reason="需核查。",
                             today=D(2026, 10, 12))
    with pytest.raises(DomainError, match="不在公示期内"):
        services.raise_objection(round_id=award_round.pk, name="钱", contact="13611112222", reason="需核查。",
                                 today=D(2026, 10, 13))


def test_year_the_calendar_does_not_know_is_refused_with_a_message_asking_staff_for_the_end_date():
    # Spring Festival of a year whose holiday notice is not in the calendar this portal has.
    assert not workdays.knows_year(UNKNOWN)
    award_round = _reviewed_round(notice_days=5)
    with pytest.raises(DomainError, match=f"尚未收录{UNKNOWN}年的国务院节假日安排.*公示截止日期.*第5个工作日"):
        services.publish_notice(round_id=award_round.pk, starts=_first_monday_of_february(UNKNOWN))
    award_round.refresh_from_db()
    assert award_round.status == AwardRound.Status.REVIEWING


def test_notice_running_into_an_unknown_year_is_refused_too():
    award_round = _reviewed_round(notice_days=5)
    with pytest.raises(DomainError, match=f"{UNKNOWN}年"):
        services.publish_notice(round_id=award_round.pk, starts=D(UNKNOWN - 1, 12, 29))


def test_end_date_staff_entered_is_used_for_an_unknown_year_and_must_hold_enough_weekdays():
    # Staff count five working days from a Monday in February on the State Council's notice themselves.
    monday = _first_monday_of_february(UNKNOWN)
    award_round = _reviewed_round(notice_days=5, notice_ends=monday + datetime.timedelta(days=2))
    with pytest.raises(DomainError, match="不足5个工作日"):
        services.publish_notice(round_id=award_round.pk, starts=monday)
    friday = monday + datetime.timedelta(days=4)
    AwardRound.objects.filter(pk=award_round.pk).update(notice_ends=friday)
    award_round = _publish(award_round, monday)
    assert (award_round.notice_starts, award_round.notice_ends) == (monday, friday)
    assert award_round.status == AwardRound.Status.PUBLICISING


def test_known_year_ignores_an_end_date_typed_in_advance():
    award_round = _publish(_reviewed_round(notice_days=5, notice_ends=D(2026, 10, 5)), D(2026, 9, 30))
    assert award_round.notice_ends == D(2026, 10, 12)
