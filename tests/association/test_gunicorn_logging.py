"""The access log of the production server keeps private links out."""

import os
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
SECRETS = {
    "/events/registration/SECRETsignup111/": "/events/registration/***/",
    "/volunteers/orders/SECRETorder222/": "/volunteers/orders/***/",
    "/accounts/reset/MQ/SECRETreset-333/": "/accounts/reset/***/",
    "/volunteers/certificates/verify/SECRETcert444/": "/volunteers/certificates/verify/***/",
    "/events/1/check-in/?code=SECRETcode555": "/events/1/check-in/?code=***",
}


@pytest.mark.django_db(transaction=True)
def test_gunicorn_access_log_masks_private_links_and_codes(tmp_path):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = tmp_path / "access.log"
    db = connection.settings_dict
    env = {
        **{k: v for k, v in os.environ.items() if k != "PYTEST_VERSION"},
        "DEBUG": "0", "HTTPS": "0", "ALLOWED_HOSTS": "127.0.0.1",
        "SECRET_KEY": "log-test-" + "k3y" * 20,
        "FIELD_ENCRYPTION_KEYS": os.environ.get("FIELD_ENCRYPTION_KEYS") or "YmVuY2gtb25seS1maWVsZC1rZXktbm90LWZvci1wciE=",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
    }
    server = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "config.wsgi", "-w", "1", "-b", f"127.0.0.1:{port}",
         "--access-logfile", str(log)],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/static/css/portal.css", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        for path in SECRETS:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10)
            except urllib.error.HTTPError:
                pass  # unknown links answer 404 and are logged all the same
    finally:
        server.terminate()
        server.wait(10)
    written = log.read_text()
    assert "SECRET" not in written
    for shown in SECRETS.values():
        assert shown in written
