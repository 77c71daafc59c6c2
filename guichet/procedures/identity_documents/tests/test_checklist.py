"""The checklist of originals, computed from the case (DOMAIN.md §2.1–2.3), case by case."""

from datetime import date, timedelta

import pytest

from ..checklist import ChecklistCase, ChecklistRules, HeldTitle, build_checklist
from ..models import Motive, Title

TODAY = date(2026, 11, 28)
RULES = ChecklistRules(
    photo_max_age_months=6,
    address_proof_max_age_months=12,
    birth_certificate_max_age_months=3,
    cni_expired_years_max=5,
    passport_expired_years_max_adult=2,
    passport_expired_years_max_minor=5,
    secure_passport_expired_years_max=5,
    secure_passport_since=date(2006, 5, 1),
    biometric_passport_since=date(2009, 6, 29),
)
CNI, PASSPORT = Title.CNI.value, Title.PASSPORT.value


def years_ago(years: int, *, days: int = 0) -> date:
    """The same day `years` years ago (negative: in the future), minus `days`."""
    return date(TODAY.year - years, TODAY.month, TODAY.day) - timedelta(days=days)


def cni(expired_years_ago: int, *, days: int = 0, lost: bool = False) -> HeldTitle:
    expires = years_ago(expired_years_ago, days=days)
    return HeldTitle(CNI, issued_on=date(expires.year - 15, 1, 1), expires_on=expires, is_lost_or_stolen=lost)


def passport(expired_years_ago: int, *, issued: date | None = None, days: int = 0, lost: bool = False) -> HeldTitle:
    expires = years_ago(expired_years_ago, days=days)
    return HeldTitle(
        PASSPORT,
        issued_on=issued or date(expires.year - 10, expires.month, 1),
        expires_on=expires,
        is_lost_or_stolen=lost,
    )


def case(**kwargs) -> ChecklistCase:
    defaults = {"titles": frozenset({CNI}), "motive": Motive.FIRST, "on": TODAY, "is_minor": False}
    return ChecklistCase(**{**defaults, **kwargs})


def keys(built) -> set[str]:
    return {item.key for item in built}


ALWAYS = {"predemande", "photo", "address_proof"}

