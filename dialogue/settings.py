"""Settings for Dialogue Tracker, read from the environment (see README, "Configuration")."""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from core.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY (or SECRET_KEY_FILE) must be set when DEBUG is off.")
    # Only ever used with DEBUG on, on a developer's own machine.
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "core.apps.AdministratorsAdminConfig",  # django.contrib.admin, for Administrators only
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.forms",
    "django_countries",
    "django_filters",
    "django_tables2",
    "django_htmx",
    "simple_history",
    "axes",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "import_export",
    "core",
    "rounds",
    "stakeholders",
    "followup",
    "api",
    "reports",
    "dashboard",
    "exchange",
    "demo",
]

# Fields and widgets are drawn by Jinja2 from Django's own form templates and the project's few
# (jinja2/); a widget of our own (the lookup box) is a page template under templates/.
FORM_RENDERER = "core.renderers.FormRenderer"

MIDDLEWARE = [
    "core.middleware.ServerTimingMiddleware",
    "core.middleware.HealthCheckMiddleware",
    "core.middleware.PageMethodsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.references.ReaderMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "core.middleware.OddInputMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Labels each page with the highest marking it showed and logs its Protected B reads.
    "core.reading.ReadingMiddleware",
    "core.middleware.SessionLifetimeMiddleware",
    "core.middleware.NoStoreMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, so that a locked-out sign-in is answered before the view runs.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "dialogue.urls"
WSGI_APPLICATION = "dialogue.wsgi.application"
ASGI_APPLICATION = "dialogue.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "core.context_processors.navigation",
                "core.context_processors.languages",
            ],
        },
    },
]

# The embedded default keeps `make run` to one command; production and the tests set
# DATABASE_URL to PostgreSQL.
DATABASE_URL = env_str("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'dialogue.sqlite3'}"
try:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 0, minimum=0)
        )
    }
except ValueError as exc:
    raise ImproperlyConfigured(f"DATABASE_URL cannot be read: {exc}") from exc
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT compiles a plan when its cost estimate is high; for the pages' queries
    # (a list sorted by a count, say) compiling took longer than running. Health checks keep
    # persistent connections (DB_CONN_MAX_AGE) from failing after a database restart.
    # Server-side cursors are off: the only `.iterator()` calls are Django's own, for the
    # choices of every model choice field (the filter panels' forty dialogues, the forms'
    # selects), and each cost a DECLARE, a FETCH and a CLOSE where one SELECT does.
    # A random read is priced as a sequential one nearly is when the tables are in memory, as
    # this product's are (PostgreSQL's default of 4 is for spinning disks): with 4, the
    # dashboard counted a dialogue's 736 case raisings by scanning all 30,000 rather than
    # reading them by round through their index (12.7 ms against 2.9).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "options", "-c jit=off -c random_page_cost=1.1"
    )
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True

# No page is cached. The reports slow to build are kept once built, each for the readers who
# would be shown the same and until a table it reads is written (core/reportcache.py), for at
# most REPORT_CACHE_SECONDS (0: every report built for its request). Both caches are per process.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "reports": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "reports",
        "OPTIONS": {"MAX_ENTRIES": 300},
    },
}
REPORT_CACHE_SECONDS = env_int("REPORT_CACHE_SECONDS", 600, minimum=0)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# An index's included columns (followup_action_status_mark: counts read from the index alone)
# are PostgreSQL's; SQLite, for development and the second pass of the tests, builds the
# index without them, which is all models.W040 says.
SILENCED_SYSTEM_CHECKS = ["models.W040"]
AUTH_USER_MODEL = "dialogue.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "core.backends.PermissionBackend",  # Django's ModelBackend, permissions in one query
]
# Lock a username from an address after AXES_FAILURE_LIMIT failures, for AXES_COOLOFF_HOURS.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_HOURS", 1, minimum=1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_CALLABLE = "core.views.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_IPWARE_PROXY_COUNT = env_int("AXES_PROXY_COUNT", 0, minimum=0)

# A session ends after SESSION_IDLE_MINUTES without a request, and SESSION_MAX_HOURS after sign-in.
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 30, minimum=1)
SESSION_MAX_HOURS = env_int("SESSION_MAX_HOURS", 12, minimum=1)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
# The idle clock restarts on a request at most once a minute (SessionLifetimeMiddleware), not on
# every request: saving the session is three round trips to the database.
SESSION_REFRESH_SECONDS = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("PASSWORD_MIN_LENGTH", 12, minimum=8)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fr", "Français")]  # each named in itself
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "America/Toronto")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Nothing is served at MEDIA_URL: no URL pattern or server serves MEDIA_ROOT, and nothing the
# application keeps is stored in it.
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))

