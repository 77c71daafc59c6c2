from django.urls import path

from . import agenda_views

urlpatterns = [
    path("", agenda_views.agenda_home, name="agenda_home"),
    path("creneaux/", agenda_views.agenda_generate, name="agenda_generate"),
    path("fermetures/ajouter/", agenda_views.agenda_closure_add, name="agenda_closure_add"),
    path("fermetures/<int:closure_id>/supprimer/", agenda_views.agenda_closure_delete, name="agenda_closure_delete"),
    path("jour/", agenda_views.agenda_day, name="agenda_day"),
    path("rendez-vous/<str:reference>/non-honore/", agenda_views.agenda_no_show, name="agenda_no_show"),
]
