"""Dossier accesses opened by client mandates become `trusted_party` grants (they were `representative`, which the
citizen portal accepts); mediation grants and a relative's representative grants are left as they are."""

from django.db import migrations


def _convert(apps, old: str, new: str) -> None:
    DossierAccess = apps.get_model("dossiers", "DossierAccess")
    MandateDossierAccess = apps.get_model("mandates", "MandateDossierAccess")
    linked = MandateDossierAccess.objects.filter(mandate__kind="client").values("access_id")
    DossierAccess.objects.filter(pk__in=linked, role=old).update(role=new)


def forwards(apps, schema_editor) -> None:
    _convert(apps, "representative", "trusted_party")


def backwards(apps, schema_editor) -> None:
    _convert(apps, "trusted_party", "representative")


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0003_access_role_trusted_party"),
        ("mandates", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
