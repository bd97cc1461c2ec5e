"""WSGI entry point (gunicorn memorial.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "memorial.settings")
application = get_wsgi_application()
