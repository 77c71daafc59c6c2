"""The OpenID Connect authorization-code flow as FranceConnect runs it (INTEROP.md §3).

The pending flow (state, nonce, PKCE verifier) lives in the user's session and is used at most once.
Every answer from the provider is checked before anyone is signed in: state, ID token signature, `iss`,
`aud`, `exp`, `nonce`, `acr` level, then the userinfo JWT (signature, `iss`, `aud`, same `sub`).
"""

import base64
import hashlib
import hmac
import secrets
import time
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import jwt
from django.conf import settings

from .errors import FailureCode, FranceConnectError
from .identity import PivotIdentity, pivot_identity_from_claims, subject_check
from .provider import SIGNING_ALGORITHMS, http_get, http_post, provider_endpoints, signing_key_for

FLOW_SESSION_KEY = "franceconnect_flow"
LOGOUT_SESSION_KEY = "franceconnect_logout_state"
FLOW_MAX_AGE_SECONDS = 15 * 60
CLOCK_SKEW_SECONDS = 60
# eIDAS levels, lowest first; FranceConnect+ asks for eidas2 or eidas3.
ACR_LEVELS = {"eidas1": 1, "eidas2": 2, "eidas3": 3}


@dataclass(frozen=True)
class CompletedSignIn:
    identity: PivotIdentity
    id_token: str
    next_url: str


def _random_token() -> str:
    return secrets.token_urlsafe(32)  # 43 characters, 256 bits


def _pkce_challenge(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode("ascii")).digest()).rstrip(b"=").decode("ascii")


def _requested_acr_level() -> int:
    levels = [ACR_LEVELS[value] for value in settings.FRANCECONNECT_ACR_VALUES.split() if value in ACR_LEVELS]
    return min(levels) if levels else ACR_LEVELS["eidas1"]


def authorization_url_build(*, session: MutableMapping[str, Any], redirect_uri: str, next_url: str) -> str:
    """Starts a flow: remembers state, nonce and PKCE verifier in the session; returns the provider URL."""
    endpoints = provider_endpoints()
    code_verifier = secrets.token_urlsafe(64)
    flow = {
        "state": _random_token(),
        "nonce": _random_token(),
        "code_verifier": code_verifier,
        "next": next_url,
        "started_at": int(time.time()),
    }
    session[FLOW_SESSION_KEY] = flow
    query = urlencode(
        {
            "response_type": "code",
            "client_id": settings.FRANCECONNECT_CLIENT_ID,
            "redirect_uri": redirect_uri,
            "scope": settings.FRANCECONNECT_SCOPES,
            "state": flow["state"],
            "nonce": flow["nonce"],
            "acr_values": settings.FRANCECONNECT_ACR_VALUES,
            "code_challenge": _pkce_challenge(code_verifier),
            "code_challenge_method": "S256",
        }
    )
    separator = "&" if "?" in endpoints.authorization_endpoint else "?"
    return f"{endpoints.authorization_endpoint}{separator}{query}"


def _take_flow(session: MutableMapping[str, Any], state: str) -> dict[str, Any]:
    """Returns the pending flow whose state matches, removing it so that the answer cannot be replayed."""
    flow = session.get(FLOW_SESSION_KEY)
    if not isinstance(flow, dict) or not state or not hmac.compare_digest(str(flow.get("state", "")), state):
        raise FranceConnectError(FailureCode.STATE_INVALID, "no pending flow with this state")
    del session[FLOW_SESSION_KEY]
    if time.time() - int(flow.get("started_at", 0)) > FLOW_MAX_AGE_SECONDS:
        raise FranceConnectError(FailureCode.FLOW_EXPIRED)
    return flow


def _decode_signed(token: str, *, failure: FailureCode, required: list[str]) -> dict[str, Any]:
    key = signing_key_for(token, failure=failure)
    try:
        return jwt.decode(
            token,
            key=key,
            algorithms=list(SIGNING_ALGORITHMS),
            audience=settings.FRANCECONNECT_CLIENT_ID,
            issuer=provider_endpoints().issuer,
            leeway=CLOCK_SKEW_SECONDS,
            options={"require": required, "verify_signature": True},
        )
    except jwt.PyJWTError as error:
        raise FranceConnectError(failure, type(error).__name__) from error


def id_token_verify(*, id_token: str, nonce: str) -> dict[str, Any]:
    claims = _decode_signed(
        id_token, failure=FailureCode.ID_TOKEN_INVALID, required=["iss", "aud", "exp", "iat", "sub", "nonce"]
    )
    if not hmac.compare_digest(str(claims["nonce"]), nonce):
        raise FranceConnectError(FailureCode.NONCE_MISMATCH)
    acr_level = ACR_LEVELS.get(str(claims.get("acr", "")), 0)
    if acr_level < _requested_acr_level():
        raise FranceConnectError(FailureCode.ACR_INSUFFICIENT, f"acr {claims.get('acr')!r}")
    subject_check(claims["sub"])
    return claims


