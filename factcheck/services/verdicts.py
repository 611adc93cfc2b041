"""Writing verdicts and their sources, with optimistic locking.

A verdict is written while the claim is Selected or Researching; once submitted it is
frozen (an Editor sends it back with "Request changes"), and a published one changes only
through the ``correct`` transition, which adds a version. Each edit compares the
``Verdict.revision`` the form was based on, so a stale save is refused, never merged
silently, and writes a ReviewEvent so the history shows who wrote what (the two-person
rule also binds whoever edited the verdict).
"""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from factcheck import ratings
from factcheck.models import Claim, ClaimState, ReviewEvent, Source, Verdict
from factcheck.selectors import verdict_next_version
from factcheck.services.feed import claim_feed_refresh
from factcheck.sources import SourceProblem, source_clean, sources_clean
from factcheck.workflow import WorkflowError, stale_reason

SUMMARY_MAX_CHARS = 10_000
HEADLINE_MAX_CHARS = 300
BODY_MAX_CHARS = 100_000


class VerdictEditRefused(WorkflowError):
    """A verdict or source edit that may not be made; ``reason`` says why."""


def _lock_editable(claim: Claim, user, permission: str) -> Claim:
    locked = Claim.objects.select_for_update().filter(pk=claim.pk).first()
    if locked is None:
        raise VerdictEditRefused("This claim was deleted; reload the page.")
    if user is None or not user.is_active or not user.has_perm(permission):
        raise VerdictEditRefused("Only a Fact-checker or an Editor may write verdicts and sources.")
    if locked.state not in ClaimState.IN_WORK:
        hints: dict[str, str] = {
            ClaimState.IN_REVIEW: "an Editor can send it back with “Request changes”",
            ClaimState.APPROVED: "it is approved and waiting to be published",
            ClaimState.PUBLISHED: "use “Propose a correction” to change a published verdict",
        }
        hint = hints.get(locked.state, "select the claim first")
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
    *,
    claim: Claim,
    user,
    rating: str,
    summary: str,
    expected_revision: int | None = None,
    sources: list[dict] | None = None,
    headline: str | None = None,
    body: str | None = None,
) -> Verdict:
    """Create the claim's current verdict or update it; refuse if ``expected_revision`` is stale.

    ``expected_revision`` is the revision the user's form showed (0 or None when creating;
    None from a script that does not care). A draft may be unrated; ``submit`` checks
    completeness. ``sources``, when given, replaces the verdict's source list in the same
    transaction (dicts with ``url`` and optionally ``title``, ``publisher``,
    ``accessed_at``, ``note``), as a verdict form with a source formset submits it.
    ``headline`` and ``body`` (Markdown), when given, replace the verdict's; ``None`` keeps them.
    """
    rating, summary = (rating or "").strip(), (summary or "").strip()
    on_scale = ratings.rating_for(rating) if rating else None
    if rating and on_scale is None:
        raise VerdictEditRefused(f"“{rating}” is not a rating on the scale.")
    text = text_fields_clean(summary=summary, headline=headline, body=body)
    cleaned = None if sources is None else _clean_sources(sources)
    with transaction.atomic():
        locked = _lock_editable(claim, user, "factcheck.change_verdict")
        verdict = Verdict.objects.filter(claim=locked, is_current=True).first()
        if verdict is None:
            verdict = _create(locked, user, rating, text, expected_revision)
        else:
            _update(verdict, rating, text, expected_revision)
        if cleaned is not None:
            _replace_sources(verdict, cleaned)
        claim_feed_refresh(claim_ids=[locked.pk])
        label = on_scale.label if on_scale is not None else "none"
        count = verdict.sources.count()
        _log(locked, user, "verdict_edit", f"Rating: {label}; {count} source{'s' * (count != 1)}")
    return verdict


