from django.apps import AppConfig


class PersonalizationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "tessera.personalization"
    label = "personalization"
