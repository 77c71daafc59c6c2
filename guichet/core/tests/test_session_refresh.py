"""Sliding session expiry through SessionRefreshMiddleware: moved on activity, at most one write a minute."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from guichet.core.session_refresh import REFRESHED_AT

pytestmark = pytest.mark.django_db


def _session_writes(queries) -> list[str]:
    return [
        q["sql"] for q in queries if "django_session" in q["sql"] and q["sql"].lstrip().upper().startswith("UPDATE")
    ]


def test_activity_after_the_interval_moves_the_expiry_to_the_full_age(client, citizen, settings):
    client.force_login(citizen)
    key = client.session.session_key
    session = client.session
    session[REFRESHED_AT] = 0  # last refreshed long ago
    session.save()
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() + timedelta(minutes=5))

    assert client.get(reverse("citizen:home")).status_code == 200

    expire_date = Session.objects.get(session_key=key).expire_date
    assert expire_date > timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)


def test_requests_within_the_interval_do_not_rewrite_the_session(client, citizen):
    client.force_login(citizen)
    client.get(reverse("citizen:home"))  # first request: refreshes and records the time

    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("citizen:home")).status_code == 200

    assert _session_writes(queries.captured_queries) == []


def test_an_anonymous_visit_creates_no_session(client):
    assert client.get(reverse("public:home")).status_code == 200
    assert not Session.objects.exists()


def test_an_idle_session_still_ends(client, citizen):
    client.force_login(citizen)
    Session.objects.filter(session_key=client.session.session_key).update(expire_date=timezone.now())
    assert client.get(reverse("citizen:home")).status_code == 302
