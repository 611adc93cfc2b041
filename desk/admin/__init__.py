"""The editors' desk in the Django admin: one module per page or record.

``claims`` (list, claim page, bulk actions), ``articles`` (the article page with its claims
highlighted), ``intake`` (feeds), ``records`` (verdict history, audit trail), ``coverage`` (prior fact-checks
and matches) and ``partners`` (partners, API keys, webhooks). Importing them registers
them; every searchable list, other packages' too, bounds its search (``search``).
"""

from desk.admin import (  # noqa: F401  (registers the admins)
    articles,
    claims,
    coverage,
    intake,
    partners,
    records,
)
