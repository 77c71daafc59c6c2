import pytest

from guichet.accounts.phone_numbers import french_mobile_display, french_mobile_normalise
from guichet.core.exceptions import InvalidInput


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("06 12 34 56 78", "+33612345678"),
        ("0712345678", "+33712345678"),
        ("07.12.34.56.78", "+33712345678"),
        ("+33 6 12 34 56 78", "+33612345678"),
        ("+33 (0)6 12 34 56 78", "+33612345678"),
        ("0033712345678", "+33712345678"),
    ],
)
def test_accepts_french_mobiles_and_normalises_to_e164(raw, expected):
    assert french_mobile_normalise(raw) == expected


@pytest.mark.parametrize("raw", ["07 00 12 34 56 78 90", "07001234567890", "+33 700 12 34 56 78 90"])
def test_refuses_machine_to_machine_0700_numbers_with_their_own_message(raw):
    with pytest.raises(InvalidInput) as caught:
        french_mobile_normalise(raw)
    assert caught.value.code == "phone_machine_to_machine"
    assert "0700" in caught.value.message


@pytest.mark.parametrize("raw", ["01 23 45 67 89", "0612", "06123456789", "+44 7700 900123", "abcdefghij", ""])
def test_refuses_landlines_foreign_and_malformed_numbers(raw):
    with pytest.raises(InvalidInput) as caught:
        french_mobile_normalise(raw)
    assert caught.value.code == "phone_invalid"
    assert "06 ou 07" in caught.value.message


def test_displays_e164_as_national_pairs():
    assert french_mobile_display("+33612345678") == "06 12 34 56 78"
