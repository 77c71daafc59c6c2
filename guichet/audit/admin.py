"""Platform admins may read the journal in the Django admin; nobody may add, change or delete an entry there."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = (
        "sequence",
        "created_at",
        "action",
        "actor_role",
        "actor_organisation",
        "actor_id",
        "dossier_id",
        "object_type",
        "object_id",
    )
    list_filter = ("action", "actor_role", "object_type", ("created_at", admin.DateFieldListFilter))
    search_fields = ("=dossier_id", "=actor_id", "=subject_user_id", "=object_id", "=request_id")
    date_hierarchy = "created_at"
    ordering = ("-sequence",)
    list_per_page = 100
    show_full_result_count = False  # counting a large journal on every page is slow
    actions = None

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [field.name for field in AuditEntry._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
