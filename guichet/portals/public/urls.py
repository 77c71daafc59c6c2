from django.urls import include, path

from . import tracking_views, views

app_name = "public"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accessibilite/", views.accessibility, name="accessibility"),
    path("mentions-legales/", views.legal, name="legal"),
    path("donnees-personnelles/", views.privacy, name="privacy"),
    path("suivi/", tracking_views.tracking, name="tracking"),
    path("lieux/", include("guichet.portals.public.directory_urls")),
    path("", include("guichet.portals.public.help_urls")),
]
