"""Settings of the portal: one module, everything read from the environment.

Production defaults are safe; ``DEBUG=1`` switches development conveniences on.
A ``.env`` file beside ``manage.py`` is read when present (``scripts/setup`` writes one
for development); real deployments pass variables through the environment instead.
"""

import os
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _
from django_prose_editor.config import html_tags
from js_asset import static_lazy

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY") if not DEBUG else env("SECRET_KEY", default="dev-only-secret-key-not-for-production-use-0123456789")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# Key for the keyed look-up hashes of personal data (defaults to SECRET_KEY; set it
# separately so SECRET_KEY can be rotated without re-hashing).
LOOKUP_HASH_KEY = env("LOOKUP_HASH_KEY", default="")

# Key for personal data encrypted at rest (ID numbers, mobiles): a Fernet key, or several
# separated by commas (the first encrypts, all decrypt) so keys can be rotated.
FIELD_ENCRYPTION_KEYS = env.list(
    "FIELD_ENCRYPTION_KEYS",
    default=["ZGV2LW9ubHktZmllbGQta2V5LW5vdC1mb3ItcHJvZCE="] if DEBUG else [],
)

INSTALLED_APPS = [
    "association.apps.AssociationConfig",
    "volunteers.apps.VolunteersConfig",
    "events.apps.EventsConfig",
    "talents.apps.TalentsConfig",
    "returns.apps.ReturnsConfig",
    "association.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "ninja",
    "django_prose_editor",
    "django_celery_results",
    # django-celery-beat, django-axes and django-otp's TOTP under their Chinese names (apps.py)
    "association.apps.CeleryBeatConfig",
    "association.apps.AxesConfig",
    "django_otp",
    "association.apps.TOTPConfig",
    "association.apps.CaptchaConfig",
    "association.apps.StaticTokenConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages are gzipped when the client asks (gunicorn serves without nginx). BREACH: Django
    # masks the CSRF token afresh in every response and GZipMiddleware pads each response
    # with random bytes, so a secret cannot be recovered from compressed lengths. Static
    # files come pre-compressed from WhiteNoise (collectstatic writes .gz, and .br with Brotli).
    "django.middleware.gzip.GZipMiddleware",
    "association.api.conditional.ApiConditionalGetMiddleware",
    "association.pagecache.PublicPageCacheMiddleware",
    # Marks the GETs that may read from the replica; pins a browser that wrote to the primary.
    "association.dbrouting.ReplicaReadMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "association.security.RejectNullCharactersMiddleware",
    "association.textinput.ControlCharactersMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "association.csp.PortalCSPMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "association.context_processors.site",
            ],
            "builtins": ["association.templatetags.icons"],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/association"),
}
# Each web worker and Celery process keeps one connection for CONN_MAX_AGE seconds (the
# connection budget is in the README). For the web and Celery worker processes the server
# itself drops a connection left idle for longer, and a transaction left open for a minute
# (association/dbsessions.py): nothing a stalled process held stays held. Behind PgBouncer
# in transaction mode (DATABASE_POOLER=1) PgBouncer keeps the connections and their
# timeouts, and no cursor may outlive its transaction.
DATABASE_POOLER = env.bool("DATABASE_POOLER", default=False)
CONN_MAX_AGE = env.int("CONN_MAX_AGE", default=0 if DATABASE_POOLER else 30)
DATABASES["default"]["CONN_MAX_AGE"] = CONN_MAX_AGE
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = DATABASE_POOLER
DATABASE_SERVER_TIMEOUTS = env.bool(
    "DATABASE_SERVER_TIMEOUTS", default=not DATABASE_POOLER and "PYTEST_VERSION" not in os.environ
)
DATABASES["default"].setdefault("TEST", {})
if env("TEST_DATABASE_NAME", default=""):
    DATABASES["default"]["TEST"]["NAME"] = env("TEST_DATABASE_NAME")
# A streaming replica (README: Scaling out) for the reads that tolerate a few seconds' delay:
# the pages the apps name (extensions.replica_read: public lists, the dashboard, the API's
# public lists) and REPLICA_READ_PATHS (addresses; "/x/*" for a prefix), GET only
# (association/dbrouting.py). A browser that POSTs reads from the primary for
# REPLICA_PIN_SECONDS afterwards; keep that above the replica lag you allow. Without
# DATABASE_REPLICA_URL every read goes to DATABASE_URL, as on one server.
DATABASE_REPLICA_URL = env("DATABASE_REPLICA_URL", default="")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = env.db_url_config(DATABASE_REPLICA_URL)
    DATABASES["replica"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 2)
    DATABASES["replica"].update({
        "CONN_MAX_AGE": CONN_MAX_AGE, "CONN_HEALTH_CHECKS": True,
        "DISABLE_SERVER_SIDE_CURSORS": DATABASE_POOLER, "TEST": {"MIRROR": "default"},
    })
