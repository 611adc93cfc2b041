"""Turning an article into claims: extraction, its bookkeeping, and what it starts."""

from typing import cast

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from editorial.models import Article
from factcheck.bulk import insert_values
from factcheck.extraction import Candidate, explain, extract, select
from factcheck.extraction.scoring import Model, load_model
from factcheck.models import ArticleExtraction, Claim, ClaimOrigin, ClaimState
from factcheck.services.claims import claim_fingerprint
from factcheck.signals import claims_created


def checkworthiness_model() -> Model:
    """The configured model (``FACTCHECK_CHECKWORTHINESS_MODEL``), loaded once per path."""
    return load_model(settings.FACTCHECK_CHECKWORTHINESS_MODEL or None)


def select_candidates(candidates: list[Candidate], model: Model | None = None) -> list[Candidate]:
    """Keep the worthy ones: above the threshold, best first, capped, near-duplicates merged."""
    chosen = select(
        candidates,
        threshold=settings.FACTCHECK_CLAIM_THRESHOLD,
        limit=settings.FACTCHECK_MAX_CLAIMS_PER_ARTICLE,
    )
    model = model or checkworthiness_model()
    return [explain(candidate, model) for candidate in chosen]


def text_claim_candidates(text: str) -> list[Candidate]:
    """The sentences worth a claim of a short text sent whole (a partner's tip), read and
    chosen as an article's are (threshold, cap, near-duplicates merged), in text order.

    ``[]`` for a text of one sentence, and for one in which no sentence passes the
    threshold: such a text stays one claim as it is.
    """
    model = checkworthiness_model()
    candidates = extract(text, model=model)
    if len(candidates) < 2:
        return []
    return sorted(select_candidates(candidates, model), key=lambda candidate: candidate.start)


_REFRESHED_FIELDS = (
    "text",
    "start",
    "end",
    "quote",
    "claimant",
    "claim_type",
    "checkworthiness",
    "features",
    "text_changed",
)


def claims_extract(*, article_id: int) -> list[int]:
    """Extract claims from an article; safe to run twice. Returns the new claims' ids.

    1. score every sentence and keep the worthy ones (keyed by sentence fingerprint);
    2. claims still in ``candidate`` (nobody has worked on them) are refreshed when their
       sentence is still chosen, and deleted when it is not;
    3. claims already in the workflow are re-anchored to their sentence, or flagged
       ``text_changed`` when it is gone; never deleted;
    4. record which text was extracted (``ArticleExtraction``), so the sweep knows it is
       done, and send ``claims_created`` for the new claims (matching listens).

    A handful of queries per article whatever its length (bulk writes), so the task keeps
    up with a feed; an article never extracted has no extracted claims to reconcile, so its
    first run skips step 2-3's query. Should one exist anyway (written by another path),
    the insert meets the unique (article, fingerprint) and the run starts again with it.
    """
    try:
        return _extract(article_id, first_run_shortcut=True)
    except IntegrityError:
        return _extract(article_id, first_run_shortcut=False)


def _extract(article_id: int, *, first_run_shortcut: bool) -> list[int]:
    outermost = not transaction.get_connection().in_atomic_block
    with transaction.atomic():
        body, title, content_hash, ever_extracted = _article_lock(article_id, commit_without_flush=outermost)
        model = checkworthiness_model()
        candidates = extract(body, model=model, title=title)
        chosen: dict[str, Candidate] = {}
        for candidate in select_candidates(candidates, model):
            chosen.setdefault(claim_fingerprint(candidate.text), candidate)
        keep: set[str] = set()
        if ever_extracted or not first_run_shortcut:
            keep, stale, changed = _reconcile(body, candidates, chosen, article_id)
            if stale:
                Claim.objects.filter(pk__in=stale).delete()
            if changed:
                Claim.objects.bulk_update(changed, [*_REFRESHED_FIELDS, "updated_at"])
        now = timezone.now()
        created = insert_values(
            Claim,
            _INSERTED_COLUMNS,
            [_row_from(article_id, fp, c, now) for fp, c in chosen.items() if fp not in keep],
        )
        _article_mark_extracted(article_id, content_hash)
        if created:
            claims_created.send(sender=Claim, claim_ids=created)
    return created


# The two statements are plain SQL: building them through the ORM took longer than the
# database took to run them (figures: docs/decisions/extraction-speed.md).


