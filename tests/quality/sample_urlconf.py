"""A small URL conf for the tests of the matrix's own machinery (nested namespaces, unnamed routes, admin)."""

from django.contrib import admin
from django.http import HttpResponse
from django.urls import URLPattern, URLResolver, include, path


def placeholder(request, **kwargs):
    return HttpResponse("")


franceconnect_patterns = ([path("retour/", placeholder, name="sample_callback")], "franceconnect")
account_routes: list[URLPattern | URLResolver] = [
    path("", placeholder, name="home"),
    path("franceconnect/", include(franceconnect_patterns)),
    path("sans-nom/", placeholder),
]
account_patterns = (account_routes, "account")
new_portal_patterns = ([path("dossiers/<str:reference>/", placeholder, name="dossier")], "new_portal")

urlpatterns = [
    path("", placeholder, name="top_level_without_namespace"),
    path("compte/", include(account_patterns)),
    path("nouveau/", include(new_portal_patterns)),
    path("admin/", admin.site.urls),
]
