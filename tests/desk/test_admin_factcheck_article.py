"""The claim page as a fact-check editor: headline and explanation, edits carried by a
transition, every refusal explained, and no control that leads to a bare 403."""

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.messages import get_messages
from django.urls import reverse

from coverage.models import CoverageMatch
from factcheck.models import ClaimState, Verdict
from factcheck.services.verdicts import verdict_save
from factcheck.workflow import transition
from partners.services import tip_submit
from tests.factories import ClaimFactory, PartnerFactory, PriorFactCheckFactory, SourceFactory, VerdictFactory

pytestmark = pytest.mark.django_db

SUMMARY = "Official statistics show it rose to 5.1% in March."


def page_url(claim):
    return reverse("admin:factcheck_claim_change", args=[claim.pk])


def transition_url(claim, name):
    return reverse("admin:factcheck_claim_transition", args=[claim.pk, name])


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _researching(fact_checker, **verdict):
    claim = ClaimFactory()
    transition(claim, "select", user=fact_checker)
    transition(claim, "start_research", user=fact_checker)
    fields = {"headline": "Unemployment rose", "rating": "false", "summary": SUMMARY, **verdict}
    saved = verdict_save(
        claim=claim, user=fact_checker, sources=[{"url": "https://stats.example.org/march"}], **fields
    )
    claim.refresh_from_db()
    return claim, saved


def _verdict_post(verdict, **fields) -> dict:
    data = {
        "verdict-revision": verdict.revision,
        "verdict-headline": verdict.headline,
        "verdict-rating": verdict.rating,
        "verdict-summary": verdict.summary,
        "verdict-body": verdict.body,
        "sources-TOTAL_FORMS": "2",
        "sources-INITIAL_FORMS": "1",
        "sources-MIN_NUM_FORMS": "0",
        "sources-MAX_NUM_FORMS": "50",
        "sources-0-url": "https://stats.example.org/march",
        "sources-1-url": "",
    }
    data.update({f"verdict-{name}": value for name, value in fields.items()})
    return data


