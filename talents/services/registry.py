"""The talent registry: links to volunteer accounts, Excel in and out."""

import io
from functools import cached_property

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from association import audit, spreadsheet
from association.choices import Gender, TitleLevel
from association.imports import Column, ExcelImport
from association.models import AuditEntry, County
from association.states import DomainError
from volunteers.models import Volunteer

from ..models import Degree, DoctorsCommittee, Field, Talent

REVEAL_PERMISSION = "talents.reveal_talent_contact"


# -- volunteers --------------------------------------------------------------------------


@transaction.atomic
def link_volunteer(*, talent_id: int, volunteer_id: int, actor=None, request=None) -> Talent:
    """Tie an expert to their volunteer account; one account belongs to one expert only."""
    talent = Talent.objects.select_for_update().get(pk=talent_id)
    other = Talent.objects.filter(volunteer_id=volunteer_id).exclude(pk=talent.pk).select_related("volunteer").first()
    if other:
        raise DomainError(_("志愿者“%(v)s”已关联人才“%(t)s”，不能重复关联。") % {"v": other.volunteer, "t": other})
    talent.volunteer_id = volunteer_id
    talent.save(update_fields=["volunteer", "updated"])
    audit.record(AuditEntry.Action.CHANGE, actor=actor, obj=talent, detail=_("关联志愿者账号"), request=request)
    return talent


@transaction.atomic
def unlink_volunteer(*, talent_id: int, actor=None, request=None) -> Talent:
    talent = Talent.objects.select_for_update().get(pk=talent_id)
    if talent.volunteer_id is None:
        return talent
    talent.volunteer = None
    talent.save(update_fields=["volunteer", "updated"])
    audit.record(AuditEntry.Action.CHANGE, actor=actor, obj=talent, detail=_("解除与志愿者账号的关联"), request=request)
    return talent


@transaction.atomic
def talent_from_volunteer(*, volunteer_id: int, actor=None, request=None) -> Talent:
    """The registry entry of a volunteer: the linked one if there is one, never a second copy."""
    volunteer = Volunteer.objects.select_for_update().get(pk=volunteer_id)
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
LABELS = dict(COLUMNS)


def _choice_label(choices, value) -> str:
    return str(dict(choices).get(value, "")) if value not in (None, "") else ""


def export_workbook(*, talents, actor, request=None) -> bytes:
    """The selected experts as an .xlsx; contacts masked unless the staff member holds the permission."""
    reveal = actor.has_perm(REVEAL_PERMISSION)
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
    for t in talents.select_related("field", "county", "committee").order_by("pk").iterator(chunk_size=2000):
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
            t.contact if reveal else t.masked_contact,
            t.bio,
        ]))
        count += 1
    buffer = io.BytesIO()
    wb.save(buffer)
    audit.record(
        AuditEntry.Action.EXPORT, actor=actor, request=request,
        detail=_("导出人才 %(n)s 条（联系方式%(how)s）") % {"n": count, "how": _("完整") if reveal else _("已遮蔽")},
    )
    return buffer.getvalue()


def _lookup(choices) -> dict[str, object]:
    return {str(label): value for value, label in choices}


class TalentImport(ExcelImport):
    """Experts added or updated from an .xlsx laid out like the export; all rows or none.

    A row updates the expert with the same name, birth year and employer, else adds one;
    the columns a sheet leaves out keep what the registry holds.
    """

    columns = [Column(label, required=key in REQUIRED) for key, label in COLUMNS]
    max_rows = 5000

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.updated = 0

    @cached_property
    def references(self) -> dict[str, dict]:
        """What the labels in the sheet stand for, read once per import."""
        return {
            "gender": _lookup(Gender.choices),
            "title_level": _lookup(TitleLevel.choices),
            "degree": _lookup(Degree.choices),
            "doctors_role": _lookup(Talent.DoctorsRole.choices),
            "field": {f.name: f for f in Field.objects.all()},
            "county": {c.name: c for c in County.objects.all()},
            "committee": {c.name: c for c in DoctorsCommittee.objects.all()},
        }

    def parse_row(self, values, row):
        refs, data = self.references, {}

        def text(key, limit):
            value = values[LABELS[key]]
            if len(value) > limit:
                row.error(LABELS[key], _("“%(col)s”不能超过 %(n)s 个字") % {"col": LABELS[key], "n": limit})
            return value[:limit]

        data["name"] = text("name", 50)
        for key, limit in (("title", 60), ("specialty", 200), ("employer", 120), ("native_place", 60),
                           ("overseas_country", 40), ("contact", 100), ("bio", 4000)):
            data[key] = text(key, limit)
        if not data["name"]:
            row.error(LABELS["name"], _("姓名不能为空"))
        gender = text("gender", 2)
        if gender not in refs["gender"]:
            row.error(LABELS["gender"], _("性别须为“男”或“女”"))
        data["gender"] = refs["gender"].get(gender)
        year = values[LABELS["birth_year"]]
        data["birth_year"] = None
        if year:
            try:
                data["birth_year"] = int(year.rstrip("年"))
                if not 1900 <= data["birth_year"] <= timezone.localdate().year:
                    raise ValueError
            except ValueError:
                row.error(LABELS["birth_year"], _("出生年份“%(v)s”无效，请填写如 1975 的四位年份") % {"v": year})
        for key, default in (("title_level", TitleLevel.NONE), ("degree", ""), ("doctors_role", "")):
            label = text(key, 20)
            if not label:
                data[key] = default
            elif label in refs[key]:
                data[key] = refs[key][label]
            else:
                row.error(LABELS[key], _("“%(col)s”的值“%(v)s”无法识别") % {"col": LABELS[key], "v": label})
        for key in ("field", "county", "committee"):
            label = text(key, 60)
            if not label:
                data[key] = None
            elif label in refs[key]:
                data[key] = refs[key][label]
            else:
                row.error(LABELS[key], _("“%(col)s”的值“%(v)s”不在系统的列表中") % {"col": LABELS[key], "v": label})
        for key in BOOLEAN_COLUMNS:
            value = text(key, 2)
            if value not in ("", YES, NO):
                row.error(LABELS[key], _("“%(col)s”须填“是”或“否”") % {"col": LABELS[key]})
            data[key] = value == YES
        if data.get("committee") and not data["in_doctors_association"]:
            row.error(LABELS["committee"], _("填写了专业委员会，“博士联谊会”须为“是”"))
        return data

    def save(self, parsed) -> int:
        present = {key for key, label in COLUMNS if label in self.columns_present}
        created = 0
        for data in parsed:
            values = {k: v for k, v in data.items() if k in present}
            existing = Talent.objects.filter(
                name=data["name"], birth_year=data["birth_year"], employer=data["employer"]
            ).first()
            if existing:
                for key, value in values.items():
                    setattr(existing, key, value)
                existing.save()
                self.updated += 1
            else:
                Talent.objects.create(**values)
                created += 1
        audit.record(
            AuditEntry.Action.IMPORT, actor=self.actor, request=self.request,
            detail=_("导入人才：新增 %(c)s 条，更新 %(u)s 条") % {"c": created, "u": self.updated},
        )
        return created
