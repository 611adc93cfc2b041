"""The dashboard each role wants: awaiting review at once, changes requested with the note,
drafts, counts that agree with the claim list, and charts with their numbers."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from factcheck.models import Claim, ClaimState
from factcheck.services.verdicts import verdict_save
from factcheck.workflow import transition
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db
DASHBOARD = reverse("admin:factcheck_claim_dashboard")


def _submitted(fact_checker):
    claim = ClaimFactory(text="Crime doubled in a year, the mayor said.")
    transition(claim, "select", user=fact_checker)
    transition(claim, "start_research", user=fact_checker)
    verdict_save(
        claim=claim,
        user=fact_checker,
        headline="Crime rose 3%",
        rating="false",
        summary="Police figures show a 3% rise in a year.",
        sources=[{"url": "https://police.example.org/2026"}],
    )
    transition(claim, "submit", user=fact_checker)
    return claim


def test_an_editor_sees_a_submission_at_once_and_the_author_sees_the_note(client, fact_checker, editor):
    claim = _submitted(fact_checker)
    client.force_login(editor)
    response = client.get(DASHBOARD)
    assert [c.pk for c in response.context["awaiting_review"]] == [claim.pk]
    transition(claim, "request_changes", user=editor, note="Cite the 2026 survey.")
    client.force_login(fact_checker)
    response = client.get(DASHBOARD)
    assert "awaiting_review" not in response.context  # not a Fact-checker's list
    (requested,) = response.context["changes_requested"]
    assert requested.pk == claim.pk and requested.last_note == "Cite the 2026 survey."
    assert "Editor's note: Cite the 2026 survey." in response.content.decode()
    assert [c.pk for c in response.context["my_drafts"]] == [claim.pk]


def test_an_editor_is_not_asked_to_review_a_verdict_he_wrote(client, editor):
    _submitted(editor)
    client.force_login(editor)
    assert client.get(DASHBOARD).context["awaiting_review"] == []


def test_counts_per_state_agree_with_the_claim_list(client, editor):
    for state, n in [(ClaimState.CANDIDATE, 3), (ClaimState.RESEARCHING, 2), (ClaimState.PUBLISHED, 1)]:
        for _ in range(n):
            ClaimFactory(state=state)
    client.force_login(editor)
    states = {s["key"]: s for s in client.get(DASHBOARD).context["states"]}
    for key, entry in states.items():
        listed = client.get(entry["url"]).context["cl"].result_count
        assert entry["count"] == listed, key


def test_charts_come_with_their_numbers(client, fact_checker, editor, other_editor):
    claim = _submitted(fact_checker)
    transition(claim, "approve", user=editor)
    transition(claim, "publish", user=other_editor)
    client.force_login(editor)
    response = client.get(DASHBOARD)
    html = response.content.decode()
    charts = {c["key"]: c for c in response.context["charts"]}
    assert set(charts) == {"flow", "leaving", "published", "backlog"}
    published = charts["published"]["data"]["series"]
    assert [(s["label"], sum(s["values"])) for s in published] == [("False", 1)]
    flow = {s["label"]: sum(s["values"]) for s in charts["flow"]["data"]["series"]}
    assert flow["Published"] == 1 and flow["In review"] == 1
    leaving = {s["label"]: sum(s["values"]) for s in charts["leaving"]["data"]["series"]}
    assert leaving["In review"] == 1 and leaving["Approved"] == 1 and leaving["Published"] == 0
    assert response.context["median_days_to_publish"] == 0.0
    assert html.count("<svg") >= 4 and 'class="desk-chart-data"' in html
    assert Claim.objects.filter(state=ClaimState.PUBLISHED).count() == 1


def test_only_a_review_past_the_wait_is_marked_late(client, fact_checker, editor, settings):
    settings.FACTCHECK_REVIEW_WAIT_HOURS = 24
    fresh = _submitted(fact_checker)
    old = _submitted(fact_checker)
    Claim.objects.filter(pk=old.pk).update(state_changed_at=timezone.now() - datetime.timedelta(hours=30))
    client.force_login(editor)
    html = client.get(DASHBOARD).content.decode()
    awaiting = html[html.index('id="desk-awaiting-review"') : html.index('id="desk-waiting"')]
    waiting = html[html.index('id="desk-waiting"') :]
    assert f"/{fresh.pk}/change/" in awaiting and f"/{old.pk}/change/" in awaiting
    assert 'class="desk-overdue"' not in awaiting  # submitted a moment ago is not late
    assert f"/{old.pk}/change/" in waiting and f"/{fresh.pk}/change/" not in waiting.split("</section>")[0]
    assert 'class="desk-overdue"' in waiting.split("</section>")[0]
