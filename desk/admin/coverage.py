"""Admin for prior coverage: imported fact-checks, and the editor's decision on each match.

Nothing is confirmed by the machine. On the claim page (``CoverageMatchInline``) and on
the match list an editor confirms or rejects a suggestion, or copies a prior verdict's
rating and sources into the claim's draft verdict ("Use this verdict"). The buttons post
to the small views below, which only check permissions and call ``coverage.services``.
"""

import textwrap

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from core.errors import ApplicationError
from core.links import safe_url
from coverage import services as coverage
from coverage.matching.ranking import DEFAULT_TUNING
from coverage.models import CoverageMatch, MatchStatus, PriorFactCheck, SearchDoc
from coverage.selectors import match_quality_by_month
from desk.admin.search import BoundedSearchMixin

_TARGETS = ["claim", "prior_claim", "prior_article", "prior_factcheck", "decided_by"]
# The matched claim's verdicts, for its rating and date (its current one is picked in Python).
_CURRENT_VERDICTS = "prior_claim__verdicts"


TEXT_CHARS = 160


def _cut(value: str, width: int = TEXT_CHARS) -> str:
    """``value`` shortened on a word boundary (never mid-word), with "…" when cut."""
    return textwrap.shorten(value or "", width=width, placeholder=" …")


def _quoted(value: str) -> str:
    """The cut text in quotes, the full text on hover (escaped by the caller's format_html)."""
    return format_html('<span title="{}">“{}”</span>', value, _cut(value))


def _prior_facts(*parts: str) -> str:
    shown = [p for p in parts if p]
    return format_html_join(" · ", '<span class="desk-muted">{}</span>', ((p,) for p in shown))


def _target_link(match: CoverageMatch) -> str:
    """What the match points at: its text (cut, full on hover), rating, publisher and date."""
    if match.prior_factcheck_id:
        prior = match.prior_factcheck
        when = f"{prior.review_date:%d %b %Y}" if prior.review_date else "date unknown"
        facts = _prior_facts(
            f"rated “{prior.rating_text}”" if prior.rating_text else "no rating given",
            prior.publisher or "publisher unknown",
            when,
        )
        url = safe_url(prior.url)
        if not url:
            return format_html("{}<br>{}", _quoted(prior.claim_reviewed), facts)
        return format_html(
            '<a href="{}" rel="noopener" target="_blank">{}</a><br>{}',
            url,
            _quoted(prior.claim_reviewed),
            facts,
        )
    if match.prior_claim_id:
        url = reverse("admin:factcheck_claim_change", args=[match.prior_claim_id])
        verdict = match.prior_claim.current_verdict
        facts = _prior_facts(
            f"rated “{verdict.get_rating_display()}”" if verdict and verdict.rating else "no rating yet",
            "our fact-check",
            f"{verdict.published_at:%d %b %Y}" if verdict and verdict.published_at else "",
        )
        return format_html('<a href="{}">{}</a><br>{}', url, _quoted(match.prior_claim.text), facts)
    url = reverse("admin:editorial_article_change", args=[match.prior_article_id])
    article = match.prior_article
    facts = _prior_facts("our article", f"{article.published_at:%d %b %Y}" if article.published_at else "")
    return format_html('<a href="{}">{}</a><br>{}', url, _quoted(article.title), facts)


def _score(match: CoverageMatch) -> str:
    """ "83% strong": the score as a percentage with its band."""
    band = "strong" if match.is_strong else "suggested"
    return format_html(
        '<span class="desk-score-num">{}%</span> <span class="desk-muted">{}</span>',
        round(match.score * 100),
        band,
    )


def _differences(match: CoverageMatch) -> str:
    if not match.differences:
        return ""
    return format_html('<span class="desk-warning">Figures differ: {}</span>', match.differences)


def may_decide(user) -> bool:
    """Confirming and rejecting matches: the permission the decision views check."""
    return user.has_perm("coverage.change_coveragematch")


def may_use_verdict(user) -> bool:
    """Copying a prior verdict writes the claim's draft verdict: both permissions are needed."""
    return may_decide(user) and user.has_perm("factcheck.change_verdict")


def _buttons(match: CoverageMatch, user) -> str:
    """Submit buttons that post (with the page's CSRF token) to this match's action views;
    only those ``user`` may use."""
    if match.pk is None or user is None or not may_decide(user):
        return ""
    actions = []
    if match.status != MatchStatus.CONFIRMED:
        actions.append(("confirm", "Confirm"))
    if match.status != MatchStatus.REJECTED:
        actions.append(("reject", "Reject"))
    if (match.prior_factcheck_id or match.prior_claim_id) and may_use_verdict(user):
        actions.append(("use-verdict", "Use this verdict"))
    return format_html_join(
        " ",
        '<button type="submit" class="button" formmethod="post" formnovalidate formaction="{}">{}</button>',
        (
            (reverse(f"admin:coverage_coveragematch_{name}", args=[match.pk]), label)
            for name, label in actions
        ),
    )


