from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from guichet.audit.models import AuditAction, AuditEntry
from guichet.core.exceptions import InvalidInput
from guichet.dossiers.models import AccessRole, DossierAccess, EventKind
from guichet.dossiers.policy import DossierPolicy
from guichet.dossiers.services import (
    AccessAlreadyGranted,
    dossier_access_grant,
    dossier_access_revoke,
    dossier_assign,
    dossier_transition,
)
from guichet.dossiers.workflow import Status

pytestmark = pytest.mark.django_db


def test_grant_gives_roles_and_is_journaled(citizen, personas, make_dossier):
    dossier = make_dossier(citizen, "draft")
    agent = personas["mairie_agent"]
    assert not DossierPolicy.abilities(agent, dossier)["view"]
    access = dossier_access_grant(dossier=dossier, user=agent, role=AccessRole.MAIRIE_AGENT, actor=citizen)
    assert DossierPolicy.abilities(agent, dossier)["view"]
    assert DossierPolicy.abilities(agent, dossier)["edit"]
    assert dossier.events.filter(kind=EventKind.ACCESS_GRANTED).count() == 1
    entry = AuditEntry.objects.get(action=AuditAction.ACCESS_GRANTED)
    assert entry.subject_user_id == agent.pk
    assert entry.object_id == str(access.pk)


def test_grant_refuses_a_second_active_grant(citizen, personas, make_dossier):
    dossier = make_dossier(citizen, "draft")
    agent = personas["mairie_agent"]
    dossier_access_grant(dossier=dossier, user=agent, role=AccessRole.MAIRIE_AGENT, actor=citizen)
    with pytest.raises(AccessAlreadyGranted):
        dossier_access_grant(dossier=dossier, user=agent, role=AccessRole.MAIRIE_AGENT, actor=citizen)
    assert DossierAccess.objects.count() == 1


def test_database_allows_only_one_unrevoked_grant(citizen, personas, make_dossier):
    dossier = make_dossier(citizen, "draft")
    agent = personas["mairie_agent"]
    now = timezone.now()
    DossierAccess.objects.create(dossier=dossier, user=agent, role=AccessRole.MAIRIE_AGENT, valid_from=now)
    with pytest.raises(IntegrityError), transaction.atomic():
        DossierAccess.objects.create(dossier=dossier, user=agent, role=AccessRole.MAIRIE_AGENT, valid_from=now)


def test_database_refuses_a_period_ending_before_it_starts(citizen, personas, make_dossier):
    dossier = make_dossier(citizen, "draft")
    now = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        DossierAccess.objects.create(
            dossier=dossier,
            user=personas["mediator"],
            role=AccessRole.MEDIATOR,
            valid_from=now,
            valid_until=now - timedelta(hours=1),
        )


def test_expired_grant_gives_nothing_and_can_be_renewed(citizen, personas, make_dossier):
    dossier = make_dossier(citizen, "draft")
    mediator = personas["mediator"]
    now = timezone.now()
    dossier_access_grant(
        dossier=dossier,
        user=mediator,
        role=AccessRole.MEDIATOR,
        actor=mediator,
        valid_from=now - timedelta(hours=2),
        valid_until=now - timedelta(hours=1),
    )
    assert not DossierPolicy.abilities(mediator, dossier)["view"]
    renewed = dossier_access_grant(dossier=dossier, user=mediator, role=AccessRole.MEDIATOR, actor=mediator)
    assert DossierPolicy.abilities(mediator, dossier)["view"]
    assert DossierAccess.objects.filter(revoked_at__isnull=True).get() == renewed


def test_future_grant_gives_nothing_yet(citizen, personas, make_dossier):
    dossier = make_dossier(citizen, "draft")
    mediator = personas["mediator"]
    dossier_access_grant(
        dossier=dossier,
        user=mediator,
        role=AccessRole.MEDIATOR,
        actor=mediator,
        valid_from=timezone.now() + timedelta(days=1),
    )
    assert not DossierPolicy.abilities(mediator, dossier)["view"]


def test_revoke_removes_access_and_is_idempotent(citizen, other_citizen, make_dossier):
    dossier = make_dossier(citizen, "draft")
    access = dossier_access_grant(dossier=dossier, user=other_citizen, role=AccessRole.REPRESENTATIVE, actor=citizen)
    assert DossierPolicy.abilities(other_citizen, dossier)["withdraw"]
    dossier_access_revoke(access=access, actor=citizen)
    dossier_access_revoke(access=access, actor=citizen)
    assert not DossierPolicy.abilities(other_citizen, dossier)["view"]
    assert dossier.events.filter(kind=EventKind.ACCESS_REVOKED).count() == 1
    assert AuditEntry.objects.filter(action=AuditAction.ACCESS_REVOKED).count() == 1


