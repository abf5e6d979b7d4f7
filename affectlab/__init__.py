"""AffectLab: a platform for building multimodal emotion datasets."""

from .celery import app as celery_app

__all__ = ("celery_app",)
