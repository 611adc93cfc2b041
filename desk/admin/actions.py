"""Bulk actions of the claim list. Each claim goes through ``workflow.transition`` on its own,
so one refused claim does not stop the others; the user is told how many succeeded and
why the rest were refused, grouped by reason.
"""

from collections import defaultdict

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Q
from django.template.response import TemplateResponse

from factcheck import workflow

MAX_IDS_IN_MESSAGE = 10


class NoteForm(forms.Form):
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        max_length=5000,
        help_text="Saved with each claim's history.",
    )


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(queryset=get_user_model().objects.none(), label="Assign to")
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}), required=False, max_length=5000
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = assignable_users()


def assignable_users():
    """Active staff who may research claims (Fact-checkers, Editors, superusers): one query."""
    perm = Q(content_type__app_label="factcheck", codename="research_claim")
    holders = Q(groups__permissions__in=Permission.objects.filter(perm)) | Q(
        user_permissions__in=Permission.objects.filter(perm)
    )
    return (
        get_user_model()
        .objects.filter(Q(is_superuser=True) | holders, is_active=True, is_staff=True)
        .distinct()
        .order_by("username")
    )


def run_transition(request, queryset, name: str, verb: str, **params) -> None:
    """Apply transition ``name`` to each claim; message the successes and the refusals."""
    done = 0
    refused: dict[str, list[int]] = defaultdict(list)
    for claim in queryset.select_related("article"):
        try:
            workflow.transition(claim, name, user=request.user, **params)
        except workflow.TransitionNotAllowed as exc:
            refused[exc.reason].append(claim.pk)
        else:
            done += 1
    if done:
        messages.success(request, f"{verb} {done} claim{'s' if done != 1 else ''}.")
    for reason, ids in refused.items():
        shown = ", ".join(f"#{pk}" for pk in ids[:MAX_IDS_IN_MESSAGE])
        more = f" and {len(ids) - MAX_IDS_IN_MESSAGE} more" if len(ids) > MAX_IDS_IN_MESSAGE else ""
        messages.warning(
            request,
            f"{len(ids)} claim{'s' if len(ids) != 1 else ''} not {verb.lower()}: {reason} ({shown}{more})",
        )


def _intermediate(modeladmin, request, queryset, *, form, action: str, title: str, button: str):
    """The confirmation page: the selected claims, the form, and the hidden selection."""
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "form": form,
        "claims": queryset.select_related("article__outlet", "assignee")[:200],
        "count": queryset.count(),
        "action": action,
        "button": button,
        "opts": modeladmin.model._meta,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "selected_ids": request.POST.getlist(helpers.ACTION_CHECKBOX_NAME),
        "select_across": request.POST.get("select_across", "0"),
    }
    return TemplateResponse(request, "admin/factcheck/claim/bulk_confirm.html", context)


@admin.action(description="Select for checking", permissions=["select"])
def select_claims(modeladmin, request, queryset):
    run_transition(request, queryset, "select", "Selected")


@admin.action(description="Dismiss (asks for a note)…", permissions=["dismiss"])
def dismiss_claims(modeladmin, request, queryset):
    form = NoteForm(request.POST if "apply" in request.POST else None)
    if form.is_bound and form.is_valid():
        run_transition(request, queryset, "dismiss", "Dismissed", note=form.cleaned_data["note"])
        return None
    return _intermediate(
        modeladmin,
        request,
        queryset,
        form=form,
        action="dismiss_claims",
        title="Dismiss claims",
        button="Dismiss these claims",
    )


@admin.action(description="Assign to a user…", permissions=["assign"])
def assign_claims(modeladmin, request, queryset):
    form = AssignForm(request.POST if "apply" in request.POST else None)
    if form.is_bound and form.is_valid():
        run_transition(
            request,
            queryset,
            "assign",
            "Assigned",
            assignee=form.cleaned_data["assignee"],
            note=form.cleaned_data["note"],
        )
        return None
    return _intermediate(
        modeladmin,
        request,
        queryset,
        form=form,
        action="assign_claims",
        title="Assign claims",
        button="Assign",
    )
