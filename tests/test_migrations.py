"""A database filled before the apps were split migrates to today's schema with nothing lost.

The test migrates back to the last migrations before the split (``editorial`` 0001,
``factcheck`` 0009; ``coverage``, ``partners`` and ``desk`` unapplied), fills every table
the split touches through the historical models of that state, and migrates forward to
the leaf nodes. Then, with today's models:

- every row keeps every value it had; the only changes are the ones the migrations make
  (a claim's ``tip_url`` is its ``appearance_url``, its partner fields are a ``partners.Tip``,
  an article's extraction bookkeeping is a ``factcheck.ArticleExtraction``, fingerprints
  are ``claim_fingerprint(text)``);
- every relation resolves: matches to their claim and target, keys and webhooks to their
  partner, deliveries to their webhook, verdicts to their claim, sources to their verdict;
- the moved models' content types (and so the permissions and role groups) are now
  ``coverage`` and ``partners``; an Editor may still change coverage matches;
- an API key made before the split still authenticates, and full-text search (SQLite FTS5
  or PostgreSQL tsvector, raw SQL on the kept table) still finds an indexed fact-check.

It then migrates back to the old head (the rows are as they were, apart from what the
reverse cannot restore) and forward again, with the same checks. The schema is left at
the leaf nodes whatever happens, for the tests that run after this one.
"""

import hashlib
import importlib
import re
import unicodedata
from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

OLD_HEAD = [
    ("editorial", "0001_initial"),
    ("factcheck", "0009_claim_list_order_idx"),
    ("coverage", None),
    ("partners", None),
    ("desk", None),
]
OLD_NODES = [target for target in OLD_HEAD if target[1] is not None]

MOVED = {
    "priorfactcheck": "coverage",
    "coveragematch": "coverage",
    "searchdoc": "coverage",
    "partner": "partners",
    "apikey": "partners",
    "webhook": "partners",
    "webhookdelivery": "partners",
}
# The tables as they were before the split, with the models that hold them today.
TABLES = {
    ("auth", "User"): "auth.User",
    ("editorial", "Outlet"): "editorial.Outlet",
    ("editorial", "Article"): "editorial.Article",
    ("factcheck", "Claim"): "factcheck.Claim",
    ("factcheck", "Verdict"): "factcheck.Verdict",
    ("factcheck", "Source"): "factcheck.Source",
    ("factcheck", "ReviewEvent"): "factcheck.ReviewEvent",
    ("factcheck", "PriorFactCheck"): "coverage.PriorFactCheck",
    ("factcheck", "CoverageMatch"): "coverage.CoverageMatch",
    ("factcheck", "SearchDoc"): "coverage.SearchDoc",
    ("factcheck", "Partner"): "partners.Partner",
    ("factcheck", "ApiKey"): "partners.ApiKey",
    ("factcheck", "Webhook"): "partners.Webhook",
    ("factcheck", "WebhookDelivery"): "partners.WebhookDelivery",
}

API_PREFIX, API_SECRET, API_SALT = "a1b2c3d4e5f6", "kept-secret-0123456789abcdefghijklmnopqrstu", "00ff" * 8
SEARCH_TEXT = "Drinking seawater every morning cures the common cold."

_SPACE = re.compile(r"\s+")


def _at(day, hour=9):
    return datetime(2026, 3, day, hour, 0, tzinfo=UTC)


def _old_sentence_fingerprint(text):
    """How extracted claims were keyed before the split."""
    return hashlib.sha256(_SPACE.sub(" ", text).strip().lower().encode()).hexdigest()[:32]


def _old_tip_fingerprint(text):
    """How partner tips were keyed before the split."""
    normal = _SPACE.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip().rstrip(".!?;: ")
    return hashlib.sha256(normal.encode()).hexdigest()


def _migrate(executor, targets):
    executor.loader.build_graph()
    executor.migrate(targets)


def _rows(model):
    return list(model.objects.order_by("pk").values())


