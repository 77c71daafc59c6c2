"""FranceConnect sign-in end to end, over real HTTP against the test OpenID provider (tests/oidc_provider).

The provider runs in its own process; Guichet runs in the Django test client and calls the provider with
`requests` for discovery, keys, token and userinfo, exactly as in production.
"""

from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from guichet.accounts.models import IdentityAssurance, User, VerifiedIdentity
from guichet.audit.models import AuditAction, AuditEntry
from guichet.testing.personas import PASSWORD
from tests.oidc_provider.fixtures import CLIENT_URL, RunningProvider, oidc_provider  # noqa: F401
from tests.oidc_provider.identities import IDENTITIES

LOGIN_URL = "account:franceconnect:login"


@pytest.fixture
def provider(oidc_provider: RunningProvider, settings) -> Iterator[RunningProvider]:  # noqa: F811
    settings.FRANCECONNECT_ENABLED = True
    settings.FRANCECONNECT_ISSUER = oidc_provider.issuer
    settings.FRANCECONNECT_CLIENT_ID = oidc_provider.client_id
    settings.FRANCECONNECT_CLIENT_SECRET = oidc_provider.client_secret
    settings.FRANCECONNECT_ACR_VALUES = "eidas1"
    settings.FRANCECONNECT_HTTP_TIMEOUT = 5
    settings.SITE_URL = CLIENT_URL
    cache.clear()
    oidc_provider.reset()
    yield oidc_provider
    oidc_provider.reset()
    cache.clear()


def query(url: str) -> dict[str, str]:
    return {name: values[0] for name, values in parse_qs(urlsplit(url).query).items()}


def start(client, **data) -> str:
    response = client.post(reverse(LOGIN_URL), data)
    assert response.status_code == 302, response.content.decode()[:500]
    return response["Location"]


def sign_in(client, provider: RunningProvider, identity: str, browser=None):
    """Runs the whole flow and returns Guichet's answer to the provider's redirect."""
    callback_url = provider.sign_in(start(client), identity=identity, browser=browser)
    return client.get(callback_url)


def signed_in_user_id(client) -> int | None:
    value = client.session.get("_auth_user_id")
    return int(value) if value else None


def assert_refused(response, code: str, status: int = 400) -> None:
    page = response.content.decode()
    assert response.status_code == status
    assert f'data-franceconnect-error="{code}"' in page
    title = "Déconnexion non confirmée" if code == "logout_state_invalid" else "Connexion avec FranceConnect impossible"
    assert f"<h1>{title}</h1>" in page


def audit_actions(user: User) -> list[str]:
    return list(AuditEntry.objects.filter(subject_user_id=user.pk).values_list("action", flat=True))


# --- the happy paths -------------------------------------------------------------------------------------


def test_authorization_request_carries_pkce_state_nonce_and_acr(client, db, provider):
    url = start(client)
    params = query(url)
    assert url.startswith(f"{provider.issuer}/authorize?")
    assert params["response_type"] == "code"
    assert params["client_id"] == provider.client_id
    assert params["acr_values"] == "eidas1"
    assert params["code_challenge_method"] == "S256"
    assert len(params["code_challenge"]) == 43
    assert len(params["state"]) >= 32 and len(params["nonce"]) >= 32
    assert params["state"] != params["nonce"]
    assert set(params["scope"].split()) >= {"openid", "given_name", "family_name", "birthdate", "email"}
    assert params["redirect_uri"] == f"{CLIENT_URL}/compte/franceconnect/retour/"
    assert start(client) != url  # every attempt draws fresh values


def test_first_login_creates_account_with_verified_identity(client, db, provider):
    expected = IDENTITIES["marie"]

    response = sign_in(client, provider, "marie")

    assert response.status_code == 302
    assert response["Location"] == reverse("account:home")
    user = User.objects.get(email=expected["email"])
    assert signed_in_user_id(client) == user.pk
    assert (user.first_name, user.last_name) == (expected["given_name"], expected["family_name"])
    assert user.email_verified_at is not None
    assert not user.has_usable_password()
    assert user.identity_assurance == IdentityAssurance.VERIFIED_ONLINE
    identity = user.verified_identity
    assert identity.source == VerifiedIdentity.Source.FRANCECONNECT
    assert identity.franceconnect_sub == expected["sub"]
    assert str(identity.birthdate) == expected["birthdate"]
    assert identity.birthplace_code == expected["birthplace"]
    assert identity.birthcountry_code == expected["birthcountry"]
    assert identity.gender == expected["gender"]
    assert cache.get(f"franceconnect:discovery:{provider.issuer}") is not None  # discovery is cached
    assert client.session["franceconnect_login"] is True
    assert client.session["franceconnect_id_token"].count(".") == 2
    actions = audit_actions(user)
    for action in (AuditAction.IDENTITY_VERIFIED, AuditAction.FRANCECONNECT_LINKED, AuditAction.LOGIN):
        assert action in actions
    assert all(expected["email"] not in str(entry.data) for entry in AuditEntry.objects.all())


