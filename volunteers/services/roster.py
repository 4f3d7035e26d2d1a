"""The roster in Excel: import (every row checked, all or nothing) and export (masked
unless the staff member may see personal data; every export recorded)."""

import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from association import audit, scoping, spreadsheet
from association.choices import Gender, TitleLevel
from association.crypto import mask_id_number, mask_mobile
from association.imports import Column, ExcelImport, ImportResult, Row
from association.models import AuditEntry, County

from .. import idcard, selectors
from ..models import Membership, ServiceTeam, Volunteer
from .units import UnitRule

V = Volunteer
# (header, model field or None, required)
COLUMNS = [
    ("姓名", "name", True),
    ("性别", "gender", True),
    ("身份证号", "id_number", True),
    ("手机号码", "mobile", True),
    ("电子邮箱", "email", False),
    ("政治面貌", "political_status", False),
    ("学历", "education", False),
    ("职称", "title", False),
    ("职称级别", "title_level", False),
    ("专业领域", "field", False),
    ("工作单位", "employer", False),
    ("所在县（区）", "county", False),
    ("服务队", "team", False),
    ("角色", "role", False),
    ("专业特长", "skills", False),
]
HEADERS = [c[0] for c in COLUMNS]
CHOICES = {
    "gender": {str(label): value for value, label in Gender.choices},
    "political_status": {str(label): value for value, label in V.PoliticalStatus.choices},
    "education": {str(label): value for value, label in V.Education.choices},
    "title_level": {str(label): value for value, label in TitleLevel.choices},
    "role": {str(label): value for value, label in Membership.Role.choices},
}
# Words accepted besides the labels: rosters written before the levels were shared say “无”.
ALIASES = {"title_level": {"无": TitleLevel.NONE}}
# Free-text columns with their length limits.
TEXTS = (("职称", "title", 60), ("专业领域", "field", 100), ("工作单位", "employer", 120))
# A synchronous export must finish within a request; larger rosters are exported by filter.
EXPORT_LIMIT = 20000


def template_workbook() -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "志愿者花名册"
    ws.append(spreadsheet.safe_row(ws, HEADERS))
    ws.append(spreadsheet.safe_row(ws, ["张三", "男", "", "", "zhangsan@example.org", "九三学社", "大学本科", "高级工程师", "副高级",
               "化工", "濮阳市化工研究所", "华龙区", "化工新材料服务队", "队员", "精细化工工艺"]))
    for col, width in zip("ABCDEFGHIJKLMNO", [10, 6, 22, 14, 24, 12, 12, 14, 10, 12, 24, 14, 24, 8, 24], strict=True):
        ws.column_dimensions[col].width = width
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _team_index(teams=None) -> dict[str, ServiceTeam | None]:
    """Team by name and by "上级/名称"; a name used twice maps to None (ambiguous)."""
    index: dict[str, ServiceTeam | None] = {}
    for team in (ServiceTeam.objects.all() if teams is None else teams).select_related("parent"):
        index[team.name] = None if team.name in index else team
        if team.parent:
            index[f"{team.parent.name}/{team.name}"] = team
    return index


@dataclass
class RosterRow:
    volunteer: Volunteer
    team: ServiceTeam | None
    role: str


