"""Writing verdicts and their sources, with optimistic locking.

A verdict is written while the claim is Selected or Researching; once submitted it is
frozen (an Editor sends it back with "Request changes"), and a published one changes only
through the ``correct`` transition, which adds a version. Each edit compares the
``Verdict.revision`` the form was based on, so a stale save is refused, never merged
silently, and writes a ReviewEvent so the history shows who wrote what (the two-person
rule also binds whoever edited the verdict).
"""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from factcheck import ratings
from factcheck.models import Claim, ClaimState, ReviewEvent, Source, Verdict
from factcheck.workflow import WorkflowError

EDITABLE_STATES = frozenset({ClaimState.SELECTED, ClaimState.RESEARCHING})
SUMMARY_MAX_CHARS = 10_000
_url_validator = URLValidator(schemes=["http", "https"])


class VerdictEditRefused(WorkflowError):
    """A verdict or source edit that may not be made; ``reason`` says why."""


def _stale(verdict: Verdict) -> str:
    when = timezone.localtime(verdict.updated_at).strftime("%H:%M")
    return f"This verdict was changed by another editor at {when}; reload and try again."


def _lock_editable(claim: Claim, user, permission: str) -> Claim:
    locked = Claim.objects.select_for_update().get(pk=claim.pk)
    if user is None or not user.is_active or not user.has_perm(permission):
        raise VerdictEditRefused("Only a Fact-checker or an Editor may write verdicts and sources.")
    if locked.state not in EDITABLE_STATES:
        hint = {
            ClaimState.IN_REVIEW: "an Editor can send it back with “Request changes”",
            ClaimState.APPROVED: "an Editor can send it back before publishing",
            ClaimState.PUBLISHED: "use “Publish a correction” to change a published verdict",
        }.get(locked.state, "select the claim first")
        raise VerdictEditRefused(
            f"The verdict can only be edited while the claim is Selected or Researching "
            f"(it is {locked.get_state_display()}); {hint}."
        )
    return locked


def _log(claim: Claim, user, name: str, note: str) -> None:
    ReviewEvent.objects.create(
        claim=claim, actor=user, transition=name, from_state=claim.state, to_state=claim.state, note=note
    )


def verdict_save(
    *, claim: Claim, user, rating: str, summary: str, expected_revision: int | None = None
) -> Verdict:
    """Create the claim's current verdict or update it; refuse if ``expected_revision`` is stale.

    ``expected_revision`` is the revision the user's form showed (None when creating, or
    from a script that does not care). A draft may be unrated; ``submit`` checks completeness.
    """
    rating, summary = (rating or "").strip(), (summary or "").strip()
    if rating and ratings.rating_for(rating) is None:
        raise VerdictEditRefused(f"“{rating}” is not a rating on the scale.")
    if len(summary) > SUMMARY_MAX_CHARS:
        raise VerdictEditRefused(f"The summary is too long (at most {SUMMARY_MAX_CHARS} characters).")
    with transaction.atomic():
        locked = _lock_editable(claim, user, "factcheck.change_verdict")
        verdict = Verdict.objects.filter(claim=locked, is_current=True).first()
        if verdict is None:
            version = (Verdict.objects.filter(claim=locked).aggregate(v=Max("version"))["v"] or 0) + 1
            verdict = Verdict.objects.create(
                claim=locked, rating=rating, summary=summary, author=user, version=version
            )
        else:
            if expected_revision is not None and verdict.revision != expected_revision:
                raise VerdictEditRefused(_stale(verdict))
            updated = Verdict.objects.filter(pk=verdict.pk, revision=verdict.revision).update(
                rating=rating, summary=summary, revision=F("revision") + 1, updated_at=timezone.now()
            )
            if not updated:
                raise VerdictEditRefused(_stale(verdict))
            verdict.refresh_from_db()
        _log(
            locked, user, "verdict_edit", f"Rating: {ratings.rating_for(rating).label if rating else 'none'}"
        )
    return verdict


def source_add(
    *,
    claim: Claim,
    user,
    url: str,
    title: str = "",
    publisher: str = "",
    accessed_at=None,
    note: str = "",
) -> Source:
    """Add a source to the claim's current verdict (adding never conflicts, so no revision check)."""
    url = (url or "").strip()
    try:
        _url_validator(url)
    except ValidationError:
        raise VerdictEditRefused(f"“{url[:200]}” is not a web address (http:// or https://).") from None
    if len(url) > 2000 or len(title) > 500 or len(publisher) > 200:
        raise VerdictEditRefused("The address, title or publisher is too long.")
    with transaction.atomic():
        locked = _lock_editable(claim, user, "factcheck.add_source")
        verdict = Verdict.objects.filter(claim=locked, is_current=True).first()
        if verdict is None:
            raise VerdictEditRefused("Write the verdict before adding sources.")
        if verdict.sources.filter(url=url).exists():
            raise VerdictEditRefused("This source is already listed.")
        source = Source.objects.create(
            verdict=verdict,
            url=url,
            title=title.strip(),
            publisher=publisher.strip(),
            accessed_at=accessed_at or timezone.localdate(),
            note=note.strip(),
        )
        _log(locked, user, "source_add", url)
    return source


def source_remove(*, source: Source, user) -> None:
    """Remove a source from the current verdict of a claim still being researched."""
    with transaction.atomic():
        locked = _lock_editable(source.verdict.claim, user, "factcheck.delete_source")
        deleted, _ = Source.objects.filter(pk=source.pk, verdict__is_current=True).delete()
        if not deleted:
            raise VerdictEditRefused("This source is no longer on the current verdict; reload the page.")
        _log(locked, user, "source_remove", source.url)
