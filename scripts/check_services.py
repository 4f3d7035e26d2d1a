"""Before anything touches them: do PostgreSQL and Redis answer? Creates the database if missing.

Prints in Chinese and English which service does not answer and how to start it, instead
of a traceback, and exits non-zero.
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import environ  # noqa: E402

env = environ.Env()
environ.Env.read_env(Path(__file__).resolve().parent.parent / ".env", overwrite=False)
db = env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/association")
redis_url = env("REDIS_URL", default="redis://127.0.0.1:6379/0")


def fail(zh, en, how):
    print(f"\n✗ {zh}\n  {en}\n  {how}\n", file=sys.stderr)
    sys.exit(2)


import psycopg2  # noqa: E402

params = {"host": db.get("HOST") or "127.0.0.1", "port": db.get("PORT") or 5432, "user": db.get("USER") or "postgres"}
if db.get("PASSWORD"):
    params["password"] = db["PASSWORD"]
try:
    conn = psycopg2.connect(dbname="postgres", connect_timeout=3, **params)
except psycopg2.OperationalError as exc:
    fail(
        f"PostgreSQL 无法连接（{params['host']}:{params['port']}）：请先启动数据库。",
        f"PostgreSQL does not answer at {params['host']}:{params['port']}: start it first.",
        "例如 / e.g.: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start"
        f"\n  ({str(exc).strip().splitlines()[0] if str(exc).strip() else exc})",
    )
conn.autocommit = True
with conn.cursor() as cur:
    cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]])
    if cur.fetchone() is None:
        cur.execute(f'CREATE DATABASE "{db["NAME"]}" ENCODING \'UTF8\' TEMPLATE template0')
        print(f"==> 已创建数据库 / created database {db['NAME']}")
conn.close()

import redis  # noqa: E402

try:
    redis.Redis.from_url(redis_url, socket_connect_timeout=2).ping()
except redis.RedisError:
    fail(
        f"Redis 无法连接（{redis_url}）：请先启动 Redis。",
        f"Redis does not answer at {redis_url}: start it first.",
        "例如 / e.g.: redis-server --daemonize yes --bind 127.0.0.1 --port 6379",
    )
