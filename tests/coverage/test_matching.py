"""Prior-coverage search on the configured database (SQLite here, PostgreSQL in CI stage 2)."""

from dataclasses import replace
from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection

from core import embedding
from coverage.claimreview import ClaimReviewRecord
from coverage.matching import backends, search, semantic_available, vectors
from coverage.matching.index import searchdocs_embed
from coverage.models import PriorFactCheck, SearchDoc
from coverage.services import prior_factchecks_import

CHECKS = [
    ("Vaccines given to children cause autism.", "Do childhood vaccines cause autism?"),
    ("The 1969 Apollo moon landing was staged in a film studio.", "Was the moon landing faked?"),
    ("Drinking bleach cures the coronavirus.", "Can you cure COVID-19 by drinking bleach?"),
    ("The Great Wall of China is visible from space with the naked eye.", "Is the Great Wall visible?"),
    ("Eating carrots greatly improves your night vision.", "Do carrots help you see in the dark?"),
    ("Unemployment fell to its lowest level in fifty years last March.", "A record low for jobless rate?"),
]


def _import(checks=CHECKS):
    records = [
        ClaimReviewRecord(
            url=f"https://checker.example/{n}",
            claim_reviewed=claim,
            title=title,
            rating_text="False",
            review_date=date(2024, 1, 1),
        )
        for n, (claim, title) in enumerate(checks)
    ]
    report = prior_factchecks_import(records=records)
    searchdocs_embed(doc_ids=report.stale_doc_ids)
    return {p.claim_reviewed: p.pk for p in PriorFactCheck.objects.all()}


@pytest.mark.django_db
def test_paraphrase_of_imported_factcheck_is_rank_one():
    ids = _import()
    assert semantic_available(), "requirements-dev.txt installs the embedding extra"
    matches = search("A viral post says kids get autism from their vaccine shots, doctors disagree", limit=3)
    assert matches[0].object_id == ids[CHECKS[0][0]]
    assert matches[0].kind == "factcheck" and matches[0].method == "hybrid"
    assert matches[0].score > matches[1].score
    assert [m.rank for m in matches] == [1, 2, 3]


@pytest.mark.django_db
def test_semantic_match_without_shared_words_is_found():
    ids = _import()
    matches = search("NASA faked the astronauts walking on the lunar surface", limit=3)
    assert matches[0].object_id == ids[CHECKS[1][0]]


@pytest.mark.django_db
def test_index_follows_updates_and_deletes():
    _import()
    report = prior_factchecks_import(
        records=[
            ClaimReviewRecord(url="https://checker.example/2", claim_reviewed="Garlic soup cures influenza.")
        ]
    )
    assert search("garlic soup influenza", limit=1)[0].text == "Garlic soup cures influenza."
    assert searchdocs_embed(doc_ids=report.stale_doc_ids) == 1
    assert search("garlic soup influenza", limit=1)[0].text == "Garlic soup cures influenza."
    assert not any("bleach" in m.text.lower() for m in search("bleach", limit=5) if m.lexical_rank)
    PriorFactCheck.objects.filter(url="https://checker.example/2").delete()
    SearchDoc.objects.filter(kind="factcheck").exclude(
        object_id__in=PriorFactCheck.objects.values("pk")
    ).delete()
    assert not any(m.lexical_rank for m in search("garlic soup influenza", limit=5))
    assert all("Garlic" not in m.text for m in search("garlic soup influenza", limit=5))


@pytest.mark.django_db
def test_kinds_filter():
    _import()
    assert search("vaccines autism children", limit=5, kinds=("claim",)) == []
    assert search("vaccines autism children", limit=5, kinds=("factcheck",))


