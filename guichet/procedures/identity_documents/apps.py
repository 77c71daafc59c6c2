from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdentityDocumentsConfig(AppConfig):
    name = "guichet.procedures.identity_documents"
    label = "identity_documents"
    verbose_name = _("Carte d'identité et passeport")

    def ready(self) -> None:
        from .procedures import register_procedures

        register_procedures()
