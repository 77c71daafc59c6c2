"""What the citizen reads on a CNI/passport dossier page after the whole chain: the timeline in specific words,
in order, each line dated; and, in "who accessed my dossier", the mairie counter's accesses."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from guichet.appointments.models import AgendaSettings, Appointment, AppointmentStatus
from guichet.appointments.selectors import bookable_starts
from guichet.appointments.services import slots_generate
from guichet.audit.models import AuditAction, AuditEntry
from guichet.dossiers.models import Dossier
from guichet.dossiers.services import dossier_transition
from guichet.procedures.identity_documents.counter import counter_checklist
from guichet.procedures.identity_documents.counter_models import CounterSession
from guichet.procedures.identity_documents.handover import titles_uncollected_process
from guichet.procedures.identity_documents.predemande import predemande_stamp_buy
from guichet.procedures.identity_documents.production import titles_production_process
from guichet.procedures.identity_documents.tests.counter_factories import fiscal_stamp, validated_predemande
from guichet.procedures.identity_documents.tests.factories import make_predemande
from guichet.territory.models import PlaceKind
from guichet.territory.opening_hours import PARIS
from guichet.testing.personas import ensure_place, ensure_test_territory

pytestmark = pytest.mark.django_db

TIMELINE_ITEM = re.compile(
    r'<li>\s*<p class="fr-mb-0"><strong>(?P<text>[^<]*)</strong></p>\s*'
    r'<p class="fr-text--sm fr-mb-0"><time datetime="(?P<datetime>[^"]+)">(?P<shown>[^<]+)</time>'
)
FRENCH_DATE = re.compile(r"^\d{1,2} [a-zéû]+ \d{4} à \d{2}:\d{2}$")


def timeline_of(page: str) -> list[tuple[str, str, str]]:
    """(text, ISO date-time, date as shown) of each timeline line, in page order."""
    section = page.split('id="historique"', 1)[1].split("</ul>", 1)[0]
    return [(unescape(m["text"]).strip(), m["datetime"], unescape(m["shown"])) for m in TIMELINE_ITEM.finditer(section)]


def access_rows_of(page: str) -> list[list[str]]:
    section = page.split('id="consultations"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", section, flags=re.S)[1:]  # the first row is the header
    return [
        [unescape(re.sub(r"<[^>]+>", "", cell)).strip() for cell in re.findall(r"<td>(.*?)</td>", row, re.S)]
        for row in rows
    ]


def in_order(wanted: list[str], texts: list[str]) -> list[str]:
    """The wanted texts (prefixes) missing from `texts` in that order."""
    remaining = iter(texts)
    return [item for item in wanted if not any(text.startswith(item) for text in remaining)]


@pytest.fixture
def rennes(personas):
    place = ensure_place(PlaceKind.MAIRIE, ensure_test_territory())  # the mairie agent persona's mairie
    AgendaSettings.objects.create(place=place, weeks_ahead=2)
    slots_generate(place=place)
    return place


def _slot_query(place, starts_at) -> str:
    return f"?lieu={place.pk}&debut={starts_at.astimezone(PARIS):%Y-%m-%dT%H:%M}&dossiers=1"


def test_timeline_tells_the_whole_chain_in_order_with_dates(
    personas, communes, rennes, verified_client, django_capture_on_commit_callbacks
):
    citizen, agent, instructor = personas["citizen"], personas["mairie_agent"], personas["instructor"]
    predemande = make_predemande(citizen, titles=("cni", "passeport"), motive="first")
    predemande_stamp_buy(predemande=predemande, title="passeport", actor=citizen)
    predemande.refresh_from_db()
    dossiers = {link.title: link.dossier for link in predemande.titles.select_related("dossier")}

    # --- the citizen books, moves, cancels, books again (real pages) ---------------------------------------------
    now = timezone.now()
    starts = bookable_starts(place_ids=[rennes.pk], start=now, end=now + timedelta(days=14))[rennes.pk]
    client = verified_client(citizen)
    booked = client.post(
        reverse("citizen:booking_confirm") + _slot_query(rennes, starts[0]), {"application_id": predemande.number}
    )
    assert booked.status_code == 302, booked.content.decode()[:1500]
    first = Appointment.objects.get(application_id=predemande.number)
    moved = client.post(
        reverse("citizen:booking_move", args=[first.reference]),
        {"debut": f"{starts[3].astimezone(PARIS):%Y-%m-%dT%H:%M}"},
    )
    assert moved.status_code == 302
    second = Appointment.objects.get(application_id=predemande.number, status=AppointmentStatus.BOOKED)
    assert client.post(reverse("citizen:booking_cancel", args=[second.reference])).status_code == 302
    again = client.post(
        reverse("citizen:booking_confirm") + _slot_query(rennes, starts[5]), {"application_id": predemande.number}
    )
    assert again.status_code == 302
    final = Appointment.objects.get(application_id=predemande.number, status=AppointmentStatus.BOOKED)

    # --- the mairie counter lodges the file: the appointment is attended --------------------------------------------
    client = verified_client(agent)
    client.post(reverse("town_hall:counter_home"), {"number": predemande.number})
    session = CounterSession.objects.get(predemande=predemande)
    assert client.get(reverse("town_hall:counter_session", args=[session.pk])).status_code == 200
    client.post(reverse("town_hall:counter_capture", args=[session.pk]))
    lodged = client.post(
        reverse("town_hall:counter_lodge", args=[session.pk]),
        {
            "originals": [item.key for item in counter_checklist(predemande)],
            "stamp_passeport": predemande.data["stamps"]["passeport"],
        },
    )
    assert lodged.status_code == 302, lodged.content.decode()[:2000]
    final.refresh_from_db()
    assert final.status == AppointmentStatus.ATTENDED
    predemande.refresh_from_db()
    receipt = predemande.counter_receipt_number

    # --- instruction, production, hand-over of the passport; the CNI is never collected ----------------------------
    client = verified_client(instructor)
    for dossier in dossiers.values():
        dossier_transition(dossier=Dossier.objects.get(pk=dossier.pk), name="start_instruction", actor=instructor)
        accepted = client.post(
            reverse("instruction:identity_decide", args=[dossier.reference, "accept"]),
            {"motive": "conditions_met", "comment": ""},
        )
        assert accepted.status_code == 302
    for days in (0, 11, 15):
        titles_production_process(now=now + timedelta(days=days))
    handover = verified_client(agent).post(
        reverse("town_hall:handover_title", args=[dossiers["passeport"].reference]), {"identity_checked": "on"}
    )
    assert handover.status_code == 302
    titles_uncollected_process(now=now + timedelta(days=200))

    # --- what the citizen reads ---------------------------------------------------------------------------------------
    client = verified_client(citizen)
    page = client.get(reverse("citizen:dossier_detail", args=[dossiers["passeport"].reference])).content.decode()
    lines = timeline_of(page)
    texts = [text for text, _iso, _shown in lines]
    when = {"first": starts[0], "moved": starts[3], "final": starts[5]}
    shown = {key: f"{moment.astimezone(PARIS):%H:%M}" for key, moment in when.items()}
    wanted = [
        "Demande commencée",
        "Pré-demande : étape « État civil » enregistrée",
        "Pré-demande : étape « Filiation » enregistrée",
        "Pré-demande : étape « Description physique » enregistrée",
        "Pré-demande : étape « Adresse » enregistrée",
        "Pré-demande : étape « Téléphone mobile » enregistrée",
        "Pré-demande : étape « Titres déjà obtenus » enregistrée",
        "Pré-demande validée, valable jusqu'au ",
        "Timbre fiscal acheté en ligne (86,00\u00a0€) pour : Passeport",
        "Rendez-vous pris le ",
        "Rendez-vous déplacé du ",
        "Rendez-vous du ",
        "Rendez-vous pris le ",
        "Accès accordé : Agent de mairie",
        f"Dossier déposé au guichet — Mairie de Rennes, récépissé n° {receipt[:4]} {receipt[4:8]} {receipt[8:]}",
        "Instruction commencée",
        "Demande acceptée",
        "Titre en fabrication",
        "Titre fabriqué et expédié vers Mairie de Rennes",
        "Titre disponible à Mairie de Rennes, à retirer avant le ",
        "Titre remis en main propre — Mairie de Rennes",
    ]
    assert not in_order(wanted, texts), f"missing or out of order: {in_order(wanted, texts)}\n" + "\n".join(texts)
    # The appointment lines name the mairie and the times booked, moved to, cancelled and booked again.
    appointment_lines = [text for text in texts if text.startswith("Rendez-vous")]
    assert len(appointment_lines) == 4 and all("Mairie de Rennes" in text for text in appointment_lines)
    assert shown["first"] in appointment_lines[0]
    assert shown["first"] in appointment_lines[1] and shown["moved"] in appointment_lines[1]
    assert shown["moved"] in appointment_lines[2] and "annulé" in appointment_lines[2]
    assert shown["final"] in appointment_lines[3]
    # No generic wording is left, every line is dated, and dates never go backwards.
    assert not [text for text in texts if text.startswith(("Nouvel état", "Information"))], texts
    assert all(FRENCH_DATE.match(shown_date) for _text, _iso, shown_date in lines), lines
    isos = [iso for _text, iso, _shown in lines]
    assert isos == sorted(isos)
    # The decision's motive is shown under the decision.
    assert "Motif : Les conditions de délivrance sont remplies" in unescape(page)

    cni_page = client.get(reverse("citizen:dossier_detail", args=[dossiers["cni"].reference])).content.decode()
    cni_texts = [text for text, _iso, _shown in timeline_of(cni_page)]
    assert cni_texts[-1] == "Titre détruit", cni_texts
    assert not any(text.startswith("Timbre fiscal") for text in cni_texts)  # the stamp was for the passport


def test_citizen_sees_the_mairie_counter_access_in_who_accessed_my_dossier(personas, verified_client):
    citizen, agent = personas["citizen"], personas["mairie_agent"]
    predemande = validated_predemande(applicant=citizen, titles=("cni", "passeport"), motive="loss")
    fiscal_stamp(number="1000200030004000", amount_cents=2500)
    fiscal_stamp(number="5000600070008000", amount_cents=8600)
    client = verified_client(agent)
    client.post(reverse("town_hall:counter_home"), {"number": predemande.number})
    session = CounterSession.objects.get(predemande=predemande)
    client.get(reverse("town_hall:counter_session", args=[session.pk]))
    client.post(reverse("town_hall:counter_capture", args=[session.pk]))
    lodged = client.post(
        reverse("town_hall:counter_lodge", args=[session.pk]),
        {
            "originals": [item.key for item in counter_checklist(predemande)],
            "stamp_cni": "1000200030004000",
            "stamp_passeport": "5000600070008000",
        },
    )
    assert lodged.status_code == 302
    client.get(reverse("town_hall:counter_receipt", args=[session.pk]))

    dossier_ids = set(predemande.titles.values_list("dossier_id", flat=True))
    counter_entries = AuditEntry.objects.filter(actor_id=agent.pk).exclude(action=AuditAction.ACCESS_GRANTED)
    # Every counter entry (views, capture, consumption, stamps, submission) is in a dossier's journal.
    assert not counter_entries.filter(dossier_id__isnull=True).exclude(object_type="appointment").exists()
    for dossier_id in dossier_ids:
        changes = set(counter_entries.filter(dossier_id=dossier_id).values_list("data__change", flat=True))
        assert {"biometrics_captured", "predemande_consumed", "stamp_consumed"} <= changes
        pages = set(
            counter_entries.filter(dossier_id=dossier_id, action=AuditAction.DOSSIER_VIEWED).values_list(
                "data__page", flat=True
            )
        )
        assert {None, "session", "receipt"} <= pages  # the opening, then each page read
    stamp_entry = counter_entries.filter(data__change="stamp_consumed").first()
    assert stamp_entry is not None and stamp_entry.actor_role == "mairie_agent"  # not the applicant

    client = verified_client(citizen)
    for link in predemande.titles.select_related("dossier"):
        page = client.get(reverse("citizen:dossier_detail", args=[link.dossier.reference])).content.decode()
        rows = access_rows_of(page)
        mairie_rows = {(action, role, service) for _date, action, role, service in rows}
        for action in (
            "Dossier consulté",
            "Photo, signature et empreintes recueillies au guichet",
            "Timbre fiscal vérifié et utilisé au guichet",
            "Dossier déposé au guichet",
        ):
            assert (action, "Agent de mairie", "Mairie de Rennes") in mairie_rows, (action, rows)
        assert agent.last_name not in page  # a role and a service, never the agent's name