def test_a_transition_saves_the_verdict_edits_it_carries_before_it_is_taken(client, fact_checker):
    claim, verdict = _researching(fact_checker)
    client.force_login(fact_checker)
    edited = "Official statistics show it rose to 5.2% in March, not 4.2%."
    response = client.post(
        transition_url(claim, "submit"), {"version": claim.version, **_verdict_post(verdict, summary=edited)}
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    current = Verdict.objects.get(claim=claim, is_current=True)
    assert claim.state == ClaimState.IN_REVIEW
    assert current.summary == edited and current.revision == verdict.revision + 1
    assert any("short answer were saved first" in m for m in _messages(response))


def test_carried_edits_on_a_stale_verdict_refuse_the_transition_and_name_the_fields(
    client, fact_checker, editor
):
    claim, verdict = _researching(fact_checker)
    verdict_save(claim=claim, user=editor, rating="false", summary=SUMMARY, headline="Someone else's")
    client.force_login(fact_checker)
    response = client.post(
        transition_url(claim, "submit"),
        {"version": claim.version, **_verdict_post(verdict, summary="My newer text, typed here.")},
    )
    assert response.status_code == 200  # the page again, with what was typed
    html = response.content.decode()
    assert "My newer text, typed here." in html
    (message,) = [m for m in _messages(response) if "Submit for review was not done" in m]
    assert "short answer" in message and "changed by another editor" in message
    claim.refresh_from_db()
    assert claim.state == ClaimState.RESEARCHING


def test_every_unavailable_action_is_greyed_with_its_reason(client, fact_checker):
    claim, _ = _researching(fact_checker, headline="")
    client.force_login(fact_checker)
    html = client.get(page_url(claim)).content.decode()
    assert 'id="transition-submit" aria-disabled="true"' in html
    assert "The verdict needs a headline." in html
    assert "Waiting for" in html  # who acts next


def test_the_author_in_review_is_told_who_acts_next(client, fact_checker):
    claim, _ = _researching(fact_checker)
    transition(claim, "submit", user=fact_checker)
    client.force_login(fact_checker)
    response = client.get(page_url(claim))
    assert "Waiting for an Editor&#x27;s review" in response.content.decode()


def test_a_reporter_sees_no_match_decision_and_a_crafted_post_gets_a_page(client, reporter, editor):
    claim = ClaimFactory()
    prior = PriorFactCheckFactory(rating_text="False")
    match = CoverageMatch.objects.create(claim=claim, prior_factcheck=prior, score=0.9, method="hybrid")
    client.force_login(reporter)
    html = client.get(page_url(claim)).content.decode()
    for name in ("confirm", "reject", "use-verdict"):
        assert reverse(f"admin:coverage_coveragematch_{name}", args=[match.pk]) not in html
        response = client.post(reverse(f"admin:coverage_coveragematch_{name}", args=[match.pk]))
        assert response.status_code == 302 and response.url.endswith(page_url(claim))
        assert any("Only a Fact-checker or an Editor" in m for m in _messages(response))
    match.refresh_from_db()
    assert match.status == "suggested"
    # The form controls the reporter sees all work: only the comment box posts.
    assert 'action="' + transition_url(claim, "select") not in html
    response = client.post(transition_url(claim, "select"), {"version": claim.version})
    assert response.status_code == 302
    assert any("Only a Fact-checker or an Editor may select claims" in m for m in _messages(response))
    client.force_login(editor)
    assert (
        reverse("admin:coverage_coveragematch_confirm", args=[match.pk])
        in client.get(page_url(claim)).content.decode()
    )


def test_the_claim_as_checked_starts_as_the_sentence_and_can_be_adjusted(client, fact_checker):
    claim = ClaimFactory(text="He said crime doubled, which is a disgrace.")
    client.force_login(fact_checker)
    response = client.get(page_url(claim))
    assert response.context["adminform"].form.initial["checked_wording"] == claim.text
    data = {
        "checked_wording": "Crime doubled.",
        "claimant": "",
        "claim_type": "",
        "quote": "",
        "priority": 3,
        "due_date": "",
        "version": claim.version,
        "matches-TOTAL_FORMS": "0",
        "matches-INITIAL_FORMS": "0",
    }
    client.post(page_url(claim), data)
    claim.refresh_from_db()
    assert claim.checked_wording == "Crime doubled." and claim.checked_text == "Crime doubled."
    assert claim.text == "He said crime doubled, which is a disgrace."


def test_the_published_verdict_shows_its_explanation_sanitized(client, editor):
    claim = ClaimFactory(state=ClaimState.PUBLISHED)
    verdict = VerdictFactory(claim=claim, body="See [this](https://x.example). <script>alert(1)</script>")
    SourceFactory(verdict=verdict)
    client.force_login(editor)
    html = client.get(page_url(claim)).content.decode()
    assert '<a href="https://x.example" rel="nofollow noopener">this</a>' in html
    assert "<script>alert(1)</script>" not in html


def test_a_published_claim_links_to_its_public_page_and_history_shows_the_events(client, editor):
    claim = ClaimFactory(state=ClaimState.PUBLISHED)
    SourceFactory(verdict=VerdictFactory(claim=claim, published_at="2026-03-02T09:30:00Z"))
    client.force_login(editor)
    html = client.get(page_url(claim)).content.decode()
    assert "View on site" in html
    history = client.get(reverse("admin:factcheck_claim_history", args=[claim.pk]))
    assert history.status_code == 302 and history.url.endswith(page_url(claim) + "#desk-history")
    draft = ClaimFactory()
    assert "View on site" not in client.get(page_url(draft)).content.decode()


def test_a_partner_tip_shows_its_partner_address_and_context(client, fact_checker):
    partner = PartnerFactory(name="Civic Radio <b>")
    result = tip_submit(
        partner=partner,
        text="The bridge cost twice its budget.",
        url="https://radio.example/show/12",
        context="A caller said it on air <script>x</script>.",
    )
    client.force_login(fact_checker)
    html = client.get(page_url(result.claim)).content.decode()
    assert "Civic Radio &lt;b&gt;" in html
    assert 'href="https://radio.example/show/12"' in html
    assert "A caller said it on air &lt;script&gt;x&lt;/script&gt;." in html
    assert "no article to show" not in html


def test_desk_actions_appear_in_recent_actions(client, fact_checker):
    claim = ClaimFactory()
    client.force_login(fact_checker)
    client.post(transition_url(claim, "select"), {"version": claim.version})
    entry = LogEntry.objects.get(user=fact_checker, object_id=str(claim.pk))
    assert entry.get_change_message() == "Select for checking (now selected)"
    assert str(claim)[:20] in client.get(reverse("admin:index")).content.decode()
