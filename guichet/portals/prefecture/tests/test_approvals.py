"""Préfecture admins keep their département's registry of approvals from the portal; others' answer 404."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from guichet.territory.models import Department, Place, PlaceKind
from guichet.testing.trusted_parties import ensure_approval, siret_with_key
from guichet.trusted_parties.models import Approval, ApprovalEvent, ApprovalStatus, StaffInvitation

SIRET = siret_with_key("7328293200007")


@pytest.fixture
def admin_client(personas, verified_client):
    return verified_client(personas["prefecture_admin"])


@pytest.fixture
def school(personas) -> Place:
    department = Department.objects.get(code="35")
    return Place.objects.create(kind=PlaceKind.DRIVING_SCHOOL, name="Auto-école des Lices", department=department)


@pytest.fixture
def foreign_approval(personas) -> Approval:
    department, _ = Department.objects.get_or_create(
        code="22", defaults={"name": "Côtes-d'Armor", "region_id": "53", "chef_lieu_code": "22278"}
    )
    return ensure_approval(
        Place.objects.create(kind=PlaceKind.CAR_PROFESSIONAL, name="Garage de Lannion", department=department)
    )


def _grant_form(**values) -> dict:
    today = timezone.localdate()
    data = {
        "number": "E 24 035 0012 0",
        "holder_name": "Lices Conduite SARL",
        "holder_siret": SIRET,
        "operations": ["licence_registration", "licence_issue"],
        "valid_from": today.isoformat(),
        "valid_until": (today + timedelta(days=5 * 365)).isoformat(),
        "reason": "Arrêté préfectoral du jour",
        "manager_email": "",
    }
    data.update(values)
    return data


def test_granting_records_the_approval_and_invites_the_manager(
    admin_client, school, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("prefecture:approval_create", args=[school.pk]), _grant_form(manager_email="gerant@lices.fr")
        )
    approval = Approval.objects.get(place=school)
    assert response.status_code == 302 and response["Location"] == reverse(
        "prefecture:approval_detail", args=[approval.pk]
    )
    assert (approval.number, approval.operations) == ("E2403500120", ["licence_registration", "licence_issue"])
    assert ApprovalEvent.objects.get(approval=approval).reason == "Arrêté préfectoral du jour"
    invitation = StaffInvitation.objects.get(place=school)
    assert invitation.is_manager and invitation.email == "gerant@lices.fr"
    assert len(mailoutbox) == 1 and "/pro/invitation/" in mailoutbox[0].body
    page = admin_client.get(response["Location"]).content.decode()
    assert "E 24 035 0012 0" in page and "Arrêté préfectoral du jour" in page


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"holder_siret": "73282932000075"}, "clé de contrôle"),
        ({"number": "H03500042"}, "E, l&#x27;année"),
        ({"number": "E2422900120"}, "département 229"),
        ({"operations": []}, "au moins une opération"),
        ({"operations": ["new_vehicle_registration"]}, "Sélectionnez un choix valide"),
    ],
)
def test_bad_inputs_are_shown_on_the_form_and_nothing_is_saved(admin_client, school, values, message):
    response = admin_client.post(reverse("prefecture:approval_create", args=[school.pk]), _grant_form(**values))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Approval.objects.filter(place=school).exists()


def test_a_duplicate_number_is_refused(admin_client, school, personas):
    taken = Approval.objects.get(place__kind=PlaceKind.DRIVING_SCHOOL)  # the persona's school, in 35
    response = admin_client.post(
        reverse("prefecture:approval_create", args=[school.pk]), _grant_form(number=taken.number)
    )
    assert "déjà attribué" in response.content.decode()
    assert not Approval.objects.filter(place=school).exists()


def test_suspension_then_lifting_with_reasons(admin_client, personas):
    approval = Approval.objects.get(place__kind=PlaceKind.CAR_PROFESSIONAL)
    url = reverse("prefecture:approval_decide", args=[approval.pk, "suspendre"])
    assert "Motif" in admin_client.get(url).content.decode()
    refused = admin_client.post(url, {"reason": ""})
    assert refused.status_code == 200 and "Indiquez le motif" in refused.content.decode()
    assert admin_client.post(url, {"reason": "Contrôle en cours"}).status_code == 302
    approval.refresh_from_db()
    assert approval.status == ApprovalStatus.SUSPENDED
    again = admin_client.post(url, {"reason": "Deux fois"})
    assert again.status_code == 400 and "n'est pas possible" in again.content.decode()
    lift = reverse("prefecture:approval_decide", args=[approval.pk, "lever-la-suspension"])
    assert admin_client.post(lift, {"reason": "Contrôle satisfaisant"}).status_code == 302
    approval.refresh_from_db()
    assert approval.status == ApprovalStatus.GRANTED
    assert list(approval.events.values_list("kind", flat=True)) == ["suspended", "reinstated"]


def test_renewal_from_the_form(admin_client, personas):
    approval = Approval.objects.get(place__kind=PlaceKind.CAR_PROFESSIONAL)
    new_end = approval.valid_until + timedelta(days=365)
    url = reverse("prefecture:approval_decide", args=[approval.pk, "renouveler"])
    response = admin_client.post(
        url,
        {"valid_until": new_end.isoformat(), "operations": ["destruction_declaration"], "reason": "Renouvellement"},
    )
    assert response.status_code == 302
    approval.refresh_from_db()
    assert (approval.valid_until, approval.operations) == (new_end, ["destruction_declaration"])
    earlier = admin_client.post(
        url,
        {"valid_until": approval.valid_from.isoformat(), "operations": ["destruction_declaration"], "reason": "x" * 6},
    )
    assert "postérieure" in earlier.content.decode()


def test_expiring_list_and_filters(admin_client, personas):
    approval = Approval.objects.get(place__kind=PlaceKind.CAR_PROFESSIONAL)
    approval.valid_until = timezone.localdate() + timedelta(days=10)
    approval.save()
    page = admin_client.get(reverse("prefecture:approvals")).content.decode()
    expiring = page.split("Expirent dans les 60 jours")[1].split("Registre")[0]
    assert approval.number_display in expiring
    school = Approval.objects.get(place__kind=PlaceKind.DRIVING_SCHOOL)
    assert school.number_display not in expiring
    approval.valid_until = timezone.localdate() - timedelta(days=1)
    approval.save()
    expired = admin_client.get(reverse("prefecture:approvals"), {"etat": "expired"}).content.decode()
    registry = expired.split("Registre")[1]
    assert approval.number_display in registry and school.number_display not in registry


def test_another_departments_approval_answers_404(admin_client, foreign_approval):
    for url in (
        reverse("prefecture:approval_detail", args=[foreign_approval.pk]),
        reverse("prefecture:approval_decide", args=[foreign_approval.pk, "retirer"]),
        reverse("prefecture:approval_create", args=[foreign_approval.place_id]),
    ):
        assert admin_client.get(url).status_code == 404
    assert (
        admin_client.post(
            reverse("prefecture:approval_decide", args=[foreign_approval.pk, "retirer"]), {"reason": "Pas le mien"}
        ).status_code
        == 404
    )
    page = admin_client.get(reverse("prefecture:approvals")).content.decode()
    assert "Lannion" not in page
    foreign_approval.refresh_from_db()
    assert foreign_approval.status == ApprovalStatus.GRANTED


def test_places_without_approval_are_offered_for_a_grant(admin_client, school):
    page = admin_client.get(reverse("prefecture:approvals")).content.decode()
    assert reverse("prefecture:approval_create", args=[school.pk]) in page


def test_the_manager_invitation_from_the_approval_page(
    admin_client, personas, mailoutbox, django_capture_on_commit_callbacks
):
    approval = Approval.objects.get(place__kind=PlaceKind.CAR_PROFESSIONAL)
    url = reverse("prefecture:approval_manager_invite", args=[approval.pk])
    admin_client.post(url, {"email": "pas une adresse"})
    assert not StaffInvitation.objects.exists() and not mailoutbox
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(url, {"email": "nouveau.gerant@garage.fr"})
    assert StaffInvitation.objects.get().is_manager
    assert len(mail.outbox) == 1
