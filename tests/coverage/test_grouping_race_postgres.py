"""Two tips of one rumour grouped by two workers at the same moment, on PostgreSQL.

The test plays the first worker: inside an open transaction it takes the grouping lock and
stores the first claim's grouping entry as another process would (no cache of this process
hears of it). The contender groups the repeat meanwhile, with its caches refreshed a moment
ago; only when PostgreSQL shows it waiting on the lock does the test commit. The contender
must then find the first claim: without the lock it searches before that commit, and
without a fresh read of the index after the lock its caches skip the new row.
"""

import pytest
from django.db import transaction
from django.utils import timezone

from core import embedding
from coverage import grouping
from coverage.matching import terms, vectors
from coverage.models import SearchDoc, SearchKind
from factcheck.models import Claim
from tests import factories
from tests.support import contender, pg_lock_waiters, wait_for

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

FIRST = "Waiting lists fell by 12 percent last year."
REPEAT = "Hospital waiting lists fell by 12% last year."


def test_a_repeat_grouped_while_its_first_claim_is_being_stored_joins_it():
    if not embedding.available():
        pytest.fail("the embedding extra is needed here (requirements-embeddings.txt)")
    factories.ClaimFactory(text="Crime fell 18% in the city last year, the mayor said.")
    first, repeat = factories.ClaimFactory(text=FIRST), factories.ClaimFactory(text=REPEAT)
    vectors.cache_for().refresh(force=True)  # both caches read a moment ago
    terms.counts_for().refresh(force=True)
    thread, outcome = contender(lambda: grouping.claim_group(claim_id=repeat.pk))
    with transaction.atomic():
        grouping._one_at_a_time()
        thread.start()
        assert wait_for(lambda: pg_lock_waiters() == 1, timeout=20), "the contender never waited on the lock"
        text = grouping.prepared(FIRST)
        SearchDoc.objects.create(
            kind=SearchKind.APPEARANCE,
            object_id=first.pk,
            text=text,
            embedding=vectors.encode(embedding.embed([text])[0]),
            embedding_model=embedding.MODEL_ID,
        )
        Claim.objects.filter(pk=first.pk).update(grouped_at=timezone.now())
    thread.join(30)

    assert len(outcome) == 1 and not isinstance(outcome[0], Exception), outcome
    assert outcome[0].outcome == "joined" and outcome[0].canonical_id == first.pk
    repeat.refresh_from_db()
    assert repeat.same_as_id == first.pk
    assert SearchDoc.objects.filter(kind=SearchKind.APPEARANCE, object_id=repeat.pk).exists()
