from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DifferentiationConfig(AppConfig):
    name = "tessera.differentiation"
    verbose_name = _("Differentiation")
    default_auto_field = "django.db.models.BigAutoField"
