import pytest
from django.urls import reverse

from guichet.testing.personas import PASSWORD, current_totp_code


@pytest.fixture
def password_login():
    """Signs a client in through the real login form (password only)."""

    def login(client, user, *, next_url: str = "", remote_addr: str = "127.0.0.1"):
        data = {"username": user.email, "password": PASSWORD}
        if next_url:
            data["next"] = next_url
        return client.post(reverse("account:login"), data, REMOTE_ADDR=remote_addr)

    return login


@pytest.fixture
def full_login(password_login):
    """Password, then the TOTP code of the personas' device."""

    def login(client, user, *, next_url: str = ""):
        password_login(client, user, next_url=next_url)
        return client.post(reverse("account:two_factor_verify"), {"code": current_totp_code(), "next": next_url})

    return login