# Materials' files are private: kept in the "materials" store, never at an address of their own,
# and downloaded only through the view that checks the material's marking
# (rounds.views.material_file). A folder by default; an S3-compatible bucket, private, when
# AWS_STORAGE_BUCKET_NAME is set.
MATERIALS_ROOT = Path(env_str("MATERIALS_ROOT", str(VAR_DIR / "materials")))
MATERIAL_MAX_BYTES = env_int("MATERIAL_MAX_MB", 25, minimum=1) * 1024 * 1024
AWS_STORAGE_BUCKET_NAME = env_str("AWS_STORAGE_BUCKET_NAME", "")
if AWS_STORAGE_BUCKET_NAME:
    MATERIALS_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "location": env_str("AWS_LOCATION", "materials"),
            "endpoint_url": env_str("AWS_S3_ENDPOINT_URL") or None,
            "region_name": env_str("AWS_S3_REGION_NAME") or None,
            # Objects readable by the application's credentials only; no public or unsigned
            # address; a second file of the same name never replaces the first.
            "default_acl": "private",
            "querystring_auth": True,
            "custom_domain": None,
            "file_overwrite": False,
        },
    }
    # Without keys, boto3 finds credentials its own way (an instance role, say).
    if AWS_ACCESS_KEY_ID := env_str("AWS_ACCESS_KEY_ID"):
        MATERIALS_STORAGE["OPTIONS"]["access_key"] = AWS_ACCESS_KEY_ID
    if AWS_SECRET_ACCESS_KEY := env_str("AWS_SECRET_ACCESS_KEY"):
        MATERIALS_STORAGE["OPTIONS"]["secret_key"] = AWS_SECRET_ACCESS_KEY
else:
    for served in (STATIC_ROOT, *STATICFILES_DIRS, MEDIA_ROOT):
        if MATERIALS_ROOT.resolve().is_relative_to(Path(served).resolve()):
            raise ImproperlyConfigured(
                f"MATERIALS_ROOT={MATERIALS_ROOT} is inside {served}, a folder that is or may be "
                "served; keep materials' files in a private folder of their own."
            )
    MATERIALS_STORAGE = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        # The pages link to the download view; a file's own .url() would name an address
        # under MEDIA_URL, which serves nothing.
        "OPTIONS": {
            "location": MATERIALS_ROOT,
            "file_permissions_mode": 0o640,
            "directory_permissions_mode": 0o750,
        },
    }

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
    "materials": MATERIALS_STORAGE,
}

DJANGO_TABLES2_TEMPLATE = "includes/table.html"
DJANGO_TABLES2_TABLE_ATTRS = {"class": "data-table"}

# Form fields other than files are bounded here; files by MATERIAL_MAX_MB.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 10 * 1024 * 1024, minimum=1)

SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY", False) else None
)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", SECURE_HSTS_SECONDS > 0)
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CSRF_COOKIE_HTTPONLY = True
# Content Security Policy: only this origin, and every script carries the request's nonce.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# The API: session (with CSRF) or token authentication, the roles' model permissions, pages of
# 50 (up to 200 with ?page_size=), and an OpenAPI 3 schema.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so that an anonymous call is answered 401 with WWW-Authenticate.
        "api.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["core.permissions.RolePermissions"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pages",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "EXCEPTION_HANDLER": "api.views.exception_handler",
}
# An API token is refused (401) this many days after it was issued; the admin shows when each
# token was created, last used and expires.
API_TOKEN_LIFETIME_DAYS = env_int("API_TOKEN_LIFETIME_DAYS", 90, minimum=1)
SPECTACULAR_SETTINGS = {
    "TITLE": "Dialogue Tracker API",
    "DESCRIPTION": "Rounds of human-rights dialogues, their topics, delegations, cases of concern "
    "and follow-up. Every answer is scoped to the caller's role and clearance.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_GENERATOR_CLASS": "api.schema.SchemaGenerator",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_GENERATE_CHOICE_DESCRIPTION": False,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.add_error_responses",
    ],
    "ENUM_NAME_OVERRIDES": {
        "SideEnum": "core.models.Side",
        "CountryEnum": "django_countries.countries",
    },
}

# Spreadsheet imports are all or nothing, and bounded so that one file cannot hold a worker
# past its timeout: at most this many rows, and a file of at most this many bytes.
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 1000, minimum=1)
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 5 * 1024 * 1024, minimum=1)

# History is evidence: the admin may show it but never revert to it.
SIMPLE_HISTORY_REVERT_DISABLED = True

EMAIL_BACKEND_PATH = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
MAILERS = {
    "default": {
        "BACKEND": EMAIL_BACKEND_PATH,
        "OPTIONS": (
            {
                "host": env_str("EMAIL_HOST", "localhost"),
                "port": env_int("EMAIL_PORT", 25, minimum=1),
                "username": env_str("EMAIL_HOST_USER", ""),
                "password": env_str("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", False),
            }
            if EMAIL_BACKEND_PATH.endswith("smtp.EmailBackend")
            else {}
        ),
    }
}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "dialogue-tracker@localhost")
# The address the application is reached at, for links in e-mails sent outside a request.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Reminders cover actions overdue or due within this many days (the command's --days).
REMINDER_DAYS = env_int("REMINDER_DAYS", 7, minimum=0)

# The European Union holds a dialogue with China as one party; ISO 3166 has no code for it,
# but "EU" is reserved for it.
COUNTRIES_OVERRIDE = {"EU": _("European Union")}

# Logs go to standard output: JSON lines in production (LOG_FORMAT=json), plain text with DEBUG.
LOG_FORMAT = env_str("LOG_FORMAT", "text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "core.logging.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            **({"formatter": "json"} if LOG_FORMAT == "json" else {}),
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

# A Server-Timing header (application and database time) on every response.
SERVER_TIMING = env_bool("SERVER_TIMING", DEBUG)
# Where `manage.py backup` writes.
BACKUP_DIR = Path(env_str("BACKUP_DIR", str(VAR_DIR / "backups")))
