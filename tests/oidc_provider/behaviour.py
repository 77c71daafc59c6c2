"""How the provider should (mis)behave for the current test; changed through POST /test-control/."""

from typing import Any

DEFAULTS: dict[str, Any] = {
    "acr": "eidas1",  # None: no acr claim at all
    "id_token_nonce": None,  # a string replaces the nonce the client sent
    "id_token_algorithm": "RS256",  # RS256 (django-oauth-toolkit's key) | ES256 (the EC key, as FranceConnect)
    "id_token_key": "main",  # main | rogue_same_kid | rogue_own_kid
    "id_token_lifetime": 300,  # seconds; negative gives an already expired token
    "id_token_issuer": None,
    "id_token_audience": None,
    "userinfo_key": "main",  # main | rogue_same_kid
    "userinfo_format": "jwt",  # jwt | json
    "userinfo_sub": None,
    "token_delay": 0.0,  # seconds the token endpoint waits before answering
}

current: dict[str, Any] = dict(DEFAULTS)


def update(changes: dict[str, Any]) -> None:
    unknown = set(changes) - set(DEFAULTS)
    if unknown:
        raise KeyError(", ".join(sorted(unknown)))
    current.update(changes)


def reset() -> None:
    current.clear()
    current.update(DEFAULTS)
