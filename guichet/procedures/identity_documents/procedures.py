"""The CNI and passport procedures, plugged into the generic dossier registry."""

from django.utils.translation import gettext_lazy as _

from guichet.dossiers import registry

CNI = "cni"
PASSPORT = "passeport"


def register_procedures() -> None:
    # Originals are checked at the mairie counter: nothing is uploaded for these titles.
    registry.register(registry.Procedure(code=CNI, label=str(_("Carte nationale d'identité")), title=CNI))
    registry.register(registry.Procedure(code=PASSPORT, label=str(_("Passeport")), title=PASSPORT))
