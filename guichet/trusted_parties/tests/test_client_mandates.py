"""Client mandates: a professional files one procedure for a client who consented, fee shown first, title sent to
the client's home; nothing works outside the approval's operations or while the approval is not in force."""

import importlib
from datetime import timedelta

import pytest
from django.utils import timezone

from guichet.accounts.models import User
from guichet.core.exceptions import InvalidInput
from guichet.dossiers import registry
from guichet.dossiers.models import AccessRole, DossierAccess, DossierEvent
from guichet.dossiers.policy import CITIZEN_CAPACITIES, DossierPolicy
from guichet.dossiers.services import dossier_access_grant
from guichet.dossiers.tests.fixtures import png_bytes, upload
from guichet.mandates.errors import MandateRefused
from guichet.mandates.models import ConsentMethod, MandateKind, MandateStatus
from guichet.mandates.services import CONSENT_SENTENCE, mandate_revoke
from guichet.trusted_parties.errors import ApprovalNotValid
from guichet.trusted_parties.models import Approval
from guichet.trusted_parties.operations import Operation
from guichet.trusted_parties.services import (
    approval_reinstate,
    approval_suspend,
    client_document_upload,
    client_dossier_create,
    client_dossier_open,
    client_dossier_transition,
    client_mandate_confirm,
    client_mandate_propose,
    procedures_of_approval,
    staff_remove,
)

from .clients import CLIENT_ADDRESS, NEW_VEHICLE


@pytest.fixture(autouse=True)
def new_vehicle_procedure():
    registry.register(NEW_VEHICLE)
    yield
    registry.unregister(NEW_VEHICLE.code)


@pytest.fixture
def garage_staff(personas):
    return personas["car_professional"]


@pytest.fixture
def garage(garage_staff):
    return garage_staff.role_assignments.get().place


@pytest.fixture
def client_user(personas):
    return personas["citizen"]


def propose(garage, staff, client, **overrides):
    values = {
        "place": garage,
        "client_email": client.email,
        "procedure": NEW_VEHICLE.code,
        "fee_cents": 3500,
        "consent_method": ConsentMethod.TYPED,
        "actor": staff,
    }
    values.update(overrides)
    return client_mandate_propose(**values)


def active(garage, staff, client):
    mandate = propose(garage, staff, client)
    return client_mandate_confirm(mandate=mandate, code_or_text=CONSENT_SENTENCE, actor=staff)


def test_the_client_sees_the_fee_in_what_they_agree_to_and_the_professional_files_for_them(
    garage, garage_staff, client_user
):
    mandate = propose(garage, garage_staff, client_user)
    assert mandate.kind == MandateKind.CLIENT and mandate.status == MandateStatus.PENDING
    assert "35 €" in mandate.consent_text and garage.name in mandate.consent_text
    mandate = client_mandate_confirm(mandate=mandate, code_or_text=CONSENT_SENTENCE, actor=garage_staff)
    assert mandate.status == MandateStatus.ACTIVE
    dossier = client_dossier_create(mandate=mandate, actor=garage_staff, **CLIENT_ADDRESS)
    assert dossier.applicant == client_user and dossier.procedure == NEW_VEHICLE.code
    assert dossier.data["delivery"] == {
        "recipient": "applicant",
        "name": client_user.get_full_name(),
        **CLIENT_ADDRESS,
    }
    assert DossierPolicy.abilities(garage_staff, dossier)["submit"]
    client_document_upload(
        place=garage, dossier=dossier, kind="identity", uploaded_file=upload(png_bytes()), actor=garage_staff
    )
    submitted = client_dossier_transition(place=garage, dossier=dossier, name="submit", actor=garage_staff)
    assert submitted.status == "submitted"
    # The client's timeline says who acted, for which structure, on their behalf.
    event = DossierEvent.objects.filter(dossier=dossier, kind="transition").last()
    assert event is not None and event.actor == garage_staff and event.actor_organisation == garage.name


