"""Admin for partners, their API keys, webhooks and the webhook delivery log.

A key is created here through ``partners.services.api_key_create`` and its full value is shown once,
in the message after saving; only a hash is stored, so it cannot be shown again.
"""

import secrets

from django import forms
from django.contrib import admin, messages
from django.db.models import Count

from desk.admin.search import BoundedSearchMixin
from partners import services
from partners.models import ApiKey, Partner, Webhook, WebhookDelivery

SCOPE_CHOICES = [(scope, scope) for scope in ApiKey.SCOPES]
EVENT_CHOICES = [(event, event) for event in Webhook.EVENTS]


class ApiKeyForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        choices=SCOPE_CHOICES, widget=forms.CheckboxSelectMultiple, initial=["read"]
    )

    class Meta:
        model = ApiKey
        fields = ["partner", "name", "scopes"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["scopes"] = self.instance.scope_list

    def clean_scopes(self):
        try:
            return services.scopes_normalise(self.cleaned_data["scopes"])
        except services.ScopeError as exc:
            raise forms.ValidationError(exc.reason) from exc


class WebhookForm(forms.ModelForm):
    url = forms.URLField(max_length=2000, assume_scheme="https")
    events = forms.MultipleChoiceField(
        choices=EVENT_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="None ticked: every event.",
    )
    secret = forms.CharField(
        max_length=128,
        initial=lambda: secrets.token_urlsafe(32),
        help_text="Shared with the partner to check X-Signature (HMAC-SHA256 of the body).",
    )

    class Meta:
        model = Webhook
        fields = ["partner", "url", "events", "secret", "active"]


class ApiKeyInline(admin.TabularInline):
    model = ApiKey
    fields = ["name", "prefix", "scopes", "created_at", "last_used_at", "revoked"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False  # keys are made on the API key page, where the full key is shown once


class WebhookInline(admin.TabularInline):
    model = Webhook
    fields = ["url", "events", "active"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Partner)
class PartnerAdmin(BoundedSearchMixin, admin.ModelAdmin):
    list_display = ["name", "contact", "active", "key_count", "created_at"]
    list_filter = ["active"]
    search_fields = ["name", "contact"]
    inlines = [ApiKeyInline, WebhookInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(key_count=Count("api_keys"))

    @admin.display(description="API keys", ordering="key_count")
    def key_count(self, obj):
        return obj.key_count

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The API caches each key's row with its partner (``active`` included): drop them.
        services.partner_keys_forget(partner=form.instance)


@admin.register(ApiKey)
class ApiKeyAdmin(BoundedSearchMixin, admin.ModelAdmin):
    form = ApiKeyForm
    list_display = ["__str__", "partner", "prefix", "scopes", "created_at", "last_used_at", "revoked"]
    list_filter = ["revoked", "partner"]
    list_select_related = ["partner"]
    search_fields = ["name", "prefix", "partner__name"]
    readonly_fields = ["prefix", "created_at", "last_used_at", "revoked", "revoked_at"]
    actions = ["revoke_keys"]

    def get_fields(self, request, obj=None):
        return ["partner", "name", "scopes"] + (self.readonly_fields if obj else [])

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "partner"] if obj else []

    def save_model(self, request, obj, form, change):
        if change:
            obj.save(update_fields=["name", "scopes"])
            services.api_keys_forget(prefixes=[obj.prefix])
            return
        key, full_key = services.api_key_create(partner=obj.partner, name=obj.name, scopes=obj.scopes)
        for field in ApiKey._meta.concrete_fields:
            setattr(obj, field.attname, getattr(key, field.attname))
        obj._state.adding = False
        messages.warning(
            request,
            f"The new API key is: {full_key} — copy it now; it is stored only as a hash and will not be shown again.",
        )

    @admin.action(description="Revoke selected keys", permissions=["change"])
    def revoke_keys(self, request, queryset):
        count = 0
        for key in queryset.filter(revoked=False):
            services.api_key_revoke(api_key=key)
            count += 1
        self.message_user(request, f"Revoked {count} key(s).", messages.SUCCESS)


@admin.register(Webhook)
class WebhookAdmin(BoundedSearchMixin, admin.ModelAdmin):
    form = WebhookForm
    list_display = ["url", "partner", "events", "active", "created_at"]
    list_filter = ["active", "partner"]
    list_select_related = ["partner"]
    search_fields = ["url", "partner__name"]


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(BoundedSearchMixin, admin.ModelAdmin):
    """The delivery log: read-only, for debugging a partner's endpoint."""

    list_display = ["at", "webhook", "event", "event_id", "attempt", "status_code", "succeeded"]
    list_filter = ["succeeded", "event"]
    list_select_related = ["webhook__partner"]
    search_fields = ["event_id", "webhook__url", "webhook__partner__name"]
    readonly_fields = [
        "webhook",
        "event",
        "event_id",
        "payload",
        "attempt",
        "status_code",
        "error",
        "succeeded",
        "at",
    ]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
