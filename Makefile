# Two entry points: `make run` (the app on SQLite, Celery eager) and `make test` (the suite).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PORT ?= 8000
# Absolute URLs (ClaimReview, feeds, e-mails) name the port the app is served on.
export SITE_URL ?= http://127.0.0.1:$(PORT)
PYTEST_ARGS ?= -n auto

.PHONY: run test lint fmt clean-db

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install -q --upgrade pip

$(VENV)/.run-installed: $(VENV)/bin/python requirements.txt
	$(VENV)/bin/pip install -q -r requirements.txt
	touch $@

$(VENV)/.dev-installed: $(VENV)/bin/python $(wildcard requirements*.txt)
	$(VENV)/bin/pip install -q -r requirements-dev.txt
	touch $@ $(VENV)/.run-installed

# Unset DEBUG means production (a SECRET_KEY is then required); the local server is
# development. lint loads the settings too (mypy's Django plugin, makemigrations).
run lint: export DEBUG ?= 1

run: $(VENV)/.run-installed
	$(VENV)/bin/python manage.py migrate --noinput
	$(VENV)/bin/python manage.py import_seeds
	$(VENV)/bin/python manage.py ensure_admin
	@echo "Admin: http://127.0.0.1:$(PORT)/admin/   API: http://127.0.0.1:$(PORT)/api/v1/"
	$(VENV)/bin/python manage.py runserver --noreload 127.0.0.1:$(PORT)

test: $(VENV)/.dev-installed
	$(VENV)/bin/python -m pytest $(PYTEST_ARGS)

# Style, the app layers (lint-imports, pyproject.toml), types (mypy) and migrations made.
lint: $(VENV)/.dev-installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-logo
	$(VENV)/bin/mypy
	env -u DATABASE_URL $(VENV)/bin/python manage.py makemigrations --check --dry-run

fmt: $(VENV)/.dev-installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean-db:
	rm -f db.sqlite3 db.sqlite3-wal db.sqlite3-shm
