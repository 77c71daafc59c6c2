from django.urls import reverse


def test_header_logout_ends_franceconnect_sessions_at_franceconnect(client, citizen):
    client.force_login(citizen)
    session = client.session
    session["franceconnect_login"] = True
    session.save()
    page = client.get(reverse("public:home")).content.decode()
    assert f'action="{reverse("account:franceconnect:logout")}"' in page
    assert f'action="{reverse("account:logout")}"' not in page


def test_header_logout_of_a_password_session_is_local(client, citizen):
    client.force_login(citizen)
    page = client.get(reverse("public:home")).content.decode()
    assert f'action="{reverse("account:logout")}"' in page
