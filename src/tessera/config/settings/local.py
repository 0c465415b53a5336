"""Settings for `make run` on one machine.

DEBUG stays off unless ``DEBUG=1``: `make run` is also how the demo school is shown to people, and
Django's debug pages list every address of the site (a 404) or the settings and a traceback (a 500) to
whoever opens them. With DEBUG off, a missing page is the app's own 404 page and the API's errors are its
own JSON, as in production; tracebacks still go to the console's log. ``DEBUG=1 make run`` brings the debug
pages back for someone debugging.
"""

from tessera.config.secret_key import load_or_create_secret_key
from tessera.config.settings.base import *  # noqa: F403
from tessera.config.settings.base import SECRET_KEY, VAR_DIR, env_bool

DEBUG = env_bool("DEBUG", False)
# Zero configuration on one machine: a key generated once into var/ (owner-only) unless SECRET_KEY is set.
SECRET_KEY = SECRET_KEY or load_or_create_secret_key(VAR_DIR / "secret_key")

# Serve static files straight from the apps' folders, so a change shows without collectstatic (and
# without a restart: WhiteNoise would otherwise index the files once, when DEBUG is off).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
