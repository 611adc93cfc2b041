"""What the claim page shows around the claim form: context, buttons, verdict, matches, history."""

from django.db.models import Prefetch

from factcheck import ratings, workflow
from factcheck.admin import display
from factcheck.admin.actions import assignable_users
from factcheck.admin.verdict_forms import verdict_forms
from factcheck.models import Claim, CoverageMatch, MatchStatus, ReviewEvent, Source, Verdict
from factcheck.verdicts import EDITABLE_STATES


def claim_page_context(
    request, claim: Claim, *, verdict_form=None, source_formset=None, matches_panel: bool = True
) -> dict:
    """Template context for the panels of the claim page (each panel a few queries at most)."""
    transitions = workflow.available_transitions(claim, request.user)
    verdicts = list(
        claim.verdicts.select_related("author", "reviewer")
        .prefetch_related(Prefetch("sources", queryset=Source.objects.order_by("id")))
        .order_by("-version")
    )
    current = next((v for v in verdicts if v.is_current), None)
    may_edit = _may_edit_verdict(request.user, claim)
    if may_edit and verdict_form is None:
        verdict_form, source_formset = verdict_forms(current)
    return {
        "desk_claim": claim,
        "desk_state_badge": display.state_badge(claim.state, claim.get_state_display()),
        "desk_article_context": _article_context(claim),
        "desk_context_problem": _context_problem(claim),
        "desk_transitions": transitions,
        "desk_can_comment": any(t.name == "comment" for t in transitions),
        "desk_assignees": assignable_users() if any(t.name == "assign" for t in transitions) else [],
        "desk_rating_choices": ratings.CHOICES,
        "desk_current_verdict": current,
        "desk_current_rating": display.rating_label(current.rating if current else None),
        "desk_earlier_verdicts": [v for v in verdicts if not v.is_current],
        "desk_may_edit_verdict": may_edit,
        "desk_verdict_form": verdict_form,
        "desk_source_formset": source_formset,
        # The coverage inline (factcheck.admin_coverage), when installed, lists the matches
        # with their decide buttons inside the claim form; this panel is the fallback.
        "desk_matches_panel": matches_panel,
        "desk_matches": _matches(claim) if matches_panel else [],
        "desk_events": _events(claim),
    }


def _may_edit_verdict(user, claim: Claim) -> bool:
    """The same rule ``factcheck.verdicts`` applies; the page shows a read-only verdict otherwise."""
    return claim.state in EDITABLE_STATES and user.has_perm("factcheck.change_verdict")


EVENT_LABELS = {
    "verdict_edit": "Verdict edited",
    "source_add": "Source added",
    "source_remove": "Source removed",
}


def _events(claim: Claim) -> list[ReviewEvent]:
    events = list(ReviewEvent.objects.filter(claim=claim).select_related("actor").order_by("at", "id"))
    for event in events:
        spec = workflow.TRANSITIONS.get(event.transition)
        event.desk_label = spec.label if spec else EVENT_LABELS.get(event.transition, event.transition)
    return events


def _article_context(claim: Claim):
    if claim.article is None or claim.text_changed:
        return ""
    return display.claim_in_context(claim.article.body, claim.start, claim.end)


def _context_problem(claim: Claim) -> str:
    if claim.article is None:
        return f"{claim.get_origin_display()}: no article to show."
    if claim.text_changed:
        return "The article was edited and this sentence is no longer in it."
    if claim.start is None or claim.end is None or claim.end > len(claim.article.body):
        return "The claim's position in the article is not known."
    return ""


def _matches(claim: Claim) -> list[dict]:
    """Prior-coverage matches, best first, each with the verdict it points to."""
    matches = (
        CoverageMatch.objects.filter(claim=claim)
        .exclude(status=MatchStatus.REJECTED)
        .select_related("prior_factcheck", "prior_article", "prior_claim")
        .prefetch_related(Prefetch("prior_claim__verdicts", queryset=Verdict.objects.filter(is_current=True)))
        .order_by("-score")
    )
    rows = []
    for match in matches:
        rows.append({"match": match, "score": display.score_bar(match.score), **_match_target(match)})
    return rows


def _match_target(match: CoverageMatch) -> dict:
    if match.prior_factcheck_id:
        fc = match.prior_factcheck
        return {
            "kind": fc.publisher or "Fact-check",
            "text": fc.claim_reviewed,
            "url": web_url(fc.url),
            "verdict": fc.rating_text or "—",
            "date": fc.review_date,
        }
    if match.prior_claim_id:
        prior = match.prior_claim
        verdict = prior.current_verdict
        return {
            "kind": "Our desk",
            "text": prior.text,
            "url": "",
            "admin_claim": prior,
            "verdict": display.rating_label(verdict.rating if verdict else None),
            "date": verdict.published_at if verdict else None,
        }
    article = match.prior_article
    return {
        "kind": "Our article",
        "text": article.title,
        "url": web_url(article.url),
        "verdict": "—",
        "date": article.published_at,
    }


def web_url(url: str) -> str:
    """Only http(s) addresses become links: an imported ``javascript:`` URL stays text."""
    return url if url.lower().startswith(("http://", "https://")) else ""
