"""ASGI entry point (uvicorn and friends)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "blilyst.web.settings")

application = get_asgi_application()
