from django.apps import AppConfig


class DeskConfig(AppConfig):
    name = "desk"
    verbose_name = "Desk"

    def ready(self):
        # The admin registered every app's classes before this last app is ready.
        from django.contrib import admin

        from desk.admin.search import bound_every_search

        bound_every_search(admin.site)
