"""factory_boy factories for the domain model. Add new ones at the end of the file."""

import factory
from django.contrib.auth import get_user_model

from coverage.models import PriorFactCheck
from editorial.models import Article, Outlet
from editorial.services import content_hash
from factcheck.models import Claim, Source, Verdict
from factcheck.services.feed import claim_feed_refresh


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("pw-for-tests-123")
    is_staff = True


class OutletFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Outlet
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Outlet {n}")
    domain = factory.Sequence(lambda n: f"outlet{n}.example")


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    outlet = factory.SubFactory(OutletFactory)
    title = factory.Sequence(lambda n: f"Article {n}")
    body = "The minister said unemployment fell to 4.2% in March. Critics disagree with her."
    external_key = factory.Sequence(lambda n: f"test:{n}")
    content_hash = factory.LazyAttribute(lambda a: content_hash(title=a.title, body=a.body))


class ClaimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Claim

    text = factory.Sequence(lambda n: f"Unemployment fell to {n}% in March, the minister said.")
    claimant = "The minister"
    checkworthiness = 0.8


class VerdictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Verdict
        skip_postgeneration_save = True

    claim = factory.SubFactory(ClaimFactory)
    rating = "false"
    headline = "Unemployment rose in March, it did not fall"
    summary = "Official statistics show unemployment rose to 5.1% in March."

    @factory.post_generation
    def feed_fields(verdict, create, extracted, **kwargs):
        """A verdict written here skips the services, so its claim's stored feed fields
        (``Claim.first_published_at``, ``modified_at``) are recomputed as a service would."""
        if create:
            claim_feed_refresh(claim_ids=[verdict.claim_id])
            verdict.claim.refresh_from_db(fields=["first_published_at", "modified_at"])


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    verdict = factory.SubFactory(VerdictFactory)
    url = factory.Sequence(lambda n: f"https://stats.example.org/release/{n}")
    title = "Labour market statistics, March"
    publisher = "Office for Statistics"


class PriorFactCheckFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PriorFactCheck

    claim_reviewed = factory.Sequence(lambda n: f"Claim number {n} about vaccines causing autism.")
    rating_text = "False"
    publisher = "Other Fact-checker"
    url = factory.Sequence(lambda n: f"https://factcheck.example.org/review/{n}")


# --- partner tips, the desk's role groups, claims in a given workflow state --------------


class TipFactory(factory.django.DjangoModelFactory):
    """A partner's tip with its claim (origin partner, a candidate)."""

    class Meta:
        model = "partners.Tip"

    claim = factory.SubFactory(ClaimFactory, origin="partner", article=None)
    partner = factory.SubFactory("tests.factories.PartnerFactory")
    context = "Seen on a partner's feed."


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "partners.Partner"
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Partner {n}")


def _join_role(user, create: bool, role: str) -> None:
    from desk.roles import role_group

    if create and role:
        user.groups.add(role_group(role))
        # has_perm caches permissions on the instance; the new group must be seen.
        for cache in ("_perm_cache", "_group_perm_cache", "_user_perm_cache"):
            user.__dict__.pop(cache, None)


class ReporterFactory(UserFactory):
    """A staff user in the Reporter group; pass ``role="Editor"`` etc. to pick another."""

    class Meta:
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"reporter{n}")

    @factory.post_generation
    def role(user, create, extracted, **kwargs):
        _join_role(user, create, extracted or "Reporter")


class FactCheckerFactory(UserFactory):
    class Meta:
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"factchecker{n}")

    @factory.post_generation
    def role(user, create, extracted, **kwargs):
        _join_role(user, create, extracted or "Fact-checker")


class EditorFactory(UserFactory):
    class Meta:
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"editor{n}")

    @factory.post_generation
    def role(user, create, extracted, **kwargs):
        _join_role(user, create, extracted or "Editor")


class SuperuserFactory(UserFactory):
    username = factory.Sequence(lambda n: f"admin{n}")
    is_superuser = True


def claim_in_state(state: str, *, author=None, verdict: bool | None = None, **claim_fields) -> Claim:
    """A claim already at ``state`` (set directly, as only a test may), ready for its next step.

    From ``researching`` on it gets a complete current verdict by ``author`` with one source
    (pass ``verdict=False`` to leave it out, ``verdict=True`` to add one earlier); a
    published claim's verdict has ``published_at`` set.
    """
    from django.utils import timezone

    claim = ClaimFactory(state=state, **claim_fields)
    if verdict is None:
        verdict = state in {"researching", "in_review", "approved", "published"}
    if verdict:
        published_at = timezone.now() if state == "published" else None
        current = VerdictFactory(claim=claim, author=author, published_at=published_at)
        SourceFactory(verdict=current)
    return claim
