from django.urls import path

from . import counter_views

urlpatterns = [
    path("guichet/", counter_views.counter_home, name="counter_home"),
    path("guichet/formulaire-papier/", counter_views.counter_paper_form, name="counter_paper_form"),
    path("guichet/passages/<int:session_id>/", counter_views.counter_session, name="counter_session"),
    path("guichet/passages/<int:session_id>/recueil/", counter_views.counter_capture, name="counter_capture"),
    path("guichet/passages/<int:session_id>/depot/", counter_views.counter_lodge, name="counter_lodge"),
    path("guichet/passages/<int:session_id>/recepisse/", counter_views.counter_receipt, name="counter_receipt"),
    path(
        "guichet/passages/<int:session_id>/recepisse.pdf",
        counter_views.counter_receipt_pdf,
        name="counter_receipt_pdf",
    ),
    path("remises/<str:reference>/", counter_views.handover_title, name="handover_title"),
]
