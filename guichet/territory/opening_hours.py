"""Opening hours in the OpenStreetMap `opening_hours` syntax, restricted to what public offices write.

Supported: `24/7`; rules separated by `;`; an optional day selector made of days (`Mo`…`Su`), day ranges
(`Mo-Fr`, and wrapping ranges such as `Fr-Mo`) and `PH` (public holidays), comma-separated; then either a
comma-separated list of time spans (`09:00-12:00,14:00-17:00`) or `off` / `closed`. A rule without a day
selector applies to every day. As in OpenStreetMap, a later rule replaces earlier ones on the days it selects,
so `Mo-Fr 09:00-17:00; We 09:00-12:00; PH off` closes on Wednesday afternoons and on public holidays.

Not supported, and reported as such: spans past midnight, months, weeks, school holidays (`SH`), comments,
`open`/`unknown` modifiers. Times are read in the place's local time (Europe/Paris unless told otherwise).
"""

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

PARIS = ZoneInfo("Europe/Paris")
DAY_CODES = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
PUBLIC_HOLIDAY = "PH"
MINUTES_PER_DAY = 24 * 60

DAY_NAMES = (
    gettext_lazy("lundi"),
    gettext_lazy("mardi"),
    gettext_lazy("mercredi"),
    gettext_lazy("jeudi"),
    gettext_lazy("vendredi"),
    gettext_lazy("samedi"),
    gettext_lazy("dimanche"),
)

_TIME_SPAN = re.compile(r"^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$")
_DAY_RANGE = re.compile(r"^([A-Za-z]+)-([A-Za-z]+)$")
_SPACES_AROUND_SEPARATORS = re.compile(r"\s*([,\-])\s*")
_CLOSED_WORDS = {"off", "closed"}


class OpeningHoursError(ValueError):
    """The specification cannot be read; `messages` lists every problem, in French."""

    def __init__(self, messages: list[str]) -> None:
        self.messages = messages
        super().__init__(" ".join(messages))


@dataclass(frozen=True)
class TimeSpan:
    start: int  # minutes since midnight
    end: int  # minutes since midnight, at most 24:00

    def contains(self, minute: float) -> bool:
        return self.start <= minute < self.end


@dataclass(frozen=True)
class DayItem:
    """One element of a day selector as written: a single day, a range of days, or the public holidays."""

    first: int | None  # index in DAY_CODES; None for public holidays
    last: int | None

    @property
    def is_public_holiday(self) -> bool:
        return self.first is None

    def weekdays(self) -> set[int]:
        if self.first is None or self.last is None:
            return set()
        length = (self.last - self.first) % 7
        return {(self.first + offset) % 7 for offset in range(length + 1)}


@dataclass(frozen=True)
class Rule:
    day_items: tuple[DayItem, ...]  # empty: every day
    spans: tuple[TimeSpan, ...]  # empty: closed on the selected days
    is_always_open: bool = False

    @property
    def is_closed(self) -> bool:
        return not self.is_always_open and not self.spans

    def selects(self, day: date, *, is_public_holiday: bool) -> bool:
        if self.is_always_open or not self.day_items:
            return True
        for item in self.day_items:
            if item.is_public_holiday:
                if is_public_holiday:
                    return True
            elif day.weekday() in item.weekdays():
                return True
        return False

    def is_open_at_minute(self, minute: float) -> bool:
        return self.is_always_open or any(span.contains(minute) for span in self.spans)


@dataclass(frozen=True)
class Schedule:
    rules: tuple[Rule, ...]

    def rule_for(self, day: date, *, is_public_holiday: bool) -> Rule | None:
        """The rule that decides for this day: the last one selecting it, as in OpenStreetMap."""
        chosen = None
        for rule in self.rules:
            if rule.selects(day, is_public_holiday=is_public_holiday):
                chosen = rule
        return chosen


# --- parsing -------------------------------------------------------------------------------------------------


def parse(spec: str) -> Schedule:
    """Reads a specification; raises OpeningHoursError listing every problem found."""
    if not isinstance(spec, str) or not spec.strip():
        raise OpeningHoursError([_("Les horaires sont vides : indiquez par exemple « Mo-Fr 09:00-12:00 ».")])
    raw_rules = spec.split(";")
    if len(raw_rules) > 1 and not raw_rules[-1].strip():
        raw_rules.pop()  # a trailing « ; » is harmless
    rules: list[Rule] = []
    messages: list[str] = []
    for number, raw_rule in enumerate(raw_rules, start=1):
        problems: list[str] = []
        rule = _parse_rule(raw_rule.strip(), problems)
        if problems:
            label = raw_rule.strip()
            for problem in problems:
                if label:
                    context = {"number": number, "rule": label, "problem": problem}
                    messages.append(_("Règle %(number)d (« %(rule)s ») : %(problem)s") % context)
                else:
                    messages.append(_("Règle %(number)d : %(problem)s") % {"number": number, "problem": problem})
        elif rule is not None:
            rules.append(rule)
    if messages:
        raise OpeningHoursError(messages)
    return Schedule(rules=tuple(rules))


