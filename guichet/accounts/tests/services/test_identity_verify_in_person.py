import pytest

from guichet.accounts.models import IdentityAssurance, IdentityDocumentType, VerifiedIdentity
from guichet.accounts.services import identity_verify_in_person
from guichet.audit.models import AuditAction, AuditEntry
from guichet.core.exceptions import InvalidInput, PermissionDenied
from guichet.territory.models import PlaceKind
from guichet.testing.personas import ensure_place, ensure_test_territory


@pytest.mark.django_db
def test_mediator_records_who_where_when_and_which_document(personas):
    citizen, mediator = personas["citizen"], personas["mediator"]
    place = mediator.role_assignments.get().place
    identity = identity_verify_in_person(
        user=citizen,
        verifier=mediator,
        place=place,
        document_type=IdentityDocumentType.PASSPORT,
        given_name="Camille",
        family_name="Martin",
    )
    citizen.refresh_from_db()
    assert citizen.identity_assurance == IdentityAssurance.VERIFIED_IN_PERSON
    assert identity.source == VerifiedIdentity.Source.IN_PERSON
    assert identity.verified_by == mediator
    assert identity.verified_at_place == place
    assert identity.document_type == IdentityDocumentType.PASSPORT
    entry = AuditEntry.objects.get(action=AuditAction.IDENTITY_VERIFIED, subject_user_id=citizen.pk)
    assert entry.actor_id == mediator.pk
    assert "Camille" not in str(entry.data)


@pytest.mark.django_db
def test_mairie_agent_may_verify_at_its_own_mairie(personas):
    agent = personas["mairie_agent"]
    identity_verify_in_person(
        user=personas["citizen"],
        verifier=agent,
        place=agent.role_assignments.get().place,
        document_type=IdentityDocumentType.NATIONAL_ID_CARD,
        given_name="Camille",
        family_name="Martin",
    )


@pytest.mark.django_db
@pytest.mark.parametrize("verifier_key", ["instructor", "driving_school", "prefecture_admin", "citizen"])
def test_other_roles_cannot_verify_identities(personas, verifier_key):
    place = ensure_place(PlaceKind.MAIRIE, ensure_test_territory())
    with pytest.raises(PermissionDenied):
        identity_verify_in_person(
            user=personas["citizen"] if verifier_key != "citizen" else personas["instructor"],
            verifier=personas[verifier_key],
            place=place,
            document_type=IdentityDocumentType.PASSPORT,
            given_name="Camille",
            family_name="Martin",
        )
    assert not VerifiedIdentity.objects.exists()


@pytest.mark.django_db
def test_mediator_cannot_verify_in_a_place_where_it_does_not_work(personas):
    elsewhere = ensure_place(PlaceKind.MAIRIE, ensure_test_territory())
    with pytest.raises(PermissionDenied):
        identity_verify_in_person(
            user=personas["citizen"],
            verifier=personas["mediator"],
            place=elsewhere,
            document_type=IdentityDocumentType.PASSPORT,
            given_name="Camille",
            family_name="Martin",
        )


@pytest.mark.django_db
def test_unknown_document_type_is_refused(personas):
    mediator = personas["mediator"]
    with pytest.raises(InvalidInput):
        identity_verify_in_person(
            user=personas["citizen"],
            verifier=mediator,
            place=mediator.role_assignments.get().place,
            document_type="library_card",
            given_name="Camille",
            family_name="Martin",
        )
