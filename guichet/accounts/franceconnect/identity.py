"""The "identité pivot" FranceConnect sends, checked field by field (formats in INTEROP.md §3)."""

import datetime
import re
from dataclasses import asdict, dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from .errors import FailureCode, FranceConnectError

SUB_PATTERN = re.compile(r"^[0-9a-f]{64}v[0-9]$")
# INSEE commune code: 5 characters, digits, with 2A/2B for Corsica.
COMMUNE_CODE_PATTERN = re.compile(r"^(?:[0-9]{2}|2A|2B)[0-9]{3}$")
COUNTRY_CODE_PATTERN = re.compile(r"^99[0-9]{3}$")
BIRTHDATE_PATTERN = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})$")
GENDERS = {"male", "female"}
FRANCE_COUNTRY_CODE = "99100"


def subject_check(value: Any) -> str:
    if not isinstance(value, str) or not SUB_PATTERN.fullmatch(value):
        raise FranceConnectError(FailureCode.IDENTITY_INVALID, "sub format")
    return value


@dataclass(frozen=True)
class PivotIdentity:
    sub: str
    given_name: str
    family_name: str
    birthdate: datetime.date | None
    birthplace_code: str
    birthcountry_code: str
    gender: str
    email: str

    def as_session(self) -> dict[str, Any]:
        data = asdict(self)
        data["birthdate"] = self.birthdate.isoformat() if self.birthdate else None
        return data

    @classmethod
    def from_session(cls, data: dict[str, Any]) -> "PivotIdentity":
        birthdate = data.get("birthdate")
        return cls(**{**data, "birthdate": datetime.date.fromisoformat(birthdate) if birthdate else None})


def _text(claims: dict[str, Any], name: str, *, required: bool) -> str:
    value = claims.get(name, "")
    if value is None:
        value = ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise FranceConnectError(FailureCode.IDENTITY_INVALID, f"{name} missing or not text")
    return value.strip()


def _birthdate(value: str) -> datetime.date | None:
    """Presumed dates (unknown day or month) come as YYYY-MM-01 or YYYY-01-01; a 00 part is read the same way."""
    if not value:
        return None
    match = BIRTHDATE_PATTERN.fullmatch(value)
    if not match:
        raise FranceConnectError(FailureCode.IDENTITY_INVALID, "birthdate format")
    year, month, day = (int(part) for part in match.groups())
    try:
        return datetime.date(year, month or 1, day or 1)
    except ValueError as error:
        raise FranceConnectError(FailureCode.IDENTITY_INVALID, "birthdate value") from error


def pivot_identity_from_claims(claims: dict[str, Any]) -> PivotIdentity:
    """Builds the identity from verified userinfo claims; raises FranceConnectError when a field is malformed."""
    birthplace = _text(claims, "birthplace", required=False).upper()
    birthcountry = _text(claims, "birthcountry", required=False)
    gender = _text(claims, "gender", required=False)
    email = _text(claims, "email", required=True).lower()
    if birthplace and not COMMUNE_CODE_PATTERN.fullmatch(birthplace):
        raise FranceConnectError(FailureCode.IDENTITY_INVALID, "birthplace format")
    if birthcountry and not COUNTRY_CODE_PATTERN.fullmatch(birthcountry):
        raise FranceConnectError(FailureCode.IDENTITY_INVALID, "birthcountry format")
    if birthcountry == FRANCE_COUNTRY_CODE and "birthplace" in claims and not birthplace:
        raise FranceConnectError(FailureCode.IDENTITY_INVALID, "birthplace missing for a birth in France")
    if gender and gender not in GENDERS:
        raise FranceConnectError(FailureCode.IDENTITY_INVALID, "gender value")
    try:
        validate_email(email)
    except ValidationError as error:
        raise FranceConnectError(FailureCode.IDENTITY_INVALID, "email format") from error
    return PivotIdentity(
        sub=subject_check(claims.get("sub")),
        given_name=_text(claims, "given_name", required=True)[:150],
        family_name=_text(claims, "family_name", required=True)[:150],
        birthdate=_birthdate(_text(claims, "birthdate", required=False)),
        birthplace_code=birthplace,
        birthcountry_code=birthcountry,
        gender=gender,
        email=email,
    )
