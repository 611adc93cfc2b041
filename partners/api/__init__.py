"""The partner API, mounted at ``/api/v1/``.

Partners send ``Authorization: Api-Key <key>`` (keys from the admin or
``manage.py create_api_key``); staff may browse with their admin session. Modules:

- ``authentication``, ``permissions``, ``throttling``: who (401), which scope (403), how often (429);
- ``serializers``, ``filters``, ``views``, ``urls``: the endpoints, over ``partners.selectors``
  (only published fact-checks); ``search``: ``claims/search`` over ``coverage.matching.search``;
- ``exceptions``: one JSON error shape (``core.handlers`` answers Django's own errors in it).

Write operations live in ``partners.services`` (keys, tips) and ``partners.webhooks``
(events). A partner checks a webhook with
``hmac.compare_digest(request.headers["X-Signature"], "sha256=" + hmac.new(secret, body, "sha256").hexdigest())``.
"""
