from django.apps import AppConfig


class CoreConfig(AppConfig):
    """What every app uses and no app owns: task queueing, errors, the middleware."""

    name = "core"
    verbose_name = "Core"
