"""Motives that say nothing on their own ("other") require the instructor's free text."""

from django.db import migrations, models

MOTIVES_NEEDING_DETAILS = ["other"]


def mark(apps, schema_editor):
    DecisionMotive = apps.get_model("instruction", "DecisionMotive")
    DecisionMotive.objects.filter(code__in=MOTIVES_NEEDING_DETAILS).update(needs_details=True)


class Migration(migrations.Migration):
    dependencies = [("instruction", "0002_seed_decision_motives")]

    operations = [
        migrations.AddField(
            model_name="decisionmotive",
            name="needs_details",
            field=models.BooleanField(
                default=False,
                help_text="Le texte libre est obligatoire avec ce motif.",
                verbose_name="précisions obligatoires",
            ),
        ),
        migrations.RunPython(mark, migrations.RunPython.noop),
    ]
