"""Repeated claims on the desk: the list's appearance columns, the claim page's appearances
and suggestions, and the merge and split views (Editors, under the version check).

The list shows canonical claims only by default (``GroupFilter``): an appearance is not a
work item. Every write is ``factcheck.services.grouping``'s; these views parse the POST.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, IntegerField, Max, Min, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, Greatest, Least
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from coverage.grouping import same_claim_suggestion_reject, same_claim_suggestions_confirm
from coverage.models import MatchStatus, SameClaimSuggestion
from factcheck.models import Claim, ClaimState
from factcheck.services.grouping import GROUP_PERMISSION, GroupingError, claim_split, claims_merge

MAX_MERGE = 50


class GroupFilter(admin.SimpleListFilter):
    """Canonical claims by default; "all" or "appearances" on request."""

    title = "repeats"
    parameter_name = "group"

    def lookups(self, request, model_admin):
        return [("all", "Canonical claims and appearances"), ("appearances", "Appearances only")]

    def choices(self, changelist):
        yield {
            "selected": self.value() is None,
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": "Canonical claims",
        }
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == str(lookup),
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        if self.value() == "all":
            return queryset
        if self.value() == "appearances":
            return queryset.filter(same_as__isnull=False)
        return queryset.filter(same_as__isnull=True)


def with_appearances(queryset):
    """Annotate ``appearance_count`` (the claim itself and its appearances), ``first_seen``
    and ``last_seen``: correlated subqueries, so the list stays one query per page."""
    members = Claim.objects.filter(same_as=OuterRef("pk")).order_by().values("same_as")
    count = members.annotate(n=Count("pk")).values("n")[:1]
    first = members.annotate(t=Min("created_at")).values("t")[:1]
    last = members.annotate(t=Max("created_at")).values("t")[:1]
    return queryset.annotate(
        appearance_count=Coalesce(Subquery(count, output_field=IntegerField()), Value(0)) + 1,
        first_seen=Least("created_at", Coalesce(Subquery(first), "created_at")),
        last_seen=Greatest("created_at", Coalesce(Subquery(last), "created_at")),
    )


REAPPEARED_DAYS = 7
REAPPEARED_LIMIT = 25


def reappeared_context() -> dict:
    """The dashboard's "a checked claim reappeared": new appearances of published claims
    in the last ``REAPPEARED_DAYS`` days, newest first (one query)."""
    since = timezone.now() - timedelta(days=REAPPEARED_DAYS)
    rows = (
        Claim.objects.filter(same_as__state=ClaimState.PUBLISHED, created_at__gte=since)
        .select_related("same_as", "article__outlet")
        .order_by("-created_at", "-pk")[:REAPPEARED_LIMIT]
    )
    return {"reappeared": list(rows), "reappeared_days": REAPPEARED_DAYS}


def may_group(user) -> bool:
    return user.has_perm(GROUP_PERMISSION)


def appearances_context(request, claim: Claim) -> dict:
    """The claim page's "Appearances" panel: the group (first seen first) and open suggestions."""
    canonical = claim.same_as if claim.same_as_id else claim
    group = list(
        Claim.objects.filter(same_as=canonical.pk)
        .select_related("article__outlet", "tip__partner")
        .order_by("created_at", "pk")
    )
    suggestions = list(
        SameClaimSuggestion.objects.filter(claim=claim, status=MatchStatus.SUGGESTED)
        .select_related("canonical")
        .order_by("-score")[:5]
    )
    return {
        "desk_canonical": canonical,
        "desk_appearances": group,
        "desk_same_suggestions": suggestions,
        "desk_may_group": may_group(request.user),
    }


def _versions(post, ids) -> dict[int, int]:
    out = {}
    for pk in ids:
        raw = post.get(f"version_{pk}", "")
        out[pk] = int(raw) if raw.isdigit() else -1
    return out


def _ids(values) -> list[int]:
    ids = sorted({int(v) for v in values if str(v).isdigit()})
    if len(ids) > MAX_MERGE:
        raise GroupingError(f"Merge at most {MAX_MERGE} claims at once.")
    return ids


def merge(model_admin):
    """POST ``merge/`` with ``canonical``, ``claims`` (ids) and ``version_<id>`` for each."""

    @require_POST
    def view(request):
        if not may_group(request.user):
            raise PermissionDenied
        raw = request.POST.get("canonical", "")
        if not raw.isdigit():
            messages.error(request, "Pick the canonical claim.")
            return redirect(reverse("admin:factcheck_claim_changelist"))
        object_id = int(raw)
        try:
            ids = [pk for pk in _ids(request.POST.getlist("claims")) if pk != object_id]
            claims_merge(
                canonical_id=object_id,
                claim_ids=ids,
                actor=request.user,
                expected_versions=_versions(request.POST, [object_id, *ids]),
            )
        except GroupingError as exc:
            messages.error(request, exc.reason)
        else:
            same_claim_suggestions_confirm(claim_ids=ids, canonical_id=object_id, actor=request.user)
            messages.success(request, f"Merged {len(ids)} claim(s) into claim {object_id}.")
        return redirect(reverse("admin:factcheck_claim_change", args=[object_id]))

    return view


def split(model_admin):
    """POST ``<appearance id>/split/`` with ``version``: the appearance becomes canonical."""

    @require_POST
    def view(request, object_id: int):
        if not may_group(request.user):
            raise PermissionDenied
        raw = request.POST.get("version", "")
        back = request.POST.get("back", "")
        try:
            claim_split(
                claim_id=object_id, actor=request.user, expected_version=int(raw) if raw.isdigit() else -1
            )
        except GroupingError as exc:
            messages.error(request, exc.reason)
        else:
            messages.success(request, f"Claim {object_id} is its own claim again.")
        target = int(back) if back.isdigit() else object_id
        return redirect(reverse("admin:factcheck_claim_change", args=[target]))

    return view


def reject_suggestion(model_admin):
    """POST ``<claim id>/not-same/<suggestion id>/``: the suggestion is rejected."""

    @require_POST
    def view(request, object_id: int, suggestion_id: int):
        if not may_group(request.user):
            raise PermissionDenied
        if SameClaimSuggestion.objects.filter(pk=suggestion_id, claim_id=object_id).exists():
            same_claim_suggestion_reject(suggestion_id=suggestion_id, actor=request.user)
            messages.success(request, "Marked as a different claim.")
        return redirect(reverse("admin:factcheck_claim_change", args=[object_id]))

    return view


@admin.action(description="Merge selected claims into one", permissions=["merge"])
def merge_claims(model_admin, request, queryset):
    """Ask which of the selected claims is the canonical one; the form posts to ``merge``."""
    claims = list(queryset.select_related("article")[: MAX_MERGE + 1])
    if len(claims) < 2:
        model_admin.message_user(request, "Select two or more claims to merge.", messages.WARNING)
        return None
    if len(claims) > MAX_MERGE:
        model_admin.message_user(request, f"Merge at most {MAX_MERGE} claims at once.", messages.ERROR)
        return None
    with_verdict = set(
        Claim.objects.filter(pk__in=[c.pk for c in claims], verdicts__isnull=False).values_list(
            "pk", flat=True
        )
    )
    context = {
        **model_admin.admin_site.each_context(request),
        "title": "Merge claims: pick the canonical one",
        "claims": claims,
        "with_verdict": with_verdict,
        "opts": model_admin.model._meta,
    }
    return TemplateResponse(request, "admin/factcheck/claim/merge_confirm.html", context)
