from django.apps import AppConfig


class SchoolsConfig(AppConfig):
    name = "tessera.schools"
    label = "schools"
    verbose_name = "Schools and people"

    def ready(self) -> None:
        from tessera.schools.sessions import expiry  # noqa: F401  (stamps sessions on sign-in)