def _article_lock(article_id: int, *, commit_without_flush: bool) -> tuple[str, str, str, bool]:
    """Lock the article's row: (body, title, content_hash, whether it was ever extracted).

    Raises ``Article.DoesNotExist`` when it is gone. With ``commit_without_flush`` (only for
    a transaction this service owns: inside a caller's it would weaken the caller's writes
    too), PostgreSQL commits the transaction without waiting for its WAL to reach the disk:
    the flush costs about as much as extracting the article
    (``docs/decisions/extraction-speed.md``). A crash can lose the last fraction of a second
    of such commits, never half of one; a lost extraction leaves the article unmarked and
    the sweep (``factcheck.sweeps``) runs it again (matching queued for a lost claim finds
    it gone). ``set_config(..., true)`` is ``SET LOCAL``, in the same statement as the
    lock: one round trip fewer.
    """
    connection = transaction.get_connection()
    quote = connection.ops.quote_name
    article, done = Article._meta, ArticleExtraction._meta
    columns = (
        f"a.{quote(article.get_field('body').column)}, a.{quote(article.get_field('title').column)}, "
        f"a.{quote(article.get_field('content_hash').column)}, "
        f"e.{quote(done.get_field('article').column)}"
    )
    if commit_without_flush and connection.vendor == "postgresql":
        columns += ", set_config('synchronous_commit', 'off', true)"
    lock = " FOR UPDATE OF a" if connection.features.has_select_for_update_of else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns} FROM {quote(article.db_table)} a "  # noqa: S608 - identifiers from the models
            f"LEFT JOIN {quote(done.db_table)} e ON e.{quote(done.get_field('article').column)} = a.{quote(article.pk.column)} "
            f"WHERE a.{quote(article.pk.column)} = %s{lock}",
            [article_id],
        )
        row = cursor.fetchone()
    if row is None:
        raise Article.DoesNotExist(f"Article {article_id} does not exist")
    return row[0], row[1] or "", row[2], row[3] is not None


def _article_mark_extracted(article_id: int, content_hash: str) -> None:
    """Record which text was extracted, and when: one upsert of ``ArticleExtraction``."""
    connection = transaction.get_connection()
    quote, opts = connection.ops.quote_name, ArticleExtraction._meta
    key, digest, when = (
        cast(models.Field, opts.get_field(name)) for name in ("article", "extracted_hash", "extracted_at")
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(opts.db_table)} ({quote(key.column)}, {quote(digest.column)}, {quote(when.column)}) "  # noqa: S608
            f"VALUES (%s, %s, %s) ON CONFLICT ({quote(key.column)}) DO UPDATE "
            f"SET {quote(digest.column)} = EXCLUDED.{quote(digest.column)}, {quote(when.column)} = EXCLUDED.{quote(when.column)}",
            [article_id, content_hash, when.get_db_prep_save(timezone.now(), connection)],
        )


def _reconcile(body, candidates, chosen, article_id):
    """Decide the fate of the article's existing extracted claims: (kept, to delete, changed)."""
    keep: set[str] = set()
    stale: list[int] = []
    changed: list[Claim] = []
    anchors: dict[str, Candidate] | None = None
    existing = Claim.objects.filter(article_id=article_id, origin=ClaimOrigin.EXTRACTED).only(
        "id", "state", "fingerprint", *_REFRESHED_FIELDS
    )
    for claim in existing:
        candidate = chosen.get(claim.fingerprint)
        if claim.state == ClaimState.CANDIDATE:
            if candidate is None:
                stale.append(claim.pk)
                continue
            fresh = _fields_from(candidate)
        else:
            if anchors is None:
                anchors = {claim_fingerprint(c.text): c for c in candidates}
            fresh = _anchor_fields(claim, anchors.get(claim.fingerprint), body)
        keep.add(claim.fingerprint)
        if any(getattr(claim, name) != value for name, value in fresh.items()):
            for name, value in fresh.items():
                setattr(claim, name, value)
            claim.updated_at = timezone.now()
            changed.append(claim)
    return keep, stale, changed


def _anchor_fields(claim: Claim, candidate: Candidate | None, body: str) -> dict:
    """Where a claim in the workflow now sits in the edited body; only offsets move."""
    if candidate is not None:
        return {"start": candidate.start, "end": candidate.end, "text": candidate.text, "text_changed": False}
    position = body.find(claim.text) if claim.text else -1
    if position >= 0:
        return {"start": position, "end": position + len(claim.text), "text_changed": False}
    return {"text_changed": True}


def _refreshed_values(candidate: Candidate) -> tuple:
    """The candidate's values for ``_REFRESHED_FIELDS``, in that order."""
    return (
        candidate.text,
        candidate.start,
        candidate.end,
        candidate.quote,
        candidate.claimant[:300],
        candidate.claim_type,
        max(0.0, min(1.0, candidate.checkworthiness)),
        candidate.features,
        False,
    )


def _fields_from(candidate: Candidate) -> dict:
    return dict(zip(_REFRESHED_FIELDS, _refreshed_values(candidate), strict=True))


_INSERTED_COLUMNS = ("article_id", "fingerprint", "origin", "state_changed_at", *_REFRESHED_FIELDS)


def _row_from(article_id: int, fingerprint: str, candidate: Candidate, now) -> tuple:
    """A new claim's values for ``_INSERTED_COLUMNS``."""
    return (article_id, fingerprint, ClaimOrigin.EXTRACTED, now, *_refreshed_values(candidate))
