from django.apps import AppConfig


class PublicPortalConfig(AppConfig):
    name = "guichet.portals.public"
    label = "portal_public"
