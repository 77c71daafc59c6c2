import pytest

from guichet.testing.personas import PERSONAS, create_persona
from guichet.testing.trusted_parties import professionals_approve_and_manage


@pytest.fixture
def personas(db):
    """Every persona, keyed by `PersonaSpec.key` (citizen, mairie_agent, instructor, …).

    The driving-school and car-professional personas work under an approval in force and manage their organisation
    (set here rather than in `guichet.testing.personas`, which layered apps' tests import: the registry is layer 5).
    """
    people = {spec.key: create_persona(spec) for spec in PERSONAS}
    professionals_approve_and_manage(people)
    return people


@pytest.fixture
def citizen(personas):
    return personas["citizen"]


@pytest.fixture
def verified_client(client):
    """Logs a persona in and marks its second factor as verified, as the real 2FA step does."""
    from django_otp import login as otp_login
    from django_otp.plugins.otp_totp.models import TOTPDevice

    def login(user):
        client.force_login(user)
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is not None:
            request_session = client.session
            request_session["otp_device_id"] = device.persistent_id
            request_session.save()
        return client

    assert otp_login  # the session key above is the one django_otp.login writes
    return login
