"""The partner API, mounted at ``/api/v1/`` (issue 6).

Partners send ``Authorization: Api-Key <key>`` (keys from the admin or
``manage.py create_api_key``); staff may browse with their admin session. Modules:

- ``authentication``, ``permissions``, ``throttling``: who (401), which scope (403), how often (429);
- ``queries``: the querysets, built on ``factcheck.selectors`` (only published fact-checks);
- ``serializers``, ``filters``, ``views``, ``urls``: the endpoints; ``search``: ``claims/search``
  over ``factcheck.matching.search``; ``claimreview``: the public pages' ClaimReview builder;
- ``exceptions``: one JSON error shape, also for Django's 400/403/404/500 under ``/api/``.

Write operations live in ``factcheck.partners`` (keys, tips) and ``factcheck.webhooks``
(events). A partner checks a webhook with
``hmac.compare_digest(request.headers["X-Signature"], "sha256=" + hmac.new(secret, body, "sha256").hexdigest())``.
"""
