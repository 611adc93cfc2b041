"""The feeds' pages: ``editorial``'s ``FeedAdmin`` with the desk's bounded search."""

from django.contrib import admin

from desk.admin.search import BoundedSearchMixin
from editorial.admin import FeedAdmin
from editorial.models import Feed


class DeskFeedAdmin(BoundedSearchMixin, FeedAdmin):
    pass


admin.site.unregister(Feed)
admin.site.register(Feed, DeskFeedAdmin)
