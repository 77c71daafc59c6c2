"""Controlled vocabularies of the national mediation-places schema (INTEROP.md §4), as exact strings.

The strings are data exchanged with the national map, so they stay as published (not translated).
"""

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

SERVICES: tuple[str, ...] = (
    "Aide aux démarches administratives",
    "Maîtrise des outils numériques du quotidien",
    "Accès internet et matériel informatique",
    "Utilisation sécurisée du numérique",
    "Insertion professionnelle via le numérique",
    "Parentalité et éducation avec le numérique",
    "Loisirs et créations numériques",
    "Compréhension du monde numérique",
    "Acquisition de matériel informatique à prix solidaire",
)
ACCESS_MODES: tuple[str, ...] = (
    "Se présenter",
    "Téléphoner",
    "Contacter par mail",
    "Envoyer un mail avec une fiche de prescription",
    "Prendre un RDV en ligne",
    "Ce lieu n'accueille pas de public",
)
SUPPORT_MODES: tuple[str, ...] = (
    "En autonomie",
    "Accompagnement individuel",
    "Dans un atelier collectif",
    "À distance",
)
FEES: tuple[str, ...] = ("Gratuit", "Gratuit sous condition", "Payant")
AUDIENCES: tuple[str, ...] = ("Jeunes", "Étudiants", "Familles et/ou enfants", "Seniors", "Femmes")
SPECIFIC_SUPPORT: tuple[str, ...] = (
    "Surdité",
    "Handicaps moteurs",
    "Handicaps mentaux",
    "Illettrisme",
    "Langues étrangères (anglais)",
    "Langues étrangères (autres)",
    "Déficience visuelle",
)
# The schema says the programme list "includes" these: other values are accepted and kept.
NATIONAL_PROGRAMMES: tuple[str, ...] = (
    "France Services",
    "Conseillers numériques",
    "Aidants Connect",
    "Point d'accès numérique CAF",
)
# A selection of the typologie codes; unknown codes are kept as text.
TYPOLOGIES: dict[str, str] = {
    "PREF": "Préfecture, sous-préfecture",
    "MUNI": "Municipalité",
    "RFS": "Réseau France Services",
    "MSAP": "Maison de services au public",
    "EPN": "Espace public numérique",
    "BIB": "Bibliothèque",
    "CCAS": "Centre communal d'action sociale",
    "CS": "Centre social",
    "ASSO": "Association",
    "LA_POSTE": "La Poste",
    "TIERS_LIEUX": "Tiers-lieu",
    "PIMMS": "Point information médiation multi-services",
    "Autre": "Autre",
}

# Place attribute → closed vocabulary its list must draw from.
CLOSED_LIST_FIELDS: Mapping[str, tuple[str, ...]] = {
    "services": SERVICES,
    "access_modes": ACCESS_MODES,
    "support_modes": SUPPORT_MODES,
    "fees": FEES,
    "audiences": AUDIENCES,
    "specific_support": SPECIFIC_SUPPORT,
}
OPEN_LIST_FIELDS: tuple[str, ...] = (
    "typologies",
    "itinerance",
    "national_programmes",
    "labels",
    "other_labels",
    "other_emails",
)


def unknown_values(values: Any, vocabulary: tuple[str, ...]) -> list[str]:
    return [value for value in values if value not in vocabulary]


def list_field_errors(place: Any) -> dict[str, list[str]]:
    """French errors for the list attributes of a place: lists of strings, closed ones within their vocabulary."""
    errors: dict[str, list[str]] = {}
    for name in (*CLOSED_LIST_FIELDS, *OPEN_LIST_FIELDS):
        values = getattr(place, name)
        if not isinstance(values, list) or not all(isinstance(value, str) and value.strip() for value in values):
            errors[name] = [_("Une liste de textes non vides est attendue.")]
            continue
        vocabulary = CLOSED_LIST_FIELDS.get(name)
        if vocabulary is not None:
            unknown = unknown_values(values, vocabulary)
            if unknown:
                errors[name] = [_("Valeur hors du vocabulaire national : %(values)s.") % {"values": ", ".join(unknown)}]
    return errors
