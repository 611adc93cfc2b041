"""The claim list and claim page: the editors' desk.

Thin: every state change goes through ``factcheck.workflow.transition`` (from the bulk
actions in ``actions.py`` and the buttons, whose views are in ``views.py``). ``state`` and
``assignee`` are never form fields; a claim form carries the ``version`` it was loaded at,
so a save based on a stale page is refused instead of overwriting someone else's edit.
"""

from django import forms
from django.contrib import admin, messages
from django.db.models import Max, OuterRef, Subquery
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.text import Truncator

from coverage.models import CoverageMatch, MatchStatus
from desk.admin import actions, display, grouping, views
from desk.admin.coverage import CoverageMatchInline
from desk.admin.filters import (
    AssigneeFilter,
    CheckworthinessBandFilter,
    OutletFilter,
    OverdueFilter,
    PartnerFilter,
    PriorCoverageFilter,
    RatingFilter,
    is_overdue,
)
from desk.admin.paginator import IdFirstPaginator
from desk.admin.panels import claim_page_context
from desk.admin.search import BoundedSearchMixin
from factcheck import workflow
from factcheck.models import Claim, ClaimState, Verdict
from factcheck.services.claims import StaleClaimEdit, claim_save_new, claim_update
from public.claimreview import factcheck_url

EDITABLE_ON_CHANGE = ["checked_wording", "claimant", "claim_type", "quote", "priority", "due_date"]
# The read-only "Details" of an existing claim's page.
DETAILS = ["origin", "checkworthiness", "score_reasons", "created_by", "created_at", "updated_at"]


