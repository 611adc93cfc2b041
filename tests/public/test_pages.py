"""The public pages in every state a fact-check can be in, and what the list offers."""

import pytest
from django.urls import reverse

from factcheck.models import ClaimState, Verdict
from public.claimreview import factcheck_slug
from tests.public.conftest import T0, T_CORRECTED, build_factcheck
from tests.public.html import assert_headings_in_order, assert_valid_html

pytestmark = pytest.mark.django_db


def detail_url(claim) -> str:
    return reverse("public:factcheck_detail", kwargs={"slug": factcheck_slug(claim=claim)})


def test_published_page_shows_claim_verdict_sources_and_links(client, make_factcheck):
    claim = make_factcheck()
    response = client.get(detail_url(claim))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Unemployment fell to 4.2% in March, the minister said." in html
    assert "Jane Minister" in html
    assert "Minister defends jobs record" in html and "The Daily Example" in html
    assert f'href="{claim.article.url}"' in html
    assert "27 February 2026" in html  # when it was said
    assert "Official statistics show unemployment rose to 5.1% in March." in html
    assert "False" in html and "1 on our scale" in html
    for source in claim.current_verdict.sources.all():
        assert f'href="{source.url}"' in html
        assert source.title in html
    assert html.count("Office for Statistics") == 2
    assert 'Accessed <time datetime="2026-03-01">1 March 2026</time>' in html
    assert reverse("public:rating_scale") + "#methodology" in html
    assert reverse("public:rating_scale") + "#scale" in html
    assert "No corrections." in html
    assert_valid_html(response.content)
    assert_headings_in_order(response.content)


def test_corrected_page_lists_each_correction_with_date_note_and_earlier_verdict(client, make_factcheck):
    claim = make_factcheck(state="corrected")
    html = client.get(detail_url(claim)).content.decode()
    assert "We misread the seasonally adjusted table; the rate was 4.6%." in html
    assert f'<time datetime="{T_CORRECTED.isoformat()}">9 March 2026, 14:15 UTC</time>' in html
    assert "rating False → Mostly false" in html
    assert "Earlier verdict (version 1, published 2 March 2026)" in html
    assert "Official statistics show unemployment rose to 5.1% in March." in html  # v1 summary kept
    assert "We rate this claim <strong>Mostly false</strong>" in html
    assert "Published <time" in html and "2 March 2026" in html and "Corrected <time" in html


def test_three_corrections_are_all_listed_oldest_first(client, make_factcheck):
    claim = make_factcheck(state="corrected")
    Verdict.objects.filter(claim=claim).update(is_current=False)
    Verdict.objects.create(
        claim=claim,
        version=3,
        rating="half_true",
        summary="Third take.",
        correction_note="Second fix.",
        published_at=T_CORRECTED.replace(day=12),
        is_current=True,
    )
    html = client.get(detail_url(claim)).content.decode()
    first, second = html.index("We misread"), html.index("Second fix.")
    assert first < second
    assert "Earlier verdict (version 2" in html and "Earlier verdict (version 1" in html


def test_unpublished_after_publication_is_gone_with_a_short_notice(client, make_factcheck):
    claim = make_factcheck(state="unpublished")
    response = client.get(detail_url(claim))
    assert response.status_code == 410
    html = response.content.decode()
    assert "This fact-check has been withdrawn" in html
    assert claim.text not in html and "application/ld+json" not in html
    assert "Legal" not in html  # the internal reason stays internal
    assert_valid_html(response.content)


def test_withdrawn_with_only_an_unpublish_event_is_gone(client, make_factcheck):
    claim = make_factcheck(state="unpublished")
    Verdict.objects.filter(claim=claim).update(published_at=None)
    assert client.get(detail_url(claim)).status_code == 410


@pytest.mark.parametrize("state", [s for s in ClaimState.values if s != ClaimState.PUBLISHED])
def test_never_published_claim_is_not_found_in_any_state(client, state):
    claim = build_factcheck(state="never")
    claim.state = state
    claim.save()
    assert client.get(detail_url(claim)).status_code == 404


def test_published_state_without_a_published_verdict_is_not_found(client, make_factcheck):
    claim = make_factcheck(state="never")
    claim.state = ClaimState.PUBLISHED
    claim.save()
    assert client.get(detail_url(claim)).status_code == 404


def test_unknown_ids_and_bad_slugs_are_not_found(client, make_factcheck):
    claim = make_factcheck()
    assert client.get(f"/fact-checks/no-such-{claim.pk + 1000}/").status_code == 404
    assert client.get("/fact-checks/no-id-here/").status_code == 404
    assert client.get("/fact-checks/x-99999999999999999999999/").status_code == 404


