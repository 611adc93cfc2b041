"""Signals ``editorial`` sends so other apps can react without ``editorial`` knowing them.

``article_text_changed`` is sent explicitly by ``article_ingest`` (never from ``save()``)
after an article is created or its title/body changed, inside the write transaction.
``factcheck`` listens and queues claim extraction after commit.
"""

from django.dispatch import Signal

article_text_changed = Signal()  # kwargs: article
