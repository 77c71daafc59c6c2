"""Test data for pré-demandes: a small territory and a helper that fills every step through the real forms."""

from datetime import date
from typing import Any

import pytest

from guichet.territory.models import Commune, Department, PostalCode, Region

from .. import predemande as services
from ..forms import STEP_FORMS
from ..models import PreDemande

# code, name, département, postal codes
COMMUNES = [
    ("35238", "Rennes", "35", ["35000", "35200", "35700"]),
    ("35051", "Cesson-Sévigné", "35", ["35510"]),
    ("35206", "Montgermont", "35", ["35760"]),
    ("35281", "Saint-Grégoire", "35", ["35760"]),
    ("75056", "Paris", "75", ["75001"]),
    ("97302", "Cayenne", "973", ["97300"]),
    ("97611", "Mamoudzou", "976", ["97600"]),
]
REGIONS = {"35": ("53", "Bretagne"), "75": ("11", "Île-de-France"), "973": ("03", "Guyane"), "976": ("06", "Mayotte")}


@pytest.fixture
def communes(db) -> dict[str, Commune]:
    return create_communes()


def create_communes() -> dict[str, Commune]:
    created = {}
    for code, name, department_code, postal_codes in COMMUNES:
        region_code, region_name = REGIONS[department_code]
        region, _ = Region.objects.get_or_create(code=region_code, defaults={"name": region_name})
        department, _ = Department.objects.get_or_create(
            code=department_code, defaults={"name": department_code, "region": region}
        )
        created[code] = Commune.objects.create(code=code, name=name, department=department, region=region)
        for postal_code in postal_codes:
            PostalCode.objects.create(code=postal_code, commune_code=code)
    return created


ADULT_BIRTH = date(1990, 5, 17)


def step_values(**overrides: Any) -> dict[str, dict[str, Any]]:
    """Valid POST data for every step, by step key; `overrides` maps step key → fields to change."""
    values: dict[str, dict[str, Any]] = {
        services.CIVIL_STATUS: {
            "last_name": "Martin",
            "usage_name": "",
            "given_names": "Camille Anne",
            "sex": "F",
            "birth_date": ADULT_BIRTH.isoformat(),
            "born_abroad": "0",
            "birth_commune_code": "35051",
        },
        services.PARENTS: {
            "parent1_last_name": "Martin",
            "parent1_given_names": "Jean",
            "parent1_birth_date": "1960-02-03",
            "parent1_birth_place": "Rennes",
            "parent2_last_name": "Le Goff",
            "parent2_given_names": "Marie",
            "parent2_birth_date": "1962-09-30",
            "parent2_birth_place": "Brest",
        },
        services.PHYSICAL: {"height_cm": "168", "eye_colour": "green"},
        services.ADDRESS: {
            "street": "3 rue de la Monnaie",
            "complement": "",
            "postal_code": "35000",
            "commune_code": "35238",
        },
        services.CONTACT: {"mobile_phone": ""},
        services.PREVIOUS_TITLES: {},
    }
    for step, changes in overrides.items():
        values[step] = {**values[step], **changes}
    return values


def fill_steps(
    predemande: PreDemande, actor: Any, values: dict[str, dict[str, Any]], *, today: date | None = None
) -> None:
    for step in services.STEPS:
        form = STEP_FORMS[step](values[step], predemande=predemande, today=today)
        assert form.is_valid(), (step, form.errors)
        services.predemande_save_step(predemande=predemande, step=step, values=form.values(), actor=actor)


def make_predemande(
    applicant: Any,
    *,
    titles: tuple[str, ...] = ("cni",),
    motive: str = "first",
    is_for_minor: bool = False,
    representative: dict[str, Any] | None = None,
    validate: bool = True,
    **overrides: Any,
) -> PreDemande:
    predemande = services.predemande_start(
        applicant=applicant,
        actor=applicant,
        titles=titles,
        motive=motive,
        is_for_minor=is_for_minor,
        representative=representative,
    )
    fill_steps(predemande, applicant, step_values(**overrides))
    if validate:
        services.predemande_validate(predemande=predemande, actor=applicant)
    predemande.refresh_from_db()
    return predemande


@pytest.fixture
def regulated_values(db) -> None:
    """Re-seeds the rows of the data migrations: tests with `transaction=True` start from a flushed database."""
    seed_regulated_values()


def seed_regulated_values() -> None:
    from guichet.testing.reference_data import reference_data_reseed

    reference_data_reseed()
