from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo school and its history, loaded through the real services by ``load_demo_school``.

    The top floor: it may import every app, and no app imports it. It has no models."""

    name = "tessera.demo"
    label = "demo"
    verbose_name = "Demo school"
