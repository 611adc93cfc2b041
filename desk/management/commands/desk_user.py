"""Add a person to the desk in a role: ``manage.py desk_user ana --role Fact-checker``."""

from django.core.management.base import BaseCommand, CommandError

from desk.roles import ROLES, desk_user_set_role


class Command(BaseCommand):
    help = (
        "Create a staff user in a role (Reporter, Fact-checker, Editor), or change an existing user's role."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=list(ROLES))
        parser.add_argument("--email", default="", help="Where workflow e-mails go.")

    def handle(self, *args, username, role, email, **options):
        try:
            user, password = desk_user_set_role(username=username, role=role, email=email)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if password:
            self.stdout.write(self.style.SUCCESS(f"Created {user.username} ({role}) / password: {password}"))
            self.stdout.write("This password is shown once; store it now.")
        else:
            self.stdout.write(self.style.SUCCESS(f"{user.username} is now in the {role} role."))
