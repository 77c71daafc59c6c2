from django.urls import include, path

from . import mediation_views, views

app_name = "prefecture"

urlpatterns = [
    path("", views.home, name="home"),
    path("lieux/", include("guichet.portals.prefecture.places_urls")),
    path("agrements/", include("guichet.portals.prefecture.approvals_urls")),
    path("statistiques/mediation/", mediation_views.mediation_statistics, name="mediation_statistics"),
]
