"""Reading rules that change over time: `regulated_value("passport.fee.adult", on=date)`."""

from datetime import date
from typing import Any

from django.db.models import Q

from .exceptions import DomainError
from .models import RegulatedValue


class RegulatedValueMissing(DomainError):
    code = "regulated_value_missing"


def regulated_value(key: str, *, on: date, territory_code: str = "") -> Any:
    """The value in force on `on`; a territory-specific row wins over the national one."""
    rows = RegulatedValue.objects.filter(key=key, effective_from__lte=on).filter(
        Q(effective_until__isnull=True) | Q(effective_until__gt=on)
    )
    candidates = [territory_code, ""] if territory_code else [""]
    by_territory = {row.territory_code: row for row in rows.filter(territory_code__in=candidates)}
    for code in candidates:
        if code in by_territory:
            return by_territory[code].value
    raise RegulatedValueMissing(f"Aucune valeur en vigueur pour « {key} » au {on:%d/%m/%Y}.", key=key)