def test_id_tokens_signed_with_es256_are_accepted(client, db, provider):
    provider.misbehave(id_token_algorithm="ES256")

    response = sign_in(client, provider, "marie")

    assert response.status_code == 302
    assert signed_in_user_id(client) is not None


def test_identity_born_abroad_with_presumed_birthdate_is_stored(client, db, provider):
    expected = IDENTITIES["karim"]

    sign_in(client, provider, "karim")

    identity = VerifiedIdentity.objects.get(franceconnect_sub=expected["sub"])
    assert identity.birthplace_code == ""
    assert identity.birthcountry_code == expected["birthcountry"]
    assert str(identity.birthdate) == expected["birthdate"]


def test_second_login_maps_by_sub_not_by_email(client, db, provider):
    sign_in(client, provider, "marie")
    user = User.objects.get(email=IDENTITIES["marie"]["email"])
    user.email = "adresse.changee@example.org"  # the person changed their address in Guichet since
    user.save()
    client.logout()

    response = sign_in(client, provider, "marie")

    assert response.status_code == 302
    assert signed_in_user_id(client) == user.pk
    assert User.objects.filter(verified_identity__franceconnect_sub=IDENTITIES["marie"]["sub"]).count() == 1
    assert not User.objects.filter(email=IDENTITIES["marie"]["email"]).exists()


def test_next_page_is_kept_and_foreign_targets_ignored(client, db, provider):
    callback = provider.sign_in(start(client, next="/usager/"), identity="marie")
    assert client.get(callback)["Location"] == "/usager/"
    client.logout()
    callback = provider.sign_in(start(client, next="https://ailleurs.example/"), identity="marie")
    assert client.get(callback)["Location"] == reverse("account:home")


def test_existing_email_needs_password_confirmation_before_linking(client, citizen, provider):
    expected = IDENTITIES["camille"]
    assert citizen.email == expected["email"]

    response = sign_in(client, provider, "camille")

    assert response.status_code == 302
    assert response["Location"] == reverse("account:franceconnect:link_confirm")
    assert signed_in_user_id(client) is None
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert expected["email"] in page.content.decode()

    wrong = client.post(response["Location"], {"decision": "link", "password": "pas-le-bon-mot-de-passe"})
    assert wrong.status_code == 200
    assert "Mot de passe incorrect" in wrong.content.decode()
    assert signed_in_user_id(client) is None
    assert not VerifiedIdentity.objects.filter(user=citizen).exists()

    linked = client.post(response["Location"], {"decision": "link", "password": PASSWORD})

    assert linked.status_code == 302
    assert signed_in_user_id(client) == citizen.pk
    citizen.refresh_from_db()
    assert citizen.identity_assurance == IdentityAssurance.VERIFIED_ONLINE
    assert citizen.verified_identity.franceconnect_sub == expected["sub"]
    assert User.objects.filter(email=expected["email"]).count() == 1
    assert AuditAction.FRANCECONNECT_LINKED in audit_actions(citizen)
    # The next FranceConnect sign-in goes straight in, by sub.
    client.logout()
    assert sign_in(client, provider, "camille")["Location"] == reverse("account:home")
    assert signed_in_user_id(client) == citizen.pk


def test_refusing_the_link_keeps_the_user_logged_out(client, citizen, provider):
    confirm_url = sign_in(client, provider, "camille")["Location"]

    response = client.post(confirm_url, {"decision": "refuse"})

    assert response.status_code == 302
    assert response["Location"] == reverse("account:login")
    assert signed_in_user_id(client) is None
    assert not VerifiedIdentity.objects.filter(user=citizen).exists()
    assert_refused(client.get(confirm_url), "link_expired")
    assert_refused(client.post(confirm_url, {"decision": "link", "password": PASSWORD}), "link_expired")
    assert signed_in_user_id(client) is None


