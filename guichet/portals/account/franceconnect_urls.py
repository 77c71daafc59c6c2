"""FranceConnect sign-in routes (mounted under /compte/franceconnect/, namespace account:franceconnect)."""

from django.urls import path

from . import franceconnect_views as views

app_name = "franceconnect"

urlpatterns = [
    path("connexion/", views.login_start, name="login"),
    path("retour/", views.callback, name="callback"),
    path("relier-mon-compte/", views.link_confirm, name="link_confirm"),
    path("deconnexion/", views.logout_start, name="logout"),
    path("deconnexion/retour/", views.logout_callback, name="logout_callback"),
]
