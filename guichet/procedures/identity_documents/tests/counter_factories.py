"""Builders for counter tests: a validated pré-demande with its dossiers, as the pré-demande forms leave it."""

import secrets
from datetime import date, timedelta

from django.utils import timezone

from guichet.dossiers.services import dossier_create
from guichet.payments.models import FiscalStamp
from guichet.procedures.identity_documents.models import CoordinationStatus, PreDemande, PreDemandeTitle


def validated_predemande(
    *,
    applicant,
    titles=("cni",),
    motive="renewal_expired",
    birth_date=date(1990, 5, 17),
    mobile_phone="+33612345678",
    family_name="Martin",
    given_names="Camille Anne",
    status=CoordinationStatus.VALIDATED,
    valid_until=None,
    extra_data=None,
) -> PreDemande:
    now = timezone.now()
    predemande = PreDemande.objects.create(
        applicant=applicant,
        created_by=applicant,
        status=status,
        motive=motive,
        is_for_minor=False,
        data={
            # The layout the pré-demande forms write, one key per step.
            "civil_status": {
                "last_name": family_name,
                "usage_name": "",
                "given_names": given_names,
                "sex": "F",
                "birth_date": birth_date.isoformat(),
                "born_abroad": False,
                "birth_commune_code": "35238",
            },
            "address": {
                "street": "3 rue de la Monnaie",
                "complement": "",
                "postal_code": "35000",
                "commune_code": "35238",
            },
            "previous_titles": {"cni": {"number": "X4RTBPFJ2", "issued_on": "2012-03-01", "expires_on": "2022-03-01"}},
            **(extra_data or {}),
        },
        mobile_phone=mobile_phone,
        validated_at=now if status != CoordinationStatus.DECLARED else None,
        valid_until=(valid_until or timezone.localdate() + timedelta(days=180))
        if status != CoordinationStatus.DECLARED
        else None,
        consumed_at=now if status == CoordinationStatus.CONSUMED else None,
    )
    for title in titles:
        dossier = dossier_create(procedure=title, applicant=applicant, actor=applicant)
        PreDemandeTitle.objects.create(predemande=predemande, title=title, dossier=dossier)
    return predemande


# What an accepted decision carries (identity decisions name a motive of the list); for tests that fire the
# transition directly rather than through `identity_dossier_decide`.
ACCEPTED = {"motive": "conditions_met", "reason": "Les conditions de délivrance sont remplies"}


def fiscal_stamp(*, number="1234567890123456", amount_cents=8600) -> FiscalStamp:
    return FiscalStamp.objects.create(number=number, amount_cents=amount_cents, provider="external")


# Every original the pré-demande checklist can ask for: ticking them all satisfies any case.
ALL_ORIGINALS = [
    "predemande",
    "photo",
    "address_proof",
    "representative_identity",
    "guardianship_decision",
    "custody_decision",
    "current_cni",
    "current_passeport",
    "loss_declaration",
    "theft_declaration",
    "birth_certificate",
]


def stamps_for(predemande: PreDemande) -> dict[str, str]:
    """A fresh stamp of the right amount for every title of `predemande` that has a fee."""
    from ..counter import counter_fee_due_cents

    stamps = {}
    for link in predemande.titles.all():
        cents = counter_fee_due_cents(predemande, link.title)
        if cents:
            stamps[link.title] = fiscal_stamp(number=f"{secrets.randbelow(10**16):016d}", amount_cents=cents).number
    return stamps
