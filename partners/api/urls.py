"""The partner API, mounted at /api/v1/."""

from django.urls import path
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.reverse import reverse

from partners.api import views


@extend_schema(exclude=True)
@api_view(["GET"])
@permission_classes([AllowAny])
def api_root(request, format=None):
    """Entry point: lists the API's resources."""
    return Response(
        {
            "name": "Fact-check CMS partner API",
            "version": "v1",
            "self": reverse("api:root", request=request),
            "fact_checks": reverse("api:factcheck-list", request=request),
            "claim_search": reverse("api:claim-search", request=request),
            "tips": reverse("api:tip-list", request=request),
            "schema": reverse("api:schema", request=request),
            "docs": reverse("api:docs", request=request),
        }
    )


app_name = "api"
urlpatterns = [
    path("", api_root, name="root"),
    path("fact-checks/", views.FactCheckListView.as_view(), name="factcheck-list"),
    path("fact-checks/<int:pk>/", views.FactCheckDetailView.as_view(), name="factcheck-detail"),
    path("fact-checks/<int:pk>/claimreview/", views.ClaimReviewView.as_view(), name="factcheck-claimreview"),
    path("claims/search/", views.ClaimSearchView.as_view(), name="claim-search"),
    path("tips/", views.TipListCreateView.as_view(), name="tip-list"),
    path("tips/<int:pk>/", views.TipDetailView.as_view(), name="tip-detail"),
    path(
        "schema/",
        SpectacularAPIView.as_view(authentication_classes=[], permission_classes=[AllowAny]),
        name="schema",
    ),
    path(
        "docs/",
        # The split view serves Swagger UI's init script from this URL (``?script``), not
        # inline, so the docs work under the Content-Security-Policy (config/settings.py).
        SpectacularSwaggerSplitView.as_view(
            url_name="api:schema", authentication_classes=[], permission_classes=[AllowAny]
        ),
        name="docs",
    ),
    path(
        "redoc/",
        SpectacularRedocView.as_view(
            url_name="api:schema", authentication_classes=[], permission_classes=[AllowAny]
        ),
        name="redoc",
    ),
]
