"""Match claims against prior coverage: ``manage.py match_claims [ID ...] [--open]``."""

from django.core.management.base import BaseCommand, CommandError

from coverage.selectors import open_claim_ids
from coverage.services import claim_match
from factcheck.models import Claim


class Command(BaseCommand):
    help = "Store prior-coverage suggestions for the given claims, or every open claim (--open)."

    def add_arguments(self, parser):
        parser.add_argument("claim_ids", nargs="*", type=int)
        parser.add_argument(
            "--open", action="store_true", dest="open_claims", help="All open claims of the re-match window."
        )

    def handle(self, *args, claim_ids, open_claims, **options):
        if not claim_ids and not open_claims:
            raise CommandError("give claim ids or --open")
        ids = list(claim_ids) + (open_claim_ids() if open_claims else [])
        claims = Claim.objects.select_related("article").in_bulk(ids)  # its day: seen_at
        missing = [i for i in ids if i not in claims]
        stored = 0
        for claim_id in ids:
            if claim_id in claims:
                stored += len(claim_match(claim=claims[claim_id]))
        self.stdout.write(f"matched {len(ids) - len(missing)} claim(s), {stored} suggestion(s) stored")
        if missing:
            raise CommandError(f"no such claim: {', '.join(map(str, missing))}")
