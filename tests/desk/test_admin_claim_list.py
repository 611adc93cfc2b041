"""The claim list of the desk, driven through the test client: columns, filters, search,
ordering, bulk actions (with their confirmation pages and messages) and query counts."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from coverage.models import CoverageMatch
from factcheck.models import Claim, ClaimState, ReviewEvent
from factcheck.workflow import transition
from tests.factories import (
    ArticleFactory,
    ClaimFactory,
    OutletFactory,
    PriorFactCheckFactory,
    SourceFactory,
    VerdictFactory,
)

pytestmark = pytest.mark.django_db

LIST = reverse("admin:factcheck_claim_changelist")


# The coverage inline's management form, as the browser posts it (no rows changed).
NO_INLINES = {"matches-TOTAL_FORMS": 0, "matches-INITIAL_FORMS": 0, "_save": "1"}


def _texts(response) -> set[str]:
    return {claim.text for claim in response.context["cl"].result_list}


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _match(claim, score, **kwargs):
    return CoverageMatch.objects.create(
        claim=claim, prior_factcheck=PriorFactCheckFactory(), score=score, method="lexical", **kwargs
    )


@pytest.fixture
def desk(fact_checker):
    """A small desk: claims in several states, outlets, bands, matches and verdicts."""
    ledger, post = OutletFactory(name="Daily Ledger"), OutletFactory(name="Morning Post")
    jobs = ArticleFactory(outlet=ledger, title="Jobs figures spark row")
    trade = ArticleFactory(outlet=post, title="Trade deal one year on")
    claims = {
        "high": ClaimFactory(text="Unemployment fell to 4.2%.", article=jobs, checkworthiness=0.95),
        "medium": ClaimFactory(
            text="Exports rose by 30%.", article=trade, checkworthiness=0.6, claimant="The PM"
        ),
        "low": ClaimFactory(text="The bridge halves commutes.", article=trade, checkworthiness=0.3),
        "mine": ClaimFactory(text="Crime doubled.", checkworthiness=0.7, assignee=fact_checker),
        "overdue": ClaimFactory(
            text="Waiting lists grew 12%.",
            checkworthiness=0.5,
            due_date=timezone.localdate() - datetime.timedelta(days=2),
            priority=1,
        ),
    }
    _match(claims["high"], 0.91, is_strong=True)
    _match(claims["high"], 0.42)
    _match(claims["medium"], 0.55)
    VerdictFactory(claim=claims["mine"], rating="misleading")
    return claims


def test_list_shows_the_desk_columns(client, editor, desk):
    client.force_login(editor)
    response = client.get(LIST)
    assert response.status_code == 200
    html = response.content.decode()
    for header in [
        "Claim",
        "Claimant",
        "Article / outlet",
        "Worthiness",
        "State",
        "Assignee",
        "Prior match",
        "Rating",
        "Priority",
        "Due",
        "Updated",
    ]:
        assert f">{header}<" in html or f">{header}</a>" in html, header
    assert 'class="desk-badge desk-state-candidate"' in html and ">Candidate</span>" in html
    assert "Daily Ledger" in html and "Jobs figures spark row" in html
    assert "0.91" in html  # best match score, not the weaker 0.42
    assert ">Misleading<" in html
    assert 'class="desk-overdue"' in html


def test_default_order_is_checkworthiness_then_newest(client, editor, desk):
    client.force_login(editor)
    twin = ClaimFactory(text="A newer claim as worthy as the best.", checkworthiness=0.95)
    rows = list(client.get(LIST).context["cl"].result_list)
    assert [c.text for c in rows[:2]] == [twin.text, desk["high"].text]
    assert [c.checkworthiness for c in rows] == sorted((c.checkworthiness for c in rows), reverse=True)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("state__exact=candidate", {"high", "medium", "low", "mine", "overdue"}),
        ("worthiness=high", {"high"}),
        ("worthiness=medium", {"medium", "mine", "overdue"}),
        ("worthiness=low", {"low"}),
        ("coverage=yes", {"high", "medium"}),
        ("coverage=strong", {"high"}),
        ("coverage=no", {"low", "mine", "overdue"}),
        ("rating=misleading", {"mine"}),
        ("rating=none", {"high", "medium", "low", "overdue"}),
        ("priority__exact=1", {"overdue"}),
        ("due=overdue", {"overdue"}),
        ("due=none", {"high", "medium", "low", "mine"}),
        ("assignee=none", {"high", "medium", "low", "overdue"}),
    ],
)
def test_each_filter_narrows_the_list(client, editor, desk, query, expected):
    client.force_login(editor)
    response = client.get(f"{LIST}?{query}")
    assert response.status_code == 200
    assert _texts(response) == {desk[key].text for key in expected}


def test_assignee_filter_me_and_by_user(client, fact_checker, editor, desk):
    client.force_login(fact_checker)
    assert _texts(client.get(f"{LIST}?assignee=me")) == {desk["mine"].text}
    client.force_login(editor)
    assert _texts(client.get(f"{LIST}?assignee=me")) == set()
    assert _texts(client.get(f"{LIST}?assignee={fact_checker.pk}")) == {desk["mine"].text}


def test_outlet_filter(client, editor, desk):
    client.force_login(editor)
    outlet = desk["medium"].article.outlet
    response = client.get(f"{LIST}?article__outlet__id__exact={outlet.pk}")
    assert _texts(response) == {desk["medium"].text, desk["low"].text}


def test_outlet_filter_offers_the_outlets_with_articles(client, editor, desk):
    OutletFactory(name="Silent Gazette")  # no articles: not offered
    client.force_login(editor)
    response = client.get(LIST)
    spec = next(
        s for s in response.context["cl"].filter_specs if getattr(s, "field_path", "") == "article__outlet"
    )
    names = {name for _, name in spec.lookup_choices}
    assert {"Daily Ledger", "Morning Post"} <= names
    assert "Silent Gazette" not in names


def test_overdue_ignores_published_and_dismissed(client, editor, desk):
    desk["overdue"].state = ClaimState.DISMISSED
    desk["overdue"].save()
    client.force_login(editor)
    assert _texts(client.get(f"{LIST}?due=overdue")) == set()


@pytest.mark.parametrize(("term", "key"), [("4.2%", "high"), ("The PM", "medium"), ("Jobs figures", "high")])
def test_search_by_text_claimant_and_article_title(client, editor, desk, term, key):
    client.force_login(editor)
    assert _texts(client.get(LIST, {"q": term})) == {desk[key].text}


def test_state_is_never_a_form_field(client, editor, desk):
    client.force_login(editor)
    claim = desk["high"]
    page = client.get(reverse("admin:factcheck_claim_change", args=[claim.pk]))
    assert "state" not in page.context["adminform"].form.fields
    assert "assignee" not in page.context["adminform"].form.fields
    response = client.post(
        reverse("admin:factcheck_claim_change", args=[claim.pk]),
        {"claimant": "Minister", "priority": 2, "version": claim.version, "state": "published", **NO_INLINES},
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert (claim.state, claim.claimant, claim.priority, claim.version) == ("candidate", "Minister", 2, 2)


def test_stale_claim_form_is_refused(client, editor, desk):
    client.force_login(editor)
    claim = desk["high"]
    Claim.objects.filter(pk=claim.pk).update(version=5, priority=4)
    response = client.post(
        reverse("admin:factcheck_claim_change", args=[claim.pk]),
        {"claimant": "Overwrite", "priority": 1, "version": 1, **NO_INLINES},
    )
    assert response.status_code == 200
    assert "This claim was changed by another editor at " in response.content.decode()
    claim.refresh_from_db()
    assert (claim.claimant, claim.priority, claim.version) == ("The minister", 4, 5)


# --- bulk actions --------------------------------------------------------------------------


def _action(client, name, claims, **extra):
    data = {"action": name, "_selected_action": [c.pk for c in claims], **extra}
    return client.post(LIST, data, follow=False)


def test_bulk_select_reports_successes_and_refusals(client, fact_checker, desk):
    transition(desk["low"], "select", user=fact_checker)
    client.force_login(fact_checker)
    response = _action(client, "select_claims", [desk["high"], desk["medium"], desk["low"]])
    assert response.status_code == 302
    messages = _messages(response)
    assert "Selected 2 claims." in messages
    refusal = next(m for m in messages if m.startswith("1 claim not selected"))
    assert "not possible while the claim is Selected" in refusal and f"#{desk['low'].pk}" in refusal
    assert Claim.objects.filter(state=ClaimState.SELECTED).count() == 3


def test_reporter_has_no_bulk_actions(client, reporter, desk):
    client.force_login(reporter)
    response = client.get(LIST)
    form = response.context["action_form"]
    choices = [name for name, _ in form.fields["action"].choices] if form else []
    assert not {"select_claims", "dismiss_claims", "assign_claims"} & set(choices)
    _action(client, "select_claims", [desk["high"]])
    assert Claim.objects.get(pk=desk["high"].pk).state == ClaimState.CANDIDATE


def test_fact_checker_cannot_bulk_assign(client, fact_checker, desk):
    client.force_login(fact_checker)
    choices = [n for n, _ in client.get(LIST).context["action_form"].fields["action"].choices]
    assert "select_claims" in choices and "dismiss_claims" in choices and "assign_claims" not in choices


def test_bulk_dismiss_asks_for_a_note_then_dismisses(client, fact_checker, desk):
    client.force_login(fact_checker)
    claims = [desk["high"], desk["low"]]
    page = _action(client, "dismiss_claims", claims)
    assert page.status_code == 200
    assert page.templates[0].name == "admin/factcheck/claim/bulk_confirm.html"
    assert 'name="note"' in page.content.decode()
    assert Claim.objects.filter(state=ClaimState.DISMISSED).count() == 0

    empty = _action(client, "dismiss_claims", claims, apply="1", note="  ")
    assert empty.status_code == 200 and "This field is required" in empty.content.decode()

    done = _action(client, "dismiss_claims", claims, apply="1", note="Opinion, not checkable.")
    assert done.status_code == 302
    assert "Dismissed 2 claims." in _messages(done)
    events = ReviewEvent.objects.filter(transition="dismiss")
    assert {e.note for e in events} == {"Opinion, not checkable."} and events.count() == 2


def test_bulk_assign_picks_a_user_and_reports_refusals(client, editor, fact_checker, desk):
    client.force_login(editor)
    page = _action(client, "assign_claims", [desk["high"], desk["mine"]])
    assert page.status_code == 200
    assignees = page.context["form"].fields["assignee"].queryset
    assert fact_checker in assignees and editor in assignees
    done = _action(client, "assign_claims", [desk["high"], desk["mine"]], apply="1", assignee=fact_checker.pk)
    messages = _messages(done)
    assert "Assigned 1 claim." in messages
    assert any("1 claim not assigned: The claim is already assigned to" in m for m in messages)
    assert Claim.objects.get(pk=desk["high"].pk).assignee == fact_checker


def test_bulk_assign_refuses_a_reporter_as_assignee(client, editor, reporter, desk):
    client.force_login(editor)
    response = _action(client, "assign_claims", [desk["high"]], apply="1", assignee=reporter.pk)
    assert response.status_code == 200  # not a choice: the form says so
    assert "Select a valid choice" in response.content.decode()
    assert Claim.objects.get(pk=desk["high"].pk).assignee is None


# --- bounded queries -------------------------------------------------------------------------


def _fill(n: int, fact_checker):
    outlets = [OutletFactory() for _ in range(3)]
    for i in range(n):
        claim = ClaimFactory(
            article=ArticleFactory(outlet=outlets[i % 3]),
            assignee=fact_checker if i % 2 else None,
            checkworthiness=(i % 10) / 10,
            due_date=timezone.localdate() - datetime.timedelta(days=i % 5 - 2),
        )
        if i % 3 == 0:
            _match(claim, 0.5)
        if i % 4 == 0:
            SourceFactory(verdict=VerdictFactory(claim=claim))


MAX_LIST_QUERIES = 14


@pytest.mark.parametrize("rows", [10, 200])
def test_claim_list_queries_are_bounded(client, editor, fact_checker, django_assert_max_num_queries, rows):
    _fill(rows, fact_checker)
    client.force_login(editor)
    url = f"{LIST}?all="
    with django_assert_max_num_queries(MAX_LIST_QUERIES) as captured:
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == rows
    print(f"claim list, {rows} rows: {len(captured.captured_queries)} queries")


@pytest.mark.parametrize("rows", [10, 200])
def test_filtered_claim_list_queries_are_bounded(
    client, editor, fact_checker, django_assert_max_num_queries, rows
):
    _fill(rows, fact_checker)
    client.force_login(editor)
    with django_assert_max_num_queries(MAX_LIST_QUERIES):
        response = client.get(f"{LIST}?all=&assignee={fact_checker.pk}&coverage=yes&rating=false&due=overdue")
    assert response.status_code == 200


def test_reporter_adds_a_claim_by_hand(client, reporter):
    client.force_login(reporter)
    add = reverse("admin:factcheck_claim_add")
    form = client.get(add).context["adminform"].form
    assert "state" not in form.fields and "assignee" not in form.fields and "version" not in form.fields
    response = client.post(
        add,
        {
            "text": "The council spent £2m on signs.",
            "claimant": "Cllr Jones",
            "priority": 2,
            "state": "published",
            "_save": "1",
        },
    )
    assert response.status_code == 302
    claim = Claim.objects.get(text="The council spent £2m on signs.")
    assert (claim.state, claim.origin, claim.created_by, claim.priority) == (
        "candidate",
        "manual",
        reporter,
        2,
    )


def test_claim_update_is_compare_and_set_and_refuses_workflow_fields(desk):
    from factcheck.services.claims import StaleClaimEdit, claim_update

    claim = desk["high"]
    updated = claim_update(claim_id=claim.pk, expected_version=1, fields={"priority": 1})
    assert (updated.priority, updated.version) == (1, 2)
    with pytest.raises(StaleClaimEdit, match="changed by another editor at"):
        claim_update(claim_id=claim.pk, expected_version=1, fields={"priority": 4})
    with pytest.raises(ValueError, match="state"):
        claim_update(claim_id=claim.pk, expected_version=2, fields={"state": "published"})
    assert Claim.objects.get(pk=claim.pk).priority == 1


def test_claims_filter_by_origin_and_by_the_partner_that_sent_the_tip(
    client, reporter, django_assert_max_num_queries
):
    from tests.factories import PartnerFactory, TipFactory

    harbour, radio = PartnerFactory(name="Harbour Daily"), PartnerFactory(name="City Radio")
    PartnerFactory(name="Silent Partner")  # sent no tip: not offered as a filter
    TipFactory(partner=harbour, claim__text="Harbour tip: the tunnel toll doubled.")
    TipFactory(partner=harbour, claim__text="Harbour tip: ferries were cut by half.")
    TipFactory(partner=radio, claim__text="Radio tip: 300 buses were scrapped.")
    ClaimFactory(text="Typed in by hand at the desk.", origin="manual")
    ClaimFactory(text="Extracted from an article.", origin="extracted", article=ArticleFactory())
    client.force_login(reporter)

    tips = client.get(LIST, {"origin__exact": "partner"})
    assert _texts(tips) == {
        "Harbour tip: the tunnel toll doubled.",
        "Harbour tip: ferries were cut by half.",
        "Radio tip: 300 buses were scrapped.",
    }
    assert _texts(client.get(LIST, {"origin__exact": "manual"})) == {"Typed in by hand at the desk."}
    with django_assert_max_num_queries(20):
        from_harbour = client.get(LIST, {"partner": harbour.pk})
    assert _texts(from_harbour) == {
        "Harbour tip: the tunnel toll doubled.",
        "Harbour tip: ferries were cut by half.",
    }
    offered = [
        choice["display"]
        for spec in from_harbour.context["cl"].filter_specs
        for choice in spec.choices(from_harbour.context["cl"])
        if spec.title == "partner tip"
    ]
    assert offered == ["All", "City Radio", "Harbour Daily"]
    assert _texts(client.get(LIST, {"partner": "not-a-number"})) == _texts(client.get(LIST))


def test_claim_search_finds_tips_by_the_partners_name(client, reporter, django_assert_max_num_queries):
    from tests.factories import PartnerFactory, TipFactory

    harbour, radio = PartnerFactory(name="Harbour Daily"), PartnerFactory(name="City Radio")
    TipFactory(partner=harbour, claim__text="The tunnel toll doubled.")
    TipFactory(partner=radio, claim__text="300 buses were scrapped.")
    ClaimFactory(text="The harbour was dredged.", origin="manual")  # its own text says harbour
    ClaimFactory(text="Ferries were cut.", origin="extracted", article=ArticleFactory(title="Radio silence"))
    client.force_login(reporter)

    with django_assert_max_num_queries(20):
        harbour_hits = client.get(LIST, {"q": "harbour"})
    assert _texts(harbour_hits) == {"The tunnel toll doubled.", "The harbour was dredged."}
    assert _texts(client.get(LIST, {"q": "harbour daily"})) == {"The tunnel toll doubled."}
    assert _texts(client.get(LIST, {"q": "radio"})) == {"300 buses were scrapped.", "Ferries were cut."}
    assert _texts(client.get(LIST, {"q": "city radio buses"})) == {"300 buses were scrapped."}
