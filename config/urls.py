from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("guichet.portals.public.urls")),
    path("compte/", include("guichet.portals.account.urls")),
    path("usager/", include("guichet.portals.citizen.urls")),
    path("mairie/", include("guichet.portals.town_hall.urls")),
    path("instruction/", include("guichet.portals.instruction.urls")),
    path("pro/", include("guichet.portals.professional.urls")),
    path("mediation/", include("guichet.portals.mediator.urls")),
    path("prefecture/", include("guichet.portals.prefecture.urls")),
    path("api/", include("guichet.api.urls")),
    path("admin/", admin.site.urls),
]
