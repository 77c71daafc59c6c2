from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrustedPartiesConfig(AppConfig):
    name = "guichet.trusted_parties"
    label = "trusted_parties"
    verbose_name = _("Tiers de confiance (agréments et habilitations)")
