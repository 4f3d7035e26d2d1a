"""The talent registry: links to volunteer accounts, contacts shown in full, Excel in and out."""

import io
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill

from association import audit, spreadsheet
from association.choices import Gender, TitleLevel
from association.crypto import mask_mobile
from association.models import AuditEntry, County
from association.textinput import clean_text

from ..models import Degree, DoctorsCommittee, Field, Talent
from ..states import TalentsError

REVEAL_PERMISSION = "talents.reveal_talent_contact"


def mask_contact(value: str) -> str:
    """138****1234, or z***@example.org for an e-mail address."""
    if not value:
        return ""
    if "@" in value:
        local, _at, domain = value.partition("@")
        return f"{local[:1]}***@{domain}"
    return mask_mobile(value)


def contact_for(user, talent: Talent, *, request=None) -> str:
    """The contact as this staff member may see it; a full view is recorded."""
    if not talent.contact:
        return ""
    if user.has_perm(REVEAL_PERMISSION):
        audit.record(AuditEntry.Action.VIEW_PERSONAL, actor=user, obj=talent, detail=_("查看人才联系方式"), request=request)
        return talent.contact
    return mask_contact(talent.contact)


# -- volunteers --------------------------------------------------------------------------


@transaction.atomic
def link_volunteer(talent: Talent, volunteer, *, actor=None, request=None) -> Talent:
    """Tie an expert to their volunteer account; one account belongs to one expert only."""
    talent = Talent.objects.select_for_update().get(pk=talent.pk)
    other = Talent.objects.filter(volunteer=volunteer).exclude(pk=talent.pk).first()
    if other:
        raise TalentsError(_("志愿者“%(v)s”已关联人才“%(t)s”，不能重复关联。") % {"v": volunteer, "t": other})
    talent.volunteer = volunteer
    talent.save(update_fields=["volunteer", "updated"])
    audit.record(AuditEntry.Action.CHANGE, actor=actor, obj=talent, detail=_("关联志愿者账号"), request=request)
    return talent


@transaction.atomic
def unlink_volunteer(talent: Talent, *, actor=None, request=None) -> Talent:
    talent = Talent.objects.select_for_update().get(pk=talent.pk)
    if talent.volunteer_id is None:
        return talent
    talent.volunteer = None
    talent.save(update_fields=["volunteer", "updated"])
    audit.record(AuditEntry.Action.CHANGE, actor=actor, obj=talent, detail=_("解除与志愿者账号的关联"), request=request)
    return talent


@transaction.atomic
def talent_from_volunteer(volunteer, *, actor=None, request=None) -> Talent:
    """The registry entry of a volunteer: the linked one if there is one, never a second copy."""
    existing = Talent.objects.filter(volunteer=volunteer).first()
    if existing:
        return existing
    field = Field.objects.filter(name=volunteer.field).first() if volunteer.field else None
    talent = Talent.objects.create(
        name=volunteer.name,
        gender=volunteer.gender or Gender.MALE,
        employer=volunteer.employer,
        field=field,
        specialty="" if field else volunteer.field,
        county=volunteer.county,
        title=volunteer.title,
        # Both apps share association.choices.TitleLevel; a level not given counts as none.
        title_level=volunteer.title_level or TitleLevel.NONE,
        volunteer=volunteer,
    )
    audit.record(AuditEntry.Action.CREATE, actor=actor, obj=talent, detail=_("由志愿者信息建立"), request=request)
    return talent


# -- Excel --------------------------------------------------------------------------------

YES, NO = "是", "否"
COLUMNS = [
    ("name", "姓名"),
    ("gender", "性别"),
    ("birth_year", "出生年份"),
    ("title", "职称 / 职务"),
    ("title_level", "职称级别"),
    ("degree", "学位"),
    ("field", "专业领域"),
    ("specialty", "研究方向 / 专长"),
    ("employer", "工作单位"),
    ("native_place", "籍贯"),
    ("county", "所在县（区）"),
    ("in_expert_pool", "专家库"),
    ("in_doctors_association", "博士联谊会"),
    ("committee", "专业委员会"),
    ("doctors_role", "联谊会职务"),
    ("is_haizhi", "海智专家"),
    ("overseas_country", "海外国家或地区"),
    ("public_profile", "同意公开简介"),
    ("contact", "联系方式"),
    ("bio", "简介"),
]
REQUIRED = {"name", "gender"}
BOOLEAN_COLUMNS = {"in_expert_pool", "in_doctors_association", "is_haizhi", "public_profile"}
MAX_IMPORT_ROWS = 5000


