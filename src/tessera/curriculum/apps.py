from django.apps import AppConfig


class CurriculumConfig(AppConfig):
    name = "tessera.curriculum"
    label = "curriculum"
    verbose_name = "Curriculum"

    def ready(self) -> None:
        from tessera.curriculum.bank import bank_invalidation_connect

        bank_invalidation_connect()
