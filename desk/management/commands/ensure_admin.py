"""Create the first superuser with a random password, once (used by ``make run``)."""

import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create a superuser with a random password if none exists, and print it once."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")

    def handle(self, *args, username, **options):
        User = get_user_model()
        existing = User.objects.filter(is_superuser=True).order_by("pk").first()
        if existing:
            self.stdout.write(
                f"Admin user: {existing.get_username()} (password not shown again; reset it with "
                f"`.venv/bin/python manage.py changepassword {existing.get_username()}`)"
            )
            return
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser(username=username, email="", password=password)
        self.stdout.write(self.style.SUCCESS(f"Admin user created: {username} / password: {password}"))
        self.stdout.write("This password is shown once; store it now.")
