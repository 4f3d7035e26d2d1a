import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from association.models import AuditEntry
from association.states import DomainError, TransitionNotAllowed
from talents.models import Match, TechDemand
from talents.selectors import suggest_experts, suggest_teams
from talents.services import demands as services
from tests.association.factories import StaffFactory
from volunteers.models import ServiceTeam

from .factories import DemandFactory, FieldFactory, TalentFactory

pytestmark = pytest.mark.django_db


def _form(**overrides):
    data = {
        "kind": "technology",
        "industry": "bio_materials",
        "related_fields": [FieldFactory(name="生物基材料").pk],
        "title": "聚乳酸增韧改性技术",
        "description": "我公司聚乳酸制品韧性不足，希望与高校院所合作开发增韧改性配方，实现工业化应用。",
        "budget": "50",
        "enterprise_name": "青源天仁生物技术有限公司",
        "contact_person": "王经理",
        "contact_phone": "13698765432",
        "consent": "on",
    }
    data.update(overrides)
    return data


def test_enterprise_posts_a_demand_that_waits_for_staff_with_the_phone_encrypted(client):
    response = client.post("/talents/demands/new/", _form())
    assert response.status_code == 302
    demand = TechDemand.objects.get()
    assert demand.status == TechDemand.Status.COLLECTED
    assert demand.contact_phone == "13698765432"
    with connection.cursor() as cur:
        cur.execute("SELECT contact_phone FROM talents_techdemand WHERE id = %s", [demand.pk])
        stored = cur.fetchone()[0]
    assert "13698765432" not in stored
    assert "聚乳酸增韧改性技术" in client.get(response["Location"]).content.decode()


def test_bad_phone_is_explained_in_chinese_and_the_rest_is_kept(client):
    html = client.post("/talents/demands/new/", _form(contact_phone="12345")).content.decode()
    assert "请填写正确的电话号码" in html
    assert 'value="聚乳酸增韧改性技术"' in html and "青源天仁生物技术有限公司" in html
    assert not TechDemand.objects.exists()


def test_short_description_says_how_much_more_to_write_under_the_form_banner(client):
    html = client.post("/talents/demands/new/", _form(description="太短了")).content.decode()
    assert "提交未成功：有 1 处需要修改" in html
    assert "需求描述至少需要 20 个字（目前 3 个字），请补充要解决的问题、现有基础和期望指标" in html
    assert "确保该变量" not in html
    assert "聚乳酸增韧改性技术" in html  # the rest is kept
    assert not TechDemand.objects.exists()


def test_each_empty_demand_field_says_what_to_fill_in(client):
    empty = dict.fromkeys(("kind", "industry", "title", "description", "enterprise_name", "contact_person", "contact_phone"), "")
    html = client.post("/talents/demands/new/", _form(consent="", budget="五十", **empty)).content.decode()
    for message in ("请选择需求类型：技术需求或人才需求。", "请选择企业所属的行业。", "请填写需求名称，用一句话概括要解决的问题。",
                    "请填写需求描述，写明要解决的问题、现有基础和期望达到的指标。", "预算请填写数字（单位：万元），如 50 或 12.5；面议请留空。",
                    "请填写企业全称。", "请填写联系人姓名，便于工作人员与您联系。", "请填写联系电话：11 位手机号，或带区号的固定电话。",
                    "请阅读并勾选同意后再提交。"):
        assert message in html
    assert "这个字段是必填项" not in html


def test_enterprise_reads_a_plain_status_after_posting_while_staff_keep_theirs(client):
    response = client.post("/talents/demands/new/", _form(), follow=True)
    html = response.content.decode()
    assert "当前状态：已提交，等待科协审核。" in html
    assert "已征集" not in html
    assert TechDemand.objects.get().get_status_display() == "已征集"


def test_public_list_shows_published_demands_only_and_never_contacts(client):
    DemandFactory(title="已发布的需求", status=TechDemand.Status.PUBLISHED, contact_phone="13711112222", contact_person="周联系")
    DemandFactory(title="待审核的需求", status=TechDemand.Status.COLLECTED)
    DemandFactory(title="未通过的需求", status=TechDemand.Status.REJECTED)
    html = client.get("/talents/demands/").content.decode()
    assert "已发布的需求" in html
    assert "待审核的需求" not in html and "未通过的需求" not in html
    assert "13711112222" not in html and "周联系" not in html
    published = TechDemand.objects.get(title="已发布的需求")
    detail = client.get(f"/talents/demands/{published.pk}/").content.decode()
    assert "13711112222" not in detail and "周联系" not in detail
    hidden = TechDemand.objects.get(title="待审核的需求")
    assert client.get(f"/talents/demands/{hidden.pk}/").status_code == 404


