"""Every response carries a request id; log lines are JSON and carry that id (Foundation, quality gates)."""

import json
import re

import pytest

from .production import run_python


@pytest.mark.django_db
def test_every_response_carries_a_generated_request_id(client):
    first = client.get("/healthz")["X-Request-Id"]
    second = client.get("/healthz")["X-Request-Id"]
    assert re.fullmatch(r"[0-9a-f]{32}", first)
    assert first != second


@pytest.mark.django_db
def test_a_well_formed_incoming_request_id_is_kept_and_a_malformed_one_replaced(client):
    assert client.get("/healthz", headers={"X-Request-Id": "lb-2026.abc_123"})["X-Request-Id"] == "lb-2026.abc_123"
    replaced = client.get("/healthz", headers={"X-Request-Id": 'x"><script>'})["X-Request-Id"]
    assert re.fullmatch(r"[0-9a-f]{32}", replaced)


LOG_DURING_A_REQUEST = """
import logging

import django

django.setup()
from django.http import HttpResponse
from django.test import RequestFactory

from guichet.core.request_id import RequestIdMiddleware


def view(request):
    logging.getLogger("guichet.probe").warning("dossier refused")
    return HttpResponse("")


RequestIdMiddleware(view)(RequestFactory().get("/", headers={"X-Request-Id": "probe-request-0001"}))
"""


def test_log_lines_are_json_with_the_request_id():
    completed = run_python(LOG_DURING_A_REQUEST, settings_module="config.settings.test")
    assert completed.returncode == 0, completed.stderr
    lines = [json.loads(line) for line in completed.stderr.splitlines() if line.startswith("{")]
    probe = next(line for line in lines if line.get("name") == "guichet.probe")
    assert probe["message"] == "dossier refused"
    assert probe["levelname"] == "WARNING"
    assert probe["request_id"] == "probe-request-0001"
