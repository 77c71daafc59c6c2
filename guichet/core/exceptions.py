"""Typed errors raised by services. Each carries a stable machine code and a French message for people."""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    code = "domain_error"
    default_message = _("L'opération n'a pas pu être réalisée.")

    def __init__(self, message: str | None = None, *, code: str | None = None, **details: object) -> None:
        self.message = str(message or self.default_message)
        if code:
            self.code = code
        self.details = details
        super().__init__(self.message)

    def as_json(self) -> dict[str, object]:
        return {
            "error": {"code": self.code, "message": self.message, **({"details": self.details} if self.details else {})}
        }


class TransitionNotAllowed(DomainError):
    code = "transition_not_allowed"
    default_message = _("Cette action n'est pas possible dans l'état actuel du dossier.")


class PermissionDenied(DomainError):
    """Raised by services when the actor may not act; interfaces turn it into a 404 for objects."""

    code = "permission_denied"
    default_message = _("Vous n'avez pas accès à cette ressource.")


class ObjectNotFound(DomainError):
    code = "not_found"
    default_message = _("Ressource introuvable.")


class InvalidInput(DomainError):
    code = "invalid_input"
    default_message = _("Les informations saisies ne sont pas valides.")


class AppendOnlyViolation(DomainError):
    code = "append_only"
    default_message = _("Cet enregistrement ne peut être ni modifié ni supprimé.")
