import pytest
from django.utils import timezone

# The project's persona fixtures live beside the code; the quality gates reuse them as they are.
from guichet.conftest import citizen, personas, verified_client  # noqa: F401
from guichet.testing.browser import chromium_session

from .authorization_matrix import MatrixContext


def build_matrix_context(personas_by_key) -> MatrixContext:
    """Objects URL parameters point to, made through the real services (see `MatrixContext`)."""
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    from guichet.accounts.email_verification import PURPOSE_SIGNUP, email_link_token_make
    from guichet.accounts.models import User, UserSession
    from guichet.dossiers import registry
    from guichet.dossiers.services import document_upload, dossier_create, dossier_transition
    from guichet.dossiers.tests.fixtures import png_bytes, upload
    from guichet.dossiers.tests.procedures import TEST_PROCEDURE
    from guichet.territory.models import Department
    from guichet.testing.personas import PASSWORD, ensure_test_territory

    registry.register(TEST_PROCEDURE)  # idempotent: the same definition may be registered again
    served = ensure_test_territory()  # 35, served by the instructor persona's centre
    unserved, _ = Department.objects.get_or_create(
        code="22", defaults={"name": "Côtes-d'Armor", "region": served.region, "chef_lieu_code": "22278"}
    )
    stranger, _ = User.objects.get_or_create(
        email="autre.usager@example.fr", defaults={"first_name": "Alex", "email_verified_at": timezone.now()}
    )
    stranger.set_password(PASSWORD)
    stranger.save()
    persona_citizen = personas_by_key["citizen"]

    def dossier_with_document(applicant, department, *, submit: bool):
        dossier = dossier_create(
            procedure=TEST_PROCEDURE.code, applicant=applicant, actor=applicant, data={}, department=department
        )
        document = document_upload(dossier=dossier, kind="identity", uploaded_file=upload(png_bytes()), actor=applicant)
        if submit:
            dossier_transition(dossier=dossier, name="submit", actor=applicant)
        dossier.refresh_from_db()
        return dossier, document

    dossiers = {
        "dossier": dossier_with_document(persona_citizen, served, submit=False),
        "stranger_dossier": dossier_with_document(stranger, served, submit=False),
        "served_dossier": dossier_with_document(stranger, served, submit=True),
        "unserved_dossier": dossier_with_document(stranger, unserved, submit=True),
    }
    newcomer, _ = User.objects.get_or_create(email="nouvel.usager@example.fr", defaults={"first_name": "Noé"})
    stranger_session, _ = UserSession.objects.get_or_create(
        user=stranger, session_key="matrice-session-d-un-autre", defaults={"browser": "Firefox"}
    )
    return MatrixContext(
        personas=personas_by_key,
        dossier=dossiers["dossier"][0],
        stranger_dossier=dossiers["stranger_dossier"][0],
        served_dossier=dossiers["served_dossier"][0],
        unserved_dossier=dossiers["unserved_dossier"][0],
        documents={key: document for key, (_dossier, document) in dossiers.items()},
        email_verify_token=email_link_token_make(user=newcomer, purpose=PURPOSE_SIGNUP),
        password_reset={
            "uidb64": urlsafe_base64_encode(force_bytes(stranger.pk)),
            "token": default_token_generator.make_token(stranger),
        },
        stranger_session_id=stranger_session.pk,
    )


@pytest.fixture
def matrix_context(personas) -> MatrixContext:  # noqa: F811
    return build_matrix_context(personas)


@pytest.fixture(scope="module")
def chromium():
    """Module-scoped so that Playwright's event loop, and the DJANGO_ALLOW_ASYNC_UNSAFE it requires, end with the
    browser tests instead of lasting for the rest of the session."""
    with chromium_session() as browser:
        yield browser
