"""Accessibility of the counter, hand-over, identity instruction and public tracking pages (axe-core, Chromium)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from guichet.dossiers.services import dossier_transition
from guichet.procedures.identity_documents.counter import (
    counter_capture,
    counter_lodge,
    counter_place_of,
    counter_session_open,
)
from guichet.procedures.identity_documents.production import titles_production_process
from guichet.procedures.identity_documents.tests.counter_factories import (
    ACCEPTED,
    ALL_ORIGINALS,
    stamps_for,
    validated_predemande,
)
from guichet.testing.browser import axe_violations, format_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _check(page, base_url, paths):
    reports = []
    for path in paths:
        response = page.goto(base_url + path)
        assert response is not None and response.status == 200, f"{path}: {response and response.status}"
        if violations := axe_violations(page):
            reports.append(format_violations(path, violations))
    assert not reports, "\n".join(reports)


def test_counter_and_instruction_pages_have_no_axe_violation(chromium, live_server, personas):
    citizen, agent, instructor = personas["citizen"], personas["mairie_agent"], personas["instructor"]
    place = counter_place_of(agent=agent)
    assert place is not None
    open_session = counter_capture(
        session=counter_session_open(predemande=validated_predemande(applicant=citizen), agent=agent, place=place),
        agent=agent,
    )
    lodged_predemande = validated_predemande(applicant=citizen, motive="loss")
    lodged = counter_lodge(
        session=counter_capture(
            session=counter_session_open(predemande=lodged_predemande, agent=agent, place=place), agent=agent
        ),
        agent=agent,
        checked_originals=ALL_ORIGINALS,
        stamps=stamps_for(lodged_predemande),
    )
    dossier = dossier_transition(dossier=lodged.dossiers[0], name="start_instruction", actor=instructor)
    other = validated_predemande(applicant=citizen)
    delivered = counter_lodge(
        session=counter_capture(session=counter_session_open(predemande=other, agent=agent, place=place), agent=agent),
        agent=agent,
        checked_originals=ALL_ORIGINALS,
    ).dossiers[0]
    delivered = dossier_transition(dossier=delivered, name="start_instruction", actor=instructor)
    dossier_transition(dossier=delivered, name="accept", actor=instructor, data=ACCEPTED)
    now = timezone.now()
    for days in (0, 11, 15):
        titles_production_process(now=now + timedelta(days=days))

    context = chromium.new_context(locale="fr-FR")
    page = context.new_page()
    sign_in(page, base_url=live_server.url, user=agent)
    _check(
        page,
        live_server.url,
        [
            reverse("town_hall:counter_home"),
            reverse("town_hall:counter_session", args=[open_session.pk]),
            reverse("town_hall:counter_receipt", args=[lodged.session.pk]),
            reverse("town_hall:counter_paper_form"),
            reverse("town_hall:handover_title", args=[delivered.reference]),
        ],
    )
    context.close()

    context = chromium.new_context(locale="fr-FR")
    page = context.new_page()
    sign_in(page, base_url=live_server.url, user=instructor)
    _check(
        page,
        live_server.url,
        [
            reverse("instruction:dossier_detail", args=[dossier.reference]),
            reverse("instruction:identity_decide", args=[dossier.reference, "refuse"]),
            reverse("instruction:identity_complement", args=[dossier.reference]),
        ],
    )
    context.close()

    context = chromium.new_context(locale="fr-FR")
    page = context.new_page()
    page.goto(live_server.url + reverse("public:tracking"))
    page.fill("input[name=reference]", lodged.predemande.counter_receipt_number)
    page.fill("input[name=birth_date]", "17/05/1990")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Demande déposée en mairie" in page.content()
    violations = axe_violations(page)
    assert not violations, format_violations("/suivi/ (result)", violations)
    context.close()
