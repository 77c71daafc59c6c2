from django.urls import path

from . import predemande_views, views

app_name = "mediator"

urlpatterns = [
    path("", views.home, name="home"),
    path("structure/mandats/", views.holder_mandates, name="holder_mandates"),
    path("session/ouvrir/", views.session_open, name="session_open"),
    path("session/", views.session, name="session"),
    path("session/terminer/", views.session_end, name="session_end"),
    path("session/personne/rechercher/", views.visitor_search_page, name="visitor_search"),
    path("session/personne/choisir/", views.visitor_attach, name="visitor_attach"),
    path("session/personne/creer/", views.account_create, name="account_create"),
    path("session/personne/mobile/", views.visitor_mobile, name="visitor_mobile"),
    path("session/identite/", views.identity_check, name="identity_check"),
    path("session/mandats/nouveau/", views.mandate_new, name="mandate_new"),
    path("session/mandats/<str:reference>/accord/", views.mandate_consent, name="mandate_consent"),
    path("session/mandats/<str:reference>/nouveau-code/", views.mandate_code_resend, name="mandate_code_resend"),
    path("session/mandats/<str:reference>/attestation.pdf", views.mandate_attestation, name="mandate_attestation"),
    path("session/mandats/<str:reference>/terminer/", views.mandate_cancel, name="mandate_cancel"),
    path("session/demarches/commencer/", views.procedure_start, name="procedure_start"),
    path("session/dossiers/<str:reference>/", views.dossier_detail, name="dossier_detail"),
    path("session/dossiers/<str:reference>/pieces/ajouter/", views.dossier_upload, name="dossier_upload"),
    path(
        "session/dossiers/<str:reference>/pieces/<int:document_id>/", views.document_download, name="document_download"
    ),
    path(
        "session/dossiers/<str:reference>/actions/<slug:transition>/",
        views.dossier_transition,
        name="dossier_transition",
    ),
    path("session/pre-demande/", predemande_views.predemande_start, name="predemande_start"),
    path("session/pre-demande/<str:number>/", predemande_views.predemande_result, name="predemande_result"),
    path("session/pre-demande/<str:number>/reprendre/", predemande_views.predemande_resume, name="predemande_resume"),
    path(
        "session/pre-demande/<str:number>/etape/<slug:step>/", predemande_views.predemande_step, name="predemande_step"
    ),
    path(
        "session/pre-demande/<str:number>/verification/",
        predemande_views.predemande_review,
        name="predemande_review",
    ),
    path(
        "session/pre-demande/<str:number>/recepisse.pdf",
        predemande_views.predemande_receipt,
        name="predemande_receipt",
    ),
]
