"""WSGI entry point for gunicorn and friends: ``gunicorn blilyst.web.wsgi``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "blilyst.web.settings")

application = get_wsgi_application()
