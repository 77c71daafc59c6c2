from django.urls import include, path

from . import views

app_name = "instruction"

urlpatterns = [
    path("", views.home, name="home"),
    path("dossiers/<str:reference>/", views.dossier_detail, name="dossier_detail"),
    path("dossiers/<str:reference>/prendre/", views.dossier_assign, name="dossier_assign"),
    path("dossiers/<str:reference>/pieces/<int:document_id>/", views.document_download, name="document_download"),
    path("dossiers/<str:reference>/actions/<slug:transition>/", views.dossier_transition, name="dossier_transition"),
    path("", include("guichet.portals.instruction.identity_urls")),
]
