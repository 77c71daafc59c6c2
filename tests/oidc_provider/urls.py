"""FranceConnect v2 paths, under /api/v2/, named as django-oauth-toolkit's discovery view expects."""

from django.urls import include, path, re_path
from oauth2_provider import views as oauth2_views

from tests.oidc_provider import views

provider_patterns = [
    re_path(
        r"^\.well-known/openid-configuration$",
        oauth2_views.ConnectDiscoveryInfoView.as_view(),
        name="oidc-connect-discovery-info",
    ),
    path("jwks", views.jwks_view, name="jwks-info"),
    path("authorize", oauth2_views.AuthorizationView.as_view(), name="authorize"),
    path("token", views.SlowableTokenView.as_view(), name="token"),
    path("userinfo", oauth2_views.UserInfoView.as_view(), name="user-info"),
    path("session/end", oauth2_views.RPInitiatedLogoutView.as_view(), name="rp-initiated-logout"),
]

urlpatterns = [
    path("api/v2/", include((provider_patterns, "oauth2_provider"))),
    path("login/", views.login_view),
    path("test-control/", views.control_view),
]
