from django.urls import path

from . import identity_views

urlpatterns = [
    path(
        "dossiers/<str:reference>/titre/decision/<slug:decision>/",
        identity_views.identity_decide,
        name="identity_decide",
    ),
    path("dossiers/<str:reference>/titre/complement/", identity_views.identity_complement, name="identity_complement"),
]
