from django.urls import path

from . import invitation_views, staff_views, views

app_name = "professional"

urlpatterns = [
    path("", views.home, name="home"),
    path("invitation/<str:token>/", invitation_views.invitation, name="invitation"),
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