def test_logout_ends_the_provider_session_then_guichet_session(client, db, provider):
    browser = provider.browser()
    sign_in(client, provider, "marie", browser=browser)
    id_token = client.session["franceconnect_id_token"]

    response = client.post(reverse("account:franceconnect:logout"))

    assert response.status_code == 302
    end_session_url = response["Location"]
    params = query(end_session_url)
    assert end_session_url.startswith(f"{provider.issuer}/session/end?")
    assert params["id_token_hint"] == id_token
    assert len(params["state"]) >= 32
    assert params["post_logout_redirect_uri"] == f"{CLIENT_URL}/compte/franceconnect/deconnexion/retour/"
    assert signed_in_user_id(client) is not None  # Guichet's session ends when the provider sends the user back

    back = provider.end_session(end_session_url, browser=browser)

    assert query(back)["state"] == params["state"]
    final = client.get(back)
    assert final.status_code == 302
    assert final["Location"] == reverse("public:home")
    assert signed_in_user_id(client) is None
    assert "franceconnect_id_token" not in client.session
    user = User.objects.get(email=IDENTITIES["marie"]["email"])
    assert AuditAction.LOGOUT in audit_actions(user)
    # The provider's own session is over too: it asks again who signs in.
    again = browser.get(start(client), allow_redirects=False, timeout=10)
    assert "/login/" in again.headers["Location"]


def test_logout_return_with_a_forged_state_keeps_the_session(client, db, provider):
    sign_in(client, provider, "marie")
    client.post(reverse("account:franceconnect:logout"))

    response = client.get(reverse("account:franceconnect:logout_callback"), {"state": "x" * 43})

    assert_refused(response, "logout_state_invalid")
    assert signed_in_user_id(client) is not None


# --- bad inputs: a clear error page, nobody signed in, nothing created ------------------------------------


def assert_nobody_signed_in(client) -> None:
    assert signed_in_user_id(client) is None
    assert not User.objects.exists()
    assert not VerifiedIdentity.objects.exists()


def test_forged_state_is_refused(client, db, provider):
    callback = provider.sign_in(start(client), identity="marie")
    forged = callback.replace(f"state={query(callback)['state']}", "state=" + "A" * 43)

    assert_refused(client.get(forged), "state_invalid")
    assert_nobody_signed_in(client)


def test_missing_state_is_refused(client, db, provider):
    callback = provider.sign_in(start(client), identity="marie")

    assert_refused(
        client.get(reverse("account:franceconnect:callback"), {"code": query(callback)["code"]}), "state_invalid"
    )
    assert_nobody_signed_in(client)


def test_callback_in_another_browser_is_refused(client, db, provider):
    callback = provider.sign_in(start(client), identity="marie")

    assert_refused(Client().get(callback), "state_invalid")
    assert_nobody_signed_in(client)


def test_replayed_callback_is_refused(client, db, provider):
    callback = provider.sign_in(start(client), identity="marie")
    assert client.get(callback).status_code == 302
    client.logout()

    assert_refused(client.get(callback), "state_invalid")
    assert signed_in_user_id(client) is None


def test_provider_access_denied_is_explained(client, db, provider):
    state = query(start(client))["state"]

    response = client.get(reverse("account:franceconnect:callback"), {"error": "access_denied", "state": state})

    assert_refused(response, "access_denied")
    assert "annulé" in response.content.decode()
    assert_nobody_signed_in(client)


def test_other_provider_errors_are_explained(client, db, provider):
    state = query(start(client))["state"]

    response = client.get(
        reverse("account:franceconnect:callback"),
        {"error": "server_error", "error_description": "<b>x</b>", "state": state},
    )

    assert_refused(response, "provider_error")
    assert "<b>x</b>" not in response.content.decode()
    assert_nobody_signed_in(client)


