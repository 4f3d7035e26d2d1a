"""The catalogue of the return as data: one TOML file per year (``catalogue/2025.toml``), a
year that changes nothing saying ``based_on``. ``sync()`` makes the tables and items of each
year match the files; it runs after every migrate."""

import tomllib
from functools import cache
from pathlib import Path

from django.db import transaction

HERE = Path(__file__).resolve().parent


@cache
def years() -> dict[int, dict]:
    """{year: {"tables": [...]}} from the files, ``based_on`` resolved."""
    raw = {}
    for path in sorted(HERE.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        raw[int(data["year"])] = data
    out = {}
    for year, data in sorted(raw.items()):
        base = data.get("based_on")
        tables = data.get("table") or (out[int(base)]["tables"] if base else [])
        out[year] = {"tables": tables}
    return out


def sync(using: str = "default") -> int:
    """Tables and items of every year as the files say; returns how many items there are."""
    from ..models import ReturnItem, ReturnTable

    count = 0
    with transaction.atomic(using=using):
        for year, data in years().items():
            keep_tables = []
            for order, spec in enumerate(data["tables"]):
                table, _ = ReturnTable.objects.using(using).update_or_create(
                    year=year, code=spec["code"],
                    defaults={"name": spec["name"], "filers": spec.get("filers", ReturnTable.Filers.ALL), "order": order},
                )
                keep_tables.append(table.pk)
                by_code = {}
                for item_order, item in enumerate(spec["items"]):
                    row, _ = ReturnItem.objects.using(using).update_or_create(
                        table=table, code=item["code"],
                        defaults={
                            "name": item["name"], "unit": item["unit"], "source": item["source"],
                            "rule": item.get("rule", ""), "rule_text": item.get("text", ""),
                            "required": item.get("required", True), "wording_checked": item.get("checked", False),
                            "order": item_order,
                            "part_of": by_code.get(item.get("part_of")),
                        },
                    )
                    by_code[item["code"]] = row
                    count += 1
                ReturnItem.objects.using(using).filter(table=table).exclude(code__in=by_code).delete()
            ReturnTable.objects.using(using).filter(year=year).exclude(pk__in=keep_tables).delete()
    return count


def sync_after_migrate(sender=None, using="default", **kwargs):
    sync(using)
