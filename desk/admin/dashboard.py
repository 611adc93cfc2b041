"""The dashboard's per-role lists and its charts (server-side SVG, numbers beside each).

Each list and each chart is one query whatever the size of the desk; the SVG is built
here from plain numbers and escaped like any other output.
"""

import statistics
from datetime import timedelta

from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import TruncWeek
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from factcheck import ratings
from factcheck.models import Claim, ClaimState, ReviewEvent, Verdict

LIST_LIMIT = 25
WEEKS = 8
BACKLOG_BANDS = [
    (0, 1, "< 1 day"),
    (1, 3, "1–3 days"),
    (3, 7, "3–7 days"),
    (7, 30, "1–4 weeks"),
    (30, None, "> 4 weeks"),
]


def _latest_event(field: str) -> Subquery:
    return Subquery(ReviewEvent.objects.filter(claim=OuterRef("pk")).order_by("-at", "-id").values(field)[:1])


def _author_is(user) -> Q:
    authored = Verdict.objects.filter(claim=OuterRef("pk"), is_current=True, author=user)
    return Q(pk__in=authored.values("claim_id"))


def role_lists(user) -> dict:
    """Awaiting your review (Editors), changes requested, my drafts: each oldest first."""
    rows = Claim.objects.select_related("article__outlet", "assignee")
    lists: dict = {}
    if user.has_perm("factcheck.approve_claim"):
        # From the moment it is submitted; a verdict the Editor wrote is another Editor's to review.
        lists["awaiting_review"] = list(
            rows.filter(state=ClaimState.IN_REVIEW)
            .exclude(_author_is(user))
            .order_by("state_changed_at", "pk")[:LIST_LIMIT]
        )
    if user.has_perm("factcheck.submit_claim"):
        mine = Q(assignee=user) | _author_is(user)
        lists["changes_requested"] = list(
            rows.filter(mine, state=ClaimState.RESEARCHING)
            .annotate(last_transition=_latest_event("transition"), last_note=_latest_event("note"))
            .filter(last_transition="request_changes")
            .order_by("state_changed_at", "pk")[:LIST_LIMIT]
        )
        lists["my_drafts"] = list(
            rows.filter(mine, state__in=ClaimState.IN_WORK).order_by("state_changed_at", "pk")[:LIST_LIMIT]
        )
    return lists


# --- charts --------------------------------------------------------------------------


def _weeks(now) -> list:
    start = (now - timedelta(days=now.weekday())).replace(hour=0, minute=0, second=0, microsecond=0)
    return [start - timedelta(weeks=n) for n in range(WEEKS - 1, -1, -1)]


def _week_key(value):
    return value.date() if hasattr(value, "date") else value


def state_flow_charts(now=None) -> tuple[dict, dict]:
    """Claims entering and leaving each state per week, last ``WEEKS`` weeks, from one query.

    A review event that changes the state counts once for its target state (entering) and
    once for its source state (leaving); events that keep the state (edits, notes) count for
    neither. Candidates have no entering series: a claim is born a candidate, with no event.
    """
    now = now or timezone.now()
    weeks = _weeks(now)
    rows = (
        ReviewEvent.objects.filter(at__gte=weeks[0])
        .annotate(week=TruncWeek("at"))
        .values_list("week", "to_state", "from_state")
        .annotate(n=Count("id"))
        .order_by()
    )
    entering: dict = {}
    leaving: dict = {}
    for week, to_state, from_state, n in rows:
        if to_state != from_state:
            key = _week_key(week)
            entering[(key, to_state)] = entering.get((key, to_state), 0) + n
            leaving[(key, from_state)] = leaving.get((key, from_state), 0) + n
    labels = [f"{w:%d %b}" for w in weeks]

    def series(counts: dict, states) -> list[dict]:
        return [
            {"label": state.label, "values": [counts.get((w.date(), state.value), 0) for w in weeks]}
            for state in states
        ]

    return (
        {"labels": labels, "series": series(entering, [s for s in ClaimState if s != ClaimState.CANDIDATE])},
        {"labels": labels, "series": series(leaving, list(ClaimState))},
    )


