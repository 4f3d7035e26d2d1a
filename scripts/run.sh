#!/usr/bin/env bash
# Sets everything up, loads the demo data and runs the portal as production does: gunicorn,
# a Celery worker for every queue and Celery beat. Ctrl-C stops all three.
#
#   PORT=8080 ./scripts/run.sh         another port (default 8000)
#   WEB_WORKERS=2 ./scripts/run.sh     gunicorn workers (default 4)
#   RELOAD=0 ./scripts/run.sh          no restart of the web workers when code changes
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
PY=.venv/bin/python
$PY manage.py load_demo
$PY manage.py ensure_demo_admin

HOST=${HOST:-0.0.0.0}
PORT=${PORT:-8000}
WEB_WORKERS=${WEB_WORKERS:-4}
WORKER_CONCURRENCY=${WORKER_CONCURRENCY:-2}
# On another port, the links the portal writes (e-mails, the API's addresses, QR codes)
# point there too, unless SITE_URL was set to something of one's own.
if [ -z "${SITE_URL:-}" ] && [ "$PORT" != 8000 ] && grep -qx 'SITE_URL=http://127.0.0.1:8000' .env 2>/dev/null; then
  export SITE_URL="http://127.0.0.1:$PORT"
fi
mkdir -p .run
pids=()
cleanup() {
  trap - EXIT INT TERM
  kill -TERM "${pids[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

# Development conveniences on top of the production server: DEBUG pages, e-mail to the
# console (both from .env) and, unless RELOAD=0, web workers restarted on a code change.
reload=()
if [ "${RELOAD:-1}" = 1 ] && grep -qE '^DEBUG=(1|true|yes|on)$' .env 2>/dev/null; then reload=(--reload); fi

.venv/bin/celery -A config worker --loglevel=INFO -Q celery,mail,reports --concurrency="$WORKER_CONCURRENCY" \
  -n "worker@%h" > .run/worker.log 2>&1 &
pids+=($!)
.venv/bin/celery -A config beat --loglevel=INFO > .run/beat.log 2>&1 &
pids+=($!)
# gunicorn.conf.py holds the settings shared with production (timeouts, worker recycling,
# the access log without private links).
.venv/bin/gunicorn config.wsgi -c gunicorn.conf.py -b "$HOST:$PORT" -w "$WEB_WORKERS" "${reload[@]}" \
  --access-logfile .run/access.log --error-logfile - &
pids+=($!)

# Print the address once the site answers.
for _ in $(seq 1 60); do
  if $PY - "$PORT" <<'PYCODE' 2>/dev/null; then break; fi
import sys, urllib.request
urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/healthz", timeout=2)
PYCODE
  sleep 1
done
cat <<MSG

  科协门户已启动 / the portal is running:  http://127.0.0.1:$PORT/
  管理后台 / staff admin:                  http://127.0.0.1:$PORT/admin/   (admin / $(grep -E '^DEMO_ADMIN_PASSWORD=' .env | cut -d= -f2-))
  日志 / logs:                             .run/access.log  .run/worker.log  .run/beat.log
  按 Ctrl-C 停止 / press Ctrl-C to stop.

MSG
wait -n "${pids[@]}"
