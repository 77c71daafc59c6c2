"""django-oauth-toolkit validator shaped like FranceConnect v2: identity claims only in a signed userinfo JWT."""

import datetime
import json
import time
import uuid

from django.utils import timezone
from jwcrypto import jwt
from oauth2_provider.oauth2_validators import OAuth2Validator

from tests.oidc_provider import behaviour, keys
from tests.oidc_provider.identities import IDENTITIES

PIVOT_CLAIMS = ("given_name", "family_name", "birthdate", "birthplace", "birthcountry", "gender", "email")


def _identity(user) -> dict[str, str]:
    return IDENTITIES[user.username]


def _signed(claims: dict, *, algorithm: str, key_choice: str, main: str, rogue: str) -> str:
    signing_key = keys.key(rogue if key_choice.startswith("rogue") else main)
    # rogue_same_kid pretends to be the published key: only the signature check can catch it.
    kid = keys.key(main).thumbprint() if key_choice != "rogue_own_kid" else signing_key.thumbprint()
    token = jwt.JWT(header=json.dumps({"typ": "JWT", "alg": algorithm, "kid": kid}), claims=json.dumps(claims))
    token.make_signed_token(signing_key)
    return token.serialize()


class FranceConnectLikeValidator(OAuth2Validator):
    def get_id_token_dictionary(self, token, token_handler, request):
        settings = behaviour.current
        expires_in = int(settings["id_token_lifetime"])
        claims = {
            "sub": _identity(request.user)["sub"],
            "iss": settings["id_token_issuer"] or self.get_oidc_issuer_endpoint(request),
            "exp": int(time.time()) + expires_in,
            "auth_time": int(time.time()),
            "jti": str(uuid.uuid4()),
            "amr": ["pwd"],
        }
        if settings["acr"] is not None:
            claims["acr"] = settings["acr"]
        return claims, None

    def finalize_id_token(self, id_token, token, token_handler, request):
        settings = behaviour.current
        claims, _ = self.get_id_token_dictionary(token, token_handler, request)
        id_token.update(**claims)
        if "nonce" not in id_token and request.nonce:
            id_token["nonce"] = request.nonce
        if settings["id_token_nonce"] is not None:
            id_token["nonce"] = settings["id_token_nonce"]
        if settings["id_token_audience"] is not None:
            id_token["aud"] = settings["id_token_audience"]
        if settings["id_token_lifetime"] < 0:
            id_token["iat"] = int(time.time()) + 2 * int(settings["id_token_lifetime"])
        family = "ec" if settings["id_token_algorithm"] == "ES256" else "rsa"
        serialized = _signed(
            id_token,
            algorithm=settings["id_token_algorithm"],
            key_choice=settings["id_token_key"],
            main=f"main_{family}",
            rogue=f"rogue_{family}",
        )
        expires = timezone.now() + datetime.timedelta(seconds=max(int(settings["id_token_lifetime"]), 1))
        request.id_token = request.access_token = self._save_id_token(id_token["jti"], request, expires)
        return serialized

    def get_userinfo_claims(self, request):
        """A string answer makes oauthlib reply with `Content-Type: application/jwt`."""
        settings = behaviour.current
        identity = _identity(request.user)
        claims = {
            name: identity[name]
            for name in PIVOT_CLAIMS
            if name in request.scopes or "identite_pivot" in request.scopes
        }
        claims["sub"] = settings["userinfo_sub"] or identity["sub"]
        if settings["userinfo_format"] == "json":
            return claims
        now = int(time.time())
        claims.update(iss=self.get_oidc_issuer_endpoint(request), aud=request.client.client_id, iat=now, exp=now + 60)
        return _signed(claims, algorithm="ES256", key_choice=settings["userinfo_key"], main="main_ec", rogue="rogue_ec")