class ClaimForm(forms.ModelForm):
    """The claim form; ``version`` rides along hidden to detect stale saves."""

    class Meta:
        model = Claim
        fields = [
            "text",
            "checked_wording",
            "claimant",
            "article",
            "claim_type",
            "quote",
            "priority",
            "due_date",
            "version",
        ]
        labels = {"checked_wording": "Claim as checked"}
        help_texts = {
            "checked_wording": "The wording the fact-check is about, shown to readers. Empty: the sentence as it appeared."
        }
        widgets = {
            "version": forms.HiddenInput,
            "text": forms.Textarea(attrs={"rows": 3}),
            "checked_wording": forms.Textarea(attrs={"rows": 2}),
            "quote": forms.Textarea(attrs={"rows": 2}),
            "due_date": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The desk starts from the sentence as it appeared; that sentence itself never changes.
        if self.instance.pk and not self.instance.checked_wording and "checked_wording" in self.fields:
            self.initial["checked_wording"] = self.instance.text

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and "version" in self.fields:
            current = Claim.objects.filter(pk=self.instance.pk).only("version", "updated_at").first()
            if current is not None and cleaned.get("version") != current.version:
                # Same sentence as a stale transition: "... changed by another editor at 10:42; ..."
                raise forms.ValidationError(
                    f"{workflow.stale_reason(current)} Your changes below were not saved."
                )
        return cleaned


def best_match_subquery():
    """Best non-rejected match score per claim, as one correlated subquery (no N+1)."""
    return Subquery(
        CoverageMatch.objects.filter(claim=OuterRef("pk"))
        .exclude(status=MatchStatus.REJECTED)
        .values("claim")
        .annotate(best=Max("score"))
        .values("best")[:1]
    )


@admin.register(Claim)
class ClaimAdmin(BoundedSearchMixin, admin.ModelAdmin):
    form = ClaimForm
    change_form_template = "admin/factcheck/claim/change_form.html"
    change_list_template = "admin/factcheck/claim/change_list.html"
    list_display = [
        "claim_text",
        "claimant",
        "source",
        "worthiness",
        "state_badge",
        "assignee",
        "best_match",
        "rating",
        "seen_count",
        "seen_range",
        "priority",
        "due",
        "updated",
    ]
    list_display_links = ["claim_text"]
    list_select_related = ["assignee", "article__outlet"]
    list_filter = [
        grouping.GroupFilter,
        "state",
        AssigneeFilter,
        ("article__outlet", OutletFilter),
        CheckworthinessBandFilter,
        PriorCoverageFilter,
        RatingFilter,
        "priority",
        OverdueFilter,
        "origin",
        PartnerFilter,
    ]
    search_fields = ["text", "claimant", "article__title", "tip__partner__name"]
    ordering = ["-checkworthiness", "-created_at"]
    list_per_page = 50
    paginator = IdFirstPaginator
    show_full_result_count = False
    actions = [actions.select_claims, actions.dismiss_claims, actions.assign_claims, grouping.merge_claims]
    raw_id_fields = ["article"]
    inlines = [CoverageMatchInline]

    # --- list -----------------------------------------------------------------------------
    def get_queryset(self, request):
        current_rating = Verdict.objects.filter(claim=OuterRef("pk"), is_current=True).values("rating")[:1]
        return grouping.with_appearances(
            super()
            .get_queryset(request)
            .annotate(best_match_score=best_match_subquery(), current_rating=Subquery(current_rating))
        )

    @admin.display(description="Claim", ordering="text")
    def claim_text(self, claim):
        return Truncator(claim.text).chars(110)

    @admin.display(description="Article / outlet", ordering="article__title")
    def source(self, claim):
        if claim.article is None:
            return format_html('<span class="desk-muted">{}</span>', claim.get_origin_display())
        outlet = claim.article.outlet.name if claim.article.outlet else ""
        return format_html(
            '{}<br><span class="desk-muted">{}</span>', Truncator(claim.article.title).chars(60), outlet
        )

    @admin.display(description="Worthiness", ordering="checkworthiness")
    def worthiness(self, claim):
        return display.score_bar(claim.checkworthiness)

    @admin.display(description="State", ordering="state")
    def state_badge(self, claim):
        return display.state_badge(claim.state, claim.get_state_display())

    @admin.display(description="Prior match", ordering="best_match_score")
    def best_match(self, claim):
        return display.score_bar(claim.best_match_score)

    @admin.display(description="Rating", ordering="current_rating")
    def rating(self, claim):
        return display.rating_label(claim.current_rating)

    @admin.display(description="Seen", ordering="appearance_count")
    def seen_count(self, claim):
        return claim.appearance_count

    @admin.display(description="First / last seen", ordering="last_seen")
    def seen_range(self, claim):
        first = date_format(timezone.localtime(claim.first_seen), "j M")
        last = date_format(timezone.localtime(claim.last_seen), "j M")
        return first if first == last else f"{first} – {last}"

    @admin.display(description="Due", ordering="due_date")
    def due(self, claim):
        if claim.due_date is None:
            return ""
        day = date_format(claim.due_date, "j M")
        if is_overdue(claim, timezone.localdate()):
            return format_html('<span class="desk-overdue" title="Overdue">⚠ {}</span>', day)
        return day

    @admin.display(description="Updated", ordering="updated_at")
    def updated(self, claim):
        return date_format(timezone.localtime(claim.updated_at), "j M H:i")

    # --- permissions of the bulk actions: the workflow's own permission for each -----------
    def _may(self, request, name: str) -> bool:
        return request.user.has_perm(workflow.TRANSITIONS[name].permission)

    def has_select_permission(self, request):
        return self._may(request, "select")

    def has_dismiss_permission(self, request):
        return self._may(request, "dismiss")

    def has_assign_permission(self, request):
        return self._may(request, "assign")

    def has_merge_permission(self, request):
        return grouping.may_group(request.user)

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []  # a new claim has no matches yet

    # --- forms ----------------------------------------------------------------------------
    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [
                (None, {"fields": ["text", "claimant", "article", "claim_type", "quote"]}),
                ("Desk", {"fields": ["priority", "due_date"]}),
            ]
        return [
            ("Claim", {"fields": ["text_readonly", "checked_wording", "claimant", "claim_type", "quote"]}),
            ("Desk", {"fields": ["priority", "due_date", "version"]}),
            (
                "Details",
                {
                    "classes": ["collapse"],
                    "fields": DETAILS,
                },
            ),
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["text_readonly", *DETAILS]

    @admin.display(description="Claim")
    def text_readonly(self, claim):
        return claim.text

    @admin.display(description="Why this score")
    def score_reasons(self, claim):
        return display.score_reasons(claim.features) or "-"

    def save_model(self, request, obj, form, change):
        if not change:
            claim_save_new(claim=obj, user=request.user)
            return
        fields = {name: form.cleaned_data[name] for name in EDITABLE_ON_CHANGE if name in form.cleaned_data}
        try:
            claim_update(claim_id=obj.pk, expected_version=form.cleaned_data["version"], fields=fields)
        except StaleClaimEdit as exc:
            request._desk_stale = exc.reason

    def response_change(self, request, obj):
        stale = getattr(request, "_desk_stale", None)
        if stale:
            self.message_user(request, stale, messages.ERROR)
            return self._redirect_to_change(obj)
        return super().response_change(request, obj)

    def _redirect_to_change(self, obj):
        return redirect(reverse("admin:factcheck_claim_change", args=[obj.pk]))

    # --- pages ----------------------------------------------------------------------------
    def view_on_site(self, claim):
        """The public page, once the claim is published (the admin shows "View on site" then)."""
        if claim.state != ClaimState.PUBLISHED:
            return None
        return factcheck_url(claim=claim)

    def history_view(self, request, object_id, extra_context=None):
        """The claim's history is its review events, shown on the claim page."""
        return redirect(reverse("admin:factcheck_claim_change", args=[object_id]) + "#desk-history")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        claim = self.get_object(request, object_id)
        extra = {"show_save_and_add_another": False, **(extra_context or {})}
        if claim is not None:
            extra.update(
                claim_page_context(
                    request,
                    claim,
                    verdict_form=extra.get("desk_verdict_form"),
                    source_formset=extra.get("desk_source_formset"),
                )
            )
            extra.update(grouping.appearances_context(request, claim))
        return super().change_view(request, object_id, form_url, extra_context=extra)

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("desk/", wrap(views.dashboard(self)), name="factcheck_claim_dashboard"),
            path("desk/public-name/", wrap(views.public_name_page(self)), name="factcheck_claim_public_name"),
            path(
                "<int:object_id>/transition/<slug:name>/",
                wrap(views.transition(self)),
                name="factcheck_claim_transition",
            ),
            path("<int:object_id>/verdict/", wrap(views.verdict_save(self)), name="factcheck_claim_verdict"),
            path("merge/", wrap(grouping.merge(self)), name="factcheck_claim_merge"),
            path("<int:object_id>/split/", wrap(grouping.split(self)), name="factcheck_claim_split"),
            path(
                "<int:object_id>/not-same/<int:suggestion_id>/",
                wrap(grouping.reject_suggestion(self)),
                name="factcheck_claim_not_same",
            ),
            *super().get_urls(),
        ]
