"""The partner API, mounted at /api/v1/."""

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.reverse import reverse


@extend_schema(exclude=True)
@api_view(["GET"])
@permission_classes([AllowAny])
def api_root(request, format=None):
    """Entry point: lists the API's resources."""
    return Response(
        {"name": "Fact-check CMS partner API", "version": "v1", "self": reverse("api:root", request=request)}
    )


app_name = "api"
urlpatterns = [
    path("", api_root, name="root"),
]
