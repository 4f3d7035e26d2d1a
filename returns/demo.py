"""Demo returns: last year's accepted by the city and every filing unit of the demo (the
county 科协 and the 学会), this year's opened as drafts for the same units.

An accepted return is what its unit reported. Its computed items are counted from the
portal's records of that year; where the demo's records of last year count less than the
source documents say (they are mostly this year's recent work), a few items carry the
documents' figures instead (an item with its 其中 items, so that they stay within it):
科普日 and 科技周 activities (300+ a year across the city), registered volunteers (2,000+,
济宁's real-name roll), the 科普 e站 (263) and 农技协 (652) counted from the demo's units.
Entered items (机关人数, 学会 members, papers, journals …) have plausible figures.

Runs after the apps' own demo loaders (the units, events and volunteers exist by then);
running it twice changes nothing: an accepted return is left as it is, a draft is opened
once and refreshed only from the records.
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from association import extensions
from association.models import Organization

from . import services
from .models import ReturnTable, ReturnValue, StatisticsReturn

K = Organization.Kind
S = StatisticsReturn.Status

# (table, item) → figure of the unit's own work, by the kind of unit, used when the records
# of last year count nothing. 科普日 events: 6 counties × 45 + the city's 35 ≈ 300+;
# volunteers: 6 × 260 + 520 ≈ 2,080.
SEED_FLOORS = {
    ("EKX表5", "01"): {K.ASSOCIATION: 60, K.COUNTY_ASSOCIATION: 70, K.SOCIETY: 6},
    ("EKX表5", "02"): {K.ASSOCIATION: 18, K.COUNTY_ASSOCIATION: 15, K.SOCIETY: 4},
    ("EKX表5", "03"): {K.ASSOCIATION: 4, K.COUNTY_ASSOCIATION: 8},
    ("EKX表5", "04"): {K.ASSOCIATION: 35, K.COUNTY_ASSOCIATION: 45, K.SOCIETY: 2},
    ("EKX表5", "06"): {K.ASSOCIATION: 30000, K.COUNTY_ASSOCIATION: 28000, K.SOCIETY: 900},
    ("EKX表5", "07"): {K.ASSOCIATION: 520, K.COUNTY_ASSOCIATION: 260, K.SOCIETY: 40},
    ("CKX表3", "01"): {K.ASSOCIATION: 3, K.COUNTY_ASSOCIATION: 1, K.SOCIETY: 2},
    ("CKX表3", "02"): {K.ASSOCIATION: 1200, K.COUNTY_ASSOCIATION: 150, K.SOCIETY: 260},
    ("FKX表6", "01"): {K.ASSOCIATION: 2, K.COUNTY_ASSOCIATION: 1},
    ("FKX表6", "02"): {K.ASSOCIATION: 1500, K.COUNTY_ASSOCIATION: 400},
    ("HKX表8", "01"): {K.ASSOCIATION: 180, K.COUNTY_ASSOCIATION: 60, K.SOCIETY: 12},
    ("JKX表10", "01"): {K.ASSOCIATION: 28},
    ("JKX表10", "02"): {K.ASSOCIATION: 9},
    ("JKX表10", "03"): {K.ASSOCIATION: 12, K.SOCIETY: 2},
    # 科技培训讲座 110 期 and 推广新品种、新技术 188 项 over the five years of the review.
    ("JKX表10", "05"): {K.ASSOCIATION: 10, K.COUNTY_ASSOCIATION: 5},
}
# Entered items, by the kind of unit (the 学会's AX表1-2 by name below).
ENTERED = {
    ("AK表1-1", "07"): {K.ASSOCIATION: 26, K.COUNTY_ASSOCIATION: 7},  # 机关人数: 3 部室 + 4 事业单位 at the city
    ("CKX表3", "03"): {K.ASSOCIATION: 1, K.SOCIETY: 0},
    ("CKX表3", "04"): {K.ASSOCIATION: 96, K.COUNTY_ASSOCIATION: 8, K.SOCIETY: 35},
    ("DKX表4", "01"): {K.ASSOCIATION: 1, K.COUNTY_ASSOCIATION: 0, K.SOCIETY: 0},
    ("DKX表4", "02"): {K.ASSOCIATION: Decimal("0.6")},
    ("EKX表5", "05"): {K.ASSOCIATION: 6, K.COUNTY_ASSOCIATION: 3, K.SOCIETY: 1},
    ("FKX表6", "03"): {K.ASSOCIATION: 2, K.COUNTY_ASSOCIATION: 1},
    ("GKX表7", "05"): {K.ASSOCIATION: 1},  # 濮阳市气象科技馆
    ("HKX表8", "02"): {K.ASSOCIATION: 320, K.COUNTY_ASSOCIATION: 110, K.SOCIETY: 24},
    ("HKX表8", "03"): {K.ASSOCIATION: 8, K.COUNTY_ASSOCIATION: 3, K.SOCIETY: 1},
    ("IKX表9", "01"): {K.ASSOCIATION: 3, K.SOCIETY: 1},
    ("IKX表9", "02"): {K.ASSOCIATION: 210, K.SOCIETY: 40},
    ("KKX表11", "05"): {K.ASSOCIATION: 12, K.COUNTY_ASSOCIATION: 4, K.SOCIETY: 3},
}
SOCIETY_MEMBERS = {  # 个人会员, 单位会员, 专职工作人员, 分支机构
    "濮阳市化工学会": (460, 38, 3, 4),
    "濮阳市生物基材料协会": (180, 26, 2, 2),
    "濮阳市农学会": (620, 15, 2, 5),
    "濮阳市医学会": (2300, 42, 4, 18),
    "濮阳市汽车工程学会": (150, 12, 1, 1),
}
# Who signed last year's return (the 化工学会's 秘书长 张付杰 and the 生物基材料协会's 吴敏
# are named in the service corps report; the others are invented).
SIGNERS = {
    "濮阳市科学技术协会": ("王建华", "李红梅", "赵磊", "0393-8800110"),
    "濮阳市化工学会": ("孟庆臻", "张付杰", "张付杰", "0393-4821566"),
    "濮阳市生物基材料协会": ("吴敏", "吴敏", "刘畅", "0393-7261108"),
}
DEFAULT_SIGNERS = ("刘国庆", "陈静", "孙晓", "0393-8881234")


def filing_units():
    """The demo's filing units: the city association, the county 科协 and the 学会."""
    units = Organization.objects.filter(kind__in=services.FILING_KINDS).order_by("kind", "order", "name")
    return [u for u in units if services.files_a_return(u)]


