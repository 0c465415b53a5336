from django.apps import AppConfig


class CurriculumConfig(AppConfig):
    name = "tessera.curriculum"
    label = "curriculum"
    verbose_name = "Curriculum"
