from django.apps import AppConfig


class CitizenPortalConfig(AppConfig):
    name = "guichet.portals.citizen"
    label = "portal_citizen"
