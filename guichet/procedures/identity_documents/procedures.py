"""The CNI and passport procedures, plugged into the generic dossier registry."""

from django.utils.translation import gettext_lazy as _

from guichet.dossiers import registry
from guichet.dossiers.workflow import LIFECYCLE, Actor

from .timeline import IDENTITY_TEXTS

CNI = "cni"
PASSPORT = "passeport"

# The file is lodged in person at a mairie counter (fingerprints, originals checked): only the agent submits it.
IDENTITY_LIFECYCLE = LIFECYCLE.restricted("submit", by={Actor.MAIRIE_AGENT})


def register_procedures() -> None:
    # Originals are checked at the counter: nothing is uploaded for these titles.
    for code, label in ((CNI, _("Carte nationale d'identité")), (PASSPORT, _("Passeport"))):
        registry.register(
            registry.Procedure(
                code=code,
                label=str(label),
                title=code,
                transitions=IDENTITY_LIFECYCLE,
                texts=IDENTITY_TEXTS,
                decision_needs_motive=True,
            )
        )
