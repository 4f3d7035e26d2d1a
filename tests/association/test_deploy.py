import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_check_deploy_with_production_settings_prints_no_warning():
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("PYTEST_VERSION", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")},
        "DEBUG": "0",
        "HTTPS": "1",
        "SECRET_KEY": "prod-like-" + "k3y" * 20,
        "FIELD_ENCRYPTION_KEYS": "YmVuY2gtb25seS1maWVsZC1rZXktbm90LWZvci1wciE=",
        "ALLOWED_HOSTS": "kx.example.gov.cn",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
