import io

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from association.choices import TitleLevel
from association.models import AuditEntry
from association.states import DomainError
from talents.models import DoctorsCommittee, Talent
from talents.services import registry as services
from tests.association.factories import StaffFactory
from volunteers.models import Volunteer

from .factories import FieldFactory, TalentFactory

pytestmark = pytest.mark.django_db


def _staff(*codenames):
    user = StaffFactory()
    user.groups.add(Group.objects.get(name="学会学术部"))
    for codename in codenames:
        user.user_permissions.add(Permission.objects.get(codename=codename, content_type__app_label="talents"))
    return type(user).objects.get(pk=user.pk)  # fresh permission cache


# -- public directory ------------------------------------------------------------------------


def test_directory_lists_only_experts_who_agreed_to_a_public_profile(client):
    TalentFactory(name="公开专家", public_profile=True)
    TalentFactory(name="未同意专家", public_profile=False)
    html = client.get("/talents/experts/").content.decode()
    assert "公开专家" in html
    assert "未同意专家" not in html


def test_directory_and_profile_never_show_contacts(client):
    talent = TalentFactory(name="孟庆臻", contact="13912345678")
    for url in ("/talents/experts/", f"/talents/experts/{talent.pk}/"):
        html = client.get(url).content.decode()
        assert "孟庆臻" in html
        assert "13912345678" not in html and "139****5678" not in html


def test_private_profile_page_is_not_found(client):
    talent = TalentFactory(public_profile=False)
    assert client.get(f"/talents/experts/{talent.pk}/").status_code == 404


def test_directory_filters_by_field_title_level_and_registry(client):
    chem = FieldFactory(name="化学化工")
    med = FieldFactory(name="临床医学")
    committee = DoctorsCommittee.objects.create(name="新材料")
    TalentFactory(name="化工正高", field=chem, title_level=TitleLevel.SENIOR)
    TalentFactory(name="化工副高", field=chem, title_level=TitleLevel.ASSOCIATE)
    TalentFactory(name="医学博士", field=med, in_expert_pool=False, in_doctors_association=True, committee=committee)
    html = client.get("/talents/experts/", {"field": chem.pk, "level": 1}).content.decode()
    assert "化工正高" in html and "化工副高" not in html and "医学博士" not in html
    html = client.get("/talents/experts/", {"registry": "doctors"}).content.decode()
    assert "医学博士" in html and "化工正高" not in html
    html = client.get("/talents/experts/", {"committee": committee.pk}).content.decode()
    assert "医学博士" in html and "化工副高" not in html


