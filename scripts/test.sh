#!/usr/bin/env bash
# Sets everything up and runs the whole test suite: migrations check, lint, then pytest
# (real PostgreSQL, Redis, a real Celery worker and headless Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --browser
PY=.venv/bin/python
echo "==> makemigrations --check"
$PY manage.py makemigrations --check --dry-run
echo "==> ruff"
.venv/bin/ruff check .
echo "==> pytest"
# A fresh test database every run: rows a killed or failed run left behind (encrypted with
# another checkout's key, say) never reach the next one. pytest alone keeps --reuse-db.
exec .venv/bin/pytest --create-db "$@"
