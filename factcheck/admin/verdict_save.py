"""Saving the verdict editor of the claim page through ``factcheck.verdicts``.

One POST may change the rating and summary, remove sources and add new ones; all of it
happens in one transaction, so a refusal (stale revision, bad address, wrong state)
leaves nothing half-saved. On refusal the claim page is shown again with what was typed.
"""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse

from factcheck import verdicts
from factcheck.admin.verdict_forms import verdict_forms
from factcheck.models import Claim, Source
from factcheck.workflow import stale_reason


def save_verdict_from_post(model_admin, request, claim: Claim):
    current = claim.verdicts.filter(is_current=True).first()
    form, formset = verdict_forms(current, data=request.POST)
    if not (form.is_valid() and formset.is_valid()):
        messages.error(request, "The verdict was not saved; correct the errors below.")
        return _show_again(model_admin, request, claim, form, formset)
    remove_ids = {int(pk) for pk in request.POST.getlist("remove_source") if pk.isdigit()}
    try:
        with transaction.atomic():
            changed = _save(request, claim, current, form.cleaned_data, remove_ids, formset)
    except verdicts.VerdictEditRefused as exc:
        messages.error(request, f"The verdict was not saved: {exc.reason}")
        return _show_again(model_admin, request, claim, form, formset)
    messages.success(request, "Verdict saved." if changed else "Nothing to save: the verdict is unchanged.")
    return redirect(reverse("admin:factcheck_claim_change", args=[claim.pk]) + "#desk-verdict")


def _save(request, claim, current, data: dict, remove_ids: set[int], formset) -> bool:
    changed = False
    revision = data.get("revision") or 0
    if current is None or (data["rating"], data["summary"].strip()) != (current.rating, current.summary):
        verdicts.verdict_save(
            claim=claim,
            user=request.user,
            rating=data["rating"],
            summary=data["summary"],
            expected_revision=revision,
        )
        changed = True
    elif current.revision != revision:
        # Nothing typed differs, but the page was stale: say so rather than add to a changed verdict.
        raise verdicts.VerdictEditRefused(stale_reason(current, "verdict"))
    for source in Source.objects.filter(pk__in=remove_ids, verdict__claim=claim).select_related(
        "verdict__claim"
    ):
        verdicts.source_remove(source=source, user=request.user)
        changed = True
    for row in formset.cleaned_data:
        if row.get("url"):
            verdicts.source_add(
                claim=claim,
                user=request.user,
                url=row["url"],
                title=row.get("title", ""),
                publisher=row.get("publisher", ""),
                accessed_at=row.get("accessed_at"),
            )
            changed = True
    return changed


def _show_again(model_admin, request, claim: Claim, form, formset):
    """Render the claim page (as a GET) with the bound verdict forms and their errors."""
    request.method = "GET"
    return model_admin.change_view(
        request, str(claim.pk), extra_context={"desk_verdict_form": form, "desk_source_formset": formset}
    )
