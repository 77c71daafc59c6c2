"""The key of what the page layout computes once per process: language, script prefix and URL configuration.

URLs and translated labels of the layout only change with these (and on deploy, which starts new processes). In
the tests, `override_settings` may change the URL configuration, static files or translations: every settings
change starts a new generation, so nothing computed before is reused.
"""

from django.core.signals import setting_changed
from django.urls import get_script_prefix, get_urlconf
from django.utils.translation import get_language

_generation = 0


def _settings_changed(**kwargs) -> None:
    global _generation
    _generation += 1


setting_changed.connect(_settings_changed, dispatch_uid="guichet.portals.public.layout_cache")


def layout_key() -> tuple:
    return (_generation, get_language(), get_script_prefix(), get_urlconf())