def test_demand_goes_from_collected_to_solved_with_every_step_recorded():
    staff = StaffFactory()
    demand = DemandFactory()
    expert = TalentFactory()
    services.check_demand(demand_id=demand.pk, actor=staff)
    services.publish_demand(demand_id=demand.pk, actor=staff)
    (match,) = services.match_demand(demand_id=demand.pk, talent_ids=[expert.pk], actor=staff)
    services.record_match_outcome(match_id=match.pk, outcome=Match.Outcome.SUCCEEDED, note="签订技术服务合同", actor=staff)
    services.solve_demand(demand_id=demand.pk, actor=staff)
    demand.refresh_from_db()
    assert demand.status == TechDemand.Status.SOLVED and demand.published_at and demand.solved_at
    steps = AuditEntry.objects.filter(
        action=AuditEntry.Action.TRANSITION, content_type=ContentType.objects.get_for_model(TechDemand), object_id=str(demand.pk)
    ).order_by("created", "pk")
    assert [(e.from_state, e.to_state) for e in steps] == [
        ("collected", "checked"), ("checked", "published"), ("published", "matched"), ("matched", "solved"),
    ]
    assert "签订技术服务合同" in Match.objects.get().note


def test_publishing_an_unchecked_demand_is_refused():
    demand = DemandFactory()
    with pytest.raises(TransitionNotAllowed, match="当前为“已征集”，不能变为“已发布”"):
        services.publish_demand(demand_id=demand.pk)


def test_demand_without_a_successful_match_cannot_be_solved():
    demand = DemandFactory(status=TechDemand.Status.PUBLISHED)
    services.match_demand(demand_id=demand.pk, talent_ids=[TalentFactory().pk])
    with pytest.raises(DomainError, match="还没有对接成功的记录"):
        services.solve_demand(demand_id=demand.pk)


def test_suggestions_are_experts_and_teams_whose_field_fits():
    bio = FieldFactory(name="生物基材料")
    demand = DemandFactory(status=TechDemand.Status.PUBLISHED)
    demand.fields.set([bio])
    fits = TalentFactory(name="吴敏", field=bio)
    TalentFactory(name="医生", field=FieldFactory(name="临床医学"))
    team = ServiceTeam.objects.create(name="生物基材料服务队", field="生物基材料")
    ServiceTeam.objects.create(name="乡村振兴服务队", field="农业")
    assert [t.name for t in suggest_experts(demand)] == ["吴敏"]
    assert list(suggest_teams(demand)) == [team]
    services.match_demand(demand_id=demand.pk, talent_ids=[fits.pk], team_ids=[team.pk])
    assert list(suggest_experts(demand)) == [] and list(suggest_teams(demand)) == []


def test_demand_list_filters_by_kind_and_keyword_and_drops_an_unknown_status(client):
    DemandFactory(title="聚乳酸增韧改性", kind=TechDemand.Kind.TECHNOLOGY, status=TechDemand.Status.PUBLISHED)
    DemandFactory(title="聚乳酸工艺工程师", kind=TechDemand.Kind.TALENT, status=TechDemand.Status.MATCHED)
    DemandFactory(title="秸秆还田机械", description="秸秆还田机械的刀具磨损快，希望改进材料与结构。",
                  kind=TechDemand.Kind.TECHNOLOGY, status=TechDemand.Status.PUBLISHED)
    html = client.get("/talents/demands/", {"kind": "technology", "q": "聚乳酸", "status": "collected"}).content.decode()
    assert "聚乳酸增韧改性" in html
    assert "聚乳酸工艺工程师" not in html and "秸秆还田机械" not in html
    assert 'value="聚乳酸"' in html


def test_demand_list_query_count_stays_flat(client, django_assert_num_queries):
    bio = FieldFactory(name="生物基材料")
    for demand in DemandFactory.create_batch(3, status=TechDemand.Status.PUBLISHED):
        demand.fields.set([bio])
    client.get("/talents/demands/")
    with django_assert_num_queries(4) as few:
        client.get("/talents/demands/?kind=technology")
    for demand in DemandFactory.create_batch(30, status=TechDemand.Status.MATCHED):
        demand.fields.set([bio])
    with django_assert_num_queries(len(few.captured_queries)):
        client.get("/talents/demands/?kind=technology")
