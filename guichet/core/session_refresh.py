"""Sliding session expiry at one database write a minute instead of one per request.

`SESSION_SAVE_EVERY_REQUEST` would rewrite the session row (one UPDATE and a commit) on every page view; the
benchmark showed that write on every hot path (docs/performance.md). Saving only when the last save is older than
`SESSION_REFRESH_SECONDS` keeps the same rule — the session ends after `SESSION_COOKIE_AGE` without activity — give
or take that interval.
"""

import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

REFRESHED_AT = "_guichet_refreshed_at"


class SessionRefreshMiddleware:
    """Placed right after SessionMiddleware, so it runs on the response before the session is saved."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.interval = int(getattr(settings, "SESSION_REFRESH_SECONDS", 60))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        # Only sessions the request used and that exist: an anonymous visitor gets no session row.
        if session is None or not session.accessed or session.session_key is None or session.modified:
            return response
        now = int(time.time())
        if now - int(session.get(REFRESHED_AT, 0)) >= self.interval:
            session[REFRESHED_AT] = now  # marks it modified: SessionMiddleware saves it and moves its expiry
        return response