def _choice_label(choices, value) -> str:
    return str(dict(choices).get(value, "")) if value not in (None, "") else ""


def export_workbook(queryset, *, user, request=None) -> bytes:
    """The selected experts as an .xlsx; contacts masked unless the user holds the permission."""
    reveal = user.has_perm(REVEAL_PERMISSION)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("人才库"))
    header_font = Font(bold=True, color="FFFFFF")
    fill = PatternFill("solid", fgColor="0B4EA2")
    header = []
    for _key, label in COLUMNS:
        cell = spreadsheet.safe_cell(ws, label)
        cell.font, cell.fill = header_font, fill
        header.append(cell)
    ws.append(header)
    count = 0
    for t in queryset.select_related("field", "county", "committee").order_by("pk").iterator(chunk_size=2000):
        ws.append(spreadsheet.safe_row(ws, [
            t.name,
            _choice_label(Gender.choices, t.gender),
            t.birth_year,
            t.title,
            _choice_label(TitleLevel.choices, t.title_level),
            _choice_label(Degree.choices, t.degree),
            t.field.name if t.field else "",
            t.specialty,
            t.employer,
            t.native_place,
            t.county.name if t.county else "",
            YES if t.in_expert_pool else NO,
            YES if t.in_doctors_association else NO,
            t.committee.name if t.committee else "",
            _choice_label(Talent.DoctorsRole.choices, t.doctors_role),
            YES if t.is_haizhi else NO,
            t.overseas_country,
            YES if t.public_profile else NO,
            t.contact if reveal else mask_contact(t.contact),
            t.bio,
        ]))
        count += 1
    buffer = io.BytesIO()
    wb.save(buffer)
    audit.record(
        AuditEntry.Action.EXPORT, actor=user, request=request,
        detail=_("导出人才 %(n)s 条（联系方式%(how)s）") % {"n": count, "how": _("完整") if reveal else _("已遮蔽")},
    )
    return buffer.getvalue()


@dataclass
class ImportResult:
    created: int
    updated: int


class ImportFailed(TalentsError):
    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__(_("导入未完成，未写入任何数据：") + "；".join(errors[:20]))


def _lookup(choices) -> dict[str, object]:
    return {str(label): value for value, label in choices}


def _parse_row(values: dict, refs: dict) -> tuple[dict, list[str]]:
    data, errors = {}, []

    def text(key, limit):
        value = values.get(key)
        value = "" if value is None else clean_text(str(value)).strip()
        if len(value) > limit:
            errors.append(_("“%(col)s”不能超过 %(n)s 个字") % {"col": dict(COLUMNS)[key], "n": limit})
        return value[:limit]

    data["name"] = text("name", 50)
    for key, limit in (("title", 60), ("specialty", 200), ("employer", 120), ("native_place", 60),
                       ("overseas_country", 40), ("contact", 100), ("bio", 4000)):
        data[key] = text(key, limit)
    if not data["name"]:
        errors.append(_("姓名不能为空"))
    gender = text("gender", 2)
    if gender not in refs["gender"]:
        errors.append(_("性别须为“男”或“女”"))
    data["gender"] = refs["gender"].get(gender)
    year = values.get("birth_year")
    if year in (None, ""):
        data["birth_year"] = None
    else:
        try:
            data["birth_year"] = int(str(year).strip().rstrip("年"))
            if not 1900 <= data["birth_year"] <= timezone.localdate().year:
                raise ValueError
        except ValueError:
            errors.append(_("出生年份“%(v)s”无效，请填写如 1975 的四位年份") % {"v": year})
    for key, table, default in (("title_level", "title_level", TitleLevel.NONE), ("degree", "degree", ""),
                                ("doctors_role", "doctors_role", "")):
        label = text(key, 20)
        if not label:
            data[key] = default
        elif label in refs[table]:
            data[key] = refs[table][label]
        else:
            errors.append(_("“%(col)s”的值“%(v)s”无法识别") % {"col": dict(COLUMNS)[key], "v": label})
    for key, table in (("field", "field"), ("county", "county"), ("committee", "committee")):
        label = text(key, 60)
        if not label:
            data[key] = None
        elif label in refs[table]:
            data[key] = refs[table][label]
        else:
            errors.append(_("“%(col)s”的值“%(v)s”不在系统的列表中") % {"col": dict(COLUMNS)[key], "v": label})
    for key in BOOLEAN_COLUMNS:
        value = text(key, 2)
        if value not in ("", YES, NO):
            errors.append(_("“%(col)s”须填“是”或“否”") % {"col": dict(COLUMNS)[key]})
        data[key] = value == YES
    if data.get("committee") and not data["in_doctors_association"]:
        errors.append(_("填写了专业委员会，“博士联谊会”须为“是”"))
    return data, errors


