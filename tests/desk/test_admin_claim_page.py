"""The claim page: context, buttons per role, transition views, verdict editor, history."""

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from coverage.models import CoverageMatch
from factcheck.models import Claim, ClaimState, ReviewEvent, Source, Verdict
from factcheck.services.verdicts import verdict_save
from factcheck.workflow import transition
from tests.factories import ArticleFactory, ClaimFactory, PriorFactCheckFactory, SourceFactory, VerdictFactory

pytestmark = pytest.mark.django_db

BODY = "Intro. The minister said unemployment fell to 4.2% in March. Critics disagree."
SENTENCE = "The minister said unemployment fell to 4.2% in March."


def page_url(claim):
    return reverse("admin:factcheck_claim_change", args=[claim.pk])


def transition_url(claim, name):
    return reverse("admin:factcheck_claim_transition", args=[claim.pk, name])


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _buttons(response) -> set[str]:
    return {t.name for t in response.context["desk_transitions"]} - {"comment"}


@pytest.fixture
def claim():
    article = ArticleFactory(body=BODY)
    start = BODY.index(SENTENCE)
    return ClaimFactory(article=article, text=SENTENCE, start=start, end=start + len(SENTENCE))


def _researched(claim, fact_checker):
    transition(claim, "select", user=fact_checker)
    transition(claim, "start_research", user=fact_checker)
    verdict_save(
        claim=claim,
        user=fact_checker,
        headline="The figures say otherwise",
        rating="false",
        summary="Official statistics show it rose to 5.1% in March.",
        sources=[{"url": "https://stats.example.org/march", "title": "Labour market"}],
    )
    return claim


def test_page_shows_the_sentence_highlighted_in_its_article(client, editor, claim):
    client.force_login(editor)
    html = client.get(page_url(claim)).content.decode()
    assert f'<mark class="desk-hl desk-hl-current" title="">{SENTENCE}</mark>' in html
    assert "Intro. " in html and " Critics disagree." in html


def test_hostile_claim_and_article_text_are_escaped(client, editor):
    body = 'Before <img src=x onerror=alert(1)>. He said <script>alert("x")</script> is fine. After.'
    text = 'He said <script>alert("x")</script> is fine.'
    start = body.index(text)
    claim = ClaimFactory(article=ArticleFactory(body=body), text=text, start=start, end=start + len(text))
    client.force_login(editor)
    html = client.get(page_url(claim)).content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_stale_offsets_explain_instead_of_highlighting_wrong_text(client, editor):
    claim = ClaimFactory(article=ArticleFactory(body="Short."), text="Long gone sentence.", start=50, end=70)
    client.force_login(editor)
    response = client.get(page_url(claim))
    assert response.context["desk_article_context"] == ""
    assert "position in the article is not known" in response.content.decode()


def test_buttons_follow_role_and_state(client, reporter, fact_checker, editor, claim):
    client.force_login(reporter)
    assert _buttons(client.get(page_url(claim))) == set()
    client.force_login(fact_checker)
    assert _buttons(client.get(page_url(claim))) == {"select", "dismiss"}
    client.force_login(editor)
    assert _buttons(client.get(page_url(claim))) == {"select", "dismiss", "assign"}

    _researched(claim, fact_checker)
    transition(claim, "submit", user=fact_checker)
    client.force_login(fact_checker)
    assert _buttons(client.get(page_url(claim))) == set()
    client.force_login(editor)
    html_response = client.get(page_url(claim))
    assert _buttons(html_response) == {"request_changes", "approve", "assign"}
    html = html_response.content.decode()
    assert 'id="transition-approve"' in html and 'id="transition-publish"' not in html
    assert 'name="note" rows="2" required' in html  # request changes asks for a note


def test_author_sees_no_approve_button_two_person_rule(client, editor, claim):
    _researched(claim, editor)
    transition(claim, "submit", user=editor)
    client.force_login(editor)
    assert "approve" not in _buttons(client.get(page_url(claim)))


def test_transition_button_moves_the_claim_and_says_so(client, fact_checker, claim):
    client.force_login(fact_checker)
    response = client.post(transition_url(claim, "select"), {"version": claim.version})
    assert response.status_code == 302 and response["Location"] == page_url(claim)
    assert "Select for checking: done. The claim is now selected." in _messages(response)
    claim.refresh_from_db()
    assert claim.state == ClaimState.SELECTED
    assert ReviewEvent.objects.get(claim=claim).actor == fact_checker


