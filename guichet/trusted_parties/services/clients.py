"""Client mandates: an approved professional files one procedure for a client, under the client's mandate.

Built on `guichet.mandates` (kind `client`): the professional proposes a mandate for one procedure with its fee,
the client consents (typed sentence, SMS code or signed attestation — the fee is in the text they agree to, in the
SMS and in « Mes mandats »), then the professional's staff create, fill and submit the dossier. Every step first
checks the organisation's approval (in force today, and the procedure among its operations) and the mandate.

The title goes to the client's home: the dossier records the delivery to the applicant at their postal address,
never to the establishment. Dossier access opened by a client mandate ends with the mandate, or earlier with the
approval (its last day), and is closed at once when the approval is suspended or revoked or the staff member leaves.
"""

import re
import unicodedata
from datetime import datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.accounts.models import User
from guichet.core.exceptions import InvalidInput
from guichet.dossiers import registry
from guichet.dossiers.models import Document, Dossier
from guichet.dossiers.services import document_upload, dossier_access_revoke, dossier_create, dossier_transition
from guichet.mandates.errors import MandateRefused
from guichet.mandates.models import Mandate, MandateDossierAccess, MandateKind, MandateStatus
from guichet.mandates.services import (
    mandate_consent_confirm,
    mandate_dossier_access_grant,
    mandate_for_action,
    mandate_propose,
)
from guichet.territory.codes import is_postal_code
from guichet.territory.models import Place

from ..models import Approval
from .access import approval_require_valid

CLIENT_MANDATE_DURATION = "three_months"
FEE_MAX_CENTS = 100_000_00


def procedures_of_approval(approval: Approval | None) -> list[registry.Procedure]:
    """The registered procedures whose operation the approval covers (none for CNI and passeport)."""
    if approval is None:
        return []
    return [
        procedure
        for procedure in registry.all_procedures()
        if procedure.trusted_party_operation and procedure.trusted_party_operation in approval.operations
    ]


def _approval_end(approval: Approval) -> datetime:
    """The first instant after the approval's last valid day (Paris), when its dossier accesses must close."""
    next_day = approval.valid_until + timedelta(days=1)
    return timezone.make_aware(datetime.combine(next_day, time.min), timezone.get_default_timezone())


def _require_procedure(approval: Approval, procedure: str) -> None:
    if procedure not in {each.code for each in procedures_of_approval(approval)}:
        raise InvalidInput(
            _(
                "L'agrément de l'établissement ne couvre pas cette démarche : "
                "elle ne peut pas être faite pour un client."
            ),
            code="procedure_not_in_approval",
        )


def _fee_checked(fee_cents: int | None) -> int:
    if fee_cents is None:
        raise InvalidInput(
            _("Indiquez le prix de votre service (0 s'il est gratuit) : le client le voit avant de donner son accord."),
            code="fee_missing",
        )
    if fee_cents < 0 or fee_cents > FEE_MAX_CENTS:
        raise InvalidInput(_("Le prix doit être compris entre 0 et 100 000 €."), code="fee_out_of_range")
    return fee_cents


@transaction.atomic
def client_mandate_propose(
    *,
    place: Place,
    client_email: str,
    procedure: str,
    fee_cents: int | None,
    consent_method: str,
    actor: User,
) -> Mandate:
    """A mandate for one procedure, with the price of the service, waiting for the client's consent."""
    standing = approval_require_valid(place=place)
    assert standing.approval is not None
    _require_procedure(standing.approval, procedure)
    fee = _fee_checked(fee_cents)
    client = User.objects.filter(email__iexact=(client_email or "").strip(), is_active=True).first()
    if client is None:
        raise InvalidInput(
            _(
                "Aucun compte Guichet n'est ouvert à cette adresse. Votre client crée d'abord son compte (il peut le "
                "faire depuis son téléphone), puis vous lui proposez le mandat."
            ),
            code="client_not_found",
        )
    return mandate_propose(
        holder=place,
        citizen=client,
        kind=MandateKind.CLIENT,
        procedures=[procedure],
        duration=CLIENT_MANDATE_DURATION,
        consent_method=consent_method,
        fee_cents=fee,
        actor=actor,
    )


def client_mandate_confirm(*, mandate: Mandate, code_or_text: str, actor: User) -> Mandate:
    """Records the client's consent, if the organisation may still act. Not atomic: see `mandate_consent_confirm`."""
    approval_require_valid(place=mandate.holder)
    return mandate_consent_confirm(mandate=mandate, code_or_text=code_or_text, actor=actor)


def _normalised(text: str) -> str:
    plain = "".join(c for c in unicodedata.normalize("NFKD", text or "") if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w]", " ", plain.casefold()).split())


