"""The synthetic national dataset: places, agendas, accounts, dossiers, pré-demandes, bookings.

Everything comes from one `random.Random(seed)`, so a seed gives the same rows (ids, references, dates relative
to the generation day). Distributions, with their sources, are in docs/performance.md ("The dataset").

What is deliberately not written: the audit journal (bulk rows are history imported at once, not actions; the
journal keeps only what the territory import and the load itself record, so its hash chain stays valid), the
notification outbox, documents and files.
"""

import hashlib
import json
import math
import random
from bisect import bisect
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from itertools import accumulate

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from guichet.accounts.models import RoleAssignment, User
from guichet.accounts.roles import Role
from guichet.api.models import ApiClient, ClientKind, token_digest
from guichet.appointments.models import AgendaSettings, Appointment, AppointmentSlot, Slot
from guichet.core import references
from guichet.dossiers.models import Dossier, DossierEvent
from guichet.procedures.identity_documents.models import PreDemande, PreDemandeTitle, TitleProduction
from guichet.territory.models import Commune, CommuneKind, Department, Place, PlaceKind
from guichet.territory.opening_hours import PARIS, french_public_holidays

from . import loader
from .scales import Scale

PASSWORD = "bench-mot-de-passe-2026"  # noqa: S105 (public: every generated account shares it, bench data only)
EMAIL_DOMAIN = "bench.guichet.test"
EDITOR_TOKEN = "bench-editor-token"  # noqa: S105 (bench data only, never a demo or production token)
HUB_TOKEN = "bench-hub-token"  # noqa: S105
CHUNK = 50_000

# --- Distributions (docs/performance.md explains them) -----------------------------------------------------------

# Share of dossiers per procedure. CNI 6.6 M and passports ~4.2 M a year (2022); ~1.6 M driving-licence files;
# carte grise: ~4 M used-car transfers plus new registrations and changes a year.
PROCEDURES = {"cni": 0.38, "passeport": 0.24, "driving_licence": 0.10, "vehicle_registration": 0.28}
IDENTITY = ("cni", "passeport")
BOTH_TITLES_SHARE = 0.15  # pré-demandes asking for a card and a passport at once

# Current status of a dossier: mostly finished files, a queue of a few weeks, a tail of abandoned drafts.
STATUSES = {
    "draft": 0.14,
    "submitted": 0.02,
    "in_instruction": 0.03,
    "awaiting_complement": 0.005,
    "accepted": 0.003,
    "refused": 0.007,
    "withdrawn": 0.005,
    "in_production": 0.02,
    "available": 0.03,
    "delivered": 0.755,
    "expired": 0.01,
    "destroyed": 0.005,
}
# The path each status went through (transition names of guichet.dossiers.workflow), for events and dates.
PATHS = {
    "draft": [],
    "submitted": ["submit"],
    "in_instruction": ["submit", "start_instruction"],
    "awaiting_complement": ["submit", "start_instruction", "request_complement"],
    "accepted": ["submit", "start_instruction", "accept"],
    "refused": ["submit", "start_instruction", "refuse"],
    "withdrawn": ["submit", "withdraw"],
    "in_production": ["submit", "start_instruction", "accept", "start_production"],
    "available": ["submit", "start_instruction", "accept", "start_production", "make_available"],
    "delivered": ["submit", "start_instruction", "accept", "start_production", "make_available", "deliver"],
    "expired": ["expire"],
    "destroyed": ["submit", "start_instruction", "accept", "start_production", "make_available", "destroy"],
}
TARGET = {
    "submit": "submitted",
    "start_instruction": "in_instruction",
    "request_complement": "awaiting_complement",
    "accept": "accepted",
    "refuse": "refused",
    "withdraw": "withdrawn",
    "start_production": "in_production",
    "make_available": "available",
    "deliver": "delivered",
    "expire": "expired",
    "destroy": "destroyed",
}
# Hours each step takes (low, high): instruction in days, production a week, collection within weeks.
STEP_HOURS = {
    "submit": (1, 24 * 20),
    "start_instruction": (2, 24 * 10),
    "request_complement": (1, 24 * 5),
    "accept": (1, 24 * 8),
    "refuse": (1, 24 * 8),
    "withdraw": (1, 24 * 10),
    "start_production": (1, 12),
    "make_available": (24 * 3, 24 * 8),
    "deliver": (24, 24 * 40),
    "expire": (24 * 180, 24 * 190),
    "destroy": (24 * 92, 24 * 95),
}
DECIDED = {"accepted", "refused", "in_production", "available", "delivered", "destroyed"}
ACTOR_OF = {
    "submit": "mairie_agent",
    "start_instruction": "instructor",
    "request_complement": "instructor",
    "accept": "instructor",
    "refuse": "instructor",
    "withdraw": "applicant",
    "start_production": "system",
    "make_available": "system",
    "deliver": "mairie_agent",
    "expire": "system",
    "destroy": "system",
}
# What became of the pré-demande of a dossier still in draft.
DRAFT_PREDEMANDE = {"declared": 0.4, "validated": 0.5, "expired": 0.1}
MOTIVES = {
    "first": 0.22,
    "renewal_expired": 0.38,
    "renewal_expiring": 0.2,
    "renewal_civil_status": 0.04,
    "renewal_address": 0.04,
    "loss": 0.08,
    "theft": 0.02,
    "damage": 0.02,
}
MINOR_SHARE = 0.2
MOBILE_SHARE = 0.75
VALIDITY_DAYS = 365
HISTORY_DAYS = 365  # dossiers were created over the last year

