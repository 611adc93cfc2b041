"""The editors' desk in the Django admin.

``claims`` (list, claim page, bulk actions), ``articles`` (article page with highlighted
claims), ``records`` (verdict history, audit trail, partners). Prior-coverage admin lives
in ``factcheck.admin_coverage`` when that module exists; its ``CoverageMatchInline`` is
added to the claim page, and until then plain admins for its two models are registered here.
"""

from importlib.util import find_spec

from django.contrib import admin

from factcheck import admin_partners  # noqa: F401  (partners, API keys, webhooks)
from factcheck.admin import articles, claims, records  # noqa: F401  (registers the admins)
from factcheck.models import CoverageMatch, PriorFactCheck

if find_spec("factcheck.admin_coverage") is not None:
    from factcheck.admin_coverage import CoverageMatchInline

    claims.ClaimAdmin.inlines = [*claims.ClaimAdmin.inlines, CoverageMatchInline]
    claims.ClaimAdmin.coverage_inline = CoverageMatchInline
else:
    CoverageMatchInline = None
    admin.site.register([PriorFactCheck, CoverageMatch])