def validate(spec: str) -> list[str]:
    """The French error messages for a specification; an empty list means it is valid."""
    try:
        parse(spec)
    except OpeningHoursError as error:
        return error.messages
    return []


def _parse_rule(text: str, problems: list[str]) -> Rule | None:
    if not text:
        problems.append(_("la règle est vide (deux « ; » se suivent)."))
        return None
    if text == "24/7":
        return Rule(day_items=(), spans=(), is_always_open=True)
    tokens = _SPACES_AROUND_SEPARATORS.sub(r"\1", text).split()
    day_items: tuple[DayItem, ...] = ()
    if tokens and tokens[0][:1].isalpha() and tokens[0].lower() not in _CLOSED_WORDS:
        day_items = _parse_day_selector(tokens.pop(0), problems)
    if not tokens:
        problems.append(_("indiquez des horaires (par exemple 09:00-12:00) ou « off » après les jours."))
        return None
    if len(tokens) > 1:
        problems.append(
            _("« %(extra)s » n'est pas compris ; séparez les règles par « ; ».") % {"extra": " ".join(tokens[1:])}
        )
        return None
    body = tokens[0]
    if body.lower() in _CLOSED_WORDS:
        return Rule(day_items=day_items, spans=())
    if body == "24/7":
        problems.append(_("« 24/7 » s'écrit seul, sans jours."))
        return None
    spans = _parse_time_spans(body, problems)
    return Rule(day_items=day_items, spans=spans)


def _parse_day_selector(text: str, problems: list[str]) -> tuple[DayItem, ...]:
    items: list[DayItem] = []
    for part in text.split(","):
        if not part:
            problems.append(_("la liste de jours contient une virgule en trop."))
            continue
        if part == PUBLIC_HOLIDAY:
            items.append(DayItem(first=None, last=None))
            continue
        if part == "SH":
            problems.append(_("les vacances scolaires (SH) ne sont pas prises en charge."))
            continue
        range_match = _DAY_RANGE.match(part)
        names = [range_match.group(1), range_match.group(2)] if range_match else [part]
        indexes = [_day_index(name, problems) for name in names]
        if any(index is None for index in indexes):
            continue
        first, last = indexes[0], indexes[-1]
        items.append(DayItem(first=first, last=last))
    return tuple(items)


def _day_index(name: str, problems: list[str]) -> int | None:
    if name in DAY_CODES:
        return DAY_CODES.index(name)
    problems.append(
        _("jour inconnu « %(day)s » ; utilisez Mo, Tu, We, Th, Fr, Sa, Su ou PH (jours fériés).") % {"day": name}
    )
    return None


def _parse_time_spans(text: str, problems: list[str]) -> tuple[TimeSpan, ...]:
    spans: list[TimeSpan] = []
    for part in text.split(","):
        span = _parse_time_span(part, problems)
        if span is not None:
            spans.append(span)
    ordered = sorted(spans, key=lambda span: span.start)
    for previous, following in itertools.pairwise(ordered):
        if following.start < previous.end:
            problems.append(
                _("les plages %(first)s et %(second)s se chevauchent.")
                % {"first": _format_span(previous), "second": _format_span(following)}
            )
    return tuple(ordered)


def _parse_time_span(text: str, problems: list[str]) -> TimeSpan | None:
    match = _TIME_SPAN.match(text)
    if not match:
        problems.append(
            _("« %(value)s » n'est pas une plage horaire ; écrivez par exemple 09:00-12:00.") % {"value": text}
        )
        return None
    start_hour, start_minute, end_hour, end_minute = (int(group) for group in match.groups())
    start = _minutes(start_hour, start_minute, problems, text, is_end=False)
    end = _minutes(end_hour, end_minute, problems, text, is_end=True)
    if start is None or end is None:
        return None
    if end <= start:
        problems.append(
            _(
                "la plage %(value)s est inversée ou vide : la fin doit suivre le début "
                "(les plages qui passent minuit ne sont pas prises en charge)."
            )
            % {"value": text}
        )
        return None
    return TimeSpan(start=start, end=end)


def _minutes(hour: int, minute: int, problems: list[str], text: str, *, is_end: bool) -> int | None:
    is_midnight_end = is_end and hour == 24 and minute == 0
    if minute > 59 or (hour > 23 and not is_midnight_end):
        problems.append(
            _("l'heure %(hour)02d:%(minute)02d de « %(value)s » n'existe pas (de 00:00 à 24:00).")
            % {"hour": hour, "minute": minute, "value": text}
        )
        return None
    return hour * 60 + minute


# --- questions ----------------------------------------------------------------------------------------------