GIVEN_NAMES = [
    "Camille",
    "Dominique",
    "Claude",
    "Alix",
    "Sacha",
    "Charlie",
    "Lou",
    "Noa",
    "Eden",
    "Maël",
    "Léa",
    "Louis",
    "Jade",
    "Gabriel",
    "Emma",
    "Raphaël",
    "Chloé",
    "Arthur",
    "Inès",
    "Jules",
    "Manon",
    "Hugo",
    "Sarah",
    "Adam",
    "Zoé",
    "Nathan",
    "Lina",
    "Paul",
    "Alice",
    "Tom",
    "Rose",
    "Léo",
    "Anna",
    "Lucas",
    "Mila",
    "Ethan",
    "Yasmine",
    "Malik",
]
FAMILY_NAMES = [
    "Martin",
    "Bernard",
    "Thomas",
    "Petit",
    "Robert",
    "Richard",
    "Durand",
    "Dubois",
    "Moreau",
    "Laurent",
    "Simon",
    "Michel",
    "Lefebvre",
    "Leroy",
    "Roux",
    "David",
    "Bertrand",
    "Morel",
    "Fournier",
    "Girard",
    "Bonnet",
    "Dupont",
    "Lambert",
    "Fontaine",
    "Rousseau",
    "Vincent",
    "Muller",
    "Lefèvre",
    "Faure",
    "André",
    "Mercier",
    "Blanc",
    "Guérin",
    "Boyer",
    "Garnier",
    "Chevalier",
    "François",
    "Legrand",
    "Gauthier",
    "Garcia",
    "Perrin",
    "Robin",
    "Clément",
    "Morin",
    "Nicolas",
]

# Agenda of an equipped mairie: base slots of 15 minutes, Monday to Friday.
SLOT_MINUTES = 15
OPENING = ((time(9, 0), time(12, 0)), (time(13, 30), time(17, 0)))


CREATED_DATA = {code: json.dumps({"procedure": code}) for code in PROCEDURES}
TRANSITION_DATA = {
    status: json.dumps({"transition": path[-1], "from": TARGET[path[-2]] if len(path) > 1 else "draft", "to": status})
    for status, path in PATHS.items()
    if path
}


def _weighted(table: dict[str, float]) -> Callable[[random.Random], str]:
    keys = list(table)
    cumulative = list(accumulate(table[k] for k in keys))
    total = cumulative[-1]

    def pick(rng: random.Random) -> str:
        return keys[min(bisect(cumulative, rng.random() * total), len(keys) - 1)]

    return pick


class ReferenceMaker:
    """Unique, valid references derived from a row id: an affine bijection on 31^9 keeps them apart and spread."""

    SPACE = 31**9

    def __init__(self, multiplier: int, offset: int) -> None:
        assert multiplier % 31  # coprime with 31^9, hence a bijection
        self.multiplier, self.offset = multiplier, offset

    def __call__(self, row_id: int) -> str:
        value = (row_id * self.multiplier + self.offset) % self.SPACE
        alphabet = references.ALPHABET
        chars = []
        weighted = 0
        for _ in range(9):
            value, digit = divmod(value, 31)
            chars.append(alphabet[digit])
            weighted = (weighted + digit) * references.RADIX % references.MODULUS
        return "".join(chars) + alphabet[(-weighted) % references.MODULUS]


DOSSIER_REFERENCE = ReferenceMaker(16_290_736_930_457, 1_234_567)
PREDEMANDE_NUMBER = ReferenceMaker(9_876_543_210_987, 987_654_321)
APPOINTMENT_REFERENCE = ReferenceMaker(12_345_678_901_237, 55_555_555)
OUTSIDE_NUMBER = ReferenceMaker(7_777_777_777_771, 31_415_926)  # pré-demandes made elsewhere, booked at the mairie


@dataclass
class Samples:
    """What the load scenarios pick from (written to the fixtures file)."""

    citizens: list[dict] = field(default_factory=list)  # email, dossier references
    bookers: list[dict] = field(default_factory=list)  # email, a validated pré-demande number with no booking
    tracking: list[dict] = field(default_factory=list)  # number, birth date (ISO)
    application_ids: list[str] = field(default_factory=list)
    instructors: list[dict] = field(default_factory=list)  # email, TOTP key (hex)
    communes: list[dict] = field(default_factory=list)  # name, code, postal code of communes with a mairie
    meeting_point_ids: list[int] = field(default_factory=list)
    commune_codes: list[str] = field(default_factory=list)


@dataclass
class Context:
    scale: Scale
    rng: random.Random
    now: datetime
    out: Callable[[str], None]
    password_hash: str = ""
    mairies: list[Place] = field(default_factory=list)
    stations: dict[int, int] = field(default_factory=dict)  # mairie id -> collection stations
    centre_of_department: dict[str, int] = field(default_factory=dict)
    instructors_of_centre: dict[int, list[int]] = field(default_factory=dict)
    first_user_id: int = 0
    validated: list[tuple[str, int, str]] = field(default_factory=list)  # number, applicant id, mobile
    samples: Samples = field(default_factory=Samples)
    counts: dict[str, int] = field(default_factory=dict)

    def hours(self, low: int, high: int) -> timedelta:
        return timedelta(seconds=int((low + self.rng.random() * (high - low)) * 3600))