def test_refused_transition_shows_the_reason(client, fact_checker, claim):
    transition(claim, "select", user=fact_checker)
    transition(claim, "start_research", user=fact_checker)
    client.force_login(fact_checker)
    response = client.post(transition_url(claim, "submit"), {"version": claim.version}, follow=True)
    assert "Submit for review: Write a verdict first" in response.content.decode()
    assert Claim.objects.get(pk=claim.pk).state == ClaimState.RESEARCHING


def test_refused_for_role_and_for_missing_note(client, fact_checker, reporter, claim):
    client.force_login(reporter)
    response = client.post(transition_url(claim, "select"), {"version": claim.version})
    assert any("Only a Fact-checker or an Editor may select claims" in m for m in _messages(response))
    client.force_login(fact_checker)
    response = client.post(transition_url(claim, "dismiss"), {"version": claim.version, "note": ""})
    assert any("needs a note" in m for m in _messages(response))
    assert Claim.objects.get(pk=claim.pk).state == ClaimState.CANDIDATE


def test_stale_page_transition_is_refused(client, fact_checker, editor, claim):
    client.force_login(fact_checker)
    old_version = claim.version
    transition(claim, "select", user=editor)
    response = client.post(transition_url(claim, "dismiss"), {"version": old_version, "note": "dup"})
    assert any("changed by another editor" in m for m in _messages(response))
    assert Claim.objects.get(pk=claim.pk).state == ClaimState.SELECTED


def test_assign_from_the_page(client, editor, fact_checker, claim):
    client.force_login(editor)
    page = client.get(page_url(claim))
    assert fact_checker in page.context["desk_assignees"]
    client.post(transition_url(claim, "assign"), {"version": claim.version, "assignee": fact_checker.pk})
    assert Claim.objects.get(pk=claim.pk).assignee == fact_checker


def test_transition_view_is_post_only_with_csrf_and_known_names(editor, claim):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    assert client.get(transition_url(claim, "select")).status_code == 405
    assert client.post(transition_url(claim, "select"), {"version": claim.version}).status_code == 403
    assert client.post(transition_url(claim, "explode")).status_code in (403, 404)
    Client().logout()
    anonymous = Client()
    response = anonymous.post(transition_url(claim, "select"))
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert Claim.objects.get(pk=claim.pk).state == ClaimState.CANDIDATE


def test_unknown_transition_is_404(client, editor, claim):
    client.force_login(editor)
    assert client.post(transition_url(claim, "explode")).status_code == 404


# --- verdict editor --------------------------------------------------------------------------


def verdict_url(claim):
    return reverse("admin:factcheck_claim_verdict", args=[claim.pk])


def _verdict_post(
    revision, rating="false", summary="It rose to 5.1% in March, the figures show.", sources=()
):
    data = {
        "verdict-rating": rating,
        "verdict-summary": summary,
        "verdict-revision": revision,
        "sources-TOTAL_FORMS": len(sources) + 1,
        "sources-INITIAL_FORMS": len(sources),
        "sources-MIN_NUM_FORMS": 0,
        "sources-MAX_NUM_FORMS": 50,
    }
    for i, source in enumerate(sources):
        for key, value in source.items():
            data[f"sources-{i}-{key}"] = value
    return data


def test_fact_checker_writes_a_verdict_with_a_source(client, fact_checker, claim):
    transition(claim, "select", user=fact_checker)
    client.force_login(fact_checker)
    page = client.get(page_url(claim))
    assert page.context["desk_may_edit_verdict"] is True
    response = client.post(
        verdict_url(claim),
        _verdict_post(0, sources=[{"url": "https://stats.example.org/a", "title": "Stats"}]),
    )
    assert response.status_code == 302
    verdict = Verdict.objects.get(claim=claim)
    assert (verdict.rating, verdict.author, verdict.revision) == ("false", fact_checker, 1)
    assert list(verdict.sources.values_list("url", flat=True)) == ["https://stats.example.org/a"]