def published_by_rating_chart(now=None) -> dict:
    """Fact-checks first published per week, by rating (the current verdict's)."""
    now = now or timezone.now()
    weeks = _weeks(now)
    rows = (
        Verdict.objects.filter(version=1, published_at__gte=weeks[0])
        .annotate(week=TruncWeek("published_at"))
        .values_list("week", "rating")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = {(_week_key(week), rating): n for week, rating, n in rows}
    series = [
        {"label": r.label, "values": [counts.get((w.date(), r.key), 0) for w in weeks]}
        for r in ratings.SCALE
        if any(counts.get((w.date(), r.key)) for w in weeks)
    ]
    return {"labels": [f"{w:%d %b}" for w in weeks], "series": series}


def backlog_age_chart(now=None) -> dict:
    """Open claims past triage (selected … approved) by how long since they entered their state."""
    now = now or timezone.now()
    open_states = ClaimState.OPEN - {ClaimState.CANDIDATE}
    filters = {}
    for n, (low, high, _label) in enumerate(BACKLOG_BANDS):
        q = Q(state__in=open_states, state_changed_at__lte=now - timedelta(days=low))
        if high is not None:
            q &= Q(state_changed_at__gt=now - timedelta(days=high))
        filters[f"band{n}"] = Count("id", filter=q)
    counts = Claim.objects.aggregate(**filters)
    values = [counts[f"band{n}"] for n in range(len(BACKLOG_BANDS))]
    return {
        "labels": [label for _, _, label in BACKLOG_BANDS],
        "series": [{"label": "Open claims", "values": values}],
    }


def median_days_to_publish(now=None) -> float | None:
    """Median days from ``select`` to the first ``publish`` of claims published in the last ``WEEKS`` weeks."""
    now = now or timezone.now()
    since = now - timedelta(weeks=WEEKS)
    events = (
        ReviewEvent.objects.filter(
            transition__in=("select", "publish"),
            claim__in=ReviewEvent.objects.filter(transition="publish", at__gte=since).values("claim_id"),
        )
        .values_list("claim_id", "transition", "at")
        .order_by("at")
    )
    first: dict = {}
    for claim_id, name, at in events:
        first.setdefault((claim_id, name), at)
    durations = [
        (first[(cid, "publish")] - first[(cid, "select")]).total_seconds() / 86400
        for (cid, name) in list(first)
        if name == "publish" and (cid, "select") in first
    ]
    return round(statistics.median(durations), 1) if durations else None


COLOURS = ["#0969da", "#1a7f37", "#9a6700", "#cf222e", "#8250df", "#bf3989", "#57606a", "#116329"]


def bar_chart_svg(chart: dict, *, title: str, width: int = 460, height: int = 180) -> str:
    """Stacked bars, one per label; ``aria-hidden`` because the table beside it carries the numbers."""
    labels, series = chart["labels"], chart["series"]
    totals = [sum(s["values"][i] for s in series) for i in range(len(labels))]
    top = max(totals, default=0) or 1
    slot = (width - 20) / max(len(labels), 1)
    plot = height - 30
    bars = []
    for i in range(len(labels)):
        y = plot
        for n, s in enumerate(series):
            value = s["values"][i]
            if not value:
                continue
            h = plot * value / top
            y -= h
            bars.append(
                (
                    f"{10 + i * slot + 4:.1f}",
                    f"{y:.1f}",
                    f"{slot - 8:.1f}",
                    f"{h:.1f}",
                    COLOURS[n % len(COLOURS)],
                )
            )
    rects = format_html_join("", '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"></rect>', bars)
    ticks = format_html_join(
        "",
        '<text x="{}" y="{}" font-size="10" text-anchor="middle">{}</text>',
        ((f"{10 + i * slot + slot / 2:.1f}", height - 12, label) for i, label in enumerate(labels)),
    )
    legend = format_html_join(
        "",
        '<span class="desk-legend"><span class="desk-swatch" style="background:{}"></span>{}</span>',
        ((COLOURS[n % len(COLOURS)], s["label"]) for n, s in enumerate(series)),
    )
    return format_html(
        '<figure class="desk-chart"><svg role="img" aria-hidden="true" focusable="false" viewBox="0 0 {} {}" width="{}" height="{}">'
        "<title>{}</title>{}{}</svg><figcaption>{}</figcaption></figure>",
        width,
        height,
        width,
        height,
        title,
        rects,
        ticks,
        legend,
    )


def charts_context(now=None) -> dict:
    entering, leaving = state_flow_charts(now)
    charts = [
        ("flow", "Claims entering each state per week", entering),
        ("leaving", "Claims leaving each state per week", leaving),
        ("published", "Fact-checks published per week, by rating", published_by_rating_chart(now)),
        ("backlog", "Age of the open backlog (time in its current state)", backlog_age_chart(now)),
    ]
    return {
        "charts": [
            {"key": key, "title": title, "svg": bar_chart_svg(chart, title=title), "data": chart}
            for key, title, chart in charts
        ],
        "median_days_to_publish": median_days_to_publish(now),
    }
