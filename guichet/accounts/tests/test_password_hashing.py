"""Passwords are hashed with Argon2id at the configured cost, and older hashes move to it at the next sign-in."""

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher, check_password, identify_hasher, make_password

from guichet.accounts.models import User

HASHERS = ["guichet.accounts.hashers.ConfiguredArgon2PasswordHasher"]


@pytest.fixture
def argon2(settings):
    settings.PASSWORD_HASHERS = HASHERS
    settings.GUICHET_ARGON2_TIME_COST = 2
    settings.GUICHET_ARGON2_MEMORY_KIB = 19456
    settings.GUICHET_ARGON2_PARALLELISM = 1
    return settings


def test_new_hashes_are_argon2id_with_the_configured_cost(argon2):
    encoded = make_password("Un-mot-de-passe-solide-2026")
    assert encoded.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert check_password("Un-mot-de-passe-solide-2026", encoded)
    assert not check_password("un-autre", encoded)


def test_the_cost_is_a_setting(argon2):
    argon2.GUICHET_ARGON2_MEMORY_KIB = 65536
    argon2.GUICHET_ARGON2_TIME_COST = 3
    assert "$m=65536,t=3,p=1$" in make_password("Un-mot-de-passe-solide-2026")


@pytest.mark.django_db
def test_a_hash_made_with_djangos_default_cost_is_upgraded_at_sign_in(argon2, client):
    old = Argon2PasswordHasher().encode("Un-mot-de-passe-solide-2026", Argon2PasswordHasher().salt())
    assert "$m=102400,t=2,p=8$" in old
    user = User.objects.create(email="ancien@example.fr", password=old)
    assert identify_hasher(old).must_update(old)

    assert user.check_password("Un-mot-de-passe-solide-2026")  # verifies, then stores the new hash

    user.refresh_from_db()
    assert "$m=19456,t=2,p=1$" in user.password
