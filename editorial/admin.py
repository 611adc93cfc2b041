"""Outlets, articles and feeds. The desk extends the article page with its claims; this app
knows nothing of that (see ``desk/admin/articles.py``).

"Add article by URL" (``ArticleAdmin.add_by_url_view``) fetches a page, shows the extracted
article, and saves that same preview (signed, so what is saved is what was shown). The feed
page (``FeedAdmin``) shows its health and the articles it brought, with "fetch now", pause
and resume.
"""

from django import forms
from django.contrib import admin, messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_POST

from core.errors import ApplicationError
from core.links import safe_url
from editorial.intake.extract import PageArticle
from editorial.intake.formats import KINDS
from editorial.intake.services import (
    article_add_by_url,
    article_at,
    article_preview_by_url,
    feed_outlet_default,
    feed_pause,
    feed_probe,
    feed_resume,
)
from editorial.models import Article, Feed, FeedItem, Outlet
from editorial.services import content_hash
from editorial.signals import article_text_changed
from editorial.tasks import fetch_feed as fetch_feed_task

PREVIEW_SALT = "editorial.article.add_by_url"
PREVIEW_MAX_AGE = 3600
FEED_ITEMS_SHOWN = 50


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

    def get_urls(self):
        return [
            path(
                "add-by-url/",
                self.admin_site.admin_view(self.add_by_url_view),
                name="editorial_article_add_by_url",
            ),
            *super().get_urls(),
        ]

    def has_add_by_url_permission(self, request) -> bool:
        return request.user.has_perm("editorial.add_article_by_url")

    def changelist_view(self, request, extra_context=None):
        extra = {**(extra_context or {}), "may_add_by_url": self.has_add_by_url_permission(request)}
        return super().changelist_view(request, extra_context=extra)

    def add_by_url_view(self, request):
        """GET: the form. POST ``preview``: fetch and show the extracted article, nothing
        stored. POST ``save``: store the signed preview as the article at its canonical URL."""
        if not self.has_add_by_url_permission(request):
            raise PermissionDenied
        form = AddByUrlForm(request.POST or None)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "form": form,
            "title": "Add article by URL",
        }
        if request.method == "POST" and "save" in request.POST:
            return self._add_by_url_save(request, context)
        if request.method == "POST" and form.is_valid():
            try:
                page = article_preview_by_url(url=form.cleaned_data["url"])
            except ApplicationError as exc:
                form.add_error("url", exc.reason)
            else:
                outlet = form.cleaned_data["outlet"]
                context.update(
                    preview=page,
                    existing=article_at(page.url),
                    payload=signing.dumps(
                        {**_page_dict(page), "outlet": outlet.name if outlet else ""},
                        salt=PREVIEW_SALT,
                        compress=True,
                    ),
                )
        return TemplateResponse(request, "admin/editorial/article/add_by_url.html", context)

    def _add_by_url_save(self, request, context):
        try:
            data = signing.loads(request.POST.get("payload", ""), salt=PREVIEW_SALT, max_age=PREVIEW_MAX_AGE)
        except signing.BadSignature:
            messages.error(request, "The preview expired or was altered; fetch the page again.")
            return redirect(reverse("admin:editorial_article_add_by_url"))
        outlet = data.pop("outlet", "")
        result = article_add_by_url(page=_page_from_dict(data), outlet=outlet)
        assert result.article is not None
        word = {"imported": "added", "updated": "updated", "unchanged": "already stored, unchanged"}[
            result.status
        ]
        messages.success(request, f"Article {word}: {result.article.title}")
        return redirect(reverse("admin:editorial_article_change", args=[result.article.pk]))

    def save_model(self, request, obj, form, change):
        """Keep ``content_hash`` true to the text and announce a changed text, as imports do."""
        digest = content_hash(title=obj.title, body=obj.body)
        text_changed = obj.content_hash != digest
        obj.content_hash = digest
        with transaction.atomic():
            obj.save()
            if text_changed:
                article_text_changed.send(sender=Article, article=obj)


