"""Who sells and checks electronic fiscal stamps. Guichet talks to one provider, chosen by a setting.

`GUICHET_STAMP_PROVIDER` is the dotted path of a class implementing `StampProvider`; by default the fake
provider below, which needs no network.

The fake provider sells numbers it invents, and recognises demo stamps "bought elsewhere" by their shape, so
that tests and demos can enter one: 16 digits `9` + status digit + 6-digit amount in cents + 7 free digits + a
Luhn check digit. Status digit `9` = valid, `8` = already used, `7` = expired. Example: an 86 € valid stamp
is `99008600` + 7 digits + check digit (see `FakeStampProvider.demo_number`).
"""

import secrets
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

DEFAULT_PROVIDER = "guichet.payments.providers.FakeStampProvider"


@dataclass(frozen=True)
class SoldStamp:
    number: str
    provider_reference: str


@dataclass(frozen=True)
class ExternalStamp:
    """What the provider says about a stamp it sold (at a tobacconist or online)."""

    number: str
    amount_cents: int
    is_used: bool
    is_expired: bool


class StampProvider(Protocol):
    name: str

    def sell(self, *, amount_cents: int) -> SoldStamp: ...

    def look_up(self, *, number: str) -> ExternalStamp | None: ...

    def refund(self, *, number: str, provider_reference: str) -> None: ...


def luhn_check_digit(digits: str) -> str:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 0:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return str((10 - total % 10) % 10)


def luhn_is_valid(number: str) -> bool:
    return number.isdigit() and len(number) > 1 and luhn_check_digit(number[:-1]) == number[-1]


class FakeStampProvider:
    """Stands in for the national stamp shop in development and tests."""

    name = "fake"
    DEMO_PREFIX = "9"
    VALID, USED, EXPIRED = "9", "8", "7"

    def sell(self, *, amount_cents: int) -> SoldStamp:
        # Sold numbers start with 1-8 so that they never look like demo "bought elsewhere" stamps.
        body = str(secrets.randbelow(8) + 1) + "".join(str(secrets.randbelow(10)) for _ in range(14))
        return SoldStamp(number=body + luhn_check_digit(body), provider_reference=f"FAKE-{secrets.token_hex(6)}")

    def look_up(self, *, number: str) -> ExternalStamp | None:
        if len(number) != 16 or not luhn_is_valid(number) or not number.startswith(self.DEMO_PREFIX):
            return None
        status = number[1]
        if status not in (self.VALID, self.USED, self.EXPIRED):
            return None
        return ExternalStamp(
            number=number,
            amount_cents=int(number[2:8]),
            is_used=status == self.USED,
            is_expired=status == self.EXPIRED,
        )

    def refund(self, *, number: str, provider_reference: str) -> None:
        return None

    @classmethod
    def demo_number(cls, *, amount_cents: int, status: str = VALID, serial: str = "0000001") -> str:
        body = f"{cls.DEMO_PREFIX}{status}{amount_cents:06d}{serial:0>7}"[:15]
        return body + luhn_check_digit(body)


def stamp_provider() -> StampProvider:
    provider_class = import_string(getattr(settings, "GUICHET_STAMP_PROVIDER", DEFAULT_PROVIDER))
    return provider_class()
