"""Accessibility of the mediation pages in the states the matrix does not reach (axe-core, Chromium): a session
with a visitor, active and pending mandates (typed sentence, SMS code, signed attestation), a dossier with its
upload form, the refusal page, the citizen's « Mes mandats », the préfecture's activity page with data, and the
mairie home offering the assisted mode."""

import pytest
from django.urls import reverse

from guichet.accounts.models import RoleAssignment
from guichet.accounts.roles import Role
from guichet.dossiers import registry
from guichet.dossiers.tests.procedures import TEST_PROCEDURE
from guichet.mandates.models import ConsentMethod
from guichet.mandates.services import CONSENT_SENTENCE, mandate_revoke
from guichet.mediation.services import (
    assisted_dossier_create,
    assisted_mandate_confirm,
    assisted_mandate_propose,
    assisted_session_end,
    assisted_session_open,
    assisted_visitor_attach,
)
from guichet.territory.models import Place, PlaceKind
from guichet.testing.browser import axe_violations, format_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def generic_procedure():
    registry.register(TEST_PROCEDURE)
    yield
    registry.unregister(TEST_PROCEDURE.code)


def _check(page, base_url, paths, expected_status=200):
    reports = []
    for path in paths:
        response = page.goto(base_url + path)
        assert response is not None and response.status == expected_status, f"{path}: {response and response.status}"
        if violations := axe_violations(page):
            reports.append(format_violations(path, violations))
    assert not reports, "\n".join(reports)


def test_mediation_pages_have_no_axe_violation(chromium, live_server, personas):
    mediator, citizen = personas["mediator"], personas["citizen"]
    citizen.mobile_phone = "+33612345678"
    citizen.save(update_fields=["mobile_phone"])
    point = mediator.role_assignments.get().place

    # Activity for the préfecture's page: one ended session with a dossier.
    earlier = assisted_session_open(place=point, actor=mediator)
    assisted_visitor_attach(session=earlier, citizen=citizen, actor=mediator)
    mandate = assisted_mandate_propose(
        session=earlier,
        procedures=["test_generic"],
        dossier=None,
        duration="one_week",
        consent_method=ConsentMethod.TYPED,
        actor=mediator,
    )
    assisted_mandate_confirm(session=earlier, mandate=mandate, code_or_text=CONSENT_SENTENCE, actor=mediator)
    dossier = assisted_dossier_create(session=earlier, procedure="test_generic", actor=mediator)
    assisted_session_end(session=earlier, actor=mediator)

    session = assisted_session_open(place=point, actor=mediator)
    assisted_visitor_attach(session=session, citizen=citizen, actor=mediator)
    pending = {
        method: assisted_mandate_propose(
            session=session,
            procedures=["cni"],
            dossier=None,
            duration="one_month",
            consent_method=method,
            actor=mediator,
        )
        for method in (ConsentMethod.TYPED, ConsentMethod.SMS_CODE, ConsentMethod.PRINTED_ATTESTATION)
    }

    context = chromium.new_context(locale="fr-FR")
    page = context.new_page()
    sign_in(page, base_url=live_server.url, user=mediator)
    _check(
        page,
        live_server.url,
        [
            reverse("mediator:home"),
            reverse("mediator:session"),
            reverse("mediator:holder_mandates"),
            reverse("mediator:dossier_detail", args=[dossier.reference]),
            *[reverse("mediator:mandate_consent", args=[m.reference]) for m in pending.values()],
        ],
    )
    page.goto(live_server.url + reverse("mediator:visitor_search"))
    page.fill("main [name=email]", citizen.email)
    with page.expect_navigation():
        page.locator("main").get_by_role("button", name="Rechercher", exact=True).click()
    assert "Compte trouvé" in page.locator("main").inner_text()
    assert not axe_violations(page), format_violations("visitor search result", axe_violations(page))

    mandate_revoke(mandate=mandate, actor=citizen)
    _check(page, live_server.url, [reverse("mediator:dossier_detail", args=[dossier.reference])], expected_status=403)
    context.close()

    context = chromium.new_context(locale="fr-FR")
    page = context.new_page()
    sign_in(page, base_url=live_server.url, user=citizen)
    _check(
        page,
        live_server.url,
        [reverse("citizen:mandates"), reverse("citizen:dossier_detail", args=[dossier.reference])],
    )
    context.close()

    context = chromium.new_context(locale="fr-FR")
    page = context.new_page()
    sign_in(page, base_url=live_server.url, user=personas["prefecture_admin"])
    _check(page, live_server.url, [reverse("prefecture:mediation_statistics")])
    assert point.name in page.locator("main").inner_text()
    context.close()

    agent = personas["mairie_agent"]
    small = Place.objects.create(kind=PlaceKind.MAIRIE, name="Mairie de Saint-Aubin", department=point.department)
    RoleAssignment.objects.create(user=agent, role=Role.MAIRIE_AGENT, place=small)
    context = chromium.new_context(locale="fr-FR")
    page = context.new_page()
    sign_in(page, base_url=live_server.url, user=agent)
    _check(page, live_server.url, [reverse("town_hall:home"), reverse("mediator:home")])
    context.close()
