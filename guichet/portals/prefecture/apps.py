from django.apps import AppConfig


class PrefecturePortalConfig(AppConfig):
    name = "guichet.portals.prefecture"
    label = "portal_prefecture"
