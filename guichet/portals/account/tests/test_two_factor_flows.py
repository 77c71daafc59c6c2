import re
from datetime import timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from guichet.accounts.models import RecoveryCode
from guichet.accounts.services import recovery_codes_regenerate
from guichet.testing.personas import current_totp_code


def _unthrottle(user):
    TOTPDevice.objects.filter(user=user).update(throttling_failure_timestamp=timezone.now() - timedelta(hours=1))


def _citizen_enables_two_factor(client, citizen, password_login):
    password_login(client, citizen)
    page = client.get(reverse("account:two_factor_setup"))
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=citizen, confirmed=False)
    response = client.post(reverse("account:two_factor_setup"), {"code": current_totp_code(device.key)})
    assert response.status_code == 302
    assert response["Location"] == reverse("account:two_factor_recovery_codes")
    codes_page = client.get(response["Location"])
    return device, page, codes_page


@pytest.mark.django_db
def test_setup_shows_an_inline_svg_qr_code_and_the_secret_then_codes_once(client, citizen, password_login):
    device, page, codes_page = _citizen_enables_two_factor(client, citizen, password_login)
    content = unescape(page.content.decode())
    assert "<svg" in content and "<img" not in content.split("<svg")[0][-200:]
    secret = "".join(page.context["secret_groups"])
    assert secret in content.replace(" ", "")
    assert re.fullmatch(r"[A-Z2-7]{32}", secret)
    codes = codes_page.context["codes"]
    assert len(codes) == 10
    for code in codes:
        assert code in unescape(codes_page.content.decode())
    assert codes_page["Cache-Control"] == "no-store"
    again = client.get(reverse("account:two_factor_recovery_codes"))
    assert again.status_code == 302
    assert codes[0] not in unescape(client.get(reverse("account:home")).content.decode())
    device.refresh_from_db()
    assert device.confirmed


@pytest.mark.django_db
def test_setup_refuses_a_wrong_code_with_a_french_message(client, citizen, password_login):
    password_login(client, citizen)
    client.get(reverse("account:two_factor_setup"))
    device = TOTPDevice.objects.get(user=citizen, confirmed=False)
    wrong = "000000" if current_totp_code(device.key) != "000000" else "111111"
    response = client.post(reverse("account:two_factor_setup"), {"code": wrong})
    assert response.status_code == 200
    assert "pas le bon" in unescape(response.content.decode())
    malformed = client.post(reverse("account:two_factor_setup"), {"code": "abc"})
    assert "6 chiffres" in unescape(malformed.content.decode())
    device.refresh_from_db()
    assert not device.confirmed


@pytest.mark.django_db
def test_citizen_with_two_factor_must_pass_it_before_account_and_portal(client, citizen, password_login):
    _device, _page, codes_page = _citizen_enables_two_factor(client, citizen, password_login)
    codes = codes_page.context["codes"]
    client.post(reverse("account:logout"))
    response = password_login(client, citizen)
    assert response["Location"].startswith(reverse("account:two_factor_verify"))
    for url in (reverse("account:home"), reverse("citizen:home")):
        gated = client.get(url)
        assert gated.status_code == 302 and gated["Location"].startswith(reverse("account:two_factor_verify"))
    used = client.post(reverse("account:two_factor_verify"), {"code": codes[0], "next": reverse("citizen:home")})
    assert used.status_code == 302 and used["Location"] == reverse("citizen:home")
    assert client.get(reverse("citizen:home")).status_code == 200
    assert RecoveryCode.objects.filter(user=citizen, used_at__isnull=False).count() == 1

    client.post(reverse("account:logout"))
    password_login(client, citizen)
    _unthrottle(citizen)
    reused = client.post(reverse("account:two_factor_verify"), {"code": codes[0]})
    assert reused.status_code == 200
    assert "pas valable" in unescape(reused.content.decode())
    assert client.get(reverse("citizen:home")).status_code == 302


@pytest.mark.django_db
def test_replayed_totp_code_is_refused(client, personas, password_login):
    agent = personas["mairie_agent"]
    code = current_totp_code()
    password_login(client, agent)
    assert client.post(reverse("account:two_factor_verify"), {"code": code}).status_code == 302
    client.post(reverse("account:logout"))
    password_login(client, agent)
    replay = client.post(reverse("account:two_factor_verify"), {"code": code})
    assert replay.status_code == 200
    assert "ne sert qu'une fois" in unescape(replay.content.decode())
    assert client.get(reverse("town_hall:home")).status_code == 302


