"""URLs of the benchmark settings: the application's, plus the baseline view (never mounted in production)."""

from django.urls import path

from config.urls import urlpatterns as application_urlpatterns

from .views import baseline

urlpatterns = [path("bench/baseline/", baseline, name="bench_baseline"), *application_urlpatterns]
