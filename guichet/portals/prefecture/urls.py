from django.urls import path

from . import views

app_name = "prefecture"

urlpatterns = [
    path("", views.home, name="home"),
]
