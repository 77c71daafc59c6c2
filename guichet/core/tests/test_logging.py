"""JSON logs carry the request id and no personal data."""

import io
import json
import logging
from typing import Any

import pytest
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.utils.module_loading import import_string

from guichet.core.logging import PersonalDataScrubFilter, scrub_personal_data

logger = logging.getLogger("guichet.core.tests.logging")


def view_that_logs(request: HttpRequest) -> HttpResponse:
    logger.warning(
        "Demande de %s, joignable au %s, sur %s", "camille.martin@example.fr", "06 12 34 56 78", request.get_full_path()
    )
    try:
        raise ValueError("adresse refusée : camille.martin@example.fr")
    except ValueError:
        logger.exception("Échec pour +33 7 12 34 56 78")
    return HttpResponse("ok")


urlpatterns = [path("journal-test/", view_that_logs)]


def _build(spec: dict[str, Any]) -> Any:
    options = {key: value for key, value in spec.items() if key != "()"}
    return import_string(spec["()"])(**options)


def console_handler_as_configured(stream: io.StringIO) -> logging.Handler:
    """The console handler exactly as settings.LOGGING describes it, writing to `stream` instead of stderr."""
    config: dict[str, Any] = settings.LOGGING
    console = config["handlers"]["console"]
    handler = logging.StreamHandler(stream)
    handler.setFormatter(_build(config["formatters"][console["formatter"]]))
    for name in console["filters"]:
        handler.addFilter(_build(config["filters"][name]))
    return handler


@pytest.fixture
def log_lines():
    stream = io.StringIO()
    handler = console_handler_as_configured(stream)
    logging.getLogger().addHandler(handler)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        logging.getLogger().removeHandler(handler)


@pytest.mark.urls(__name__)
def test_log_lines_are_json_with_the_request_id_and_without_personal_data(client, log_lines):
    response = client.get(
        "/journal-test/?email=camille.martin%40example.fr&token=s3cr3t-value&page=2",
        HTTP_X_REQUEST_ID="incident-2026-0042",
    )
    assert response.status_code == 200
    assert response["X-Request-Id"] == "incident-2026-0042"

    lines = [line for line in log_lines() if line["name"] == logger.name]
    assert len(lines) == 2
    for line in lines:
        assert line["request_id"] == "incident-2026-0042"
        assert {"asctime", "levelname", "message"} <= line.keys()
        text = json.dumps(line, ensure_ascii=False)
        for secret in ("camille.martin", "example.fr", "06 12 34 56 78", "7 12 34 56 78", "s3cr3t-value"):
            assert secret not in text
    first, second = lines
    assert (
        first["message"]
        == "Demande de [email], joignable au [telephone], sur /journal-test/?email=[masqué]&token=[masqué]&page=2"
    )
    assert second["message"] == "Échec pour [telephone]"
    assert "ValueError: adresse refusée : [email]" in second["exc_info"]


@pytest.mark.urls(__name__)
def test_each_request_gets_its_own_generated_id(client, log_lines):
    first = client.get("/journal-test/")["X-Request-Id"]
    second = client.get("/journal-test/", HTTP_X_REQUEST_ID="bad id with spaces")["X-Request-Id"]
    assert first != second
    # The malformed header is not echoed: a fresh hex id is generated (checking for the substring "bad" would fail
    # whenever the random hex happens to contain those three letters).
    assert " " not in second and "id with spaces" not in second
    assert len(second) == 32 and all(ch in "0123456789abcdef" for ch in second)
    ids = {line["request_id"] for line in log_lines() if line["name"] == logger.name}
    assert ids == {first, second}


def test_outside_a_request_the_request_id_is_a_dash(log_lines):
    logger.warning("Tâche lancée pour jean.dupont@example.org")
    [line] = [line for line in log_lines() if line["name"] == logger.name]
    assert line["request_id"] == "-"
    assert line["message"] == "Tâche lancée pour [email]"


def test_the_live_console_handler_has_the_scrubbing_filter():
    handlers = [handler for handler in logging.getLogger().handlers if isinstance(handler, logging.StreamHandler)]
    assert any(
        isinstance(log_filter, PersonalDataScrubFilter) for handler in handlers for log_filter in handler.filters
    )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("contact: a.b+tag@sub.example.gouv.fr", "contact: [email]"),
        ("url-encoded a.b%40example.fr", "url-encoded [email]"),
        ("tel 0612345678.", "tel [telephone]."),
        ("tel 06.12.34.56.78", "tel [telephone]"),
        ("tel +33612345678", "tel [telephone]"),
        ("tel 0033 1 23 45 67 89", "tel [telephone]"),
        ("tel +33 (0)1 23 45 67 89", "tel [telephone]"),
        ("/reset/?uid=MTI&token=abc-123#top", "/reset/?uid=[masqué]&token=[masqué]#top"),
        ("/fc/callback?code=xyz&state=qwe", "/fc/callback?code=[masqué]&state=[masqué]"),
        ("next=%2Fusager%2F%3Freset_token%3Dabc", "next=%2Fusager%2F%3Freset_token%3D[masqué]"),
        ("password=hunter2 user_email=x", "password=[masqué] user_email=[masqué]"),
        ("dossier CN-7K3M-9QXP status=accepted page=2", "dossier CN-7K3M-9QXP status=accepted page=2"),
        ("request 9f3c2a1b0e4d4f5a8b7c6d5e4f3a2b1c took 12 ms", "request 9f3c2a1b0e4d4f5a8b7c6d5e4f3a2b1c took 12 ms"),
    ],
)
def test_scrubbing_masks_personal_data_and_keeps_the_rest(raw, expected):
    assert scrub_personal_data(raw) == expected
