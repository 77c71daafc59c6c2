"""Durations used by the counter, production and hand-over. Figures are data with effective dates."""

from datetime import date

from django.db import migrations

VALUES = [
    (
        "identity.fingerprints.minimum_age",
        12,
        "service-public.fr F1342 / F14930 : empreintes relevées à partir de 12 ans",
        "",
    ),
    (
        "identity.production.delay_hours",
        {"min": 48, "max": 240},
        "Ordre de grandeur des délais de fabrication constatés (ANTS) — à vérifier, simulation seulement",
        "simulated printer: random delay between min and max hours after the decision",
    ),
    (
        "identity.shipping.delay_hours",
        {"min": 24, "max": 72},
        "Ordre de grandeur de l'acheminement vers la mairie — à vérifier, simulation seulement",
        "simulated carrier: delay between printing and availability at the mairie",
    ),
    (
        "identity.collection.period_months",
        3,
        "service-public.fr F1341 / F14929 : retrait sous 3 mois, sinon le titre est détruit",
        "",
    ),
    (
        "identity.collection.reminder_days_before",
        [30, 7],
        "Choix de la plateforme : rappels avant la destruction (aucune règle publiée)",
        "days before the collection deadline",
    ),
]


def seed(apps, schema_editor):
    RegulatedValue = apps.get_model("core", "RegulatedValue")
    for key, value, source, note in VALUES:
        RegulatedValue.objects.get_or_create(
            key=key,
            territory_code="",
            effective_from=date(2016, 11, 8),
            defaults={"value": value, "source": source, "note": note},
        )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_regulated_value"),
        ("identity_documents", "0002_counter_sessions_and_production"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
