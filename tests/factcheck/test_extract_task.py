"""The extraction task and service on a real database: idempotence, re-anchoring, retries."""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import OperationalError, connection, transaction

from editorial.models import Article
from editorial.services import content_hash
from factcheck.models import Claim, ClaimOrigin, ClaimState
from factcheck.selectors import article_is_extracted
from factcheck.services import extraction as services
from factcheck.services.claims import claim_fingerprint
from factcheck.tasks import extract_claims
from tests.factories import ArticleFactory, ClaimFactory

pytestmark = pytest.mark.django_db

SEED = Path(__file__).resolve().parents[2] / "seeds" / "000_c49d0d57fcaaee0c.txt"
BODY = (
    "The finance ministry said unemployment fell from 7.1% to 4.2% between 2019 and 2023.\n\n"
    "Exports rose by 12% to $40 billion last year, according to the statistics office.\n\n"
    "“We cut taxes for 3 million families,” Prime Minister Jane Doe said on Monday.\n\n"
    "I think the weather was lovely."
)


def make_article(body: str = BODY) -> Article:
    return ArticleFactory(body=body)


def edit(article: Article, body: str) -> None:
    article.body = body
    article.content_hash = content_hash(title=article.title, body=body)
    article.save()


def claims_of(article: Article) -> list[Claim]:
    return list(Claim.objects.filter(article=article).order_by("start"))


def assert_anchored(article: Article) -> None:
    article.refresh_from_db()
    for claim in claims_of(article):
        if not claim.text_changed:
            assert article.body[claim.start : claim.end] == claim.text


def test_extraction_creates_scored_attributed_claims_and_marks_the_article():
    article = make_article()
    created = services.claims_extract(article_id=article.pk)
    claims = claims_of(article)
    assert len(created) == len(claims) == 3
    assert [c.claimant for c in claims] == ["Finance ministry", "Statistics office", "Jane Doe"]
    assert all(c.state == ClaimState.CANDIDATE and c.claim_type == "quantity" for c in claims)
    assert claims[2].quote == "We cut taxes for 3 million families"
    assert_anchored(article)
    article.refresh_from_db()
    assert article_is_extracted(article)


def test_running_twice_creates_no_duplicates_and_writes_nothing(django_assert_max_num_queries):
    article = make_article()
    services.claims_extract(article_id=article.pk)
    before = {c.pk: c.updated_at for c in claims_of(article)}
    with django_assert_max_num_queries(6):
        assert services.claims_extract(article_id=article.pk) == []
    assert {c.pk: c.updated_at for c in claims_of(article)} == before


def test_first_run_uses_a_bounded_number_of_queries(django_assert_max_num_queries):
    article = make_article(" ".join([BODY] * 5).replace("\n\n", " "))
    with django_assert_max_num_queries(8):
        services.claims_extract(article_id=article.pk)


class StatementLog:
    """The SQL the service sends (an execute wrapper; savepoints included)."""

    def __init__(self) -> None:
        self.sql: list[str] = []

    def __call__(self, execute, sql, params, many, context):
        self.sql.append(sql)
        return execute(sql, params, many, context)

    def reads_of(self, table: str) -> list[str]:
        return [s for s in self.sql if s.startswith("SELECT") and f'FROM "{table}"' in s]


def test_first_run_does_not_look_for_earlier_claims_and_a_rerun_does():
    article = make_article()
    first, rerun = StatementLog(), StatementLog()
    with connection.execute_wrapper(first):
        services.claims_extract(article_id=article.pk)
    with connection.execute_wrapper(rerun):
        services.claims_extract(article_id=article.pk)
    assert first.reads_of("factcheck_claim") == []
    assert len(rerun.reads_of("factcheck_claim")) == 1