# --- Places ---------------------------------------------------------------------------------------------------


def _communes_by_weight(ctx: Context) -> list[Commune]:
    communes = list(
        Commune.objects.filter(kind=CommuneKind.CURRENT, latitude__isnull=False, longitude__isnull=False)
        .exclude(code__startswith="75")  # Paris is served through its arrondissements
        .order_by("code")
    )
    communes += list(
        Commune.objects.filter(
            kind=CommuneKind.MUNICIPAL_ARRONDISSEMENT, latitude__isnull=False, longitude__isnull=False
        ).order_by("code")
    )
    if not communes:
        raise RuntimeError("No commune with coordinates: run `manage.py import_territory` first.")
    return communes


def _choose_mairie_communes(ctx: Context, communes: list[Commune], count: int) -> list[Commune]:
    """The most populated communes are all equipped; the rest of the network is spread at random."""
    by_population = sorted(communes, key=lambda c: (-(c.population or 0), c.code))
    count = min(count, len(communes))
    largest = by_population[: int(count * 0.7)]
    rest = by_population[len(largest) :]
    return largest + ctx.rng.sample(rest, count - len(largest))


def _stations_per_mairie(ctx: Context, communes: list[Commune]) -> list[int]:
    total = ctx.scale.collection_stations
    stations = [1] * len(communes)
    extra = max(total - len(communes), 0)
    weights = [math.sqrt(max(c.population or 0, 1)) for c in communes]
    weight_sum = sum(weights)
    for index, weight in enumerate(weights):
        stations[index] += min(11, int(extra * weight / weight_sum))
    missing = total - sum(stations)
    index = 0
    while missing > 0 and communes:
        if stations[index % len(stations)] < 12:
            stations[index % len(stations)] += 1
            missing -= 1
        index += 1
    return stations


def _place(ctx: Context, kind: str, name: str, commune: Commune, stations: int = 0) -> Place:
    jitter = (ctx.rng.random() - 0.5) / 500
    return Place(
        kind=kind,
        name=name[:200],
        department_id=commune.department_id,
        commune_code=commune.code,
        address=f"{ctx.rng.randint(1, 80)} place de la Mairie",
        postal_code="",
        city=commune.name[:150],
        latitude=min(90.0, max(-90.0, commune.latitude + jitter)),  # type: ignore[operator]
        longitude=min(180.0, max(-180.0, commune.longitude + jitter)),  # type: ignore[operator]
        opening_hours="Mo-Fr 09:00-12:00,13:30-17:00",
        collection_stations=stations,
        source="bench",
    )


def generate_places(ctx: Context) -> None:
    communes = _communes_by_weight(ctx)
    postal = _postal_codes()
    chosen = _choose_mairie_communes(ctx, communes, ctx.scale.equipped_mairies)
    stations = _stations_per_mairie(ctx, chosen)
    mairies = [
        _place(ctx, PlaceKind.MAIRIE, f"Mairie de {c.name}", c, s) for c, s in zip(chosen, stations, strict=True)
    ]
    for place in mairies:
        place.postal_code = postal.get(place.commune_code, "")
    Place.objects.bulk_create(mairies, batch_size=2_000)
    ctx.mairies = list(Place.objects.filter(source="bench", kind=PlaceKind.MAIRIE).order_by("pk"))
    ctx.stations = {p.pk: p.collection_stations for p in ctx.mairies}
    AgendaSettings.objects.bulk_create(
        [AgendaSettings(place=p, weeks_ahead=13, booking_notice_hours=2) for p in ctx.mairies], batch_size=2_000
    )
    others = []
    for index in range(ctx.scale.points_numeriques):
        commune = ctx.rng.choice(chosen)
        others.append(_place(ctx, PlaceKind.POINT_NUMERIQUE, f"Point numérique {index + 1} — {commune.name}", commune))
    for index in range(ctx.scale.espaces_numeriques):
        commune = ctx.rng.choice(communes)
        others.append(
            _place(ctx, PlaceKind.ESPACE_NUMERIQUE, f"Espace numérique {index + 1} — {commune.name}", commune)
        )
    Place.objects.bulk_create(others, batch_size=2_000)
    _generate_centres(ctx, communes)
    ctx.counts["equipped_mairies"] = len(ctx.mairies)
    ctx.counts["collection_stations"] = sum(ctx.stations.values())
    ctx.out(
        f"  places: {len(ctx.mairies):,} equipped mairies ({sum(ctx.stations.values()):,} stations), "
        f"{ctx.scale.points_numeriques:,} points numériques, {ctx.scale.espaces_numeriques:,} espaces numériques"
    )
    ctx.samples.meeting_point_ids = [p.pk for p in ctx.mairies[: ctx.scale.sample_size]]
    with_postal = [p for p in ctx.mairies if p.postal_code]
    ctx.samples.communes = [
        {"name": p.city, "code": p.commune_code, "postal_code": p.postal_code}
        for p in ctx.rng.sample(with_postal, min(len(with_postal), 300))
    ]
    ctx.samples.commune_codes = [c.code for c in ctx.rng.sample(communes, min(len(communes), 1_000))]


