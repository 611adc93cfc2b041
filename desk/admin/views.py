"""Extra admin views of the claim desk: transition buttons, verdict saves, the dashboard.

Each is wrapped by ``admin_site.admin_view`` (staff login, CSRF protection, no caching);
the state-changing ones accept POST only and check permissions before calling a service.
"""

from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from desk.admin import display
from desk.admin.filters import overdue_q
from desk.admin.verdict_save import save_verdict_from_post
from factcheck import ratings, workflow
from factcheck.models import Claim, ClaimState

QUEUE_LIMIT = 25
# Claims someone should be working on, in the diagram's order (for the "unassigned" link).
WORK_STATES = [state for state in ClaimState.values if state in ClaimState.IN_WORK]


class TransitionForm(forms.Form):
    """What a transition button posts; ``assignee``, ``rating`` and ``summary`` only for some."""

    note = forms.CharField(required=False, max_length=5000, strip=True)
    version = forms.IntegerField(required=False, min_value=1)
    assignee = forms.ModelChoiceField(queryset=get_user_model().objects.all(), required=False)
    rating = forms.ChoiceField(choices=[("", ""), *ratings.CHOICES], required=False)
    summary = forms.CharField(required=False, max_length=10_000)

    def params_for(self, spec) -> dict:
        """The keyword parameters ``spec`` accepts, from what was posted."""
        data = self.cleaned_data
        params = {}
        if "assignee" in spec.params and data.get("assignee") is not None:
            params["assignee"] = data["assignee"]
        for name in ("rating", "summary"):
            if name in spec.params and data.get(name):
                params[name] = data[name]
        return params


def _change_url(claim_id: int) -> str:
    return reverse("admin:factcheck_claim_change", args=[claim_id])


def transition(model_admin):
    """POST ``<id>/transition/<name>/``: run one transition, report success or the refusal reason."""

    @require_POST
    def view(request, object_id: int, name: str):
        if name not in workflow.TRANSITIONS:
            raise Http404(f"No transition named {name!r}")
        claim = get_object_or_404(Claim.objects.select_related("article"), pk=object_id)
        if not model_admin.has_view_permission(request, claim):
            raise PermissionDenied
        form = TransitionForm(request.POST)
        spec = workflow.TRANSITIONS[name]
        if not form.is_valid():
            problems = "; ".join(f"{field}: {' '.join(errors)}" for field, errors in form.errors.items())
            messages.error(request, f"{spec.label}: {problems}")
            return redirect(_change_url(claim.pk))
        label = spec.label
        try:
            claim = workflow.transition(
                claim,
                name,
                user=request.user,
                note=form.cleaned_data["note"],
                expected_version=form.cleaned_data["version"],
                **form.params_for(spec),
            )
        except workflow.TransitionNotAllowed as exc:
            messages.error(request, f"{label}: {exc.reason}")
        else:
            messages.success(request, f"{label}: done. The claim is now {claim.get_state_display().lower()}.")
        return redirect(_change_url(claim.pk))

    return view


def verdict_save(model_admin):
    """POST ``<id>/verdict/``: save the current verdict and its sources, refusing stale edits."""

    @require_POST
    def view(request, object_id: int):
        claim = get_object_or_404(Claim, pk=object_id)
        if not model_admin.has_view_permission(request, claim):
            raise PermissionDenied
        return save_verdict_from_post(model_admin, request, claim)

    return view


def dashboard(model_admin):
    """GET ``desk/``: counts per state, my queue, and what has waited too long for review."""

    def view(request):
        if not model_admin.has_view_permission(request):
            raise PermissionDenied
        return TemplateResponse(
            request,
            "admin/factcheck/dashboard.html",
            {**model_admin.admin_site.each_context(request), **dashboard_context(request)},
        )

    return view


def dashboard_context(request) -> dict:
    """Three queries whatever the size of the desk: counts, my queue, the review backlog."""
    counts = dict(Claim.objects.order_by().values_list("state").annotate(n=Count("id")))
    attention = Claim.objects.aggregate(
        overdue=Count("id", filter=overdue_q(timezone.localdate())),
        unassigned=Count("id", filter=Q(assignee__isnull=True, state__in=WORK_STATES)),
    )
    changelist = reverse("admin:factcheck_claim_changelist")
    states = [
        {
            "key": state.value,
            "label": state.label,
            "count": counts.get(state.value, 0),
            "badge": display.state_badge(state.value, state.label),
            "url": f"{changelist}?state__exact={state.value}",
        }
        for state in ClaimState
    ]
    hours = settings.FACTCHECK_REVIEW_WAIT_HOURS
    cutoff = timezone.now() - timedelta(hours=hours)
    rows = Claim.objects.select_related("article__outlet", "assignee")
    my_queue = list(
        rows.filter(assignee=request.user, state__in=ClaimState.OPEN).order_by(
            "priority", F("due_date").asc(nulls_last=True), "-checkworthiness"
        )[:QUEUE_LIMIT]
    )
    waiting = list(
        rows.filter(state=ClaimState.IN_REVIEW, state_changed_at__lt=cutoff).order_by("state_changed_at")[
            :QUEUE_LIMIT
        ]
    )
    now = timezone.now()
    for claim in my_queue + waiting:
        claim.desk_badge = display.state_badge(claim.state, claim.get_state_display())
        claim.desk_waited = now - claim.state_changed_at
        claim.desk_overdue = claim.due_date is not None and claim.due_date < timezone.localdate()
    return {
        "title": "Desk dashboard",
        "states": states,
        "total": sum(counts.values()),
        "overdue": attention["overdue"],
        "overdue_url": f"{changelist}?due=overdue",
        "unassigned": attention["unassigned"],
        "unassigned_url": f"{changelist}?assignee=none&state__in={','.join(WORK_STATES)}",
        "my_queue": my_queue,
        "waiting": waiting,
        "wait_hours": hours,
        "changelist_url": changelist,
        "my_queue_url": f"{changelist}?assignee=me",
    }
