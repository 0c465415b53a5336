from django.apps import AppConfig


class SchoolsConfig(AppConfig):
    name = "tessera.schools"
    label = "schools"
    verbose_name = "Schools and people"