class AddByUrlForm(forms.Form):
    url = forms.URLField(max_length=2000, assume_scheme="https", label="Page URL")
    outlet = forms.ModelChoiceField(Outlet.objects.all(), required=False)


def _page_dict(page: PageArticle) -> dict:
    return {
        "url": page.url,
        "title": page.title,
        "text": page.text,
        "authors": page.authors,
        "published_at": page.published_at.isoformat() if page.published_at else "",
        "language": page.language,
    }


def _page_from_dict(data: dict) -> PageArticle:
    from datetime import datetime

    published = data.get("published_at") or ""
    return PageArticle(
        url=data["url"],
        title=data["title"],
        text=data["text"],
        authors=data.get("authors", ""),
        published_at=datetime.fromisoformat(published) if published else None,
        language=data.get("language", ""),
    )


# --- feeds -------------------------------------------------------------------------------


class FeedAddForm(forms.ModelForm):
    """The URL is fetched on save: its kind detected (or checked) and its title read."""

    kind = forms.ChoiceField(
        choices=[("", "detect from the answer"), *[(k, k) for k in KINDS]], required=False
    )

    class Meta:
        model = Feed
        fields = ["url", "outlet", "kind", "fetch_interval"]

    def clean(self):
        cleaned = super().clean()
        url = cleaned.get("url")
        if url and not self.errors:
            try:
                self.probe = feed_probe(url=url, kind=cleaned.get("kind") or "")
            except ApplicationError as exc:
                raise forms.ValidationError(exc.reason) from None
            cleaned["kind"] = self.probe.kind
        return cleaned


def feed_health(feed: Feed) -> str:
    if not feed.active:
        return format_html('<span class="desk-muted">{}</span>', "paused")
    if feed.consecutive_failures:
        since = f"{feed.failing_since:%Y-%m-%d %H:%M}" if feed.failing_since else "?"
        return format_html(
            '<span class="desk-overdue" title="{}">failing since {} ({} in a row)</span>',
            feed.last_error,
            since,
            feed.consecutive_failures,
        )
    if feed.last_fetched_at is None:
        return format_html('<span class="desk-muted">{}</span>', "not fetched yet")
    return format_html('<span class="desk-ok">{}</span>', "healthy")


