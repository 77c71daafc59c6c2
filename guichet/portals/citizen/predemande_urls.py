"""Mounted under the citizen portal (namespace `citizen`) by one `include` in urls.py."""

from django.urls import path

from . import predemande_views as views

urlpatterns = [
    path("", views.predemande_start, name="predemande_start"),
    path("<str:number>/", views.predemande_result, name="predemande_result"),
    path("<str:number>/reprendre/", views.predemande_resume, name="predemande_resume"),
    path("<str:number>/etape/<slug:step>/", views.predemande_step, name="predemande_step"),
    path("<str:number>/verification/", views.predemande_review, name="predemande_review"),
    path("<str:number>/recepisse.pdf", views.predemande_receipt, name="predemande_receipt"),
    path("<str:number>/timbre/acheter/", views.predemande_stamp_buy, name="predemande_stamp_buy"),
    path("<str:number>/timbre/saisir/", views.predemande_stamp_enter, name="predemande_stamp_enter"),
    path("<str:number>/timbre/rembourser/", views.predemande_stamp_refund, name="predemande_stamp_refund"),
]
