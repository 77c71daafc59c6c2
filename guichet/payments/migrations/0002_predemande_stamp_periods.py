"""Seeds how long an electronic fiscal stamp may be used and refunded (DOMAIN.md §3.8: current values unverified)."""

from django.db import migrations

SOURCE = "DOMAIN.md §3.8 ; service-public.fr R47754, F21258, R42647"
ROWS = [
    (
        "payments.fiscal_stamp.validity_days",
        365,
        "VALEUR NON VÉRIFIÉE : 6 mois au lancement (2015), 12 mois pendant la crise sanitaire ; 12 mois retenus",
    ),
    (
        "payments.fiscal_stamp.refund_days",
        548,
        "VALEUR NON VÉRIFIÉE : 1 an au lancement (2015), 18 mois pendant la crise sanitaire ; 18 mois retenus",
    ),
]


def seed(apps, schema_editor):
    RegulatedValue = apps.get_model("core", "RegulatedValue")
    for key, value, note in ROWS:
        RegulatedValue.objects.update_or_create(
            key=key,
            territory_code="",
            effective_from="2015-01-01",
            defaults={"value": value, "source": SOURCE, "note": note},
        )


def unseed(apps, schema_editor):
    RegulatedValue = apps.get_model("core", "RegulatedValue")
    RegulatedValue.objects.filter(key__in=[key for key, _v, _n in ROWS], effective_from="2015-01-01").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("payments", "0001_initial"),
        ("core", "0001_regulated_value"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
