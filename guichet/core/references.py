"""Public references that people read over the phone.

The alphabet leaves out 0/O and 1/I so that no character can be mistaken for another;
the last character is a Luhn mod-N check character, which catches every single-character
error and every swap of two adjacent characters.
"""

import secrets

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
_INDEX = {c: i for i, c in enumerate(ALPHABET)}
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1"})


def check_character(body: str) -> str:
    n = len(ALPHABET)
    total = 0
    factor = 2
    for char in reversed(body):
        addend = factor * _INDEX[char]
        addend = addend // n + addend % n
        total += addend
        factor = 1 if factor == 2 else 2
    return ALPHABET[(n - total % n) % n]


def generate(length: int = 10) -> str:
    """A random reference of `length` characters, the last one being the check character."""
    body = "".join(secrets.choice(ALPHABET) for _ in range(length - 1))
    return body + check_character(body)


def normalize(raw: str) -> str:
    """Upper-cases and drops spaces and dashes people type; keeps confusable letters so that they fail."""
    return "".join(c for c in raw.upper() if c.isalnum())


def is_valid(reference: str) -> bool:
    if len(reference) < 2 or any(c not in _INDEX for c in reference):
        return False
    return check_character(reference[:-1]) == reference[-1]


def display(reference: str) -> str:
    """Groups of four for reading aloud: `7KQ2 M9XD F4`."""
    return " ".join(reference[i : i + 4] for i in range(0, len(reference), 4))
