"""Outlets and articles. The desk extends the article page with its claims; this app knows
nothing of that (see ``desk/admin/articles.py``)."""

from django.contrib import admin
from django.db import models, transaction

from editorial.models import Article, Outlet
from editorial.services import content_hash
from editorial.signals import article_text_changed


@admin.register(Outlet)
class OutletAdmin(admin.ModelAdmin):
    list_display = ["name", "domain", "is_own"]
    list_filter = ["is_own"]
    search_fields = ["name", "domain"]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "outlet", "published_at", "updated_at"]
    list_select_related = ["outlet"]
    list_filter = ["outlet", "language"]
    search_fields = ["title", "url", "external_key"]
    date_hierarchy = "published_at"
    readonly_fields = ["content_hash", "created_at", "updated_at"]
    show_full_result_count = False
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def save_model(self, request, obj, form, change):
        """Keep ``content_hash`` true to the text and announce a changed text, as imports do."""
        digest = content_hash(title=obj.title, body=obj.body)
        text_changed = obj.content_hash != digest
        obj.content_hash = digest
        with transaction.atomic():
            obj.save()
            if text_changed:
                article_text_changed.send(sender=Article, article=obj)
