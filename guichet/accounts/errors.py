"""Errors raised by the accounts services; each has a stable code and a French message."""

from django.utils.translation import gettext_lazy as _

from guichet.core.exceptions import DomainError, InvalidInput


class EmailAlreadyUsed(DomainError):
    code = "email_already_used"
    default_message = _("Un compte existe déjà avec cette adresse électronique.")


class EmailLinkRefused(DomainError):
    """A verification link that cannot be used; `code` says why (invalid, expired, already used)."""

    code = "email_link_invalid"
    default_message = _("Ce lien de vérification n'est pas valable.")


class RoleScopeMismatch(InvalidInput):
    code = "role_scope_mismatch"
    default_message = _("Ce rôle ne peut pas être rattaché à ce lieu ou à ce territoire.")


class TwoFactorCodeRefused(DomainError):
    code = "two_factor_code_refused"
    default_message = _("Ce code n'est pas valable. Vérifiez-le et réessayez.")


class TwoFactorThrottled(DomainError):
    code = "two_factor_throttled"
    default_message = _("Trop de codes erronés. Patientez avant de réessayer.")