def test_extracted_claim_on_an_article_never_marked_is_reconciled_not_duplicated():
    # Written by another path (an import, a script) without marking the article extracted:
    # the first-run insert meets the unique (article, fingerprint) and the run starts over.
    article = make_article()
    sentence = "“We cut taxes for 3 million families,” Prime Minister Jane Doe said on Monday."
    claim = ClaimFactory(
        article=article,
        text=sentence,
        origin=ClaimOrigin.EXTRACTED,
        fingerprint=claim_fingerprint(sentence),
        state=ClaimState.SELECTED,
    )
    created = services.claims_extract(article_id=article.pk)
    assert len(created) == 2 and claim.pk not in created
    claim.refresh_from_db()
    assert claim.state == ClaimState.SELECTED and BODY[claim.start : claim.end] == sentence
    assert Claim.objects.filter(article=article, fingerprint=claim.fingerprint).count() == 1
    assert_anchored(article)


def test_edit_replaces_candidates_and_reanchors_claims_in_the_workflow():
    article = make_article()
    services.claims_extract(article_id=article.pk)
    doe = Claim.objects.get(article=article, claimant="Jane Doe")
    Claim.objects.filter(pk=doe.pk).update(state=ClaimState.SELECTED)
    exports = Claim.objects.get(article=article, claimant="Statistics office")

    new_body = "Breaking: parliament voted 301 to 250 on Tuesday to pass the budget.\n\n" + BODY.replace(
        "Exports rose by 12% to $40 billion last year, according to the statistics office.\n\n", ""
    )
    edit(article, new_body)
    created = services.claims_extract(article_id=article.pk)

    assert [c.text[:9] for c in Claim.objects.filter(pk__in=created)] == ["Breaking:"]
    assert not Claim.objects.filter(pk=exports.pk).exists()  # a candidate whose sentence is gone
    doe.refresh_from_db()
    assert doe.state == ClaimState.SELECTED and not doe.text_changed
    assert new_body[doe.start : doe.end] == doe.text  # moved with the text
    assert_anchored(article)


def test_claim_in_the_workflow_is_flagged_not_deleted_when_its_sentence_goes():
    article = make_article()
    services.claims_extract(article_id=article.pk)
    doe = Claim.objects.get(article=article, claimant="Jane Doe")
    Claim.objects.filter(pk=doe.pk).update(state=ClaimState.RESEARCHING)

    edit(article, BODY.replace("3 million families", "4 million families"))
    services.claims_extract(article_id=article.pk)
    doe.refresh_from_db()
    assert doe.text_changed and doe.state == ClaimState.RESEARCHING
    assert Claim.objects.filter(article=article, text__contains="4 million").count() == 1

    edit(article, BODY)  # the edit is reverted: anchored again
    services.claims_extract(article_id=article.pk)
    doe.refresh_from_db()
    assert not doe.text_changed
    assert BODY[doe.start : doe.end] == doe.text
    assert Claim.objects.filter(article=article, text__contains="3 million").count() == 1


def test_threshold_and_cap_come_from_settings(settings):
    article = make_article()
    settings.FACTCHECK_MAX_CLAIMS_PER_ARTICLE = 1
    assert len(services.claims_extract(article_id=article.pk)) == 1
    settings.FACTCHECK_MAX_CLAIMS_PER_ARTICLE = 25
    settings.FACTCHECK_CLAIM_THRESHOLD = 0.99
    services.claims_extract(article_id=article.pk)
    assert claims_of(article) == []


class FlakyDatabase:
    """Fails the first ``failures`` queries like a dropped connection would."""

    def __init__(self, failures: int) -> None:
        self.failures = failures

    def __call__(self, execute, sql, params, many, context):
        if self.failures > 0:
            self.failures -= 1
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)


def test_task_retries_on_database_errors_then_succeeds(monkeypatch):
    # Eager retries re-run the task in-process; a worker would wait 1s, 2s, ... (backoff).
    monkeypatch.setitem(extract_claims.app.conf, "task_eager_propagates", False)
    article = make_article()
    flaky = FlakyDatabase(failures=2)
    with connection.execute_wrapper(flaky):
        result = extract_claims.apply(args=[article.pk], throw=False)
    assert result.successful(), result.traceback
    assert result.get() == 3
    assert flaky.failures == 0
    assert len(claims_of(article)) == 3


