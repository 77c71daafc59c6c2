from django.urls import path

from . import places_views

# Included under `lieux/` by the préfecture portal's URL conf, in its `prefecture` namespace.
urlpatterns = [
    path("", places_views.place_list, name="places"),
    path("nouveau/", places_views.place_new, name="place_create"),
    path("import/", places_views.places_upload, name="places_import"),
    path("<int:place_id>/", places_views.place_edit, name="place_edit"),
]
