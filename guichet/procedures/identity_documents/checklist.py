"""The originals to bring to the mairie, computed from the case (DOMAIN.md §2.1–2.3).

`build_checklist` is pure: it reads only the case and the rules passed in (the rules come from the regulated
value `identity_documents.checklist.rules`, so thresholds change with data, not code).

How identity and nationality are proven (F1341, F1342, F14929, F14930, F21089–F21092, F18713):
- a CNI, valid or expired for at most `cni_expired_years_max` years, proves them for either title;
- a passport proves them when it expired at most `passport_expired_years_max_adult` years ago (adult) or
  `passport_expired_years_max_minor` years ago (minor); a secure passport (issued from `secure_passport_since`)
  also when it expired at most `secure_passport_expired_years_max` years ago;
- a lost or stolen title proves nothing, except a biometric passport (issued from `biometric_passport_since`)
  for a new passport (F21246);
- otherwise a birth certificate is needed, unless the birth commune is connected to dematerialised civil status
  (COMEDEC) or the person was born abroad (records of the central civil-status service, checked online).
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from .models import Motive, Title

RULES_KEY = "identity_documents.checklist.rules"
RENEWAL_MOTIVES = frozenset(
    {
        Motive.RENEWAL_EXPIRED,
        Motive.RENEWAL_EXPIRING,
        Motive.RENEWAL_CIVIL_STATUS,
        Motive.RENEWAL_ADDRESS,
        Motive.DAMAGE,
    }
)
LOSS_OR_THEFT = frozenset({Motive.LOSS, Motive.THEFT})


@dataclass(frozen=True)
class ChecklistRules:
    photo_max_age_months: int
    address_proof_max_age_months: int
    birth_certificate_max_age_months: int
    cni_expired_years_max: int
    passport_expired_years_max_adult: int
    passport_expired_years_max_minor: int
    secure_passport_expired_years_max: int
    secure_passport_since: date
    biometric_passport_since: date

    @classmethod
    def from_value(cls, value: Mapping[str, Any]) -> "ChecklistRules":
        return cls(
            photo_max_age_months=int(value["photo_max_age_months"]),
            address_proof_max_age_months=int(value["address_proof_max_age_months"]),
            birth_certificate_max_age_months=int(value["birth_certificate_max_age_months"]),
            cni_expired_years_max=int(value["cni_expired_years_max"]),
            passport_expired_years_max_adult=int(value["passport_expired_years_max_adult"]),
            passport_expired_years_max_minor=int(value["passport_expired_years_max_minor"]),
            secure_passport_expired_years_max=int(value["secure_passport_expired_years_max"]),
            secure_passport_since=date.fromisoformat(value["secure_passport_since"]),
            biometric_passport_since=date.fromisoformat(value["biometric_passport_since"]),
        )


@dataclass(frozen=True)
class HeldTitle:
    """A title the person has (or had, when declared lost or stolen)."""

    kind: str  # Title value
    issued_on: date | None = None
    expires_on: date | None = None
    is_lost_or_stolen: bool = False


@dataclass(frozen=True)
class ChecklistCase:
    titles: frozenset[str]
    motive: str
    on: date
    is_minor: bool
    born_abroad: bool = False
    birth_commune_connected: bool = False
    held_titles: tuple[HeldTitle, ...] = ()
    fees_cents: Mapping[str, int] = field(default_factory=dict)  # per requested title
    representative_link: str = ""  # mother, father, guardian
    parents_separated: bool = False


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    label: str
    detail: str = ""
    is_required: bool = True  # False: information only (e.g. "no birth certificate needed")


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _expired_at_most(title: HeldTitle, years: int, on: date) -> bool:
    if title.expires_on is None:
        return False
    return title.expires_on >= _years_before(on, years)


def _proves_identity(title: HeldTitle, case: ChecklistCase, rules: ChecklistRules) -> bool:
    if title.is_lost_or_stolen:
        return (
            title.kind == Title.PASSPORT
            and Title.PASSPORT in case.titles
            and title.issued_on is not None
            and title.issued_on >= rules.biometric_passport_since
        )
    if title.kind == Title.CNI:
        return _expired_at_most(title, rules.cni_expired_years_max, case.on)
    years = rules.passport_expired_years_max_minor if case.is_minor else rules.passport_expired_years_max_adult
    if _expired_at_most(title, years, case.on):
        return True
    is_secure = title.issued_on is not None and title.issued_on >= rules.secure_passport_since
    return is_secure and _expired_at_most(title, rules.secure_passport_expired_years_max, case.on)


def _title_label(kind: str) -> str:
    return _("carte d'identité") if kind == Title.CNI else _("passeport")


def _euros(cents: int) -> str:
    whole, rest = divmod(cents, 100)
    return f"{whole},{rest:02d}\u00a0€"


def build_checklist(case: ChecklistCase, rules: ChecklistRules) -> list[ChecklistItem]:
    """The originals to bring, in the order the counter checks them."""
    items: list[ChecklistItem] = [
        ChecklistItem(
            "predemande",
            _("Ce récépissé, ou le numéro de votre pré-demande"),
            _("L'agent retrouve vos informations grâce au numéro ou au QR code."),
        ),
        ChecklistItem(
            "photo",
            _("Une photo d'identité de moins de %(months)d mois") % {"months": rules.photo_max_age_months},
            _("Format 35 × 45 mm, sur fond clair uni (pas blanc), prise par un photographe ou une cabine agréés."),
        ),
    ]
    if case.is_minor:
        address_detail = _(
            "Au nom du parent chez qui l'enfant vit (facture, quittance de loyer, avis d'imposition, attestation "
            "d'assurance du logement…)."
        )
    else:
        address_detail = _(
            "À votre nom : facture d'électricité, de gaz, d'eau ou de téléphone, quittance de loyer, avis "
            "d'imposition, attestation d'assurance du logement…"
        )
    items.append(
        ChecklistItem(
            "address_proof",
            _("Un justificatif de domicile de moins de %(months)d mois")
            % {"months": rules.address_proof_max_age_months},
            address_detail,
        )
    )

    if case.is_minor:
        items.append(
            ChecklistItem(
                "representative_identity",
                _("La pièce d'identité du parent ou du tuteur qui accompagne l'enfant"),
                _("L'enfant et son représentant légal se présentent ensemble au rendez-vous."),
            )
        )
        if case.representative_link == "guardian":
            items.append(
                ChecklistItem(
                    "guardianship_decision",
                    _("La décision de justice qui vous désigne comme tuteur"),
                )
            )
        if case.parents_separated:
            items.append(
                ChecklistItem(
                    "custody_decision",
                    _("Le jugement ou la convention qui fixe la résidence de l'enfant"),
                    _(
                        "En cas de résidence alternée, apportez aussi un justificatif de domicile de chacun "
                        "des deux parents."
                    ),
                )
            )

    held = [t for t in case.held_titles if t.kind in (Title.CNI, Title.PASSPORT)]
    if case.motive in RENEWAL_MOTIVES:
        for kind in sorted(case.titles):
            if any(t.kind == kind and not t.is_lost_or_stolen for t in held):
                items.append(
                    ChecklistItem(
                        f"current_{kind}",
                        _("Votre carte d'identité actuelle") if kind == Title.CNI else _("Votre passeport actuel"),
                        _("Il vous sera repris lors de la remise du nouveau titre."),
                    )
                )
    if case.motive == Motive.LOSS:
        items.append(
            ChecklistItem(
                "loss_declaration",
                _("La déclaration de perte"),
                _(
                    "Vous pouvez la remplir sur place au guichet (formulaire cerfa n° 14011) ; si vous l'avez "
                    "déjà faite au commissariat ou à la gendarmerie, apportez-en le récépissé."
                ),
            )
        )
    if case.motive == Motive.THEFT:
        items.append(
            ChecklistItem(
                "theft_declaration",
                _("Le récépissé de votre déclaration de vol"),
                _("La déclaration de vol se fait au commissariat de police ou à la gendarmerie."),
            )
        )

    proving = [t for t in held if _proves_identity(t, case, rules)]
    already_listed = {i.key for i in items}
    for title in proving:
        key = f"current_{title.kind}"
        if key not in already_listed and not title.is_lost_or_stolen:
            items.append(
                ChecklistItem(
                    key,
                    _("Votre carte d'identité (même expirée)")
                    if title.kind == Title.CNI
                    else _("Votre passeport (même expiré)"),
                    _("Il prouve votre identité et votre nationalité."),
                )
            )
            already_listed.add(key)
    if not proving:
        if case.birth_commune_connected or case.born_abroad:
            items.append(
                ChecklistItem(
                    "birth_certificate_not_needed",
                    _("Pas d'acte de naissance à apporter"),
                    _(
                        "Votre acte de naissance sera vérifié en ligne directement auprès de l'état civil "
                        "(commune de naissance raccordée ou naissance à l'étranger)."
                    ),
                    is_required=False,
                )
            )
        else:
            items.append(
                ChecklistItem(
                    "birth_certificate",
                    _("Un acte de naissance de moins de %(months)d mois")
                    % {"months": rules.birth_certificate_max_age_months},
                    _(
                        "Copie intégrale ou extrait avec filiation, à demander à la mairie de votre commune de "
                        "naissance (souvent possible en ligne)."
                    ),
                )
            )
        items.append(
            ChecklistItem(
                "nationality_proof",
                _("Si votre acte de naissance ne prouve pas votre nationalité française : un justificatif"),
                _("Par exemple un certificat de nationalité française ou une déclaration de nationalité."),
                is_required=False,
            )
        )

    for kind in sorted(case.titles):
        cents = case.fees_cents.get(kind, 0)
        if cents > 0:
            items.append(
                ChecklistItem(
                    f"fiscal_stamp_{kind}",
                    _("Un timbre fiscal de %(amount)s pour le %(title)s")
                    % {"amount": _euros(cents), "title": _title_label(kind)},
                    _("Timbre électronique (numéro à 16 chiffres), acheté en ligne ou chez un buraliste."),
                )
            )
    return items
