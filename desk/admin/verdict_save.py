"""Saving the verdict editor of the claim page through ``factcheck.services.verdicts.verdict_save``.

Rating, summary and the whole source list go in one call, so one transaction and one
revision check cover them: a stale page or a bad address leaves nothing half-saved. On
refusal the claim page is shown again with what was typed and the reason.
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse

from desk.admin.verdict_forms import VERDICT_FIELD_LABELS, source_rows, verdict_forms
from factcheck.models import Claim
from factcheck.services import verdicts


def save_verdict_from_post(model_admin, request, claim: Claim):
    current = claim.verdicts.filter(is_current=True).prefetch_related("sources").first()
    form, formset = verdict_forms(current, data=request.POST)
    if not (form.is_valid() and formset.is_valid()):
        messages.error(request, "The verdict was not saved; correct the errors below.")
        return _show_again(model_admin, request, claim, form, formset)
    data, sources = form.cleaned_data, source_rows(formset)
    if current is not None and not changed_fields(current, data, sources):
        messages.info(request, "Nothing to save: the verdict is unchanged.")
        return _back(claim)
    try:
        _save(request, claim, data, sources)
    except verdicts.VerdictEditRefused as exc:
        messages.error(request, f"The verdict was not saved: {exc.reason}")
        return _show_again(model_admin, request, claim, form, formset)
    messages.success(request, "Verdict saved.")
    model_admin.log_change(request, claim, "Verdict saved")
    return _back(claim)


class UnsavedVerdict(Exception):
    """The verdict edits a transition carried could not be saved; ``reason`` names them."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def save_carried_verdict(request, claim: Claim) -> list[str]:
    """Save the verdict edits a transition posted along (the claim page's verdict form).

    Returns the labels of the fields saved ([] when nothing was carried or changed); raises
    ``UnsavedVerdict`` naming the fields when the edits cannot be saved, so the caller
    refuses the transition instead of taking it on the old text. The same revision check
    as the "Save verdict" button guards it.
    """
    if "verdict-revision" not in request.POST:
        return []
    current = claim.verdicts.filter(is_current=True).prefetch_related("sources").first()
    form, formset = verdict_forms(current, data=request.POST)
    if not (form.is_valid() and formset.is_valid()):
        bad = [VERDICT_FIELD_LABELS.get(name, name) for name in form.errors] or ["sources"]
        raise UnsavedVerdict(f"your edits of the {', '.join(bad)} are not valid and were not saved")
    data, sources = form.cleaned_data, source_rows(formset)
    changed = changed_fields(current, data, sources) if current is not None else ["verdict"]
    if current is None and not any(data.get(n) for n in VERDICT_FIELD_LABELS) and not sources:
        return []
    if not changed:
        return []
    try:
        _save(request, claim, data, sources)
    except verdicts.VerdictEditRefused as exc:
        raise UnsavedVerdict(f"your edits of the {', '.join(changed)} were not saved: {exc.reason}") from None
    return changed


def _save(request, claim: Claim, data: dict, sources: list[dict]):
    return verdicts.verdict_save(
        claim=claim,
        user=request.user,
        rating=data["rating"],
        summary=data["summary"],
        headline=data["headline"],
        body=data["body"],
        expected_revision=data.get("revision") or 0,
        sources=sources,
    )


def changed_fields(current, data: dict, sources: list[dict]) -> list[str]:
    """Labels of what the form changes in ``current`` (empty: nothing to save)."""
    changed = [
        label
        for name, label in VERDICT_FIELD_LABELS.items()
        if (data.get(name) or "").strip() != (getattr(current, name) or "").strip()
    ]
    kept = [
        {"url": s.url, "title": s.title, "publisher": s.publisher, "accessed_at": s.accessed_at}
        for s in current.sources.all()
    ]
    dates = {row["url"]: row["accessed_at"] for row in kept}
    # A row typed without an access date keeps the stored one (the service would fill in today).
    typed = [
        {
            **row,
            "title": row["title"].strip(),
            "publisher": row["publisher"].strip(),
            "accessed_at": row["accessed_at"] or dates.get(row["url"]),
        }
        for row in sources
    ]
    if typed != kept:
        changed.append("sources")
    return changed


def _back(claim: Claim):
    return redirect(reverse("admin:factcheck_claim_change", args=[claim.pk]) + "#desk-verdict")


def show_verdict_again(model_admin, request, claim: Claim):
    """The claim page with the verdict form as posted (bound, with its errors)."""
    current = claim.verdicts.filter(is_current=True).prefetch_related("sources").first()
    form, formset = verdict_forms(current, data=request.POST)
    form.is_valid(), formset.is_valid()
    return _show_again(model_admin, request, claim, form, formset)


def _show_again(model_admin, request, claim: Claim, form, formset):
    """Render the claim page (as a GET) with the bound verdict forms and their errors."""
    request.method = "GET"
    return model_admin.change_view(
        request, str(claim.pk), extra_context={"desk_verdict_form": form, "desk_source_formset": formset}
    )
