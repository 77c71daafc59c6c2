import jwt
import pytest

from guichet.accounts.franceconnect.errors import FailureCode, FranceConnectError
from guichet.accounts.franceconnect.provider import signing_key_for


@pytest.mark.parametrize(
    "token",
    [
        jwt.encode({"sub": "x"}, key=None, algorithm="none"),  # type: ignore[arg-type]
        jwt.encode({"sub": "x"}, key="the-client-secret-used-as-an-hmac-key", algorithm="HS256"),
        "not-a-jwt",
    ],
    ids=["alg-none", "alg-hs256", "garbage"],
)
def test_tokens_not_signed_with_es256_or_rs256_are_refused_before_any_key_lookup(token, settings):
    settings.FRANCECONNECT_ISSUER = "http://127.0.0.1:9/api/v2"  # unreachable: no network call may happen

    with pytest.raises(FranceConnectError) as refused:
        signing_key_for(token, failure=FailureCode.ID_TOKEN_INVALID)

    assert refused.value.code == FailureCode.ID_TOKEN_INVALID
