"""The directory's matrix entries, checked like the main matrix until the integrator merges them into it.

Once `matrix_directory.EXPECTATIONS` is part of `authorization_matrix.EXPECTATIONS`, delete this module.
"""

import pytest
from django.test import override_settings

from .matrix_directory import EXPECTATIONS
from .test_authorization_matrix import check_entry


@pytest.mark.parametrize("matrix_key", sorted(EXPECTATIONS))
def test_directory_matrix(matrix_key, matrix_context, client, verified_client):
    item = EXPECTATIONS[matrix_key]
    with override_settings(**item.with_settings):
        check_entry(matrix_key, item, matrix_context, client, verified_client)
