import datetime

import pytest

from guichet.accounts.franceconnect.errors import FailureCode, FranceConnectError
from guichet.accounts.franceconnect.identity import PivotIdentity, pivot_identity_from_claims

VALID = {
    "sub": "b6048e95bb134ec5b1d1e1fa69f287172e91722b9354d637a1bcf2ebb0fd2ef5v1",
    "given_name": "Angela Claire Louise",
    "family_name": "Dubois",
    "birthdate": "1962-08-24",
    "birthplace": "75107",
    "birthcountry": "99100",
    "gender": "female",
    "email": "Angela.Dubois@Example.fr",
}


def test_reads_a_complete_pivot_identity():
    identity = pivot_identity_from_claims(VALID)

    assert identity.sub == VALID["sub"]
    assert identity.birthdate == datetime.date(1962, 8, 24)
    assert identity.birthplace_code == "75107"
    assert identity.email == "angela.dubois@example.fr"


def test_identity_survives_the_session_round_trip():
    identity = pivot_identity_from_claims(VALID)

    assert PivotIdentity.from_session(identity.as_session()) == identity


@pytest.mark.parametrize(
    ("birthdate", "expected"),
    [
        ("1970-01-01", datetime.date(1970, 1, 1)),
        ("1970-05-01", datetime.date(1970, 5, 1)),
        ("1970-00-00", datetime.date(1970, 1, 1)),
    ],
)
def test_accepts_presumed_birthdates(birthdate, expected):
    assert pivot_identity_from_claims({**VALID, "birthdate": birthdate}).birthdate == expected


def test_accepts_corsican_commune_codes_and_births_abroad():
    assert pivot_identity_from_claims({**VALID, "birthplace": "2b033"}).birthplace_code == "2B033"
    abroad = pivot_identity_from_claims({**VALID, "birthplace": "", "birthcountry": "99134"})
    assert (abroad.birthplace_code, abroad.birthcountry_code) == ("", "99134")


@pytest.mark.parametrize(
    "changes",
    [
        {"sub": "12345"},
        {"sub": VALID["sub"].upper()},
        {"sub": VALID["sub"][:-2]},
        {"sub": None},
        {"given_name": ""},
        {"family_name": None},
        {"birthdate": "24/08/1962"},
        {"birthdate": "1962-13-01"},
        {"birthplace": "7510"},
        {"birthplace": "75 07"},
        {"birthcountry": "France"},
        {"birthcountry": "99100", "birthplace": ""},
        {"gender": "f"},
        {"email": "pas-une-adresse"},
        {"email": None},
    ],
)
def test_refuses_malformed_claims(changes):
    with pytest.raises(FranceConnectError) as refused:
        pivot_identity_from_claims({**VALID, **changes})

    assert refused.value.code == FailureCode.IDENTITY_INVALID