DATABASE_REPLICA_READS = bool(DATABASE_REPLICA_URL)
DATABASE_ROUTERS = ["association.dbrouting.ReplicaRouter"]
REPLICA_READ_PATHS = env.list("REPLICA_READ_PATHS", default=[])
REPLICA_PIN_SECONDS = env.int("REPLICA_PIN_SECONDS", default=30)
REPLICA_PIN_COOKIE = "kx_primary"
# A replica further behind than this (or not answering) gets no reads until it catches up;
# each process looks at most every REPLICA_CHECK_SECONDS.
REPLICA_MAX_LAG_SECONDS = env.int("REPLICA_MAX_LAG_SECONDS", default=30)
REPLICA_CHECK_SECONDS = env.int("REPLICA_CHECK_SECONDS", default=5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/0")
CACHES = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="kx"),
        "OPTIONS": {
            # A Redis outage must not take the public pages down: cache reads miss,
            # writes are dropped, and the error is logged.
            "IGNORE_EXCEPTIONS": True,
            "SOCKET_CONNECT_TIMEOUT": 1,
            "SOCKET_TIMEOUT": 1,
        },
    },
    # Rendered parts of pages, in each web worker's own memory, under the versions that
    # Redis keeps (association/fragments.py): no round trip and no unpickling per part.
    "fragments": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "fragments",
        "OPTIONS": {"MAX_ENTRIES": 500},
    },
}
DJANGO_REDIS_IGNORE_EXCEPTIONS = True
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

