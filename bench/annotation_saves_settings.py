"""Settings for the annotation-save benchmark's web server: the embedded defaults plus one bare route.

Loaded by ``bench/annotation_saves.py`` only (gunicorn gets ``--pythonpath bench``); nothing in
the product imports it. DEBUG is off, as in production, so Django does not keep every query.
"""

from affectlab.settings.local import *  # noqa: F403

DEBUG = False
ROOT_URLCONF = "annotation_saves_urls"
