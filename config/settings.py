"""Settings for the fact-check CMS: one module, every deployment value from the environment.

Unset means production: DEBUG off, and then SECRET_KEY is required. Development opts in with
DEBUG=1 (``make run`` sets it), which alone allows the built-in development key; the test
run sets a test key (pyproject.toml, pytest-env). Otherwise a fresh clone needs no
configuration (SQLite file, Celery eager). Production also sets ALLOWED_HOSTS,
DATABASE_URL, CELERY_BROKER_URL and the HTTPS variables below; the README lists them.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_float, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

# Off unless asked for: a deployment that forgets the variable must not serve tracebacks
# or run on the development key.
DEBUG = env_bool("DEBUG", False)

_DEV_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production-0123456789abcdef"
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = _DEV_SECRET_KEY

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# HTTPS hardening is opt-in through the environment so plain-HTTP development and test
# requests work; `manage.py check --deploy` passes once these are set (see README).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", False)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy (django-csp): scripts, styles, images, fonts and fetches only from
# this site, no plugins, no framing. No page has an inline script (the API docs load their
# init script from the docs URL, SpectacularSwaggerSplitView; JSON-LD blocks are data, not
# scripts). Inline styles are allowed: the admin's desk styles, Swagger UI's page style and
# the rating colours set per element in a style attribute, which no nonce can cover. Swagger
# UI's icons are data: URIs.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "axes",
    # The project's apps, lowest first: each may import only those above it in this list
    # (docs/architecture.md; `lint-imports` checks it). ``desk`` comes last so its admin
    # classes replace the plain ones of the apps below.
    "core",
    "editorial",
    "factcheck",
    "coverage",
    "public",
    "partners",
    "desk",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # The Content-Security-Policy header (CONTENT_SECURITY_POLICY above) on every response.
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside every middleware that uses the database, so their failures get the 503 too.
    "core.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Under /api/ Django's own error pages become the API's JSON shape, DEBUG on or off.
    "core.handlers.ApiErrorShapeMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
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
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the dev server, the eager tasks and a second process
    # (a worker, a benchmark) share the file without "database is locked" errors.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
# PostgreSQL cancels a statement running longer than this (milliseconds, 0: never), so one
# slow query cannot hold a web worker; the request answers 503 (core/middleware.py). It is
# a connection option, so it binds every process that loads these settings except the two
# that clear it before connecting: manage.py for every command but runserver (migrations,
# imports, index rebuilds), and Celery workers (config/celery.py), whose import, embedding
# and re-matching batches may run a statement for longer.
DB_STATEMENT_TIMEOUT_MS = env_int("DB_STATEMENT_TIMEOUT_MS", 10_000)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and DB_STATEMENT_TIMEOUT_MS > 0:
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c statement_timeout={DB_STATEMENT_TIMEOUT_MS}"
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

_CACHE_URL = env_str("CACHE_URL")
CACHES = {
    "default": (
        {"BACKEND": "core.cache.RedisCache", "LOCATION": _CACHE_URL}
        if _CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# django-axes first: it refuses a locked-out login before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Failed logins (the admin's, and any ``authenticate`` with a request) are counted per
# user name from an address and per address; at AXES_FAILURE_LIMIT failures that pair, or
# that address, is refused for AXES_COOLOFF_MINUTES, the right password included. The
# client address is REMOTE_ADDR (behind a proxy, set it from the proxy's header there).
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_float("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
AXES_ENABLED = env_bool("AXES_ENABLED", True)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
WHITENOISE_USE_FINDERS = True

# Uploads and request bodies are size-limited (admin forms, API bodies).
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 2 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = env_int("FILE_UPLOAD_MAX_MEMORY_SIZE", 2 * 1024 * 1024)

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "factcheck-desk@localhost")

# --- Celery: eager in-process when no broker is configured -------------------------------
CELERY_TASK_ALWAYS_EAGER = not env_str("CELERY_BROKER_URL")
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL") or "memory://localhost/"
# Publishing to a dead broker must not hang a request or an import for long.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 1,
}
CELERY_TASK_EAGER_PROPAGATES = env_bool("CELERY_TASK_EAGER_PROPAGATES", True)
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND") or None
CELERY_TASK_IGNORE_RESULT = True
# At-least-once delivery: a task is acknowledged after it ran, and re-delivered if the
# worker dies mid-task. Every task is idempotent, so running twice is safe.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# kombu's Redis transport with two fixes for a Redis crash under a working worker
# (core/broker.py): the worker keeps consuming instead of stopping on an AttributeError,
# and a message taken from its queue just before the crash is re-queued, not dropped.
# rediss:// keeps kombu's own (its TLS check only applies to the URL scheme's transport).
if CELERY_BROKER_URL.startswith("redis://"):
    CELERY_BROKER_TRANSPORT = "core.broker:Transport"
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600),
    # A worker on several queues empties them in the order given to -Q (without -Q, the
    # order of CELERY_TASK_QUEUES: "celery", "matching", "embedding") instead of in turn.
    "queue_order_strategy": env_str("CELERY_QUEUE_ORDER", "priority"),  # or kombu's "round_robin"
}
CELERY_TASK_SERIALIZER = "json"
# Matching fans out (one task per new claim, re-matching of every open claim after a
# publish or a ClaimReview import), and on one FIFO queue it starved extraction
# (bench/ingest_load.py; docs/decisions/extraction-speed.md), so it has its own queue. A
# worker consuming them all (`-Q celery,matching,embedding`, which is also what a worker
# without -Q consumes, as all are declared below) takes matching when "celery" is empty; a
# deployment can instead run a worker per queue (README). Eager mode ignores routes.
CELERY_TASK_DEFAULT_QUEUE = "celery"
# A third queue, "embedding", holds the vectors of large imports: a 65k-item ClaimReview
# feed is 131 tasks of a few seconds each (EMBED_TASK_BATCH). A worker empties its queues
# in -Q order, so behind each batch it runs whatever extraction or matching came in
# meanwhile (bench/import_interleave.py), instead of queuing it behind the whole feed.
CELERY_TASK_QUEUES = {
    name: {"exchange": name, "routing_key": name}
    for name in (CELERY_TASK_DEFAULT_QUEUE, "matching", "embedding")
}
CELERY_TASK_ROUTES = {
    **{
        f"coverage.tasks.{name}": {"queue": "matching"}
        for name in ("group_claim", "match_claim", "rematch_open_claims", "rematch_after_publish")
    },
    "coverage.tasks.embed_and_rematch": {"queue": "embedding"},
}
# The sweep (run `celery -A config beat`) re-queues articles whose extraction task was lost.
FACTCHECK_SWEEP_AFTER_MINUTES = env_int("FACTCHECK_SWEEP_AFTER_MINUTES", 15)
CELERY_BEAT_SCHEDULE = {
    "sweep-unextracted-articles": {
        "task": "factcheck.tasks.sweep_unextracted",
        "schedule": env_int("FACTCHECK_SWEEP_EVERY_SECONDS", 300),
    },
    "sweep-unmatched-claims": {
        "task": "coverage.tasks.sweep_unmatched",
        "schedule": env_int("FACTCHECK_SWEEP_EVERY_SECONDS", 300),
    },
    "sweep-ungrouped-claims": {
        "task": "coverage.tasks.sweep_ungrouped",
        "schedule": env_int("FACTCHECK_SWEEP_EVERY_SECONDS", 300),
    },
    "sweep-unembedded-prior-items": {
        "task": "coverage.tasks.sweep_unembedded",
        "schedule": env_int("FACTCHECK_SWEEP_EVERY_SECONDS", 300),
    },
    "sweep-unindexed-published-claims": {
        "task": "coverage.tasks.sweep_unindexed",
        "schedule": env_int("FACTCHECK_SWEEP_EVERY_SECONDS", 300),
    },
    "sweep-unsent-review-mail": {
        "task": "factcheck.tasks.sweep_unsent_mail",
        "schedule": env_int("FACTCHECK_SWEEP_EVERY_SECONDS", 300),
    },
    # Feeds whose interval has passed, and pages to try again: one task per feed or page.
    "fetch-due-feeds": {
        "task": "editorial.tasks.fetch_due_feeds",
        "schedule": env_int("FETCH_DUE_EVERY_SECONDS", 60),
    },
}
CELERY_ACCEPT_CONTENT = ["json"]

# --- Django REST framework ---------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAdminUser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "partners.api.exceptions.api_exception_handler",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_THROTTLE_RATES": {
        "read": env_str("API_THROTTLE_READ", "600/min"),
        "submit": env_str("API_THROTTLE_SUBMIT", "30/min"),
        # Requests without valid credentials (none, or an unknown or revoked key), per
        # client address; past it, that address gets 429 until the window has passed.
        "unauthenticated": env_str("API_THROTTLE_UNAUTHENTICATED", "30/min"),
    },
    # The client address is REMOTE_ADDR; behind N trusted proxies, the Nth address from the
    # right of X-Forwarded-For (a client-sent header must not pick its own bucket).
    "NUM_PROXIES": env_int("API_NUM_PROXIES", 0),
}
# Cached answers of the partner API's reads (pages, details, ClaimReview, search): their key
# holds the data version, so no answer outlives a change; this only bounds how long an
# unread one stays in the cache (seconds).
API_ANSWER_CACHE_SECONDS = env_int("API_ANSWER_CACHE_SECONDS", 300)
SPECTACULAR_SETTINGS = {
    "TITLE": "Fact-check CMS partner API",
    "DESCRIPTION": "Published fact-checks, claim search and tips for partner newsrooms.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI and Redoc from the sidecar package, not a CDN the deployment may not reach.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

# --- The fact-check desk -----------------------------------------------------------------
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
ORGANISATION_NAME = env_str("ORGANISATION_NAME", "Fact-check Desk")
IMPORT_MAX_FILE_BYTES = env_int("IMPORT_MAX_FILE_BYTES", 5 * 1024 * 1024)
FACTCHECK_CLAIM_THRESHOLD = env_float("FACTCHECK_CLAIM_THRESHOLD", 0.5)
FACTCHECK_MAX_CLAIMS_PER_ARTICLE = env_int("FACTCHECK_MAX_CLAIMS_PER_ARTICLE", 25)
FACTCHECK_REVIEW_WAIT_HOURS = env_int("FACTCHECK_REVIEW_WAIT_HOURS", 24)
# Partner webhooks: tries per event and the first back-off (doubled per retry, capped at 1 h).
WEBHOOK_MAX_ATTEMPTS = env_int("WEBHOOK_MAX_ATTEMPTS", 6)
WEBHOOK_BACKOFF_SECONDS = env_int("WEBHOOK_BACKOFF_SECONDS", 30)
WEBHOOK_TIMEOUT_SECONDS = env_float("WEBHOOK_TIMEOUT_SECONDS", 10.0)
# Outbound requests to partner-given URLs (core/outbound.py) go only to public addresses;
# on, loopback, private and link-local ones are allowed too (tests, a local setup).
# Cloud metadata addresses stay refused either way.
# FETCH_ALLOW_PRIVATE_ADDRESSES is the same switch under the intake's name.
OUTBOUND_ALLOW_PRIVATE = env_bool("OUTBOUND_ALLOW_PRIVATE", False) or env_bool(
    "FETCH_ALLOW_PRIVATE_ADDRESSES", False
)

# Intake of outlets' feeds, sitemaps and pages (editorial/intake/): per request, the time
# allowed and the most bytes read (decoded); one request per host at a time, this many
# seconds apart; robots.txt kept per host this long; a feed's default interval; how many
# sitemaps are read in all from an index (nested ones included), how many levels of nested
# indexes are followed and how many URLs are kept; how often a page that could not be
# fetched is tried.
FETCH_TIMEOUT_SECONDS = env_float("FETCH_TIMEOUT_SECONDS", 15.0)
FETCH_MAX_BYTES = env_int("FETCH_MAX_BYTES", 5 * 1024 * 1024)
FETCH_HOST_DELAY_SECONDS = env_float("FETCH_HOST_DELAY_SECONDS", 1.0)
# Where the one-request-per-host slot is held (editorial/intake/fetcher.py): "cache" in the
# shared cache (CACHE_URL, Redis: across workers and machines), "postgres" in a PostgreSQL
# advisory lock and the editorial_fetchhost table (across the processes on that database),
# "process" in a lock of this process only (SQLite with the local cache: one process, Celery
# eager). The default is the first of these the configuration has.
FETCH_HOST_SLOT = env_str("FETCH_HOST_SLOT") or (
    "cache"
    if _CACHE_URL
    else "postgres"
    if DATABASES["default"]["ENGINE"].endswith("postgresql")
    else "process"
)
if FETCH_HOST_SLOT not in ("cache", "postgres", "process"):
    raise ImproperlyConfigured(f"FETCH_HOST_SLOT must be cache, postgres or process, got {FETCH_HOST_SLOT!r}")
FETCH_ROBOTS_CACHE_SECONDS = env_int("FETCH_ROBOTS_CACHE_SECONDS", 3600)
FETCH_DEFAULT_INTERVAL_MINUTES = env_int("FETCH_DEFAULT_INTERVAL_MINUTES", 60)
FETCH_SITEMAP_MAX_CHILDREN = env_int("FETCH_SITEMAP_MAX_CHILDREN", 50)
FETCH_SITEMAP_MAX_DEPTH = env_int("FETCH_SITEMAP_MAX_DEPTH", 3)
FETCH_SITEMAP_MAX_URLS = env_int("FETCH_SITEMAP_MAX_URLS", 50_000)
FETCH_ITEM_MAX_ATTEMPTS = env_int("FETCH_ITEM_MAX_ATTEMPTS", 6)
# A feed failing this many times in a row is mailed once to the members of this group.
FEED_FAILING_ALERT_AFTER = env_int("FEED_FAILING_ALERT_AFTER", 3)
FEED_FAILING_ALERT_GROUP = env_str("FEED_FAILING_ALERT_GROUP", "Editor")

# Prior-coverage matching: suggestions kept per claim, and how far back a new prior
# fact-check re-matches open claims.
FACTCHECK_MATCH_KEEP = env_int("FACTCHECK_MATCH_KEEP", 5)
FACTCHECK_REMATCH_WINDOW_DAYS = env_int("FACTCHECK_REMATCH_WINDOW_DAYS", 180)
# The check-worthiness model's JSON weights (default: the artifact in factcheck/extraction/).
FACTCHECK_CHECKWORTHINESS_MODEL = env_str("FACTCHECK_CHECKWORTHINESS_MODEL")
# The prior-coverage re-ranker's model file (default: coverage/matching/data/reranker.json);
# without the file search uses the first stage alone and logs it once.
FACTCHECK_RERANKER_MODEL = Path(
    env_str("FACTCHECK_RERANKER_MODEL") or BASE_DIR / "coverage" / "matching" / "data" / "reranker.json"
)
# Where train_checkworthiness reads the shared benchmark data sets.
FACTCHECK_BENCHMARKS_DIR = Path(
    env_str("FACTCHECK_BENCHMARKS_DIR") or BASE_DIR.parent / "shared" / "benchmarks"
)
# The sentence-embedding model (the optional extra): off switch, another ONNX file, threads
# (0: onnxruntime's choice); faiss threads, and from how many vectors dense search is
# approximate (an IVF index) instead of exact.
FACTCHECK_DISABLE_EMBEDDINGS = env_bool("FACTCHECK_DISABLE_EMBEDDINGS", False)
FACTCHECK_EMBEDDING_MODEL_PATH = env_str("FACTCHECK_EMBEDDING_MODEL_PATH")
FACTCHECK_EMBEDDING_THREADS = env_int("FACTCHECK_EMBEDDING_THREADS", 0)
FACTCHECK_FAISS_THREADS = env_int("FACTCHECK_FAISS_THREADS", 1)
FACTCHECK_ANN_MIN_ROWS = env_int("FACTCHECK_ANN_MIN_ROWS", 200_000)
# Public pages: Cache-Control max-age in seconds.
PUBLIC_PAGE_MAX_AGE = env_int("PUBLIC_PAGE_MAX_AGE", 60)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
