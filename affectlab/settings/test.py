"""Test settings: the real database and broker from the environment, fast hashing, temp media."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import DATABASES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

_TEST_VAR = Path(tempfile.mkdtemp(prefix="affectlab-test-"))
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

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # A file (not :memory:) so that a worker process started by a test sees the same data.
    DATABASES["default"]["TEST"] = {"NAME": str(_TEST_VAR / "test.sqlite3")}

ensure_local_dirs(FILE_UPLOAD_TEMP_DIR, AFFECTLAB_STAGING_DIR, AFFECTLAB_IMPORT_ROOT, MEDIA_ROOT)  # noqa: F405
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
