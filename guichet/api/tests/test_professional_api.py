"""The trusted third parties' API: a token acts for its organisation only while the approval is in force."""

from datetime import timedelta

import pytest
from django.utils import timezone

from guichet.api.models import ApiCallLog, ApiClient, ClientKind
from guichet.api.services import api_client_issue, api_client_revoke
from guichet.core.exceptions import InvalidInput
from guichet.territory.models import Place, PlaceKind
from guichet.testing.personas import ensure_place, ensure_test_territory
from guichet.testing.trusted_parties import ensure_approval
from guichet.trusted_parties.models import ApprovalStatus
from guichet.trusted_parties.services import approval_suspend

URL = "/api/pro/organisation"


@pytest.fixture
def garage(db) -> Place:
    place = ensure_place(PlaceKind.CAR_PROFESSIONAL, ensure_test_territory())
    ensure_approval(place)
    return place


@pytest.fixture
def token(garage) -> str:
    _client, token = api_client_issue(name="Logiciel du garage", kind=ClientKind.PROFESSIONAL, actor=None, place=garage)
    return token


def call(client, token: str | None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token is not None else {}
    return client.get(URL, HTTP_ACCEPT="application/json", **headers)


def test_a_valid_token_sees_its_organisation_and_approval(client, garage, token):
    response = call(client, token)
    assert response.status_code == 200
    body = response.json()
    approval = garage.approvals.get()
    assert body["place_id"] == garage.pk
    assert body["approval_number"] == approval.number
    assert body["approval_status"] == "valid"
    assert {operation["code"] for operation in body["operations"]} == set(approval.operations)
    log = ApiCallLog.objects.get()
    assert (log.api, log.status_code, log.client and log.client.place_id) == ("professional", 200, garage.pk)


@pytest.mark.parametrize(
    ("status", "code"), [(ApprovalStatus.SUSPENDED, "approval_suspended"), (ApprovalStatus.REVOKED, "approval_revoked")]
)
def test_suspension_or_revocation_refuses_the_token_at_the_next_call(client, garage, token, status, code):
    assert call(client, token).status_code == 200
    garage.approvals.update(status=status)
    response = call(client, token)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == code
    assert "préfecture" in response.json()["error"]["message"]


def test_suspension_by_the_prefecture_service_refuses_the_token(client, garage, token, personas):
    approval_suspend(approval=garage.approvals.get(), reason="Contrôle en cours", actor=personas["prefecture_admin"])
    assert call(client, token).json() == {
        "error": {
            "code": "approval_suspended",
            "message": (
                "L'agrément de cet établissement est suspendu par la préfecture : aucune démarche ne peut être faite "
                "en son nom tant que la suspension n'est pas levée."
            ),
        }
    }


def test_the_end_date_refuses_the_token_the_next_day_without_any_job(client, garage, token):
    today = timezone.localdate()
    garage.approvals.update(valid_until=today)
    assert call(client, token).status_code == 200  # the last day is included
    garage.approvals.update(valid_until=today - timedelta(days=1))
    response = call(client, token)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "approval_expired"


@pytest.mark.parametrize("token", [None, "", "pas-un-jeton", "demo-editor-token"])
def test_missing_or_unknown_tokens_answer_401_with_the_same_body(client, garage, token):
    response = call(client, token)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_token"


def test_a_revoked_token_and_other_schemes_are_refused(client, garage, token):
    assert client.get(URL, HTTP_AUTHORIZATION=f"Basic {token}").status_code == 401
    api_client_revoke(client=ApiClient.objects.get(place=garage), actor=None)
    assert call(client, token).status_code == 401


def test_a_professional_token_does_not_open_the_appointment_apis(client, token):
    response = client.get("/api/ants-coordination/status?application_ids=DEMOVALID1", HTTP_X_RDV_OPT_AUTH_TOKEN=token)
    assert response.status_code == 401


def test_a_professional_token_needs_its_organisation_and_only_professionals_have_one(garage):
    with pytest.raises(InvalidInput):
        api_client_issue(name="Sans lieu", kind=ClientKind.PROFESSIONAL, actor=None)
    with pytest.raises(InvalidInput):
        api_client_issue(name="Éditeur", kind=ClientKind.COORDINATION_EDITOR, actor=None, place=garage)
    assert not ApiClient.objects.exists()


def test_the_command_issues_a_professional_token_for_a_place(garage, client):
    from io import StringIO

    from django.core.management import call_command
    from django.core.management.base import CommandError

    out = StringIO()
    call_command("create_api_token", "Logiciel Y", "--kind", "professional", "--lieu", str(garage.pk), stdout=out)
    token = out.getvalue().strip().splitlines()[-1]
    assert call(client, token).status_code == 200
    with pytest.raises(CommandError, match="rattaché"):
        call_command("create_api_token", "Logiciel Z", "--kind", "professional", stdout=StringIO())


def test_the_admin_form_refuses_a_professional_token_without_its_place(personas, verified_client, garage):
    from django.urls import reverse

    admin = verified_client(personas["platform_admin"])
    url = reverse("admin:api_apiclient_add")
    refused = admin.post(url, {"name": "Logiciel W", "kind": "professional", "place": ""})
    assert refused.status_code == 200 and "rattaché à son établissement" in refused.content.decode()
    assert not ApiClient.objects.exists()
    created = admin.post(url, {"name": "Logiciel W", "kind": "professional", "place": str(garage.pk)})
    assert created.status_code == 302
    assert ApiClient.objects.get().place == garage
