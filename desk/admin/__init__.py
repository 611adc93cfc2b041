"""The editors' desk in the Django admin: one module per page or record.

``claims`` (list, claim page, bulk actions), ``articles`` (the article page with its claims
highlighted), ``records`` (verdict history, audit trail), ``coverage`` (prior fact-checks
and matches), ``partners`` (partners, API keys, webhooks) and ``accounts`` (users, groups).
Importing them registers them; every searchable list bounds its search (``search``).
"""

from desk.admin import (  # noqa: F401  (registers the admins)
    accounts,
    articles,
    claims,
    coverage,
    partners,
    records,
)
