from django.urls import path

from . import views

app_name = "mediator"

urlpatterns = [
    path("", views.home, name="home"),
]