AUTHENTICATION_BACKENDS = [
    "association.security.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "association.security.StaffPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "association.security.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# The client's network address (association/clientip.py): the number of reverse proxies
# of ours in front of gunicorn, or their addresses; with neither, X-Forwarded-For is ignored.
PROXY_COUNT = env.int("PROXY_COUNT", default=0)
PROXY_TRUSTED_IPS = env.list("PROXY_TRUSTED_IPS", default=[])

# Log-in lockout (association/security.py, with django-axes):
# - an account from one address: AXES_FAILURE_LIMIT failures lock that pair for the cool-off;
# - an account from anywhere: after LOGIN_ACCOUNT_SLOWDOWN_AFTER failures each further try
#   waits longer (doubling, at most the cool-off), except from a browser that has logged in
#   to it before; the e-mailed reset link clears everything;
# - an address, across accounts: after LOGIN_FAILURES_PER_ADDRESS failures the log-in form
#   asks for a picture code there (an office shares one address: nobody is locked out).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "association.clientip.client_ip"
LOGIN_ACCOUNT_SLOWDOWN_AFTER = env.int("LOGIN_ACCOUNT_SLOWDOWN_AFTER", default=50)
LOGIN_FAILURES_PER_ADDRESS = env.int("LOGIN_FAILURES_PER_ADDRESS", default=20)
LOGIN_KNOWN_BROWSER_DAYS = env.int("LOGIN_KNOWN_BROWSER_DAYS", default=90)
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_SENSITIVE_PARAMETERS = ["password", "otp_token"]
AXES_VERBOSE = False
# Every failed log-in is kept (登录失败 in the admin), not only the running count per account;
# axes keeps the newest 1000 per user name.
AXES_ENABLE_ACCESS_FAILURE_LOG = True

# Public forms (registration, sign-up, ordering, demands, nominations, objections, password
# reset): limits per person and per address (association/throttle.py). Beyond an address's
# ceiling the form asks for a picture code instead of refusing.
PUBLIC_FORM_PERSON_RATE = env("PUBLIC_FORM_PERSON_RATE", default="10/h")
PUBLIC_FORM_ADDRESS_RATE = env("PUBLIC_FORM_ADDRESS_RATE", default="60/h")
PUBLIC_FORM_SHARED_ADDRESS_RATE = env("PUBLIC_FORM_SHARED_ADDRESS_RATE", default="600/h")
# Networks where many people share an address: carriers' shared address space (RFC 6598)
# by default; add a school's or an office's ranges.
SHARED_NETWORKS = env.list("SHARED_NETWORKS", default=["100.64.0.0/10"])
RATELIMIT_FAIL_OPEN = True

# The open API (/api/v1/, association/api): tokens' lifetimes in days, requests per token
# and per address (shared addresses: SHARED_NETWORKS), and how long caches may keep a
# public answer.
API_TOKEN_DAYS = env.int("API_TOKEN_DAYS", default=30)
API_STAFF_TOKEN_DAYS = env.int("API_STAFF_TOKEN_DAYS", default=90)
API_RATE_PER_TOKEN = env("API_RATE_PER_TOKEN", default="120/m")
API_RATE_PER_ADDRESS = env("API_RATE_PER_ADDRESS", default="300/m")
API_RATE_PER_SHARED_ADDRESS = env("API_RATE_PER_SHARED_ADDRESS", default="3000/m")
API_PUBLIC_MAX_AGE = env.int("API_PUBLIC_MAX_AGE", default=60)
RATELIMIT_USE_CACHE = "default"
RATELIMIT_IP_META_KEY = "association.clientip.client_ip"
CAPTCHA_LENGTH = 4
CAPTCHA_TIMEOUT = 10  # minutes
CAPTCHA_FONT_SIZE = 30
CAPTCHA_IMAGE_SIZE = (120, 50)
# No letters that read alike (0/O, 1/I/l).
CAPTCHA_CHALLENGE_FUNCT = "association.throttle.challenge_text"

OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", default="科协门户")
TWO_FACTOR_REQUIRED = env.bool("TWO_FACTOR_REQUIRED", default=not DEBUG)

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))
# Files that only some people may read (nomination materials, rosters, reports,
# certificates) live outside MEDIA_ROOT and are served by views that check permission.
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "private_media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Object storage (any S3-compatible service: MinIO, Ceph, 阿里云 OSS, 腾讯云 COS, AWS S3) for
# uploads and private files, so that no web node or worker keeps a file another one needs
# (README: Scaling out). Set STORAGE_S3_BUCKET to use it; without it files stay on the local
# disk at MEDIA_ROOT and PRIVATE_MEDIA_ROOT, as on one server.
# - public uploads go under "media/" and are linked directly (the bucket policy, or the CDN
#   at STORAGE_S3_MEDIA_DOMAIN, makes that prefix readable to everyone);
# - private files go under "private/" (in STORAGE_S3_PRIVATE_BUCKET when given), which
#   nothing makes public: a view checks permission, then streams the file, or with
#   PRIVATE_FILE_REDIRECT=1 sends the browser to a link signed for
#   PRIVATE_FILE_LINK_SECONDS (association/privatefiles.py).
STORAGE_S3_BUCKET = env("STORAGE_S3_BUCKET", default="")


def _s3_origins(endpoint, style, buckets, domain) -> list[str]:
    """The web origins files of the buckets are read from (for the content security policy)."""
    from urllib.parse import urlsplit

    origins = [f"https://{domain}"] if domain else []
    if not endpoint:
        return [*origins, "https://*.amazonaws.com"]
    url = urlsplit(endpoint)
    if style == "virtual":
        return [*origins, *(f"{url.scheme}://{bucket}.{url.netloc}" for bucket in dict.fromkeys(buckets))]
    return [*origins, f"{url.scheme}://{url.netloc}"]


STORAGE_S3_PRIVATE_BUCKET = env("STORAGE_S3_PRIVATE_BUCKET", default="") or STORAGE_S3_BUCKET
PRIVATE_FILE_REDIRECT = env.bool("PRIVATE_FILE_REDIRECT", default=False)
PRIVATE_FILE_LINK_SECONDS = env.int("PRIVATE_FILE_LINK_SECONDS", default=60)
if STORAGE_S3_BUCKET:
    _S3_OPTIONS = {
        "endpoint_url": env("STORAGE_S3_ENDPOINT_URL", default="") or None,
        "region_name": env("STORAGE_S3_REGION", default="") or None,
        "access_key": env("STORAGE_S3_ACCESS_KEY_ID", default="") or None,
        "secret_key": env("STORAGE_S3_SECRET_ACCESS_KEY", default="") or None,
        # "path" for MinIO and most self-hosted services; "virtual" for OSS and COS.
        "addressing_style": env("STORAGE_S3_ADDRESSING_STYLE", default="") or None,
        "signature_version": "s3v4",
        # Like the local disk: a new file never replaces another of the same name.
        "file_overwrite": False,
    }
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {**_S3_OPTIONS, "bucket_name": STORAGE_S3_BUCKET, "location": "media",
                    "querystring_auth": False, "custom_domain": env("STORAGE_S3_MEDIA_DOMAIN", default="") or None},
    }
    STORAGE_S3_ORIGINS = _s3_origins(
        _S3_OPTIONS["endpoint_url"], _S3_OPTIONS["addressing_style"],
        [STORAGE_S3_BUCKET, STORAGE_S3_PRIVATE_BUCKET], STORAGES["default"]["OPTIONS"]["custom_domain"],
    )
    STORAGES["private"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {**_S3_OPTIONS, "bucket_name": STORAGE_S3_PRIVATE_BUCKET, "location": "private",
                    "default_acl": "private", "querystring_auth": True,
                    "querystring_expire": PRIVATE_FILE_LINK_SECONDS},
    }
