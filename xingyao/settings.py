"""Settings for xingyao. Every value can come from the environment; the defaults run the demo."""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from xingyao.core.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(env_str("XINGYAO_VAR_DIR", str(BASE_DIR.parent / "var")))

DEMO_SECRET_KEY = "xingyao-demo-secret-key-change-me"  # noqa: S105 - the known demo default, refused in production
DEBUG = env_bool("XINGYAO_DEBUG", False)
PRODUCTION = env_bool("XINGYAO_PRODUCTION", False)
SECRET_KEY = env_str("SECRET_KEY", DEMO_SECRET_KEY)
# The demo's hosts; production names its own (no default there).
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
DEMO_PASSWORD = env_str("XINGYAO_DEMO_PASSWORD", "xingyao-demo")
# API tokens stop working this many days after they are issued (a password change, reset or deactivation ends
# them at once).
XINGYAO_TOKEN_DAYS = env_int("XINGYAO_TOKEN_DAYS", 90)
if not 1 <= XINGYAO_TOKEN_DAYS <= 3650:
    raise ImproperlyConfigured("XINGYAO_TOKEN_DAYS 应在 1 到 3650 天之间")
# In tests and DEBUG, reading a scoped model that was never restrict()ed, within()-narrowed or unscoped("why")
# raises ScopeError (core/scoping.py): a forgotten scope fails loudly instead of leaking. Never on in production.
XINGYAO_SCOPE_GUARD = env_bool("XINGYAO_SCOPE_GUARD", DEBUG) and not PRODUCTION
# The audit chain's HMAC key lives outside the database (environment, secrets store): whoever can write the audit
# table cannot re-hash a rewritten chain without it. It must never change once rows are written under it.
DEMO_AUDIT_KEY = "xingyao-demo-audit-key-change-me"  # the known demo default, refused in production
XINGYAO_AUDIT_KEY = env_str("XINGYAO_AUDIT_KEY", DEMO_AUDIT_KEY)
# Each chain's signed head is appended here daily (`xingyao audit anchor`); keep it off the database's machine or
# make it append-only (`chattr +a`): a chain cut short in the database no longer matches it.
XINGYAO_BACKUP_DIR = Path(env_str("XINGYAO_BACKUP_DIR", str(VAR_DIR / "backups")))  # `xingyao backup` without DIR
XINGYAO_AUDIT_ANCHOR = Path(env_str("XINGYAO_AUDIT_ANCHOR", str(VAR_DIR / "audit-anchors.jsonl")))
# The phone number the public notices give for objections (异议电话); frozen into each notice as it is published.
# The demo's default is a made-up number; a deployment sets its county's.
XINGYAO_OBJECTION_PHONE = env_str("XINGYAO_OBJECTION_PHONE", "" if PRODUCTION else "0377-66000000")
# The hotline the residents' QR poster gives beside the code (12345: the government service hotline everywhere).
XINGYAO_RESIDENT_HOTLINE = env_str("XINGYAO_RESIDENT_HOTLINE", "12345")

if PRODUCTION:
    if SECRET_KEY == DEMO_SECRET_KEY or len(SECRET_KEY) < 32:
        raise ImproperlyConfigured("生产环境必须设置 SECRET_KEY（至少 32 个字符），不能使用演示默认值")
    if DEBUG:
        raise ImproperlyConfigured("生产环境不能开启 XINGYAO_DEBUG")
    if "DATABASE_URL" not in __import__("os").environ:
        raise ImproperlyConfigured("生产环境必须通过 DATABASE_URL 指定 PostgreSQL 数据库")
    if XINGYAO_AUDIT_KEY == DEMO_AUDIT_KEY or len(XINGYAO_AUDIT_KEY) < 32:
        raise ImproperlyConfigured("生产环境必须设置 XINGYAO_AUDIT_KEY（审计链密钥，至少 32 个字符，保存在数据库之外）")
    if not ALLOWED_HOSTS or "*" in ALLOWED_HOSTS:
        raise ImproperlyConfigured("生产环境必须设置 ALLOWED_HOSTS（站点域名，逗号分隔，不能用 *）")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "axes",
    "ninja",
    "xingyao.core",
    "xingyao.places",
    "xingyao.accounts",
    "xingyao.notices",
    "xingyao.assessments",
    "xingyao.stars",
    "xingyao.grid",
    "xingyao.disputes",
    "xingyao.partylife",
    "xingyao.economy",
    "xingyao.ledgers",
    "xingyao.inspections",
    "xingyao.livability",
    "xingyao.reports",
    "xingyao.home",
    "xingyao.briefings",
    # Background jobs (core/jobs.py). After xingyao.core, so core's `db_worker` (which first fails the jobs of a
    # worker that died) overrides the library's.
    "django_tasks",
    "django_tasks_db",
]
if not PRODUCTION:
    # The demo township and `xingyao demo` never reach a production site (its data and fixed passwords).
    INSTALLED_APPS.append("xingyao.demo")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "xingyao.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "xingyao.core.middleware.BodyLimitMiddleware",  # after the user is known, before CSRF reads request.POST
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "xingyao.core.middleware.BadParamMiddleware",
]

