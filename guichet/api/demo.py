"""Demo data for the appointment APIs (INTEROP.md §1–2): pré-demandes in every coordination status, the public
demo tokens, and bookable slots in the demo département's equipped mairies.

Called by `guichet.demo.seeding.seed_demo` (wired by the integrator) or by `manage.py seed_demo_appointments`.
Does nothing unless `settings.GUICHET_DEMO_DATA_ALLOWED` is true (never in production settings).
"""

from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from guichet.accounts.models import User
from guichet.appointments.models import AgendaSettings
from guichet.appointments.services import slots_generate
from guichet.dossiers.services import dossier_create
from guichet.procedures.identity_documents.models import CoordinationStatus, PreDemande, PreDemandeTitle, Title
from guichet.territory.models import Place, PlaceKind

from .models import ApiClient, ClientKind, token_digest

DEMO_EDITOR_TOKEN = "demo-editor-token"  # noqa: S105 (public demo token, INTEROP.md §1)
DEMO_HUB_TOKEN = "demo-hub-token"  # noqa: S105 (public demo token, INTEROP.md §2)
DEMO_DEPARTMENT = "35"
DEMO_OWNER_EMAIL = "camille.martin@demo.guichet.fr"  # the demo citizen of guichet.demo.seeding
DEMO_NUMBERS: dict[str, tuple[str, ...]] = {
    CoordinationStatus.VALIDATED: tuple(f"DEMOVALID{i}" for i in range(1, 6)),
    CoordinationStatus.DECLARED: tuple(f"DEMODECLA{i}" for i in range(1, 4)),
    CoordinationStatus.CONSUMED: tuple(f"DEMOCONSU{i}" for i in range(1, 4)),
    CoordinationStatus.EXPIRED: tuple(f"DEMOEXPIR{i}" for i in range(1, 4)),
}
# Demo only: a plausible validity window so that the rows satisfy the model's constraints.
DEMO_VALIDITY = timedelta(days=180)
DEMO_WEEKS_OF_SLOTS = 2


def _demo_owner() -> User:
    owner = User.objects.filter(email=DEMO_OWNER_EMAIL).first()
    if owner is None:
        owner, _ = User.objects.get_or_create(
            email="predemandes.demo@demo.guichet.fr", defaults={"first_name": "Dominique", "last_name": "Démo"}
        )
    return owner


def _seed_predemandes() -> int:
    owner = _demo_owner()
    now = timezone.now()
    today = timezone.localdate()
    for status, numbers in DEMO_NUMBERS.items():
        for number in numbers:
            values: dict = {
                "applicant": owner,
                "created_by": owner,
                "status": status,
                "motive": "renewal_expired",
                "data": {"demo": True},
                "validated_at": None,
                "valid_until": None,
                "consumed_at": None,
            }
            if status in (CoordinationStatus.VALIDATED, CoordinationStatus.CONSUMED):
                values.update(validated_at=now - timedelta(days=3), valid_until=today + DEMO_VALIDITY)
            if status == CoordinationStatus.CONSUMED:
                values["consumed_at"] = now - timedelta(days=1)
            if status == CoordinationStatus.EXPIRED:
                values.update(validated_at=now - DEMO_VALIDITY * 2, valid_until=today - timedelta(days=1))
            if status in (CoordinationStatus.VALIDATED, CoordinationStatus.DECLARED):
                values["data"] = _demo_person(int(number[-1]))
            predemande, _ = PreDemande.objects.update_or_create(number=number, defaults=values)
            if status in (CoordinationStatus.VALIDATED, CoordinationStatus.DECLARED) and not predemande.titles.exists():
                # A CNI request in draft, so that the demo counter can lodge DEMOVALID1…5 end to end.
                dossier = dossier_create(procedure=Title.CNI, applicant=owner, actor=owner)
                PreDemandeTitle.objects.create(predemande=predemande, title=Title.CNI, dossier=dossier)
    return sum(len(numbers) for numbers in DEMO_NUMBERS.values())


def _demo_person(index: int) -> dict:
    """A fictitious adult renewing an expired card, in the layout the pré-demande forms write (one key per step)."""
    return {
        "demo": True,
        "civil_status": {
            "last_name": "Démo",
            "usage_name": "",
            "given_names": f"Dominique {index}",
            "sex": "F" if index % 2 else "M",
            "birth_date": f"198{index}-0{index}-1{index}",
            "born_abroad": False,
            "birth_commune_code": "35238",
        },
        "parents": {},
        "physical": {"height_cm": 170, "eye_colour": "brown"},
        "address": {
            "street": "1 place de la Mairie",
            "complement": "",
            "postal_code": "35000",
            "commune_code": "35238",
        },
        "previous_titles": {"cni": {"number": "", "issued_on": "2010-03-01", "expires_on": "2025-03-01"}},
    }


def _seed_tokens() -> None:
    for name, kind, token in (
        ("Éditeur de démonstration", ClientKind.COORDINATION_EDITOR, DEMO_EDITOR_TOKEN),
        ("Moteur de recherche de démonstration", ClientKind.SLOT_HUB, DEMO_HUB_TOKEN),
    ):
        ApiClient.objects.get_or_create(
            token_digest=token_digest(token),
            defaults={"name": name, "kind": kind, "token_hint": token[:4], "is_demo": True},
        )


def _seed_agendas() -> int:
    created = 0
    mairies = Place.objects.filter(
        department_id=DEMO_DEPARTMENT, kind=PlaceKind.MAIRIE, collection_stations__gt=0, is_active=True
    )
    for place in mairies:
        AgendaSettings.objects.get_or_create(place=place, defaults={"weeks_ahead": DEMO_WEEKS_OF_SLOTS})
        created += slots_generate(place=place)
    return created


@transaction.atomic
def seed_demo_appointments(progress: Callable[[str], None] = lambda message: None) -> None:
    if not settings.GUICHET_DEMO_DATA_ALLOWED:
        progress("données de démonstration interdites par les réglages : rendez-vous non créés")
        return
    count = _seed_predemandes()
    _seed_tokens()
    slots = _seed_agendas()
    progress(f"pré-demandes de démonstration : {count} ; jetons API de démonstration ; créneaux créés : {slots}")
