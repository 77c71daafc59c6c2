from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views

app_name = "account"

urlpatterns = [
    path("", views.home, name="home"),
    path("franceconnect/", include("guichet.portals.account.franceconnect_urls")),
    path("connexion/", views.LoginView.as_view(), name="login"),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("inscription/", views.signup, name="signup"),
    path("double-authentification/activer/", views.two_factor_setup, name="two_factor_setup"),
    path("double-authentification/", views.two_factor_verify, name="two_factor_verify"),
]