def _postal_codes() -> dict[str, str]:
    from guichet.territory.models import PostalCode

    codes: dict[str, str] = {}
    for code, commune_code in PostalCode.objects.order_by("code").values_list("code", "commune_code"):
        codes.setdefault(commune_code, code)
    return codes


def _generate_centres(ctx: Context, communes: list[Commune]) -> None:
    departments = list(Department.objects.order_by("code").values_list("code", flat=True))
    chief_towns = {c.code: c for c in communes}
    centres = []
    serves: dict[int, list[str]] = {}
    for index in range(ctx.scale.instruction_centres):
        served = departments[index :: ctx.scale.instruction_centres]
        if not served:
            continue
        department = Department.objects.get(code=served[0])
        local = [c for c in communes if c.department_id == served[0]] or communes
        commune = chief_towns.get(department.chef_lieu_code) or local[0]
        centre = _place(ctx, PlaceKind.INSTRUCTION_CENTRE, f"CERT titres {index + 1} — {commune.name}", commune)
        centre.save()
        centre.served_departments.set(served)
        centres.append(centre)
        serves[centre.pk] = served
        for code in served:
            ctx.centre_of_department[code] = centre.pk
    key_rng = random.Random(ctx.rng.random())
    for centre in centres:
        ids = []
        for number in range(ctx.scale.instructors_per_centre):
            email = f"instructeur-{centre.pk}-{number + 1}@{EMAIL_DOMAIN}"
            user = User.objects.create(
                email=email,
                password=ctx.password_hash,
                first_name="Agent",
                last_name=f"Instructeur {number + 1}",
                email_verified_at=ctx.now,
                terms_accepted_at=ctx.now,
            )
            RoleAssignment.objects.create(user=user, role=Role.INSTRUCTOR, place=centre)
            key = f"{key_rng.getrandbits(160):040x}"
            TOTPDevice.objects.create(user=user, name="bench", confirmed=True, key=key)
            ids.append(user.pk)
            ctx.samples.instructors.append(
                {"email": email, "totp_key": key, "centre": centre.pk, "serves": serves[centre.pk]}
            )
        ctx.instructors_of_centre[centre.pk] = ids


def generate_api_clients(ctx: Context) -> None:
    for name, kind, token in (
        ("Éditeur de rendez-vous (bench)", ClientKind.COORDINATION_EDITOR, EDITOR_TOKEN),
        ("Moteur national (bench)", ClientKind.SLOT_HUB, HUB_TOKEN),
    ):
        ApiClient.objects.get_or_create(
            token_digest=token_digest(token), defaults={"name": name, "kind": kind, "token_hint": token[:4]}
        )


# --- Accounts -------------------------------------------------------------------------------------------------


def _mobile(user_id: int) -> str:
    return f"+336{user_id % 100_000_000:08d}"


def _email(user_id: int) -> str:
    return f"usager{user_id}@{EMAIL_DOMAIN}"


def generate_accounts(ctx: Context) -> None:
    ctx.first_user_id = loader.next_id(User._meta.db_table)
    columns = [
        "id",
        "password",
        "last_login",
        "is_superuser",
        "email",
        "first_name",
        "last_name",
        "mobile_phone",
        "email_verified_at",
        "identity_assurance",
        "is_active",
        "is_staff",
        "date_joined",
        "pending_email",
        "terms_accepted_at",
    ]
    total = ctx.scale.accounts
    rng = ctx.rng

    def rows() -> Iterator[tuple]:
        for offset in range(total):
            user_id = ctx.first_user_id + offset
            joined = ctx.now - timedelta(seconds=rng.randint(0, 4 * 365 * 86400))
            yield (
                user_id,
                ctx.password_hash,
                None,
                False,
                _email(user_id),
                rng.choice(GIVEN_NAMES),
                rng.choice(FAMILY_NAMES),
                _mobile(user_id) if rng.random() < MOBILE_SHARE else "",
                joined,
                "none",
                True,
                False,
                joined,
                "",
                joined,
            )

    ctx.counts["accounts"] = loader.load(User._meta.db_table, columns, rows(), expected=total, out=ctx.out)


# --- Dossiers, pré-demandes, events, production ---------------------------------------------------------------


@dataclass
class Tables:
    """Rows of one chunk, per table, written together."""

    dossiers: list[tuple] = field(default_factory=list)
    events: list[tuple] = field(default_factory=list)
    predemandes: list[tuple] = field(default_factory=list)
    titles: list[tuple] = field(default_factory=list)
    productions: list[tuple] = field(default_factory=list)


DOSSIER_COLUMNS = [
    "id",
    "created_at",
    "updated_at",
    "reference",
    "procedure",
    "status",
    "commune_code",
    "data",
    "submitted_at",
    "decided_at",
    "status_changed_at",
    "version",
    "applicant_id",
    "assigned_to_id",
    "department_id",
]
EVENT_COLUMNS = [
    "id",
    "kind",
    "created_at",
    "actor_role",
    "actor_organisation",
    "data",
    "actor_id",
    "dossier_id",
    "on_behalf_of_id",
]
PREDEMANDE_COLUMNS = [
    "id",
    "created_at",
    "updated_at",
    "number",
    "status",
    "is_for_minor",
    "motive",
    "data",
    "mobile_phone",
    "validated_at",
    "valid_until",
    "consumed_at",
    "counter_receipt_number",
    "applicant_id",
    "created_by_id",
    "lodged_at_place_id",
]
TITLE_COLUMNS = ["id", "title", "dossier_id", "predemande_id"]
PRODUCTION_COLUMNS = [
    "id",
    "created_at",
    "updated_at",
    "started_at",
    "expected_ready_at",
    "batch_number",
    "shipped_at",
    "expected_arrival_at",
    "available_at",
    "collect_before",
    "reminders_sent",
    "last_reminder_at",
    "delivered_at",
    "identity_checked",
    "old_title_surrendered",
    "destroyed_at",
    "dossier_id",
    "place_id",
]


