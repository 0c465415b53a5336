"""Settings for `make run` on one machine: debug on unless DEBUG says otherwise."""

from tessera.config.settings.base import *  # noqa: F403
from tessera.config.settings.base import env_bool

DEBUG = env_bool("DEBUG", True)

# Serve static files straight from the apps' folders, so a change shows without collectstatic.
WHITENOISE_USE_FINDERS = True
