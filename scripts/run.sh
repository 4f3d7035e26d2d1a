#!/usr/bin/env bash
# Sets everything up, loads the demo data and runs the portal: web server, Celery worker
# and Celery beat together. Ctrl-C stops all three.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
PY=.venv/bin/python
$PY manage.py load_demo
$PY manage.py ensure_demo_admin

HOST=${HOST:-0.0.0.0}
PORT=${PORT:-8000}
mkdir -p .run
pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

.venv/bin/celery -A association worker --loglevel=INFO --concurrency=2 -n "worker@%h" > .run/worker.log 2>&1 &
pids+=($!)
.venv/bin/celery -A association beat --loglevel=INFO > .run/beat.log 2>&1 &
pids+=($!)
$PY manage.py runserver "$HOST:$PORT" &
pids+=($!)

sleep 2
cat <<MSG

  科协门户已启动 / the portal is running:  http://127.0.0.1:$PORT/
  管理后台 / staff admin:                  http://127.0.0.1:$PORT/admin/   (admin / $(grep -E '^DEMO_ADMIN_PASSWORD=' .env | cut -d= -f2-))
  Celery 日志 / logs:                      .run/worker.log  .run/beat.log
  按 Ctrl-C 停止 / press Ctrl-C to stop.

MSG
wait -n "${pids[@]}"
