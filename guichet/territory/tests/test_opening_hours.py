from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from guichet.territory.opening_hours import (
    DAY_CODES,
    PARIS,
    OpeningHoursError,
    describe,
    easter_sunday,
    french_public_holidays,
    is_open_at,
    parse,
    validate,
)

TOWN_HALL = "Mo-Fr 09:00-12:00,14:00-17:00; Sa 09:00-12:00"


def paris(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=PARIS)


# --- validation -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "spec",
    [
        TOWN_HALL,
        "24/7",
        "off",
        "closed",
        "PH off",
        "Mo,We,Fr 09:00-12:00",
        "Mo-Fr 08:30-12:00,13:30-17:30; PH off",
        "Mo-We,Fr 09:00-12:00; Th 14:00-19:00",
        "Fr-Mo 10:00-18:00",
        "09:00-18:00",
        "Mo-Su 00:00-24:00",
        "Sa,PH 10:00-12:00",
        "Mo - Fr 09:00 - 12:00 , 14:00 - 17:00",
        "Mo-Fr 09:00-17:00;",
        "Su off",
    ],
)
def test_valid_specifications_have_no_errors(spec):
    assert validate(spec) == []


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("Mo-Fr 25:00-26:00", "l'heure 25:00 de « 25:00-26:00 » n'existe pas"),
        ("Mo 09:60-10:00", "l'heure 09:60"),
        ("Mo 24:00-24:30", "l'heure 24:00 de « 24:00-24:30 » n'existe pas"),
        ("Xx 09:00-10:00", "jour inconnu « Xx »"),
        ("Mo-Xx 09:00-10:00", "jour inconnu « Xx »"),
        ("mo 09:00-10:00", "jour inconnu « mo »"),
        ("Mo 17:00-09:00", "la plage 17:00-09:00 est inversée"),
        ("Mo 09:00-09:00", "la plage 09:00-09:00 est inversée ou vide"),
        ("Mo 09:00-12:00,11:00-14:00", "les plages 09:00-12:00 et 11:00-14:00 se chevauchent"),
        ("Mo 9h-12h", "« 9h-12h » n'est pas une plage horaire"),
        ("Mo", "indiquez des horaires"),
        ("Mo-Fr 09:00-12:00;; Sa off", "Règle 2 : la règle est vide"),
        ("Mo,,Fr 09:00-12:00", "virgule en trop"),
        ("SH off", "vacances scolaires (SH) ne sont pas prises en charge"),
        ("Mo 09:00-12:00 Tu 10:00-11:00", "séparez les règles par « ; »"),
        ("Mo 24/7", "« 24/7 » s'écrit seul"),
        ("", "Les horaires sont vides"),
        ("   ", "Les horaires sont vides"),
    ],
)
def test_invalid_specifications_are_explained_in_french(spec, expected):
    errors = validate(spec)

    assert errors, spec
    assert any(expected in error for error in errors), errors


def test_every_problem_is_reported_with_its_rule_number():
    errors = validate("Xx 09:00-10:00; Mo 12:00-11:00")

    assert errors[0].startswith("Règle 1 (« Xx 09:00-10:00 ») : jour inconnu")
    assert errors[1].startswith("Règle 2 (« Mo 12:00-11:00 ») : la plage 12:00-11:00 est inversée")


def test_parse_raises_with_the_same_messages_as_validate():
    with pytest.raises(OpeningHoursError) as raised:
        parse("Mo-Fr 25:00-26:00")

    assert raised.value.messages == validate("Mo-Fr 25:00-26:00")


@given(st.text(max_size=60))
def test_validate_never_crashes_on_arbitrary_text(text):
    errors = validate(text)

    assert isinstance(errors, list)
    assert all(isinstance(error, str) and error for error in errors)


# --- is_open_at -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (paris(2026, 11, 23, 9, 0), True),  # Monday opening
        (paris(2026, 11, 23, 8, 59), False),
        (paris(2026, 11, 23, 11, 59), True),
        (paris(2026, 11, 23, 12, 0), False),  # the end minute is closed
        (paris(2026, 11, 23, 13, 0), False),  # lunch break
        (paris(2026, 11, 23, 14, 30), True),
        (paris(2026, 11, 28, 10, 0), True),  # Saturday morning
        (paris(2026, 11, 28, 15, 0), False),  # Saturday afternoon
        (paris(2026, 11, 29, 10, 0), False),  # Sunday
    ],
)
def test_town_hall_hours(moment, expected):
    assert is_open_at(TOWN_HALL, moment) is expected


def test_moments_are_read_in_paris_time_whatever_their_zone():
    # 08:30 UTC is 09:30 in Paris in winter (UTC+1) and 10:30 in summer (UTC+2).
    assert is_open_at("Mo-Fr 09:00-10:00", datetime(2026, 1, 5, 8, 30, tzinfo=UTC))
    assert not is_open_at("Mo-Fr 09:00-10:00", datetime(2026, 7, 6, 8, 30, tzinfo=UTC))
    # 23:30 UTC on Friday is already Saturday in Paris.
    assert not is_open_at("Fr 00:00-24:00", datetime(2026, 1, 9, 23, 30, tzinfo=UTC))
    assert is_open_at("Sa 00:00-01:00", datetime(2026, 1, 9, 23, 30, tzinfo=UTC))


def test_an_overseas_place_can_be_read_in_its_own_time_zone():
    reunion = ZoneInfo("Indian/Reunion")  # UTC+4
    moment = datetime(2026, 1, 5, 5, 30, tzinfo=UTC)

    assert is_open_at("Mo 09:00-10:00", moment, timezone=reunion)
    assert not is_open_at("Mo 09:00-10:00", moment)


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError, match="aware"):
        is_open_at(TOWN_HALL, datetime(2026, 11, 23, 10, 0))


