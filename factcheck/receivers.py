"""Reactions to the signals of the apps below (``editorial``), connected in ``ready()``."""

from django.dispatch import receiver

from editorial.signals import article_text_changed
from factcheck.tasks import extract_claims as extract_claims_task


@receiver(article_text_changed, dispatch_uid="factcheck.queue_extraction")
def queue_extraction(sender, article, **kwargs):
    extract_claims_task.delay_on_commit(article.pk)
