"""Seeds the rules the pré-demande reads: fees, validity, checklist thresholds, connected birth communes."""

from django.db import migrations

FEES_SOURCE = (
    "service-public.fr fiches F14929, F14930 (passeport), F1344, F1759 (CNI perte/vol), F1887 (CNI détériorée)"
)

ROWS = [
    # (key, territory, value, effective_from, source, note)
    (
        "identity_documents.fee.passport.adult",
        "",
        {"amount_cents": 8600},
        "2020-01-01",
        FEES_SOURCE,
        "86 € photo fournie (fiche 2020, toujours 86 € selon des pages municipales 2024-2025) ; début = date de la fiche",
    ),
    ("identity_documents.fee.passport.age_15_17", "", {"amount_cents": 4200}, "2020-01-01", FEES_SOURCE, ""),
    ("identity_documents.fee.passport.age_0_14", "", {"amount_cents": 1700}, "2020-01-01", FEES_SOURCE, ""),
    ("identity_documents.fee.passport.adult", "973", {"amount_cents": 4300}, "2020-01-01", FEES_SOURCE, "Guyane"),
    ("identity_documents.fee.passport.age_15_17", "973", {"amount_cents": 2100}, "2020-01-01", FEES_SOURCE, "Guyane"),
    ("identity_documents.fee.passport.age_0_14", "973", {"amount_cents": 850}, "2020-01-01", FEES_SOURCE, "Guyane"),
    (
        "identity_documents.fee.passport.adult",
        "976",
        {"amount_cents": 8600},
        "2020-01-01",
        FEES_SOURCE,
        "Mayotte : 86 € photo fournie (89 € avec photo prise au guichet, non géré ici)",
    ),
    (
        "identity_documents.fee.passport.age_15_17",
        "976",
        {"amount_cents": 4200},
        "2020-01-01",
        FEES_SOURCE,
        "Mayotte : + 3 € si photo prise au guichet (non géré ici)",
    ),
    (
        "identity_documents.fee.passport.age_0_14",
        "976",
        {"amount_cents": 1700},
        "2020-01-01",
        FEES_SOURCE,
        "Mayotte : + 3 € si photo prise au guichet (non géré ici)",
    ),
    (
        "identity_documents.fee.passport.age_bands",
        "",
        {"adult_from": 18, "teenager_from": 15},
        "2020-01-01",
        "service-public.fr fiche F14930",
        "0-14 ans, 15-17 ans, adulte",
    ),
    (
        "identity_documents.fee.cni.standard",
        "",
        {"amount_cents": 0},
        "2020-01-01",
        "service-public.fr F1341, F21089",
        "",
    ),
    (
        "identity_documents.fee.cni.loss_or_theft",
        "",
        {"amount_cents": 2500},
        "2020-01-01",
        "service-public.fr F1344, F1759",
        "",
    ),
    (
        "identity_documents.fee.cni.loss_or_theft",
        "973",
        {"amount_cents": 1250},
        "2020-01-01",
        "service-public.fr F1344, F1759",
        "Guyane",
    ),
    (
        "identity_documents.fee.cni.damage",
        "",
        {"amount_cents": 0, "is_unverified": True},
        "2020-01-01",
        "service-public.fr F1887",
        "traitée comme un renouvellement ; NON VÉRIFIÉ : 25 € peut-être dû même si la carte abîmée est rendue",
    ),
    (
        "identity_documents.predemande.validity_days",
        "",
        180,
        "2016-11-08",
        "DOMAIN.md §3.5 (durée réelle non vérifiée)",
        "VALEUR NON VÉRIFIÉE : 6 mois choisis comme durée plausible d'une pré-demande non utilisée",
    ),
    (
        "identity_documents.checklist.rules",
        "",
        {
            "photo_max_age_months": 6,
            "address_proof_max_age_months": 12,
            "birth_certificate_max_age_months": 3,
            "cni_expired_years_max": 5,
            "passport_expired_years_max_adult": 2,
            "passport_expired_years_max_minor": 5,
            "secure_passport_expired_years_max": 5,
            "secure_passport_since": "2006-05-01",
            "biometric_passport_since": "2009-06-29",
        },
        "2016-11-08",
        "service-public.fr F1341, F1342, F14929, F14930, F21089-F21092, F21246, F10619, F14807, F11603, F18713",
        "passeports « Delphine » délivrés jusqu'en avril 2006 ; biométriques depuis le 29 juin 2009",
    ),
    (
        "identity_documents.comedec.connected_communes",
        "",
        ["35238", "75056", "69123", "13055", "31555", "33063", "44109", "67482", "59350", "06088"],
        "2016-11-08",
        "DONNÉES DE DÉMONSTRATION",
        "liste de démonstration : la liste réelle des communes raccordées à COMEDEC n'est pas reprise ici",
    ),
]


def seed(apps, schema_editor):
    RegulatedValue = apps.get_model("core", "RegulatedValue")
    for key, territory, value, start, source, note in ROWS:
        RegulatedValue.objects.update_or_create(
            key=key,
            territory_code=territory,
            effective_from=start,
            defaults={"value": value, "source": source[:300], "note": note[:300]},
        )


def unseed(apps, schema_editor):
    RegulatedValue = apps.get_model("core", "RegulatedValue")
    for key, territory, _value, start, _source, _note in ROWS:
        RegulatedValue.objects.filter(key=key, territory_code=territory, effective_from=start).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("identity_documents", "0001_initial"),
        ("core", "0001_regulated_value"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
