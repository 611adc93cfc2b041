from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = "Partners"

    def ready(self):
        from partners import receivers  # noqa: F401  (connects the signal receivers)
