"""Test settings: the real database and broker from the environment, fast hashing, temp media.

Everything a test run writes lives in one temporary folder. A worker process that a
test starts is given that folder in ``AFFECTLAB_TEST_VAR_DIR`` (and
``AFFECTLAB_TEST_WORKER=1``), so it shares the test run's media, staging folder, broker
namespace and, on SQLite, its database file.
"""

import tempfile
from pathlib import Path

from affectlab.env import envbool, envstr

from .base import *  # noqa: F403
from .base import CELERY_BROKER_URL, DATABASES, celery_transport_options

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

_TEST_VAR = Path(envstr("AFFECTLAB_TEST_VAR_DIR") or tempfile.mkdtemp(prefix="affectlab-test-"))
AFFECTLAB_TEST_VAR_DIR = _TEST_VAR
MEDIA_ROOT = _TEST_VAR / "media"
FILE_UPLOAD_TEMP_DIR = str(_TEST_VAR / "tmp")
AFFECTLAB_STAGING_DIR = _TEST_VAR / "staging"
AFFECTLAB_IMPORT_ROOT = _TEST_VAR / "import"
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(MEDIA_ROOT)},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# The run's own broker folders (filesystem) or key namespace (Redis): messages queued by
# one test run never reach a worker of another run, nor the development worker.
CELERY_BROKER_TRANSPORT_OPTIONS = celery_transport_options(
    CELERY_BROKER_URL, _TEST_VAR / "broker", key_prefix=f"{_TEST_VAR.name}:"
)
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS["polling_interval"] = 0.2  # workers in tests pick jobs up promptly

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # A file (not :memory:) so that a worker process started by a test sees the same data.
    DATABASES["default"]["TEST"] = {"NAME": str(_TEST_VAR / "test.sqlite3")}
    if envbool("AFFECTLAB_TEST_WORKER"):
        DATABASES["default"]["NAME"] = DATABASES["default"]["TEST"]["NAME"]

ensure_local_dirs(FILE_UPLOAD_TEMP_DIR, AFFECTLAB_STAGING_DIR, AFFECTLAB_IMPORT_ROOT, MEDIA_ROOT)  # noqa: F405
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
