"""FranceConnect sign-in (INTEROP.md §3): the OpenID Connect client and the mapping of identities to accounts.

- `protocol`: the authorization-code flow (PKCE, state, nonce), token and userinfo checks, logout URL.
- `provider`: where the provider's endpoints and keys are (discovery or settings), fetched over HTTP.
- `identity`: the "identité pivot" claims, checked and typed.
- `services` / `selectors`: accounts keyed by the FranceConnect `sub`, never by e-mail.
"""

from django.conf import settings


def franceconnect_is_enabled() -> bool:
    """FranceConnect is offered only when switched on and a client id is configured."""
    return bool(settings.FRANCECONNECT_ENABLED and settings.FRANCECONNECT_CLIENT_ID)
