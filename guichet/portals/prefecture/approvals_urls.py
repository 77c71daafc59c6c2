from django.urls import path

from . import approvals_views

# Included under `agrements/` by the préfecture portal's URL conf, in its `prefecture` namespace.
urlpatterns = [
    path("", approvals_views.approval_list, name="approvals"),
    path("nouveau/<int:place_id>/", approvals_views.approval_create, name="approval_create"),
    path("<int:approval_id>/", approvals_views.approval_detail, name="approval_detail"),
    path("<int:approval_id>/responsable/", approvals_views.approval_manager_invite, name="approval_manager_invite"),
    path("<int:approval_id>/<slug:action>/", approvals_views.approval_decide, name="approval_decide"),
]
