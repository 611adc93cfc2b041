"""Reactions to ``editorial`` signals, connected in ``FactcheckConfig.ready``."""

from django.dispatch import receiver

from editorial.signals import article_text_changed


@receiver(article_text_changed)
def queue_extraction(sender, article, **kwargs):
    from factcheck.tasks import enqueue_on_commit, extract_claims

    enqueue_on_commit(extract_claims, article.pk)
