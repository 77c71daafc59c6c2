from .factories import communes  # noqa: F401