class RosterImport(ExcelImport):
    """The volunteers' roster: approved volunteers, with their team and role.

    A unit's staff import into their own work: a row naming another unit's team is refused,
    and every volunteer imported is managed by the team's unit or else the importing unit
    (``units.UnitRule``)."""

    columns = [Column(header, required=required) for header, _name, required in COLUMNS]
    conflict_message = "导入时发现身份证号或手机号码已被登记（可能有人刚刚注册），未导入任何数据，请重新导入。"

    def __init__(self, *, actor=None, request=None):
        super().__init__(actor=actor, request=request)
        self.counties = {c.name: c for c in County.objects.all()}
        unit = scoping.unit_of(actor) if actor is not None else None
        self.rule = UnitRule(within=unit.pk if unit is not None else None)
        # A unit's staff name their own teams; one of the same name elsewhere is no ambiguity.
        self.teams = _team_index(scoping.scope(ServiceTeam.objects.all(), actor) if unit is not None else None)
        self.all_teams = _team_index() if unit is not None else self.teams
        self.today = timezone.localdate()
        self.now = timezone.now()
        self.seen_ids: dict[str, int] = {}
        self.seen_mobiles: dict[str, int] = {}

    def parse_row(self, values: dict[str, str], row: Row) -> RosterRow | None:
        for h, _name, required in COLUMNS:
            if required and not values[h]:
                row.error(h, _("此项必填。"))
        data = {}
        if len(values["姓名"]) > 50:
            row.error("姓名", _("姓名不能超过50个字。"))
        data["name"] = values["姓名"]
        for h, name, _required in COLUMNS:
            if name in CHOICES and values[h]:
                value = CHOICES[name].get(values[h], ALIASES.get(name, {}).get(values[h]))
                if value is None:
                    row.error(h, _("应为以下之一：%(options)s。") % {"options": "、".join(CHOICES[name])})
                else:
                    data[name] = value
        info = None
        if values["身份证号"]:
            id_number = idcard.normalise_id_number(values["身份证号"])
            try:
                info = idcard.parse_id_number(id_number, today=self.today)
                data["id_number"] = id_number
                if id_number in self.seen_ids:
                    row.error("身份证号", _("与第 %(row)s 行的身份证号重复。") % {"row": self.seen_ids[id_number]})
                self.seen_ids.setdefault(id_number, row.number)
            except ValidationError as exc:
                row.error("身份证号", exc.messages[0])
        if info and data.get("gender") and info.gender != data["gender"]:
            row.error("性别", _("性别与身份证号不一致。"))
        if values["手机号码"]:
            try:
                mobile = idcard.validate_mobile(values["手机号码"])
                data["mobile"] = mobile
                if mobile in self.seen_mobiles:
                    row.error("手机号码", _("与第 %(row)s 行的手机号码重复。") % {"row": self.seen_mobiles[mobile]})
                self.seen_mobiles.setdefault(mobile, row.number)
            except ValidationError as exc:
                row.error("手机号码", exc.messages[0])
        if values["电子邮箱"]:
            try:
                validate_email(values["电子邮箱"])
                data["email"] = values["电子邮箱"]
            except ValidationError:
                row.error("电子邮箱", _("电子邮箱格式不正确。"))
        county = None
        if values["所在县（区）"]:
            county = self.counties.get(values["所在县（区）"])
            if county is None:
                row.error("所在县（区）", _("没有这个县（区）：请填写系统中已有的县（区）名称。"))
        team = None
        if values["服务队"]:
            team = self.teams.get(values["服务队"])
            if team is None and values["服务队"] not in self.teams and values["服务队"] in self.all_teams:
                row.error("服务队", _("这个服务队不属于本单位或下级单位，不能把志愿者导入其中。"))
            elif team is None:
                row.error("服务队", _("找不到这个服务队，或名称重复：请写完整名称，重名时写作“上级名称/名称”。"))
        for h, name, limit in TEXTS:
            if len(values[h]) > limit:
                row.error(h, _("不能超过 %(n)s 个字。") % {"n": limit})
            data[name] = values[h]
        data["skills"] = values["专业特长"]
        role = data.pop("role", Membership.Role.MEMBER)
        if row.failed:
            return None
        volunteer = Volunteer(
            status=Volunteer.Status.APPROVED, county=county, birth_date=info.birth_date, reviewed_at=self.now,
            reviewed_by=self.actor, unit_id=self.rule.unit_for(teams=[team], county_id=county.pk if county else None),
            **data,
        )
        volunteer.refresh_hashes()
        return RosterRow(volunteer, team, role)

    def check_all(self, parsed: list[tuple[Row, RosterRow]]) -> None:
        """People already registered: by hash, in chunks, never by plain value."""
        for column, field_name in (("身份证号", "id_number_hash"), ("手机号码", "mobile_hash")):
            rows = {getattr(data.volunteer, field_name): row for row, data in parsed}
            hashes = list(rows)
            for start in range(0, len(hashes), 5000):
                chunk = hashes[start : start + 5000]
                for existing in Volunteer.objects.filter(**{f"{field_name}__in": chunk}).values_list(field_name, flat=True):
                    rows[existing].error(column, _("该%(col)s已在系统中登记，不能重复导入。") % {"col": column})

    def save(self, parsed: list[RosterRow]) -> int:
        volunteers = Volunteer.objects.bulk_create([p.volunteer for p in parsed], batch_size=2000)
        Membership.objects.bulk_create(
            [Membership(volunteer=v, team=p.team, role=p.role, joined=self.today)
             for v, p in zip(volunteers, parsed, strict=True) if p.team],
            batch_size=5000,
        )
        transaction.on_commit(selectors.forget_team_member_counts)
        audit.record(AuditEntry.Action.IMPORT, actor=self.actor, request=self.request,
                     detail=f"导入志愿者花名册 {len(volunteers)} 人")
        return len(volunteers)


def import_roster(upload, *, actor, request=None) -> ImportResult:
    """Every row checked, then all written in one transaction or none (``result.errors``:
    row, column and Chinese message of each problem)."""
    return RosterImport(actor=actor, request=request).run(upload)


def export_roster(queryset, *, user, request=None) -> bytes:
    """The roster as xlsx; full ID numbers and mobiles only with the permission (recorded)."""
    from openpyxl import Workbook

    full = user.has_perm("volunteers.view_personal_data")
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("志愿者花名册")
    ws.append(spreadsheet.safe_row(ws, [*HEADERS[:12], "服务队及角色", "状态", "注册时间", "志愿者编号"]))
    count = 0
    # A unit's staff read the teams of their own work only (a volunteer may also serve elsewhere).
    memberships = Prefetch("memberships", queryset=scoping.scope(Membership.objects.select_related("team"), user))
    qs = scoping.scope(queryset, user).select_related("county").prefetch_related(memberships).order_by("id")
    for v in qs.iterator(chunk_size=2000):
        count += 1
        ws.append(spreadsheet.safe_row(ws, [
            v.name, v.get_gender_display(),
            v.id_number if full else mask_id_number(v.id_number),
            v.mobile if full else mask_mobile(v.mobile),
            v.email, v.get_political_status_display(), v.get_education_display(), v.title, v.get_title_level_display(),
            v.field, v.employer, v.county.name if v.county else "",
            "；".join(f"{m.team.name}（{m.get_role_display()}）" for m in v.memberships.all()),
            v.get_status_display(), timezone.localtime(v.created).strftime("%Y-%m-%d %H:%M"), v.number,
        ]))
    out = io.BytesIO()
    wb.save(out)
    audit.record(
        AuditEntry.Action.EXPORT, actor=user, request=request,
        detail=f"导出志愿者花名册 {count} 人（{'含完整身份证号与手机号码' if full else '个人信息已遮蔽'}）",
    )
    if full:
        audit.record(AuditEntry.Action.VIEW_PERSONAL, actor=user, request=request,
                     detail=f"导出完整身份证号与手机号码 {count} 人")
    return out.getvalue()