@pytest.mark.django_db
def test_wrong_codes_are_throttled_with_a_clear_message(client, personas, password_login):
    agent = personas["instructor"]
    password_login(client, agent)
    wrong = "123456" if current_totp_code() != "123456" else "654321"
    first = client.post(reverse("account:two_factor_verify"), {"code": wrong})
    assert first.status_code == 200
    second = client.post(reverse("account:two_factor_verify"), {"code": current_totp_code()})
    assert second.status_code == 429
    assert "Patientez" in unescape(second.content.decode())
    _unthrottle(agent)
    assert client.post(reverse("account:two_factor_verify"), {"code": current_totp_code()}).status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize(
    "evil_next", ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)"]
)
def test_two_factor_next_cannot_leave_the_site(client, personas, password_login, evil_next):
    agent = personas["mediator"]
    password_login(client, agent)
    response = client.post(reverse("account:two_factor_verify"), {"code": current_totp_code(), "next": evil_next})
    assert response.status_code == 302
    assert response["Location"] == reverse("account:home")


@pytest.mark.django_db
def test_agent_without_device_is_sent_to_setup_then_reaches_its_portal(client, personas, password_login):
    agent = personas["driving_school"]
    TOTPDevice.objects.filter(user=agent).delete()
    response = password_login(client, agent, next_url=reverse("professional:home"))
    assert response["Location"].startswith(reverse("account:two_factor_setup"))
    assert client.get(response["Location"]).status_code == 200
    device = TOTPDevice.objects.get(user=agent, confirmed=False)
    enabled = client.post(
        reverse("account:two_factor_setup"),
        {"code": current_totp_code(device.key), "next": reverse("professional:home")},
    )
    codes_page = client.get(enabled["Location"])
    assert codes_page.context["next"] == reverse("professional:home")
    assert client.get(reverse("professional:home")).status_code == 200


@pytest.mark.django_db
def test_agent_cannot_disable_two_factor(client, personas, full_login):
    agent = personas["prefecture_admin"]
    full_login(client, agent)
    page = client.get(reverse("account:two_factor_disable"))
    assert page.status_code == 302
    client.post(reverse("account:two_factor_disable"))
    assert TOTPDevice.objects.filter(user=agent, confirmed=True).exists()
    assert "ne peut pas être désactivée" in unescape(client.get(reverse("account:home")).content.decode())


@pytest.mark.django_db
def test_citizen_turns_two_factor_off_and_regenerates_codes(client, citizen, password_login):
    _citizen_enables_two_factor(client, citizen, password_login)
    regenerated = client.post(reverse("account:two_factor_recovery_codes_regenerate"))
    codes = client.get(regenerated["Location"]).context["codes"]
    digests_before = set(RecoveryCode.objects.filter(user=citizen).values_list("code_digest", flat=True))
    assert len(codes) == 10 and len(digests_before) == 10
    assert client.get(reverse("account:two_factor_disable")).status_code == 200
    assert client.post(reverse("account:two_factor_disable")).status_code == 302
    assert not TOTPDevice.objects.filter(user=citizen).exists()
    assert not RecoveryCode.objects.filter(user=citizen).exists()


@pytest.mark.django_db
def test_agent_who_lost_its_phone_signs_in_with_a_recovery_code_and_enrols_a_new_device(
    client, personas, password_login
):
    agent = personas["instructor"]
    old_device = TOTPDevice.objects.get(user=agent, confirmed=True)
    codes = recovery_codes_regenerate(user=agent, actor=agent)
    password_login(client, agent)
    before = client.get(reverse("account:two_factor_setup"))
    assert before.status_code == 302 and before["Location"].startswith(reverse("account:two_factor_verify"))
    client.post(reverse("account:two_factor_verify"), {"code": codes[0]})
    page = client.get(reverse("account:two_factor_setup"))
    assert page.status_code == 200 and page.context["is_replacement"]
    new_device = TOTPDevice.objects.get(user=agent, confirmed=False)
    assert new_device.key != old_device.key
    enabled = client.post(reverse("account:two_factor_setup"), {"code": current_totp_code(new_device.key)})
    assert enabled.status_code == 302
    assert list(TOTPDevice.objects.filter(user=agent).values_list("pk", "confirmed")) == [(new_device.pk, True)]
    assert client.get(reverse("instruction:home")).status_code == 200
    assert len(client.get(enabled["Location"]).context["codes"]) == 10
