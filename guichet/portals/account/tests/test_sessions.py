import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from guichet.accounts.models import UserSession
from guichet.audit.models import AuditAction, AuditEntry

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Version/17.5 Mobile Safari/604.1"
)


@pytest.mark.django_db
def test_mon_compte_lists_sessions_with_a_coarse_device_summary_and_no_ip(citizen, password_login):
    laptop, phone = Client(HTTP_USER_AGENT=FIREFOX), Client(HTTP_USER_AGENT=SAFARI_IPHONE)
    password_login(laptop, citizen, remote_addr="203.0.113.9")
    password_login(phone, citizen)
    page = laptop.get(reverse("account:home"))
    content = page.content.decode()
    assert "Firefox — Linux" in content and "Safari — iOS" in content
    assert "Cette session" in content
    assert "203.0.113" not in content
    stored = UserSession.objects.filter(user=citizen)
    assert stored.count() == 2
    for session in stored:
        assert "203.0.113" not in f"{session.browser}{session.operating_system}"


@pytest.mark.django_db
def test_ending_another_session_really_signs_it_out(citizen, password_login):
    laptop, phone = Client(HTTP_USER_AGENT=FIREFOX), Client(HTTP_USER_AGENT=SAFARI_IPHONE)
    password_login(laptop, citizen)
    password_login(phone, citizen)
    assert phone.get(reverse("account:home")).status_code == 200
    phone_session = UserSession.objects.get(session_key=phone.session.session_key)
    response = laptop.post(reverse("account:session_end", kwargs={"session_id": phone_session.pk}))
    assert response.status_code == 302
    assert phone.get(reverse("account:home")).status_code == 302
    assert laptop.get(reverse("account:home")).status_code == 200
    assert AuditEntry.objects.filter(action=AuditAction.SESSION_ENDED, subject_user_id=citizen.pk).exists()


@pytest.mark.django_db
def test_cannot_end_someone_elses_session_or_ones_own_current_session(personas, password_login, full_login):
    citizen, agent = personas["citizen"], personas["mairie_agent"]
    citizen_client, agent_client = Client(), Client()
    password_login(citizen_client, citizen)
    full_login(agent_client, agent)
    agent_session = UserSession.objects.get(user=agent)
    forbidden = citizen_client.post(reverse("account:session_end", kwargs={"session_id": agent_session.pk}))
    assert forbidden.status_code == 404
    own = UserSession.objects.get(user=citizen)
    assert citizen_client.post(reverse("account:session_end", kwargs={"session_id": own.pk})).status_code == 404
    assert agent_client.get(reverse("town_hall:home")).status_code == 200


@pytest.mark.django_db
def test_end_all_other_sessions(citizen, password_login):
    clients = [Client() for _ in range(3)]
    for each in clients:
        password_login(each, citizen)
    clients[0].post(reverse("account:sessions_end_others"))
    assert clients[0].get(reverse("account:home")).status_code == 200
    assert [c.get(reverse("account:home")).status_code for c in clients[1:]] == [302, 302]
    assert UserSession.objects.filter(user=citizen).count() == 1


@pytest.mark.django_db
def test_session_pages_refuse_get(client, citizen, password_login):
    password_login(client, citizen)
    assert client.get(reverse("account:sessions_end_others")).status_code == 405


@pytest.mark.django_db
def test_session_expires_after_two_hours_of_inactivity(client, citizen, password_login):
    password_login(client, citizen)
    assert client.session.get_expiry_age() == 2 * 60 * 60
    key = client.session.session_key
    Session.objects.filter(session_key=key).update(expire_date=timezone.now())
    assert client.get(reverse("account:home")).status_code == 302


@pytest.mark.django_db
def test_expired_sessions_are_forgotten_at_the_next_login(citizen, password_login):
    first, second = Client(), Client()
    password_login(first, citizen)
    Session.objects.filter(session_key=first.session.session_key).delete()
    password_login(second, citizen)
    assert list(UserSession.objects.filter(user=citizen).values_list("session_key", flat=True)) == [
        second.session.session_key
    ]
