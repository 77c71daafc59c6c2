"""Builders for counter tests: a validated pré-demande with its dossiers, as the pré-demande forms leave it."""

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
            "family_name": family_name,
            "given_names": given_names,
            "birth_date": birth_date.isoformat(),
            "birth_commune_code": "35238",
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


def fiscal_stamp(*, number="1234567890123456", amount_cents=8600) -> FiscalStamp:
    return FiscalStamp.objects.create(number=number, amount_cents=amount_cents, provider="external")


ALL_ORIGINALS = [
    "photo",
    "proof_of_address",
    "previous_title",
    "loss_declaration",
    "theft_declaration",
    "birth_or_nationality",
    "guardian_identity",
]
