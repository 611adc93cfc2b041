"""Partner API views: thin; querysets come from ``partners.selectors``, writes from ``partners.services``."""

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.exceptions import APIException, NotFound, ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.renderers import BrowsableAPIRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from factcheck.models import Claim
from partners import services
from partners.api import serializers as s
from partners.api.answers import cached_answer, version_of
from partners.api.authentication import ApiKeyAuthentication, StaffSessionAuthentication
from partners.api.filters import FactCheckFilter, FeedCursorPagination, TipCursorPagination
from partners.api.parsers import DepthLimitedJSONParser
from partners.api.permissions import HasScope, partner_of
from partners.api.presenters import factcheck_present, factchecks_present
from partners.api.renderers import JsonLdRenderer, OrjsonRenderer
from partners.api.schema import PartnerAutoSchema
from partners.api.search import claims_search_cached
from partners.api.throttling import ApiKeyRateThrottle
from partners.selectors import (
    factcheck_feed,
    factcheck_keys,
    factcheck_withdrawn,
    partner_tips,
)
from public.claimreview import claimreview_build

_ERRORS = {
    400: "The request did not validate; `error.fields` says which parameter and why.",
    401: "No credentials, or an unknown, revoked or inactive-partner API key.",
    403: "The API key lacks the scope this endpoint needs.",
    404: "No such resource (or not visible to this partner).",
    410: "The fact-check was public once and has been withdrawn (as its public page says).",
    415: "The body is not JSON (or form data) the API can read.",
    429: "Too many requests for this key; retry after `Retry-After` seconds.",
}


def errors(*codes: int) -> dict:
    return {code: OpenApiResponse(s.ErrorSerializer, description=_ERRORS[code]) for code in codes}


class Gone(APIException):
    status_code = status.HTTP_410_GONE
    default_code = "gone"
    default_detail = "This fact-check was withdrawn."


def published_or_gone(pk: int) -> Claim:
    """The public fact-check ``pk`` with its verdicts; 410 if it was withdrawn, else 404."""
    claim = factcheck_feed().filter(pk=pk).first()
    if claim is not None:
        return claim
    raise not_public(pk)


def not_public(pk: int) -> APIException:
    """410 for a fact-check that was withdrawn, else 404."""
    return Gone() if factcheck_withdrawn(pk=pk) else NotFound()


class PartnerAPIView(APIView):
    """Keys or staff sessions, scope checks, per-key throttles; HTML only for staff sessions."""

    authentication_classes = [ApiKeyAuthentication, StaffSessionAuthentication]
    permission_classes = [HasScope]
    throttle_classes = [ApiKeyRateThrottle]
    renderer_classes = [OrjsonRenderer, BrowsableAPIRenderer]
    parser_classes = [DepthLimitedJSONParser, FormParser, MultiPartParser]
    schema = PartnerAutoSchema()

    def perform_content_negotiation(self, request, force=False):
        # DRF reads an empty ``format=`` as no format; the schema's enum has no empty value.
        if not force and request.query_params.get("format") == "":
            raise ValidationError({"format": ["Give a format or leave the parameter out."]})
        return super().perform_content_negotiation(request, force)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        user = getattr(request, "_user", None)
        if isinstance(getattr(response, "accepted_renderer", None), BrowsableAPIRenderer) and not (
            user is not None and user.is_authenticated and user.is_staff
        ):
            response.accepted_renderer = OrjsonRenderer()
            response.accepted_media_type = OrjsonRenderer.media_type
        return response


@extend_schema_view(
    get=extend_schema(
        summary="List published fact-checks",
        description="Newest first by default. Only published fact-checks are ever listed.",
        responses={200: s.FactCheckSerializer(many=True), **errors(400, 401, 403, 404, 429)},
    )
)
class FactCheckListView(PartnerAPIView, generics.ListAPIView):
    """Published fact-checks, newest first; filter, order and page through them."""

    # Filters and cursor run on the lean ``factcheck_keys()``; only the page's rows are loaded
    # in full (10,000 wide rows with their joins would otherwise be sorted for every page).

    serializer_class = s.FactCheckSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = FactCheckFilter
    pagination_class = FeedCursorPagination
    queryset = factcheck_keys()

    def get_queryset(self):
        return factcheck_keys().only("pk", "first_published_at", "modified_at")

    def filter_queryset(self, queryset):
        # Without any of the filter's parameters the filterset would change nothing; most
        # pages are such walks, so it is not built for them.
        if not any(name in self.request.query_params for name in FactCheckFilter.base_filters):
            return queryset
        return super().filter_queryset(queryset)

    @cached_answer
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(factchecks_present([claim.pk for claim in page], request))