@transaction.atomic
def import_workbook(file, *, user, request=None) -> ImportResult:
    """Add or update experts from an .xlsx laid out like the export; all rows or none.

    A row updates the expert with the same name, birth year and employer, else adds one.
    """
    try:
        wb = load_workbook(file, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not xlsx
        raise ImportFailed([_("无法读取文件，请上传 .xlsx 格式的 Excel 文件")]) from exc
    ws = wb.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    header = [str(h).strip() if h is not None else "" for h in next(rows, [])]
    by_label = {label: key for key, label in COLUMNS}
    positions = {by_label[h]: i for i, h in enumerate(header) if h in by_label}
    missing = [dict(COLUMNS)[k] for k in REQUIRED if k not in positions]
    if missing:
        raise ImportFailed([_("表头缺少：%(cols)s（请使用导出的模板）") % {"cols": "、".join(missing)}])
    refs = {
        "gender": _lookup(Gender.choices),
        "title_level": _lookup(TitleLevel.choices),
        "degree": _lookup(Degree.choices),
        "doctors_role": _lookup(Talent.DoctorsRole.choices),
        "field": {f.name: f for f in Field.objects.all()},
        "county": {c.name: c for c in County.objects.all()},
        "committee": {c.name: c for c in DoctorsCommittee.objects.all()},
    }
    parsed, errors = [], []
    for number, row in enumerate(rows, start=2):
        if row is None or all(v in (None, "") for v in row):
            continue
        if len(parsed) >= MAX_IMPORT_ROWS:
            errors.append(_("一次最多导入 %(n)s 行") % {"n": MAX_IMPORT_ROWS})
            break
        values = {key: row[i] if i < len(row) else None for key, i in positions.items()}
        data, row_errors = _parse_row(values, refs)
        errors.extend(_("第%(n)s行：%(e)s") % {"n": number, "e": e} for e in row_errors)
        parsed.append(data)
    if errors:
        raise ImportFailed(errors)
    if not parsed:
        raise ImportFailed([_("表格中没有数据行")])
    created = updated = 0
    for data in parsed:
        # Columns absent from the sheet keep what the registry already holds.
        present = {k: v for k, v in data.items() if k in positions or k in REQUIRED}
        existing = Talent.objects.filter(
            name=data["name"], birth_year=data.get("birth_year"), employer=data.get("employer", "")
        ).first()
        if existing:
            for key, value in present.items():
                setattr(existing, key, value)
            existing.save()
            updated += 1
        else:
            Talent.objects.create(**present)
            created += 1
    audit.record(
        AuditEntry.Action.IMPORT, actor=user, request=request,
        detail=_("导入人才：新增 %(c)s 条，更新 %(u)s 条") % {"c": created, "u": updated},
    )
    return ImportResult(created, updated)

