"""Re-runs the data migrations' seeding code (RunPython forwards), for tests whose database was flushed."""

import functools

from django.apps import apps
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations.special import RunPython

_GUICHET_PREFIX = "guichet"


@functools.cache
def _seeding_operations() -> list[RunPython]:
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    operations = []
    for (app_label, _name), migration in sorted(loader.disk_migrations.items()):
        app_config = apps.get_app_config(app_label)
        if not app_config.name.startswith(_GUICHET_PREFIX):
            continue
        operations += [op for op in migration.operations if isinstance(op, RunPython)]
    return operations


def reference_data_reseed() -> None:
    """Every seeding function is idempotent (get_or_create / update_or_create), so this is safe to repeat."""
    # The seeding functions only write rows: they need no schema editor (SQLite refuses one inside a transaction).
    with transaction.atomic():
        for operation in _seeding_operations():
            operation.code(apps, None)  # type: ignore[arg-type]  # real models stand in for historical ones


def reference_data_missing() -> bool:
    """Cheap check: the decision motives, the regulated values and the help content are seeded by data migrations."""
    from guichet.core.models import RegulatedValue
    from guichet.help.models import LexiconTerm
    from guichet.instruction.models import DecisionMotive

    return not (RegulatedValue.objects.exists() and DecisionMotive.objects.exists() and LexiconTerm.objects.exists())
