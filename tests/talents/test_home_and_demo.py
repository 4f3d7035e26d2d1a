import io

import pytest
from django.core.management import call_command

from association import extensions
from talents.models import AwardProgramme, AwardRound, Nomination, Talent, TechDemand

from .factories import DemandFactory, NominationFactory, RoundFactory, TalentFactory

pytestmark = pytest.mark.django_db


def test_home_page_shows_the_latest_notice_and_demands(client):
    award_round = RoundFactory(status=AwardRound.Status.PUBLICISING, notice_starts="2026-11-20", notice_ends="2026-11-26")
    DemandFactory(title="秸秆纤维素高效糖化工艺", status=TechDemand.Status.PUBLISHED, published_at="2026-11-01T09:00+08:00")
    html = client.get("/").content.decode()
    assert f"关于{award_round}拟表彰对象的公示" in html
    assert "秸秆纤维素高效糖化工艺" in html


def test_headline_figures_count_experts_honoured_and_solved():
    TalentFactory.create_batch(2)
    TalentFactory(in_expert_pool=False)
    NominationFactory.create_batch(3, status=Nomination.Status.AWARDED)
    DemandFactory(status=TechDemand.Status.SOLVED)
    entry = next(e for e in extensions.headline_figures() if e.name.startswith("talents."))
    assert [(str(label), value) for label, value, _unit in entry.func()] == [
        ("专家库专家", 2), ("获表彰科技工作者", 3), ("累计解决企业技术需求", 1),
    ]


def test_home_counts_the_pool_experts_the_public_directory_shows(client):
    TalentFactory.create_batch(2)
    TalentFactory(public_profile=False)  # in the pool, but never shown to the public
    TalentFactory(in_expert_pool=False)  # public, in another registry
    entry = next(e for e in extensions.headline_figures() if e.name.startswith("talents."))
    assert ("专家库专家", 2) in [(str(label), value) for label, value, _unit in entry.func()]
    directory = client.get("/talents/experts/").content.decode()
    assert "共 3 位专家同意公开简介" in directory
    assert '专家库 <span class="badge text-bg-light">2</span>' in directory


def test_demo_data_mirrors_the_source_documents_and_loads_twice_without_change():
    call_command("load_demo", stdout=io.StringIO())
    counts = (Talent.objects.count(), Nomination.objects.count(), TechDemand.objects.count())
    call_command("load_demo", stdout=io.StringIO())
    assert (Talent.objects.count(), Nomination.objects.count(), TechDemand.objects.count()) == counts

    def awarded(code, rounds):
        return Nomination.objects.filter(round__programme__code=code, round__number__in=rounds, status="awarded").count()

    assert awarded("yx", [1, 2, 3, 4]) == 134
    assert awarded("qn", [1, 2]) == 78
    assert AwardRound.objects.filter(programme__code="xs").count() == 4
    assert awarded("zm", [1]) == 16
    assert TechDemand.objects.count() == 140
    assert TechDemand.objects.values("enterprise_name").distinct().count() == 98
    assert TechDemand.objects.filter(status__in=TechDemand.PUBLIC_STATES).count() == 89
    assert Talent.objects.filter(in_doctors_association=True, doctors_role="adviser").count() == 3
    assert Talent.objects.filter(name="孟庆臻", employer="濮阳市化工研究所", in_expert_pool=True).exists()
    assert AwardProgramme.objects.count() == 6
    assert AwardRound.objects.get(programme__code="yx", number=5).notice_running()
