"""Named personas for every role, used by tests (and mirrored by `seed_demo`).

Each persona is a real account with a real role assignment; agents get a confirmed TOTP device whose
secret is known, so tests log in with a real code.
"""

from dataclasses import dataclass

from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from guichet.accounts.models import RoleAssignment, User
from guichet.accounts.roles import Role
from guichet.territory.models import Department, Place, PlaceKind, Region

PASSWORD = "Correct-Horse-Battery-42"
# 20-byte hex secret shared by the test personas' TOTP devices.
TOTP_KEY = "3132333435363738393031323334353637383930"


@dataclass(frozen=True)
class PersonaSpec:
    key: str
    email: str
    first_name: str
    last_name: str
    role: Role
    place_kind: str | None = None


PERSONAS: tuple[PersonaSpec, ...] = (
    PersonaSpec("citizen", "camille.usager@example.fr", "Camille", "Martin", Role.CITIZEN),
    PersonaSpec("mairie_agent", "agent.mairie@example.fr", "Nadia", "Benali", Role.MAIRIE_AGENT, PlaceKind.MAIRIE),
    PersonaSpec(
        "instructor", "instructeur@example.fr", "Paul", "Lefebvre", Role.INSTRUCTOR, PlaceKind.INSTRUCTION_CENTRE
    ),
    PersonaSpec("mediator", "mediateur@example.fr", "Inès", "Moreau", Role.MEDIATOR, PlaceKind.POINT_NUMERIQUE),
    PersonaSpec(
        "driving_school", "auto-ecole@example.fr", "Luc", "Garnier", Role.DRIVING_SCHOOL_STAFF, PlaceKind.DRIVING_SCHOOL
    ),
    PersonaSpec(
        "car_professional",
        "garage@example.fr",
        "Sofia",
        "Roux",
        Role.CAR_PROFESSIONAL_STAFF,
        PlaceKind.CAR_PROFESSIONAL,
    ),
    PersonaSpec("prefecture_admin", "admin.prefecture@example.fr", "Hélène", "Girard", Role.PREFECTURE_ADMIN),
    PersonaSpec("platform_admin", "admin.plateforme@example.fr", "Yann", "Le Gall", Role.PLATFORM_ADMIN),
)


def ensure_test_territory() -> Department:
    region, _ = Region.objects.get_or_create(code="53", defaults={"name": "Bretagne"})
    department, _ = Department.objects.get_or_create(
        code="35", defaults={"name": "Ille-et-Vilaine", "region": region, "chef_lieu_code": "35238"}
    )
    return department


def ensure_place(kind: str, department: Department) -> Place:
    names: dict[str, tuple[str, int]] = {
        PlaceKind.MAIRIE: ("Mairie de Rennes", 4),
        PlaceKind.INSTRUCTION_CENTRE: ("CERT titres d'identité de Rennes", 0),
        PlaceKind.POINT_NUMERIQUE: ("Point numérique de la préfecture d'Ille-et-Vilaine", 0),
        PlaceKind.DRIVING_SCHOOL: ("Auto-école du Thabor", 0),
        PlaceKind.CAR_PROFESSIONAL: ("Garage de la Vilaine", 0),
    }
    name, stations = names[kind]
    place, created = Place.objects.get_or_create(
        kind=kind,
        name=name,
        defaults={
            "department": department,
            "commune_code": "35238",
            "city": "Rennes",
            "postal_code": "35000",
            "address": "1 place de la Mairie",
            "collection_stations": stations,
            "latitude": 48.1113,
            "longitude": -1.6800,
            "opening_hours": "Mo-Fr 09:00-12:00,13:30-17:00",
        },
    )
    if created and kind == PlaceKind.INSTRUCTION_CENTRE:
        place.served_departments.add(department)
    return place


def create_persona(spec: PersonaSpec, *, with_totp: bool = True) -> User:
    department = ensure_test_territory()
    user, _ = User.objects.get_or_create(
        email=spec.email,
        defaults={
            "first_name": spec.first_name,
            "last_name": spec.last_name,
            "email_verified_at": timezone.now(),
            "is_staff": spec.role == Role.PLATFORM_ADMIN,
            "is_superuser": spec.role == Role.PLATFORM_ADMIN,
        },
    )
    user.set_password(PASSWORD)
    user.save()
    if spec.role != Role.CITIZEN:
        place = ensure_place(spec.place_kind, department) if spec.place_kind else None
        RoleAssignment.objects.get_or_create(
            user=user,
            role=spec.role,
            place=place,
            department=department if spec.role == Role.PREFECTURE_ADMIN else None,
        )
        if with_totp:
            TOTPDevice.objects.get_or_create(user=user, name="default", defaults={"key": TOTP_KEY, "confirmed": True})
    return user


def current_totp_code(key: str = TOTP_KEY) -> str:
    totp = TOTP(bytes.fromhex(key), step=30, digits=6)
    return f"{totp.token():06d}"
