"""The README run command holds a rush of sign-ups and comes back to rest.

It runs ``./scripts/run.sh`` for real (gunicorn, Celery worker and beat, demo data) on a
database of its own, as ``bench/rush.py`` does, and asserts what a person would notice.
"""

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _rush_module():
    spec = importlib.util.spec_from_file_location("bench_rush", ROOT / "bench" / "rush.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_the_run_command_survives_240_sign_ups_from_32_clients_for_40_seats(tmp_path):
    result = _rush_module().rush(ROOT, signups=240, clients=32, seats=40, settle=75, log_dir=tmp_path)
    answers = result["answers"]
    assert sum(answers.values()) == 240
    assert "error ≥500" not in answers and "connection failed" not in answers, result
    assert answers.get("accepted (redirect to own page)") == 240  # 32 households: nobody refused or challenged
    assert result["registrations"] == {"confirmed": 40, "waitlisted": 200}
    assert result["event_counters"] == (40, 200)
    assert set(result["after"].values()) == {200}
    assert result["settled_after_seconds"] is not None, result["connections_timeline"]
    assert result["after_settle_home"] == 200
