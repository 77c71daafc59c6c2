"""How long a mandate may last: a fixed menu, so that every mandate reads the same way to citizens and agents."""

import calendar
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class MandateDuration:
    key: str
    label: str | Promise
    days: int = 0
    months: int = 0
    until_end_of_day: bool = False

    def end_from(self, start: datetime) -> datetime:
        """When a mandate consented at `start` ends (exclusive), in the local time zone."""
        local = timezone.localtime(start)
        if self.until_end_of_day:
            tomorrow = local.date() + timedelta(days=1)
            return timezone.make_aware(datetime.combine(tomorrow, time.min), local.tzinfo)  # type: ignore[arg-type]
        if self.months:
            return _add_months(local, self.months)
        return local + timedelta(days=self.days)


def _add_months(moment: datetime, months: int) -> datetime:
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


SESSION = "session"
MANDATE_DURATIONS: tuple[MandateDuration, ...] = (
    MandateDuration(SESSION, _("Le temps du rendez-vous (jusqu'à minuit ce soir au plus tard)"), until_end_of_day=True),
    MandateDuration("one_week", _("Une semaine"), days=7),
    MandateDuration("one_month", _("Un mois"), months=1),
    MandateDuration("three_months", _("Trois mois"), months=3),
)
_BY_KEY = {duration.key: duration for duration in MANDATE_DURATIONS}


def duration_choices() -> list[tuple[str, str]]:
    return [(duration.key, str(duration.label)) for duration in MANDATE_DURATIONS]


def duration_get(key: str) -> MandateDuration | None:
    return _BY_KEY.get(key)
