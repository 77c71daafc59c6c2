"""A small slice of the real territory for tests of the demo data: Brittany's départements and the communes of
the demo places (names and centres as in the imported COG/GeoNames data)."""

from guichet.territory.models import Commune, Department, Region

DEPARTMENTS = [
    ("22", "Côtes-d'Armor", "22278"),
    ("29", "Finistère", "29232"),
    ("35", "Ille-et-Vilaine", "35238"),
    ("56", "Morbihan", "56260"),
]
# code, name, latitude, longitude
COMMUNES = [
    ("35238", "Rennes", 48.11109, -1.67431),
    ("35288", "Saint-Malo", 48.64738, -2.00877),
    ("35115", "Fougères", 48.35157, -1.19961),
    ("35360", "Vitré", 48.12279, -1.20983),
    ("35236", "Redon", 47.65165, -2.08421),
    ("35047", "Bruz", 48.02459, -1.74709),
    ("35051", "Cesson-Sévigné", 48.1212, -1.603),
    ("35024", "Betton", 48.18, -1.64),
    ("35196", "Mordelles", 48.07, -1.85),
    ("35281", "Saint-Jacques-de-la-Lande", 48.09, -1.72),
    ("35066", "Chartres-de-Bretagne", 48.04, -1.70),
]


def demo_territory_create() -> None:
    region, _ = Region.objects.get_or_create(code="53", defaults={"name": "Bretagne"})
    for code, name, chef_lieu in DEPARTMENTS:
        Department.objects.get_or_create(
            code=code, defaults={"name": name, "region": region, "chef_lieu_code": chef_lieu}
        )
    for code, name, latitude, longitude in COMMUNES:
        Commune.objects.get_or_create(
            code=code,
            kind="commune-actuelle",
            defaults={
                "name": name,
                "search_name": name.lower(),
                "department_id": code[:2],
                "region": region,
                "latitude": latitude,
                "longitude": longitude,
            },
        )
