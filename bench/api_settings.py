"""Settings of the load benchmark's server: the project's, with the baseline's URLs
(``bench.api_urls``). ``bench.api_load`` starts gunicorn with
``DJANGO_SETTINGS_MODULE=bench.api_settings``; nothing else uses this module."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.api_urls"
