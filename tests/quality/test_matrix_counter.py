"""Runs the counter's matrix entries with the shared machinery until the integrator merges them into the table
(then this file can go)."""

import pytest

import tests.quality.test_authorization_matrix as shared_matrix
from tests.quality.authorization_matrix import EXPECTATIONS as SHARED
from tests.quality.matrix_counter import EXPECTATIONS


@pytest.mark.parametrize("matrix_key", sorted(EXPECTATIONS))
def test_counter_url_answers_every_audience(matrix_key, matrix_context, client, verified_client, monkeypatch):
    monkeypatch.setitem(SHARED, matrix_key, EXPECTATIONS[matrix_key])
    shared_matrix.test_url_answers_every_audience_as_the_matrix_expects(
        matrix_key, matrix_context, client, verified_client
    )