def test_cni_and_passeport_are_not_for_professionals(garage, garage_staff, client_user):
    approval = Approval.objects.get(place=garage)
    assert [procedure.code for procedure in procedures_of_approval(approval)] == [NEW_VEHICLE.code]
    for code in ("cni", "passeport"):
        with pytest.raises(InvalidInput) as refused:
            propose(garage, garage_staff, client_user, procedure=code)
        assert refused.value.code == "procedure_not_in_approval"


def test_a_procedure_outside_the_approvals_operations_is_refused(garage, garage_staff, client_user):
    Approval.objects.filter(place=garage).update(operations=[Operation.DESTRUCTION_DECLARATION])
    with pytest.raises(InvalidInput) as refused:
        propose(garage, garage_staff, client_user)
    assert refused.value.code == "procedure_not_in_approval"


def test_operations_narrowed_after_the_mandate_stop_the_filing(garage, garage_staff, client_user):
    mandate = active(garage, garage_staff, client_user)
    Approval.objects.filter(place=garage).update(operations=[Operation.DESTRUCTION_DECLARATION])
    with pytest.raises(InvalidInput):
        client_dossier_create(mandate=mandate, actor=garage_staff, **CLIENT_ADDRESS)


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"fee_cents": None}, "fee_missing"),
        ({"fee_cents": -1}, "fee_out_of_range"),
        ({"client_email": "inconnu@example.fr"}, "client_not_found"),
    ],
)
def test_bad_proposals_are_refused(garage, garage_staff, client_user, overrides, code):
    with pytest.raises(InvalidInput) as refused:
        propose(garage, garage_staff, client_user, **overrides)
    assert refused.value.code == code


@pytest.mark.parametrize(
    ("address", "code"),
    [
        ({"address": "", "postal_code": "35000", "city": "Rennes"}, "delivery_address_missing"),
        ({"address": "8 rue de la Monnaie", "postal_code": "350", "city": "Rennes"}, "delivery_postal_code"),
        ({"address": "1 Place de la Mairie", "postal_code": "35000", "city": "Rennes"}, "delivery_to_establishment"),
    ],
)
def test_the_title_goes_to_the_clients_home_never_to_the_establishment(
    garage, garage_staff, client_user, address, code
):
    mandate = active(garage, garage_staff, client_user)
    with pytest.raises(InvalidInput) as refused:
        client_dossier_create(mandate=mandate, actor=garage_staff, **address)
    assert refused.value.code == code
    assert not client_user.dossiers.exists()


def test_suspension_refuses_every_step_and_closes_the_open_dossiers_at_once(
    garage, garage_staff, client_user, personas
):
    mandate = active(garage, garage_staff, client_user)
    dossier = client_dossier_create(mandate=mandate, actor=garage_staff, **CLIENT_ADDRESS)
    approval = Approval.objects.get(place=garage)
    approval_suspend(approval=approval, reason="Contrôle en cours", actor=personas["prefecture_admin"])
    assert not DossierAccess.objects.filter(dossier=dossier, user=garage_staff, revoked_at__isnull=True).exists()
    assert not DossierPolicy.abilities(garage_staff, dossier)["view"]
    for step in (
        lambda: propose(garage, garage_staff, client_user),
        lambda: client_dossier_open(place=garage, dossier=dossier, actor=garage_staff),
        lambda: client_dossier_create(mandate=mandate, actor=garage_staff, **CLIENT_ADDRESS),
    ):
        with pytest.raises(ApprovalNotValid) as refused:
            step()
        assert refused.value.code == "approval_suspended"
    approval_reinstate(approval=approval, reason="Contrôle satisfaisant", actor=personas["prefecture_admin"])
    client_dossier_open(place=garage, dossier=dossier, actor=garage_staff)
    assert DossierPolicy.abilities(garage_staff, dossier)["view"]


