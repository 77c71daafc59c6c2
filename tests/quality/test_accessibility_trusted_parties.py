"""Accessibility of the trusted third parties' pages in the states the matrix does not reach (axe-core, Chromium):
the public list with results and a place's approval, the préfecture's registry with an expiring approval, its
history and the renewal form, the invitation page with form errors, and the page a suspended organisation gets."""

from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from guichet.territory.models import Place, PlaceKind
from guichet.testing.browser import axe_violations, format_violations, sign_in
from guichet.trusted_parties.models import Approval, ApprovalStatus
from guichet.trusted_parties.services import approval_suspend, staff_invite

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@contextmanager
def _browser_page(chromium, live_server, user=None):
    """A fresh French browser context, signed in as `user` through the real pages when one is given."""
    context = chromium.new_context(locale="fr-FR")
    page = context.new_page()
    if user is not None:
        sign_in(page, base_url=live_server.url, user=user)
    yield page
    context.close()


def _check(page, base_url, paths, *, status=200):
    reports = []
    for path in paths:
        response = page.goto(base_url + path)
        assert response is not None and response.status == status, f"{path}: {response and response.status}"
        if violations := axe_violations(page):
            reports.append(format_violations(path, violations))
    assert not reports, "\n".join(reports)


def test_registry_pages_have_no_axe_violation(chromium, live_server, personas):
    admin = personas["prefecture_admin"]
    garage = Approval.objects.get(place__kind=PlaceKind.CAR_PROFESSIONAL)
    garage.valid_until = timezone.localdate() + timedelta(days=20)
    garage.save()
    approval_suspend(
        approval=Approval.objects.get(place__kind=PlaceKind.DRIVING_SCHOOL), reason="Contrôle en cours", actor=admin
    )
    school = personas["driving_school"].role_assignments.get().place
    _invitation, token = staff_invite(
        place=garage.place, email="nouveau@garage.fr", is_manager=False, actor=personas["car_professional"]
    )
    public_pages = [
        reverse("public:trusted_parties"),
        reverse("public:trusted_parties") + "?type=car_professional&operation=new_vehicle_registration",
        reverse("public:directory_place", args=[garage.place_id]),
        reverse("public:directory_place", args=[school.pk]),  # suspended: no number shown
    ]
    with _browser_page(chromium, live_server) as page:
        _check(page, live_server.url, public_pages)
        page.goto(live_server.url + reverse("professional:invitation", args=[token]))
        with page.expect_navigation():
            page.locator("main form button[type=submit]").click()  # empty form: errors shown beside the fields
        violations = axe_violations(page)
        assert not violations, format_violations("invitation (errors)", violations)

    registry_pages = [
        reverse("prefecture:approvals"),
        reverse("prefecture:approval_detail", args=[garage.pk]),
        reverse("prefecture:approval_decide", args=[garage.pk, "renouveler"]),
        reverse("prefecture:approval_decide", args=[garage.pk, "retirer"]),
        reverse("prefecture:approval_decide", args=[garage.pk, "lever-la-suspension"]),  # not possible: explained
    ]
    with _browser_page(chromium, live_server, admin) as page:
        _check(page, live_server.url, registry_pages)

    with _browser_page(chromium, live_server, personas["driving_school"]) as page:
        _check(page, live_server.url, [reverse("professional:home")], status=403)


def test_the_grant_form_with_errors_has_no_axe_violation(chromium, live_server, personas):
    place = Place.objects.create(
        kind=PlaceKind.DRIVING_SCHOOL, name="Auto-école des Lices", department_id="35", city="Rennes"
    )
    with _browser_page(chromium, live_server, personas["prefecture_admin"]) as page:
        page.goto(live_server.url + reverse("prefecture:approval_create", args=[place.pk]))
        page.fill("input[name=holder_siret]", "732 829 320 00075")
        with page.expect_navigation():
            page.locator("main form button[type=submit]").click()
        assert "clé de contrôle" in page.content()
        violations = axe_violations(page)
        assert not violations, format_violations("grant form (errors)", violations)
    assert not Approval.objects.filter(place=place).exclude(status=ApprovalStatus.REVOKED).exists()


@pytest.fixture
def new_vehicle_procedure():
    from guichet.dossiers import registry
    from guichet.trusted_parties.tests.clients import NEW_VEHICLE

    registry.register(NEW_VEHICLE)
    yield NEW_VEHICLE
    registry.unregister(NEW_VEHICLE.code)


def test_client_mandate_pages_have_no_axe_violation(chromium, live_server, personas, new_vehicle_procedure):
    from guichet.mandates.models import ConsentMethod
    from guichet.trusted_parties.services import client_dossier_create, client_mandate_confirm, client_mandate_propose
    from guichet.trusted_parties.tests.clients import CLIENT_ADDRESS

    staff, citizen = personas["car_professional"], personas["citizen"]
    garage = staff.role_assignments.get().place

    def propose():
        return client_mandate_propose(
            place=garage,
            client_email=citizen.email,
            procedure=new_vehicle_procedure.code,
            fee_cents=4990,
            consent_method=ConsentMethod.TYPED,
            actor=staff,
        )

    pending = propose()
    active = client_mandate_confirm(mandate=propose(), code_or_text="J'accepte ce mandat", actor=staff)
    dossier = client_dossier_create(mandate=active, actor=staff, **CLIENT_ADDRESS)
    with _browser_page(chromium, live_server, staff) as page:
        _check(
            page,
            live_server.url,
            [
                reverse("professional:clients", args=[garage.pk]),
                reverse("professional:client_mandate_new", args=[garage.pk]),
                reverse("professional:client_mandate_consent", args=[pending.reference]),
                reverse("professional:client_dossier_new", args=[active.reference]),
                reverse("professional:client_dossier", args=[dossier.reference]),
            ],
        )
        # The client has not agreed to the pending mandate yet: the page says why nothing can be filed.
        _check(
            page, live_server.url, [reverse("professional:client_dossier_new", args=[pending.reference])], status=403
        )
    with _browser_page(chromium, live_server, citizen) as page:
        _check(page, live_server.url, [reverse("citizen:mandates")])
        assert "49,90" in page.content()  # the price, in « Mes mandats », before and after consent