def _figure(table: dict, key, kind):
    by_kind = table.get(key) or {}
    return by_kind.get(kind)


def accept_last_year(unit: Organization, year: int) -> bool:
    """The unit's accepted return for ``year``; False when it was accepted already."""
    statistics_return, _created = StatisticsReturn.objects.get_or_create(organization=unit, year=year)
    if statistics_return.status == S.ACCEPTED:
        return False
    figures = services.own_figures(unit, year)
    members = SOCIETY_MEMBERS.get(unit.name, (200, 10, 1, 1))
    existing = {v.item_id: v for v in statistics_return.values.all()}
    items = list(services.items_for(unit, year))
    # An item whose records count less than the documents' figure takes that figure, and
    # its 其中 items take theirs with it (so they stay within their total).
    counted = {
        item.pk for item in items
        if item.is_computed and not item.part_of_id
        and figures.get(item.pk, 0) >= (_figure(SEED_FLOORS, (item.table.code, item.code), unit.kind) or 0)
    }
    new, changed = [], []
    for item in items:
        key = (item.table.code, item.code)
        if item.is_computed:
            number = figures.get(item.pk, Decimal(0))
            if (item.part_of_id or item.pk) not in counted:
                number = _figure(SEED_FLOORS, key, unit.kind) or 0
        elif item.table.code == "AX表1-2":
            number = members[int(item.code) - 1] if item.code.isdigit() and int(item.code) <= len(members) else 0
        else:
            number = _figure(ENTERED, key, unit.kind) or 0
        value = existing.get(item.pk)
        if value is None:
            new.append(ReturnValue(statistics_return=statistics_return, item=item, value=Decimal(number)))
        elif value.value != Decimal(number):
            value.value = Decimal(number)
            changed.append(value)
    ReturnValue.objects.bulk_create(new)
    ReturnValue.objects.bulk_update(changed, ["value"])
    head, statistician, filled_by, phone = SIGNERS.get(unit.name, DEFAULT_SIGNERS)
    tz = timezone.get_current_timezone()
    reported = date(year + 1, 1, 20)
    statistics_return.head, statistics_return.statistician = head, statistician
    statistics_return.filled_by, statistics_return.phone = filled_by, phone
    statistics_return.reported_on = reported
    statistics_return.submitted_at = datetime.combine(reported, time(10, 0), tzinfo=tz)
    statistics_return.accepted_at = datetime.combine(reported + timedelta(days=5), time(15, 30), tzinfo=tz)
    statistics_return.returned_reason = ""
    statistics_return.status = S.ACCEPTED
    statistics_return.save()
    return True


def open_this_year(unit: Organization, year: int) -> bool:
    """This year's draft, opened once; the sign-off names carried over from last year's."""
    created = not StatisticsReturn.objects.filter(organization=unit, year=year).exists()
    statistics_return = services.open_return(unit.pk, year)
    if created:
        last = StatisticsReturn.objects.filter(organization=unit, year=year - 1).first()
        if last is not None:
            statistics_return.head, statistics_return.statistician = last.head, last.statistician
            statistics_return.filled_by, statistics_return.phone = last.filled_by, last.phone
            statistics_return.save(update_fields=["head", "statistician", "filled_by", "phone", "updated"])
    return created


@extensions.demo_loader(order=60)
def load_returns(stdout):
    this_year = timezone.localdate().year
    last_year = this_year - 1
    catalogued = set(ReturnTable.objects.values_list("year", flat=True).distinct())
    units = filing_units()
    accepted = sum(accept_last_year(unit, last_year) for unit in units) if last_year in catalogued else 0
    opened = sum(open_this_year(unit, this_year) for unit in units) if this_year in catalogued else 0
    stdout.write(f"  综合统计年报：{len(units)} 个填报单位，{last_year}年新审核通过 {accepted} 份，{this_year}年新开填报 {opened} 份")