def test_grant_checks_the_grantee_holds_the_matching_role(citizen, other_citizen, make_dossier):
    dossier = make_dossier(citizen, "draft")
    with pytest.raises(InvalidInput) as error:
        dossier_access_grant(dossier=dossier, user=other_citizen, role=AccessRole.INSTRUCTOR, actor=citizen)
    assert error.value.code == "grantee_lacks_role"


def test_a_trusted_party_grant_needs_a_professional_staff_role(citizen, other_citizen, personas, make_dossier):
    dossier = make_dossier(citizen, "draft")
    for user in (other_citizen, personas["mediator"]):
        with pytest.raises(InvalidInput) as error:
            dossier_access_grant(dossier=dossier, user=user, role=AccessRole.TRUSTED_PARTY, actor=citizen)
        assert error.value.code == "grantee_lacks_role"
    for key in ("car_professional", "driving_school"):
        access = dossier_access_grant(dossier=dossier, user=personas[key], role=AccessRole.TRUSTED_PARTY, actor=citizen)
        assert access.role == "trusted_party"


def test_a_trusted_party_is_recorded_with_its_establishment_on_behalf(citizen, personas, make_dossier):
    from guichet.dossiers.services import document_upload
    from guichet.dossiers.tests.fixtures import png_bytes, upload

    garage = personas["car_professional"]
    dossier = make_dossier(citizen, "draft")
    dossier_access_grant(dossier=dossier, user=garage, role=AccessRole.TRUSTED_PARTY, actor=citizen)
    document_upload(dossier=dossier, kind="identity", uploaded_file=upload(png_bytes()), actor=garage)
    dossier_transition(dossier=dossier, name="submit", actor=garage)
    entry = AuditEntry.objects.filter(action=AuditAction.DOSSIER_TRANSITION).get()
    assert entry.actor_role == "trusted_party" and entry.on_behalf_of_id == citizen.pk
    assert entry.actor_organisation == garage.role_assignments.get().place.name


def test_grant_refuses_bad_roles_periods_and_the_applicant(citizen, personas, make_dossier):
    dossier = make_dossier(citizen, "draft")
    now = timezone.now()
    with pytest.raises(InvalidInput):
        dossier_access_grant(dossier=dossier, user=personas["mediator"], role="owner", actor=citizen)
    with pytest.raises(InvalidInput):
        dossier_access_grant(dossier=dossier, user=citizen, role=AccessRole.REPRESENTATIVE, actor=citizen)
    with pytest.raises(InvalidInput):
        dossier_access_grant(
            dossier=dossier,
            user=personas["mediator"],
            role=AccessRole.MEDIATOR,
            actor=citizen,
            valid_from=now,
            valid_until=now,
        )
    assert not DossierAccess.objects.exists()


def test_representative_may_submit_and_is_recorded_on_behalf(citizen, other_citizen, make_dossier):
    from guichet.dossiers.services import document_upload
    from guichet.dossiers.tests.fixtures import png_bytes, upload

    dossier = make_dossier(citizen, "draft")
    dossier_access_grant(dossier=dossier, user=other_citizen, role=AccessRole.REPRESENTATIVE, actor=citizen)
    document_upload(dossier=dossier, kind="identity", uploaded_file=upload(png_bytes()), actor=other_citizen)
    dossier_transition(dossier=dossier, name="submit", actor=other_citizen)
    entry = AuditEntry.objects.filter(action=AuditAction.DOSSIER_TRANSITION).get()
    assert entry.actor_role == "representative"
    assert entry.on_behalf_of_id == citizen.pk


def test_instructor_takes_a_submitted_dossier(citizen, personas, make_dossier):
    dossier = make_dossier(citizen, "submitted")
    instructor = personas["instructor"]
    dossier_assign(dossier=dossier, actor=instructor)
    dossier.refresh_from_db()
    assert dossier.assigned_to == instructor
    assert dossier.events.filter(kind=EventKind.ASSIGNED).count() == 1
    dossier_assign(dossier=dossier, actor=instructor)
    assert dossier.events.filter(kind=EventKind.ASSIGNED).count() == 1


def test_assign_is_refused_to_non_instructors_and_on_drafts(citizen, personas, make_dossier):
    from guichet.core.exceptions import PermissionDenied

    draft = make_dossier(citizen, "draft")
    with pytest.raises(PermissionDenied):
        dossier_assign(dossier=draft, actor=personas["instructor"])
    submitted = make_dossier(citizen, "submitted")
    with pytest.raises(PermissionDenied):
        dossier_assign(dossier=submitted, actor=citizen)
    assert submitted.status == Status.SUBMITTED
