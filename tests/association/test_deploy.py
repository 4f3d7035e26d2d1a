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


def _check_deploy(**extra) -> subprocess.CompletedProcess:
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("PYTEST_VERSION", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")},
        "DEBUG": "0", "HTTPS": "1", "SECRET_KEY": "prod-like-" + "k3y" * 20,
        "FIELD_ENCRYPTION_KEYS": "YmVuY2gtb25seS1maWVsZC1rZXktbm90LWZvci1wciE=", "ALLOWED_HOSTS": "kx.example.gov.cn",
        **extra,
    }
    return subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_several_machines_pooler_replica_and_object_storage_print_no_warning():
    result = _check_deploy(DATABASE_POOLER="1", DATABASE_REPLICA_URL="postgres://kx@127.0.0.1:6432/kx_replica",
                           STORAGE_S3_BUCKET="kx", STORAGE_S3_ENDPOINT_URL="https://minio.example.org")
    assert result.returncode == 0, result.stdout + result.stderr


def test_contradicting_scale_out_settings_are_named():
    result = _check_deploy(DATABASE_POOLER="1", DATABASE_SERVER_TIMEOUTS="1",
                           DATABASE_REPLICA_URL="postgres://kx@127.0.0.1:6432/kx_replica", REPLICA_PIN_SECONDS="5")
    assert result.returncode != 0
    assert "association.W110" in result.stderr and "association.W111" in result.stderr