def text_fields_clean(
    *, summary: str | None = None, headline: str | None = None, body: str | None = None
) -> dict:
    """The given text fields, stripped, or ``VerdictEditRefused`` naming the one too long."""
    limits = {"headline": HEADLINE_MAX_CHARS, "summary": SUMMARY_MAX_CHARS, "body": BODY_MAX_CHARS}
    labels = {"headline": "headline", "summary": "summary", "body": "explanation"}
    given = {"summary": summary, "headline": headline, "body": body}
    cleaned = {}
    for name, value in given.items():
        if value is None:
            continue
        value = " ".join(value.split()) if name == "headline" else value.strip()
        if len(value) > limits[name]:
            raise VerdictEditRefused(
                f"The {labels[name]} is too long ({len(value)} characters; at most {limits[name]})."
            )
        cleaned[name] = value
    return cleaned


def _create(claim: Claim, user, rating: str, text: dict, expected_revision: int | None) -> Verdict:
    if expected_revision:
        raise VerdictEditRefused("This verdict was removed by another editor; reload and try again.")
    version = verdict_next_version(claim_id=claim.pk)
    return Verdict.objects.create(claim=claim, rating=rating, author=user, version=version, **text)


def _update(verdict: Verdict, rating: str, text: dict, expected_revision: int | None) -> None:
    if expected_revision is not None and verdict.revision != expected_revision:
        raise VerdictEditRefused(stale_reason(verdict, "verdict"))
    # Compare-and-set too, for backends where the claim row lock is not a real lock.
    if not Verdict.objects.filter(pk=verdict.pk, revision=verdict.revision).update(
        rating=rating, revision=F("revision") + 1, updated_at=timezone.now(), **text
    ):
        raise VerdictEditRefused(stale_reason(verdict, "verdict"))
    verdict.refresh_from_db()


def _clean_source(data: dict) -> dict:
    try:
        return source_clean(data)
    except SourceProblem as exc:
        raise VerdictEditRefused(exc.reason) from None


def _clean_sources(sources: list[dict]) -> list[dict]:
    try:
        return sources_clean(sources)
    except SourceProblem as exc:
        raise VerdictEditRefused(exc.reason) from None


def _replace_sources(verdict: Verdict, cleaned: list[dict]) -> None:
    """Keep rows whose URL stays (updated in place), delete the others, add the new ones."""
    existing = {s.url: s for s in verdict.sources.all()}
    verdict.sources.exclude(url__in=[c["url"] for c in cleaned]).delete()
    for data in cleaned:
        source = existing.get(data["url"])
        if source is None:
            Source.objects.create(verdict=verdict, **data)
        elif any(getattr(source, k) != v for k, v in data.items()):
            Source.objects.filter(pk=source.pk).update(**data)


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
    data = _clean_source(
        {"url": url, "title": title, "publisher": publisher, "accessed_at": accessed_at, "note": note}
    )
    with transaction.atomic():
        locked = _lock_editable(claim, user, "factcheck.add_source")
        verdict = Verdict.objects.filter(claim=locked, is_current=True).first()
        if verdict is None:
            raise VerdictEditRefused("Write the verdict before adding sources.")
        if verdict.sources.filter(url=data["url"]).exists():
            raise VerdictEditRefused("This source is already listed.")
        source = Source.objects.create(verdict=verdict, **data)
        claim_feed_refresh(claim_ids=[locked.pk])
        _log(locked, user, "source_add", data["url"])
    return source


def source_remove(*, source: Source, user) -> None:
    """Remove a source from the current verdict of a claim still being researched."""
    with transaction.atomic():
        locked = _lock_editable(source.verdict.claim, user, "factcheck.delete_source")
        deleted, _ = Source.objects.filter(pk=source.pk, verdict__is_current=True).delete()
        if not deleted:
            raise VerdictEditRefused("This source is no longer on the current verdict; reload the page.")
        claim_feed_refresh(claim_ids=[locked.pk])
        _log(locked, user, "source_remove", source.url)