@pytest.mark.django_db
def test_lexical_only_mode_when_the_extra_is_absent(lexical_only, caplog):
    ids = _import()  # no vectors can be computed
    assert not semantic_available()
    assert "lexical only" in caplog.text or embedding._warn_once.cache_info().currsize
    assert SearchDoc.objects.filter(embedding__isnull=False).count() == 0
    matches = search("vaccines cause autism in children, a post claims", limit=3)
    assert matches[0].object_id == ids[CHECKS[0][0]]
    assert {m.method for m in matches} == {"lexical"}
    assert all(m.cosine is None for m in matches)


@pytest.mark.django_db
def test_rebuild_search_index_command_recreates_rows_and_vectors():
    _import()
    SearchDoc.objects.all().delete()
    assert search("carrots night vision", limit=3) == []
    call_command("rebuild_search_index")
    assert SearchDoc.objects.filter(kind="factcheck").count() == len(CHECKS)
    assert SearchDoc.objects.filter(embedding_model=embedding.MODEL_ID).count() == len(CHECKS)
    vectors.clear_caches()
    assert search("carrots night vision", limit=1)[0].text.startswith("Eating carrots")


@pytest.mark.django_db
def test_search_runs_a_bounded_number_of_queries(django_assert_max_num_queries):
    _import()
    search("warm up the vector cache", limit=1)
    # cache refresh, lexical (on PostgreSQL 2, and the planner setting set and, inside a
    # transaction as here, set back), rows
    with django_assert_max_num_queries(6):
        search("vaccines autism", limit=10)


@pytest.mark.postgres
@pytest.mark.django_db
def test_lexical_search_inside_a_transaction_leaves_the_planner_setting_as_it_was():
    _import()

    def seqscan():
        with connection.cursor() as cursor:
            cursor.execute("SHOW enable_seqscan")
            return cursor.fetchone()[0]

    assert backends.lexical_search("vaccines autism", limit=3, kinds=None)
    assert seqscan() == "on"
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    assert backends.lexical_search("vaccines autism", limit=3, kinds=None)
    assert seqscan() == "off"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_lexical_search_outside_a_transaction_leaves_the_session_setting_as_it_was():
    _import()
    assert backends.lexical_search("vaccines autism", limit=3, kinds=None)
    assert not connection.in_atomic_block
    with connection.cursor() as cursor:
        cursor.execute("SHOW enable_seqscan")
        assert cursor.fetchone()[0] == "on"


@pytest.mark.django_db
def test_with_no_stored_vector_the_query_is_not_embedded_and_the_answer_is_the_same(monkeypatch):
    records = [
        ClaimReviewRecord(url=f"https://checker.example/{n}", claim_reviewed=c)
        for n, (c, _) in enumerate(CHECKS)
    ]
    prior_factchecks_import(records=records)  # no vectors computed yet
    query = "A viral post says kids get autism from their vaccine shots, doctors disagree"
    with monkeypatch.context() as patch:
        patch.setattr(vectors.VectorCache, "empty", property(lambda cache: False))
        embedded = search(query, limit=3)  # embeds the query, finds no vector to compare it with
    embedded_texts = []
    real_embed = embedding.embed
    monkeypatch.setattr(embedding, "embed", lambda texts: embedded_texts.append(texts) or real_embed(texts))
    assert search(query, limit=3) == embedded
    assert embedded_texts == []
    assert embedded[0].features, "re-ranked all the same"


@pytest.mark.django_db
def test_a_search_that_is_not_judged_has_the_same_order_and_scores():
    _import(
        [
            *CHECKS,
            ("Unemployment fell to 4 percent last March.", "Jobless rate at 4%?"),
            ("Unemployment fell to 9 percent last March.", "Jobless rate at 9%?"),
        ]
    )
    query = "Unemployment fell to 4 percent last March, says the minister"
    judged = search(query, limit=5)
    plain = search(query, limit=5, judge=False)
    assert any(m.differences for m in judged), "a prior with other figures is among the matches"
    assert [replace(m, strength=None, differences="") for m in judged] == plain
    assert [m.rank for m in plain] == [1, 2, 3, 4, 5]


def test_empty_query_returns_nothing():
    assert search("   https://t.co/abc  ", limit=5) == []