@dataclass
class Ids:
    dossier: int
    event: int
    predemande: int
    title: int
    production: int


def _timeline(ctx: Context, status: str) -> tuple[datetime, list[tuple[str, datetime]]]:
    """Creation time and each transition's time, all in the past, ending at most HISTORY_DAYS ago."""
    steps = PATHS[status]
    durations = [ctx.hours(*STEP_HOURS[name]) for name in steps]
    span = sum(durations, timedelta())
    # The last step happened between now and HISTORY_DAYS ago (at least a few minutes ago).
    end = ctx.now - timedelta(seconds=ctx.rng.randint(300, HISTORY_DAYS * 86400))
    if status in {"submitted", "in_instruction", "awaiting_complement", "in_production", "available", "draft"}:
        end = ctx.now - timedelta(seconds=ctx.rng.randint(300, 45 * 86400))  # open files are recent
    created = end - span
    moments = []
    moment = created
    for name, duration in zip(steps, durations, strict=True):
        moment += duration
        moments.append((name, moment))
    return created, moments


def _person(ctx: Context, minor: bool, full: bool) -> tuple[str, str]:
    """The pré-demande's data as the forms write it (JSON text) and the birth date (ISO)."""
    rng = ctx.rng
    age_days = int((rng.random() * 17 + 1 if minor else rng.random() * 72 + 18) * 365.25)
    birth = (ctx.now.date() - timedelta(days=age_days)).isoformat()
    birth_commune = rng.choice(ctx.samples.commune_codes) if ctx.samples.commune_codes else ""
    # Names and codes hold no quote nor backslash: formatting the JSON by hand is safe and much faster.
    text = (
        f'{{"civil_status": {{"last_name": "{rng.choice(FAMILY_NAMES)}", "usage_name": "", '
        f'"given_names": "{rng.choice(GIVEN_NAMES)}", "sex": "{"F" if rng.random() < 0.5 else "M"}", '
        f'"birth_date": "{birth}", "born_abroad": false, "birth_commune_code": "{birth_commune}"}}'
    )
    if full:
        text += (
            f', "parents": {{}}, "physical": {{"height_cm": {100 + int(rng.random() * 100)}, "eye_colour": "brown"}}, '
            f'"address": {{"street": "{1 + int(rng.random() * 200)} rue de la République", "postal_code": "", '
            f'"commune_code": ""}}'
        )
    return text + "}", birth


