"""Demo data of the trusted third parties (issue 4 §3), for `make run`: the demo driving school and car professional
of Ille-et-Vilaine get an approval in force, their persona manages them, the garage has a public API token; a third
school's agrément ends within 60 days, so that the préfecture's expiry list has something to show.

Idempotent: an approval already recorded for a place is left as it is (its history belongs to the demo's users).
Decisions go through the services, with the demo préfecture admin as actor, so they are journaled like real ones.
"""

from collections.abc import Callable
from datetime import timedelta

from django.utils import timezone

from guichet.accounts.models import RoleAssignment, User
from guichet.api.models import ApiClient, ClientKind, token_digest
from guichet.api.services import api_client_issue
from guichet.territory.models import Commune, CommuneKind, Department, Place, PlaceKind
from guichet.trusted_parties.models import Approval, ApprovalStatus, StaffMembership
from guichet.trusted_parties.operations import OPERATIONS_BY_KIND, Operation
from guichet.trusted_parties.services import approval_grant

from .places import DEMO_DEPARTMENT

DEMO_PROFESSIONAL_TOKEN = "demo-pro-token"  # noqa: S105 (public demo token, refused under production settings)
DEMO_ADMIN_EMAIL = "helene.girard@demo.guichet.fr"
DEMO_MANAGERS = ("luc.garnier@demo.guichet.fr", "sofia.roux@demo.guichet.fr")
EXPIRING_SCHOOL = "Auto-école de la Cité (Saint-Malo)"


def _grant(place: Place, *, number: str, holder: str, operations: list[str], days_left: int, admin: User) -> bool:
    if Approval.objects.filter(place=place).exclude(status=ApprovalStatus.REVOKED).exists():
        return False
    today = timezone.localdate()
    approval_grant(
        place=place,
        number=number,
        holder_name=holder,
        holder_siret=place.siret,
        operations=operations,
        valid_from=today - timedelta(days=365),
        valid_until=today + timedelta(days=days_left),
        reason="Données de démonstration",
        actor=admin,
    )
    return True


def _expiring_school(department: Department) -> Place:
    commune = Commune.objects.filter(code="35288", kind=CommuneKind.CURRENT).first()
    place, _ = Place.objects.get_or_create(
        kind=PlaceKind.DRIVING_SCHOOL,
        name=EXPIRING_SCHOOL,
        defaults={
            "department": department,
            "commune_code": "35288" if commune else "",
            "city": commune.name if commune else "Saint-Malo",
            "postal_code": "35400",
            "address": "4 rue de Toulouse",
            "latitude": commune.latitude if commune else None,
            "longitude": commune.longitude if commune else None,
            "opening_hours": "Tu-Sa 10:00-12:00,14:00-19:00",
            "siret": "44182031700010",
        },
    )
    return place


def seed_demo_trusted_parties(places: dict[str, Place], progress: Callable[[str], None]) -> None:
    admin = User.objects.get(email=DEMO_ADMIN_EMAIL)
    school, garage = places["auto_ecole"], places["garage"]
    expiring = _expiring_school(school.department)
    granted = sum(
        (
            _grant(
                school,
                number="E2403500010",
                holder="Auto-école du Thabor SARL",
                operations=list(OPERATIONS_BY_KIND[PlaceKind.DRIVING_SCHOOL]),
                days_left=4 * 365,
                admin=admin,
            ),
            _grant(
                garage,
                number="H03500001",
                holder="Garage de la Vilaine SAS",
                operations=[
                    Operation.NEW_VEHICLE_REGISTRATION,
                    Operation.USED_VEHICLE_REGISTRATION,
                    Operation.PURCHASE_SALE_DECLARATION,
                    Operation.ADMINISTRATIVE_STATUS_CERTIFICATE,
                ],
                days_left=3 * 365,
                admin=admin,
            ),
            _grant(
                expiring,
                number="E2103500020",
                holder="La Cité Conduite EURL",
                operations=[Operation.LICENCE_REGISTRATION, Operation.EXAM_BOOKING],
                days_left=30,
                admin=admin,
            ),
        )
    )
    for assignment in RoleAssignment.objects.filter(
        user__email__in=DEMO_MANAGERS, place__in=[school, garage], revoked_at__isnull=True
    ):
        StaffMembership.objects.update_or_create(role_assignment=assignment, defaults={"is_manager": True})
    if not ApiClient.objects.filter(token_digest=token_digest(DEMO_PROFESSIONAL_TOKEN)).exists():
        api_client_issue(
            name=f"Logiciel de démonstration — {garage.name}",
            kind=ClientKind.PROFESSIONAL,
            actor=admin,
            token=DEMO_PROFESSIONAL_TOKEN,
            is_demo=True,
            place=garage,
        )
    progress(
        f"tiers de confiance ({DEMO_DEPARTMENT}) : {granted} agréments délivrés, responsables désignés, "
        f"jeton API « {DEMO_PROFESSIONAL_TOKEN} » pour {garage.name}"
    )


def demo_trusted_party_lines() -> list[str]:
    """What `make run` prints about the professionals' API (the personas are printed with the others)."""
    client = (
        ApiClient.objects.filter(token_digest=token_digest(DEMO_PROFESSIONAL_TOKEN)).select_related("place").first()
    )
    if client is None or client.place is None:
        return []
    return [
        f"Jeton API du professionnel « {client.place.name} » : {DEMO_PROFESSIONAL_TOKEN} "
        "(curl -H 'Authorization: Bearer demo-pro-token' http://127.0.0.1:8000/api/pro/organisation)"
    ]