def _fill_old_head(apps):
    """Rows of every kind the split touches, made with the models as they were; their pks."""
    from partners.services import _hash_secret

    User = apps.get_model("auth", "User")
    Group = apps.get_model("auth", "Group")
    Outlet = apps.get_model("editorial", "Outlet")
    Article = apps.get_model("editorial", "Article")
    Claim = apps.get_model("factcheck", "Claim")
    Verdict = apps.get_model("factcheck", "Verdict")
    Source = apps.get_model("factcheck", "Source")
    ReviewEvent = apps.get_model("factcheck", "ReviewEvent")
    PriorFactCheck = apps.get_model("factcheck", "PriorFactCheck")
    CoverageMatch = apps.get_model("factcheck", "CoverageMatch")
    SearchDoc = apps.get_model("factcheck", "SearchDoc")
    Partner = apps.get_model("factcheck", "Partner")
    ApiKey = apps.get_model("factcheck", "ApiKey")
    Webhook = apps.get_model("factcheck", "Webhook")
    WebhookDelivery = apps.get_model("factcheck", "WebhookDelivery")

    editor = User.objects.create(username="eddie", password="!", email="eddie@desk.example", is_staff=True)
    checker = User.objects.create(username="fiona", password="!", first_name="Fiona", is_staff=True)
    # The role groups as factcheck 0003 made them, before the split.
    importlib.import_module("factcheck.migrations.0003_workflow_role_groups").create_role_groups(apps, None)
    editor.groups.add(Group.objects.get(name="Editor"))

    outlet = Outlet.objects.create(name="Daily Planet", domain="planet.example", is_own=True)

    def article(key, **fields):
        return Article.objects.create(
            outlet=outlet,
            title=f"Article {key}",
            body=f"The body of article {key}.",
            url=f"https://planet.example/{key}",
            authors="Lois Lane, Clark Kent",
            published_at=_at(1),
            external_key=f"planet:{key}",
            content_hash=f"{key:0>64}",
            **fields,
        )

    extracted = article("extracted", extracted_hash=f"{'extracted':0>64}", extracted_at=_at(2))
    edited = article("edited", extracted_hash=f"{'before-edit':0>64}", extracted_at=_at(3))
    hash_only = article("hash-only", extracted_hash=f"{'hash-only':0>64}")
    never = article("never", language="de")

    def extracted_claim(source, text, **fields):
        return Claim.objects.create(
            article=source,
            text=text,
            origin="extracted",
            fingerprint=_old_sentence_fingerprint(text),
            **fields,
        )

    published = extracted_claim(
        extracted,
        "Unemployment  fell to 3.9 percent in March.",
        start=0,
        end=44,
        claimant="The minister",
        checkworthiness=0.82,
        claim_type="quantity",
        quote="fell to 3.9 percent",
        features={"numbers": 1, "hedges": []},
        matched_at=_at(4),
        state="published",
        state_changed_at=_at(5),
        assignee=checker,
        priority=2,
        due_date=date(2026, 3, 10),
        created_by=editor,
        version=4,
    )
    candidate = extracted_claim(
        extracted, "Crime has doubled since 2010.", checkworthiness=0.4, text_changed=True
    )
    # Two sentences of one article that only the new fingerprint calls the same.
    same_a = extracted_claim(edited, "The bridge cost 40 million pounds.", checkworthiness=0.5)
    same_b = extracted_claim(edited, "The bridge cost 40 million pounds?", checkworthiness=0.3)
    manual = Claim.objects.create(
        text="The mayor promised 500 new homes.",
        origin="manual",
        tip_url="https://social.example/post/1",
        state="selected",
        created_by=editor,
    )
    partner = Partner.objects.create(name="Lakeside Radio", contact="news@lakeside.example")
    quiet = Partner.objects.create(name="Campus Checkers", active=False)
    tip_text = "Ｔhe river is the  cleanest in Europe!"
    tip = Claim.objects.create(
        text=tip_text,
        claimant="A councillor",
        origin="partner",
        fingerprint=_old_tip_fingerprint(tip_text),
        partner=partner,
        tip_url="https://lakeside.example/clip/7",
        tip_context="Said on air during the morning show.",
        priority=1,
    )
    quiet_tip = Claim.objects.create(
        text="Tuition fees rose by half.",
        origin="partner",
        fingerprint=_old_tip_fingerprint("Tuition fees rose by half."),
        partner=quiet,
        tip_url="https://campus.example/a",
        state="dismissed",
    )
    # A partner tip whose partner was deleted (SET_NULL): the claim stays, no Tip is made.
    orphan_tip = Claim.objects.create(
        text="Bus fares will be free next year.",
        origin="partner",
        fingerprint=_old_tip_fingerprint("Bus fares will be free next year."),
        tip_url="https://gone.example/b",
    )

    first = Verdict.objects.create(
        claim=published,
        rating="false",
        summary="It fell to 4.1 percent.",
        author=checker,
        reviewer=editor,
        version=1,
        revision=2,
        is_current=False,
        published_at=_at(5),
    )
    second = Verdict.objects.create(
        claim=published,
        rating="true",
        summary="It did fall to 3.9 percent.",
        author=checker,
        reviewer=editor,
        version=2,
        is_current=True,
        correction_note="We misread the table; corrected.",
        published_at=_at(6),
    )
    Source.objects.create(verdict=first, url="https://stats.example/lfs", title="Labour force survey")
    Source.objects.create(
        verdict=second,
        url="https://stats.example/lfs-revised",
        title="Labour force survey, revised",
        publisher="Statistics Office",
        accessed_at=date(2026, 3, 6),
        note="Table 2",
    )
    ReviewEvent.objects.create(
        claim=published,
        actor=checker,
        transition="select",
        from_state="candidate",
        to_state="selected",
        at=_at(4),
    )
    ReviewEvent.objects.create(
        claim=published,
        actor=editor,
        transition="publish",
        from_state="approved",
        to_state="published",
        note="Good to go.",
        at=_at(5),
        notified_at=_at(5, 10),
    )

    prior = PriorFactCheck.objects.create(
        claim_reviewed=SEARCH_TEXT,
        claimant="A wellness blog",
        rating_text="False",
        rating_value=1.0,
        publisher="Other Checkers",
        url="https://other.example/seawater",
        review_date=date(2025, 11, 2),
        claim_date=date(2025, 10, 30),
        language="en",
        title="No, seawater does not cure colds",
        raw={"@type": "ClaimReview", "reviewRating": {"alternateName": "False"}},
    )
    to_prior = CoverageMatch.objects.create(
        claim=tip,
        prior_factcheck=prior,
        score=0.91,
        method="hybrid",
        rank=1,
        is_strong=True,
        status="confirmed",
        decided_by=editor,
        decided_at=_at(7),
    )
    to_claim = CoverageMatch.objects.create(
        claim=manual, prior_claim=published, score=0.6, method="lexical", rank=1
    )
    to_article = CoverageMatch.objects.create(
        claim=candidate, prior_article=never, score=0.4, method="semantic", rank=2, status="rejected"
    )
    SearchDoc.objects.create(
        kind="factcheck",
        object_id=prior.pk,
        text=prior.claim_reviewed,
        context=prior.title,
        claimant=prior.claimant,
        item_date=prior.review_date,
    )
    SearchDoc.objects.create(
        kind="claim",
        object_id=published.pk,
        text=published.text,
        item_date=date(2026, 3, 5),
        embedding=b"\x00<\x00\xbc\x00\x00\x00<",
        embedding_model="retired-model",
    )
    SearchDoc.objects.create(kind="article", object_id=extracted.pk, text=extracted.title)

    key = ApiKey.objects.create(
        partner=partner,
        name="production",
        prefix=API_PREFIX,
        hashed_secret=_hash_secret(API_SECRET, API_SALT),
        scopes="read,submit",
        last_used_at=_at(8),
    )
    revoked = ApiKey.objects.create(
        partner=partner,
        prefix="0f0f0f0f0f0f",
        hashed_secret=_hash_secret("another-secret", "11" * 16),
        revoked=True,
        revoked_at=_at(8),
    )
    webhook = Webhook.objects.create(
        partner=partner,
        url="https://lakeside.example/hook",
        secret="whsec",
        events=["published", "corrected"],
    )
    quiet_hook = Webhook.objects.create(
        partner=quiet, url="https://campus.example/hook", secret="s", active=False
    )
    delivered = WebhookDelivery.objects.create(
        webhook=webhook,
        event="published",
        event_id="evt-1",
        payload={"claim": published.pk, "rating": "false"},
        status_code=200,
        succeeded=True,
        at=_at(5, 11),
    )
    failed = WebhookDelivery.objects.create(
        webhook=webhook, event="corrected", attempt=3, error="timed out after 10 s", at=_at(6, 11)
    )
    return {
        "editor": editor.pk,
        "articles": {
            "extracted": extracted.pk,
            "edited": edited.pk,
            "hash_only": hash_only.pk,
            "never": never.pk,
        },
        "claims": {
            "published": published.pk,
            "candidate": candidate.pk,
            "same_a": same_a.pk,
            "same_b": same_b.pk,
            "manual": manual.pk,
            "tip": tip.pk,
            "quiet_tip": quiet_tip.pk,
            "orphan_tip": orphan_tip.pk,
        },
        "verdicts": (first.pk, second.pk),
        "prior": prior.pk,
        "matches": {"prior": to_prior.pk, "claim": to_claim.pk, "article": to_article.pk},
        "partners": (partner.pk, quiet.pk),
        "keys": (key.pk, revoked.pk),
        "webhooks": (webhook.pk, quiet_hook.pk),
        "deliveries": (delivered.pk, failed.pk),
    }


