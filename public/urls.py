"""Public URLs, mounted at the site root: /fact-checks/..., /sitemap.xml."""

from django.contrib.sitemaps.views import sitemap
from django.urls import path
from django.views.decorators.http import require_safe

from public import views
from public.caching import conditional_public
from public.feeds import FactChecksAtomFeed
from public.sitemaps import SITEMAPS

app_name = "public"
urlpatterns = [
    path("fact-checks/", views.factcheck_list, name="factcheck_list"),
    path("fact-checks/rating-scale/", views.rating_scale, name="rating_scale"),
    path("fact-checks/feed.json", views.feed_json, name="feed_json"),
    path("fact-checks/feed.xml", require_safe(conditional_public(FactChecksAtomFeed())), name="feed_atom"),
    path("fact-checks/<slug:slug>/", views.factcheck_detail, name="factcheck_detail"),
    path(
        "sitemap.xml",
        require_safe(conditional_public(sitemap)),
        {"sitemaps": SITEMAPS},
        name="sitemap",
    ),
]
