"""Settings for `make run` on one machine: debug on unless DEBUG says otherwise."""

from tessera.config.secret_key import load_or_create_secret_key
from tessera.config.settings.base import *  # noqa: F403
from tessera.config.settings.base import SECRET_KEY, VAR_DIR, env_bool

DEBUG = env_bool("DEBUG", True)
# Zero configuration on one machine: a key generated once into var/ (owner-only) unless SECRET_KEY is set.
SECRET_KEY = SECRET_KEY or load_or_create_secret_key(VAR_DIR / "secret_key")

# Serve static files straight from the apps' folders, so a change shows without collectstatic.
WHITENOISE_USE_FINDERS = True
