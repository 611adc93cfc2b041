"""A batch of news-like articles pending extraction, and the check that none was lost."""

import random

from django.db.models import Count, F
from django.utils import timezone

from coverage.claimreview import ClaimReviewRecord
from coverage.matching.index import searchdocs_embed
from coverage.services import prior_factchecks_import
from editorial.models import Article
from editorial.services import content_hash
from factcheck.extraction import extract
from factcheck.models import ArticleExtraction, Claim, ClaimOrigin
from factcheck.services.claims import claim_fingerprint
from factcheck.services.extraction import select_candidates

_PEOPLE = ["Jane Roe", "The finance minister", "Senator John Smith", "Dr. Amy Lee", "The mayor"]
_FACTS = [
    "unemployment fell to {n}.{d}% in {year}",
    "{n},000 nurses have left the health service since {year}",
    "crime rose by {n} percent in the capital last year",
    "the deficit was cut to {n}.{d} billion euros in {year}",
    "{n} schools closed between {year} and 2024",
]


def article_body(rng: random.Random) -> str:
    sentences = []
    for _ in range(rng.randint(1, 3)):
        fact = rng.choice(_FACTS).format(
            n=rng.randint(2, 90), d=rng.randint(0, 9), year=rng.randint(2001, 2023)
        )
        sentences.append(f"{rng.choice(_PEOPLE)} said {fact}, according to official figures.")
        if rng.random() < 0.5:
            sentences.append("It was a long meeting on a grey afternoon.")
    return " ".join(sentences)


def articles_pending(count: int, *, seed: int = 8) -> list[int]:
    """``count`` articles saved without queuing anything (no signal): extraction pending."""
    rng = random.Random(seed)
    rows = []
    for n in range(count):
        title, body = f"Batch article {n}", article_body(rng)
        rows.append(
            Article(
                title=title,
                body=body,
                external_key=f"batch:{seed}:{n}",
                content_hash=content_hash(title=title, body=body),
            )
        )
    return [a.pk for a in Article.objects.bulk_create(rows)]


def lost_or_wrong(article_ids: list[int]) -> list[str]:
    """Every article extracted exactly as a fresh extraction would: no loss, no duplicate."""
    problems = []
    claims: dict[int, list[str]] = {pk: [] for pk in article_ids}
    for article_id, fingerprint in Claim.objects.filter(
        article_id__in=article_ids, origin=ClaimOrigin.EXTRACTED
    ).values_list("article_id", "fingerprint"):
        claims[article_id].append(fingerprint)
    done = set(
        Article.objects.filter(pk__in=article_ids, extraction__extracted_hash=F("content_hash")).values_list(
            "pk", flat=True
        )
    )
    for article in Article.objects.filter(pk__in=article_ids).only("id", "body", "content_hash"):
        expected = {claim_fingerprint(c.text) for c in select_candidates(extract(article.body))}
        got = claims[article.pk]
        if article.pk not in done:
            problems.append(f"article {article.pk}: never extracted")
        elif sorted(got) != sorted(expected):
            problems.append(f"article {article.pk}: {len(got)} claims, expected {len(expected)}")
    duplicates = (
        Claim.objects.filter(article_id__in=article_ids)
        .values("article_id", "start", "end")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    problems.extend(f"duplicate claim {row}" for row in duplicates)
    return problems


def extracted_count(article_ids: list[int]) -> int:
    return Article.objects.filter(pk__in=article_ids, extraction__extracted_hash=F("content_hash")).count()


def one_claim_per_article(article_ids: list[int]) -> list[int]:
    """The best claim of each article, written directly (nothing queued), plus a prior
    fact-check saying the same; the articles count as extracted."""
    claims = []
    for article in Article.objects.filter(pk__in=article_ids):
        best = select_candidates(extract(article.body))[0]
        claims.append(
            Claim(
                article=article,
                text=best.text,
                start=best.start,
                end=best.end,
                fingerprint=claim_fingerprint(best.text),
                origin=ClaimOrigin.EXTRACTED,
                checkworthiness=min(1.0, best.checkworthiness),
            )
        )
    created = Claim.objects.bulk_create(claims)
    ArticleExtraction.objects.bulk_create(
        ArticleExtraction(article=article, extracted_hash=article.content_hash, extracted_at=timezone.now())
        for article in Article.objects.filter(pk__in=article_ids).only("pk", "content_hash")
    )
    report = prior_factchecks_import(
        records=[
            ClaimReviewRecord(
                url=f"https://other-desk.example/review/{c.pk}",
                claim_reviewed=c.text,
                rating_text="False",
                publisher="Other desk",
            )
            for c in created
        ]
    )
    # What import_claimreview queues after commit (embed_and_rematch), done here in-process:
    # without vectors even a prior with the very same text is not matched (lexical score ~0).
    searchdocs_embed(doc_ids=report.stale_doc_ids)
    return [c.pk for c in created]
