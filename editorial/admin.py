from django.contrib import admin

from editorial.models import Article, Outlet


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
    readonly_fields = ["content_hash", "extracted_hash", "extracted_at", "created_at", "updated_at"]
