"""Settings are read from the environment, with safe development defaults.

Each case runs in a fresh interpreter with a controlled environment, as a deployment would.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from config.env import env_bool, env_int, env_list

ROOT = Path(__file__).resolve().parent.parent
PROD_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "x7$k2!pq9-" * 6,
    "ALLOWED_HOSTS": "factcheck.example.org",
    "SECURE_SSL_REDIRECT": "1",
    "SESSION_COOKIE_SECURE": "1",
    "CSRF_COOKIE_SECURE": "1",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1",
    "SECURE_HSTS_PRELOAD": "1",
}


def run_python(code: str, **env: str | None) -> subprocess.CompletedProcess:
    """``code`` with the settings under ``env`` on top of a production key (None unsets)."""
    base = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "DATABASE_URL")}
    base.update(DJANGO_SETTINGS_MODULE="config.settings", SECRET_KEY=PROD_ENV["SECRET_KEY"])
    for name, value in env.items():
        if value is None:
            base.pop(name, None)
        else:
            base[name] = value
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=base, capture_output=True, text=True, timeout=120
    )


SHOW_DEBUG = "from django.conf import settings as s; print(s.DEBUG, s.SECRET_KEY.startswith('dev-only'))"


def test_unset_debug_means_production_and_needs_a_secret_key():
    result = run_python(SHOW_DEBUG, SECRET_KEY=None)
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr
    result = run_python(SHOW_DEBUG)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "False"]


def test_development_is_asked_for_and_then_has_a_development_key():
    result = run_python(SHOW_DEBUG, DEBUG="1", SECRET_KEY=None)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True"]


def test_debug_off_without_secret_key_refuses_to_start():
    for debug in ("0", ""):
        result = run_python("from django.conf import settings as s; s.DEBUG", DEBUG=debug, SECRET_KEY=None)
        assert result.returncode != 0
        assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_the_test_run_needs_no_configuration():
    """Neither DEBUG nor SECRET_KEY in the environment: the suite still starts."""
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "--co", "tests/test_smoke.py"],
        cwd=ROOT,
        env=_clean_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}


def test_garbled_boolean_is_refused_with_its_name():
    result = run_python("from django.conf import settings as s; s.DEBUG", DEBUG="maybe")
    assert "DEBUG must be a boolean" in result.stderr


def test_no_broker_means_eager_and_broker_url_means_a_real_queue():
    code = "from django.conf import settings as s; print(s.CELERY_TASK_ALWAYS_EAGER)"
    assert run_python(code).stdout.strip() == "True"
    assert run_python(code, CELERY_BROKER_URL="").stdout.strip() == "True"
    assert run_python(code, CELERY_BROKER_URL="redis://127.0.0.1:6379/9").stdout.strip() == "False"


def test_database_url_selects_the_engine():
    code = "from django.conf import settings as s; d=s.DATABASES['default']; print(d['ENGINE'], d['NAME'])"
    result = run_python(code, DATABASE_URL="postgres://postgres@127.0.0.1:5432/somedb")
    assert result.stdout.split() == ["django.db.backends.postgresql", "somedb"]
    default = run_python(code.replace("s.DATABASES", "s.DATABASES"), DATABASE_URL="")
    assert default.stdout.split()[0] == "django.db.backends.sqlite3"


def test_check_deploy_passes_with_production_environment():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], **PROD_ENV},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_plain_settings_serve_http_test_requests_without_pytest_config(tmp_path):
    """Only DATABASE_URL, SECRET_KEY and DJANGO_SETTINGS_MODULE: no Makefile, no pytest, no conftest."""
    code = (
        "import django; django.setup();"
        "from django.test.utils import setup_test_environment; setup_test_environment();"
        "from django.core.management import call_command; call_command('migrate', verbosity=0);"
        "from django.test import Client; c = Client();"
        "print(c.get('/admin/login/').status_code, c.get('/api/v1/').status_code)"
    )
    result = run_python(code, DATABASE_URL=f"sqlite:///{tmp_path / 'plain.sqlite3'}")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["200", "200"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1", True), ("true", True), ("Yes", True), ("0", False), ("off", False), ("", False)],
)
def test_env_bool_parses_common_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("SOME_FLAG", raw)
    assert env_bool("SOME_FLAG") is expected


def test_env_int_and_list(monkeypatch):
    monkeypatch.setenv("N", "42")
    monkeypatch.setenv("HOSTS", "a.example, b.example,,")
    assert env_int("N", 1) == 42
    assert env_int("MISSING_N", 7) == 7
    assert env_list("HOSTS", []) == ["a.example", "b.example"]


def test_a_cache_url_selects_the_shared_client_redis_backend():
    code = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    assert run_python(code, CACHE_URL="redis://127.0.0.1:6379/13").stdout.strip() == "core.cache.RedisCache"