def _snapshot(apps):
    """Every row of the old tables, the Editor's permissions and the moved content types."""
    Group = apps.get_model("auth", "Group")
    ContentType = apps.get_model("contenttypes", "ContentType")
    return {
        "rows": {old: _rows(apps.get_model(*old)) for old in TABLES},
        "memberships": sorted(
            apps.get_model("auth", "User").groups.through.objects.values_list("user_id", "group_id")
        ),
        "editor_perms": set(
            Group.objects.get(name="Editor").permissions.values_list("content_type__app_label", "codename")
        ),
        "content_types": dict(
            ContentType.objects.filter(app_label="factcheck", model__in=MOVED).values_list("model", "pk")
        ),
    }


def _expected_today(old_rows, ids):
    """The old rows as today's models should read them."""
    from factcheck.services.claims import claim_fingerprint

    expected = {old: [dict(row) for row in rows] for old, rows in old_rows.items()}
    for row in expected[("editorial", "Article")]:
        del row["extracted_hash"], row["extracted_at"]
    verdicts = old_rows[("factcheck", "Verdict")]
    for row in expected[("factcheck", "CoverageMatch")]:
        row.update(differences="", features={})  # added later, empty for older matches
    for row in expected[("factcheck", "Claim")]:
        del row["partner_id"], row["tip_context"]
        row["appearance_url"] = row.pop("tip_url")
        row["same_as_id"] = row["grouped_at"] = None  # canonical, to be grouped by the sweep
        row["checked_wording"] = ""  # the sentence as it appeared is the claim as checked
        # The feed fields, filled from the claim and its verdict versions: first published
        # while public, last change of the claim or its current verdict.
        versions = [v for v in verdicts if v["claim_id"] == row["id"]]
        current = next((v for v in versions if v["is_current"]), None)
        public = row["state"] == "published" and current is not None and current["published_at"] is not None
        went_out = [v["published_at"] for v in versions if v["published_at"] is not None]
        row["first_published_at"] = min(went_out) if public else None
        row["modified_at"] = max(row["updated_at"], current["updated_at"]) if current else row["updated_at"]
        # The later of two sentences that the new key calls the same keeps its old key.
        if row["id"] != ids["claims"]["same_b"]:
            row["fingerprint"] = claim_fingerprint(row["text"])
    for row in expected[("factcheck", "Verdict")]:
        row["headline"] = row["body"] = ""  # written by the desk from now on
    return expected


