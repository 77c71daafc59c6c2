from django.utils.translation import gettext_lazy as _

from guichet.core.exceptions import InvalidInput


class StampRefused(InvalidInput):
    """A stamp that cannot be used or refunded; `code` says why, `message` explains it to people."""

    code = "stamp_refused"
    default_message = _("Ce timbre fiscal ne peut pas être utilisé.")


class StampMalformed(InvalidInput):
    code = "stamp_malformed"
    default_message = _(
        "Le numéro d'un timbre fiscal électronique compte 16 chiffres. Vérifiez le numéro reçu par SMS ou "
        "imprimé sur votre timbre."
    )
