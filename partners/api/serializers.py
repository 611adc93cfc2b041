"""Input and output shapes. Output serializers list their fields one by one, so nothing
internal (notes, assignees, users, e-mails, drafts) can appear by accident."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.links import safe_url
from factcheck import ratings
from factcheck.models import Claim, ClaimState
from factcheck.selectors import appearances_in_order
from partners.api.presenters import rating_payload
from public.claimreview import factcheck_url


class OutputSerializer(serializers.Serializer):
    """A shape the API answers with, never one it takes: its fields are read-only, so the
    OpenAPI schema and ``OPTIONS`` mark them so (nested shapes are output serializers too).
    A field declared ``required=False`` (present only sometimes, as an error's ``fields``)
    stays as declared: the schema lists every read-only field as always present."""

    def get_fields(self):
        fields = super().get_fields()
        for field in fields.values():
            if field.required:
                field.read_only, field.required = True, False
        return fields


def absolute(request, path: str) -> str:
    """An absolute URL: from the request when there is one, else from SITE_URL (webhooks)."""
    return request.build_absolute_uri(path) if request is not None else settings.SITE_URL + path


class ErrorDetailSerializer(OutputSerializer):
    code = serializers.CharField(help_text="Stable machine-readable code, e.g. `not_found`.")
    message = serializers.CharField(help_text="What went wrong, for people.")
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Per-field messages for a request that did not validate.",
    )


class ErrorSerializer(OutputSerializer):
    error = ErrorDetailSerializer()


class OutletSerializer(OutputSerializer):
    name = serializers.CharField()
    domain = serializers.CharField()


class ArticleSerializer(OutputSerializer):
    title = serializers.CharField()
    url = serializers.SerializerMethodField(help_text="Where the claim appeared (http/https, may be empty).")
    published_at = serializers.DateTimeField(allow_null=True)
    outlet = OutletSerializer(allow_null=True)

    def get_url(self, article) -> str:
        return safe_url(article.url)


class SourceSerializer(OutputSerializer):
    url = serializers.CharField()
    title = serializers.CharField()
    publisher = serializers.CharField()
    accessed_at = serializers.DateField(allow_null=True)


class RatingSerializer(OutputSerializer):
    key = serializers.ChoiceField(choices=ratings.CHOICES, help_text="Stable rating key.")
    label = serializers.CharField()
    value = serializers.IntegerField(
        allow_null=True, help_text="ClaimReview ratingValue (1 worst … 5 best); null for text-only ratings."
    )
    best = serializers.IntegerField()
    worst = serializers.IntegerField()

    def to_representation(self, key):
        return rating_payload(key)


class VerdictSerializer(OutputSerializer):
    rating = RatingSerializer()
    summary = serializers.CharField()
    version = serializers.IntegerField(help_text="1, plus one per published correction.")
    published_at = serializers.DateTimeField()
    sources = SourceSerializer(many=True, source="sources.all")


class AppearanceSerializer(OutputSerializer):
    text = serializers.CharField(help_text="The sentence as it appeared.")
    claimant = serializers.CharField()
    seen_at = serializers.DateTimeField(help_text="The article's publication, else when the claim arrived.")
    article = ArticleSerializer(allow_null=True)
    url = serializers.SerializerMethodField(
        help_text="Where it appeared, when not in an article (may be empty)."
    )

    def get_url(self, claim) -> str:
        return safe_url(claim.appearance_url)


class CorrectionSerializer(OutputSerializer):
    version = serializers.IntegerField()
    note = serializers.CharField(source="correction_note")
    published_at = serializers.DateTimeField()


class FactCheckSerializer(OutputSerializer):
    id = serializers.IntegerField(read_only=True)
    url = serializers.SerializerMethodField(help_text="This fact-check in the API.")
    public_url = serializers.SerializerMethodField(help_text="The fact-check's public page.")
    text = serializers.CharField()
    claimant = serializers.CharField()
    article = ArticleSerializer(allow_null=True)
    verdict = VerdictSerializer(source="current_verdict")
    corrections = serializers.SerializerMethodField()
    appearances = serializers.SerializerMethodField(
        help_text="Where the claim appeared, first seen first (this claim and its repeats)."
    )
    published_at = serializers.DateTimeField(source="first_published_at")
    updated_at = serializers.DateTimeField(source="modified_at")

    def get_url(self, claim) -> str:
        return absolute(self.context.get("request"), reverse("api:factcheck-detail", kwargs={"pk": claim.pk}))

    def get_public_url(self, claim) -> str:
        return factcheck_url(claim=claim)

    @extend_schema_field(AppearanceSerializer(many=True))
    def get_appearances(self, claim):
        return AppearanceSerializer(appearances_in_order(claim), many=True).data

    @extend_schema_field(CorrectionSerializer(many=True))
    def get_corrections(self, claim):
        """Published versions that carry a correction note, oldest first (never drafts)."""
        versions = sorted(claim.verdicts.all(), key=lambda v: v.version)
        corrected = [v for v in versions if v.published_at is not None and v.correction_note]
        return CorrectionSerializer(corrected, many=True).data


class FactCheckRefSerializer(OutputSerializer):
    id = serializers.IntegerField()
    url = serializers.CharField(help_text="The fact-check in the API.")
    public_url = serializers.CharField(help_text="The fact-check's public page, to send the tip's sender.")
    rating = serializers.CharField(help_text="The rating's stable key, as in ``verdict.rating.key``.")
    summary = serializers.CharField(help_text="The short answer.")


# The characters ``str.strip()`` removes, spelled out: ``\s`` differs between Python and
# the ECMAScript regular expressions of JSON Schema (\x1c-\x1f, \x85), and the schema's
# patterns must mean what the validators do.
SPACE = r"\t-\r\x1c- \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"


def at_least(count: int) -> RegexValidator:
    """At least ``count`` characters once the spaces around are stripped (the schema carries
    the same pattern). Fields using it keep the value as sent (``trim_whitespace=False``), so
    ``maxLength`` counts what was sent, and strip it once valid."""
    return RegexValidator(
        rf"^[{SPACE}]*[^{SPACE}\x00][^\x00]{{{count - 2},}}[^{SPACE}\x00][{SPACE}]*$",
        f"Use at least {count} characters besides the spaces around them.",
    )


# Empty, or an http(s) URL: a host (no spaces, no user part) and an optional path, query or
# fragment. The schema carries this pattern; nothing is fetched from the URL, it is shown.
HTTP_URL = RegexValidator(
    rf"^([Hh][Tt][Tt][Pp][Ss]?://[^{SPACE}/?#@\x00]+([/?#][^{SPACE}\x00]*)?)?$",
    "Enter an http or https URL with a host, e.g. https://news.example/story.",
)


class QuerySerializer(serializers.Serializer):
    """Query-string input: a typed parameter (a number) given with no value is refused
    instead of taking its default."""

    def to_internal_value(self, data):
        empty = {
            name: ["Give a value or leave the parameter out."]
            for name, field in self.fields.items()
            if not isinstance(field, serializers.CharField) and data.get(name) == ""
        }
        if empty:
            raise serializers.ValidationError(empty)
        return super().to_internal_value(data)


class TipInputSerializer(serializers.Serializer):
    # Taken as sent (the lengths are the schema's); the service strips each.
    text = serializers.CharField(
        min_length=10,
        max_length=2000,
        trim_whitespace=False,
        validators=[at_least(10)],
        help_text="The claim to check.",
    )
    url = serializers.CharField(
        max_length=2000,
        required=False,
        allow_blank=True,
        trim_whitespace=False,
        validators=[HTTP_URL],
        help_text="Where the claim appeared (http/https).",
    )
    context = serializers.CharField(max_length=5000, required=False, allow_blank=True, trim_whitespace=False)
    claimant = serializers.CharField(max_length=300, required=False, allow_blank=True, trim_whitespace=False)

    def validate_url(self, value: str) -> str:
        return value.strip()


class TipSerializer(OutputSerializer):
    id = serializers.IntegerField()
    text = serializers.CharField()
    url = serializers.CharField(source="appearance_url")
    context = serializers.CharField(source="tip.context")
    claimant = serializers.CharField()
    state = serializers.ChoiceField(choices=ClaimState.choices, help_text="Where the desk is with it.")
    submitted_at = serializers.DateTimeField(source="created_at")
    fact_check = serializers.SerializerMethodField(
        help_text="Set once the tip's fact-check is published: its own, or that of the published "
        "claim it repeats (then already in the answer to the POST)."
    )
    part_of = serializers.IntegerField(
        source="tip_part_of",
        allow_null=True,
        help_text="A text of several sentences is read as a small article, one tip per claim worth "
        "checking in it: the id of the first of those tips (this one's own id for it). Null for a "
        "tip of one sentence, kept as sent.",
    )

    @extend_schema_field(FactCheckRefSerializer(allow_null=True))
    def get_fact_check(self, claim):
        pk = getattr(claim, "factcheck_id", None)
        if pk is None:
            return None
        path = reverse("api:factcheck-detail", kwargs={"pk": pk})
        return {
            "id": pk,
            "url": absolute(self.context.get("request"), path),
            "public_url": factcheck_url(claim=Claim(pk=pk, text=claim.factcheck_text)),
            "rating": claim.factcheck_rating,
            "summary": claim.factcheck_summary,
        }


class TipSubmittedSerializer(TipSerializer):
    """The answer to a POST: the first tip made (or found) from the text, and all of them."""

    tips = serializers.SerializerMethodField(
        help_text="Every tip the text gave, in the order of the text: the tip itself for a text of "
        "one sentence, one per claim worth checking in a longer one (each also in your tip list)."
    )

    @extend_schema_field(TipSerializer(many=True))
    def get_tips(self, claim):
        return TipSerializer(self.context.get("tips", [claim]), many=True, context=self.context).data


class SearchQuerySerializer(QuerySerializer):
    q = serializers.CharField(
        min_length=3,
        max_length=1000,
        trim_whitespace=False,
        validators=[at_least(3)],
        help_text="The claim text to look up.",
    )

    def validate_q(self, value: str) -> str:
        return value.strip()

    limit = serializers.IntegerField(min_value=1, max_value=50, default=10)
    min_score = serializers.FloatField(
        min_value=0.0, max_value=1.0, required=False, help_text="Drop matches scoring below this (0–1)."
    )


class PublisherSerializer(OutputSerializer):
    name = serializers.CharField()
    site = serializers.CharField()


class ClaimReviewRefSerializer(OutputSerializer):
    publisher = PublisherSerializer()
    url = serializers.CharField()
    title = serializers.CharField()
    review_date = serializers.DateField(allow_null=True)
    textual_rating = serializers.CharField()
    rating_value = serializers.FloatField(allow_null=True)


class SearchResultSerializer(OutputSerializer):
    text = serializers.CharField()
    claimant = serializers.CharField()
    score = serializers.FloatField(help_text="Similarity, 0–1; higher is closer.")
    kind = serializers.ChoiceField(choices=["fact_check", "prior_fact_check"])
    fact_check_id = serializers.IntegerField(allow_null=True, help_text="Ours: the fact-check's id.")
    claim_review = ClaimReviewRefSerializer()


class SearchResponseSerializer(OutputSerializer):
    query = serializers.CharField()
    claims = SearchResultSerializer(many=True)


@extend_schema_field(OpenApiTypes.OBJECT)
class JsonLdField(serializers.JSONField):
    pass