ROOT_URLCONF = "xingyao.urls"
WSGI_APPLICATION = "xingyao.wsgi.application"

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
                "xingyao.core.context_processors.nav",
                "xingyao.notices.context_processors.badge",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'xingyao.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,  # a connection PostgreSQL dropped (a restart) is replaced, not reused and failed
    )
}
if PRODUCTION and DATABASES["default"]["ENGINE"] not in (
    "django.db.backends.postgresql",
    "django.contrib.gis.db.backends.postgis",
):
    raise ImproperlyConfigured("生产环境只支持 PostgreSQL：DATABASE_URL 应为 postgresql://…（SQLite 仅用于演示和开发）")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers proceed while one writer commits; IMMEDIATE avoids lock upgrades failing mid-transaction.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Login throttling: five failures per username and address lock out for a quarter of an hour.
AXES_FAILURE_LIMIT = env_int("XINGYAO_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env_str("XINGYAO_MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": env_str("XINGYAO_FILE_STORAGE", "django.core.files.storage.FileSystemStorage")},
    # Hashed names need `collectstatic`; the demo (DEBUG) and benchmarks serve files as they are.
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env_bool("XINGYAO_STATIC_MANIFEST", not DEBUG)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
# Request bodies. A body over its cap is refused with a 413 before it is read (core.middleware.BodyLimitMiddleware):
# up to six 15 MB photos for a logged-in or API request, 1 MB for an anonymous one (the login and objection forms)
# except the residents' report form. Keep nginx's client_max_body_size at the larger cap (README).
# The dashboards' base map (off by default, and in the demo): a tile service's URL template with {z}, {x}, {y}
# (and {s} for a subdomain 0–7), e.g. 天地图's vector tiles with the county's key:
# https://t{s}.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=vec&STYLE=default
#   &TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=KEY
XINGYAO_MAP_TILES = env_str("XINGYAO_MAP_TILES", "")
XINGYAO_MAP_ATTRIBUTION = env_str("XINGYAO_MAP_ATTRIBUTION", "")
if XINGYAO_MAP_TILES and (
    not XINGYAO_MAP_TILES.startswith("https://") or not all(p in XINGYAO_MAP_TILES for p in ("{z}", "{x}", "{y}"))
):
    raise ImproperlyConfigured("XINGYAO_MAP_TILES 应为 https:// 开头、含 {z}、{x}、{y} 的瓦片地址模板")
XINGYAO_MAX_REQUEST_BYTES = env_int("XINGYAO_MAX_REQUEST_MB", 100) * 1024 * 1024
XINGYAO_MAX_ANONYMOUS_BYTES = 1024 * 1024
XINGYAO_ANONYMOUS_UPLOAD_URLS = ["grid:public_report"]
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024  # a larger file part goes to a temporary file while it is checked
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024  # the non-file part of a form, or a JSON body: 400 beyond
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000  # an assessment's indicator form has a few hundred
DATA_UPLOAD_MAX_NUMBER_FILES = 20
# Spreadsheet imports (core.sheets): the file's size, an .xlsx's unpacked size (a zip bomb is refused before it is
# unpacked) and the data rows of a sheet; beyond them the import is refused with a message.
XINGYAO_IMPORT_MAX_BYTES = env_int("XINGYAO_IMPORT_MAX_BYTES", 20 * 1024 * 1024)
XINGYAO_IMPORT_MAX_UNPACKED_BYTES = env_int("XINGYAO_IMPORT_MAX_UNPACKED_BYTES", 200 * 1024 * 1024)
XINGYAO_IMPORT_MAX_ROWS = env_int("XINGYAO_IMPORT_MAX_ROWS", 100_000)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Production serves HTTPS only (behind the TLS proxy): cookies are always secure there.
SESSION_COOKIE_SECURE = PRODUCTION or env_bool("XINGYAO_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Behind the proxy: it terminates TLS and says so in X-Forwarded-Proto (and must overwrite a client's own).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PRODUCTION else None
# Plain-HTTP requests that reach the app are redirected to HTTPS; HSTS then keeps browsers on HTTPS for a year.
SECURE_SSL_REDIRECT = env_bool("XINGYAO_SSL_REDIRECT", PRODUCTION)
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]  # the proxy's own check reaches the app over plain HTTP on loopback
SECURE_HSTS_SECONDS = env_int("XINGYAO_HSTS_SECONDS", 31_536_000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("XINGYAO_HSTS_INCLUDE_SUBDOMAINS", PRODUCTION)
# The header only consents to the browsers' preload list; entering it is the domain owner's separate request.
SECURE_HSTS_PRELOAD = env_bool("XINGYAO_HSTS_PRELOAD", PRODUCTION)
if PRODUCTION and (not SECURE_SSL_REDIRECT or SECURE_HSTS_SECONDS < 86_400):
    raise ImproperlyConfigured(
        "生产环境必须开启 HTTPS 跳转（XINGYAO_SSL_REDIRECT）和 HSTS（XINGYAO_HSTS_SECONDS 至少 86400 秒）"
    )

# Trusted reverse proxies in front of the app: the client address is then read from X-Forwarded-For.
PROXY_COUNT = env_int("XINGYAO_PROXY_COUNT", 0)
AXES_IPWARE_PROXY_COUNT = PROXY_COUNT or None
# Rate limits and login lockouts must be shared by every worker: production keeps the cache in the database
# (`xingyao createcachetable`); the demo and tests use memory.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "xingyao_cache"}
    if env_bool("XINGYAO_DB_CACHE", PRODUCTION)
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}
# The public forms' rate limits count in the database (core.Counter, one atomic UPSERT) unless a Redis server is
# given (`XINGYAO_RATELIMIT_REDIS=redis://…`, with the `redis` package installed): its INCR is atomic as well.
RATELIMIT_CACHE = ""
if env_str("XINGYAO_RATELIMIT_REDIS", ""):
    CACHES["ratelimit"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env_str("XINGYAO_RATELIMIT_REDIS", ""),
    }
    RATELIMIT_CACHE = "ratelimit"

# Background jobs: django-tasks with its database backend; `xingyao db_worker` runs them (README, "后台任务").
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
XINGYAO_JOB_EXPORT_ROWS = env_int("XINGYAO_JOB_EXPORT_ROWS", 5000)  # an export above this runs as a job
XINGYAO_JOB_IMPORT_BYTES = env_int("XINGYAO_JOB_IMPORT_BYTES", 256 * 1024)  # an import file above this too
XINGYAO_JOB_HEARTBEAT_SECONDS = 10  # a running job's worker writes its heartbeat this often
XINGYAO_JOB_STALE_SECONDS = env_int("XINGYAO_JOB_STALE_SECONDS", 120)  # no heartbeat for this long: worker died

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("XINGYAO_LOG_LEVEL", "WARNING")},
}

# Messages (xingyao/notices): the site's address, so links pushed to a county's group robot or SMS gateway open the
# record ("https://xingyao.example.gov.cn"); empty: the pushed text says to log in instead.
XINGYAO_SITE_URL = env_str("XINGYAO_SITE_URL", "")
# A county's SMS gateway on the deployment's own network may be reached only when this says so (notices/delivery.py
# refuses loopback, private and link-local addresses otherwise: the URL is typed by a county admin).
XINGYAO_WEBHOOK_PRIVATE_OK = env_bool("XINGYAO_WEBHOOK_PRIVATE_OK", False)