def test_stale_verdict_save_is_refused_with_a_clear_message(client, fact_checker, editor, claim):
    _researched(claim, fact_checker)
    verdict = Verdict.objects.get(claim=claim)
    stale_revision = verdict.revision
    verdict_save(
        claim=claim,
        user=editor,
        rating="misleading",
        summary="Someone else's wording.",
        expected_revision=stale_revision,
    )
    client.force_login(fact_checker)
    response = client.post(verdict_url(claim), _verdict_post(stale_revision, rating="true"))
    assert response.status_code == 200  # the page again, with what was typed
    html = response.content.decode()
    assert "The verdict was not saved: This verdict was changed by another editor" in html
    assert Verdict.objects.get(claim=claim).rating == "misleading"


def test_removing_a_source_through_the_formset(client, fact_checker, claim):
    _researched(claim, fact_checker)
    verdict = Verdict.objects.get(claim=claim)
    client.force_login(fact_checker)
    data = _verdict_post(
        verdict.revision,
        summary=verdict.summary,
        sources=[{"url": "https://stats.example.org/march", "title": "Labour market", "DELETE": "on"}],
    )
    data["sources-1-url"] = "https://stats.example.org/april"
    client.post(verdict_url(claim), data)
    assert list(Source.objects.filter(verdict=verdict).values_list("url", flat=True)) == [
        "https://stats.example.org/april"
    ]


def test_bad_source_address_shows_the_form_error(client, fact_checker, claim):
    transition(claim, "select", user=fact_checker)
    client.force_login(fact_checker)
    response = client.post(verdict_url(claim), _verdict_post(0, sources=[{"url": "javascript:alert(1)"}]))
    assert response.status_code == 200
    assert "Enter a valid URL" in response.content.decode()
    assert not Verdict.objects.filter(claim=claim).exists()


def test_reporter_cannot_write_a_verdict(client, reporter, fact_checker, claim):
    transition(claim, "select", user=fact_checker)
    client.force_login(reporter)
    assert client.get(page_url(claim)).context["desk_may_edit_verdict"] is False
    response = client.post(verdict_url(claim), _verdict_post(0))
    assert "Only a Fact-checker or an Editor may write verdicts" in response.content.decode()
    assert not Verdict.objects.filter(claim=claim).exists()


def test_submitted_verdict_is_read_only_and_earlier_versions_shown(
    client, editor, other_editor, fact_checker, claim
):
    _researched(claim, fact_checker)
    for name, user in [("submit", fact_checker), ("approve", editor), ("publish", editor)]:
        transition(claim, name, user=user)
    transition(
        claim, "correct", user=other_editor, note="The April figure was revised.", rating="mostly_false"
    )
    transition(claim, "approve_correction", user=editor)
    client.force_login(editor)
    response = client.get(page_url(claim))
    assert response.context["desk_may_edit_verdict"] is False
    assert [v.version for v in response.context["desk_earlier_verdicts"]] == [1]
    html = response.content.decode()
    assert "Earlier versions" in html and "The April figure was revised." in html
    assert 'id="verdict_form"' not in html
    # Newest first.
    labels = [e.desk_label for e in response.context["desk_events"]]
    assert labels[-3:] == ["Verdict edited", "Start research", "Select for checking"]
    assert labels[:2] == ["Approve the correction", "Propose a correction"]


def _two_matches(claim):
    prior_fc = PriorFactCheckFactory(rating_text="Mostly false", url="javascript:alert(1)")
    CoverageMatch.objects.create(claim=claim, prior_factcheck=prior_fc, score=0.9, method="hybrid")
    ours = ClaimFactory(text="Unemployment is 4.2%.")
    SourceFactory(verdict=VerdictFactory(claim=ours, rating="false"))
    CoverageMatch.objects.create(claim=claim, prior_claim=ours, score=0.7, method="hybrid")


def test_prior_coverage_matches_are_on_the_claim_page(client, editor, claim):
    _two_matches(claim)
    client.force_login(editor)
    html = client.get(page_url(claim)).content.decode()
    assert "Mostly false" in html and "Unemployment is 4.2%." in html
    assert html.index("Mostly false") < html.index("Unemployment is 4.2%.")  # best score first


