"""Saving the verdict editor of the claim page through ``factcheck.services.verdicts.verdict_save``.

Rating, summary and the whole source list go in one call, so one transaction and one
revision check cover them: a stale page or a bad address leaves nothing half-saved. On
refusal the claim page is shown again with what was typed and the reason.
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse

from desk.admin.verdict_forms import source_rows, verdict_forms
from factcheck.models import Claim
from factcheck.services import verdicts


def save_verdict_from_post(model_admin, request, claim: Claim):
    current = claim.verdicts.filter(is_current=True).prefetch_related("sources").first()
    form, formset = verdict_forms(current, data=request.POST)
    if not (form.is_valid() and formset.is_valid()):
        messages.error(request, "The verdict was not saved; correct the errors below.")
        return _show_again(model_admin, request, claim, form, formset)
    data, sources = form.cleaned_data, source_rows(formset)
    if current is not None and not _differs(current, data, sources):
        messages.info(request, "Nothing to save: the verdict is unchanged.")
        return _back(claim)
    try:
        verdicts.verdict_save(
            claim=claim,
            user=request.user,
            rating=data["rating"],
            summary=data["summary"],
            expected_revision=data.get("revision") or 0,
            sources=sources,
        )
    except verdicts.VerdictEditRefused as exc:
        messages.error(request, f"The verdict was not saved: {exc.reason}")
        return _show_again(model_admin, request, claim, form, formset)
    messages.success(request, "Verdict saved.")
    return _back(claim)


def _differs(current, data: dict, sources: list[dict]) -> bool:
    kept = [
        {"url": s.url, "title": s.title, "publisher": s.publisher, "accessed_at": s.accessed_at}
        for s in current.sources.all()
    ]
    typed = [{**row, "title": row["title"].strip(), "publisher": row["publisher"].strip()} for row in sources]
    return (data["rating"], data["summary"].strip()) != (current.rating, current.summary) or typed != kept


def _back(claim: Claim):
    return redirect(reverse("admin:factcheck_claim_change", args=[claim.pk]) + "#desk-verdict")


def _show_again(model_admin, request, claim: Claim, form, formset):
    """Render the claim page (as a GET) with the bound verdict forms and their errors."""
    request.method = "GET"
    return model_admin.change_view(
        request, str(claim.pk), extra_context={"desk_verdict_form": form, "desk_source_formset": formset}
    )
