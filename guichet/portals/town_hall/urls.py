from django.urls import include, path

from . import views

app_name = "town_hall"

urlpatterns = [
    path("", views.home, name="home"),
    path("agenda/", include("guichet.portals.town_hall.agenda_urls")),
    path("", include("guichet.portals.town_hall.counter_urls")),
]
