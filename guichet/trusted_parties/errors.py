"""Errors of the registry, each with a stable code the API returns as it is."""

from django.utils.translation import gettext_lazy as _

from guichet.core.exceptions import DomainError, InvalidInput


class ApprovalNotValid(DomainError):
    """The organisation's approval does not allow it to act today; `code` says why (approval_<state>)."""

    code = "approval_not_valid"
    default_message = _("L'agrément ou l'habilitation de cet établissement n'est pas en vigueur.")


class InvitationRefused(InvalidInput):
    code = "invitation_refused"
    default_message = _("Cette invitation ne peut pas être utilisée.")