@admin.register(Feed)
class FeedAdmin(admin.ModelAdmin):
    list_display = ["__str__", "outlet", "kind", "health", "last_fetched_at", "items_seen"]
    list_select_related = ["outlet"]
    list_filter = ["kind", "active", "outlet"]
    search_fields = ["url", "title"]
    show_full_result_count = False
    actions = ["fetch_now", "pause", "resume"]
    change_form_template = "admin/editorial/feed/change_form.html"
    readonly_fields = [
        "url",
        "kind",
        "health",
        "last_fetched_at",
        "last_status",
        "last_error",
        "consecutive_failures",
        "failing_since",
        "next_fetch_at",
        "etag",
        "last_modified",
        "items_seen",
        "articles_brought",
    ]

    def changelist_view(self, request, extra_context=None):
        failing = list(
            Feed.objects.filter(failure_alerted_at__isnull=False, active=True).order_by("failing_since")[:20]
        )
        if failing and request.method == "GET":
            names = ", ".join(f"{feed} ({feed.consecutive_failures} in a row)" for feed in failing)
            messages.warning(request, f"Failing feeds: {names}")
        return super().changelist_view(request, extra_context=extra_context)

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = FeedAddForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["url", "outlet", "kind", "fetch_interval"]
        return ["title", "outlet", "active", "fetch_interval", *self.readonly_fields]

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else []

    def save_model(self, request, obj, form, change):
        if not change:
            obj.kind, obj.title = form.probe.kind, form.probe.title[:500]
            if obj.outlet is None:
                obj.outlet = feed_outlet_default(url=obj.url, probe=form.probe)
        super().save_model(request, obj, form, change)

    @admin.display(description="Health")
    def health(self, feed):
        return feed_health(feed)

    @admin.display(description=f"Articles it brought (latest {FEED_ITEMS_SHOWN})")
    def articles_brought(self, feed):
        items = feed.items.select_related("article").order_by("-first_seen_at", "-id")[:FEED_ITEMS_SHOWN]
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            ((_item_link(item), item.get_status_display(), item.error) for item in items),
        )
        if not rows:
            return "none yet"
        return format_html("<table><tr><th>item</th><th>status</th><th>error</th></tr>{}</table>", rows)

    def has_fetch_permission(self, request) -> bool:
        return request.user.has_perm("editorial.fetch_feed")

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not self.has_fetch_permission(request):
            actions.pop("fetch_now", None)
        if not self.has_change_permission(request):
            actions.pop("pause", None)
            actions.pop("resume", None)
        return actions

    @admin.action(description="Fetch the selected feeds now")
    def fetch_now(self, request, queryset):
        if not self.has_fetch_permission(request):
            raise PermissionDenied
        ids = list(queryset.values_list("pk", flat=True))
        for feed_id in ids:
            fetch_feed_task.delay_on_commit(feed_id)
        messages.success(request, f"Fetch queued for {len(ids)} feed(s).")

    @admin.action(description="Pause the selected feeds")
    def pause(self, request, queryset):
        if not self.has_change_permission(request):
            raise PermissionDenied
        for feed_id in queryset.values_list("pk", flat=True):
            feed_pause(feed_id=feed_id)
        messages.success(request, "Paused.")

    @admin.action(description="Resume the selected feeds")
    def resume(self, request, queryset):
        if not self.has_change_permission(request):
            raise PermissionDenied
        for feed_id in queryset.values_list("pk", flat=True):
            feed_resume(feed_id=feed_id)
        messages.success(request, "Resumed; due now.")

    def get_urls(self):
        urls = [
            path(f"<int:object_id>/{name}/", self.admin_site.admin_view(view), name=f"editorial_feed_{name}")
            for name, view in (
                ("fetch", self.fetch_view),
                ("pause", self.pause_view),
                ("resume", self.resume_view),
            )
        ]
        return [*urls, *super().get_urls()]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra = {
            **(extra_context or {}),
            "may_fetch": self.has_fetch_permission(request),
            "may_pause": self.has_change_permission(request),
        }
        return super().change_view(request, object_id, form_url, extra_context=extra)

    def _back(self, feed):
        return redirect(reverse("admin:editorial_feed_change", args=[feed.pk]))

    @method_decorator(require_POST)
    def fetch_view(self, request, object_id: int):
        feed = get_object_or_404(Feed, pk=object_id)
        if not self.has_fetch_permission(request):
            raise PermissionDenied
        fetch_feed_task.delay_on_commit(feed.pk)
        messages.success(request, "Fetch queued; the feed's health and articles update once it has run.")
        return self._back(feed)

    @method_decorator(require_POST)
    def pause_view(self, request, object_id: int):
        feed = get_object_or_404(Feed, pk=object_id)
        if not self.has_change_permission(request, feed):
            raise PermissionDenied
        feed_pause(feed_id=feed.pk)
        messages.success(request, "Paused: the feed is not fetched until it is resumed.")
        return self._back(feed)

    @method_decorator(require_POST)
    def resume_view(self, request, object_id: int):
        feed = get_object_or_404(Feed, pk=object_id)
        if not self.has_change_permission(request, feed):
            raise PermissionDenied
        feed_resume(feed_id=feed.pk)
        messages.success(request, "Resumed: the feed is due now.")
        return self._back(feed)


def _item_link(item: FeedItem) -> str:
    if item.article_id:
        url = reverse("admin:editorial_article_change", args=[item.article_id])
        return format_html('<a href="{}">{}</a>', url, item.article.title if item.article else item.url)
    link = safe_url(item.url)
    return format_html('<span title="{}">{}</span>', link, item.title or item.url)
