import json

import pytest
from django.contrib.auth.models import Group

from association.models import Organization, SiteSettings
from tests.association.factories import CountyFactory, OrganizationFactory, StaffFactory

pytestmark = pytest.mark.django_db


def test_staff_groups_exist_with_their_permissions():
    names = set(Group.objects.values_list("name", flat=True))
    assert {"办公室", "学会学术部", "科学技术普及部", "领导"} <= names
    office = Group.objects.get(name="办公室")
    assert office.permissions.filter(codename="change_organization").exists()
    leaders = Group.objects.get(name="领导")
    assert leaders.permissions.filter(codename="view_organization").exists()
    assert not leaders.permissions.filter(codename="change_organization").exists()


def test_footer_shows_hotline_and_address_that_staff_edit(client):
    site = SiteSettings.load()
    site.name = "濮阳市科学技术协会"
    site.hotline = "8800110"
    site.address = "濮阳市华龙区测试路1号"
    site.save()
    html = client.get("/organizations/").content.decode()
    assert "8800110" in html
    assert "濮阳市华龙区测试路1号" in html
    assert 'lang="zh-Hans"' in html


def test_directory_filters_by_kind_and_county_with_counts(client):
    nanle = CountyFactory(name="南乐县")
    fanxian = CountyFactory(name="范县")
    OrganizationFactory(name="南乐县城关镇科普e站", kind=Organization.Kind.E_STATION, county=nanle)
    OrganizationFactory(name="范县莲藕种植农技协", kind=Organization.Kind.RURAL_TECHNICAL_ASSOCIATION, county=fanxian)
    OrganizationFactory(name="濮阳市化工学会", kind=Organization.Kind.SOCIETY, county=nanle)

    html = client.get("/organizations/", {"county": nanle.pk}).content.decode()
    assert "南乐县城关镇科普e站" in html and "濮阳市化工学会" in html
    assert "范县莲藕种植农技协" not in html

    html = client.get("/organizations/", {"kind": "e_station"}).content.decode()
    assert "南乐县城关镇科普e站" in html
    assert "濮阳市化工学会" not in html
    # the side list counts every kind
    assert "科普e站" in html and "农技协" in html


def test_directory_shows_typed_text_as_text_not_markup(client):
    html = client.get("/organizations/", {"q": "<script>alert(1)</script>"}).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def test_audit_log_shows_states_by_their_chinese_names(admin_client):
    from association import audit
    from tests.association.factories import ArticleFactory

    article = ArticleFactory(title="审计日志里的新闻")
    audit.record(audit.AuditEntry.Action.TRANSITION, obj=article, from_state="draft", to_state="published")
    html = admin_client.get("/admin/association/auditentry/").content.decode()
    row = html[html.index("审计日志里的新闻"):]
    row = row[:row.index("</tr>")]
    assert "草稿" in row and "已发布" in row
    assert ">draft<" not in row and ">published<" not in row


def test_audit_log_filters_only_by_kinds_of_object_it_holds(admin_client):
    from association import audit
    from tests.association.factories import ArticleFactory

    audit.record(audit.AuditEntry.Action.CREATE, obj=ArticleFactory())
    html = admin_client.get("/admin/association/auditentry/").content.decode()
    filters = html[html.index('id="changelist-filter"'):]
    assert "新闻" in filters
    assert "access attempt" not in filters and "TOTP device" not in filters


def test_audit_entry_page_shows_states_by_their_chinese_names(admin_client):
    from association import audit
    from tests.association.factories import ArticleFactory

    entry = audit.record(audit.AuditEntry.Action.TRANSITION, obj=ArticleFactory(), from_state="draft", to_state="published")
    html = admin_client.get(f"/admin/association/auditentry/{entry.pk}/change/").content.decode()
    assert "草稿" in html and "已发布" in html


def test_admin_two_box_selector_speaks_chinese(client, chinese_catalogue):
    """Django's own catalogue lacks these texts; ours (locale/) supplies them."""
    client.force_login(StaffFactory())
    catalogue = client.get("/admin/jsi18n/").content.decode()
    # The catalogue is JSON inside the script, with non-ASCII letters escaped as \uXXXX.
    assert json.dumps("全选%s") in catalogue and json.dumps("移除已选中的%s") in catalogue


def test_permissions_listed_to_staff_have_chinese_names(admin_client):
    group = Group.objects.get(name="办公室")
    html = admin_client.get(f"/admin/auth/group/{group.pk}/change/").content.decode()
    assert "科协 | 新闻 | 添加新闻" in html
    assert "Can add" not in html and "Can view" not in html


def test_admin_greets_staff_by_their_name(client):
    client.force_login(StaffFactory(last_name="王主任"))
    assert "欢迎，<strong>王主任</strong>。" in client.get("/admin/").content.decode()


def test_scheduled_task_form_has_no_inline_script_for_the_policy_to_block(admin_client):
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    every = IntervalSchedule.objects.create(every=1, period=IntervalSchedule.DAYS)
    task = PeriodicTask.objects.create(name="测试任务", task="association.tasks.noop", interval=every)
    html = admin_client.get(f"/admin/django_celery_beat/periodictask/{task.pk}/change/").content.decode()
    assert "测试任务" in html
    assert "periodic-task-overrides" not in html


def test_office_adding_a_user_reads_chinese_throughout(client, chinese_catalogue):
    """Django's catalogue lacks the add-user page's note; ours (locale/) supplies it."""
    office = StaffFactory()
    office.groups.add(Group.objects.get(name="办公室"))
    client.force_login(office)
    html = client.get("/admin/auth/user/add/").content.decode()
    assert "创建用户后" in html and "After you" not in html


def test_a_chinese_name_reads_family_name_first_without_a_space(client):
    client.force_login(StaffFactory(first_name="芳", last_name="王"))
    assert "欢迎，<strong>王芳</strong>。" in client.get("/admin/").content.decode()
    client.force_login(StaffFactory(first_name="Fang", last_name="Wang"))
    assert "欢迎，<strong>Fang Wang</strong>。" in client.get("/admin/").content.decode()


def test_audit_log_shows_a_recorded_state_as_stored_when_the_object_has_no_state_field(admin_client):
    from association import audit

    audit.record(audit.AuditEntry.Action.TRANSITION, obj=OrganizationFactory(name="没有状态的单位"), from_state="old",
                 to_state="new")
    response = admin_client.get("/admin/association/auditentry/")
    html = response.content.decode()
    row = html[html.index("没有状态的单位"):]
    assert ">old<" in row[:row.index("</tr>")] and ">new<" in row[:row.index("</tr>")]


def test_pages_before_staff_save_the_site_particulars_show_the_defaults_and_write_nothing(client):
    from tests.db_writes import count_writes

    SiteSettings.objects.all().delete()
    with count_writes() as writes:
        html = client.get("/organizations/").content.decode()
    assert "濮阳市科学技术协会" in html and "8800110" in html
    assert not writes
    assert not SiteSettings.objects.exists()

    site = SiteSettings.load()  # staff fill them in
    site.address = "濮阳市华龙区测试路1号"
    site.save()
    assert "濮阳市华龙区测试路1号" in client.get("/organizations/").content.decode()
    assert SiteSettings.objects.get().pk == 1
