from django.apps import AppConfig


class TownHallPortalConfig(AppConfig):
    name = "guichet.portals.town_hall"
    label = "portal_town_hall"
