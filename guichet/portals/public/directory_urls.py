from django.urls import path

from . import directory_views, trusted_parties_views

# Included under `lieux/` by the public portal's URL conf, in its `public` namespace.
urlpatterns = [
    path("", directory_views.search, name="directory_search"),
    path("export.csv", directory_views.export_csv, name="directory_export_csv"),
    path("export.json", directory_views.export_json, name="directory_export_json"),
    path("departement/<str:code>/", directory_views.department, name="directory_department"),
    path("professionnels/", trusted_parties_views.trusted_parties, name="trusted_parties"),
    path("<int:place_id>/", directory_views.place_detail, name="directory_place"),
]