class DossierWriter:
    """Writes one chunk of dossiers with its own random stream and id ranges, so that chunks can run in parallel
    processes and a seed still gives the same rows."""

    def __init__(self, ctx: Context, chunk: int, base: Ids) -> None:
        self.ctx = ctx
        self.chunk = chunk
        self.pick_procedure = _weighted(PROCEDURES)
        self.pick_status = _weighted(STATUSES)
        self.pick_draft_predemande = _weighted(DRAFT_PREDEMANDE)
        self.pick_motive = _weighted(MOTIVES)
        self.ids = Ids(
            dossier=base.dossier + chunk * CHUNK,
            event=base.event + chunk * CHUNK * 2,
            predemande=base.predemande + chunk * CHUNK,
            title=base.title + chunk * CHUNK,
            production=base.production + chunk * CHUNK,
        )
        self.takes_samples = chunk == 0
        self.validated: list[tuple[str, int, str]] = []
        self.sampled_citizens: dict[int, dict] = {}
        self.tracking: list[dict] = []
        self.application_ids: list[str] = []

    def _applicant(self) -> int:
        return self.ctx.first_user_id + self.ctx.rng.randrange(self.ctx.scale.accounts)

    def case(self, tables: Tables, room: int) -> int:
        """One request: a pré-demande with its one or two identity dossiers, or one other dossier."""
        ctx, rng = self.ctx, self.ctx.rng
        procedure = self.pick_procedure(rng)
        status = self.pick_status(rng)
        applicant = self._applicant()
        mairie = rng.choice(ctx.mairies)
        created, steps = _timeline(ctx, status)
        if procedure in IDENTITY:
            titles = list(IDENTITY) if room > 1 and rng.random() < BOTH_TITLES_SHARE else [procedure]
            self._identity(tables, titles, status, applicant, mairie, created, steps)
            return len(titles)
        department = mairie.department_id
        self._dossier(tables, procedure, status, applicant, mairie, department, created, steps, data="{}")
        return 1

    def _dossier(self, tables, procedure, status, applicant, mairie, department, created, steps, data) -> int:
        ctx, rng = self.ctx, self.ctx.rng
        dossier_id = self.ids.dossier
        self.ids.dossier += 1
        reference = DOSSIER_REFERENCE(dossier_id)
        moments = dict(steps)
        submitted = moments.get("submit")
        decided = next((moments[n] for n in ("accept", "refuse") if n in moments), None)
        changed = steps[-1][1] if steps else None
        assigned = None
        if status in {"in_instruction", "awaiting_complement"} and department and rng.random() < 0.5:
            centre = ctx.centre_of_department.get(department)
            if centre and ctx.instructors_of_centre.get(centre):
                assigned = rng.choice(ctx.instructors_of_centre[centre])
        tables.dossiers.append(
            (
                dossier_id,
                created,
                changed or created,
                reference,
                procedure,
                status,
                mairie.commune_code if department else "",
                data,
                submitted,
                decided,
                changed,
                1 + len(steps),
                applicant,
                assigned,
                department,
            )
        )
        tables.events.append(
            (self.ids.event, "created", created, "applicant", "", CREATED_DATA[procedure], applicant, dossier_id, None)
        )
        self.ids.event += 1
        if steps:
            name, moment = steps[-1]
            role = ACTOR_OF[name]
            tables.events.append(
                (
                    self.ids.event,
                    "transition",
                    moment,
                    role,
                    "" if role in {"applicant", "system"} else mairie.name if role == "mairie_agent" else "CERT",
                    TRANSITION_DATA[status],
                    applicant if role == "applicant" else None,
                    dossier_id,
                    None,
                )
            )
            self.ids.event += 1
        if self.takes_samples and len(self.sampled_citizens) < ctx.scale.sample_size and status != "expired":
            entry = self.sampled_citizens.setdefault(applicant, {"email": _email(applicant), "dossiers": []})
            entry["dossiers"].append(reference)
        return dossier_id

    def _identity(self, tables, titles, status, applicant, mairie, created, steps) -> None:
        ctx, rng = self.ctx, self.ctx.rng
        predemande_id = self.ids.predemande
        self.ids.predemande += 1
        number = PREDEMANDE_NUMBER(predemande_id)
        if status == "draft":
            predemande_status = self.pick_draft_predemande(rng)
        elif status == "expired":
            predemande_status = "expired"
        else:
            predemande_status = "consumed"
        minor = rng.random() < MINOR_SHARE
        person, birth_date = _person(ctx, minor, full=predemande_status != "declared")
        mobile = _mobile(applicant) if rng.random() < MOBILE_SHARE else ""
        validated_at = valid_until = consumed_at = None
        lodged = None
        submitted = dict(steps).get("submit")
        if predemande_status in {"validated", "consumed"}:
            validated_at = created + ctx.hours(0, 72)
            valid_until = validated_at.date() + timedelta(days=VALIDITY_DAYS)
        if predemande_status == "validated":
            validated_at = min(validated_at, ctx.now - timedelta(minutes=5))  # type: ignore[type-var]
            valid_until = max(valid_until, ctx.now.date() + timedelta(days=30))  # type: ignore[type-var]
            self.validated.append((number, applicant, mobile))
        if predemande_status == "expired":
            valid_until = ctx.now.date() - timedelta(days=rng.randint(1, 90))
        if predemande_status == "consumed":
            consumed_at = submitted or created + ctx.hours(1, 48)
            validated_at = min(validated_at, consumed_at)  # type: ignore[type-var]
            lodged = mairie.pk
        tables.predemandes.append(
            (
                predemande_id,
                created,
                consumed_at or validated_at or created,
                number,
                predemande_status,
                minor,
                self.pick_motive(rng),
                person,
                mobile,
                validated_at,
                valid_until,
                consumed_at,
                "",
                applicant,
                applicant,
                lodged,
            )
        )
        department = mairie.department_id if predemande_status == "consumed" else None
        for title in titles:
            dossier_id = self._dossier(
                tables, title, status, applicant, mairie, department, created, steps, f'{{"predemande": "{number}"}}'
            )
            tables.titles.append((self.ids.title, title, dossier_id, predemande_id))
            self.ids.title += 1
            if status in {"in_production", "available", "delivered", "destroyed"}:
                self._production(tables, dossier_id, mairie, dict(steps))
        if not self.takes_samples:
            return
        if predemande_status == "consumed" and len(self.tracking) < ctx.scale.sample_size:
            self.tracking.append({"number": number, "birth_date": birth_date})
        if len(self.application_ids) < ctx.scale.sample_size:
            self.application_ids.append(number)

    def _production(self, tables: Tables, dossier_id: int, mairie: Place, moments: dict[str, datetime]) -> None:
        started = moments["start_production"]
        available = moments.get("make_available")
        shipped = available - timedelta(days=2) if available else None
        tables.productions.append(
            (
                self.ids.production,
                started,
                available or started,
                started,
                started + timedelta(days=3),
                f"L{started:%y%m%d}-{mairie.pk}"[:20] if shipped else "",
                shipped,
                available,
                available,
                (available + timedelta(days=91)).date() if available else None,
                0,
                None,
                moments.get("deliver"),
                "deliver" in moments,
                "deliver" in moments,
                moments.get("destroy"),
                dossier_id,
                mairie.pk,
            )
        )
        self.ids.production += 1


DOSSIER_TARGETS = {
    "dossiers": (Dossier._meta.db_table, DOSSIER_COLUMNS),
    "events": (DossierEvent._meta.db_table, EVENT_COLUMNS),
    "predemandes": (PreDemande._meta.db_table, PREDEMANDE_COLUMNS),
    "titles": (PreDemandeTitle._meta.db_table, TITLE_COLUMNS),
    "productions": (TitleProduction._meta.db_table, PRODUCTION_COLUMNS),
}
_WORKER_CONTEXT: dict[str, object] = {}


