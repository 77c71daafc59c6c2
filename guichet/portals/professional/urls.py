from django.urls import path

from . import client_views, invitation_views, staff_views, views

app_name = "professional"

urlpatterns = [
    path("", views.home, name="home"),
    path("invitation/<str:token>/", invitation_views.invitation, name="invitation"),
    path("<int:place_id>/clients/", client_views.clients, name="clients"),
    path("<int:place_id>/clients/mandats/nouveau/", client_views.client_mandate_new, name="client_mandate_new"),
    path("mandats/<str:reference>/accord/", client_views.client_mandate_consent, name="client_mandate_consent"),
    path(
        "mandats/<str:reference>/nouveau-code/",
        client_views.client_mandate_code_resend,
        name="client_mandate_code_resend",
    ),
    path(
        "mandats/<str:reference>/attestation.pdf",
        client_views.client_mandate_attestation,
        name="client_mandate_attestation",
    ),
    path("mandats/<str:reference>/terminer/", client_views.client_mandate_end, name="client_mandate_end"),
    path("mandats/<str:reference>/demande/", client_views.client_dossier_new, name="client_dossier_new"),
    path("dossiers/<str:reference>/", client_views.client_dossier, name="client_dossier"),
    path("dossiers/<str:reference>/pieces/ajouter/", client_views.client_dossier_upload, name="client_dossier_upload"),
    path(
        "dossiers/<str:reference>/pieces/<int:document_id>/",
        client_views.client_document_download,
        name="client_document_download",
    ),
    path(
        "dossiers/<str:reference>/actions/<slug:transition>/",
        client_views.client_dossier_action,
        name="client_dossier_action",
    ),
    path("<int:place_id>/personnel/", staff_views.staff, name="staff"),
    path("<int:place_id>/personnel/inviter/", staff_views.staff_invitation_send, name="staff_invite"),
    path(
        "<int:place_id>/personnel/<int:assignment_id>/retirer/",
        staff_views.staff_member_remove,
        name="staff_remove",
    ),
    path(
        "<int:place_id>/personnel/invitations/<int:invitation_id>/annuler/",
        staff_views.staff_invitation_withdraw,
        name="staff_invitation_cancel",
    ),
]
