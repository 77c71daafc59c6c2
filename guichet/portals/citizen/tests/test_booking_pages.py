from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from guichet.appointments.models import Appointment, AppointmentStatus
from guichet.appointments.services import appointment_book
from guichet.procedures.identity_documents.models import CoordinationStatus
from guichet.territory.opening_hours import PARIS

from . import booking_fixtures
from .booking_fixtures import first_start

# Fixtures shared with the accessibility test, made visible to pytest in this module.
mairies = booking_fixtures.mairies
make_predemande = booking_fixtures.make_predemande

pytestmark = pytest.mark.django_db


@pytest.fixture
def citizen_client(client, citizen):
    client.force_login(citizen)
    return client


def confirm_url(place, starts_at, files=1) -> str:
    query = urlencode(
        {"lieu": place.pk, "debut": starts_at.astimezone(PARIS).strftime("%Y-%m-%dT%H:%M"), "dossiers": files}
    )
    return f"{reverse('citizen:booking_confirm')}?{query}"


def test_search_by_commune_name_lists_nearby_mairies_with_soonest_slots(citizen_client, mairies):
    response = citizen_client.get(reverse("citizen:booking_search"), {"where": "rennes", "radius_km": 10, "files": 1})
    assert response.status_code == 200
    names = [result["place"].name for result in response.context["results"]]
    assert names == ["Mairie de Rennes", "Mairie de Cesson-Sévigné"]
    assert response.context["results"][1]["distance_km"] == pytest.approx(5.8, abs=0.5)
    soonest = response.context["soonest"]
    assert soonest and [s["starts_at"] for s in soonest] == sorted(s["starts_at"] for s in soonest)
    assert confirm_url(mairies["rennes"], first_start(mairies["rennes"])) in response.content.decode().replace(
        "&amp;", "&"
    )


def test_search_by_postal_code(citizen_client, mairies):
    response = citizen_client.get(reverse("citizen:booking_search"), {"where": "35510", "radius_km": 10, "files": 1})
    names = [result["place"].name for result in response.context["results"]]
    assert names[0] == "Mairie de Cesson-Sévigné"


def test_search_far_away_finds_nothing_and_says_so(citizen_client, mairies):
    response = citizen_client.get(
        reverse("citizen:booking_search"), {"where": "Saint-Malo", "radius_km": 10, "files": 1}
    )
    assert response.status_code == 200
    assert response.context["results"] == []
    assert "Aucune mairie équipée" in response.content.decode()


def test_search_form_errors_in_french(citizen_client, mairies):
    response = citizen_client.get(reverse("citizen:booking_search"), {"where": "", "radius_km": 10})
    assert response.status_code == 200
    assert "Indiquez une commune ou un code postal." in response.content.decode()


