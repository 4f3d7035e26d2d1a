"""The open API's shared contract, as a program using it sees it: tokens, errors in Chinese
with stable codes, limits, pages, ETag and 304 — on news, the directory and the talents
registry."""

import itertools
from datetime import timedelta

import pytest
from django.utils import timezone

from association.models import ApiToken, Article, AuditEntry
from tests.association.factories import ArticleFactory, OrganizationFactory, StaffFactory, UserFactory
from tests.talents.factories import DemandFactory, TalentFactory

pytestmark = pytest.mark.django_db

_addresses = itertools.count(1)


@pytest.fixture
def api(client):
    """The test client from an address of its own (the limits count per address)."""
    n = next(_addresses)
    client.defaults["REMOTE_ADDR"] = f"203.0.{n // 250}.{n % 250 + 1}"
    return client


def obtain(api, username, password="Passw0rd!23", **extra):
    return api.post("/api/v1/auth/token", {"username": username, "password": password, **extra},
                    content_type="application/json")


# -- tokens --------------------------------------------------------------------------------


def test_a_volunteer_logs_in_uses_the_token_and_revokes_it(api):
    UserFactory(username="lixiaohong")
    answer = obtain(api, "lixiaohong", name="我的手机")
    assert answer.status_code == 201
    token = answer.json()["token"]
    assert token.startswith("kx_") and answer.json()["token_type"] == "Bearer"
    # Only a hash of it is kept; its last four characters help the person recognise it.
    row = ApiToken.objects.get()
    assert token not in (row.digest, row.hint) and row.hint == token[-4:] and row.name == "我的手机"
    assert AuditEntry.objects.filter(action="接口令牌签发", object_id=str(row.pk)).exists()

    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    info = api.get("/api/v1/auth/token", **auth)
    assert info.status_code == 200 and info.json()["kind"] == "volunteer"
    assert "private" in info["Cache-Control"]

    assert api.delete("/api/v1/auth/token", **auth).status_code == 204
    refused = api.get("/api/v1/auth/token", **auth)
    assert refused.status_code == 401
    assert refused.json()["code"] == "unauthorized" and "令牌" in refused.json()["message"]


