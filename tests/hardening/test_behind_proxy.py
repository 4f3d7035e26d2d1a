"""Behind Debian's nginx (PROXY_COUNT=1), as the README deploys the portal: every person
keeps their own address. Runs the scenes of bench/proxy.py against the test database."""

import importlib.util
import os
import shutil
from pathlib import Path

import pytest
from axes.models import AccessFailureLog

from events.models import Registration
from tests.association.factories import StaffFactory
from tests.events.factories import EventFactory

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("bench_proxy", ROOT / "bench" / "proxy.py")
proxy = importlib.util.module_from_spec(spec)
spec.loader.exec_module(proxy)

PASSWORD = "Kexie-Proxy-2026!"


@pytest.mark.skipif(not shutil.which("nginx") and not os.path.exists("/usr/sbin/nginx"),
                    reason="nginx is not installed (scripts/setup.sh --browser installs it)")
@pytest.mark.django_db(transaction=True)
def test_behind_nginx_crowds_sign_up_and_strangers_lock_out_nobody(tmp_path):
    from django.db import connection

    db = connection.settings_dict
    env = {**os.environ, "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{db['NAME']}",
           "TEST_DATABASE_NAME": db["NAME"], "LOG_LEVEL": "WARNING"}
    first, second = EventFactory(capacity=100), EventFactory(capacity=100)
    for name in ("office", "colleague"):
        user = StaffFactory(username=name)
        user.set_password(PASSWORD)
        user.save()

    result = proxy.behind_nginx(env, events=(first.pk, second.pk), staff=("office", PASSWORD),
                                colleague=("colleague", PASSWORD), log_dir=tmp_path, workers=2)
    proxy.print_result(result)

    assert result["forty_addresses"] == {302: 40}
    assert result["one_address"] == {302: 40}
    assert Registration.objects.filter(event=first, status=Registration.Status.CONFIRMED).count() == 40
    assert Registration.objects.filter(event=second, status=Registration.Status.CONFIRMED).count() == 40
    assert result["strangers"] == {"wrong password": 44}
    assert result["staff_from_the_office"] == "logged in"
    assert result["colleague_at_a_strangers_address"] == "logged in"
    assert result["staff_own_browser_after_flood"] == "logged in"
    # The portal saw 22 strangers, not one proxy.
    assert AccessFailureLog.objects.values("ip_address").distinct().count() == 22
    assert not AccessFailureLog.objects.filter(ip_address="127.0.0.1").exists()
    assert result["access_log_addresses"] >= 40 + 1 + 22