def _check_today(old, ids):
    """Assert the migrated database against the snapshot taken at the old head."""
    from django.apps import apps
    from django.contrib.auth import get_user_model
    from django.contrib.contenttypes.models import ContentType

    from coverage.matching import search
    from coverage.models import CoverageMatch
    from desk.roles import ROLES
    from factcheck.models import ArticleExtraction, Claim, Source, Verdict
    from factcheck.services.claims import claim_fingerprint
    from partners.models import ApiKey, Tip, WebhookDelivery
    from partners.services import api_key_verify

    expected = _expected_today(old["rows"], ids)
    # The fill is exercised: some claim is public (and one is not), some verdict changed last.
    filled = expected[("factcheck", "Claim")]
    assert {row["first_published_at"] is None for row in filled} == {True, False}
    assert any(row["modified_at"] != row["updated_at"] for row in filled)
    for table, label in TABLES.items():
        assert _rows(apps.get_model(label)) == expected[table], f"{label} rows differ from {table}"

    claims = ids["claims"]
    old_claims = {row["id"]: row for row in old["rows"][("factcheck", "Claim")]}
    fingerprints = dict(Claim.objects.values_list("pk", "fingerprint"))
    for pk, row in old_claims.items():
        if pk == claims["same_b"]:
            assert fingerprints[pk] == row["fingerprint"] != claim_fingerprint(row["text"])
        else:
            assert fingerprints[pk] == claim_fingerprint(row["text"])
    assert fingerprints[claims["same_a"]] == claim_fingerprint(old_claims[claims["same_b"]]["text"])
    assert {pk: c.appearance_url for pk, c in Claim.objects.in_bulk().items()} == {
        pk: row["tip_url"] for pk, row in old_claims.items()
    }

    tips = Tip.objects.values_list("claim_id", "partner_id", "context", "submitted_at")
    assert sorted(tips) == sorted(
        (pk, row["partner_id"], row["tip_context"], row["created_at"])
        for pk, row in old_claims.items()
        if row["partner_id"] is not None
    )
    tip = Claim.objects.select_related("tip__partner").get(pk=claims["tip"]).tip
    assert (tip.partner.name, tip.context) == ("Lakeside Radio", "Said on air during the morning show.")
    assert not Tip.objects.filter(claim_id=claims["orphan_tip"]).exists()

    articles = {row["id"]: row for row in old["rows"][("editorial", "Article")]}
    assert set(ArticleExtraction.objects.values_list("article_id", "extracted_hash", "extracted_at")) == {
        (pk, row["extracted_hash"], row["extracted_at"] or row["updated_at"])
        for pk, row in articles.items()
        if row["extracted_hash"] or row["extracted_at"] is not None
    }
    assert not ArticleExtraction.objects.filter(article_id=ids["articles"]["never"]).exists()
    hash_only = ids["articles"]["hash_only"]
    assert ArticleExtraction.objects.get(pk=hash_only).extracted_at == articles[hash_only]["updated_at"]

    matches = {
        m.pk: m for m in CoverageMatch.objects.select_related("claim", "prior_factcheck", "prior_claim")
    }
    by_prior, by_claim, by_article = (matches[ids["matches"][k]] for k in ("prior", "claim", "article"))
    assert (by_prior.claim_id, by_prior.target.pk, by_prior.target.url) == (
        claims["tip"],
        ids["prior"],
        "https://other.example/seawater",
    )
    assert by_prior.claim.tip.partner_id == ids["partners"][0]
    assert (by_claim.claim_id, by_claim.target.pk) == (claims["manual"], claims["published"])
    assert (by_article.claim_id, by_article.target.pk) == (claims["candidate"], ids["articles"]["never"])
    assert by_article.target.title == "Article never"

    first, second = (Verdict.objects.select_related("claim").get(pk=pk) for pk in ids["verdicts"])
    assert (first.claim_id, second.claim_id) == (claims["published"], claims["published"])
    assert Claim.objects.get(pk=claims["published"]).current_verdict == second
    assert [s.verdict_id for s in Source.objects.order_by("pk")] == list(ids["verdicts"])
    assert {k.pk: k.partner.name for k in ApiKey.objects.select_related("partner")} == dict.fromkeys(
        ids["keys"], "Lakeside Radio"
    )
    assert {d.pk: d.webhook_id for d in WebhookDelivery.objects.all()} == dict.fromkeys(
        ids["deliveries"], ids["webhooks"][0]
    )

    content_types = {
        ct.model: (ct.app_label, ct.pk)
        for ct in ContentType.objects.filter(
            app_label__in=("factcheck", "coverage", "partners"), model__in=MOVED
        )
    }
    assert content_types == {model: (app, old["content_types"][model]) for model, app in MOVED.items()}
    editor = get_user_model().objects.get(pk=ids["editor"])
    assert editor.has_perm("coverage.change_coveragematch")
    assert editor.groups.get().name == "Editor"
    assert editor.get_group_permissions() == set(ROLES["Editor"])

    assert api_key_verify(full_key=f"fc_{API_PREFIX}.{API_SECRET}").pk == ids["keys"][0]
    assert api_key_verify(full_key=f"fc_{API_PREFIX}.wrong-secret") is None
    assert api_key_verify(full_key="fc_0f0f0f0f0f0f.another-secret") is None  # revoked

    found = search("seawater cures the common cold")
    assert ("factcheck", ids["prior"]) in [(m.kind, m.object_id) for m in found]