@pytest.mark.parametrize(
    ("behaviour", "code"),
    [
        ({"id_token_nonce": "n" * 43}, "nonce_mismatch"),
        ({"id_token_key": "rogue_same_kid"}, "id_token_invalid"),
        ({"id_token_key": "rogue_own_kid"}, "id_token_invalid"),
        ({"id_token_algorithm": "ES256", "id_token_key": "rogue_same_kid"}, "id_token_invalid"),
        ({"id_token_lifetime": -3600}, "id_token_invalid"),
        ({"id_token_issuer": "http://127.0.0.1:9/api/v2"}, "id_token_invalid"),
        ({"id_token_audience": "another-client"}, "id_token_invalid"),
        ({"acr": None}, "acr_insufficient"),
        ({"acr": "eidas0"}, "acr_insufficient"),
        ({"userinfo_key": "rogue_same_kid"}, "userinfo_invalid"),
        ({"userinfo_format": "json"}, "userinfo_invalid"),
        ({"userinfo_sub": IDENTITIES["karim"]["sub"]}, "userinfo_invalid"),
    ],
    ids=lambda value: value if isinstance(value, str) else "-".join(f"{k}={v}" for k, v in value.items()),
)
def test_untrustworthy_provider_answers_are_refused(client, db, provider, behaviour, code):
    provider.misbehave(**behaviour)

    assert_refused(sign_in(client, provider, "marie"), code)
    assert_nobody_signed_in(client)


def test_acr_lower_than_requested_is_refused(client, db, provider, settings):
    settings.FRANCECONNECT_ACR_VALUES = "eidas2"  # as FranceConnect+ would ask
    assert query(start(client))["acr_values"] == "eidas2"
    provider.misbehave(acr="eidas1")

    assert_refused(sign_in(client, provider, "marie"), "acr_insufficient")
    assert_nobody_signed_in(client)


def test_acr_higher_than_requested_is_accepted(client, db, provider):
    provider.misbehave(acr="eidas2")

    assert sign_in(client, provider, "marie").status_code == 302
    assert signed_in_user_id(client) is not None


def test_malformed_sub_is_refused(client, db, provider):
    assert_refused(sign_in(client, provider, "malformed_sub"), "identity_invalid")
    assert_nobody_signed_in(client)


def test_unreachable_provider_gives_a_clear_page(client, db, provider, settings):
    settings.FRANCECONNECT_ISSUER = "http://127.0.0.1:9/api/v2"  # nothing listens on the discard port

    response = client.post(reverse(LOGIN_URL))

    assert_refused(response, "provider_unavailable", status=503)
    assert "ne répond pas" in response.content.decode()


def test_token_endpoint_timeout_gives_a_clear_page(client, db, provider, settings):
    settings.FRANCECONNECT_HTTP_TIMEOUT = 0.5
    provider.misbehave(token_delay=2)

    assert_refused(sign_in(client, provider, "marie"), "provider_unavailable", status=503)
    assert_nobody_signed_in(client)


def test_explicit_endpoints_replace_discovery(client, db, provider, settings):
    settings.FRANCECONNECT_ENDPOINTS = {
        "authorization_endpoint": f"{provider.issuer}/authorize",
        "token_endpoint": f"{provider.issuer}/token",
        "userinfo_endpoint": f"{provider.issuer}/userinfo",
        "jwks_uri": f"{provider.issuer}/jwks",
        "end_session_endpoint": f"{provider.issuer}/session/end",
    }

    assert sign_in(client, provider, "marie").status_code == 302
    assert signed_in_user_id(client) is not None
    assert cache.get(f"franceconnect:discovery:{provider.issuer}") is None


# --- the button and the switch ------------------------------------------------------------------------------


def test_login_page_shows_the_franceconnect_button_when_configured(client, db, provider):
    page = client.get(reverse("account:login")).content.decode()

    assert 'class="fr-connect"' in page
    assert reverse(LOGIN_URL) in page
    assert "Qu’est-ce que FranceConnect ?" in page


@pytest.mark.parametrize("switch", [{"FRANCECONNECT_ENABLED": False}, {"FRANCECONNECT_CLIENT_ID": ""}])
def test_franceconnect_is_hidden_and_closed_when_not_configured(client, db, provider, settings, switch):
    for name, value in switch.items():
        setattr(settings, name, value)

    assert 'class="fr-connect"' not in client.get(reverse("account:login")).content.decode()
    assert client.post(reverse(LOGIN_URL)).status_code == 404
    assert client.get(reverse("account:franceconnect:callback"), {"state": "x", "code": "y"}).status_code == 404


