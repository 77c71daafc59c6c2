"""The provider's signing keys, generated at start-up into its data directory.

`main_rsa` signs ID tokens (RS256, django-oauth-toolkit's key), `main_ec` signs userinfo (ES256); both are
published at /api/v2/jwks. The rogue keys are never published: tokens signed with them must be refused.
"""

import functools
import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwcrypto import jwk

KEY_FILES = {"main_rsa": "rsa", "rogue_rsa": "rsa", "main_ec": "ec", "rogue_ec": "ec"}


def generate(directory: Path) -> None:
    for name, kind in KEY_FILES.items():
        private_key = (
            rsa.generate_private_key(public_exponent=65537, key_size=2048)
            if kind == "rsa"
            else ec.generate_private_key(ec.SECP256R1())
        )
        pem = private_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        (directory / f"{name}.pem").write_bytes(pem)


def pem(name: str) -> str:
    return (Path(os.environ["OIDC_PROVIDER_DATA_DIR"]) / f"{name}.pem").read_text()


@functools.cache
def key(name: str) -> jwk.JWK:
    return jwk.JWK.from_pem(pem(name).encode())