@extend_schema_view(
    get=extend_schema(
        summary="One published fact-check",
        responses={200: s.FactCheckSerializer, **errors(401, 403, 404, 410, 429)},
    )
)
class FactCheckDetailView(PartnerAPIView, generics.RetrieveAPIView):
    serializer_class = s.FactCheckSerializer
    queryset = factcheck_feed()

    @cached_answer
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def retrieve(self, request, *args, **kwargs):
        answer = factcheck_present(self.kwargs["pk"], request)
        if answer is None:
            raise not_public(self.kwargs["pk"])
        return Response(answer)


class ClaimReviewView(PartnerAPIView):
    renderer_classes = [JsonLdRenderer, OrjsonRenderer]

    @extend_schema(
        summary="ClaimReview JSON-LD of a published fact-check",
        responses={
            200: OpenApiResponse(OpenApiTypes.OBJECT, description="A schema.org ClaimReview document."),
            **errors(400, 401, 403, 404, 410, 429),
        },
    )
    @cached_answer
    def get(self, request, pk: int):
        return Response(claimreview_build(claim=published_or_gone(pk)))


class ClaimSearchView(PartnerAPIView):
    @extend_schema(
        summary="Has this been checked? Ranked matches for a claim",
        description=(
            "Runs the prior-coverage matcher on `q` and returns our published fact-checks and "
            "imported fact-checks by others, best match first. No minimum score unless `min_score` is given."
        ),
        parameters=[s.SearchQuerySerializer],
        responses={200: s.SearchResponseSerializer, **errors(400, 401, 403, 429)},
    )
    @cached_answer
    def get(self, request):
        query = s.SearchQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        rows = claims_search_cached(
            text=params["q"],
            limit=params["limit"],
            min_score=params.get("min_score"),
            version=version_of(request),
        )
        return Response(s.SearchResponseSerializer({"query": params["q"], "claims": rows}).data)


@extend_schema_view(
    get=extend_schema(
        summary="Your tips",
        description="Tips this partner sent, newest first, with the desk's state and the fact-check once published.",
        responses={200: s.TipSerializer(many=True), **errors(400, 401, 403, 404, 429)},
    ),
    post=extend_schema(
        summary="Send a tip (scope `submit`)",
        description="Repeating one of your own open tips returns it (200) instead of creating another. "
        "A text of several sentences is read as a small article: each sentence worth checking becomes "
        "a tip of its own (listed in `tips`; the answer's own fields are the first one's). A text in "
        "which no sentence is worth a claim is kept whole, as one tip.",
        request=s.TipInputSerializer,
        responses={
            201: OpenApiResponse(s.TipSubmittedSerializer, description="A new tip (at least one)."),
            200: OpenApiResponse(
                s.TipSubmittedSerializer, description="The same open tip(s) you sent before."
            ),
            **errors(400, 401, 403, 415, 429),
        },
    ),
)
class TipListCreateView(PartnerAPIView, generics.ListAPIView):
    serializer_class = s.TipSerializer
    pagination_class = TipCursorPagination
    required_scopes = {"POST": "submit"}

    def get_queryset(self):
        return partner_tips(partner_of(self.request))

    def get_serializer_class(self):
        # What a POST takes (``OPTIONS`` describes it from this), not what it answers.
        if self.request is not None and self.request.method == "POST":
            return s.TipInputSerializer
        return s.TipSerializer

    def post(self, request):
        data = s.TipInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        result = services.tip_submit(partner=partner_of(request), **data.validated_data)
        ids = [tip.claim_id for tip in result.tips]
        rows = partner_tips(partner_of(request)).in_bulk(ids)
        tips = [rows[pk] for pk in ids]
        code = status.HTTP_201_CREATED if result.created else status.HTTP_200_OK
        answer = s.TipSubmittedSerializer(tips[0], context={"request": request, "tips": tips})
        return Response(answer.data, status=code)


@extend_schema_view(
    get=extend_schema(
        summary="One of your tips", responses={200: s.TipSerializer, **errors(401, 403, 404, 429)}
    )
)
class TipDetailView(PartnerAPIView, generics.RetrieveAPIView):
    serializer_class = s.TipSerializer

    def get_queryset(self):
        return partner_tips(partner_of(self.request))
