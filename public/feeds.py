"""Atom feed of new and corrected fact-checks (django.contrib.syndication).

An entry's ``updated`` is the current verdict's ``published_at``, so a correction moves the
fact-check back to the top and feed readers show it again; its title says "Corrected".
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import linebreaks

from public import presenters, selectors
from public.claimreview import claim_reviewed_text, factcheck_dates, factcheck_url

FEED_ITEMS = 50


class FactChecksAtomFeed(Feed):
    feed_type = Atom1Feed

    def title(self):
        return f"{settings.ORGANISATION_NAME}: fact-checks"

    def subtitle(self):
        return "New and corrected fact-checks, newest first."

    def link(self):
        return settings.SITE_URL + reverse("public:factcheck_list")

    def feed_url(self):
        return settings.SITE_URL + reverse("public:feed_atom")

    def author_name(self):
        return settings.ORGANISATION_NAME

    def items(self):
        return list(selectors.factchecks_listed()[:FEED_ITEMS])

    def item_title(self, claim):
        verdict = claim.current_verdict
        label = presenters.rating_badge(verdict.rating)["label"]
        prefix = "Corrected: " if verdict.version > 1 else ""
        return f"{prefix}{label}: {claim_reviewed_text(claim.text)}"

    def item_description(self, claim):
        """HTML (Atom's summary is ``type="html"``), built from escaped plain text."""
        verdict = claim.current_verdict
        text = verdict.summary
        if verdict.version > 1 and verdict.correction_note:
            text = f"Correction: {verdict.correction_note}\n\n{text}"
        return linebreaks(text, autoescape=True)

    def item_link(self, claim):
        return factcheck_url(claim=claim)

    def item_guid(self, claim):
        return factcheck_url(claim=claim)

    def item_pubdate(self, claim):
        return factcheck_dates(claim=claim)[0]

    def item_updateddate(self, claim):
        return factcheck_dates(claim=claim)[1]

    def item_author_name(self, claim):
        return settings.ORGANISATION_NAME