def test_dossier_access_never_outlives_the_approval(garage, garage_staff, client_user):
    Approval.objects.filter(place=garage).update(valid_until=timezone.localdate() + timedelta(days=2))
    mandate = active(garage, garage_staff, client_user)  # three months
    dossier = client_dossier_create(mandate=mandate, actor=garage_staff, **CLIENT_ADDRESS)
    access = DossierAccess.objects.get(dossier=dossier, user=garage_staff, revoked_at__isnull=True)
    assert access.valid_until is not None and mandate.valid_until is not None
    assert access.valid_until < mandate.valid_until
    assert timezone.localtime(access.valid_until).date() == timezone.localdate() + timedelta(days=3)
    Approval.objects.filter(place=garage).update(valid_until=timezone.localdate() - timedelta(days=1))
    with pytest.raises(ApprovalNotValid) as refused:
        client_dossier_open(place=garage, dossier=dossier, actor=garage_staff)
    assert refused.value.code == "approval_expired"


def test_a_mandate_revoked_by_the_client_stops_the_professional(garage, garage_staff, client_user):
    mandate = active(garage, garage_staff, client_user)
    dossier = client_dossier_create(mandate=mandate, actor=garage_staff, **CLIENT_ADDRESS)
    mandate_revoke(mandate=mandate, actor=client_user)
    assert not DossierPolicy.abilities(garage_staff, dossier)["view"]
    with pytest.raises(MandateRefused) as refused:
        client_dossier_open(place=garage, dossier=dossier, actor=garage_staff)
    assert refused.value.code == "mandate_revoked"


def test_a_pending_mandate_does_not_let_the_professional_file(garage, garage_staff, client_user):
    mandate = propose(garage, garage_staff, client_user)
    with pytest.raises(MandateRefused) as refused:
        client_dossier_create(mandate=mandate, actor=garage_staff, **CLIENT_ADDRESS)
    assert refused.value.code == "mandate_pending"


def test_a_removed_staff_member_loses_the_client_dossiers_at_once(garage, garage_staff, client_user):
    from guichet.accounts.models import RoleAssignment, User
    from guichet.accounts.roles import Role

    colleague = User.objects.create_user("vendeur@garage.fr", "Un-Mot-De-Passe-Solide-2026")
    assignment = RoleAssignment.objects.create(user=colleague, role=Role.CAR_PROFESSIONAL_STAFF, place=garage)
    mandate = active(garage, colleague, client_user)
    dossier = client_dossier_create(mandate=mandate, actor=colleague, **CLIENT_ADDRESS)
    assert DossierPolicy.abilities(colleague, dossier)["view"]
    staff_remove(assignment=assignment, actor=garage_staff)
    assert not DossierPolicy.abilities(colleague, dossier)["view"]
    with pytest.raises(MandateRefused):
        client_dossier_open(place=garage, dossier=dossier, actor=colleague)


def test_grants_opened_as_representative_by_earlier_client_mandates_become_trusted_party_grants(
    garage, garage_staff, client_user
):
    from django.apps import apps

    migration = importlib.import_module("guichet.mandates.migrations.0002_client_grants_trusted_party")
    dossier = client_dossier_create(
        mandate=active(garage, garage_staff, client_user), actor=garage_staff, **CLIENT_ADDRESS
    )
    DossierAccess.objects.filter(dossier=dossier).update(role="representative")  # as the first version granted it
    relative = User.objects.create_user("proche@example.fr", "A-Relative-Password-1")
    dossier_access_grant(dossier=dossier, user=relative, role=AccessRole.REPRESENTATIVE, actor=client_user)
    migration.forwards(apps, None)
    assert DossierAccess.objects.get(dossier=dossier, user=garage_staff).role == "trusted_party"
    assert DossierAccess.objects.get(dossier=dossier, user=relative).role == "representative"  # untouched
    assert not DossierPolicy.dossier_roles(garage_staff, dossier, capacities=CITIZEN_CAPACITIES)
