"""WSGI entry point (gunicorn dialogue.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

from core.runtime import tune_garbage_collector

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dialogue.settings")
application = get_wsgi_application()
tune_garbage_collector()