def test_invalid_specification_raises_instead_of_answering():
    with pytest.raises(OpeningHoursError):
        is_open_at("Xx 09:00-10:00", paris(2026, 11, 23, 9, 30))


def test_public_holiday_rule_overrides_the_weekday_rule():
    spec = "Mo-Fr 09:00-17:00; PH off"

    assert not is_open_at(spec, paris(2026, 7, 14, 10))  # Tuesday 14 July
    assert is_open_at(spec, paris(2026, 7, 15, 10))
    assert not is_open_at(spec, paris(2026, 4, 6, 10))  # Easter Monday 2026


def test_later_rule_replaces_earlier_ones_on_its_days():
    spec = "Mo-Fr 09:00-17:00; We 09:00-12:00"

    assert not is_open_at(spec, paris(2026, 11, 25, 15))  # Wednesday afternoon
    assert is_open_at(spec, paris(2026, 11, 25, 10))
    assert is_open_at(spec, paris(2026, 11, 26, 15))  # Thursday afternoon


def test_wrapping_day_range_covers_the_weekend():
    spec = "Fr-Mo 10:00-18:00"

    opened_days = {day for day in range(23, 30) if is_open_at(spec, paris(2026, 11, day, 12))}
    assert opened_days == {23, 27, 28, 29}  # Monday 23, Friday 27, Saturday 28, Sunday 29


def test_always_open_and_always_closed():
    moment = paris(2026, 12, 25, 3)

    assert is_open_at("24/7", moment)
    assert not is_open_at("off", moment)
    assert is_open_at("Mo-Su 00:00-24:00", paris(2026, 12, 27, 23, 59))


def test_rule_without_days_applies_every_day():
    assert all(is_open_at("09:00-18:00", paris(2026, 11, day, 12)) for day in range(23, 30))


def test_alsace_moselle_and_overseas_holidays_depend_on_the_department():
    good_friday_2026 = paris(2026, 4, 3, 10)
    assert is_open_at("Mo-Fr 09:00-17:00; PH off", good_friday_2026)
    assert not is_open_at("Mo-Fr 09:00-17:00; PH off", good_friday_2026, department_code="67")
    assert date(2026, 12, 20) in french_public_holidays(2026, department_code="974")
    assert date(2026, 12, 20) not in french_public_holidays(2026)


@pytest.mark.parametrize(
    ("year", "expected"),
    [(2024, date(2024, 3, 31)), (2025, date(2025, 4, 20)), (2026, date(2026, 4, 5)), (2038, date(2038, 4, 25))],
)
def test_easter_dates(year, expected):
    assert easter_sunday(year) == expected


@given(st.integers(min_value=1900, max_value=2200))
def test_easter_is_a_sunday_between_22_march_and_25_april(year):
    easter = easter_sunday(year)

    assert easter.weekday() == 6
    assert date(year, 3, 22) <= easter <= date(year, 4, 25)


# --- property: a generated schedule is open exactly inside its spans on its days -------------------------------


@st.composite
def day_rule(draw):
    days = sorted(draw(st.sets(st.integers(min_value=0, max_value=6), min_size=1, max_size=7)))
    cuts = sorted(draw(st.sets(st.integers(min_value=0, max_value=24 * 4), min_size=2, max_size=8)))
    if len(cuts) % 2:
        cuts = cuts[:-1]
    spans = [(cuts[i] * 15, cuts[i + 1] * 15) for i in range(0, len(cuts), 2)]
    return days, spans


def _clock(minutes):
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@given(rule=day_rule(), probe_day=st.integers(min_value=0, max_value=6), probe_minute=st.integers(0, 24 * 60 - 1))
def test_generated_schedules_are_valid_and_answer_like_their_definition(rule, probe_day, probe_minute):
    days, spans = rule
    spec = ",".join(DAY_CODES[day] for day in days) + " " + ",".join(f"{_clock(a)}-{_clock(b)}" for a, b in spans)
    monday = date(2026, 11, 23)  # no public holiday that week
    moment = datetime.combine(monday + timedelta(days=probe_day), datetime.min.time(), tzinfo=PARIS) + timedelta(
        minutes=probe_minute
    )

    assert validate(spec) == []
    expected = probe_day in days and any(start <= probe_minute < end for start, end in spans)
    assert is_open_at(spec, moment) is expected
    assert describe(spec)


# --- French rendering -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        (
            TOWN_HALL,
            "du lundi au vendredi de 9 h à 12 h et de 14 h à 17 h ; le samedi de 9 h à 12 h",
        ),
        ("Mo-Fr 08:30-12:00", "du lundi au vendredi de 8 h 30 à 12 h"),
        ("Mo,We,Fr 09:00-12:00", "le lundi, le mercredi et le vendredi de 9 h à 12 h"),
        ("Mo-We,Fr 09:00-12:00", "du lundi au mercredi et le vendredi de 9 h à 12 h"),
        ("24/7", "ouvert 24 h/24 et 7 j/7"),
        ("off", "fermé"),
        ("PH off", "fermé les jours fériés"),
        ("Mo-Fr 09:00-17:00; PH off", "du lundi au vendredi de 9 h à 17 h ; fermé les jours fériés"),
        ("09:00-18:00", "tous les jours de 9 h à 18 h"),
        ("Mo-Su 00:00-24:00", "tous les jours toute la journée"),
        ("Su off", "fermé le dimanche"),
        ("Sa,PH 10:00-12:00", "le samedi et les jours fériés de 10 h à 12 h"),
    ],
)
def test_french_rendering(spec, expected):
    assert describe(spec) == expected


def test_rendering_an_invalid_specification_raises():
    with pytest.raises(OpeningHoursError):
        describe("Mo 25:00-26:00")