def test_replayed_callback_in_the_same_browser_is_refused(client, db, provider):
    callback = provider.sign_in(start(client), identity="marie")
    assert client.get(callback).status_code == 302
    user_id = signed_in_user_id(client)

    assert_refused(client.get(callback), "state_invalid")
    assert signed_in_user_id(client) == user_id  # the earlier, genuine sign-in is untouched


def test_state_of_a_refused_answer_cannot_be_used_again(client, db, provider):
    state = query(start(client))["state"]
    assert_refused(
        client.get(reverse("account:franceconnect:callback"), {"error": "access_denied", "state": state}),
        "access_denied",
    )

    assert_refused(
        client.get(reverse("account:franceconnect:callback"), {"code": "abc", "state": state}), "state_invalid"
    )
    assert_nobody_signed_in(client)


def test_answer_arriving_too_late_is_refused(client, db, provider):
    callback = provider.sign_in(start(client), identity="marie")
    session = client.session
    session["franceconnect_flow"] = {**session["franceconnect_flow"], "started_at": 0}  # started long ago
    session.save()

    assert_refused(client.get(callback), "flow_expired")
    assert_nobody_signed_in(client)


def test_deactivated_account_cannot_sign_in(client, db, provider):
    sign_in(client, provider, "marie")
    User.objects.filter(email=IDENTITIES["marie"]["email"]).update(is_active=False)
    client.logout()

    assert_refused(sign_in(client, provider, "marie"), "account_inactive", status=403)
    assert signed_in_user_id(client) is None


def test_account_linked_to_another_identity_is_not_relinked(client, citizen, provider):
    VerifiedIdentity.objects.create(
        user=citizen,
        source=VerifiedIdentity.Source.FRANCECONNECT,
        franceconnect_sub="f" * 64 + "v1",
        given_name="Camille",
        family_name="Martin",
    )

    assert_refused(sign_in(client, provider, "camille"), "account_already_linked")
    assert signed_in_user_id(client) is None
    assert VerifiedIdentity.objects.get(user=citizen).franceconnect_sub == "f" * 64 + "v1"


def test_linking_keeps_a_face_to_face_verification(client, citizen, provider):
    VerifiedIdentity.objects.create(
        user=citizen,
        source=VerifiedIdentity.Source.IN_PERSON,
        given_name="Camille",
        family_name="Martin",
        document_type="cni",
    )
    User.objects.filter(pk=citizen.pk).update(identity_assurance=IdentityAssurance.VERIFIED_IN_PERSON)
    confirm_url = sign_in(client, provider, "camille")["Location"]

    client.post(confirm_url, {"decision": "link", "password": PASSWORD})

    citizen.refresh_from_db()
    assert signed_in_user_id(client) == citizen.pk
    assert citizen.identity_assurance == IdentityAssurance.VERIFIED_IN_PERSON
    identity = citizen.verified_identity
    assert identity.source == VerifiedIdentity.Source.IN_PERSON
    assert identity.document_type == "cni"
    assert identity.franceconnect_sub == IDENTITIES["camille"]["sub"]


def test_each_sign_in_refreshes_the_stored_identity(client, db, provider):
    sign_in(client, provider, "marie")
    VerifiedIdentity.objects.update(family_name="Ancien nom", gender="")
    client.logout()

    sign_in(client, provider, "marie")

    identity = VerifiedIdentity.objects.get()
    assert identity.family_name == IDENTITIES["marie"]["family_name"]
    assert identity.gender == IDENTITIES["marie"]["gender"]
    refreshed = AuditEntry.objects.filter(action=AuditAction.IDENTITY_VERIFIED).last()
    assert refreshed is not None
    assert refreshed.data == {"source": "franceconnect", "updated_fields": ["family_name", "gender"]}


def test_repeated_wrong_passwords_on_the_link_page_are_throttled(client, citizen, provider, settings):
    confirm_url = sign_in(client, provider, "camille")["Location"]
    statuses = [
        client.post(confirm_url, {"decision": "link", "password": f"mauvais-{attempt}"}).status_code
        for attempt in range(settings.AXES_FAILURE_LIMIT + 1)
    ]

    assert statuses[0] == 200
    assert statuses[-1] == 429
    assert client.post(confirm_url, {"decision": "link", "password": PASSWORD}).status_code == 429
    assert signed_in_user_id(client) is None
