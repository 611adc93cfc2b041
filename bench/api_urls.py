"""The load benchmark's URLs: the project's plus one baseline view.

Only the benchmark's server (``bench.api_settings``) routes here, so the baseline exists
nowhere else: a minimal DRF list view over the same
published fact-checks (20 rows, a model serializer of the claim's own fields), with no
authentication, permissions, filters, throttles, caching or custom renderer. What the
partner API costs on top of DRF is then a ratio printed in the same run.
"""

from django.urls import include, path
from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny

from factcheck.models import Claim


class BaselineSerializer(serializers.ModelSerializer):
    class Meta:
        model = Claim
        fields = ["id", "text", "claimant", "first_published_at", "modified_at"]


class BaselineList(generics.ListAPIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes: list = []
    filter_backends: list = []
    pagination_class = None
    serializer_class = BaselineSerializer

    def get_queryset(self):
        return Claim.objects.filter(first_published_at__isnull=False).order_by("-first_published_at", "-id")[
            :20
        ]


urlpatterns = [
    path("bench/baseline/", BaselineList.as_view()),
    path("", include("config.urls")),
]

handler400 = "core.handlers.handler400"
handler403 = "core.handlers.handler403"
handler404 = "core.handlers.handler404"
handler500 = "core.handlers.handler500"
