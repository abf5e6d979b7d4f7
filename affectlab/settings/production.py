"""Production: refuses to start with the development secret key or without a real database."""

from django.core.exceptions import ImproperlyConfigured

from affectlab.env import envbool, envint

from .base import *  # noqa: F403
from .base import DATABASES, SECRET_KEY

DEBUG = False
if SECRET_KEY == "insecure-local-only-key" or len(SECRET_KEY) < 32:  # noqa: S105 - refusing the dev key
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set to a long random value in production")
if DATABASES["default"]["ENGINE"].endswith("sqlite3") and not envbool("AFFECTLAB_ALLOW_SQLITE", False):
    raise ImproperlyConfigured("Set DATABASE_URL to PostgreSQL in production")

SESSION_COOKIE_SECURE = envbool("DJANGO_SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = envbool("DJANGO_SECURE_COOKIES", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = envint("DJANGO_HSTS_SECONDS", 0)
SECURE_CONTENT_TYPE_NOSNIFF = True
