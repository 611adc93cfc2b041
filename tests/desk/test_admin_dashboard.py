"""The desk dashboard (counts per state, my queue, review backlog) and the display helpers."""

import datetime

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from desk.admin.display import Span, claim_in_context, highlight, state_badge
from factcheck.models import Claim, ClaimState
from tests.factories import ClaimFactory

DASHBOARD = reverse("admin:factcheck_claim_dashboard")


def _in_review(hours_ago: float, **kwargs) -> Claim:
    return ClaimFactory(
        state=ClaimState.IN_REVIEW,
        state_changed_at=timezone.now() - datetime.timedelta(hours=hours_ago),
        **kwargs,
    )


@pytest.mark.django_db
@override_settings(FACTCHECK_REVIEW_WAIT_HOURS=24)
def test_dashboard_counts_queue_and_review_backlog(client, fact_checker, editor):
    ClaimFactory.create_batch(3)
    ClaimFactory(state=ClaimState.PUBLISHED, assignee=fact_checker)  # done: not in the queue
    mine = ClaimFactory(text="Mine to research.", state=ClaimState.RESEARCHING, assignee=fact_checker)
    old = _in_review(30, text="Waiting a long time.")
    _in_review(2, text="Just submitted.")
    client.force_login(fact_checker)
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    counts = {s["key"]: s["count"] for s in response.context["states"]}
    assert counts == {
        "candidate": 3,
        "dismissed": 0,
        "selected": 0,
        "researching": 1,
        "in_review": 2,
        "approved": 0,
        "published": 1,
    }
    assert response.context["my_queue"] == [mine]
    assert response.context["waiting"] == [old]
    html = response.content.decode()
    assert "Waiting for review longer than 24 hours" in html and "Just submitted." not in html
    assert f"{reverse('admin:factcheck_claim_changelist')}?state__exact=in_review" in html
    assert (response.context["overdue"], response.context["unassigned"]) == (0, 0)


@pytest.mark.django_db
def test_dashboard_counts_overdue_and_unassigned_work_and_links_to_them(client, editor, fact_checker):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    late = ClaimFactory(text="Late and unowned.", state=ClaimState.SELECTED, due_date=yesterday)
    ClaimFactory(state=ClaimState.PUBLISHED, due_date=yesterday)  # done: not overdue
    ClaimFactory(state=ClaimState.RESEARCHING, assignee=fact_checker)
    client.force_login(editor)
    response = client.get(DASHBOARD)
    assert (response.context["overdue"], response.context["unassigned"]) == (1, 1)
    listing = client.get(response.context["unassigned_url"])
    assert listing.status_code == 200
    assert [c.text for c in listing.context["cl"].result_list] == [late.text]


@pytest.mark.django_db
@override_settings(FACTCHECK_REVIEW_WAIT_HOURS=1)
def test_review_wait_is_configurable(client, editor):
    _in_review(2, text="Two hours.")
    client.force_login(editor)
    assert [c.text for c in client.get(DASHBOARD).context["waiting"]] == ["Two hours."]


@pytest.mark.django_db
def test_dashboard_is_linked_from_the_index_and_needs_login(client, editor):
    response = client.get(DASHBOARD)
    assert response.status_code == 302 and "/login/" in response["Location"]
    client.force_login(editor)
    assert DASHBOARD in client.get(reverse("admin:index")).content.decode()


# --- display helpers (pure) ---------------------------------------------------------------------


def test_highlight_escapes_everything_and_marks_spans():
    body = "<b>A</b> said x. B said <i>y</i>."
    out = highlight(body, [Span(0, 16, "c1", 'say "hi"'), Span(17, len(body), "c2")])
    assert out == (
        '<mark class="c1" title="say &quot;hi&quot;">&lt;b&gt;A&lt;/b&gt; said x.</mark> '
        '<mark class="c2" title="">B said &lt;i&gt;y&lt;/i&gt;.</mark>'
    )


def test_highlight_skips_overlapping_and_out_of_range_spans():
    body = "One. Two. Three."
    out = highlight(body, [Span(0, 4), Span(2, 9), Span(10, 99), Span(5, 5)])
    assert out == '<mark class="desk-hl" title="">One.</mark> Two. Three.'


def test_claim_in_context_cuts_at_spaces_and_marks_the_claim():
    body = "word " * 200 + "The <claim> here." + " tail" * 200
    start = body.index("The <claim>")
    out = claim_in_context(body, start, start + len("The <claim> here."), radius=20)
    assert out.startswith("… word") and out.endswith("tail …")
    assert '<mark class="desk-hl desk-hl-current" title="">The &lt;claim&gt; here.</mark>' in out
    assert claim_in_context(body, None, None) == "" and claim_in_context("short", 3, 99) == ""


def test_state_badge_has_a_text_label():
    assert ">In review</span>" in state_badge("in_review", "In review")
