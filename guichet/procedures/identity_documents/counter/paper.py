"""The paper path: a counter session started from a paper form, without a pré-demande typed online."""

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.accounts.models import User
from guichet.audit.models import AuditAction
from guichet.core.exceptions import InvalidInput
from guichet.dossiers.services import dossier_create
from guichet.territory.models import Place

from ..models import CoordinationStatus, CounterSession, Motive, PreDemande, PreDemandeTitle, Title
from ..predemande import CIVIL_STATUS
from ..predemande.common import predemande_audit_record
from .common import _agent_actor, _check_agent_place


@dataclass(frozen=True)
class PaperForm:
    family_name: str
    given_names: str
    birth_date: date
    titles: Sequence[str]
    motive: str
    email: str = ""
    birth_commune_code: str = ""
    mobile_phone: str = ""
    is_for_minor: bool = False


def _applicant_for_paper_form(form: PaperForm) -> tuple[User, bool]:
    email = (form.email or "").strip().lower()
    if email:
        existing = User.objects.filter(email__iexact=email).first()
        if existing is not None:
            return existing, False
    else:
        # No e-mail: a placeholder account the person can claim later at a point numérique.
        email = f"comptoir-{secrets.token_hex(8)}@comptoir.invalid"
    user = User.objects.create_user(email=email, first_name=form.given_names[:150], last_name=form.family_name[:150])
    return user, True


@transaction.atomic
def counter_paper_start(*, form: PaperForm, agent: Any, place: Place, now: datetime | None = None) -> CounterSession:
    """No pré-demande: the agent keys the cardboard form; the citizen's account is found by e-mail or created
    (flagged as created at the counter). The result follows the same capture and lodging steps."""
    _check_agent_place(agent, place)
    now = now or timezone.now()
    today = timezone.localdate(now)
    titles = sorted(set(form.titles))
    if not titles or any(t not in Title.values for t in titles):
        raise InvalidInput(_("Choisissez au moins un titre : carte d'identité ou passeport."), code="titles_required")
    if form.motive not in Motive.values:
        raise InvalidInput(_("Choisissez le motif de la demande."), code="invalid_motive")
    if form.birth_date > today:
        raise InvalidInput(_("La date de naissance ne peut pas être dans le futur."), code="birth_date_in_future")
    if not form.family_name.strip() or not form.given_names.strip():
        raise InvalidInput(_("Le nom et les prénoms sont obligatoires."), code="civil_status_required")
    applicant, created = _applicant_for_paper_form(form)
    predemande = PreDemande.objects.create(
        applicant=applicant,
        created_by=agent,
        status=CoordinationStatus.VALIDATED,
        is_for_minor=form.is_for_minor,
        motive=form.motive,
        data={
            CIVIL_STATUS: {
                "last_name": form.family_name.strip(),
                "given_names": form.given_names.strip(),
                "birth_date": form.birth_date.isoformat(),
                "born_abroad": not form.birth_commune_code,
                "birth_commune_code": form.birth_commune_code,
            },
            "source": "paper_form",
        },
        mobile_phone=form.mobile_phone,
        validated_at=now,
        valid_until=today,
    )
    for title in titles:
        dossier = dossier_create(procedure=title, applicant=applicant, actor=agent, department=place.department)
        PreDemandeTitle.objects.create(predemande=predemande, title=title, dossier=dossier)
    session = CounterSession.objects.create(
        predemande=predemande, place=place, agent=agent, is_paper_form=True, applicant_created_at_counter=created
    )
    predemande_audit_record(
        predemande=predemande,
        action=AuditAction.DOSSIER_CHANGED,
        who=_agent_actor(agent, place, applicant.pk),
        data={"change": "paper_form_keyed", "account_created": created, "titles": titles},
    )
    return session