def is_open_at(
    spec: str | Schedule, moment: datetime, *, timezone: ZoneInfo = PARIS, department_code: str | None = None
) -> bool:
    """Whether the place is open at this aware moment, read in the place's time zone (Europe/Paris by default).

    `department_code` adds the public holidays particular to Alsace-Moselle and to the overseas départements.
    Raises OpeningHoursError for an unreadable specification and ValueError for a naive datetime.
    """
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("is_open_at needs an aware datetime")
    schedule = spec if isinstance(spec, Schedule) else parse(spec)
    local = moment.astimezone(timezone)
    day = local.date()
    holidays = french_public_holidays(day.year, department_code=department_code)
    rule = schedule.rule_for(day, is_public_holiday=day in holidays)
    if rule is None:
        return False
    minute = local.hour * 60 + local.minute + local.second / 60 + local.microsecond / 60_000_000
    return rule.is_open_at_minute(minute)


def easter_sunday(year: int) -> date:
    """Gregorian Easter Sunday (the anonymous algorithm published in Nature, 1876)."""
    golden = year % 19
    century, year_of_century = divmod(year, 100)
    leap_centuries, century_remainder = divmod(century, 4)
    correction = (century + 8) // 25
    moon_correction = (century - correction + 1) // 3
    epact = (19 * golden + century - leap_centuries - moon_correction + 15) % 30
    leap_years, year_remainder = divmod(year_of_century, 4)
    weekday_offset = (32 + 2 * century_remainder + 2 * leap_years - epact - year_remainder) % 7
    adjustment = (golden + 11 * epact + 22 * weekday_offset) // 451
    month, day = divmod(epact + weekday_offset - 7 * adjustment + 114, 31)
    return date(year, month, day + 1)


# Abolition of slavery, a public holiday on a different date in each overseas département.
_ABOLITION_DAYS = {"971": (5, 27), "972": (5, 22), "973": (6, 10), "974": (12, 20), "976": (4, 27)}
_ALSACE_MOSELLE = {"57", "67", "68"}


def french_public_holidays(year: int, *, department_code: str | None = None) -> set[date]:
    easter = easter_sunday(year)
    holidays = {
        date(year, 1, 1),
        easter + timedelta(days=1),  # lundi de Pâques
        date(year, 5, 1),
        date(year, 5, 8),
        easter + timedelta(days=39),  # Ascension
        easter + timedelta(days=50),  # lundi de Pentecôte
        date(year, 7, 14),
        date(year, 8, 15),
        date(year, 11, 1),
        date(year, 11, 11),
        date(year, 12, 25),
    }
    if department_code in _ALSACE_MOSELLE:
        holidays |= {easter - timedelta(days=2), date(year, 12, 26)}
    if department_code in _ABOLITION_DAYS:
        month, day = _ABOLITION_DAYS[department_code]
        holidays.add(date(year, month, day))
    return holidays


# --- French rendering ---------------------------------------------------------------------------------------


def describe(spec: str | Schedule) -> str:
    """Plain French: « du lundi au vendredi de 9 h à 12 h et de 14 h à 17 h ; le samedi de 9 h à 12 h »."""
    schedule = spec if isinstance(spec, Schedule) else parse(spec)
    return " ; ".join(_describe_rule(rule) for rule in schedule.rules)


def _describe_rule(rule: Rule) -> str:
    if rule.is_always_open:
        return _("ouvert 24 h/24 et 7 j/7")
    days = _describe_days(rule.day_items)
    if rule.is_closed:
        return _("fermé %(days)s") % {"days": days} if days else _("fermé")
    hours = _join(
        [
            _("toute la journée")
            if span.start == 0 and span.end == MINUTES_PER_DAY
            else _("de %(start)s à %(end)s") % {"start": _spoken_time(span.start), "end": _spoken_time(span.end)}
            for span in rule.spans
        ]
    )
    return f"{days or _('tous les jours')} {hours}"


def _describe_days(items: Iterable[DayItem]) -> str:
    phrases: list[str] = []
    for item in items:
        if item.is_public_holiday:
            phrases.append(_("les jours fériés"))
        elif item.first is None or item.last is None or item.first == item.last:
            phrases.append(_("le %(day)s") % {"day": DAY_NAMES[item.first or 0]})
        elif len(item.weekdays()) == 7:
            phrases.append(_("tous les jours"))
        else:
            phrases.append(
                _("du %(first)s au %(last)s") % {"first": DAY_NAMES[item.first], "last": DAY_NAMES[item.last]}
            )
    return _join(phrases)


def _join(phrases: list[str]) -> str:
    if len(phrases) <= 1:
        return "".join(phrases)
    return _("%(items)s et %(last)s") % {"items": ", ".join(phrases[:-1]), "last": phrases[-1]}


def _spoken_time(minutes: int) -> str:
    hour, minute = divmod(minutes, 60)
    return f"{hour} h {minute:02d}" if minute else f"{hour} h"


def _format_span(span: TimeSpan) -> str:
    return "{:02d}:{:02d}-{:02d}:{:02d}".format(*divmod(span.start, 60), *divmod(span.end, 60))