@pytest.mark.django_db
def test_claimant_is_indexed_and_lifts_the_same_speakers_check():
    text = "Taxes went up by twenty percent last year under this government."
    records = [
        ClaimReviewRecord(url=f"https://checker.example/t/{who}", claim_reviewed=text, claimant=name)
        for who, name in (("smith", "John Smith"), ("jones", "Mary Jones"))
    ]
    report = prior_factchecks_import(records=records)
    searchdocs_embed(doc_ids=report.stale_doc_ids)
    by_url = {p.url: p.pk for p in PriorFactCheck.objects.all()}
    assert (
        search(text, claimant="MR. SMITH", limit=2)[0].object_id == by_url["https://checker.example/t/smith"]
    )
    assert (
        search(text, claimant="Ms. Jones", limit=2)[0].object_id == by_url["https://checker.example/t/jones"]
    )


@pytest.mark.django_db
def test_decimal_and_hyphenated_figures_are_words_on_both_backends():
    # PostgreSQL's own parser keeps "79.9" and "3-4" whole; the query splits them, as FTS5 does.
    texts = [
        "The deficit was cut to 43.2 billion euros in 2019, 3-4 times less.",
        "The deficit was cut to 79.9 billion euros in 2019, 3-4 times less.",
        "The deficit was cut to 12.5 billion euros in 2019, 5-6 times less.",
    ]
    report = prior_factchecks_import(
        records=[
            ClaimReviewRecord(url=f"https://checker.example/d/{n}", claim_reviewed=t)
            for n, t in enumerate(texts)
        ]
    )
    searchdocs_embed(doc_ids=report.stale_doc_ids)
    docs = {d.text: d.pk for d in SearchDoc.objects.all()}
    ranked = backends.lexical_search("the deficit was cut to 79.9 billion euros", limit=3, kinds=None)
    assert ranked[0][0] == docs[texts[1]] and ranked[0][1] > ranked[1][1], ranked
    ranked = backends.lexical_search("cut 12.5 billion, 5-6 times", limit=3, kinds=None)
    assert ranked[0][0] == docs[texts[2]] and ranked[0][1] > ranked[1][1], ranked
    for text in texts:
        top = search(text, limit=3)[0]
        assert top.text == text and top.score >= 0.3, (text, top.text, top.score)


@pytest.mark.django_db
def test_operator_characters_in_queries_are_harmless():
    _import()
    for query in [
        "O'Reilly's \\ 100% :) & | ! (vaccines) AND NOT autism*",
        'NEAR("x" y) "unclosed',
        "www.a.com/x:y",
    ]:
        search(query, limit=3)  # no FTS5 / tsquery syntax error on either backend
    assert search("vaccines AND autism OR children", limit=1)[0].text.startswith("Vaccines")


@pytest.mark.django_db
def test_cache_stops_rereading_a_settled_window_and_still_sees_later_rows():
    """Another process's rows come through the timestamp window, before and after it settles."""
    from datetime import timedelta

    from django.utils import timezone

    from coverage.matching.index import IndexItem, searchdocs_embed, searchdocs_upsert

    ids = _import()
    SearchDoc.objects.update(updated_at=timezone.now() - timedelta(minutes=1))  # an old import
    cache = vectors.cache_for()
    cache.checked_at = 0
    cache.refresh()
    assert not cache.settled
    cache.checked_at = 0
    cache.refresh()  # the clock is past the window: every row up to seen_until is read
    assert cache.settled and len(cache.row_of) == len(ids)

    stale = searchdocs_upsert(items=[IndexItem("claim", 9002, "Garlic soup cures influenza overnight.")])
    searchdocs_embed(doc_ids=stale)
    vectors.cache_for().checked_at = 0  # as another process would: no mark_dirty here
    cache.refresh()
    (new_id,) = stale
    assert new_id in cache.row_of and not cache.settled
    assert search("garlic soup cures the flu", limit=1)[0].object_id == 9002