def test_a_wrong_password_a_staff_account_and_an_expired_token_are_refused_in_chinese(api):
    UserFactory(username="wangfang")
    StaffFactory(username="office")
    wrong = obtain(api, "wangfang", "not-it")
    assert wrong.status_code == 401 and wrong.json() == {"code": "invalid_credentials", "message": "用户名或密码不正确。"}
    staff = obtain(api, "office")
    assert staff.status_code == 403 and staff.json()["code"] == "staff_account" and "管理后台" in staff.json()["message"]

    token = obtain(api, "wangfang").json()["token"]
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert api.get("/api/v1/auth/token", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401
    assert api.get("/api/v1/auth/token", HTTP_AUTHORIZATION="Bearer kx_made-up").status_code == 401


def test_guessing_a_password_through_the_api_meets_the_log_in_page_limits(api, settings):
    settings.LOGIN_ACCOUNT_SLOWDOWN_AFTER = 2
    UserFactory(username="zhaolei")
    for _ in range(2):
        assert obtain(api, "zhaolei", "guess").status_code == 401
    slowed = obtain(api, "zhaolei")  # even the right password waits its turn
    assert slowed.status_code == 429 and slowed.json()["code"] == "slowed_down"
    assert "秒后再试" in slowed.json()["message"]
    assert not ApiToken.objects.exists()


# -- errors and limits ------------------------------------------------------------------------


def test_bad_parameters_get_field_messages_in_chinese(api):
    answer = api.get("/api/v1/news/?page=0&page_size=500")
    assert answer.status_code == 422
    body = answer.json()
    assert body["code"] == "invalid" and body["message"] == "请求内容有误，请按提示修改。"
    assert {"field": "page", "message": "太小了。"} in body["fields"]
    assert {"field": "page_size", "message": "太大了。"} in body["fields"]
    missing = api.post("/api/v1/auth/token", {"username": "x"}, content_type="application/json")
    assert {"field": "password", "message": "必填。"} in missing.json()["fields"]
    broken = api.post("/api/v1/auth/token", "{not json", content_type="application/json")
    assert broken.status_code in (400, 422) and broken.json()["message"]


def test_an_unknown_address_is_a_json_404(api):
    for address in ("/api/v1/nothing-here/", "/api/v2/news/", "/api/v1/news/999999/"):
        answer = api.get(address)
        assert answer.status_code == 404, address
        assert answer.json()["code"] == "not_found" and answer.json()["message"]


def test_an_address_over_its_limit_is_told_when_to_come_back(api, settings):
    settings.API_RATE_PER_ADDRESS = "3/m"
    settings.API_RATE_PER_SHARED_ADDRESS = "100/m"
    for _ in range(3):
        assert api.get("/api/v1/organizations/").status_code == 200
    over = api.get("/api/v1/organizations/")
    assert over.status_code == 429
    assert over.json()["code"] == "rate_limited" and "秒后再试" in over.json()["message"]
    assert int(over["Retry-After"]) >= 1
    # A carrier's shared address holds many people: it has the larger allowance.
    shared = {"REMOTE_ADDR": "100.64.3.9"}
    assert all(api.get("/api/v1/organizations/", **shared).status_code == 200 for _ in range(5))


def test_a_token_has_its_own_limit_wherever_it_comes_from(api, settings):
    settings.API_RATE_PER_TOKEN = "2/m"
    UserFactory(username="sunli")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {obtain(api, 'sunli').json()['token']}"}
    assert api.get("/api/v1/auth/token", **auth).status_code == 200
    assert api.get("/api/v1/auth/token", REMOTE_ADDR="198.51.100.7", **auth).status_code == 200
    assert api.get("/api/v1/auth/token", REMOTE_ADDR="198.51.100.8", **auth).status_code == 429


# -- lists, pages and conditional answers --------------------------------------------------------


def test_news_pages_filters_and_search_match_the_public_list(api):
    for n in range(25):
        ArticleFactory(title=f"科普讲座第{n}场", category=Article.Category.POPSCI if n % 5 == 0 else Article.Category.ASSOCIATION_NEWS)
    ArticleFactory(title="尚未发布的稿件", status=Article.Status.DRAFT, published_at=None)

    first = api.get("/api/v1/news/?page_size=10").json()
    assert (first["count"], first["pages"], first["page"], first["has_next"]) == (25, 3, 1, True)
    assert len(first["items"]) == 10
    last = api.get("/api/v1/news/?page_size=10&page=3").json()
    assert len(last["items"]) == 5 and not last["has_next"]
    past = api.get("/api/v1/news/?page_size=10&page=4").json()
    assert (past["items"], past["has_next"], past["count"]) == ([], False, 25)
    titles = {item["title"] for page in (1, 2, 3) for item in api.get(f"/api/v1/news/?page_size=10&page={page}").json()["items"]}
    assert len(titles) == 25 and "尚未发布的稿件" not in titles

    science = api.get(f"/api/v1/news/?category={Article.Category.POPSCI}").json()
    assert science["count"] == 5 and all(i["category_label"] == Article.Category.POPSCI.label for i in science["items"])
    found = api.get("/api/v1/news/?q=第7场").json()
    assert [i["title"] for i in found["items"]] == ["科普讲座第7场"]
    # The answer is UTF-8 as it is, not \\u escapes.
    assert "科普讲座".encode() in api.get("/api/v1/news/").content


def test_an_unchanged_answer_is_304_without_a_body(api):
    article = ArticleFactory(title="濮阳市第二十三届科技活动周开幕")
    first = api.get(f"/api/v1/news/{article.pk}/")
    assert first.status_code == 200 and first.json()["title"] == "濮阳市第二十三届科技活动周开幕"
    assert first["ETag"] and first["Last-Modified"] and "public" in first["Cache-Control"]

    again = api.get(f"/api/v1/news/{article.pk}/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    since = api.get(f"/api/v1/news/{article.pk}/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304

    article.title = "濮阳市第二十三届科技活动周隆重开幕"
    article.save()
    changed = api.get(f"/api/v1/news/{article.pk}/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and changed.json()["title"].endswith("隆重开幕")

    listing = api.get("/api/v1/news/")
    assert api.get("/api/v1/news/", HTTP_IF_NONE_MATCH=listing["ETag"]).status_code == 304


def test_the_directory_filters_by_kind_and_name(api):
    city = OrganizationFactory(name="濮阳市科学技术协会", kind="association")
    OrganizationFactory(name="濮阳市化学化工学会", kind="society", parent=city)
    OrganizationFactory(name="清丰县科协", kind="county", parent=city)
    societies = api.get("/api/v1/organizations/?kind=society").json()
    assert [(o["name"], o["parent_name"], o["kind_label"]) for o in societies["items"]] == [
        ("濮阳市化学化工学会", "濮阳市科学技术协会", "学会")
    ]
    assert [o["name"] for o in api.get("/api/v1/organizations/?q=清丰").json()["items"]] == ["清丰县科协"]


def test_experts_show_what_the_directory_shows_and_never_a_contact(api):
    shown = TalentFactory(name="李建国", contact="13812345678", employer="中原油田")
    TalentFactory(name="不愿公开的专家", public_profile=False)
    listed = api.get("/api/v1/talents/experts/").json()
    assert [e["name"] for e in listed["items"]] == ["李建国"]
    detail = api.get(f"/api/v1/talents/experts/{shown.pk}/")
    assert detail.json()["employer"] == "中原油田"
    assert b"13812345678" not in detail.content and b"138" not in detail.content
    hidden = TalentFactory(name="后来撤回公开", public_profile=False)
    assert api.get(f"/api/v1/talents/experts/{hidden.pk}/").status_code == 404


def test_only_published_demands_are_served(api):
    from talents.models import TechDemand

    published = DemandFactory(title="聚乳酸增韧", status=TechDemand.Status.PUBLISHED, published_at=timezone.now())
    DemandFactory(title="刚征集未审核", status=TechDemand.Status.COLLECTED)
    titles = [d["title"] for d in api.get("/api/v1/talents/demands/").json()["items"]]
    assert titles == ["聚乳酸增韧"]
    detail = api.get(f"/api/v1/talents/demands/{published.pk}/").json()
    assert detail["enterprise_name"] == "河南源博新材料有限公司"
    assert "13712345678" not in str(detail) and "contact_person" not in detail


def test_the_guide_lists_every_endpoint_in_chinese(api):
    page = api.get("/api/v1/docs/")
    text = page.content.decode()
    assert page.status_code == 200
    for words in ("开放接口", "新闻列表", "用账号密码换取令牌", "专家名录", "Authorization: Bearer", "/api/v1/openapi.json"):
        assert words in text
    schema = api.get("/api/v1/openapi.json").json()
    assert schema["info"]["title"] == "濮阳市科协门户开放接口"
    assert "/api/v1/news/" in schema["paths"]
    assert api.get("/api/v1/swagger/").status_code == 200