# Serve MEDIA_ROOT from Django (always in DEBUG); without a reverse proxy in front.
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=False)
# Largest image accepted anywhere, in pixels (width × height).
UPLOAD_MAX_PIXELS = env.int("UPLOAD_MAX_PIXELS", default=40_000_000)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o640

EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="濮阳市科协 <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# A mail server that does not answer fails the message within this (it is tried again).
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)

# Text messages (association/notices/sms.py): the console backend writes them to the
# worker's log; production names the provider's, e.g. association.notices.sms.AliyunBackend.
SMS_BACKEND = env("SMS_BACKEND", default="association.notices.sms.ConsoleBackend")
# 【…】 at the start of every message; empty: the site's short name (站点信息).
SMS_SIGNATURE = env("SMS_SIGNATURE", default="")
# At most this many messages to one number per window (seconds); 0: no limit.
SMS_RATE_PER_NUMBER = env.int("SMS_RATE_PER_NUMBER", default=10)
SMS_RATE_WINDOW = env.int("SMS_RATE_WINDOW", default=3600)
SMS_ALIYUN_ACCESS_KEY_ID = env("SMS_ALIYUN_ACCESS_KEY_ID", default="")
SMS_ALIYUN_ACCESS_KEY_SECRET = env("SMS_ALIYUN_ACCESS_KEY_SECRET", default="")
SMS_ALIYUN_ENDPOINT = env("SMS_ALIYUN_ENDPOINT", default="dysmsapi.aliyuncs.com")
# The provider's approved template per notice kind: "events.cancelled=SMS_123,events.reminder=SMS_456".
SMS_ALIYUN_TEMPLATES = env.dict("SMS_ALIYUN_TEMPLATES", default={})

