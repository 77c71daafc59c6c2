import pytest
from django.urls import reverse

from guichet.audit.models import AuditAction, AuditEntry
from guichet.audit.services import Actor, audit_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry():
    return audit_record(
        action=AuditAction.DOSSIER_VIEWED, actor=Actor(user_id=4, role="instructor", organisation="CERT"), dossier_id=42
    )


@pytest.fixture
def admin_client(personas, verified_client):
    return verified_client(personas["platform_admin"])


def test_platform_admin_lists_filters_and_reads_entries(admin_client, entry):
    changelist = reverse("admin:audit_auditentry_changelist")
    response = admin_client.get(changelist)
    assert response.status_code == 200
    assert "CERT" in response.content.decode()
    assert admin_client.get(changelist, {"action__exact": AuditAction.DOSSIER_VIEWED}).status_code == 200
    assert admin_client.get(changelist, {"q": "42"}).status_code == 200
    assert admin_client.get(changelist, {"q": "pas-un-nombre"}).status_code == 200
    detail = admin_client.get(reverse("admin:audit_auditentry_change", args=[entry.pk]))
    assert detail.status_code == 200
    assert 'name="_save"' not in detail.content.decode()


def test_nobody_can_add_change_or_delete_entries_through_the_admin(admin_client, entry):
    assert admin_client.get(reverse("admin:audit_auditentry_add")).status_code == 403
    change_url = reverse("admin:audit_auditentry_change", args=[entry.pk])
    assert admin_client.post(change_url, {"action": AuditAction.LOGOUT, "dossier_id": 1}).status_code == 403
    delete_url = reverse("admin:audit_auditentry_delete", args=[entry.pk])
    assert admin_client.post(delete_url, {"post": "yes"}).status_code == 403
    changelist = reverse("admin:audit_auditentry_changelist")
    admin_client.post(changelist, {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"})
    stored = AuditEntry.objects.get()
    assert (stored.action, stored.dossier_id) == (AuditAction.DOSSIER_VIEWED, 42)


def test_audit_admin_is_closed_to_other_roles(personas, verified_client, entry):
    client = verified_client(personas["instructor"])
    response = client.get(reverse("admin:audit_auditentry_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