def test_a_malformed_filter_in_a_shared_link_is_dropped_and_the_others_apply(client):
    chem = FieldFactory(name="化学化工")
    TalentFactory(name="化工正高", field=chem, title_level=TitleLevel.SENIOR)
    TalentFactory(name="医学正高", field=FieldFactory(name="临床医学"), title_level=TitleLevel.SENIOR)
    response = client.get("/talents/experts/", {"field": chem.pk, "level": "正高", "county": "x"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "化工正高" in html and "医学正高" not in html
    assert f'<option value="{chem.pk}" selected>' in html


def test_directory_query_count_stays_flat_as_experts_grow(client, django_assert_num_queries):
    TalentFactory.create_batch(3)
    client.get("/talents/experts/?level=2")  # warm the facet cache and the site settings
    with django_assert_num_queries(2) as few:
        client.get("/talents/experts/?level=2")
    TalentFactory.create_batch(40)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get("/talents/experts/?level=2&page=2")


# -- staff: Excel, contacts ----------------------------------------------------------------


def test_export_masks_contacts_without_the_permission_and_is_recorded():
    TalentFactory(name="导出专家", contact="13912345678")
    staff = _staff()
    content = services.export_workbook(talents=Talent.objects.all(), actor=staff)
    ws = load_workbook(io.BytesIO(content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "姓名"
    assert rows[1][0] == "导出专家"
    assert "139****5678" in rows[1] and "13912345678" not in rows[1]
    assert AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT, actor=staff).exists()


def test_export_shows_full_contacts_to_staff_with_the_permission():
    TalentFactory(contact="13912345678")
    staff = _staff("reveal_talent_contact")
    rows = list(load_workbook(io.BytesIO(services.export_workbook(talents=Talent.objects.all(), actor=staff))).active.iter_rows(values_only=True))
    assert "13912345678" in rows[1]
    assert "联系方式完整" in AuditEntry.objects.get(action=AuditEntry.Action.EXPORT).detail


def _workbook(rows) -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile("人才.xlsx", buffer.getvalue())


def test_import_adds_new_experts_and_updates_existing_ones():
    FieldFactory(name="化学化工")
    TalentFactory(name="张付杰", birth_year=1972, employer="濮阳市化工学会", title="工程师")
    upload = _workbook([
        ["姓名", "性别", "出生年份", "职称 / 职务", "职称级别", "专业领域", "工作单位", "专家库", "联系方式"],
        ["张付杰", "男", 1972, "高级工程师", "副高级", "化学化工", "濮阳市化工学会", "是", "13700001111"],
        ["李双妹", "女", "1978", "副教授", "副高级", "化学化工", "濮阳职业技术学院", "是", ""],
    ])
    talents = services.TalentImport(actor=_staff("import_talent"))
    result = talents.run(upload)
    assert (result.errors, result.created, talents.updated) == ([], 1, 1)
    assert Talent.objects.get(name="张付杰").title == "高级工程师"
    assert Talent.objects.get(name="李双妹").in_expert_pool is True


def test_import_with_a_bad_row_saves_nothing_and_names_the_row():
    upload = _workbook([
        ["姓名", "性别", "出生年份"],
        ["王好", "男", 1980],
        ["赵错", "不详", "一九八零"],
    ])
    result = services.TalentImport(actor=_staff("import_talent")).run(upload)
    assert result.created == 0
    told = {(e.row, e.column): e.message for e in result.errors}
    assert set(told) == {(3, "性别"), (3, "出生年份")}
    assert told[3, "性别"].startswith("性别须为")
    assert "出生年份“一九八零”无效" in told[3, "出生年份"]
    assert not Talent.objects.filter(name="王好").exists()


def test_import_leaves_alone_what_the_sheet_does_not_carry():
    TalentFactory(name="张付杰", birth_year=1972, employer="濮阳市化工学会", title="工程师", contact="13700001111",
                  bio="长期从事化工研究。")
    upload = _workbook([
        ["姓名", "性别", "出生年份", "工作单位", "职称 / 职务"],
        ["张付杰", "男", 1972, "濮阳市化工学会", "高级工程师"],
    ])
    talents = services.TalentImport(actor=_staff("import_talent"))
    assert talents.run(upload).ok and talents.updated == 1
    expert = Talent.objects.get(name="张付杰")
    assert (expert.title, expert.contact, expert.bio) == ("高级工程师", "13700001111", "长期从事化工研究。")


def test_staff_read_each_mistake_by_its_row_and_nothing_is_imported(client):
    client.force_login(_staff("import_talent", "add_talent"))
    upload = _workbook([["姓名", "性别"], ["王好", "男"], ["", "男"]])
    response = client.post("/admin/talents/talent/import/", {"file": upload})
    assert response.status_code == 200
    assert "<li>第3行：姓名不能为空</li>" in response.content.decode()
    assert not Talent.objects.exists()
    missing = client.post("/admin/talents/talent/import/", {"file": _workbook([["姓名"], ["王好"]])})
    assert "表头缺少以下列：性别。请使用导入模板。" in missing.content.decode()


def test_admin_shows_the_contact_masked_without_the_permission(client):
    talent = TalentFactory(contact="13912345678")
    client.force_login(_staff())
    html = client.get(f"/admin/talents/talent/{talent.pk}/change/").content.decode()
    assert "139****5678" in html and "13912345678" not in html


def test_admin_full_contact_view_is_recorded(client):
    talent = TalentFactory(contact="13912345678")
    staff = _staff("reveal_talent_contact")
    client.force_login(staff)
    assert "13912345678" in client.get(f"/admin/talents/talent/{talent.pk}/change/").content.decode()
    assert AuditEntry.objects.filter(action=AuditEntry.Action.VIEW_PERSONAL, actor=staff, object_id=str(talent.pk)).exists()


def test_admin_changelist_searches_and_filters(client):
    chem = FieldFactory(name="化学化工")
    TalentFactory(name="孟庆臻", employer="濮阳市化工研究所", field=chem)
    TalentFactory(name="郑瑞谦", employer="濮阳市环境监测站", field=FieldFactory(name="生态环境"))
    client.force_login(_staff())
    html = client.get("/admin/talents/talent/", {"q": "化工研究所"}).content.decode()
    assert "孟庆臻" in html and "郑瑞谦" not in html
    html = client.get("/admin/talents/talent/", {"field__id__exact": chem.pk}).content.decode()
    assert "孟庆臻" in html and "郑瑞谦" not in html


# -- volunteers ------------------------------------------------------------------------------


def test_volunteer_account_is_linked_never_duplicated():
    volunteer = Volunteer.objects.create(name="孟庆臻", gender="M", employer="濮阳市化工研究所", field="化学化工")
    FieldFactory(name="化学化工")
    first = services.talent_from_volunteer(volunteer_id=volunteer.pk)
    again = services.talent_from_volunteer(volunteer_id=volunteer.pk)
    assert first.pk == again.pk
    assert Talent.objects.filter(name="孟庆臻").count() == 1
    with pytest.raises(DomainError, match="已关联人才"):
        services.link_volunteer(talent_id=TalentFactory(name="另一人").pk, volunteer_id=volunteer.pk)


def test_expert_made_from_a_volunteer_keeps_their_title_and_level():
    volunteer = Volunteer.objects.create(name="谷国英", gender="F", title="研究员", title_level=TitleLevel.SENIOR)
    talent = services.talent_from_volunteer(volunteer_id=volunteer.pk)
    assert (talent.title, talent.get_title_level_display()) == ("研究员", "正高级")
    untitled = services.talent_from_volunteer(volunteer_id=Volunteer.objects.create(name="王未填", gender="M").pk)
    assert untitled.get_title_level_display() == "无职称"


def test_photo_that_is_not_an_image_is_refused():
    from django.core.exceptions import ValidationError

    talent = TalentFactory.build(field=None, county=None)
    talent.photo = SimpleUploadedFile("照片.jpg", b"not really a jpeg", content_type="image/jpeg")
    with pytest.raises(ValidationError) as caught:
        talent.full_clean()
    assert "“照片.jpg”不是有效的图片，请上传 JPEG 或 PNG 格式的图片" in str(caught.value)


def test_expert_page_breadcrumb_leads_back_through_talents_and_awards(client):
    talent = TalentFactory(public_profile=True, in_expert_pool=True)
    html = client.get(f"/talents/experts/{talent.pk}/").content.decode()
    crumbs = html[html.index('class="breadcrumb"'):html.index("</ol>")]
    assert crumbs.index("首页") < crumbs.index("人才与奖项") < crumbs.index("专家名录")
