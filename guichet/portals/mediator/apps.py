from django.apps import AppConfig


class MediatorPortalConfig(AppConfig):
    name = "guichet.portals.mediator"
    label = "portal_mediator"
