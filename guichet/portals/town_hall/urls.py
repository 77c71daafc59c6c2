from django.urls import path

from . import views

app_name = "town_hall"

urlpatterns = [
    path("", views.home, name="home"),
]
