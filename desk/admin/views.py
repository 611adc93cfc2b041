"""Extra admin views of the claim desk: transition buttons, verdict saves, the dashboard,
and the page where a desk user sets their public name.

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

from desk.admin import display, grouping
from desk.admin.dashboard import charts_context, role_lists
from desk.admin.filters import overdue_q
from desk.admin.verdict_save import (
    UnsavedVerdict,
    save_carried_verdict,
    save_verdict_from_post,
    show_verdict_again,
)
from factcheck import ratings, workflow
from factcheck.models import Claim, ClaimState, DeskProfile, public_name
from factcheck.services.profiles import DISPLAY_NAME_MAX_CHARS, ProfileEditRefused, profile_set_display_name

QUEUE_LIMIT = 25
# Claims someone should be working on, in the diagram's order (for the "unassigned" link).
WORK_STATES = [state for state in ClaimState.values if state in ClaimState.IN_WORK]


class TransitionForm(forms.Form):
    """What a transition button posts; ``assignee``, ``rating`` and ``summary`` only for some."""

    note = forms.CharField(required=False, max_length=5000, strip=True)
    version = forms.IntegerField(required=False, min_value=1)
    assignee = forms.ModelChoiceField(queryset=get_user_model().objects.all(), required=False)
    rating = forms.ChoiceField(choices=[("", ""), *ratings.CHOICES], required=False)
    headline = forms.CharField(required=False, max_length=300)
    summary = forms.CharField(required=False, max_length=10_000)
    body = forms.CharField(required=False, max_length=100_000)

    def params_for(self, spec) -> dict:
        """The keyword parameters ``spec`` accepts, from what was posted."""
        data = self.cleaned_data
        params: dict = {}
        if "assignee" in spec.params and data.get("assignee") is not None:
            params["assignee"] = data["assignee"]
        for name in ("rating", "headline", "summary"):
            if name in spec.params and data.get(name):
                params[name] = data[name]
        if "body" in spec.params and "body" in self.data:
            params["body"] = data.get("body") or ""
        if "sources" in spec.params and "source_url" in self.data:
            params["sources"] = posted_sources(self.data)
        return params


def posted_sources(data) -> list[dict]:
    """The correction's source rows (parallel ``source_url``/``title``/``publisher`` lists);
    a row without an address is dropped: that is how a source is removed."""
    urls, titles = data.getlist("source_url"), data.getlist("source_title")
    publishers = data.getlist("source_publisher")
    rows = []
    for i, url in enumerate(urls[:100]):
        if not url.strip():
            continue
        title = titles[i] if i < len(titles) else ""
        publisher = publishers[i] if i < len(publishers) else ""
        rows.append({"url": url.strip(), "title": title.strip(), "publisher": publisher.strip()})
    return rows


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
            return _refuse(request, "You may not see this claim.", reverse("admin:index"))
        form = TransitionForm(request.POST)
        spec = workflow.TRANSITIONS[name]
        if not form.is_valid():
            problems = "; ".join(f"{field}: {' '.join(errors)}" for field, errors in form.errors.items())
            messages.error(request, f"{spec.label}: {problems}")
            return redirect(_change_url(claim.pk))
        label = spec.label
        # The verdict form on the page rides along: its edits are saved first, or the
        # transition is not taken and the page comes back with what was typed.
        try:
            saved = save_carried_verdict(request, claim) if claim.state in ClaimState.IN_WORK else []
        except UnsavedVerdict as exc:
            messages.error(request, f"{label} was not done: {exc.reason}.")
            return show_verdict_again(model_admin, request, claim)
        if saved:
            messages.info(request, f"Your edits of the {', '.join(saved)} were saved first.")
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
            # The admin's "Recent actions" lists desk work too.
            model_admin.log_change(request, claim, f"{label} (now {claim.get_state_display().lower()})")
        return redirect(_change_url(claim.pk))

    return view


def _refuse(request, reason: str, url: str):
    """A refused POST: back to an admin page with the reason, never a bare 403 body."""
    messages.error(request, reason)
    return redirect(url)


def verdict_save(model_admin):
    """POST ``<id>/verdict/``: save the current verdict and its sources, refusing stale edits."""

    @require_POST
    def view(request, object_id: int):
        claim = get_object_or_404(Claim, pk=object_id)
        if not model_admin.has_view_permission(request, claim):
            return _refuse(request, "You may not see this claim.", reverse("admin:index"))
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
            {
                **model_admin.admin_site.each_context(request),
                **dashboard_context(request),
                **grouping.reappeared_context(),
            },
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
    lists = role_lists(request.user)
    for claim in [c for rows_ in lists.values() for c in rows_]:
        claim.desk_badge = display.state_badge(claim.state, claim.get_state_display())
        claim.desk_overdue = claim.due_date is not None and claim.due_date < timezone.localdate()
    return {
        **lists,
        **charts_context(),
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


class PublicNameForm(forms.Form):
    """The byline name; the service strips and checks it (``display_name_clean``)."""

    display_name = forms.CharField(
        label="Public name",
        required=False,
        strip=False,
        widget=forms.TextInput(
            attrs={"maxlength": DISPLAY_NAME_MAX_CHARS, "size": 40, "autocomplete": "name"}
        ),
    )


def public_name_page(model_admin):
    """GET/POST ``desk/public-name/``: the signed-in desk user sets the name on their bylines."""

    def view(request):
        if not model_admin.has_view_permission(request):
            return _refuse(request, "Only desk users have a public name.", reverse("admin:index"))
        user = request.user
        profile = DeskProfile.objects.filter(user=user).first()
        if profile is not None:
            user.desk_profile = profile
        form = PublicNameForm(initial={"display_name": profile.display_name if profile else ""})
        if request.method == "POST":
            form = PublicNameForm(request.POST)
            if form.is_valid():
                try:
                    profile_set_display_name(user=user, name=form.cleaned_data["display_name"])
                except ProfileEditRefused as exc:
                    form.add_error("display_name", exc.reason)
                    messages.error(request, f"Your public name was not saved: {exc.reason}")
                else:
                    messages.success(request, f"Saved. Your bylines now read “By {public_name(user)}”.")
                    return redirect("admin:factcheck_claim_public_name")
            else:
                messages.error(
                    request, f"Your public name was not saved: {' '.join(form.errors['display_name'])}"
                )
        return TemplateResponse(
            request,
            "admin/factcheck/public_name.html",
            {
                **model_admin.admin_site.each_context(request),
                "title": "Your public name",
                "form": form,
                "byline_name": public_name(user),
                "full_name": user.get_full_name().strip(),
                "username": user.get_username(),
            },
        )

    return view
