"""Every page of the staff admin opens without a server error, for the superuser and for a
member of each staff group, and reading it writes nothing.

With the demo data loaded (and a row of every model it leaves empty), each model registered
on the admin site is opened: its list, the list under every choice of every filter the list
offers, the date drill-down, a Chinese search, the add page and the change page of one
record. A group without the permission is refused (403) or sent elsewhere (302); nobody
gets a 500. The models are read from the admin site itself, so a model registered later is
covered without touching this file.
"""

from urllib.parse import urlencode

import pytest
from django.contrib import admin
from django.contrib.admin.templatetags.admin_list import date_hierarchy
from django.contrib.admin.utils import quote
from django.db import transaction
from django.urls import reverse

from association.models import AuditEntry
from association.roles import GROUPS
from tests.db_writes import count_writes

pytestmark = pytest.mark.django_db

USERS = ["superuser", *GROUPS]
SEARCH_TERM = "科普"


@pytest.fixture(autouse=True)
def _demo_media(demo_site, settings):
    settings.MEDIA_ROOT = demo_site.media_root


class Visitor:
    """Opens admin pages as one user and notes every server error and every write."""

    def __init__(self, client):
        self.client = client
        self.errors = []
        self.writes = []

    def get(self, url, *, may_show_personal_data=False):
        last_entry = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        try:
            # A savepoint per page: a failing page cannot spoil the pages after it.
            with transaction.atomic(), count_writes() as writes:
                response = self.client.get(url)
        except Exception as exc:  # noqa: BLE001 - every failing page is reported at the end
            self.errors.append(f"{url}: {exc.__class__.__name__}: {exc}")
            return None
        if response.status_code >= 500:
            self.errors.append(f"{url}: {response.status_code}")
        # A record's page may show its full personal data (ID number, mobile) to those allowed
        # to see it, and seeing it is written to the audit log as "查看完整个人信息": a record
        # the personal-information law asks for. That is the one write a page that is only
        # read may make: on a record's page, to association_auditentry, entries of that kind.
        if may_show_personal_data and set(writes) == {"association_auditentry"}:
            new = AuditEntry.objects.filter(pk__gt=last_entry)
            if writes["association_auditentry"] == new.count() and not new.exclude(action=AuditEntry.Action.VIEW_PERSONAL):
                writes.clear()
        if writes:
            self.writes.append(f"{url}: {dict(writes)}")
        return response


def drill_down(visitor, response):
    """Follow the date hierarchy the list offers, from years down to a single day."""
    for _level in range(4):
        if response is None or response.status_code != 200 or "cl" not in response.context:
            return
        hierarchy = date_hierarchy(response.context["cl"])
        if not hierarchy or not hierarchy["choices"]:
            return
        response = visitor.get(hierarchy["choices"][0]["link"])


def open_model_pages(visitor, model):
    opts = model._meta
    name = f"admin:{opts.app_label}_{opts.model_name}"
    changelist = reverse(f"{name}_changelist")
    response = visitor.get(changelist)
    if response is not None and response.status_code == 200 and "cl" in response.context:
        cl = response.context["cl"]
        seen = {"?"}  # each filter's "全部" is the list already opened
        for spec in cl.filter_specs:
            for choice in spec.choices(cl):
                query = choice["query_string"]
                if query not in seen:
                    seen.add(query)
                    visitor.get(changelist + query)
        if cl.date_hierarchy:
            drill_down(visitor, response)
        if cl.search_fields:
            visitor.get(f"{changelist}?{urlencode({'q': SEARCH_TERM})}")
    visitor.get(reverse(f"{name}_add"))
    obj = model._default_manager.order_by("pk").first()
    if obj is not None:
        visitor.get(reverse(f"{name}_change", args=[quote(obj.pk)]), may_show_personal_data=True)


def test_every_admin_model_has_a_record_whose_page_is_opened(demo_site):
    empty = [model._meta.label for model in admin.site._registry if not model._default_manager.exists()]
    assert empty == [], "add a row of these to demo_site (tests/hardening/conftest.py)"


@pytest.mark.parametrize("who", USERS, ids=["superuser", "office", "academic", "popsci", "leaders", "unit-staff",
                                            "unit-admin"])
def test_every_admin_page_opens_without_error_and_writes_nothing(client, demo_site, who):
    demo_site.log_in(client, who)
    visitor = Visitor(client)
    assert visitor.get(reverse("admin:index")).status_code == 200
    for model in admin.site._registry:
        open_model_pages(visitor, model)
    assert {"errors": visitor.errors, "writes": visitor.writes} == {"errors": [], "writes": []}
