import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from editorial.models import Article
from factcheck.models import Claim
from factcheck.selectors import article_is_extracted

pytestmark = pytest.mark.django_db

SEED_TEXT = (
    "Ministers promise faster trains\n"
    "The transport minister said on Monday that journeys would be 20% faster by 2027. "
    "Rail unions disputed the figure."
)


def run(*args):
    out, err = StringIO(), StringIO()
    try:
        call_command("import_seeds", *map(str, args), stdout=out, stderr=err)
        failed = None
    except CommandError as exc:
        failed = exc
    return out.getvalue(), err.getvalue(), failed


def summary(out: str) -> str:
    return out.strip().splitlines()[-1]


def test_txt_heading_becomes_title(tmp_path):
    (tmp_path / "a.txt").write_text(SEED_TEXT, encoding="utf-8")
    out, err, failed = run(tmp_path)
    assert failed is None, err
    assert summary(out) == "imported 1, updated 0, unchanged 0, failed 0"
    article = Article.objects.get()
    assert article.title == "Ministers promise faster trains"
    assert article.body.startswith("The transport minister")
    assert article.external_key == "file:a.txt"


def test_txt_without_heading_uses_first_sentence_cut_at_a_word(tmp_path):
    long_sentence = "In a long opening sentence " + "that keeps going " * 20 + "it finally ends. Second one."
    (tmp_path / "b.txt").write_bytes(b"\xef\xbb\xbf" + long_sentence.encode())
    run(tmp_path)
    article = Article.objects.get()
    assert article.title.startswith("In a long opening sentence")
    assert article.title.endswith("…") and len(article.title) <= 120
    assert not article.body.startswith("\ufeff")
    assert article.body == long_sentence


def test_json_object_and_list(tmp_path):
    one = {
        "title": "One",
        "body": "Body one.",
        "url": "https://news.example/1",
        "authors": ["A. Writer", "B. Editor"],
    }
    many = [
        {
            "title": "Two",
            "body": "Body two.",
            "external_key": "feed:2",
            "published_at": "2025-02-13T10:00:00Z",
        },
        {"title": "Three", "body": "Body three.", "outlet": "Daily Example", "language": "de"},
    ]
    (tmp_path / "one.json").write_text(json.dumps(one))
    (tmp_path / "many.json").write_text(json.dumps(many))
    out, err, failed = run(tmp_path)
    assert failed is None, err
    assert summary(out) == "imported 3, updated 0, unchanged 0, failed 0"
    assert Article.objects.get(title="One").authors == "A. Writer, B. Editor"
    assert Article.objects.get(title="One").external_key == "https://news.example/1"
    assert Article.objects.get(external_key="feed:2").published_at.year == 2025
    three = Article.objects.get(title="Three")
    assert (three.outlet.name, three.language) == ("Daily Example", "de")


def test_jsonl_keeps_going_past_a_bad_line(tmp_path):
    lines = [
        json.dumps({"title": "Good", "body": "Fine body.", "external_key": "k1"}),
        "{not json",
        json.dumps({"title": "No body", "external_key": "k2"}),
        json.dumps({"body": "Also fine. Title derived.", "external_key": "k3", "published_at": "yesterday"}),
        json.dumps({"body": "Fine too.", "external_key": "k4"}),
    ]
    (tmp_path / "feed.jsonl").write_text("\n".join(lines))
    out, err, failed = run(tmp_path)
    assert failed is not None
    assert summary(out) == "imported 2, updated 0, unchanged 0, failed 3"
    assert "feed.jsonl:2: malformed JSON" in err
    assert "feed.jsonl:3: missing body" in err
    assert "feed.jsonl:4: field 'published_at' is not a valid ISO 8601 date" in err
    assert set(Article.objects.values_list("external_key", flat=True)) == {"k1", "k4"}


def test_markdown_front_matter(tmp_path):
    (tmp_path / "post.md").write_text(
        "---\ntitle: Budget claims checked\nurl: https://news.example/budget\nauthors: Sam Reporter\n"
        "published_at: 2025-03-01\n---\nThe chancellor said debt fell by £10bn.\n"
    )
    out, err, failed = run(tmp_path)
    assert failed is None, err
    article = Article.objects.get()
    assert (article.title, article.url, article.authors) == (
        "Budget claims checked",
        "https://news.example/budget",
        "Sam Reporter",
    )
    assert article.body == "The chancellor said debt fell by £10bn."


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("latin1.txt", "Café au lait".encode("latin-1"), "not valid UTF-8"),
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00", "looks binary"),
        ("empty.txt", b"   \n", "file is empty"),
        ("broken.json", b'{"title": "x", ', "malformed JSON"),
        ("nobody.json", b'{"title": "x"}', "missing body"),
        ("scalar.json", b"42", "expected a JSON object"),
        ("bad-url.json", b'{"body": "b", "url": "javascript:alert(1)"}', "not a valid http(s) URL"),
        ("deep.json", b"[" * 100000 + b"]" * 100000, "nested too deeply"),
        ("doc.pdf", b"%PDF-1.4", "unsupported format"),
    ],
)
def test_each_bad_file_is_reported_and_the_others_imported(tmp_path, name, content, reason):
    (tmp_path / "good.txt").write_text(SEED_TEXT)
    bad = tmp_path / name
    bad.write_bytes(content)
    out, err, failed = run(tmp_path / "good.txt", bad)
    assert failed is not None, "exit status must be non-zero"
    assert f"FAILED {bad}" in err and reason in err
    assert summary(out) == "imported 1, updated 0, unchanged 0, failed 1"
    assert Article.objects.count() == 1


def test_file_over_the_size_limit_is_refused(tmp_path, settings):
    settings.IMPORT_MAX_FILE_BYTES = 100
    (tmp_path / "big.txt").write_text("word " * 100)
    out, err, failed = run(tmp_path)
    assert failed is not None
    assert "larger than the limit of 100 bytes" in err
    assert Article.objects.count() == 0


def test_missing_path_is_reported(tmp_path):
    out, err, failed = run(tmp_path / "nope")
    assert failed is not None and "no such file or folder" in err


@pytest.mark.django_db(transaction=True)
def test_second_run_changes_nothing_and_edited_text_updates(tmp_path):
    seed = tmp_path / "a.txt"
    seed.write_text(SEED_TEXT)
    run(tmp_path)
    article = Article.objects.get()
    claims_before = list(Claim.objects.values_list("pk", flat=True))
    out, _, _ = run(tmp_path)
    assert summary(out) == "imported 0, updated 0, unchanged 1, failed 0"
    assert list(Claim.objects.values_list("pk", flat=True)) == claims_before

    seed.write_text(SEED_TEXT + " The minister also said 300 new stations would open.")
    out, _, _ = run(tmp_path)
    assert summary(out) == "imported 0, updated 1, unchanged 0, failed 0"
    assert Article.objects.count() == 1
    article.refresh_from_db()
    assert "300 new stations" in article.body
    assert article_is_extracted(article)


def test_dry_run_writes_nothing(tmp_path):
    (tmp_path / "a.txt").write_text(SEED_TEXT)
    out, _, failed = run(tmp_path, "--dry-run")
    assert failed is None
    assert summary(out) == "dry run: would have imported 1, updated 0, unchanged 0, failed 0"
    assert Article.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_shipped_seed_article_imports_with_claims():
    out, err, failed = run()
    assert failed is None, err
    article = Article.objects.get()
    assert article.title.startswith("In a significant diplomatic shift, U.S. President Donald Trump")
    assert article.claims.count() >= 1
    for claim in article.claims.all():
        assert article.body[claim.start : claim.end] == claim.text
