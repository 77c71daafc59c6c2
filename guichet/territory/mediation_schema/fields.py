"""The national schema's fields, their vocabularies and limits, and how they map to Place attributes."""

import re

from .. import vocabularies
from ..models import PlaceKind

FIELDS: tuple[str, ...] = (
    "id",
    "nom",
    "pivot",
    "commune",
    "code_postal",
    "code_insee",
    "adresse",
    "complement_adresse",
    "latitude",
    "longitude",
    "typologie",
    "services",
    "structure_parente",
    "telephone",
    "courriels",
    "site_web",
    "presentation_resume",
    "presentation_detail",
    "publics_specifiquement_adresses",
    "prise_en_charge_specifique",
    "frais_a_charge",
    "modalites_acces",
    "modalites_accompagnement",
    "fiche_acces_libre",
    "itinerance",
    "dispositif_programmes_nationaux",
    "formations_labels",
    "autres_formations_labels",
    "horaires",
    "prise_rdv",
    "date_maj",
    "source",
)
REQUIRED: tuple[str, ...] = ("id", "nom", "pivot", "commune", "code_postal", "adresse", "date_maj")
SEPARATOR = "|"
# Schema field → closed vocabulary (multi-valued).
CLOSED_VOCABULARIES: dict[str, tuple[str, ...]] = {
    "services": vocabularies.SERVICES,
    "modalites_acces": vocabularies.ACCESS_MODES,
    "modalites_accompagnement": vocabularies.SUPPORT_MODES,
    "frais_a_charge": vocabularies.FEES,
    "publics_specifiquement_adresses": vocabularies.AUDIENCES,
    "prise_en_charge_specifique": vocabularies.SPECIFIC_SUPPORT,
}
# Schema field → Place attribute, for the multi-valued fields stored as lists.
LIST_ATTRIBUTES: dict[str, str] = {
    "typologie": "typologies",
    "services": "services",
    "publics_specifiquement_adresses": "audiences",
    "prise_en_charge_specifique": "specific_support",
    "frais_a_charge": "fees",
    "modalites_acces": "access_modes",
    "modalites_accompagnement": "support_modes",
    "itinerance": "itinerance",
    "dispositif_programmes_nationaux": "national_programmes",
    "formations_labels": "labels",
    "autres_formations_labels": "other_labels",
}
# Schema field → Place attribute, for the plain text fields.
TEXT_ATTRIBUTES: dict[str, str] = {
    "nom": "name",
    "commune": "city",
    "code_postal": "postal_code",
    "code_insee": "commune_code",
    "adresse": "address",
    "complement_adresse": "address_complement",
    "structure_parente": "parent_structure",
    "telephone": "phone",
    "site_web": "website",
    "presentation_resume": "summary",
    "presentation_detail": "description",
    "fiche_acces_libre": "accessibility_url",
    "horaires": "opening_hours",
    "prise_rdv": "appointment_url",
    "source": "source",
}
URL_FIELDS = ("site_web", "fiche_acces_libre", "prise_rdv")
# Places of these kinds are mediation places (or help a citizen with a title) and go to the national map.
EXPORTED_KINDS: tuple[str, ...] = (
    PlaceKind.POINT_NUMERIQUE,
    PlaceKind.ESPACE_NUMERIQUE,
    PlaceKind.MAIRIE,
    PlaceKind.PREFECTURE,
    PlaceKind.SOUS_PREFECTURE,
)
KIND_TYPOLOGIES: dict[str, str] = {
    PlaceKind.POINT_NUMERIQUE: "PREF",
    PlaceKind.PREFECTURE: "PREF",
    PlaceKind.SOUS_PREFECTURE: "PREF",
    PlaceKind.MAIRIE: "MUNI",
    PlaceKind.ESPACE_NUMERIQUE: "Autre",
}
PIVOT_PATTERN = re.compile(r"^(?:\d{14}|W\d{9})$")
GUICHET_ID_PATTERN = re.compile(r"^guichet-(\d+)$")
MAX_LENGTHS: dict[str, int] = {
    "id": 100,
    "nom": 200,
    "commune": 150,
    "adresse": 250,
    "complement_adresse": 250,
    "structure_parente": 200,
    "telephone": 30,
    "presentation_resume": 500,
    "horaires": 500,
    "source": 100,
}
