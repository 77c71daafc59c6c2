"""Where the provider is: its endpoints (discovery or explicit settings) and its signing keys, cached.

Every HTTP call has a timeout; network failures and unusable answers become `PROVIDER_UNAVAILABLE`.
"""

from dataclasses import dataclass
from typing import Any

import jwt
import requests
from django.conf import settings
from django.core.cache import cache

from .errors import FailureCode, FranceConnectError

DISCOVERY_CACHE_SECONDS = 60 * 60
JWKS_CACHE_SECONDS = 60 * 60
# Only asymmetric signatures: FranceConnect signs with ES256 (recommended) or RS256.
SIGNING_ALGORITHMS = ("ES256", "RS256")
REQUIRED_ENDPOINTS = ("authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri")


@dataclass(frozen=True)
class ProviderEndpoints:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    userinfo_endpoint: str
    jwks_uri: str
    end_session_endpoint: str


def http_get(url: str, **kwargs: Any) -> requests.Response:
    return _http("GET", url, **kwargs)


def http_post(url: str, **kwargs: Any) -> requests.Response:
    return _http("POST", url, **kwargs)


def _http(method: str, url: str, **kwargs: Any) -> requests.Response:
    try:
        return requests.request(
            method, url, timeout=settings.FRANCECONNECT_HTTP_TIMEOUT, allow_redirects=False, **kwargs
        )
    except requests.RequestException as error:
        raise FranceConnectError(FailureCode.PROVIDER_UNAVAILABLE, type(error).__name__) from error


def _json(response: requests.Response, what: str) -> dict[str, Any]:
    if response.status_code != 200:
        raise FranceConnectError(FailureCode.PROVIDER_UNAVAILABLE, f"{what} answered {response.status_code}")
    try:
        data = response.json()
    except ValueError as error:
        raise FranceConnectError(FailureCode.PROVIDER_UNAVAILABLE, f"{what} is not JSON") from error
    if not isinstance(data, dict):
        raise FranceConnectError(FailureCode.PROVIDER_UNAVAILABLE, f"{what} is not an object")
    return data


def provider_endpoints() -> ProviderEndpoints:
    """Explicit `FRANCECONNECT_ENDPOINTS` (a dict) win; otherwise the issuer's discovery document, cached."""
    issuer = settings.FRANCECONNECT_ISSUER.rstrip("/")
    explicit = getattr(settings, "FRANCECONNECT_ENDPOINTS", None)
    if explicit:
        data: dict[str, Any] = {"issuer": issuer, **explicit}
    else:
        cache_key = f"franceconnect:discovery:{issuer}"
        data = cache.get(cache_key)
        if data is None:
            data = _json(http_get(f"{issuer}/.well-known/openid-configuration"), "discovery")
            # The document must describe the issuer we trust, or every later check would be against the wrong one.
            if str(data.get("issuer", "")).rstrip("/") != issuer:
                raise FranceConnectError(FailureCode.PROVIDER_UNAVAILABLE, "discovery issuer mismatch")
            cache.set(cache_key, data, DISCOVERY_CACHE_SECONDS)
    missing = [name for name in REQUIRED_ENDPOINTS if not isinstance(data.get(name), str) or not data.get(name)]
    if missing:
        raise FranceConnectError(FailureCode.PROVIDER_UNAVAILABLE, f"endpoints missing: {','.join(missing)}")
    return ProviderEndpoints(
        issuer=issuer,
        authorization_endpoint=data["authorization_endpoint"],
        token_endpoint=data["token_endpoint"],
        userinfo_endpoint=data["userinfo_endpoint"],
        jwks_uri=data["jwks_uri"],
        end_session_endpoint=str(data.get("end_session_endpoint") or ""),
    )


def _jwks(jwks_uri: str, *, refresh: bool) -> list[dict[str, Any]]:
    cache_key = f"franceconnect:jwks:{jwks_uri}"
    keys = None if refresh else cache.get(cache_key)
    if keys is None:
        keys = _json(http_get(jwks_uri), "jwks").get("keys")
        if not isinstance(keys, list):
            raise FranceConnectError(FailureCode.PROVIDER_UNAVAILABLE, "jwks without keys")
        cache.set(cache_key, keys, JWKS_CACHE_SECONDS)
    return [key for key in keys if isinstance(key, dict)]


def signing_key_for(token: str, *, failure: FailureCode) -> jwt.PyJWK:
    """The provider key that should have signed `token`, chosen by its `kid` and `alg`.

    An unknown `kid` refreshes the key set once (the provider may have rotated its keys).
    Raises `failure` when the header is unusable or no published key matches.
    """
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError as error:
        raise FranceConnectError(failure, "malformed token header") from error
    algorithm = header.get("alg")
    if algorithm not in SIGNING_ALGORITHMS:
        raise FranceConnectError(failure, f"algorithm {algorithm!r} refused")
    jwks_uri = provider_endpoints().jwks_uri
    for refresh in (False, True):
        candidates = [
            key
            for key in _jwks(jwks_uri, refresh=refresh)
            if key.get("use", "sig") == "sig"
            and key.get("alg", algorithm) == algorithm
            and (header.get("kid") is None or key.get("kid") == header.get("kid"))
        ]
        if len(candidates) == 1:
            try:
                return jwt.PyJWK(candidates[0], algorithm=algorithm)
            except jwt.PyJWTError as error:
                raise FranceConnectError(failure, "unusable published key") from error
        if len(candidates) > 1:
            raise FranceConnectError(failure, "several keys match the token")
    raise FranceConnectError(failure, "no published key matches the token")
