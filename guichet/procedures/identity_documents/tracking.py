"""Public tracking (/suivi/): a pré-demande, receipt or dossier number plus the birth date gives the status and
dates only. A wrong pair and an unknown number get the same answer; attempts are counted per client."""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.core import references
from guichet.dossiers.workflow import Status

from .checks import civil_status_of
from .models import CoordinationStatus, PreDemande, PreDemandeTitle, Title

MAX_ATTEMPTS = 10
WINDOW_SECONDS = 15 * 60


@dataclass(frozen=True)
class TrackingStep:
    label: str
    at: datetime | date | None


@dataclass(frozen=True)
class TitleTracking:
    title_label: str
    status_label: str
    steps: list[TrackingStep]


@dataclass(frozen=True)
class TrackingResult:
    predemande_status_label: str
    valid_until: date | None
    titles: list[TitleTracking] = field(default_factory=list)


def tracking_attempt_allowed(*, client_key: str) -> bool:
    """Counts an attempt for this client (an IP address); False once the window's allowance is spent."""
    key = f"public-tracking:{client_key}"
    cache.add(key, 0, timeout=WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=WINDOW_SECONDS)
        count = 1
    return count <= getattr(settings, "GUICHET_TRACKING_MAX_ATTEMPTS", MAX_ATTEMPTS)


def _title_steps(link: PreDemandeTitle) -> TitleTracking:
    dossier = link.dossier
    production = getattr(dossier, "title_production", None)
    steps = [TrackingStep(_("Demande déposée en mairie"), dossier.submitted_at)]
    if dossier.decided_at:
        steps.append(
            TrackingStep(
                _("Demande refusée") if dossier.status == Status.REFUSED else _("Demande acceptée"), dossier.decided_at
            )
        )
    if production is not None:
        steps.append(TrackingStep(_("Fabrication lancée"), production.started_at))
        if production.shipped_at:
            steps.append(TrackingStep(_("Titre expédié vers la mairie"), production.shipped_at))
        if production.available_at:
            steps.append(TrackingStep(_("Titre disponible en mairie"), production.available_at))
            steps.append(TrackingStep(_("À retirer au plus tard le"), production.collect_before))
        if production.delivered_at:
            steps.append(TrackingStep(_("Titre remis"), production.delivered_at))
        if production.destroyed_at:
            steps.append(TrackingStep(_("Titre détruit (non retiré à temps)"), production.destroyed_at))
    return TitleTracking(
        title_label=str(Title(link.title).label),
        status_label=str(Status(dossier.status).label),
        steps=[s for s in steps if s.at is not None],
    )


def tracking_lookup(*, reference: str, birth_date: date) -> TrackingResult | None:
    """None when nothing matches the pair, whatever the reason (no hint that the number exists)."""
    number = references.normalize(reference or "")
    if not number or len(number) > 20:
        return None
    predemande = (
        PreDemande.objects.filter(Q(number=number) | Q(counter_receipt_number=number)).first()
        or PreDemande.objects.filter(titles__dossier__reference=number).first()
    )
    if predemande is None or civil_status_of(predemande).birth_date != birth_date:
        return None
    status = CoordinationStatus(predemande.status)
    if (
        status == CoordinationStatus.VALIDATED
        and predemande.valid_until
        and predemande.valid_until < timezone.localdate()
    ):
        status = CoordinationStatus.EXPIRED
    links = predemande.titles.select_related("dossier__title_production").order_by("title")
    return TrackingResult(
        predemande_status_label=str(status.label),
        valid_until=predemande.valid_until if status == CoordinationStatus.VALIDATED else None,
        titles=[_title_steps(link) for link in links if link.dossier.submitted_at],
    )
