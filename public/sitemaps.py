"""``/sitemap.xml``: the fact-check pages and the two index pages, on ``SITE_URL``'s domain.

Without django.contrib.sites the sitemap view would take the domain from the request's
Host header; the public URL is configured, so it comes from ``SITE_URL`` instead.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from public import selectors
from public.claimreview import factcheck_slug


class _SiteUrlSitemap(Sitemap):
    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme or "https"

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


class FactCheckSitemap(_SiteUrlSitemap):
    changefreq = "weekly"
    priority = 0.8
    limit = 5000

    def items(self):
        return selectors.factchecks_index()

    def location(self, claim):
        return reverse("public:factcheck_detail", kwargs={"slug": factcheck_slug(claim=claim)})

    def lastmod(self, claim):
        return claim.public_date  # the current verdict's published_at, annotated by the query


class PublicPagesSitemap(_SiteUrlSitemap):
    changefreq = "daily"
    priority = 0.5

    def items(self):
        return ["public:factcheck_list", "public:rating_scale"]

    def location(self, name):
        return reverse(name)


SITEMAPS = {"factchecks": FactCheckSitemap, "pages": PublicPagesSitemap}
