import pytest

from association.choices import TitleLevel
from association.reporting import ReportParams, sections
from talents.models import AwardRound, Nomination, Talent, TechDemand
from talents.reports import awards_section, demands_section, talents_section

from .factories import DemandFactory, FieldFactory, NominationFactory, RoundFactory, TalentFactory

pytestmark = pytest.mark.django_db


def test_sections_are_registered_with_the_reporting_framework():
    keys = {s.key for s in sections()}
    assert {"talents_awards", "talents_registry", "talents_demands"} <= keys


def test_award_figures_equal_independent_counts():
    r2020 = RoundFactory(year=2020, status=AwardRound.Status.ANNOUNCED)
    r2021 = RoundFactory(year=2021, status=AwardRound.Status.ANNOUNCED)
    NominationFactory.create_batch(3, round=r2020, status=Nomination.Status.AWARDED)
    NominationFactory.create_batch(2, round=r2020, status=Nomination.Status.NOT_AWARDED)
    NominationFactory(round=r2020, status=Nomination.Status.INELIGIBLE)
    NominationFactory.create_batch(4, round=r2021, status=Nomination.Status.AWARDED)
    table, by_programme = awards_section(ReportParams(year=2020))
    (row,) = table.rows
    assert row[5:] == [
        Nomination.objects.filter(round=r2020).count(),
        Nomination.objects.filter(round=r2020, status="ineligible").count(),
        Nomination.objects.filter(round=r2020, status__in=Nomination.RANKED_STATES).count(),
        Nomination.objects.filter(round=r2020, status="awarded").count(),
    ]
    assert by_programme.rows == [["优秀科技工作者", 3]]


def test_talent_figures_equal_independent_counts():
    chem, med = FieldFactory(name="化学化工"), FieldFactory(name="临床医学")
    TalentFactory.create_batch(3, field=chem, title_level=TitleLevel.SENIOR)
    TalentFactory.create_batch(2, field=chem, title_level=TitleLevel.ASSOCIATE, in_expert_pool=False)
    TalentFactory(field=med, title_level=TitleLevel.INTERMEDIATE, is_haizhi=True)
    grid, by_level, makeup = talents_section(ReportParams(year=2026))
    assert dict(by_level.rows)["正高级"] == Talent.objects.filter(title_level=TitleLevel.SENIOR).count()
    rows = {row[0]: row for row in grid.rows}
    levels = list(TitleLevel)
    for field in (chem, med):
        for i, level in enumerate(levels):
            assert rows[field.name][1 + i] == Talent.objects.filter(field=field, title_level=level).count()
        assert rows[field.name][-1] == Talent.objects.filter(field=field).count()
    figures = dict(makeup.rows)
    assert figures["专家库（全部）"] == Talent.objects.filter(in_expert_pool=True).count()
    assert figures["海智专家"] == Talent.objects.filter(is_haizhi=True).count()
    assert figures["人才库合计"] == Talent.objects.count()


def test_demand_figures_equal_independent_counts():
    for status, n in [("collected", 2), ("published", 3), ("matched", 1), ("solved", 2), ("rejected", 1)]:
        DemandFactory.create_batch(n, status=status, enterprise_name=f"企业{status}")
    by_status, by_industry = demands_section(ReportParams())
    counts = dict(by_status.rows)
    for value, label in TechDemand.Status.choices:
        assert counts[str(label)] == TechDemand.objects.filter(status=value).count()
    assert "提出需求的企业 5 家" in by_status.note
    (row,) = by_industry.rows
    assert row[1:] == [
        TechDemand.objects.count(),
        TechDemand.objects.filter(status__in=TechDemand.PUBLIC_STATES).count(),
        TechDemand.objects.filter(status="solved").count(),
    ]


def test_registry_tables_say_they_count_everyone_and_how_the_public_figure_relates():
    TalentFactory.create_batch(2)
    TalentFactory(public_profile=False)
    TalentFactory(in_expert_pool=False)
    grid, by_level, makeup = talents_section(ReportParams(year=2026))
    assert str(by_level.title) == "人才库全体人员按职称级别（含未公开简介者）"
    assert sum(n for _label, n in by_level.rows) == 4
    figures = dict(makeup.rows)
    assert figures["专家库（全部）"] == 3
    assert figures["专家库中同意公开简介（首页与专家名录所示）"] == 2
    assert figures["同意公开简介（专家名录合计）"] == 3
