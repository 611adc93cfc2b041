"""The editors' desk in the Django admin: one module per page or record.

``claims`` (list, claim page, bulk actions), ``articles`` (the article page with its claims
highlighted), ``records`` (verdict history, audit trail), ``coverage`` (prior fact-checks
and matches) and ``partners`` (partners, API keys, webhooks). Importing them registers them.
"""

from desk.admin import articles, claims, coverage, partners, records  # noqa: F401  (registers the admins)
