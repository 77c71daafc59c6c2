import pytest
from hypothesis import given
from hypothesis import strategies as st

from guichet.territory.codes import (
    department_code_of_commune,
    is_commune_code,
    is_department_code,
    is_postal_code,
    search_key,
)


@pytest.mark.parametrize(
    "code", ["35238", "01001", "2A004", "2B033", "75101", "69381", "13201", "97105", "97411", "97611", "97502", "98735"]
)
def test_real_insee_code_shapes_are_accepted(code):
    assert is_commune_code(code)


@pytest.mark.parametrize(
    "code", ["", "3523", "352380", "3523X", "20004", "96001", "00001", "2C004", "2a004", "97701x", "97901", "98501"]
)
def test_malformed_insee_codes_are_refused(code):
    assert not is_commune_code(code)


@pytest.mark.parametrize(
    ("code", "expected"), [("35", True), ("2A", True), ("974", True), ("20", False), ("96", False)]
)
def test_department_code_shapes(code, expected):
    assert is_department_code(code) is expected


@pytest.mark.parametrize(("code", "expected"), [("35000", True), ("3500", False), ("35 000", False), ("2A000", False)])
def test_postal_code_shapes(code, expected):
    assert is_postal_code(code) is expected


@pytest.mark.parametrize(
    ("commune", "department"), [("35238", "35"), ("2A004", "2A"), ("97411", "974"), ("98735", "987")]
)
def test_department_of_a_commune_code(commune, department):
    assert department_code_of_commune(commune) == department


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Saint-Étienne", "saint etienne"),
        ("L'Haÿ-les-Roses", "l hay les roses"),
        ("Œuilly", "oeuilly"),
        ("  Île-d'Yeu ", "ile d yeu"),
        ("ÉVRY-COURCOURONNES", "evry courcouronnes"),
    ],
)
def test_search_key_drops_case_accents_and_punctuation(name, key):
    assert search_key(name) == key


@given(st.text(max_size=40))
def test_search_key_is_stable_and_plain(text):
    key = search_key(text)

    assert search_key(key) == key
    assert all(character.isascii() and (character.isalnum() or character == " ") for character in key)
    assert "  " not in key
    assert key == key.strip()
