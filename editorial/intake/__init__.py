"""Intake of outlets' feeds, sitemaps and pages.

``formats`` (what an answer is, its items) and ``extract`` (the article in a page) are pure
text, no Django; ``fetcher`` is the polite, guarded GET through ``core.outbound``;
``services`` holds the writes (``feed_add``, ``feed_fetch``, ``feed_item_fetch``,
``article_add_by_url`` ...). Tasks are in ``editorial.tasks``.
"""
