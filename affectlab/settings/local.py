"""The embedded default: SQLite, local files, a broker that needs no server."""

from affectlab.env import envbool

from .base import *  # noqa: F403

DEBUG = envbool("DJANGO_DEBUG", True)
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
