import pytest

from guichet.audit.models import AuditAction
from guichet.audit.selectors import audit_trail_for_citizen
from guichet.audit.services import Actor, audit_record

pytestmark = pytest.mark.django_db


def test_citizen_trail_shows_who_by_role_and_organisation_newest_first(django_assert_num_queries):
    agent = Actor(user_id=31, role="mairie_agent", organisation="Mairie de Biarritz")
    instructor = Actor(user_id=32, role="instructor", organisation="CERT de Pau")
    audit_record(action=AuditAction.DOSSIER_VIEWED, actor=agent, dossier_id=10)
    audit_record(action=AuditAction.LOGIN, actor=instructor)  # not about the dossier
    audit_record(action=AuditAction.DOSSIER_TRANSITION, actor=instructor, dossier_id=10, data={"to": "accepted"})
    audit_record(action=AuditAction.DOSSIER_VIEWED, actor=instructor, dossier_id=11)  # another dossier

    with django_assert_num_queries(1):
        trail = [
            (entry.action, entry.actor_role, entry.actor_organisation)
            for entry in audit_trail_for_citizen(dossier_id=10)
        ]

    assert trail == [
        (AuditAction.DOSSIER_TRANSITION, "instructor", "CERT de Pau"),
        (AuditAction.DOSSIER_VIEWED, "mairie_agent", "Mairie de Biarritz"),
    ]
