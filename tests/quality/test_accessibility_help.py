"""Accessibility of the help pages (axe-core, Chromium): catalogue, procedure pages, FAQ, lexicon, tutorials,
and the help admin forms a platform admin edits them in."""

import pytest
from django.urls import reverse

from guichet.help.models import ProcedureGuide
from guichet.testing.browser import axe_violations, format_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PUBLIC_PATHS = [
    "/demarches/",
    "/demarches/carte-identite/",
    "/demarches/passeport/",
    "/demarches/permis-de-conduire/",
    "/demarches/carte-grise/",
    "/demarches/carte-grise/questions/",
    "/lexique/",
    "/aide/",
    "/aide/tutoriels/faire-sa-pre-demande/",
    "/aide/tutoriels/trouver-de-l-aide/",
]


def _check(page, base_url, paths, *, ignored_rules=frozenset()):
    reports = []
    for path in paths:
        response = page.goto(base_url + path)
        assert response is not None and response.status == 200, f"{path}: {response and response.status}"
        if violations := [v for v in axe_violations(page) if v["id"] not in ignored_rules]:
            reports.append(format_violations(path, violations))
    assert not reports, "\n".join(reports)


def test_help_pages_have_no_axe_violation(chromium, live_server):
    context = chromium.new_context(locale="fr-FR")
    page = context.new_page()
    _check(page, live_server.url, PUBLIC_PATHS)
    # Every tutorial image loads (static files served by the live server).
    page.goto(live_server.url + "/aide/tutoriels/faire-sa-pre-demande/")
    broken = page.evaluate(
        "() => [...document.images].filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src)"
    )
    assert broken == [], broken
    context.close()


def test_lexicon_links_and_nearby_form_work_with_the_keyboard_and_without_javascript(chromium, live_server):
    context = chromium.new_context(locale="fr-FR", java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/demarches/permis-de-conduire/")
    page.locator('a[href="/lexique/#neph"]').first.click()
    assert page.url.endswith("/lexique/#neph")
    page.goto(live_server.url + "/demarches/carte-identite/")
    page.fill("#nearby-q", "35000")
    with page.expect_navigation():
        page.locator("#nearby-q").press("Enter")
    assert "/lieux/?service=recueil&q=35000" in page.url
    context.close()


def test_help_admin_forms_have_no_axe_violation(chromium, live_server, personas):
    context = chromium.new_context(locale="fr-FR")
    page = context.new_page()
    sign_in(page, base_url=live_server.url, user=personas["platform_admin"])
    guide = ProcedureGuide.objects.get(slug="carte-identite")
    _check(
        page,
        live_server.url,
        [
            reverse("admin:help_procedureguide_changelist"),
            reverse("admin:help_procedureguide_change", args=[guide.pk]),
            reverse("admin:help_lexiconterm_add"),
        ],
        # Django admin's own breadcrumbs (not Guichet's markup) are told apart from the text by colour only.
        ignored_rules=frozenset({"link-in-text-block"}),
    )
    context.close()
