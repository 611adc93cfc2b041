from django.apps import AppConfig


class FactcheckConfig(AppConfig):
    name = "factcheck"
    verbose_name = "Fact-check desk"

    def ready(self):
        from factcheck import receivers  # noqa: F401  (connects the signal receivers)
