"""Admin registration (foundation). The workflow issue turns this into the editors' desk."""

from django.contrib import admin

from factcheck.models import (
    ApiKey,
    Claim,
    CoverageMatch,
    Partner,
    PriorFactCheck,
    ReviewEvent,
    Source,
    Verdict,
    Webhook,
    WebhookDelivery,
)


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    list_display = ["__str__", "claimant", "checkworthiness", "state", "assignee", "updated_at"]
    list_select_related = ["assignee", "article"]
    list_filter = ["state", "origin"]
    search_fields = ["text", "claimant", "article__title"]
    readonly_fields = ["state", "version", "fingerprint", "created_at", "updated_at"]
    raw_id_fields = ["article", "partner"]


class SourceInline(admin.TabularInline):
    model = Source
    extra = 0


@admin.register(Verdict)
class VerdictAdmin(admin.ModelAdmin):
    list_display = ["claim", "version", "rating", "is_current", "published_at"]
    list_select_related = ["claim"]
    inlines = [SourceInline]
    raw_id_fields = ["claim"]


@admin.register(ReviewEvent)
class ReviewEventAdmin(admin.ModelAdmin):
    list_display = ["claim", "transition", "from_state", "to_state", "actor", "at"]
    list_select_related = ["claim", "actor"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


admin.site.register([PriorFactCheck, CoverageMatch, Partner, ApiKey, Webhook, WebhookDelivery])
