"""What the claim page shows around the claim form: context, buttons, verdict, matches, history."""

from django.db.models import Prefetch
from django.utils.safestring import mark_safe

from core.links import safe_url
from core.markup import markdown_to_html
from desk.admin import display
from desk.admin.actions import assignable_users
from desk.admin.verdict_forms import verdict_forms
from factcheck import ratings, workflow
from factcheck.models import Claim, ClaimOrigin, ClaimState, ReviewEvent, Source, public_name
from partners.models import Tip


def claim_page_context(request, claim: Claim, *, verdict_form=None, source_formset=None) -> dict:
    """Template context for the panels of the claim page (each panel a few queries at most)."""
    options = workflow.transition_options(claim, request.user)
    transitions = [spec for spec, reason in options if reason is None]
    verdicts = list(
        claim.verdicts.select_related("author__desk_profile", "reviewer__desk_profile")
        .prefetch_related(Prefetch("sources", queryset=Source.objects.order_by("id")))
        .order_by("-version")
    )
    current = next((v for v in verdicts if v.is_current), None)
    # The one version neither current nor published (``Claim.pending_correction``).
    pending = next((v for v in verdicts if not v.is_current and v.published_at is None), None)
    may_edit = _may_edit_verdict(request.user, claim)
    if may_edit and verdict_form is None:
        verdict_form, source_formset = verdict_forms(current)
    return {
        "desk_claim": claim,
        "desk_state_badge": display.state_badge(claim.state, claim.get_state_display()),
        "desk_article_context": _article_context(claim),
        "desk_context_problem": _context_problem(claim),
        "desk_transitions": transitions,
        # Every transition the role has from this state: a button, or greyed with the reason.
        "desk_transition_options": [
            {"spec": spec, "reason": reason} for spec, reason in options if spec.name != "comment"
        ],
        "desk_next_step": workflow.next_step(claim),
        "desk_tip": _tip(claim),
        "desk_can_comment": any(t.name == "comment" for t in transitions),
        "desk_assignees": assignable_users() if any(t.name == "assign" for t in transitions) else [],
        "desk_rating_choices": ratings.CHOICES,
        "desk_current_verdict": current,
        "desk_current_rating": display.rating_label(current.rating if current else None),
        "desk_current_body_html": mark_safe(markdown_to_html(current.body)) if current else "",  # noqa: S308
        "desk_byline": {
            "author": public_name(current.author) if current else "",
            "reviewer": public_name(current.reviewer) if current else "",
        },
        "desk_pending_correction": pending,
        "desk_pending_rating": display.rating_label(pending.rating) if pending else None,
        "desk_earlier_verdicts": [v for v in verdicts if not v.is_current and v is not pending],
        "desk_may_edit_verdict": may_edit,
        "desk_verdict_form": verdict_form,
        "desk_source_formset": source_formset,
        "desk_events": _events(claim),
    }


def _may_edit_verdict(user, claim: Claim) -> bool:
    """The same rule ``factcheck.services.verdicts`` applies; the page shows a read-only verdict otherwise."""
    return claim.state in ClaimState.IN_WORK and user.has_perm("factcheck.change_verdict")


EVENT_LABELS = {
    "verdict_edit": "Verdict edited",
    "source_add": "Source added",
    "source_remove": "Source removed",
}


def event_label(transition: str) -> str:
    """The words for a review event's code: the transition's label, or the edit's."""
    spec = workflow.TRANSITIONS.get(transition)
    return spec.label if spec else EVENT_LABELS.get(transition, transition.replace("_", " ").capitalize())


def _events(claim: Claim) -> list[ReviewEvent]:
    """The claim's history, newest first, each event with its label and the actor's name."""
    events = list(ReviewEvent.objects.filter(claim=claim).select_related("actor").order_by("-at", "-id"))
    for event in events:
        event.desk_label = event_label(event.transition)
        event.desk_actor = workflow.display_name(event.actor) if event.actor_id else "system"
    return events


def _article_context(claim: Claim):
    if claim.article is None or claim.text_changed:
        return ""
    return display.claim_in_context(claim.article.body, claim.start, claim.end)


def _tip(claim: Claim) -> dict | None:
    """A partner tip's sender, address and context (one query, only for partner claims)."""
    if claim.origin != ClaimOrigin.PARTNER:
        return None
    tip = Tip.objects.select_related("partner").filter(claim=claim).first()
    return {
        "partner": tip.partner.name if tip else "",
        "url": safe_url(claim.appearance_url),
        "raw_url": claim.appearance_url,
        "context": tip.context if tip else "",
        "submitted_at": tip.submitted_at if tip else None,
        "sent_text": _in_sent_text(claim, tip),
        "siblings": _tip_siblings(tip),
    }


def _in_sent_text(claim: Claim, tip: Tip | None):
    """The longer text a tip's claim was taken from, the claim highlighted in it ('' if none)."""
    if tip is None or not tip.sent_text:
        return ""
    return display.claim_in_context(tip.sent_text, claim.start, claim.end, radius=len(tip.sent_text))


def _tip_siblings(tip: Tip | None) -> list[dict]:
    """The other claims taken from the same text (one query, only for such a tip)."""
    if tip is None or tip.part_of_id is None:
        return []
    rows = (
        Tip.objects.filter(part_of_id=tip.part_of_id)
        .exclude(pk=tip.pk)
        .order_by("claim__start", "id")
        .values_list("claim_id", "claim__text")
    )
    return [{"id": claim_id, "text": text} for claim_id, text in rows]


def _context_problem(claim: Claim) -> str:
    if claim.origin == ClaimOrigin.PARTNER and claim.article is None:
        return "A partner's tip: what they sent is shown above."
    if claim.article is None:
        return f"{claim.get_origin_display()}: no article to show."
    if claim.text_changed:
        return "The article was edited and this sentence is no longer in it."
    if claim.start is None or claim.end is None or claim.end > len(claim.article.body):
        return "The claim's position in the article is not known."
    return ""
