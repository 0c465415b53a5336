from django.apps import AppConfig


class FamilyConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "tessera.family"
    label = "family"

    def ready(self) -> None:
        from tessera.family.feed import consumers  # noqa: F401  (subscribes the feed to the event log)
