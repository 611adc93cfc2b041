"""Admin for prior coverage: imported fact-checks, and the editor's decision on each match.

Nothing is confirmed by the machine. On the claim page (``CoverageMatchInline``) and on
the match list an editor confirms or rejects a suggestion, or copies a prior verdict's
rating and sources into the claim's draft verdict ("Use this verdict"). The buttons post
to the small views below, which only check permissions and call ``coverage.services``.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from core.errors import ApplicationError
from core.links import safe_url
from coverage import services as coverage
from coverage.models import CoverageMatch, MatchStatus, PriorFactCheck
from desk.admin.search import BoundedSearchMixin

_TARGETS = ["claim", "prior_claim", "prior_article", "prior_factcheck", "decided_by"]


def _target_link(match: CoverageMatch) -> str:
    if match.prior_factcheck_id:
        prior = match.prior_factcheck
        label = f"{prior.publisher or 'Fact-check'}: “{prior.claim_reviewed[:120]}”"
        if prior.rating_text:
            label += f" — {prior.rating_text}"
        url = safe_url(prior.url)
        if not url:
            return format_html("{}", label)
        return format_html('<a href="{}" rel="noopener" target="_blank">{}</a>', url, label)
    if match.prior_claim_id:
        url = reverse("admin:factcheck_claim_change", args=[match.prior_claim_id])
        return format_html('<a href="{}">Our fact-check: “{}”</a>', url, match.prior_claim.text[:120])
    url = reverse("admin:editorial_article_change", args=[match.prior_article_id])
    return format_html('<a href="{}">Our article: {}</a>', url, match.prior_article.title[:120])


def _buttons(match: CoverageMatch) -> str:
    """Submit buttons that post (with the page's CSRF token) to this match's action views."""
    if match.pk is None:
        return ""
    actions = []
    if match.status != MatchStatus.CONFIRMED:
        actions.append(("confirm", "Confirm"))
    if match.status != MatchStatus.REJECTED:
        actions.append(("reject", "Reject"))
    if match.prior_factcheck_id or match.prior_claim_id:
        actions.append(("use-verdict", "Use this verdict"))
    return format_html_join(
        " ",
        '<button type="submit" class="button" formmethod="post" formnovalidate formaction="{}">{}</button>',
        (
            (reverse(f"admin:coverage_coveragematch_{name}", args=[match.pk]), label)
            for name, label in actions
        ),
    )


class CoverageMatchInline(admin.TabularInline):
    model = CoverageMatch
    fk_name = "claim"
    extra = 0
    can_delete = False
    fields = ["prior_coverage", "score", "strength", "method", "status", "decided_by", "decide"]
    readonly_fields = fields
    verbose_name = "prior coverage match"
    verbose_name_plural = "Prior coverage (suggested by the matcher; an editor decides)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(*_TARGETS).order_by("-score")

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description="Matched")
    def prior_coverage(self, match):
        return _target_link(match)

    @admin.display(description="Strength")
    def strength(self, match):
        return "strong" if match.is_strong else "suggestion"

    @admin.display(description="Decide")
    def decide(self, match):
        return _buttons(match)


@admin.register(CoverageMatch)
class CoverageMatchAdmin(BoundedSearchMixin, admin.ModelAdmin):
    list_display = [
        "claim",
        "prior_coverage",
        "score",
        "is_strong",
        "method",
        "status",
        "decided_by",
        "decide",
    ]
    list_filter = ["status", "is_strong", "method"]
    list_select_related = _TARGETS
    search_fields = ["claim__text", "prior_factcheck__claim_reviewed", "prior_claim__text"]
    readonly_fields = [
        "claim",
        "prior_claim",
        "prior_article",
        "prior_factcheck",
        "score",
        "method",
        "rank",
        "is_strong",
        "status",
        "decided_by",
        "decided_at",
    ]
    actions = ["confirm_selected", "reject_selected"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    @admin.display(description="Matched")
    def prior_coverage(self, match):
        return _target_link(match)

    @admin.display(description="Decide")
    def decide(self, match):
        return _buttons(match)

    @admin.action(description="Confirm selected matches", permissions=["change"])
    def confirm_selected(self, request, queryset):
        self._decide_all(request, queryset, coverage.coverage_match_confirm, "confirmed")

    @admin.action(description="Reject selected matches", permissions=["change"])
    def reject_selected(self, request, queryset):
        self._decide_all(request, queryset, coverage.coverage_match_reject, "rejected")

    def _decide_all(self, request, queryset, service, done):
        for match in queryset:
            service(match=match, actor=request.user)
        self.message_user(request, f"{queryset.count()} match(es) {done}.", messages.SUCCESS)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/confirm/", view(self.confirm_view), name="coverage_coveragematch_confirm"),
            path("<int:pk>/reject/", view(self.reject_view), name="coverage_coveragematch_reject"),
            path(
                "<int:pk>/use-verdict/",
                view(self.use_verdict_view),
                name="coverage_coveragematch_use-verdict",
            ),
            *super().get_urls(),
        ]

    def _match(self, request, pk) -> CoverageMatch:
        match = get_object_or_404(CoverageMatch.objects.select_related(*_TARGETS), pk=pk)
        if not self.has_change_permission(request, match):
            raise PermissionDenied
        return match

    def _back(self, request, match):
        target = request.POST.get("next") or request.headers.get("referer", "")
        if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
            return redirect(target)
        return redirect(reverse("admin:factcheck_claim_change", args=[match.claim_id]))

    def _decide_one(self, request, pk, service, done):
        match = self._match(request, pk)
        try:
            service(match=match, actor=request.user)
        except ApplicationError as exc:
            self.message_user(request, exc.reason, messages.ERROR)
        else:
            self.message_user(request, f"Match {done}.", messages.SUCCESS)
        return self._back(request, match)

    def confirm_view(self, request, pk):
        return require_POST(lambda r: self._decide_one(r, pk, coverage.coverage_match_confirm, "confirmed"))(
            request
        )

    def reject_view(self, request, pk):
        return require_POST(lambda r: self._decide_one(r, pk, coverage.coverage_match_reject, "rejected"))(
            request
        )

    def use_verdict_view(self, request, pk):
        return require_POST(self._use_verdict)(request, pk)

    def _use_verdict(self, request, pk):
        match = self._match(request, pk)
        try:
            verdict = coverage.verdict_draft_from_match(match=match, actor=request.user)
        except ApplicationError as exc:
            self.message_user(request, exc.reason, messages.ERROR)
        else:
            rating = verdict.get_rating_display() or "no rating (pick one)"
            self.message_user(
                request, f"Draft verdict filled from the prior fact-check: {rating}.", messages.SUCCESS
            )
        return self._back(request, match)


@admin.register(PriorFactCheck)
class PriorFactCheckAdmin(BoundedSearchMixin, admin.ModelAdmin):
    list_display = ["claim_reviewed", "publisher", "rating_text", "review_date", "language"]
    list_filter = ["publisher", "language"]
    search_fields = ["claim_reviewed", "title", "claimant", "url"]
    date_hierarchy = "review_date"
    readonly_fields = ["raw", "created_at", "updated_at"]
    show_full_result_count = False
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
