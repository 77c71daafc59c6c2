from django.urls import include, path

from . import mandate_views, views

app_name = "citizen"

urlpatterns = [
    path("", views.home, name="home"),
    path("pre-demande/", include("guichet.portals.citizen.predemande_urls")),
    path("rendez-vous/", include("guichet.portals.citizen.booking_urls")),
    path("mandats/", mandate_views.mandates, name="mandates"),
    path("mandats/<str:reference>/revoquer/", mandate_views.mandate_revoke_view, name="mandate_revoke"),
    path("demarches/<slug:group>/", views.dossier_group, name="dossier_group"),
    path("dossiers/<str:reference>/", views.dossier_detail, name="dossier_detail"),
    path("dossiers/<str:reference>/pieces/ajouter/", views.document_upload, name="document_upload"),
    path("dossiers/<str:reference>/pieces/<int:document_id>/", views.document_download, name="document_download"),
    path("dossiers/<str:reference>/actions/<slug:transition>/", views.dossier_transition, name="dossier_transition"),
]
