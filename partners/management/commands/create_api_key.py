"""``manage.py create_api_key "Partner name" [--scopes read,submit] [--name LABEL]``.

Creates the partner when it does not exist and prints the new key once, alone on the
last line of output, so a script can take it with ``tail -n 1``.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from partners import services


class Command(BaseCommand):
    help = "Create an API key for a partner (created if needed) and print the key once."

    def add_arguments(self, parser):
        parser.add_argument("partner", help="The partner organisation's name.")
        parser.add_argument("--scopes", default="read", help="Comma-separated: read, submit (default: read).")
        parser.add_argument("--name", default="", help="A label for the key, e.g. 'production'.")

    def handle(self, *args, partner: str, scopes: str, name: str, **options):
        try:
            with transaction.atomic():
                org, created = services.partner_ensure(name=partner)
                key, full_key = services.api_key_create(partner=org, name=name, scopes=scopes)
        except services.ScopeError as exc:
            raise CommandError(exc.reason) from exc
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if not org.active:
            self.stderr.write(
                f"Warning: partner {org.name!r} is inactive; the key will not work until it is active."
            )
        what = "Created partner" if created else "Partner"
        self.stderr.write(f"{what} {org.name!r}; key {key.prefix} with scopes {key.scopes}. Store it now:")
        self.stdout.write(full_key)
