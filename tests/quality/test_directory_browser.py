"""The directory in a real browser: axe on its pages (incl. results with a map, and forms with errors) and the
optional "around my position" button filling the hidden fields.
"""

import pytest

from guichet.territory.models import Commune, Place, PlaceKind, PostalCode
from guichet.testing.browser import axe_violations, format_violations, sign_in

from .conftest import build_matrix_context

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_directory_and_place_management_pages_have_no_axe_violation(chromium, live_server, personas):
    build_matrix_context(personas)
    Commune.objects.create(
        code="35238", name="Rennes", department_id="35", region_id="53", latitude=48.11, longitude=-1.67, population=1
    )
    PostalCode.objects.create(code="35000", commune_code="35238")
    place = Place.objects.create(
        kind=PlaceKind.POINT_NUMERIQUE,
        name="PN",
        department_id="35",
        commune_code="35238",
        opening_hours="Mo-Fr 09:00-12:00",
        mediator_present=True,
        has_scanner=True,
        address="1 rue",
    )
    context = chromium.new_context(locale="fr-FR")
    page = context.new_page()
    reports = []
    paths = [
        "/lieux/",
        "/lieux/?q=Rennes",
        "/lieux/?q=35000&service=mediateur",
        "/lieux/?q=Zzz",
        "/lieux/?departement=2A&type=mairie",
        "/lieux/departement/35/",
        f"/lieux/{place.pk}/",
        f"/lieux/{Place.objects.filter(kind='mairie').get().pk}/",
    ]
    for path in paths:
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        if v := axe_violations(page):
            reports.append(format_violations(path, v))
    sign_in(page, base_url=live_server.url, user=personas["prefecture_admin"])
    for path in [
        "/prefecture/lieux/",
        "/prefecture/lieux/nouveau/",
        f"/prefecture/lieux/{place.pk}/",
        "/prefecture/lieux/import/",
    ]:
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        if v := axe_violations(page):
            reports.append(format_violations(path, v))
    # The place form with errors.
    page.goto(live_server.url + "/prefecture/lieux/nouveau/")
    page.fill("#id_name", "X")
    page.fill("#id_opening_hours", "Lundi")
    page.click("form[method=post] button[type=submit]")
    if v := axe_violations(page):
        reports.append(format_violations("form errors", v))
    context.close()
    assert not reports, "\n".join(reports)


def test_position_button_searches_around_the_browser_position(chromium, live_server, personas):
    build_matrix_context(personas)
    context = chromium.new_context(
        locale="fr-FR", geolocation={"latitude": 48.11, "longitude": -1.67}, permissions=["geolocation"]
    )
    page = context.new_page()
    errors = []
    page.on("response", lambda r: errors.append(r.url) if r.status >= 400 else None)
    page.goto(live_server.url + "/lieux/")
    page.click("#directory-position-button")
    page.wait_for_url("**lat=48.11**")
    assert "lon=-1.67" in page.url
    assert "votre position" in page.content()
    assert not errors, errors
    context.close()