def _share(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def _quality_row(row: dict) -> dict:
    return {
        "month": f"{row['month']:%B %Y}",
        "made": row["made"],
        "strong": row["strong"],
        "confirmed": f"{_share(row['confirmed_share'])} ({row['confirmed']})",
        "rejected": f"{_share(row['rejected_share'])} ({row['rejected']})",
        "map5": "—"
        if row["map5"] is None
        else f"{row['map5']:.2f} ({row['map5_claims']} claim{'' if row['map5_claims'] == 1 else 's'})",
        "strong_precision": "—"
        if row["strong_precision"] is None
        else f"{_share(row['strong_precision'])} of {row['strong_decided']}",
    }


class CoverageMatchInline(admin.TabularInline):
    model = CoverageMatch
    fk_name = "claim"
    extra = 0
    can_delete = False
    fields = ["prior_coverage", "match_score", "what_differs", "status", "decided_by", "decide"]
    readonly_fields = fields
    verbose_name = "prior coverage match"
    verbose_name_plural = "Prior coverage (suggested by the matcher; an editor decides)"
    template = "admin/coverage/coveragematch/inline.html"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related(*_TARGETS)
            .prefetch_related(_CURRENT_VERDICTS)
            .order_by("-score")
        )

    def get_formset(self, request, obj=None, **kwargs):
        # The empty table says how much was searched (one COUNT, only when it is empty).
        self.searched_items = lambda: SearchDoc.objects.count()
        return super().get_formset(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        # Inline instances are made per request, so the buttons can ask who is looking.
        self._user = request.user
        if not may_decide(request.user):
            return [name for name in self.fields if name != "decide"]
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description="Matched")
    def prior_coverage(self, match):
        return _target_link(match)

    @admin.display(description="Score")
    def match_score(self, match):
        return _score(match)

    @admin.display(description="What differs")
    def what_differs(self, match):
        return _differences(match)

    @admin.display(description="Decide")
    def decide(self, match):
        return _buttons(match, getattr(self, "_user", None))


@admin.register(CoverageMatch)
class CoverageMatchAdmin(BoundedSearchMixin, admin.ModelAdmin):
    list_display = [
        "claim",
        "prior_coverage",
        "match_score",
        "what_differs",
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
    change_list_template = "admin/coverage/coveragematch/change_list.html"

    def has_add_permission(self, request):
        return False

    def get_list_display(self, request):
        self._request_user = request.user
        if not may_decide(request.user):
            return [name for name in self.list_display if name != "decide"]
        return self.list_display

    @admin.display(description="Matched")
    def prior_coverage(self, match):
        return _target_link(match)

    @admin.display(description="Score", ordering="score")
    def match_score(self, match):
        return _score(match)

    @admin.display(description="What differs")
    def what_differs(self, match):
        return _differences(match)

    @admin.display(description="Decide")
    def decide(self, match):
        return _buttons(match, getattr(self, "_request_user", None))

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related(_CURRENT_VERDICTS)

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
            path("quality/", view(self.quality_view), name="coverage_coveragematch_quality"),
            path(
                "<int:pk>/use-verdict/",
                view(self.use_verdict_view),
                name="coverage_coveragematch_use-verdict",
            ),
            *super().get_urls(),
        ]

    def quality_view(self, request):
        """ "Match quality": per month, what the matcher suggested and what the desk decided."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        rows = match_quality_by_month()
        context = {
            **self.admin_site.each_context(request),
            "title": "Match quality",
            "opts": self.model._meta,
            "rows": [_quality_row(r) for r in rows],
            "strong_threshold": round(DEFAULT_TUNING.strong * 100),
        }
        return TemplateResponse(request, "admin/coverage/coveragematch/quality.html", context)

    def _match(self, request, pk) -> CoverageMatch:
        return get_object_or_404(CoverageMatch.objects.select_related(*_TARGETS), pk=pk)

    def _refused(self, request, match, allowed: bool, what: str):
        """A decision the user may not take: the claim page with the reason, never a bare 403."""
        if allowed:
            return None
        self.message_user(request, f"Only a Fact-checker or an Editor may {what}.", messages.ERROR)
        if not request.user.has_perm("factcheck.view_claim"):
            return redirect(reverse("admin:index"))
        return self._back(request, match)

    def _back(self, request, match):
        target = request.POST.get("next") or request.headers.get("referer", "")
        if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
            return redirect(target)
        return redirect(reverse("admin:factcheck_claim_change", args=[match.claim_id]))

    def _decide_one(self, request, pk, service, done):
        match = self._match(request, pk)
        if refused := self._refused(request, match, may_decide(request.user), "decide on prior coverage"):
            return refused
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
        allowed = may_use_verdict(request.user)
        if refused := self._refused(request, match, allowed, "copy a prior verdict into the draft"):
            return refused
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
