"""Repeated claims on the desk: the list shows each canonical claim once with its appearances,
the claim page lists them, and Editors merge and split under the version check."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from coverage.models import SameClaimSuggestion
from factcheck.models import Claim, ReviewEvent
from tests.factories import ArticleFactory, ClaimFactory, OutletFactory

pytestmark = pytest.mark.django_db

LIST = reverse("admin:factcheck_claim_changelist")
MERGE = reverse("admin:factcheck_claim_merge")


def change(claim):
    return reverse("admin:factcheck_claim_change", args=[claim.pk])


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def group():
    """A canonical claim seen three times (two appearances, on two days) and a lone claim."""
    canonical = ClaimFactory(text="Waiting lists fell by 12 percent last year.")
    lone = ClaimFactory(text="The bridge halves commutes.")
    outlet = OutletFactory(name="Morning Post")
    first = ClaimFactory(
        text="Hospital waiting lists fell by 12% last year.",
        same_as=canonical,
        article=ArticleFactory(outlet=outlet, title="Health service figures"),
        claimant="The minister",
    )
    second = ClaimFactory(text="Waiting lists fell by 12%, says the minister.", same_as=canonical)
    later = timezone.now() + datetime.timedelta(days=3)
    Claim.objects.filter(pk=second.pk).update(created_at=later, appearance_url="https://social.example/p/1")
    return {"canonical": canonical, "lone": lone, "first": first, "second": second}


def test_the_list_shows_canonical_claims_once_with_their_appearances(client, fact_checker, group):
    client.force_login(fact_checker)
    rows = {c.pk: c for c in client.get(LIST, {"all": ""}).context["cl"].result_list}
    assert set(rows) == {group["canonical"].pk, group["lone"].pk}  # appearances are no work items
    assert (rows[group["canonical"].pk].appearance_count, rows[group["lone"].pk].appearance_count) == (3, 1)
    assert rows[group["canonical"].pk].last_seen > rows[group["canonical"].pk].first_seen


def test_the_list_sorts_by_appearances(client, fact_checker, group):
    client.force_login(fact_checker)
    cl = client.get(LIST, {"all": ""}).context["cl"]
    column = cl.list_display.index("seen_count")
    ordered = client.get(LIST, {"all": "", "o": f"-{column}"}).context["cl"].result_list
    assert [c.pk for c in ordered] == [group["canonical"].pk, group["lone"].pk]


def test_appearances_are_listed_on_request(client, fact_checker, group):
    client.force_login(fact_checker)
    rows = client.get(LIST, {"all": "", "group": "appearances"}).context["cl"].result_list
    assert {c.pk for c in rows} == {group["first"].pk, group["second"].pk}


@pytest.mark.parametrize("groups", [5, 60])
def test_list_queries_stay_bounded_with_appearances(client, editor, django_assert_max_num_queries, groups):
    for n in range(groups):
        canonical = ClaimFactory(text=f"Claim {n} repeated.")
        ClaimFactory.create_batch(3, same_as=canonical)
    client.force_login(editor)
    with django_assert_max_num_queries(12):
        response = client.get(LIST, {"all": ""})
    assert response.status_code == 200


def test_the_canonical_page_lists_where_the_claim_appeared(client, fact_checker, group):
    client.force_login(fact_checker)
    page = client.get(change(group["canonical"])).content.decode()
    assert "Seen 3 times" in page
    assert "Hospital waiting lists fell by 12% last year." in page
    assert "Health service figures" in page and "Morning Post" in page and "The minister" in page
    assert 'href="https://social.example/p/1"' in page
    assert "Split off" not in page  # a Fact-checker cannot split


def test_an_appearance_page_points_at_its_canonical_claim(client, editor, group):
    client.force_login(editor)
    page = client.get(change(group["first"])).content.decode()
    assert f"claim #{group['canonical'].pk}" in page
    assert "Split off: make it its own claim" in page


def test_editor_merges_from_the_bulk_action(client, editor, group):
    client.force_login(editor)
    lone, canonical = Claim.objects.get(pk=group["lone"].pk), Claim.objects.get(pk=group["canonical"].pk)
    confirm = client.post(
        LIST, {"action": "merge_claims", "_selected_action": [lone.pk, canonical.pk], "all": ""}
    )
    assert confirm.status_code == 200 and b"pick the canonical one" in confirm.content
    response = client.post(
        MERGE,
        {
            "canonical": canonical.pk,
            "claims": [lone.pk, canonical.pk],
            f"version_{lone.pk}": lone.version,
            f"version_{canonical.pk}": canonical.version,
        },
    )
    assert response.status_code == 302
    assert Claim.objects.get(pk=lone.pk).same_as_id == canonical.pk
    assert ReviewEvent.objects.filter(claim=lone, transition="merge", actor=editor).exists()


def test_a_merge_from_a_stale_page_is_refused(client, editor, group):
    client.force_login(editor)
    lone, canonical = group["lone"], group["canonical"]
    Claim.objects.filter(pk=lone.pk).update(version=lone.version + 1)  # saved by someone meanwhile
    response = client.post(
        MERGE,
        {
            "canonical": canonical.pk,
            "claims": [lone.pk],
            f"version_{lone.pk}": lone.version,
            f"version_{canonical.pk}": canonical.version,
        },
        follow=True,
    )
    assert any("changed by another editor" in m for m in _messages(response))
    assert Claim.objects.get(pk=lone.pk).same_as_id is None


def test_fact_checkers_cannot_merge_or_split(client, fact_checker, group):
    client.force_login(fact_checker)
    lone, canonical = group["lone"], group["canonical"]
    merge = client.post(MERGE, {"canonical": canonical.pk, "claims": [lone.pk]})
    split = client.post(reverse("admin:factcheck_claim_split", args=[group["first"].pk]), {"version": 1})
    assert (merge.status_code, split.status_code) == (403, 403)
    actions = client.get(LIST, {"all": ""}).context["action_form"].fields["action"].choices
    assert "merge_claims" not in [name for name, _ in actions]


def test_editor_splits_an_appearance_off(client, editor, group):
    client.force_login(editor)
    first = Claim.objects.get(pk=group["first"].pk)
    url = reverse("admin:factcheck_claim_split", args=[first.pk])
    stale = client.post(url, {"version": first.version - 1, "back": group["canonical"].pk}, follow=True)
    assert any("changed by another editor" in m for m in _messages(stale))
    assert Claim.objects.get(pk=first.pk).same_as_id == group["canonical"].pk
    client.post(url, {"version": first.version, "back": group["canonical"].pk})
    assert Claim.objects.get(pk=first.pk).same_as_id is None


def test_a_suggestion_says_what_differs_and_can_be_answered(client, editor, group):
    other = ClaimFactory(text="Waiting lists fell by 40 percent last year.")
    suggestion = SameClaimSuggestion.objects.create(
        claim=other, canonical=group["canonical"], score=0.9, differences=["figure: 40% / 12%"]
    )
    client.force_login(editor)
    page = client.get(change(other)).content.decode()
    assert "Differs: figure: 40% / 12%" in page
    client.post(reverse("admin:factcheck_claim_not_same", args=[other.pk, suggestion.pk]))
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.decided_by) == ("rejected", editor)
    assert "Differs:" not in client.get(change(other)).content.decode()


def test_the_dashboard_says_when_a_checked_claim_reappeared(
    client, fact_checker, django_assert_max_num_queries
):
    published = ClaimFactory(text="Crime doubled in ten years.", state="published")
    ClaimFactory(text="Crime has doubled in a decade, says a post.", same_as=published)
    ClaimFactory(text="Unchecked repeat.", same_as=ClaimFactory(text="An open claim."))
    client.force_login(fact_checker)
    page = client.get(reverse("admin:factcheck_claim_dashboard")).content.decode()
    assert "A checked claim reappeared" in page
    assert "Crime has doubled in a decade, says a post." in page
    assert "Unchecked repeat." not in page
