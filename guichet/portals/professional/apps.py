from django.apps import AppConfig


class ProfessionalPortalConfig(AppConfig):
    name = "guichet.portals.professional"
    label = "portal_professional"