# Celery: Redis is the broker; results and beat schedules live in PostgreSQL.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_RESULT_BACKEND = "django-db"
CELERY_RESULT_EXTENDED = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=600)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=540)
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600, "socket_connect_timeout": 2, "socket_timeout": 5}
# What beat runs and when is declared by the apps (extensions.periodic_task) and written to
# django-celery-beat's tables after every migrate (association/schedule.py).
CELERY_BEAT_SCHEDULE = {}
# Old task results are removed by the retention run (TASK_RESULT_RETENTION_DAYS), not by
# Celery's own "celery.backend_cleanup", which beat would add under that English name.
CELERY_RESULT_EXPIRES = None
# /healthz says "degraded" when a task waits in the outbox longer than this.
OUTBOX_STALE_SECONDS = env.int("OUTBOX_STALE_SECONDS", default=120)
# /healthz shows its detail to staff and to "Authorization: Bearer <HEALTHZ_TOKEN>"; empty: staff only.
HEALTHZ_TOKEN = env("HEALTHZ_TOKEN", default="")
# Retention (association/retention.py and the apps' rules; the privacy notices quote them).
AUDIT_RETENTION_YEARS = env.int("AUDIT_RETENTION_YEARS", default=5)
REPORT_FILE_RETENTION_DAYS = env.int("REPORT_FILE_RETENTION_DAYS", default=730)
OUTBOX_RETENTION_DAYS = env.int("OUTBOX_RETENTION_DAYS", default=30)
# The delivery log of notices and the inbox messages (association/notices).
NOTICE_RETENTION_DAYS = env.int("NOTICE_RETENTION_DAYS", default=365)
TASK_RESULT_RETENTION_DAYS = env.int("TASK_RESULT_RETENTION_DAYS", default=7)
VOLUNTEER_REJECTED_RETENTION_DAYS = env.int("VOLUNTEER_REJECTED_RETENTION_DAYS", default=180)
VOLUNTEER_SUSPENDED_RETENTION_YEARS = env.int("VOLUNTEER_SUSPENDED_RETENTION_YEARS", default=3)
CERTIFICATE_FILE_RETENTION_DAYS = env.int("CERTIFICATE_FILE_RETENTION_DAYS", default=365)
# 补录 evidence (photos of the volunteer at work) is deleted this long after the decision;
# the claim and the hours it granted stay.
CLAIM_EVIDENCE_RETENTION_DAYS = env.int("CLAIM_EVIDENCE_RETENTION_DAYS", default=365)
# A running report job marks itself alive this often; four missed beats mean its worker
# is gone and the job is queued again once.
REPORT_HEARTBEAT_SECONDS = env.int("REPORT_HEARTBEAT_SECONDS", default=15)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Security. Over HTTPS (the production default) every cookie is secure and HSTS is on;
# HTTPS=0 serves plain HTTP, for a local run behind no proxy.
HTTPS = env.bool("HTTPS", default=not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600
X_FRAME_OPTIONS = "DENY"
# No inline script, no third-party origin; inline style attributes stay allowed (SVG
# charts and the editor set them).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "media-src": ["'self'", "blob:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Pictures from object storage (public uploads, and a private picture's signed link) come
# from the storage's own address: it is allowed alongside 'self'.
if STORAGE_S3_BUCKET:
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"] += STORAGE_S3_ORIGINS
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["media-src"] += STORAGE_S3_ORIGINS
SECURE_REFERRER_POLICY = "same-origin"

# The rich-text editor's own module for Chinese toolbar titles (association/richtext.py
# enables it as the extension "ChineseMenu"); loaded by the editor from our static files,
# so it needs no inline script and no entry in the import map. It produces no HTML.
DJANGO_PROSE_EDITOR_EXTENSIONS = [
    {
        "js": [static_lazy("association/js/prose-editor-zh.js")],
        "extensions": {"ChineseMenu": html_tags([])},
    },
]
SECURE_CONTENT_TYPE_NOSNIFF = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # Private links (sign-ups, orders, reset links, codes) are written as *** in every line,
    # Django's own "Not Found" warnings included (association/logfilters.py).
    "filters": {"private_links": {"()": "association.logfilters.PrivateLinkFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["private_links"]}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # Django's default handlers for these would print each line again, unmasked.
        "django": {"handlers": [], "propagate": True},
        "django.server": {"handlers": [], "propagate": True},
    },
}

# Public list pages served to anonymous visitors from Redis for a few seconds
# (association/pagecache.py); 0 turns it off. The apps name their pages
# (extensions.cached_page); more addresses may be added here.
PUBLIC_PAGE_CACHE_SECONDS = env.int("PUBLIC_PAGE_CACHE_SECONDS", default=0 if DEBUG else 30)
PUBLIC_PAGE_CACHE_PATHS = env.list("PUBLIC_PAGE_CACHE_PATHS", default=[])
# Parts of pages kept rendered until what they show changes (association/fragments.py);
# at most this long for what changes with the clock (a sign-up deadline passing). 0: off.
FRAGMENT_CACHE_SECONDS = env.int("FRAGMENT_CACHE_SECONDS", default=0 if DEBUG else 60)

# Under pytest (which sets PYTEST_VERSION, also for the Celery worker it starts): a cache
# and broker apart from development's, and a fast password hasher.
TESTING = "PYTEST_VERSION" in os.environ
if TESTING:
    REDIS_URL = env("TEST_REDIS_URL", default="redis://127.0.0.1:6379/1")
    CACHES["default"]["LOCATION"] = REDIS_URL
    CACHES["default"]["KEY_PREFIX"] = "test"
    CELERY_BROKER_URL = REDIS_URL
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The worker the tests start writes its e-mail to files the tests read (EMAIL_FILE_PATH).
    EMAIL_BACKEND = env("TEST_EMAIL_BACKEND", default="django.core.mail.backends.locmem.EmailBackend")
    EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", default=str(BASE_DIR / ".pytest_cache" / "mail"))
    SMS_BACKEND = "association.notices.sms.ConsoleBackend"
    PUBLIC_PAGE_CACHE_SECONDS = env.int("PUBLIC_PAGE_CACHE_SECONDS", default=0)  # tests see their own writes
    FRAGMENT_CACHE_SECONDS = env.int("FRAGMENT_CACHE_SECONDS", default=0)
    # A second connection to the test database stands for the replica; the router uses it
    # only in the tests that turn DATABASE_REPLICA_READS on (tests/scaleout/test_replica.py).
    if "replica" not in DATABASES:
        DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}
