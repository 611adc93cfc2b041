#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if sys.argv[1:2] != ["runserver"]:
        # The statement timeout guards web requests; a command (a migration, an import, an
        # index rebuild) may rightly run one statement for longer (config/settings.py).
        os.environ["DB_STATEMENT_TIMEOUT_MS"] = "0"
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