def delivery_checked(*, place: Place, client: User, address: str, postal_code: str, city: str) -> dict[str, str]:
    """The client's home address the title is sent to; the establishment's own address is refused."""
    address, postal_code, city = (address or "").strip(), (postal_code or "").strip(), (city or "").strip()
    if not address or not city:
        raise InvalidInput(
            _("Indiquez l'adresse du domicile de votre client : le titre lui est envoyé par la poste."),
            code="delivery_address_missing",
        )
    if not is_postal_code(postal_code):
        raise InvalidInput(_("Le code postal comporte exactement 5 chiffres."), code="delivery_postal_code")
    if postal_code == place.postal_code and _normalised(address) == _normalised(place.address):
        raise InvalidInput(
            _("Le titre est envoyé au domicile du client, jamais à l'établissement : indiquez l'adresse du client."),
            code="delivery_to_establishment",
        )
    return {
        "recipient": "applicant",
        "name": client.get_full_name() or client.email,
        "address": address[:250],
        "postal_code": postal_code,
        "city": city[:150],
    }


def _acting_mandate(
    *, place: Place, citizen: Any, procedure: str, dossier: Dossier | None, actor: User
) -> tuple[Mandate, Approval]:
    """The client's active mandate for this action, with the approval in force that allows it; refusals raise."""
    approval = approval_require_valid(place=place).approval
    assert approval is not None
    _require_procedure(approval, procedure)
    mandate = mandate_for_action(
        user=actor, citizen=citizen, procedure_code=procedure, dossier=dossier, holder=place, kind=MandateKind.CLIENT
    )
    return mandate, approval


def client_mandate_require_active(mandate: Mandate) -> None:
    """This very mandate must be in force (not another one of the same client): pending, ended or revoked refuse."""
    status = mandate.status
    if status == MandateStatus.PENDING:
        raise MandateRefused(
            _("Votre client n'a pas encore donné son accord à ce mandat : recueillez-le d'abord."),
            code="mandate_pending",
        )
    if status != MandateStatus.ACTIVE:
        raise MandateRefused(
            _("Ce mandat a pris fin (%(status)s) : proposez-en un nouveau à votre client.")
            % {"status": mandate.status_label.lower()},
            code=f"mandate_{status}",
        )


@transaction.atomic
def client_dossier_create(*, mandate: Mandate, address: str, postal_code: str, city: str, actor: User) -> Dossier:
    """Starts the mandate's procedure for the client, to be delivered at the client's home address."""
    place = mandate.holder
    procedure = (mandate.procedures or [""])[0]
    client_mandate_require_active(mandate)
    used, approval = _acting_mandate(
        place=place, citizen=mandate.citizen, procedure=procedure, dossier=None, actor=actor
    )
    delivery = delivery_checked(place=place, client=used.citizen, address=address, postal_code=postal_code, city=city)
    dossier = dossier_create(
        procedure=procedure,
        applicant=used.citizen,
        actor=actor,
        data={"delivery": delivery, "filed_by": {"place_id": place.pk, "mandate": used.reference}},
        department=place.department,
    )
    mandate_dossier_access_grant(mandate=used, dossier=dossier, actor=actor, until=_approval_end(approval))
    return dossier


@transaction.atomic
def client_dossier_open(*, place: Place, dossier: Dossier, actor: User) -> Mandate:
    """Checks approval and mandate for `dossier`, and (re)opens it to the staff member until the earlier end."""
    used, approval = _acting_mandate(
        place=place, citizen=dossier.applicant, procedure=dossier.procedure, dossier=dossier, actor=actor
    )
    mandate_dossier_access_grant(mandate=used, dossier=dossier, actor=actor, until=_approval_end(approval))
    return used


@transaction.atomic
def client_document_upload(*, place: Place, dossier: Dossier, kind: str, uploaded_file: Any, actor: User) -> Document:
    client_dossier_open(place=place, dossier=dossier, actor=actor)
    return document_upload(dossier=dossier, kind=kind, uploaded_file=uploaded_file, actor=actor)


@transaction.atomic
def client_dossier_transition(*, place: Place, dossier: Dossier, name: str, actor: User) -> Dossier:
    client_dossier_open(place=place, dossier=dossier, actor=actor)
    return dossier_transition(dossier=dossier, name=name, actor=actor)


def client_accesses_close(*, place: Place, actor: Any, user: Any = None, reason: str) -> int:
    """Closes the dossier accesses opened by the place's client mandates (to `user` only, when given)."""
    links = MandateDossierAccess.objects.filter(
        mandate__holder=place, mandate__kind=MandateKind.CLIENT, access__revoked_at__isnull=True
    ).select_related("access")
    if user is not None:
        links = links.filter(access__user=user)
    closed = 0
    for link in links:
        dossier_access_revoke(access=link.access, actor=actor, reason=reason)
        closed += 1
    return closed