def _dossier_chunk(chunk: int) -> dict:
    """Generates and writes chunk number `chunk` (run in a worker process, or inline)."""
    ctx: Context = _WORKER_CONTEXT["ctx"]  # type: ignore[assignment]
    base: Ids = _WORKER_CONTEXT["base"]  # type: ignore[assignment]
    ctx.rng = random.Random(f"{_WORKER_CONTEXT['seed']}-dossiers-{chunk}")
    writer = DossierWriter(ctx, chunk, base)
    tables = Tables()
    size = min(CHUNK, ctx.scale.dossiers - chunk * CHUNK)
    made = 0
    while made < size:
        made += writer.case(tables, size - made)
    written = {}
    with transaction.atomic():
        for name, (table, columns) in DOSSIER_TARGETS.items():
            written[name] = loader.copy_rows(table, columns, getattr(tables, name))
    return {
        "written": written,
        "validated": writer.validated,
        "citizens": [c for c in writer.sampled_citizens.values() if c["dossiers"]],
        "tracking": writer.tracking,
        "application_ids": writer.application_ids,
    }


def generate_dossiers(ctx: Context, seed: int, processes: int) -> None:
    from django.db import connections

    total = ctx.scale.dossiers
    chunks = math.ceil(total / CHUNK)
    base = Ids(
        dossier=loader.next_id(Dossier._meta.db_table),
        event=loader.next_id(DossierEvent._meta.db_table),
        predemande=loader.next_id(PreDemande._meta.db_table),
        title=loader.next_id(PreDemandeTitle._meta.db_table),
        production=loader.next_id(TitleProduction._meta.db_table),
    )
    _WORKER_CONTEXT.update(ctx=ctx, base=base, seed=seed)
    progress = loader.Progress("dossiers (with events, pré-demandes, productions)", total, ctx.out)
    written = dict.fromkeys(DOSSIER_TARGETS, 0)
    large = loader.is_postgresql() and total >= loader.REBUILD_THRESHOLD
    deferred = [loader.DeferredIndexes(table, ctx.out) for table, _columns in DOSSIER_TARGETS.values()] if large else []
    for item in deferred:
        item.__enter__()
    try:
        if processes > 1 and loader.is_postgresql() and chunks > 1:
            import multiprocessing

            connections.close_all()  # each forked worker opens its own connection
            with multiprocessing.get_context("fork").Pool(processes, initializer=connections.close_all) as pool:
                results = pool.imap(_dossier_chunk, range(chunks))
                for index, result in enumerate(results):
                    _merge_chunk(ctx, result, written)
                    progress.add(min(CHUNK, total - index * CHUNK))
        else:
            for index in range(chunks):
                _merge_chunk(ctx, _dossier_chunk(index), written)
                progress.add(min(CHUNK, total - index * CHUNK))
        progress.done()
    finally:
        for item in reversed(deferred):
            item.__exit__(None, None, None)
    ctx.rng = random.Random(f"{seed}-agendas")
    ctx.counts.update(
        dossiers=written["dossiers"],
        dossier_events=written["events"],
        predemandes=written["predemandes"],
        predemande_titles=written["titles"],
        title_productions=written["productions"],
    )
    ctx.out(
        f"  {written['dossiers']:,} dossiers, {written['events']:,} events, "
        f"{written['predemandes']:,} pré-demandes ({len(ctx.validated):,} validated), "
        f"{written['productions']:,} title productions"
    )


def _merge_chunk(ctx: Context, result: dict, written: dict[str, int]) -> None:
    for name, count in result["written"].items():
        written[name] += count
    ctx.validated.extend(result["validated"])
    ctx.samples.citizens.extend(result["citizens"])
    ctx.samples.tracking.extend(result["tracking"])
    ctx.samples.application_ids.extend(result["application_ids"])


# --- Agendas: slots and bookings -------------------------------------------------------------------------------


def _slot_days(ctx: Context) -> list[date]:
    first = timezone.localtime(ctx.now, PARIS).date() + timedelta(days=1)
    days = []
    holidays: set[date] = set()
    for year in {first.year, (first + timedelta(days=ctx.scale.slot_days)).year}:
        holidays |= french_public_holidays(year)
    for offset in range(ctx.scale.slot_days):
        day = first + timedelta(days=offset)
        if day.weekday() < 5 and day not in holidays:
            days.append(day)
    return days


def _day_slots(day: date) -> list[tuple[datetime, datetime]]:
    slots = []
    for opens, closes in OPENING:
        moment = datetime.combine(day, opens, tzinfo=PARIS)
        end = datetime.combine(day, closes, tzinfo=PARIS)
        while moment + timedelta(minutes=SLOT_MINUTES) <= end:
            following = moment + timedelta(minutes=SLOT_MINUTES)
            slots.append((moment.astimezone(UTC), following.astimezone(UTC)))
            moment = following
    return slots


def scale_sample(ctx: Context) -> int:
    return ctx.scale.sample_size