def userinfo_verify(*, token: str, expected_sub: str) -> dict[str, Any]:
    claims = _decode_signed(token, failure=FailureCode.USERINFO_INVALID, required=["iss", "aud", "sub"])
    if claims["sub"] != expected_sub:
        raise FranceConnectError(FailureCode.USERINFO_INVALID, "userinfo sub differs from the ID token's")
    return claims


def _exchange_code(*, code: str, code_verifier: str, redirect_uri: str) -> tuple[str, str]:
    response = http_post(
        provider_endpoints().token_endpoint,
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "client_id": settings.FRANCECONNECT_CLIENT_ID,
            "client_secret": settings.FRANCECONNECT_CLIENT_SECRET,
            "code_verifier": code_verifier,
        },
        headers={"Accept": "application/json"},
    )
    if 400 <= response.status_code < 500:
        raise FranceConnectError(FailureCode.TOKEN_REJECTED, f"token endpoint answered {response.status_code}")
    if response.status_code != 200:
        raise FranceConnectError(FailureCode.PROVIDER_UNAVAILABLE, f"token endpoint answered {response.status_code}")
    try:
        body = response.json()
    except ValueError as error:
        raise FranceConnectError(FailureCode.PROVIDER_UNAVAILABLE, "token answer is not JSON") from error
    id_token, access_token = body.get("id_token"), body.get("access_token")
    if not isinstance(id_token, str) or not isinstance(access_token, str) or not id_token or not access_token:
        raise FranceConnectError(FailureCode.TOKEN_REJECTED, "token answer without id_token or access_token")
    return id_token, access_token


def _fetch_userinfo(access_token: str) -> str:
    response = http_get(
        provider_endpoints().userinfo_endpoint,
        headers={"Authorization": f"Bearer {access_token}", "Accept": "application/jwt"},
    )
    if response.status_code != 200:
        raise FranceConnectError(FailureCode.USERINFO_INVALID, f"userinfo answered {response.status_code}")
    content_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
    if content_type != "application/jwt":
        # FranceConnect always signs userinfo; an unsigned answer cannot be trusted.
        raise FranceConnectError(FailureCode.USERINFO_INVALID, f"userinfo content type {content_type!r}")
    return response.text.strip()


def authorization_complete(
    *, session: MutableMapping[str, Any], params: Mapping[str, str], redirect_uri: str
) -> CompletedSignIn:
    """Checks the provider's answer to the browser and everything fetched with it; returns the verified identity."""
    flow = _take_flow(session, params.get("state", ""))
    error = params.get("error")
    if error:
        code = FailureCode.ACCESS_DENIED if error == "access_denied" else FailureCode.PROVIDER_ERROR
        raise FranceConnectError(code, f"provider error {error[:40]!r}")
    authorization_code = params.get("code", "")
    if not authorization_code:
        raise FranceConnectError(FailureCode.PROVIDER_ERROR, "no code")
    id_token, access_token = _exchange_code(
        code=authorization_code, code_verifier=flow["code_verifier"], redirect_uri=redirect_uri
    )
    id_claims = id_token_verify(id_token=id_token, nonce=flow["nonce"])
    userinfo = userinfo_verify(token=_fetch_userinfo(access_token), expected_sub=id_claims["sub"])
    return CompletedSignIn(identity=pivot_identity_from_claims(userinfo), id_token=id_token, next_url=flow["next"])


def logout_url_build(*, session: MutableMapping[str, Any], id_token: str, post_logout_redirect_uri: str) -> str:
    """The provider's end-session URL, with a fresh state remembered for the return trip."""
    endpoints = provider_endpoints()
    if not endpoints.end_session_endpoint:
        raise FranceConnectError(FailureCode.PROVIDER_UNAVAILABLE, "no end_session_endpoint")
    state = _random_token()
    session[LOGOUT_SESSION_KEY] = state
    query = urlencode({"id_token_hint": id_token, "state": state, "post_logout_redirect_uri": post_logout_redirect_uri})
    separator = "&" if "?" in endpoints.end_session_endpoint else "?"
    return f"{endpoints.end_session_endpoint}{separator}{query}"


def logout_state_check(*, session: MutableMapping[str, Any], state: str) -> None:
    expected = session.get(LOGOUT_SESSION_KEY)
    if not isinstance(expected, str) or not state or not hmac.compare_digest(expected, state):
        raise FranceConnectError(FailureCode.LOGOUT_STATE_INVALID)
    del session[LOGOUT_SESSION_KEY]
