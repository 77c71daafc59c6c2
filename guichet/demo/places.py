"""The demo département's places (Ille-et-Vilaine, 35).

Which mairies hold a collection station is not public data here: the demo chooses, plausibly, the
préfecture and sous-préfecture towns and a few larger communes, and says so on the pages that list them.
"""

from dataclasses import dataclass, field

from guichet.territory.models import PlaceKind

DEMO_DEPARTMENT = "35"
WEEKDAY_HOURS = "Mo-Fr 08:30-12:00,13:30-17:00"


@dataclass(frozen=True)
class DemoPlace:
    key: str
    kind: str
    name: str
    commune_code: str
    address: str
    postal_code: str
    opening_hours: str = WEEKDAY_HOURS
    collection_stations: int = 0
    siret: str = ""
    accessibility: str = "Accès de plain-pied, place de stationnement réservée."
    served_departments: tuple[str, ...] = field(default_factory=tuple)


DEMO_PLACES: tuple[DemoPlace, ...] = (
    DemoPlace(
        "prefecture",
        PlaceKind.PREFECTURE,
        "Préfecture d'Ille-et-Vilaine",
        "35238",
        "3 avenue de la Préfecture",
        "35000",
    ),
    DemoPlace(
        "sp_saint_malo",
        PlaceKind.SOUS_PREFECTURE,
        "Sous-préfecture de Saint-Malo",
        "35288",
        "25 avenue Jean Jaurès",
        "35400",
    ),
    DemoPlace(
        "sp_fougeres",
        PlaceKind.SOUS_PREFECTURE,
        "Sous-préfecture de Fougères",
        "35115",
        "1 avenue François Mitterrand",
        "35300",
    ),
    DemoPlace("sp_redon", PlaceKind.SOUS_PREFECTURE, "Sous-préfecture de Redon", "35236", "5 rue Richelieu", "35600"),
    DemoPlace(
        "pn_prefecture",
        PlaceKind.POINT_NUMERIQUE,
        "Point numérique — préfecture d'Ille-et-Vilaine",
        "35238",
        "3 avenue de la Préfecture",
        "35000",
        "Mo-Fr 09:00-12:00,14:00-16:30",
    ),
    DemoPlace(
        "pn_saint_malo",
        PlaceKind.POINT_NUMERIQUE,
        "Point numérique — sous-préfecture de Saint-Malo",
        "35288",
        "25 avenue Jean Jaurès",
        "35400",
        "Mo,We,Fr 09:00-12:00",
    ),
    DemoPlace(
        "pn_fougeres",
        PlaceKind.POINT_NUMERIQUE,
        "Point numérique — sous-préfecture de Fougères",
        "35115",
        "1 avenue François Mitterrand",
        "35300",
        "Tu,Th 09:00-12:00,14:00-16:00",
    ),
    DemoPlace(
        "mairie_rennes",
        PlaceKind.MAIRIE,
        "Mairie de Rennes",
        "35238",
        "Place de la Mairie",
        "35000",
        "Mo-Fr 08:30-17:00; Sa 09:00-12:00",
        6,
    ),
    DemoPlace(
        "mairie_saint_malo",
        PlaceKind.MAIRIE,
        "Mairie de Saint-Malo",
        "35288",
        "Place Chateaubriand",
        "35400",
        WEEKDAY_HOURS,
        3,
    ),
    DemoPlace(
        "mairie_fougeres", PlaceKind.MAIRIE, "Mairie de Fougères", "35115", "2 rue Nationale", "35300", WEEKDAY_HOURS, 2
    ),
    DemoPlace(
        "mairie_vitre", PlaceKind.MAIRIE, "Mairie de Vitré", "35360", "5 place du Château", "35500", WEEKDAY_HOURS, 2
    ),
    DemoPlace(
        "mairie_redon", PlaceKind.MAIRIE, "Mairie de Redon", "35236", "Place Saint-Sauveur", "35600", WEEKDAY_HOURS, 1
    ),
    DemoPlace(
        "mairie_bruz", PlaceKind.MAIRIE, "Mairie de Bruz", "35047", "4 place du Docteur Joly", "35170", WEEKDAY_HOURS, 1
    ),
    DemoPlace(
        "mairie_cesson",
        PlaceKind.MAIRIE,
        "Mairie de Cesson-Sévigné",
        "35051",
        "1 esplanade de l'Hôtel de Ville",
        "35510",
        WEEKDAY_HOURS,
        1,
    ),
    DemoPlace(
        "mairie_betton",
        PlaceKind.MAIRIE,
        "Mairie de Betton",
        "35024",
        "Place Charles de Gaulle",
        "35830",
        WEEKDAY_HOURS,
        0,
    ),
    DemoPlace(
        "en_mordelles",
        PlaceKind.ESPACE_NUMERIQUE,
        "France Services de Mordelles",
        "35196",
        "Rue du Pont",
        "35310",
        "Mo-Fr 09:00-12:30",
    ),
    DemoPlace(
        "en_saint_jacques",
        PlaceKind.ESPACE_NUMERIQUE,
        "Médiathèque de Saint-Jacques-de-la-Lande",
        "35281",
        "Allée de la Médiathèque",
        "35136",
        "Tu-Sa 10:00-12:30,14:00-18:00",
    ),
    DemoPlace(
        "cert_rennes",
        PlaceKind.INSTRUCTION_CENTRE,
        "CERT titres d'identité de Rennes",
        "35238",
        "Cité administrative",
        "35000",
        WEEKDAY_HOURS,
        served_departments=("22", "29", "35", "56"),
    ),
    DemoPlace(
        "auto_ecole",
        PlaceKind.DRIVING_SCHOOL,
        "Auto-école du Thabor",
        "35238",
        "12 rue de Paris",
        "35000",
        "Mo-Sa 09:00-19:00",
        siret="12345678900015",
    ),
    DemoPlace(
        "garage",
        PlaceKind.CAR_PROFESSIONAL,
        "Garage de la Vilaine",
        "35066",
        "ZA de la Conterie",
        "35131",
        "Mo-Fr 08:00-18:00",
        siret="98765432100023",
    ),
)
