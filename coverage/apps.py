from django.apps import AppConfig


class CoverageConfig(AppConfig):
    name = "coverage"
    verbose_name = "Prior coverage"

    def ready(self):
        from coverage import receivers  # noqa: F401  (connects the signal receivers)