# (case id, case, keys that must be present, keys that must be absent)
CASES = [
    (
        "first cni, nothing held, unconnected commune",
        case(),
        {"birth_certificate", "nationality_proof"},
        {"birth_certificate_not_needed"},
    ),
    (
        "first cni, nothing held, connected commune",
        case(birth_commune_connected=True),
        {"birth_certificate_not_needed"},
        {"birth_certificate"},
    ),
    ("first cni, born abroad", case(born_abroad=True), {"birth_certificate_not_needed"}, {"birth_certificate"}),
    (
        "first cni, valid passport proves identity",
        case(held_titles=(passport(-3),)),
        {"current_passeport"},
        {"birth_certificate", "nationality_proof"},
    ),
    (
        "first cni, adult passport expired under 2 years",
        case(held_titles=(passport(1, issued=date(2004, 1, 1)),)),
        {"current_passeport"},
        {"birth_certificate"},
    ),
    (
        "first cni, adult old-model passport expired 3 years: not enough",
        case(held_titles=(passport(3, issued=date(2005, 1, 1)),)),
        {"birth_certificate"},
        {"current_passeport"},
    ),
    (
        "first cni, adult secure passport expired 3 years: enough",
        case(held_titles=(passport(3, issued=date(2013, 11, 1)),)),
        {"current_passeport"},
        {"birth_certificate"},
    ),
    (
        "first cni, secure passport expired 6 years: birth certificate",
        case(held_titles=(passport(6, issued=date(2010, 1, 1)),)),
        {"birth_certificate"},
        {"current_passeport"},
    ),
    (
        "first cni, minor, old passport expired 4 years: minor threshold is 5",
        case(is_minor=True, held_titles=(passport(4, issued=date(2005, 1, 1)),)),
        {"current_passeport", "representative_identity"},
        {"birth_certificate"},
    ),
    (
        "renewal cni expired 4 years: the card suffices",
        case(motive=Motive.RENEWAL_EXPIRED, held_titles=(cni(4),)),
        {"current_cni"},
        {"birth_certificate"},
    ),
    (
        "renewal cni expired exactly 5 years: still suffices",
        case(motive=Motive.RENEWAL_EXPIRED, held_titles=(cni(5),)),
        {"current_cni"},
        {"birth_certificate"},
    ),
    (
        "renewal cni expired 5 years and a day: birth certificate",
        case(motive=Motive.RENEWAL_EXPIRED, held_titles=(cni(5, days=1),)),
        {"current_cni", "birth_certificate"},
        set(),
    ),
    (
        "renewal cni expired 6 years, connected commune: no certificate",
        case(motive=Motive.RENEWAL_EXPIRED, held_titles=(cni(6),), birth_commune_connected=True),
        {"current_cni", "birth_certificate_not_needed"},
        {"birth_certificate"},
    ),
    (
        "passport renewal, expiring passport",
        case(
            titles=frozenset({PASSPORT}),
            motive=Motive.RENEWAL_EXPIRING,
            held_titles=(passport(-1),),
            fees_cents={PASSPORT: 8600},
        ),
        {"current_passeport", "fiscal_stamp_passeport"},
        {"birth_certificate"},
    ),
    (
        "first passport with a cni expired 3 years",
        case(titles=frozenset({PASSPORT}), held_titles=(cni(3),), fees_cents={PASSPORT: 8600}),
        {"current_cni", "fiscal_stamp_passeport"},
        {"birth_certificate"},
    ),
    (
        "cni loss: declaration and 25 euro stamp",
        case(motive=Motive.LOSS, held_titles=(cni(-2, lost=True),), fees_cents={CNI: 2500}),
        {"loss_declaration", "fiscal_stamp_cni", "birth_certificate"},
        {"theft_declaration", "current_cni"},
    ),
    (
        "cni theft: police declaration",
        case(motive=Motive.THEFT, held_titles=(cni(-2, lost=True),), fees_cents={CNI: 2500}),
        {"theft_declaration", "fiscal_stamp_cni"},
        {"loss_declaration", "current_cni"},
    ),
    (
        "stolen cni but a valid passport proves identity",
        case(motive=Motive.THEFT, held_titles=(cni(-2, lost=True), passport(-4)), fees_cents={CNI: 2500}),
        {"theft_declaration", "current_passeport"},
        {"birth_certificate"},
    ),
    (
        "lost biometric passport: no civil-status document for the new passport",
        case(
            titles=frozenset({PASSPORT}),
            motive=Motive.LOSS,
            held_titles=(passport(-2, issued=date(2018, 1, 1), lost=True),),
            fees_cents={PASSPORT: 8600},
        ),
        {"loss_declaration"},
        {"birth_certificate", "current_passeport"},
    ),
    (
        "lost pre-2009 passport: birth certificate",
        case(
            titles=frozenset({PASSPORT}),
            motive=Motive.LOSS,
            held_titles=(passport(-1, issued=date(2008, 1, 1), lost=True),),
        ),
        {"loss_declaration", "birth_certificate"},
        set(),
    ),
    (
        "damaged cni: treated as renewal",
        case(motive=Motive.DAMAGE, held_titles=(cni(-3),)),
        {"current_cni"},
        {"fiscal_stamp_cni", "birth_certificate"},
    ),
    (
        "free cni: no stamp",
        case(fees_cents={CNI: 0}),
        set(),
        {"fiscal_stamp_cni"},
    ),
    (
        "minor with guardian",
        case(is_minor=True, representative_link="guardian"),
        {"representative_identity", "guardianship_decision"},
        {"custody_decision"},
    ),
    (
        "minor with separated parents",
        case(is_minor=True, representative_link="mother", parents_separated=True),
        {"representative_identity", "custody_decision"},
        {"guardianship_decision"},
    ),
    (
        "both titles, renewal: both current titles and the passport stamp",
        case(
            titles=frozenset({CNI, PASSPORT}),
            motive=Motive.RENEWAL_EXPIRED,
            held_titles=(cni(1), passport(1)),
            fees_cents={CNI: 0, PASSPORT: 8600},
        ),
        {"current_cni", "current_passeport", "fiscal_stamp_passeport"},
        {"fiscal_stamp_cni", "birth_certificate"},
    ),
    (
        "adult: no representative items",
        case(),
        set(),
        {"representative_identity", "guardianship_decision", "custody_decision"},
    ),
]


@pytest.mark.parametrize(
    ("present", "absent", "built_case"), [(c[2], c[3], c[1]) for c in CASES], ids=[c[0] for c in CASES]
)
def test_checklist_lists_the_originals_the_case_needs(built_case, present, absent):
    built = build_checklist(built_case, RULES)
    found = keys(built)
    assert found >= ALWAYS
    assert present <= found, f"missing {present - found}"
    assert not (absent & found), f"unexpected {absent & found}"
    assert len(found) == len(built), "an original is listed twice"


def test_photo_and_address_ages_come_from_the_rules():
    changed = ChecklistRules(**{**RULES.__dict__, "photo_max_age_months": 3, "address_proof_max_age_months": 6})
    labels = {item.key: item.label for item in build_checklist(case(), changed)}
    assert "3 mois" in labels["photo"]
    assert "6 mois" in labels["address_proof"]


def test_stamp_line_shows_the_amount_in_french_notation():
    built = build_checklist(case(titles=frozenset({PASSPORT}), fees_cents={PASSPORT: 4200}), RULES)
    stamp = next(item for item in built if item.key == "fiscal_stamp_passeport")
    assert "42,00" in stamp.label and "€" in stamp.label


def test_information_lines_are_not_marked_as_required():
    built = build_checklist(case(birth_commune_connected=True), RULES)
    note = next(item for item in built if item.key == "birth_certificate_not_needed")
    assert note.is_required is False
