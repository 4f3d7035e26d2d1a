"""Volunteers: the admin list with filters, a volunteer's own page with 500 records, the
teams tree, the projects list, and the Excel import of 10,000 rows.

    .venv/bin/python bench/volunteers.py --scale small
    .venv/bin/python bench/volunteers.py --scale large     # 100,000 volunteers, 1,000,000 records

Bars (large): each page p95 ≤ 150 ms with the same query count as at small; import ≤ 60 s.
"""

import io
import time

from harness import Bench

bench = Bench.from_argv("volunteers", repeat=40)
bench.prepare()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.db import transaction  # noqa: E402
from django.test import Client  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from volunteers.idcard import synthetic_identity, synthetic_mobile  # noqa: E402
from volunteers.models import Membership, ServiceOrder, ServiceRecord, ServiceTeam, Volunteer  # noqa: E402
from volunteers.services import roster  # noqa: E402
from volunteers.synthetic import BENCH_USERNAME  # noqa: E402

User = get_user_model()
bench_volunteer = Volunteer.objects.get(user__username=BENCH_USERNAME)
bench.sizes(
    volunteers=Volunteer.objects.count(),
    service_records=ServiceRecord.objects.count(),
    memberships=Membership.objects.count(),
    teams=ServiceTeam.objects.count(),
    orders=ServiceOrder.objects.count(),
    bench_volunteer_records=bench_volunteer.records.count(),
)

staff, _created = User.objects.get_or_create(username="bench-popsci", defaults={"is_staff": True})
staff.groups.add(Group.objects.get(name="科学技术普及部"))
admin_client = Client()
admin_client.force_login(staff)
volunteer_client = Client()
volunteer_client.force_login(bench_volunteer.user)

team = ServiceTeam.objects.filter(kind=ServiceTeam.Kind.TEAM, name__contains="服务队").order_by("id").first()
bench.page("/admin/volunteers/volunteer/?status__exact=approved", client=admin_client,
           label="admin volunteers ?status=approved")
bench.page(f"/admin/volunteers/volunteer/?team={team.pk}", client=admin_client, label="admin volunteers ?team=…")
bench.page("/admin/volunteers/volunteer/?political_status__exact=cdl&county__id__exact="
           f"{Volunteer.objects.exclude(county=None).values_list('county_id', flat=True).first()}",
           client=admin_client, label="admin volunteers ?political+county")
bench.page("/accounts/me/", client=volunteer_client, label="/accounts/me/ (500 records)")
bench.page("/accounts/me/?page=20", client=volunteer_client, label="/accounts/me/?page=20")
bench.page("/volunteers/teams/")
bench.page("/volunteers/projects/")
bench.page("/volunteers/projects/?page=5")


def roster_file(n: int, start: int) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("志愿者花名册")
    ws.append(roster.HEADERS)
    team_name = f"{team.parent.name}/{team.name}" if team.parent else team.name
    for serial in range(start, start + n):
        number, _birth, gender = synthetic_identity(serial)
        ws.append([f"导入{serial}", "男" if gender == "M" else "女", number, synthetic_mobile(serial), "", "民盟", "大学本科",
                   "工程师", "中级", "化工", "合成单位", "", team_name, "队员", ""])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


data = roster_file(10_000, 3_000_000)
started = time.perf_counter()
with transaction.atomic():
    result = roster.import_roster(io.BytesIO(data), actor=staff)
    elapsed = time.perf_counter() - started
    transaction.set_rollback(True)  # measure, then leave the data as it was
bench.notes.append(f"Excel import of 10,000 rows: {elapsed:.1f} s (created {result.created:,}, errors {len(result.errors)}; rolled back)")

ids = list(Volunteer.objects.order_by("id").values_list("id", flat=True)[:10_000])
started = time.perf_counter()
exported = roster.export_roster(Volunteer.objects.filter(pk__in=ids), user=staff)
bench.notes.append(f"Excel export of {len(ids):,} volunteers (masked): {time.perf_counter() - started:.1f} s, "
                   f"{len(exported) // 1024:,} KB")

bench.load(["/volunteers/teams/", "/volunteers/projects/"])
bench.report()
