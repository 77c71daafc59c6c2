"""Public references that people read over the phone.

The alphabet has 31 characters: digits and capitals without 0/O, 1/I and U (too close to V), so no
character can be mistaken for another. The last character is a check character from a weighted sum
modulo the prime 31 (weights are powers of 3), which catches every single-character error, every swap
of two adjacent characters and every swap around a middle character (abc → cba).
"""

import secrets

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTVWXYZ"
MODULUS = len(ALPHABET)  # 31, prime
RADIX = 3  # a primitive root modulo 31: weights never repeat within 30 positions
_INDEX = {c: i for i, c in enumerate(ALPHABET)}


def _weighted_sum(body: str) -> int:
    total = 0
    for char in body:
        total = (total + _INDEX[char]) * RADIX % MODULUS
    return total


def check_character(body: str) -> str:
    """The character that makes the weighted sum of body + check equal to 0 modulo 31."""
    return ALPHABET[(-_weighted_sum(body)) % MODULUS]


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
