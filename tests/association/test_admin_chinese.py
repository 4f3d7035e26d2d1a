"""The admin reads as Chinese staff write it: Django's awkward strings rewritten, yes/no
icons spoken as 是/否, and people named by their real names."""

import pytest

from association import audit
from tests.association.factories import ArticleFactory, StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(client, chinese_catalogue):
    user = StaffFactory(username="popsci", is_superuser=True, first_name="芳", last_name="王")
    client.force_login(user)
    return user


def test_a_changelist_reads_in_plain_chinese(client, office, tree):
    ArticleFactory(created_by=office)
    html = client.get("/admin/association/article/").content.decode()
    assert "选择要修改的新闻" in html and "选择 新闻 来修改" not in html
    assert "执行" in html and ">Go<" not in html
    assert 'alt="搜索"' in html and 'alt="Search"' not in html
    assert "退出登录" in html
    assert "王芳" in html  # 创建人, and the top bar

    html = client.get("/admin/association/organization/").content.decode()
    assert 'alt="是"' in html and 'alt="True"' not in html
    assert "按类别筛选" in html
    assert " 以 " not in html


def test_the_index_and_the_audit_log_name_people_and_states(client, office, tree):
    clerk = StaffFactory(username="clerk7", first_name="晓明", last_name="李")
    audit.record("transition", actor=clerk, obj=tree.county_a, from_state="pending", to_state="confirmed")
    html = client.get("/admin/").content.decode()
    assert "最近操作" in html and "欢迎，<strong>王芳</strong>" in html
    html = client.get("/admin/association/auditentry/").content.decode()
    assert "李晓明" in html and "clerk7" not in html


def test_a_user_without_a_name_is_shown_by_username(db):
    assert str(StaffFactory(username="nameless")) == "nameless"
    assert str(StaffFactory(username="named", first_name="芳", last_name="王")) == "王芳"


def test_no_column_is_headed_in_english():
    from django.contrib import admin
    from django.contrib.admin.utils import label_for_field

    from volunteers.models import HoursCertificate

    model_admin = admin.site._registry[HoursCertificate]
    headings = [str(label_for_field(name, HoursCertificate, model_admin)) for name in model_admin.list_display]
    assert "核验码" in headings and "Display code" not in headings
