"""Starting list of decision motives. Wording is ours; administrators edit the list in the admin."""

from django.db import migrations

MOTIVES = [
    # code, decision, label, procedures, position
    ("conditions_met", "accept", "Les conditions de délivrance sont remplies", [], 10),
    ("conditions_met_after_complement", "accept", "Conditions remplies après complément", [], 20),
    ("identity_not_established", "refuse", "Identité non établie", [], 10),
    ("nationality_not_established", "refuse", "Nationalité française non justifiée", ["cni", "passeport"], 20),
    ("fraud_suspected", "refuse", "Pièces présentées non authentiques ou falsifiées", [], 30),
    ("complement_not_provided", "refuse", "Complément demandé non fourni", [], 40),
    ("duplicate_request", "refuse", "Une autre demande du même titre est en cours", ["cni", "passeport"], 50),
    ("renewal_not_allowed", "refuse", "Renouvellement non justifié à cette date", ["cni", "passeport"], 60),
    ("other", "refuse", "Autre motif (précisé ci-dessous)", [], 90),
]


def seed(apps, schema_editor):
    DecisionMotive = apps.get_model("instruction", "DecisionMotive")
    for code, decision, label, procedures, position in MOTIVES:
        DecisionMotive.objects.get_or_create(
            code=code, defaults={"decision": decision, "label": label, "procedures": procedures, "position": position}
        )


class Migration(migrations.Migration):
    dependencies = [("instruction", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
