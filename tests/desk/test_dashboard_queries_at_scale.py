"""The dashboard costs the same number of queries with 10 claims on the desk as with 10,000.

The rows are spread over every state, twelve weeks of review events and published verdicts
of every rating, so each list, count and chart has data to read at both sizes.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from factcheck import ratings
from factcheck.models import Claim, ClaimState, ReviewEvent, Verdict

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("admin:factcheck_claim_dashboard")
STATES = [value for value, _ in ClaimState.choices]
RATINGS = [value for value, _ in ratings.CHOICES]


def _fill_desk(rows: int, fact_checker, editor) -> None:
    now = timezone.now()
    claims = Claim.objects.bulk_create(
        Claim(
            text=f"Claim number {n} says the budget grew by {n} percent.",
            fingerprint=f"fp{n}",
            state=STATES[n % len(STATES)],
            state_changed_at=now - datetime.timedelta(hours=n % (24 * 7 * 12)),
            assignee=fact_checker if n % 3 else None,
        )
        for n in range(rows)
    )
    events, verdicts = [], []
    for n, claim in enumerate(claims):
        at = claim.state_changed_at
        events.append(
            ReviewEvent(
                claim=claim,
                actor=fact_checker,
                transition="select",
                from_state="candidate",
                to_state="selected",
                at=at - datetime.timedelta(days=3),
            )
        )
        if claim.state != ClaimState.CANDIDATE:
            events.append(
                ReviewEvent(
                    claim=claim,
                    actor=editor,
                    transition="publish",
                    from_state="approved",
                    to_state=claim.state,
                    at=at,
                )
            )
        if claim.state in (ClaimState.IN_REVIEW, ClaimState.APPROVED, ClaimState.PUBLISHED):
            verdicts.append(
                Verdict(
                    claim=claim,
                    rating=RATINGS[n % len(RATINGS)],
                    headline=f"Headline {n}",
                    summary="The figure is wrong.",
                    author=fact_checker,
                    reviewer=editor if claim.state != ClaimState.IN_REVIEW else None,
                    published_at=at if claim.state == ClaimState.PUBLISHED else None,
                )
            )
    ReviewEvent.objects.bulk_create(events, batch_size=2000)
    Verdict.objects.bulk_create(verdicts, batch_size=2000)


@pytest.mark.parametrize("rows", [10, 10_000])
@pytest.mark.parametrize("role", ["reporter", "fact_checker", "editor"])
def test_dashboard_queries_do_not_grow_with_the_desk(
    client, fact_checker, editor, django_assert_max_num_queries, rows, role, request
):
    _fill_desk(rows, fact_checker, editor)
    assert Claim.objects.count() == rows
    client.force_login(request.getfixturevalue(role))
    client.get(DASHBOARD)  # warm the session and permission caches
    with django_assert_max_num_queries(16) as captured:
        response = client.get(DASHBOARD)
    assert response.status_code == 200
    # The counts per state cover every claim on the desk, at both sizes.
    assert response.context["total"] == rows
    assert sum(state["count"] for state in response.context["states"]) == rows
    print(f"dashboard as {role}, {rows} claims: {len(captured.captured_queries)} queries")
