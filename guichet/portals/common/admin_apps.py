from django.contrib.admin.apps import AdminConfig


class GuichetAdminConfig(AdminConfig):
    default_site = "guichet.portals.common.admin_site.GuichetAdminSite"
