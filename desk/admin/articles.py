"""The article page of the desk: body with its claims highlighted, the claims inline, and a
button to run extraction again. Extends ``editorial``'s admin so ``editorial`` stays
unaware of the desk.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.utils.text import Truncator
from django.views.decorators.http import require_POST

from desk.admin import display
from desk.admin.claims import best_match_subquery
from desk.admin.search import BoundedSearchMixin
from editorial.admin import ArticleAdmin, OutletAdmin
from editorial.models import Article, Outlet
from editorial.services import article_key
from factcheck.models import ArticleExtraction, Claim
from factcheck.tasks import extract_claims as extract_claims_task


class ClaimInline(admin.TabularInline):
    """The article's claims in text order, read-only: they change through the claim page."""

    model = Claim
    fk_name = "article"
    extra = 0
    can_delete = False
    fields = ["claim_text", "claimant", "state_badge", "worthiness", "best_match"]
    readonly_fields = fields
    verbose_name_plural = "claims in this article"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(best_match_score=best_match_subquery())
            .order_by("start", "id")
        )

    @admin.display(description="Claim")
    def claim_text(self, claim):
        url = reverse("admin:factcheck_claim_change", args=[claim.pk])
        return format_html('<a href="{}">{}</a>', url, Truncator(claim.text).chars(140))

    @admin.display(description="State")
    def state_badge(self, claim):
        return display.state_badge(claim.state, claim.get_state_display())

    @admin.display(description="Worthiness")
    def worthiness(self, claim):
        return display.score_bar(claim.checkworthiness)

    @admin.display(description="Prior coverage")
    def best_match(self, claim):
        return display.score_bar(claim.best_match_score)


class ArticleAddForm(forms.ModelForm):
    """What a desk user knows of an article: the key derives from its URL or its text."""

    class Meta:
        model = Article
        fields = ["title", "body", "outlet", "url", "published_at"]

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            key = article_key(
                url=cleaned.get("url") or "", title=cleaned.get("title") or "", body=cleaned.get("body") or ""
            )
            existing = Article.objects.filter(external_key=key).only("pk", "title").first()
            if existing is not None:
                raise forms.ValidationError(f"This article is already on the desk: “{existing.title}”.")
            self.instance.external_key = key
        return cleaned


class DeskArticleAdmin(BoundedSearchMixin, ArticleAdmin):
    change_form_template = "admin/factcheck/article_change_form.html"
    add_form = ArticleAddForm

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = self.add_form
        return super().get_form(request, obj, **kwargs)

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    list_display = ["title", "outlet", "published_at", "claim_count", "extraction_state", "updated_at"]
    inlines = [ClaimInline]

    def get_queryset(self, request):
        # A correlated count, not a JOIN + GROUP BY that every other list query would carry.
        claims = Claim.objects.filter(article=OuterRef("pk")).order_by().values("article")
        count = Subquery(claims.annotate(n=Count("id")).values("n")[:1])
        done = ArticleExtraction.objects.filter(
            article=OuterRef("pk"), extracted_hash=OuterRef("content_hash")
        )
        return super().get_queryset(request).annotate(n_claims=Coalesce(count, 0), is_extracted=Exists(done))

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [(None, {"fields": ["title", "body", "outlet", "url", "published_at"]})]
        return [
            ("Text with its claims highlighted", {"fields": ["highlighted_body"]}),
            (None, {"fields": ["title", "outlet", "url", "authors", "language", "published_at"]}),
            ("Edit the text (saving re-runs extraction)", {"classes": ["collapse"], "fields": ["body"]}),
            (
                "Import and extraction",
                {
                    "classes": ["collapse"],
                    "fields": ["external_key", "content_hash", "extracted_at", "created_at", "updated_at"],
                },
            ),
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return [*super().get_readonly_fields(request, obj), "highlighted_body", "extracted_at"]

    @admin.display(description="Claims extracted at")
    def extracted_at(self, article):
        extraction = ArticleExtraction.objects.filter(article=article).first()
        if extraction is None:
            return "never"
        pending = "" if extraction.extracted_hash == article.content_hash else " (the text changed since)"
        return f"{extraction.extracted_at:%Y-%m-%d %H:%M}{pending}"

    @admin.display(description="Claims", ordering="n_claims")
    def claim_count(self, article):
        return article.n_claims

    @admin.display(description="Extraction")
    def extraction_state(self, article):
        if not article.is_extracted:
            return format_html('<span class="desk-overdue">{}</span>', "pending")
        return format_html('<span class="desk-muted">{}</span>', "done")

    @admin.display(description="Article")
    def highlighted_body(self, article):
        spans = [
            display.Span(start, end, f"desk-hl desk-hl-{state}", f"{state} · worthiness {score:.2f}")
            for start, end, state, score in article.claims.filter(
                start__isnull=False, end__isnull=False, text_changed=False
            ).values_list("start", "end", "state", "checkworthiness")
        ]
        return format_html('<div class="desk-article-body">{}</div>', display.highlight(article.body, spans))

    def get_urls(self):
        return [
            path(
                "<int:object_id>/extract/",
                self.admin_site.admin_view(self.extract_view),
                name="editorial_article_extract",
            ),
            *super().get_urls(),
        ]

    def has_extract_permission(self, request, article=None) -> bool:
        """Extraction replaces the untouched candidates, so it is for those who triage them."""
        return self.has_view_permission(request, article) and request.user.has_perm("factcheck.select_claim")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra = {**(extra_context or {}), "may_extract": self.has_extract_permission(request)}
        return super().change_view(request, object_id, form_url, extra_context=extra)

    @method_decorator(require_POST)
    def extract_view(self, request, object_id: int):
        """POST only: queue ``extract_claims`` for this article after the request commits."""
        article = get_object_or_404(Article, pk=object_id)
        if not self.has_extract_permission(request, article):
            raise PermissionDenied
        extract_claims_task.delay_on_commit(article.pk)
        messages.success(request, "Claim extraction queued; the claims appear here once it has run.")
        return redirect(reverse("admin:editorial_article_change", args=[article.pk]))


class DeskOutletAdmin(BoundedSearchMixin, OutletAdmin):
    """``editorial``'s outlet list with the desk's bounded search."""


admin.site.unregister(Article)
admin.site.register(Article, DeskArticleAdmin)
admin.site.unregister(Outlet)
admin.site.register(Outlet, DeskOutletAdmin)
