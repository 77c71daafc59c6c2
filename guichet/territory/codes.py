"""Shapes of the French territorial identifiers Guichet reads (DOMAIN.md §3.10), and the search key of a place name."""

import re
import unicodedata

# DOMAIN.md §3.10, with the metropolitan prefix narrowed to real départements (01–95 without 20, plus 2A/2B)
# so that 20xxx, 96xxx or 979xx are refused; overseas départements 971–976 (+ 2 digits);
# overseas collectivities 975, 977, 978, 984, 986–989.
COMMUNE_CODE_PATTERN = re.compile(
    r"^(?:(?:0[1-9]|1\d|2[1-9]|2A|2B|[3-8]\d|9[0-5])\d{3}|97[1-6]\d{2}|(?:975|977|978|98[46-9])\d{2})$"
)
# 20 disappeared when Corsica was split; 96 does not exist.
DEPARTMENT_CODE_PATTERN = re.compile(r"^(?:0[1-9]|1\d|2[1-9]|2A|2B|[3-8]\d|9[0-5]|97[1-8]|98[46-9])$")
POSTAL_CODE_PATTERN = re.compile(r"^\d{5}$")
REGION_CODE_PATTERN = re.compile(r"^(?:\d{2}|97[1-8]|98[46-9])$")

# Letters that Unicode decomposition leaves whole.
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss", "ø": "o", "ł": "l", "đ": "d"})
_NOT_ALPHANUMERIC = re.compile(r"[^a-z0-9]+")


def is_commune_code(value: str) -> bool:
    return bool(COMMUNE_CODE_PATTERN.match(value))


def is_department_code(value: str) -> bool:
    return bool(DEPARTMENT_CODE_PATTERN.match(value))


def is_postal_code(value: str) -> bool:
    return bool(POSTAL_CODE_PATTERN.match(value))


def is_region_code(value: str) -> bool:
    return bool(REGION_CODE_PATTERN.match(value))


def department_code_of_commune(commune_code: str) -> str:
    """The département a commune code belongs to: 3 characters overseas (97x, 98x), 2 elsewhere."""
    return commune_code[:3] if commune_code.startswith(("97", "98")) else commune_code[:2]


def search_key(text: str) -> str:
    """Lower-case, unaccented, punctuation turned into single spaces: « Saint-Étienne » → « saint etienne »."""
    decomposed = unicodedata.normalize("NFKD", text.lower().translate(_LIGATURES)).lower()
    without_marks = "".join(character for character in decomposed if not unicodedata.combining(character))
    return _NOT_ALPHANUMERIC.sub(" ", without_marks).strip()
