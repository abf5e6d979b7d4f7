"""The Celery application shared by the web process and every worker."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "affectlab.settings.local")

app = Celery("affectlab")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
