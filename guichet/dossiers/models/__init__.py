from .access import AccessRole, DossierAccess
from .document import Document
from .dossier import Dossier
from .event import DossierEvent, EventKind

__all__ = ["AccessRole", "Document", "Dossier", "DossierAccess", "DossierEvent", "EventKind"]
