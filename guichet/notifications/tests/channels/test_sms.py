import json

import pytest

from guichet.notifications.channels import PermanentDeliveryError, RetryableDeliveryError
from guichet.notifications.channels.sms import (
    FileSmsProvider,
    HttpSmsProvider,
    InvalidPhoneNumber,
    phone_normalize_french_mobile,
    sms_is_gsm7,
    sms_length,
    sms_prepare_text,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("06 12 34 56 78", "+33612345678"),
        ("07.12.34.56.78", "+33712345678"),
        ("+33 6 12 34 56 78", "+33612345678"),
        ("0033712345678", "+33712345678"),
    ],
)
def test_french_mobile_numbers_are_normalized_to_e164(raw, expected):
    assert phone_normalize_french_mobile(raw) == expected


@pytest.mark.parametrize(
    "raw", ["01 23 45 67 89", "+33123456789", "+447911123456", "0612", "06 12 34 56 789", "", "bonjour"]
)
def test_landlines_foreign_and_malformed_numbers_are_refused_with_a_clear_message(raw):
    with pytest.raises(InvalidPhoneNumber) as excinfo:
        phone_normalize_french_mobile(raw)
    assert "mobile français" in excinfo.value.message
    assert excinfo.value.code == "invalid_mobile_number"


def test_typographic_signs_are_replaced_so_the_text_stays_gsm7():
    text = sms_prepare_text("Votre dossier « AB » est prêt…\n  l’équipe")
    assert text == 'Votre dossier " AB " est prêt... l\'équipe'
    assert not sms_is_gsm7("prêt")  # ê is outside GSM-7: such a text would be sent as UCS-2
    assert sms_length("€") == 2  # escape-table characters count double


def test_file_provider_appends_one_json_line_per_message(tmp_path):
    provider = FileSmsProvider(tmp_path / "sms")
    first = provider.send(to="+33612345678", text="Premier message")
    second = provider.send(to="+33712345678", text="Deuxième message")
    lines = (tmp_path / "sms" / "sms.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert [(r["id"], r["to"], r["text"]) for r in records] == [
        (first, "+33612345678", "Premier message"),
        (second, "+33712345678", "Deuxième message"),
    ]


def test_file_provider_uses_a_jsonl_path_as_the_file_itself(tmp_path):
    FileSmsProvider(tmp_path / "out.jsonl").send(to="+33612345678", text="Bonjour")
    assert json.loads((tmp_path / "out.jsonl").read_text())["text"] == "Bonjour"


def test_http_provider_posts_json_with_bearer_token_and_returns_provider_id(sms_gateway):
    provider = HttpSmsProvider(url=sms_gateway.url("/messages"), token="secret-token", timeout=2)
    message_id = provider.send(to="+33612345678", text="Votre titre est disponible.")
    assert message_id == "gw-1"
    [request] = sms_gateway.received
    assert request["authorization"] == "Bearer secret-token"
    assert request["json"]["to"] == "+33612345678"
    assert request["json"]["text"] == "Votre titre est disponible."


def test_http_provider_treats_4xx_as_permanent(sms_gateway):
    provider = HttpSmsProvider(url=sms_gateway.url("/reject"), token="t", timeout=2)
    with pytest.raises(PermanentDeliveryError) as excinfo:
        provider.send(to="+33612345678", text="x")
    assert excinfo.value.reason == "sms_http_status 400"


def test_http_provider_treats_5xx_as_retryable(sms_gateway):
    provider = HttpSmsProvider(url=sms_gateway.url("/down"), token="t", timeout=2)
    with pytest.raises(RetryableDeliveryError) as excinfo:
        provider.send(to="+33612345678", text="x")
    assert excinfo.value.reason == "sms_http_status 503"


def test_http_provider_treats_timeout_as_retryable(sms_gateway):
    provider = HttpSmsProvider(url=sms_gateway.url("/slow"), token="t", timeout=0.3)
    with pytest.raises(RetryableDeliveryError) as excinfo:
        provider.send(to="+33612345678", text="x")
    assert excinfo.value.reason == "sms_http_timeout"


def test_http_provider_treats_an_unreachable_gateway_as_retryable():
    provider = HttpSmsProvider(url="http://127.0.0.1:9/", token="t", timeout=1)  # discard port: nothing listens
    with pytest.raises(RetryableDeliveryError) as excinfo:
        provider.send(to="+33612345678", text="x")
    assert excinfo.value.reason.startswith("sms_http_unreachable")