def test_task_for_a_deleted_article_is_a_no_op():
    assert extract_claims.apply(args=[999_999]).get() == 0


def test_seed_article_end_to_end(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_seeds", str(SEED), stdout=io.StringIO())
    article = Article.objects.get()
    claims = list(article.claims.order_by("-checkworthiness"))
    assert 4 <= len(claims) <= 9
    by_claimant = {}
    for claim in claims:
        assert article.body[claim.start : claim.end] == claim.text
        by_claimant.setdefault(claim.claimant, []).append(claim.text)
    assert any("90 minutes" in t for t in by_claimant["Kremlin"])
    assert any("loss of millions of lives" in t for t in by_claimant["Donald Trump"])
    assert not any(t.startswith("With this high-stakes") for t in sum(by_claimant.values(), []))


def test_command_runs_chosen_articles_and_reports_missing_ones(capsys):
    first, second = make_article(), make_article()
    with pytest.raises(CommandError, match="1 article"):
        call_command("extract_claims", "--article", str(first.pk), "999999")
    out, err = capsys.readouterr()
    assert "no such article" in err
    assert "extracted 1 article(s), 3 new claim(s), failed 1" in out
    assert len(claims_of(first)) == 3 and claims_of(second) == []
    call_command("extract_claims", "--all")
    assert len(claims_of(second)) == 3


def test_command_since_filters_by_update_time(capsys):
    make_article()
    call_command("extract_claims", "--since", "2999-01-01")
    assert "extracted 0 article(s)" in capsys.readouterr().out
    call_command("extract_claims", "--since", "2000-01-01T00:00:00")
    assert "extracted 1 article(s), 3 new claim(s)" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "say which articles"),
        (["--all", "--article", "1"], "cannot be combined"),
        (["--since", "yesterday"], "date like"),
        (["--article", "0"], "positive integers"),
        (["--article", "abc"], "positive integers"),
    ],
)
def test_command_validates_its_arguments(args, message):
    with pytest.raises(CommandError, match=message):
        call_command("extract_claims", *args)


def test_matching_is_queued_on_commit_for_each_new_claim_only(django_capture_on_commit_callbacks):
    article = make_article()
    with django_capture_on_commit_callbacks() as callbacks:
        created = services.claims_extract(article_id=article.pk)
    assert len(created) == 3 and len(callbacks) == 3
    with django_capture_on_commit_callbacks() as callbacks:
        services.claims_extract(article_id=article.pk)
    assert callbacks == []


def test_command_queue_sends_the_task_for_each_article(capsys):
    article = make_article()
    call_command("extract_claims", "--article", str(article.pk), "--queue")
    assert "queued 1 article(s), failed 0" in capsys.readouterr().out
    assert len(claims_of(article)) == 3  # eager Celery in tests: the queued task ran


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_postgres_commit_skips_the_disk_flush_only_in_a_transaction_of_its_own():
    flush_off = "set_config('synchronous_commit', 'off', true)"
    seen = []

    def setting_inside(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if flush_off in sql:
            with context["connection"].cursor() as cursor:
                cursor.execute("SHOW synchronous_commit")
                seen.append(cursor.fetchone()[0])
        return result

    log = StatementLog()
    with connection.execute_wrapper(log), connection.execute_wrapper(setting_inside):
        services.claims_extract(article_id=make_article().pk)
    assert seen == ["off"] and sum(flush_off in sql for sql in log.sql) == 1
    assert len(claims_of(Article.objects.get())) == 3
    with connection.cursor() as cursor:  # SET LOCAL: gone with the transaction
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone()[0] == "on"
    log = StatementLog()
    with connection.execute_wrapper(log), transaction.atomic():  # the caller's transaction
        services.claims_extract(article_id=make_article().pk)
    assert not any("synchronous_commit" in sql for sql in log.sql)
