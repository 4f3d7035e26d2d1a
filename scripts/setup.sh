#!/usr/bin/env bash
# Sets the portal up on this machine; safe and quick to run again.
#   scripts/setup.sh            virtual environment, packages, .env, database, static files
#   scripts/setup.sh --browser  also what the tests drive: Debian's chromium and nginx
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null 2>&1 || PY=python3

say() { printf '\033[1;34m==>\033[0m %s\n' "$*"; }
die() { printf '\033[1;31m%s\033[0m\n' "$*" >&2; exit 1; }

# --- Debian packages: gettext (translations), CJK fonts (PDF), chromium, nginx and pgbouncer (tests) ---
want_pkgs=()
command -v msgfmt >/dev/null 2>&1 || want_pkgs+=(gettext)
[ -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || want_pkgs+=(fonts-wqy-microhei)
command -v pdftoppm >/dev/null 2>&1 || want_pkgs+=(poppler-utils)
if [ "${1:-}" = "--browser" ]; then
  command -v chromium >/dev/null 2>&1 || want_pkgs+=(chromium)
  command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || want_pkgs+=(nginx-light)
  command -v npm >/dev/null 2>&1 || want_pkgs+=(npm)
  command -v pgbouncer >/dev/null 2>&1 || [ -x /usr/sbin/pgbouncer ] || want_pkgs+=(pgbouncer)
fi
if [ ${#want_pkgs[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "安装系统软件包 / installing Debian packages: ${want_pkgs[*]}"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${want_pkgs[@]}" >/dev/null
  else
    echo "请先安装 / please install: ${want_pkgs[*]} (apt-get install ${want_pkgs[*]})" >&2
  fi
fi

# --- Python virtual environment, reinstalled only when requirements.txt changes ---
if [ ! -x .venv/bin/python ]; then
  say "创建虚拟环境 / creating .venv"
  "$PY" -m venv .venv
fi
stamp=.venv/.requirements.sha
sum=$(sha256sum requirements.txt | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$sum" ]; then
  say "安装 Python 依赖 / installing requirements"
  .venv/bin/pip install -q --disable-pip-version-check --upgrade pip
  .venv/bin/pip install -q --disable-pip-version-check -r requirements.txt
  echo "$sum" > "$stamp"
fi

# --- .env for development, with fresh secrets; never overwritten ---
if [ ! -f .env ]; then
  say "生成 .env（开发配置）/ writing .env for development"
  secret=$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(50))')
  demo=$(.venv/bin/python -c 'import secrets; print("kx-" + secrets.token_hex(4))')
  fkey=$(.venv/bin/python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')
  sed -e "s|^SECRET_KEY=.*|SECRET_KEY=$secret|" -e "s|^FIELD_ENCRYPTION_KEYS=.*|FIELD_ENCRYPTION_KEYS=$fkey|" -e "s|^DEMO_ADMIN_PASSWORD=.*|DEMO_ADMIN_PASSWORD=$demo|" .env.example > .env
fi

# --- the services: say which one is missing, in Chinese and English ---
.venv/bin/python scripts/check_services.py

# Translations first: migrate names the permissions after the models, in Chinese.
if compgen -G "locale/*/LC_MESSAGES/*.po" >/dev/null || compgen -G "*/locale/*/LC_MESSAGES/*.po" >/dev/null; then
  .venv/bin/python manage.py compilemessages -v 0 --ignore=.venv
fi
.venv/bin/python manage.py migrate --noinput -v 0

# --- axe-core, which the browser tests inject to check WCAG 2.1 AA (tests/a11y/axe.py):
#     from the npm registry into .cache/node (not committed), once per version ---
AXE_VERSION=4.14.1
if [ "${1:-}" = "--browser" ] && [ "$(cat .cache/node/axe-version 2>/dev/null)" != "$AXE_VERSION" ]; then
  command -v npm >/dev/null 2>&1 || die "需要 npm 安装 axe-core / npm is needed for axe-core (apt-get install npm)"
  say "安装 axe-core $AXE_VERSION（无障碍检查）/ installing axe-core for the accessibility tests"
  mkdir -p .cache/node
  npm install --no-save --no-audit --no-fund --no-package-lock --silent --prefix .cache/node "axe-core@$AXE_VERSION" >/dev/null
  echo "$AXE_VERSION" > .cache/node/axe-version
fi
.venv/bin/python manage.py collectstatic --noinput -v 0
say "准备就绪 / setup done"
