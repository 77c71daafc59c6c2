from django.urls import include, path

from . import account_views, two_factor_views, views

app_name = "account"

urlpatterns = [
    path("", account_views.home, name="home"),
    path("franceconnect/", include("guichet.portals.account.franceconnect_urls")),
    path("connexion/", views.LoginView.as_view(), name="login"),
    path("deconnexion/", views.LogoutView.as_view(), name="logout"),
    path("inscription/", views.signup, name="signup"),
    path("inscription/verifiez-votre-messagerie/", views.signup_done, name="signup_done"),
    path("verification/nouveau-lien/", views.email_verification_resend, name="email_verification_resend"),
    path("verification/<str:token>/", views.email_verify, name="email_verify"),
    path("mot-de-passe/oublie/", views.PasswordResetView.as_view(), name="password_reset"),
    path("mot-de-passe/oublie/envoye/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "mot-de-passe/reinitialiser/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("mot-de-passe/reinitialise/", views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("mot-de-passe/modifier/", views.password_change, name="password_change"),
    path("identite/", account_views.profile, name="profile"),
    path("adresse-electronique/", account_views.email_change, name="email_change"),
    path("sessions/<int:session_id>/fermer/", account_views.session_end, name="session_end"),
    path("sessions/fermer-les-autres/", account_views.sessions_end_others, name="sessions_end_others"),
    path("double-authentification/activer/", two_factor_views.two_factor_setup, name="two_factor_setup"),
    path("double-authentification/", two_factor_views.two_factor_verify, name="two_factor_verify"),
    path(
        "double-authentification/codes-de-secours/",
        two_factor_views.two_factor_recovery_codes,
        name="two_factor_recovery_codes",
    ),
    path(
        "double-authentification/codes-de-secours/regenerer/",
        two_factor_views.two_factor_recovery_codes_regenerate,
        name="two_factor_recovery_codes_regenerate",
    ),
    path("double-authentification/desactiver/", two_factor_views.two_factor_disable, name="two_factor_disable"),
]