def generate_agendas(ctx: Context) -> None:
    days = _slot_days(ctx)
    per_day = [_day_slots(day) for day in days]
    first_month_end = days[0] + timedelta(days=30) if days else None
    slot_id = loader.next_id(Slot._meta.db_table)
    appointment_id = loader.next_id(Appointment._meta.db_table)
    link_id = loader.next_id(AppointmentSlot._meta.db_table)
    total_slots = sum(ctx.stations.values()) * sum(len(s) for s in per_day)
    rng = ctx.rng
    pool = list(ctx.validated)
    rng.shuffle(pool)
    # Keep a share of validated numbers free for the booking scenario.
    keep = min(scale_sample(ctx), len(pool) // 2)
    reserved, pool = pool[:keep], pool[keep:]
    ctx.samples.bookers = [{"email": _email(applicant), "number": number} for number, applicant, _mobile in reserved]
    appointments: list[tuple] = []
    links: list[tuple] = []
    booked_outside = 0

    def slot_rows() -> Iterator[tuple]:
        nonlocal slot_id, appointment_id, link_id, booked_outside
        for place in ctx.mairies:
            for station in range(1, ctx.stations[place.pk] + 1):
                for day, slots in zip(days, per_day, strict=True):
                    share = (
                        ctx.scale.booked_share_first_month
                        if first_month_end and day < first_month_end
                        else ctx.scale.booked_share_later
                    )
                    for starts_at, ends_at in slots:
                        yield (slot_id, station, starts_at, ends_at, place.pk)
                        if rng.random() < share:
                            if pool:
                                number, applicant, mobile = pool.pop()
                            else:
                                number, applicant, mobile = OUTSIDE_NUMBER(appointment_id), None, ""
                                booked_outside += 1
                            appointments.append(
                                (
                                    appointment_id,
                                    ctx.now,
                                    ctx.now,
                                    APPOINTMENT_REFERENCE(appointment_id),
                                    number,
                                    station,
                                    starts_at,
                                    ends_at,
                                    1,
                                    "booked",
                                    _email(applicant) if applicant else "",
                                    mobile,
                                    None,
                                    None,
                                    applicant,
                                    place.pk,
                                )
                            )
                            links.append((link_id, True, appointment_id, slot_id))
                            appointment_id += 1
                            link_id += 1
                        slot_id += 1

    ctx.counts["slots"] = loader.load(
        Slot._meta.db_table,
        ["id", "station", "starts_at", "ends_at", "place_id"],
        slot_rows(),
        expected=total_slots,
        out=ctx.out,
    )
    appointment_columns = [
        "id",
        "created_at",
        "updated_at",
        "reference",
        "application_id",
        "station",
        "starts_at",
        "ends_at",
        "files_count",
        "status",
        "contact_email",
        "contact_mobile",
        "cancelled_at",
        "reminder_sent_at",
        "booked_by_id",
        "place_id",
    ]
    ctx.counts["appointments"] = loader.load(
        Appointment._meta.db_table, appointment_columns, iter(appointments), expected=len(appointments), out=ctx.out
    )
    ctx.counts["appointment_slots"] = loader.load(
        AppointmentSlot._meta.db_table,
        ["id", "is_active", "appointment_id", "slot_id"],
        iter(links),
        expected=len(links),
        out=ctx.out,
    )
    ctx.out(f"  {len(appointments):,} bookings ({booked_outside:,} for pré-demandes made elsewhere)")


# --- Entry point ------------------------------------------------------------------------------------------------


def fixture_seed_key(seed: int) -> str:
    return hashlib.sha256(f"guichet-bench-{seed}".encode()).hexdigest()[:16]


def generate(
    *, scale: Scale, seed: int, out: Callable[[str], None] = print, now: datetime | None = None, processes: int = 2
) -> dict:
    """Writes the dataset into the current database (territory already imported); returns counts and samples."""
    rng = random.Random(seed)
    ctx = Context(scale=scale, rng=rng, now=(now or timezone.now()).replace(microsecond=0), out=out)
    # One real hash, computed once: every account shares it (argon2 per row would take days at 5 M).
    ctx.password_hash = make_password(PASSWORD, salt=fixture_seed_key(seed))
    with transaction.atomic():
        generate_places(ctx)
        generate_api_clients(ctx)
    generate_accounts(ctx)
    generate_dossiers(ctx, seed, processes)
    generate_agendas(ctx)
    loader.reset_sequences(
        [
            User._meta.db_table,
            Dossier._meta.db_table,
            DossierEvent._meta.db_table,
            PreDemande._meta.db_table,
            PreDemandeTitle._meta.db_table,
            TitleProduction._meta.db_table,
            Slot._meta.db_table,
            Appointment._meta.db_table,
            AppointmentSlot._meta.db_table,
        ]
    )
    loader.analyze()
    samples = ctx.samples
    return {
        "scale": scale.name,
        "seed": seed,
        "generated_at": ctx.now.isoformat(),
        "counts": ctx.counts,
        "password": PASSWORD,
        "editor_token": EDITOR_TOKEN,
        "hub_token": HUB_TOKEN,
        "samples": {
            "citizens": samples.citizens,
            "bookers": samples.bookers,
            "tracking": samples.tracking,
            "application_ids": samples.application_ids,
            "instructors": samples.instructors,
            "communes": samples.communes,
            "meeting_point_ids": samples.meeting_point_ids,
            "commune_codes": samples.commune_codes[:200],
        },
    }
