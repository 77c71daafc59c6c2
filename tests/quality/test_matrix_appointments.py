"""Runs the appointment entries of the authorization matrix until the integrator merges them into the main table."""

import pytest
from django.urls import NoReverseMatch

from .authorization_matrix import AUDIENCES
from .matrix_appointments import EXPECTATIONS
from .test_authorization_matrix import changes_between, database_fingerprint, sign_in_as


@pytest.mark.parametrize("matrix_key", sorted(EXPECTATIONS))
def test_appointment_url_answers_every_audience_as_expected(matrix_key, matrix_context, client, verified_client):
    item = EXPECTATIONS[matrix_key]
    try:
        url = item.url(matrix_key, matrix_context)
    except NoReverseMatch as error:
        pytest.fail(f"{matrix_key}: cannot build its URL ({error})")
    problems: list[str] = []
    for method, expected_by_audience in item.methods():
        for audience in AUDIENCES:
            expected = expected_by_audience[audience]
            browser = sign_in_as(audience, client=client, verified_client=verified_client, context=matrix_context)
            before = database_fingerprint()
            if method == "GET":
                response = browser.get(url)
            else:
                response = browser.post(url, item.post_data(matrix_context) if item.post_data else {})
            received = expected.mismatch(response, url)
            if received is not None:
                problems.append(f"{audience:<28} {method} {url}: expected {expected}, got {received}")
            if expected.denies or (method == "GET" and not item.get_may_write):
                changes = changes_between(before, database_fingerprint())
                if changes:
                    problems.append(f"{audience:<28} {method} {url} changed the database: {'; '.join(changes)}")
    assert not problems, f"{matrix_key}:\n  " + "\n  ".join(problems)
