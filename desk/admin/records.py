"""Admin pages for the desk's records other than claims and articles.

Verdicts are edited on the claim page; their own page is read-only history. Review
events are an audit trail: nobody edits or adds them by hand.
"""

from django.contrib import admin
from django.db import models

from factcheck.models import ReviewEvent, Source, Verdict


class SourceInline(admin.TabularInline):
    model = Source
    extra = 0
    fields = ["url", "title", "publisher", "accessed_at"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Verdict)
class VerdictAdmin(admin.ModelAdmin):
    list_display = ["claim", "version", "rating", "is_current", "author", "published_at"]
    list_select_related = ["claim", "author"]
    list_filter = ["rating", "is_current"]
    inlines = [SourceInline]
    show_full_result_count = False

    def has_change_permission(self, request, obj=None):
        # Edited on the claim page, where the stale-revision check lives.
        return False

    def has_add_permission(self, request):
        return False


@admin.register(ReviewEvent)
class ReviewEventAdmin(admin.ModelAdmin):
    list_display = ["claim", "transition", "from_state", "to_state", "actor", "at"]
    list_select_related = ["claim", "actor"]
    list_filter = ["transition", "to_state"]
    show_full_result_count = False

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
