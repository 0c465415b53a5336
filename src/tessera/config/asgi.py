"""ASGI entry point used by `make run` (uvicorn) and production servers."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tessera.config.settings.local")
application = get_asgi_application()
