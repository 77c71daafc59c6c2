from django.apps import AppConfig


class AccountPortalConfig(AppConfig):
    name = "guichet.portals.account"
    label = "portal_account"
