from django.urls import path

from . import booking_views

urlpatterns = [
    path("", booking_views.booking_search, name="booking_search"),
    path("reserver/", booking_views.booking_confirm, name="booking_confirm"),
    path("mes-rendez-vous/", booking_views.booking_list, name="booking_list"),
    path("<str:reference>/", booking_views.booking_detail, name="booking_detail"),
    path("<str:reference>/annuler/", booking_views.booking_cancel, name="booking_cancel"),
    path("<str:reference>/deplacer/", booking_views.booking_move, name="booking_move"),
    path("<str:reference>/rendez-vous.ics", booking_views.booking_ics, name="booking_ics"),
]
