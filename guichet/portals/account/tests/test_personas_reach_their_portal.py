import pytest
from django.urls import reverse

from guichet.testing.personas import PERSONAS

PORTAL_HOME = {
    "citizen": "citizen:home",
    "mairie_agent": "town_hall:home",
    "instructor": "instruction:home",
    "mediator": "mediator:home",
    "driving_school": "professional:home",
    "car_professional": "professional:home",
    "prefecture_admin": "prefecture:home",
    "platform_admin": "admin:index",
}


def test_every_persona_has_a_portal():
    assert {spec.key for spec in PERSONAS} == set(PORTAL_HOME)


@pytest.mark.django_db
@pytest.mark.parametrize("key", sorted(set(PORTAL_HOME) - {"citizen"}))
def test_agent_persona_is_refused_before_two_factor_then_reaches_its_portal(client, personas, password_login, key):
    home = reverse(PORTAL_HOME[key])
    response = password_login(client, personas[key], next_url=home)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account:two_factor_verify"))
    before = client.get(home, follow=True)
    assert before.redirect_chain
    assert before.redirect_chain[-1][0].startswith(reverse("account:two_factor_verify"))
    assert before.status_code == 200
    from guichet.testing.personas import current_totp_code

    verified = client.post(reverse("account:two_factor_verify"), {"code": current_totp_code(), "next": home})
    assert verified.status_code == 302
    assert verified["Location"] == home
    assert client.get(home).status_code == 200


@pytest.mark.django_db
def test_citizen_persona_reaches_its_portal_with_its_password_only(client, personas, password_login):
    home = reverse(PORTAL_HOME["citizen"])
    response = password_login(client, personas["citizen"], next_url=home)
    assert response["Location"] == home
    assert client.get(home).status_code == 200


@pytest.mark.django_db
def test_citizen_is_refused_in_agent_portals(client, personas, password_login):
    password_login(client, personas["citizen"])
    for key in ("mairie_agent", "instructor", "mediator", "driving_school", "prefecture_admin"):
        assert client.get(reverse(PORTAL_HOME[key])).status_code == 403
    assert client.get(reverse("admin:index")).status_code in {302, 403}
    assert client.get(reverse("admin:index"), follow=True).status_code == 403