def test_any_slug_with_the_right_id_redirects_permanently_to_the_canonical_one(client, make_factcheck):
    claim = make_factcheck()
    canonical = detail_url(claim)
    assert canonical == f"/fact-checks/unemployment-fell-to-42-in-march-the-minister-said-{claim.pk}/"
    for wrong in (f"/fact-checks/{claim.pk}/", f"/fact-checks/old-wording-{claim.pk}/"):
        response = client.get(wrong)
        assert response.status_code == 301
        assert response.headers["Location"] == canonical


def test_slug_follows_an_edited_claim_and_old_links_redirect(client, make_factcheck):
    claim = make_factcheck()
    old = detail_url(claim)
    claim.text = "Unemployment halved in a year."
    claim.save()
    response = client.get(old)
    assert response.status_code == 301
    assert response.headers["Location"] == f"/fact-checks/unemployment-halved-in-a-year-{claim.pk}/"


def test_list_is_newest_first_with_rating_claimant_and_date(client, make_factcheck):
    older = make_factcheck(text="Older claim about bridges.", published_at=T0.replace(day=1))
    newer = make_factcheck(text="Newer claim about tunnels.", rating="true", published_at=T0.replace(day=5))
    corrected = make_factcheck(text="Corrected claim about rail.", state="corrected")
    hidden = [
        make_factcheck(text="Hidden withdrawn claim.", state="unpublished"),
        make_factcheck(text="Hidden draft claim.", state="never"),
    ]
    response = client.get("/fact-checks/")
    assert response.status_code == 200
    html = response.content.decode()
    positions = [html.index(c.text) for c in (corrected, newer, older)]
    assert positions == sorted(positions)
    for claim in hidden:
        assert claim.text not in html
    assert 'class="rating__label">True<' in html and 'class="rating__label">Mostly false<' in html
    assert "Claim by Jane Minister" in html
    assert "Checked <time" in html and "5 March 2026" in html
    assert "corrected <time" in html
    assert "3 fact-checks" in html
    assert_valid_html(response.content)
    assert_headings_in_order(response.content)


def test_list_filters_by_rating_and_searches_text(client, make_factcheck):
    make_factcheck(text="Bridges are falling down.", rating="false")
    make_factcheck(text="Tunnels are safe.", rating="true", claimant="Tom Engineer")
    make_factcheck(text="Roads are fine.", rating="true", summary="A report about potholes says so.")
    html = client.get("/fact-checks/?rating=true").content.decode()
    assert "Tunnels" in html and "Roads" in html and "Bridges" not in html
    html = client.get("/fact-checks/?q=bridges").content.decode()
    assert "Bridges" in html and "Tunnels" not in html
    html = client.get("/fact-checks/?q=engineer").content.decode()  # the claimant
    assert "Tunnels" in html and "Bridges" not in html
    html = client.get("/fact-checks/?q=potholes&rating=true").content.decode()  # the verdict
    assert "Roads" in html and "Tunnels" not in html
    html = client.get("/fact-checks/?rating=nonsense").content.decode()  # ignored, not an error
    assert "3 fact-checks" in html
    html = client.get("/fact-checks/?q=zebra").content.decode()
    assert "No fact-checks match" in html


def test_list_paginates_and_keeps_the_filters(client, make_factcheck):
    for n in range(23):
        make_factcheck(text=f"Claim number {n} about trains.", published_at=T0.replace(minute=n))
    first = client.get("/fact-checks/?q=trains").content.decode()
    assert first.count('class="card"') == 20
    assert "Claim number 22 about" in first and "Claim number 2 about" not in first
    assert 'href="?q=trains&amp;page=2"' in first
    second = client.get("/fact-checks/?q=trains&page=2").content.decode()
    assert second.count('class="card"') == 3
    assert client.get("/fact-checks/?page=zzz").status_code == 200


def test_rating_scale_page_gives_each_rating_meaning_and_number(client):
    from factcheck import ratings

    response = client.get("/fact-checks/rating-scale/")
    assert response.status_code == 200
    html = response.content.decode()
    for rating in ratings.SCALE:
        row = html[html.index(f'id="rating-{rating.key}"') :]
        row = row[: row.index("</tr>")]
        assert rating.label in row and rating.meaning in row
        assert (f"<td>{rating.value}</td>" if rating.value else "none") in row
    assert 'id="methodology"' in html and 'id="corrections-policy"' in html
    assert_valid_html(response.content)
    assert_headings_in_order(response.content)


def test_pages_work_without_javascript(client, make_factcheck):
    """No script but the JSON-LD data block: everything is server-rendered."""
    claim = make_factcheck(state="corrected")
    for url in ("/fact-checks/", detail_url(claim), "/fact-checks/rating-scale/"):
        html = client.get(url).content.decode()
        assert html.count("<script") == html.count('<script type="application/ld+json">')


def test_pages_refuse_writes(client, make_factcheck):
    claim = make_factcheck()
    assert client.post(detail_url(claim)).status_code == 405
    assert client.post("/fact-checks/").status_code == 405
    assert client.head(detail_url(claim)).status_code == 200
