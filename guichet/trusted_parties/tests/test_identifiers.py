import pytest

from guichet.territory.models import PlaceKind
from guichet.trusted_parties.identifiers import (
    InvalidApprovalNumber,
    InvalidSiret,
    approval_number_check,
    approval_number_display,
    department_segment,
    luhn_is_valid,
    siret_check,
)


@pytest.mark.parametrize("raw", ["732 829 320 00074", "73282932000074", "732.829.320.00074"])
def test_a_luhn_valid_siret_is_accepted_with_the_separators_people_type(raw):
    assert siret_check(raw) == "73282932000074"


def test_la_poste_establishments_pass_on_their_digit_sum_although_luhn_fails():
    # SIREN 356 000 000 (digit sum 14): the NIC decides whether the whole sum is a multiple of 5.
    with pytest.raises(InvalidSiret):
        siret_check("35600000000391")  # 14 + 13 = 27
    la_poste = "35600000049837"  # 14 + 31 = 45
    assert not luhn_is_valid(la_poste)
    assert siret_check(la_poste) == la_poste
    assert siret_check("35600000000048") == "35600000000048"  # the head office passes Luhn


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ("", "Indiquez"),
        ("7328293200007", "vous en avez saisi 13"),
        ("732829320000745", "vous en avez saisi 15"),
        ("7328293200007A", "que des chiffres"),
        ("73282932000075", "clé de contrôle"),
        ("１２３４５６７８９０１２３４", "que des chiffres"),  # full-width digits are not ASCII digits
    ],
)
def test_a_malformed_siret_is_refused_with_a_french_message_saying_what_is_wrong(raw, words):
    with pytest.raises(InvalidSiret) as refused:
        siret_check(raw)
    assert words in refused.value.message
    assert refused.value.code == "invalid_siret"


@pytest.mark.parametrize(("code", "segment"), [("35", "035"), ("2A", "02A"), ("2b", "02B"), ("974", "974")])
def test_department_segment_has_three_characters(code, segment):
    assert department_segment(code) == segment


def test_driving_school_agrement_number_is_normalised_and_displayed_grouped():
    number = approval_number_check(raw="e 24 035 0012 0", kind=PlaceKind.DRIVING_SCHOOL, department_code="35")
    assert number == "E2403500120"
    assert approval_number_display(number) == "E 24 035 0012 0"


def test_habilitation_number_of_corsica_carries_02a():
    number = approval_number_check(raw="H-02A-00042", kind=PlaceKind.CAR_PROFESSIONAL, department_code="2A")
    assert number == "H02A00042"
    assert approval_number_display(number) == "H 02A 00042"


@pytest.mark.parametrize(
    ("raw", "kind", "words"),
    [
        ("H03500042", PlaceKind.DRIVING_SCHOOL, "E, l'année"),
        ("E2403500120", PlaceKind.CAR_PROFESSIONAL, "H, le département"),
        ("E24035001", PlaceKind.DRIVING_SCHOOL, "E, l'année"),
        ("E2422900120", PlaceKind.DRIVING_SCHOOL, "département 229"),
        ("H02200042", PlaceKind.CAR_PROFESSIONAL, "département 022"),
        ("E2403500120", PlaceKind.MAIRIE, "Seules les écoles"),
    ],
)
def test_malformed_or_foreign_approval_numbers_are_refused(raw, kind, words):
    with pytest.raises(InvalidApprovalNumber) as refused:
        approval_number_check(raw=raw, kind=kind, department_code="35")
    assert words in refused.value.message
