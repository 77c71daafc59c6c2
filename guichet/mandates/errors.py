from django.utils.translation import gettext_lazy as _

from guichet.core.exceptions import InvalidInput, PermissionDenied


class MandateRefused(PermissionDenied):
    """The person may not act for this citizen: no mandate, out of its scope, expired, revoked, not yet agreed."""

    code = "mandate_missing"
    default_message = _("Aucun mandat de cette personne ne vous autorise à faire cette démarche pour elle.")


class ConsentRefused(InvalidInput):
    """A wrong, expired or already used code; a sentence typed differently; too many attempts."""

    code = "consent_refused"
    default_message = _("L'accord n'a pas pu être enregistré.")
