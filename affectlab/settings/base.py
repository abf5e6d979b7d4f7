"""Settings shared by every environment; each value can be overridden by an env var."""

from __future__ import annotations

from pathlib import Path

import dj_database_url

from affectlab.env import envbool, envint, envlist, envstr

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(envstr("AFFECTLAB_VAR_DIR", str(BASE_DIR / "var")))

SECRET_KEY = envstr("DJANGO_SECRET_KEY", "insecure-local-only-key")
DEBUG = envbool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = envlist("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = envlist("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "projects",
    "ingest",
    "annotation",
    "models_zoo",
    "releases",
    "frontend",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "affectlab.urls"
WSGI_APPLICATION = "affectlab.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
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


def _database_from_env() -> dict:
    """PostgreSQL (or anything) from DATABASE_URL, else the embedded SQLite file.

    SQLite runs in WAL mode with a busy timeout and IMMEDIATE transactions so
    that many annotators saving at once wait for the write lock instead of
    failing with "database is locked" (which would tempt a retry of the whole
    request and store a save twice). The engine is Django's SQLite backend plus a
    per-process writer queue (``affectlab/db/writer_queue.py``): threads of one
    process take turns at BEGIN in arrival order instead of sleeping in SQLite's
    busy handler; the busy timeout still covers writers in other processes.
    """
    url = envstr("DATABASE_URL")
    if url:
        config = dj_database_url.parse(url, conn_max_age=envint("DATABASE_CONN_MAX_AGE", 60))
        return config
    return {
        "ENGINE": "affectlab.db.sqlite3",
        "NAME": str(VAR_DIR / "affectlab.sqlite3"),
        "OPTIONS": {
            "timeout": 30,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
    }


DATABASES = {"default": _database_from_env()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "frontend:project-list"
LOGOUT_REDIRECT_URL = "login"

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
FRONTEND_DIST_DIR = BASE_DIR / "frontend" / "dist"
STATICFILES_DIRS = [FRONTEND_DIST_DIR] if FRONTEND_DIST_DIR.exists() else []

MEDIA_ROOT = Path(envstr("AFFECTLAB_MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media-not-public/"  # media is served only through the members-only API


def _storages_from_env() -> dict:
    """S3-compatible object storage when a bucket is configured, else a local folder."""
    bucket = envstr("AWS_STORAGE_BUCKET_NAME")
    if bucket:
        default = {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": bucket,
                "endpoint_url": envstr("AWS_S3_ENDPOINT_URL") or None,
                "access_key": envstr("AWS_ACCESS_KEY_ID") or None,
                "secret_key": envstr("AWS_SECRET_ACCESS_KEY") or None,
                "region_name": envstr("AWS_S3_REGION_NAME") or None,
                "file_overwrite": True,
                "default_acl": None,
                "querystring_auth": True,
            },
        }
    else:
        default = {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(MEDIA_ROOT)},
        }
    return {
        "default": default,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
    }


STORAGES = _storages_from_env()

# Uploads: anything bigger than 1 MiB streams to a temporary file, never held in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_TEMP_DIR = str(VAR_DIR / "tmp")
AFFECTLAB_STAGING_DIR = Path(envstr("AFFECTLAB_STAGING_DIR", str(VAR_DIR / "staging")))
AFFECTLAB_MAX_UPLOAD_BYTES = envint("AFFECTLAB_MAX_UPLOAD_BYTES", 20 * 1024**3)
AFFECTLAB_MAX_MANIFEST_ROWS = envint("AFFECTLAB_MAX_MANIFEST_ROWS", 100_000)
AFFECTLAB_IMPORT_ROOT = Path(envstr("AFFECTLAB_IMPORT_ROOT", str(VAR_DIR / "import")))
AFFECTLAB_FFMPEG_BINARY = envstr("AFFECTLAB_FFMPEG_BINARY", "")
AFFECTLAB_PROXY_MAX_HEIGHT = envint("AFFECTLAB_PROXY_MAX_HEIGHT", 720)
AFFECTLAB_UPLOAD_IDLE_SECONDS = envint("AFFECTLAB_UPLOAD_IDLE_SECONDS", 7 * 24 * 3600)
AFFECTLAB_JOB_STALE_SECONDS = envint("AFFECTLAB_JOB_STALE_SECONDS", 15 * 60)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 100,
    "EXCEPTION_HANDLER": "affectlab.api_errors.exception_handler",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "AffectLab API",
    "DESCRIPTION": "Ingest media, run pre-labelers, annotate and release emotion datasets.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

# Content-Security-Policy: scripts and styles come only from this origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "media-src": ["'self'", "blob:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# Celery: JSON only, late acks so a killed worker's job is redelivered, and time limits.
CELERY_BROKER_URL = envstr("CELERY_BROKER_URL", "filesystem://")


def celery_transport_options(broker_url: str, broker_dir: Path, key_prefix: str = "") -> dict:
    """Broker transport options; ``broker_dir`` holds the filesystem broker's folders.

    Redis keeps a delivered but unacknowledged message aside and puts it back in its
    queue once it is older than ``visibility_timeout``: that timeout must stay above the
    hard task time limit, or a long job still running is handed to a second worker.
    A worker scans for such messages when it starts, then every ``unacked_restore_interval``
    times ``unacked_restore_throttle`` seconds. ``key_prefix`` gives every Redis key a
    namespace, so that several deployments (or test runs) can share one Redis database.
    The filesystem broker deletes a message when a worker takes it: a job whose worker
    dies there is recovered by the stale-asset sweep, not by the broker.
    """
    options: dict = {"visibility_timeout": envint("CELERY_VISIBILITY_TIMEOUT", 7200)}
    if broker_url.startswith(("redis://", "rediss://")):
        options["unacked_restore_interval"] = envint("CELERY_UNACKED_RESTORE_INTERVAL", 10)
        options["unacked_restore_throttle"] = envint("CELERY_UNACKED_RESTORE_THROTTLE", 10)
        if key_prefix:
            options["global_keyprefix"] = key_prefix
    if broker_url.startswith("filesystem://"):
        for folder in ("queue", "control"):
            (broker_dir / folder).mkdir(parents=True, exist_ok=True)
        options.update(
            {
                "data_folder_in": str(broker_dir / "queue"),
                "data_folder_out": str(broker_dir / "queue"),
                "control_folder": str(broker_dir / "control"),
                "store_processed": False,
            }
        )
    return options


CELERY_BROKER_TRANSPORT_OPTIONS = celery_transport_options(
    CELERY_BROKER_URL, VAR_DIR / "broker", envstr("CELERY_BROKER_KEY_PREFIX")
)
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# How long the master waits for a dead pool process's last words before it calls the job lost
# (and, with reject_on_worker_lost, puts its message back). Tasks store no results here.
CELERY_WORKER_LOST_WAIT = float(envint("CELERY_WORKER_LOST_WAIT", 10))
CELERY_TASK_SOFT_TIME_LIMIT = envint("CELERY_TASK_SOFT_TIME_LIMIT", 3300)
CELERY_TASK_TIME_LIMIT = envint("CELERY_TASK_TIME_LIMIT", 3600)
CELERY_TASK_DEFAULT_QUEUE = "cpu"
CELERY_TASK_ALWAYS_EAGER = False
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BEAT_SCHEDULE = {
    "requeue-stale-assets": {
        "task": "ingest.requeue_stale_assets",
        "schedule": float(envint("AFFECTLAB_STALE_SWEEP_SECONDS", 60)),
    },
    "expire-idle-uploads": {"task": "ingest.expire_idle_uploads", "schedule": 3600.0},
    "requeue-stale-prelabel-jobs": {
        "task": "models_zoo.requeue_stale_jobs",
        "schedule": float(envint("AFFECTLAB_STALE_SWEEP_SECONDS", 60)),
    },
    "requeue-stale-dataset-versions": {
        "task": "releases.requeue_stale_versions",
        "schedule": float(envint("AFFECTLAB_STALE_SWEEP_SECONDS", 60)),
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "INFO")},
}


def ensure_local_dirs(*dirs: Path | str) -> None:
    """Create the local working folders (uploads in flight, staging) before Django checks them."""
    for directory in dirs:
        Path(directory).mkdir(parents=True, exist_ok=True)


ensure_local_dirs(FILE_UPLOAD_TEMP_DIR, AFFECTLAB_STAGING_DIR)
