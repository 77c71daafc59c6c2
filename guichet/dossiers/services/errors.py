"""Errors of the dossier services, each with a stable code for machines and a French message for people."""

from django.utils.translation import gettext_lazy as _

from guichet.core.exceptions import DomainError, InvalidInput


class StaleDossier(DomainError):
    code = "stale_dossier"
    default_message = _(
        "Le dossier a été modifié entre-temps par une autre personne. Rechargez la page pour voir son état actuel."
    )


class AccessAlreadyGranted(DomainError):
    code = "access_already_granted"
    default_message = _("Cette personne a déjà un accès en cours sur ce dossier.")


class DocumentRejected(InvalidInput):
    code = "document_rejected"
    default_message = _("Ce fichier ne peut pas être accepté.")
