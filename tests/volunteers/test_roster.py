import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from association import imports
from association.choices import TitleLevel
from association.models import AuditEntry
from tests.association.factories import CountyFactory, StaffFactory
from volunteers.idcard import synthetic_identity, synthetic_mobile
from volunteers.models import Membership, Volunteer
from volunteers.services import roster

from .factories import TeamFactory, VolunteerFactory

pytestmark = pytest.mark.django_db


def row(serial, **overrides):
    number, _birth, gender = synthetic_identity(serial)
    values = {"姓名": f"花名册{serial}", "性别": "男" if gender == "M" else "女", "身份证号": number,
              "手机号码": synthetic_mobile(serial), "电子邮箱": f"r{serial}@example.org", "政治面貌": "民盟",
              "学历": "大学本科", "职称": "高级农艺师", "职称级别": "副高级", "专业领域": "农业", "工作单位": "濮阳市农业科学院",
              "所在县（区）": "范县", "服务队": "乡村振兴服务队/农林组", "角色": "联络员", "专业特长": "小麦育种"}
    values.update(overrides)
    return [values.get(h, "") for h in roster.HEADERS]


def workbook(rows, headers=roster.HEADERS):
    wb = Workbook()
    ws = wb.active
    ws.append(list(headers))
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    return out


@pytest.fixture
def teams(db):
    CountyFactory(name="范县")
    rural = TeamFactory(name="乡村振兴服务队")
    return TeamFactory(name="农林组", parent=rural, kind="group")


def test_import_creates_approved_volunteers_with_their_team_and_role(teams):
    staff = StaffFactory()
    result = roster.import_roster(workbook([row(800_001), row(800_002)]), actor=staff)
    assert result.ok and result.created == 2
    v = Volunteer.objects.get(name="花名册800001")
    assert v.status == Volunteer.Status.APPROVED and v.political_status == "cdl" and v.county.name == "范县"
    assert v.id_number == synthetic_identity(800_001)[0]
    assert Membership.objects.get(volunteer=v).get_role_display() == "联络员"
    assert AuditEntry.objects.filter(action=AuditEntry.Action.IMPORT, actor=staff).exists()


def test_import_with_errors_reports_each_row_and_imports_nothing(teams):
    existing = VolunteerFactory()
    rows = [
        row(800_010),
        row(800_011, 身份证号="410902199002300017"),
        row(800_012, 手机号码="12345", 性别="女" if synthetic_identity(800_012)[2] == "M" else "男"),
        row(800_013, 政治面貌="党员", 服务队="不存在的队"),
        row(800_014, 身份证号=existing.id_number, 性别="男" if existing.gender == "M" else "女"),
        row(800_015, 手机号码=synthetic_mobile(800_010)),
        row(800_016, 姓名=""),
    ]
    result = roster.import_roster(workbook(rows), actor=StaffFactory())
    assert not result.ok
    by_row = {(e.row, e.column) for e in result.errors}
    assert {(3, "身份证号"), (4, "手机号码"), (4, "性别"), (5, "政治面貌"), (5, "服务队"), (6, "身份证号"), (7, "手机号码"),
            (8, "姓名")} <= by_row
    assert (2, "身份证号") not in by_row
    messages = {(e.row, e.column): e.message for e in result.errors}
    assert messages[(7, "手机号码")] == "与第 2 行的手机号码重复。"
    assert messages[(6, "身份证号")] == "该身份证号已在系统中登记，不能重复导入。"
    assert Volunteer.objects.count() == 1  # only the one that was there


def test_title_levels_are_read_by_their_chinese_labels_and_written_back_the_same(teams):
    staff = StaffFactory()
    rows = [row(800_030, 职称级别="副高级"), row(800_031, 职称级别="无职称"), row(800_032, 职称级别="")]
    result = roster.import_roster(workbook(rows), actor=staff)
    assert result.ok
    levels = dict(Volunteer.objects.values_list("name", "title_level"))
    assert levels == {"花名册800030": TitleLevel.ASSOCIATE, "花名册800031": TitleLevel.NONE, "花名册800032": None}

    exported = load_workbook(io.BytesIO(roster.export_roster(Volunteer.objects.all(), user=staff)), read_only=True)
    header, *lines = exported.active.iter_rows(values_only=True)
    column = header.index("职称级别")
    assert sorted(line[column] or "" for line in lines) == ["", "副高级", "无职称"]


def test_a_roster_written_before_the_levels_were_shared_still_imports_its_none(teams):
    result = roster.import_roster(workbook([row(800_033, 职称级别="无")]), actor=StaffFactory())
    assert result.ok
    assert Volunteer.objects.get().get_title_level_display() == "无职称"


def test_an_unknown_title_level_is_refused_with_the_labels_to_choose_from(teams):
    result = roster.import_roster(workbook([row(800_034, 职称级别="高级")]), actor=StaffFactory())
    assert result.errors == [imports.ImportError(2, "职称级别", "应为以下之一：正高级、副高级、中级、初级、无职称。")]
    assert not Volunteer.objects.exists()


def test_broken_file_and_missing_headers_are_reported():
    staff = StaffFactory()
    result = roster.import_roster(io.BytesIO(b"not a spreadsheet"), actor=staff)
    assert "文件无法读取" in result.errors[0].message
    result = roster.import_roster(workbook([["张三"]], headers=["姓名"]), actor=staff)
    assert "表头缺少以下列：性别、身份证号、手机号码" in result.errors[0].message


def test_admin_import_page_shows_the_error_report(client, admin_user, teams):
    client.force_login(admin_user)
    upload = SimpleUploadedFile("roster.xlsx", workbook([row(800_020, 身份证号="123")]).read())
    response = client.post("/admin/volunteers/volunteer/import/", {"file": upload})
    html = response.content.decode()
    assert "未导入：发现 1 处错误" in html and "第 2 行" in html and "身份证号应为18位" in html
    assert not Volunteer.objects.exists()


def test_template_download_has_the_headers(client, admin_user):
    client.force_login(admin_user)
    content = client.get("/admin/volunteers/volunteer/import/template/").content
    assert [c.value for c in load_workbook(io.BytesIO(content)).active[1]] == roster.HEADERS
