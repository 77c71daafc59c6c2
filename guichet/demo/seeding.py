"""Idempotent demo data: each département's préfecture, the demo département's places, one persona per role."""

import base64
import secrets
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from guichet.accounts.models import RoleAssignment, User
from guichet.accounts.roles import Role
from guichet.api.demo import seed_demo_appointments
from guichet.audit.services import SYSTEM
from guichet.territory.models import Commune, CommuneKind, Department, Place, PlaceKind
from guichet.territory.place_services import places_demo_enrich

from .mediation import seed_demo_mediation
from .places import DEMO_DEPARTMENT, DEMO_PLACES
from .trusted_parties import demo_trusted_party_lines, seed_demo_trusted_parties

DEMO_PASSWORD = "Demo-Guichet-2026!"  # noqa: S105 - demo only, refused under production settings

# (e-mail, first name, last name, role, key of the place in DEMO_PLACES or None)
DEMO_PERSONAS: tuple[tuple[str, str, str, Role, str | None], ...] = (
    ("camille.martin@demo.guichet.fr", "Camille", "Martin", Role.CITIZEN, None),
    ("nadia.benali@demo.guichet.fr", "Nadia", "Benali", Role.MAIRIE_AGENT, "mairie_rennes"),
    ("lucie.daniel@demo.guichet.fr", "Lucie", "Daniel", Role.MAIRIE_AGENT, "mairie_betton"),  # no station: helps
    ("paul.lefebvre@demo.guichet.fr", "Paul", "Lefebvre", Role.INSTRUCTOR, "cert_rennes"),
    ("ines.moreau@demo.guichet.fr", "Inès", "Moreau", Role.MEDIATOR, "pn_prefecture"),
    ("luc.garnier@demo.guichet.fr", "Luc", "Garnier", Role.DRIVING_SCHOOL_STAFF, "auto_ecole"),
    ("sofia.roux@demo.guichet.fr", "Sofia", "Roux", Role.CAR_PROFESSIONAL_STAFF, "garage"),
    ("helene.girard@demo.guichet.fr", "Hélène", "Girard", Role.PREFECTURE_ADMIN, None),
    ("yann.legall@demo.guichet.fr", "Yann", "Le Gall", Role.PLATFORM_ADMIN, None),
)


class TerritoryMissing(RuntimeError):
    pass


def _commune(code: str) -> Commune | None:
    return Commune.objects.filter(code=code, kind=CommuneKind.CURRENT).first()


def seed_prefectures(progress: Callable[[str], None]) -> int:
    """One préfecture per département, at its chef-lieu, so every département has an entry point."""
    created = 0
    for department in Department.objects.all():
        chef_lieu = _commune(department.chef_lieu_code)
        _, was_created = Place.objects.get_or_create(
            kind=PlaceKind.PREFECTURE,
            department=department,
            defaults={
                "name": f"Préfecture — {department.name}",
                "commune_code": department.chef_lieu_code,
                "city": chef_lieu.name if chef_lieu else "",
                "latitude": chef_lieu.latitude if chef_lieu else None,
                "longitude": chef_lieu.longitude if chef_lieu else None,
                "opening_hours": "Mo-Fr 09:00-12:00,13:30-16:30",
            },
        )
        created += was_created
    progress(f"préfectures : {created} créées, {Department.objects.count()} départements couverts")
    return created


def seed_demo_places(progress: Callable[[str], None]) -> dict[str, Place]:
    department = Department.objects.get(code=DEMO_DEPARTMENT)
    places: dict[str, Place] = {}
    for spec in DEMO_PLACES:
        commune = _commune(spec.commune_code)
        defaults = {
            "name": spec.name,
            "department": department,
            "commune_code": spec.commune_code,
            "city": commune.name if commune else "",
            "address": spec.address,
            "postal_code": spec.postal_code,
            "latitude": commune.latitude if commune else None,
            "longitude": commune.longitude if commune else None,
            "opening_hours": spec.opening_hours,
            "collection_stations": spec.collection_stations,
            "siret": spec.siret,
            "accessibility": spec.accessibility,
        }
        if spec.kind == PlaceKind.PREFECTURE:
            # The préfecture may already exist from seed_prefectures: enrich it rather than duplicate it.
            place, _ = Place.objects.update_or_create(kind=spec.kind, department=department, defaults=defaults)
        else:
            place, _ = Place.objects.update_or_create(kind=spec.kind, name=spec.name, defaults=defaults)
        if spec.served_departments:
            place.served_departments.set(Department.objects.filter(code__in=spec.served_departments))
        places[spec.key] = place
    progress(f"lieux de démonstration ({department}) : {len(places)}")
    return places


def _new_totp_key() -> str:
    return secrets.token_hex(20)


def seed_personas(places: dict[str, Place], progress: Callable[[str], None]) -> list[User]:
    department = Department.objects.get(code=DEMO_DEPARTMENT)
    users = []
    for email, first_name, last_name, role, place_key in DEMO_PERSONAS:
        user, created = User.objects.get_or_create(
            email=email,
            defaults={
                "first_name": first_name,
                "last_name": last_name,
                "email_verified_at": timezone.now(),
                "is_staff": role == Role.PLATFORM_ADMIN,
                "is_superuser": role == Role.PLATFORM_ADMIN,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        if role != Role.CITIZEN:
            RoleAssignment.objects.get_or_create(
                user=user,
                role=role,
                place=places[place_key] if place_key else None,
                department=department if role == Role.PREFECTURE_ADMIN else None,
                revoked_at=None,
            )
            TOTPDevice.objects.get_or_create(
                user=user, name="Démonstration", defaults={"key": _new_totp_key(), "confirmed": True}
            )
        users.append(user)
    progress(f"comptes de démonstration : {len(users)}")
    return users


@transaction.atomic
def seed_demo(progress: Callable[[str], None] = lambda message: None) -> None:
    if not Department.objects.filter(code=DEMO_DEPARTMENT).exists():
        raise TerritoryMissing("Le territoire n'est pas importé : lancez d'abord « manage.py import_territory ».")
    seed_prefectures(progress)
    places = seed_demo_places(progress)
    users = seed_personas(places, progress)
    by_email = {user.email: user for user in users}
    seed_demo_mediation(
        places=places,
        mediator=by_email["ines.moreau@demo.guichet.fr"],
        citizen=by_email["camille.martin@demo.guichet.fr"],
        password=DEMO_PASSWORD,
        progress=progress,
    )
    seed_demo_trusted_parties(places, progress)
    enriched = places_demo_enrich(department_code=DEMO_DEPARTMENT, actor=SYSTEM)
    progress(f"annuaire : {enriched} points numériques complétés (médiateur, scanner, imprimante)")
    # Pré-demandes in every coordination status, the public demo API tokens and bookable slots (INTEROP.md §1–2).
    seed_demo_appointments(progress)


def demo_account_lines() -> list[str]:
    """What `make run` prints: each persona, its password and, for agents, the TOTP secret to enrol."""
    lines = []
    for email, _, _, role, _ in DEMO_PERSONAS:
        user = User.objects.filter(email=email).first()
        if user is None:
            continue
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        secret = base64.b32encode(bytes.fromhex(device.key)).decode() if device else "—"
        lines.append(f"{role.label:<32} {email:<36} {DEMO_PASSWORD:<20} TOTP: {secret}")
    return lines + demo_trusted_party_lines()