def _check_old_head(apps, old, ids):
    """Back at the old head the rows are as they were, apart from what no reverse restores."""
    now = _snapshot(apps)
    assert now["memberships"] == old["memberships"]
    # Migrating back leaves the role groups alone (``keep_role_groups``): Editors keep the
    # permission a later migration gave them.
    assert now["editor_perms"] - {("factcheck", "merge_claim")} == old["editor_perms"]
    assert now["content_types"] == old["content_types"]
    expected = {table: [dict(row) for row in rows] for table, rows in old["rows"].items()}
    # Fingerprints keep the new key (its reverse is a no-op; extraction reconciles them).
    today = _expected_today(old["rows"], ids)[("factcheck", "Claim")]
    new_keys = {row["id"]: row["fingerprint"] for row in today}
    for row in expected[("factcheck", "Claim")]:
        row["fingerprint"] = new_keys[row["id"]]
    # An article extracted without a recorded time gets the time the copy assumed.
    for row in expected[("editorial", "Article")]:
        if row["extracted_hash"] and row["extracted_at"] is None:
            row["extracted_at"] = row["updated_at"]
    for table in TABLES:
        assert now["rows"][table] == expected[table], f"{table} rows differ after migrating back"


@pytest.mark.django_db(transaction=True)
def test_a_database_filled_before_the_split_migrates_with_every_row_and_relation():
    executor = MigrationExecutor(connection)
    try:
        _migrate(executor, OLD_HEAD)
        old_apps = executor.loader.project_state(OLD_NODES).apps
        ids = _fill_old_head(old_apps)
        old = _snapshot(old_apps)
        assert all(old["rows"].values()) and old["memberships"] and len(old["content_types"]) == len(MOVED)

        _migrate(executor, executor.loader.graph.leaf_nodes())
        _check_today(old, ids)

        _migrate(executor, OLD_HEAD)
        _check_old_head(old_apps, old, ids)

        _migrate(executor, executor.loader.graph.leaf_nodes())
        _check_today(old, ids)
    finally:
        _migrate(executor, executor.loader.graph.leaf_nodes())