def test_correction_and_comment_from_the_page(client, editor, other_editor, fact_checker, claim):
    _researched(claim, fact_checker)
    for name, user in [("submit", fact_checker), ("approve", editor), ("publish", editor)]:
        transition(claim, name, user=user)
    client.force_login(other_editor)
    client.post(
        transition_url(claim, "correct"),
        {"version": claim.version, "note": "Revised figures.", "rating": "mostly_false", "summary": ""},
    )
    claim.refresh_from_db()
    client.force_login(editor)
    client.post(transition_url(claim, "approve_correction"), {"version": claim.version})
    current = Verdict.objects.get(claim=claim, is_current=True)
    assert (current.version, current.rating, current.correction_note) == (
        2,
        "mostly_false",
        "Revised figures.",
    )
    client.post(transition_url(claim, "comment"), {"note": "Flagged to the partner desk."})
    html = client.get(page_url(claim)).content.decode()
    assert "Flagged to the partner desk." in html and "Revised figures." in html


@pytest.mark.parametrize("size", [2, 40])
def test_claim_page_queries_do_not_grow_with_history(
    client, editor, fact_checker, claim, size, django_assert_max_num_queries
):
    _researched(claim, fact_checker)
    for i in range(size):
        transition(claim, "comment", user=fact_checker, note=f"Note {i}")
        CoverageMatch.objects.create(
            claim=claim, prior_factcheck=PriorFactCheckFactory(), score=0.5, method="lexical"
        )
    client.force_login(editor)
    with django_assert_max_num_queries(40) as captured:
        response = client.get(page_url(claim))
    assert response.status_code == 200 and len(response.context["desk_events"]) == size + 3
    print(f"claim page, {size} events and matches: {len(captured.captured_queries)} queries")


def test_page_says_why_the_extractor_scored_the_claim(client, editor):
    from factcheck.services.extraction import claims_extract

    article = ArticleFactory(
        body="Unemployment fell to 3.5% in 2023, the lowest since 1969, the minister said."
    )
    claims_extract(article_id=article.pk)
    claim = Claim.objects.get(article=article)
    client.force_login(editor)
    html = client.get(page_url(claim)).content.decode()
    assert "Why this score" in html and '<ul class="desk-why">' in html
    assert "number" in html and "raises (+" in html


def test_why_this_score_is_escaped_and_tolerates_odd_stored_features(client, editor, claim):
    claim.features = {"top": [["f:<script>x</script>", 0.5], ["bad"], [1, 2], ["words", True]], "factor": 0.8}
    claim.save(update_fields=["features"])
    client.force_login(editor)
    html = client.get(page_url(claim)).content.decode()
    assert "&lt;script&gt;x&lt;/script&gt;" in html and "<script>x</script>" not in html
    assert html.count("<li>") >= 1 and "x0.80: predictions and opinions rank lower" in html
    assert "raises (+0.50)" in html and "True" not in html.split('class="desk-why"')[1].split("</ul>")[0]


def test_a_pending_correction_is_shown_with_the_buttons_each_editor_may_take(
    client, editor, other_editor, fact_checker, claim
):
    _researched(claim, fact_checker)
    for name, user in [("submit", fact_checker), ("approve", editor), ("publish", editor)]:
        transition(claim, name, user=user)
    client.force_login(other_editor)
    client.post(
        transition_url(claim, "correct"),
        {
            "version": claim.version,
            "note": "The April figure was revised.",
            "rating": "mostly_false",
            "summary": "The rate rose to 5.1%, not 6%.",
        },
    )

    response = client.get(page_url(claim))
    html = response.content.decode()
    assert response.context["desk_current_verdict"].version == 1
    pending = response.context["desk_pending_correction"]
    assert (pending.version, pending.author) == (2, other_editor)
    assert response.context["desk_earlier_verdicts"] == []
    assert "Correction waiting for approval" in html and f"Proposed by {other_editor}" in html
    assert "The rate rose to 5.1%, not 6%." in html and "The April figure was revised." in html
    assert "Mostly false" in html
    # The proposer may withdraw it, not approve it; another Editor may do both.
    assert _buttons(response) >= {"withdraw_correction"}
    assert not _buttons(response) & {"approve_correction", "correct"}
    client.force_login(editor)
    response = client.get(page_url(claim))
    assert _buttons(response) >= {"approve_correction", "withdraw_correction"}
    assert "correct" not in _buttons(response)

    claim.refresh_from_db()
    client.force_login(other_editor)
    response = client.post(
        transition_url(claim, "approve_correction"), {"version": claim.version}, follow=True
    )
    assert any("another Editor must approve it" in m for m in _messages(response))
    assert Verdict.objects.get(claim=claim, is_current=True).version == 1