def test_booking_with_a_prefilled_validated_predemande(citizen_client, citizen, mairies, make_predemande):
    predemande = make_predemande(citizen, mobile="+33612345678")
    start = first_start(mairies["rennes"])
    url = confirm_url(mairies["rennes"], start)
    page = citizen_client.get(url)
    assert page.status_code == 200
    assert page.context["form"].initial["application_id"] == predemande.number
    response = citizen_client.post(url, {"application_id": predemande.number})
    appointment = Appointment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("citizen:booking_detail", args=[appointment.reference])
    assert appointment.starts_at == start
    assert appointment.booked_by == citizen
    assert appointment.contact_email == citizen.email
    assert appointment.contact_mobile == "+33612345678"


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (CoordinationStatus.DECLARED, "pas encore validée"),
        (CoordinationStatus.CONSUMED, "déjà été déposée"),
        (CoordinationStatus.EXPIRED, "a expiré"),
    ],
)
def test_booking_refused_for_a_predemande_not_validated(
    citizen_client, citizen, mairies, make_predemande, status, message
):
    predemande = make_predemande(citizen, status=status)
    response = citizen_client.post(
        confirm_url(mairies["rennes"], first_start(mairies["rennes"])), {"application_id": predemande.number}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Appointment.objects.exists()


def test_unknown_and_malformed_numbers_are_explained(citizen_client, mairies):
    url = confirm_url(mairies["rennes"], first_start(mairies["rennes"]))
    unknown = citizen_client.post(url, {"application_id": "ABCD-EFGH-23"})
    assert "Aucune pré-demande ne porte ce numéro" in unknown.content.decode()
    malformed = citizen_client.post(url, {"application_id": "ABC"})
    assert "10 caractères" in malformed.content.decode()
    assert malformed.context["form"].data["application_id"] == "ABC"  # what was typed is kept


def test_second_appointment_needs_the_confirmation_box(citizen_client, citizen, mairies, make_predemande):
    predemande = make_predemande(citizen)
    appointment_book(
        place=mairies["cesson"],
        starts_at=first_start(mairies["cesson"]),
        application_id=predemande.number,
        actor=citizen,
    )
    url = confirm_url(mairies["rennes"], first_start(mairies["rennes"]))
    warned = citizen_client.post(url, {"application_id": predemande.number})
    assert warned.status_code == 400
    assert warned.context["needs_confirmation"] is True
    assert "Vous avez déjà un rendez-vous pour ce numéro" in warned.content.decode()
    confirmed = citizen_client.post(url, {"application_id": predemande.number, "confirm_second": "on"})
    assert confirmed.status_code == 302
    assert Appointment.objects.filter(application_id=predemande.number, status=AppointmentStatus.BOOKED).count() == 2


def test_slot_just_taken_shows_a_clear_message_and_next_slots(citizen_client, citizen, mairies, make_predemande):
    cesson = mairies["cesson"]  # one station
    start = first_start(cesson)
    appointment_book(place=cesson, starts_at=start, application_id="Q2W3E4R5T6", actor=None)
    predemande = make_predemande(citizen)
    response = citizen_client.post(confirm_url(cesson, start), {"application_id": predemande.number})
    assert response.status_code == 400
    body = response.content.decode()
    assert "vient d&#x27;être réservé" in body or "vient d'être réservé" in body
    assert response.context["suggestions"]
    assert response.context["suggestions"][0]["url"] in body.replace("&amp;", "&")


def test_unreadable_slot_parameters_send_back_to_search(citizen_client, mairies):
    for query in ("", "?lieu=abc&debut=x", "?lieu=999999&debut=2030-01-01T09:00"):
        response = citizen_client.get(reverse("citizen:booking_confirm") + query)
        assert response.status_code == 302
        assert response["Location"] == reverse("citizen:booking_search")


def test_past_slot_is_refused_with_a_message(citizen_client, citizen, mairies, make_predemande):
    predemande = make_predemande(citizen)
    url = reverse("citizen:booking_confirm") + f"?lieu={mairies['rennes'].pk}&debut=2020-01-06T09:00&dossiers=1"
    response = citizen_client.post(url, {"application_id": predemande.number})
    assert response.status_code == 400
    assert "passé" in response.content.decode()


def test_my_appointments_detail_ics_cancel_and_move(citizen_client, citizen, mairies, make_predemande):
    predemande = make_predemande(citizen)
    rennes = mairies["rennes"]
    appointment = appointment_book(
        place=rennes, starts_at=first_start(rennes), application_id=predemande.number, actor=citizen
    )
    listing = citizen_client.get(reverse("citizen:booking_list"))
    assert appointment in listing.context["upcoming"]
    detail = citizen_client.get(reverse("citizen:booking_detail", args=[appointment.reference]))
    assert detail.status_code == 200 and detail.context["can_change"]
    ics = citizen_client.get(reverse("citizen:booking_ics", args=[appointment.reference]))
    assert ics["Content-Type"] == "text/calendar; charset=utf-8"
    assert b"BEGIN:VEVENT" in ics.content
    move_page = citizen_client.get(reverse("citizen:booking_move", args=[appointment.reference]))
    new_value = move_page.context["choices"][1]["value"]
    moved = citizen_client.post(reverse("citizen:booking_move", args=[appointment.reference]), {"debut": new_value})
    new = Appointment.objects.get(status=AppointmentStatus.BOOKED)
    assert moved["Location"] == reverse("citizen:booking_detail", args=[new.reference])
    assert new.starts_at.astimezone(PARIS).strftime("%Y-%m-%dT%H:%M") == new_value
    assert new.booked_by == citizen
    cancel_page = citizen_client.get(reverse("citizen:booking_cancel", args=[new.reference]))
    assert cancel_page.status_code == 200
    citizen_client.post(reverse("citizen:booking_cancel", args=[new.reference]))
    assert not Appointment.objects.filter(status=AppointmentStatus.BOOKED).exists()


def test_move_to_an_unreadable_slot_keeps_the_appointment(citizen_client, citizen, mairies, make_predemande):
    predemande = make_predemande(citizen)
    appointment = appointment_book(
        place=mairies["rennes"],
        starts_at=first_start(mairies["rennes"]),
        application_id=predemande.number,
        actor=citizen,
    )
    response = citizen_client.post(reverse("citizen:booking_move", args=[appointment.reference]), {"debut": "demain"})
    assert response.status_code == 400
    appointment.refresh_from_db()
    assert appointment.is_active


def test_someone_elses_appointment_answers_404(client, personas, mairies):
    stranger_appointment = appointment_book(
        place=mairies["rennes"],
        starts_at=first_start(mairies["rennes"]),
        application_id="Q2W3E4R5T6",
        actor=personas["mediator"],
    )
    client.force_login(personas["citizen"])
    for name in ("citizen:booking_detail", "citizen:booking_cancel", "citizen:booking_move", "citizen:booking_ics"):
        assert client.get(reverse(name, args=[stranger_appointment.reference])).status_code == 404
    assert client.post(reverse("citizen:booking_cancel", args=[stranger_appointment.reference])).status_code == 404
    stranger_appointment.refresh_from_db()
    assert stranger_appointment.is_active


def test_huge_place_id_in_the_link_sends_back_to_search(citizen_client, mairies):
    response = citizen_client.get(
        reverse("citizen:booking_confirm") + "?lieu=99999999999999999999999&debut=2030-01-07T09:00"
    )
    assert response.status_code == 302


@pytest.mark.parametrize("where", ["rennes", "35510"])
def test_search_reads_the_commune_the_mairies_with_their_agendas_the_closures_and_the_free_slots(
    citizen_client, mairies, where
):
    """The search's own reads, whatever the session and access checks around it cost."""
    path = reverse("citizen:booking_search")
    citizen_client.get(path, {"where": where, "radius_km": 10, "files": 1})
    with CaptureQueriesContext(connection) as captured:
        response = citizen_client.get(path, {"where": where, "radius_km": 10, "files": 1})
    assert response.status_code == 200 and len(response.context["results"]) == 2
    reads = [
        q["sql"]
        for q in captured.captured_queries
        if ("territory_" in q["sql"] or "appointments_" in q["sql"]) and '"accounts_roleassignment"' not in q["sql"]
    ]  # the roles (read with their places, for the journal) belong to the access check
    assert len(reads) == 4, reads  # commune, equipped mairies (with agenda settings), closures, free slots


@pytest.mark.parametrize("format_string", ["D j M H:i", "l j F Y à H:i"])
def test_slot_labels_are_what_the_date_filter_writes(format_string):
    from datetime import UTC, datetime

    from django.template import Context, Template
    from django.utils import translation

    from guichet.portals.citizen.booking_views import StartLabels

    labels = StartLabels()
    template = Template("{{ moment|date:format_string }}")
    with translation.override("fr"):
        for moment in (datetime(2026, 3, 28, 8, 15, tzinfo=UTC), datetime(2026, 3, 30, 7, 45, tzinfo=UTC)):
            expected = template.render(Context({"moment": moment, "format_string": format_string}))
            assert labels(moment, format_string) == expected
            assert labels(moment, format_string) == expected  # the second call reads what the first wrote
