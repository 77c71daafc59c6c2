"""Reference data for platform admins. Codes come from the COG import: they are shown, never edited by hand."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from . import opening_hours
from .models import Commune, Department, Place, PostalCode, Region, TerritoryImport


class CodeReadOnlyOnChangeMixin:
    """A code may be typed when a row is created, but an existing row keeps its code (other tables refer to it)."""

    code_fields: tuple[str, ...] = ("code",)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        readonly = tuple(super().get_readonly_fields(request, obj))  # type: ignore[misc]
        return readonly + self.code_fields if obj is not None else readonly


@admin.register(Region)
class RegionAdmin(CodeReadOnlyOnChangeMixin, admin.ModelAdmin):
    list_display = ("code", "name")
    search_fields = ("code", "name")


@admin.register(Department)
class DepartmentAdmin(CodeReadOnlyOnChangeMixin, admin.ModelAdmin):
    list_display = ("code", "name", "region", "chef_lieu_code")
    list_filter = ("region",)
    search_fields = ("code", "name")
    list_select_related = ("region",)


@admin.register(Commune)
class CommuneAdmin(CodeReadOnlyOnChangeMixin, admin.ModelAdmin):
    code_fields = ("code", "kind")
    list_display = ("code", "name", "kind", "department", "population", "coordinates_estimated")
    list_filter = ("kind", "coordinates_estimated", "department")
    search_fields = ("code", "name", "search_name")
    list_select_related = ("department",)
    readonly_fields = ("search_name",)
    show_full_result_count = False  # 37,000 rows: skip the extra COUNT on every search


@admin.register(PostalCode)
class PostalCodeAdmin(admin.ModelAdmin):
    list_display = ("code", "commune_code", "routing_label")
    search_fields = ("code", "commune_code", "routing_label")
    show_full_result_count = False


@admin.register(TerritoryImport)
class TerritoryImportAdmin(admin.ModelAdmin):
    list_display = ("version", "imported_at")
    readonly_fields = ("version", "imported_at", "counts")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "department", "city", "collection_stations", "is_active")
    list_filter = ("kind", "department", "is_active")
    search_fields = ("name", "city", "commune_code", "postal_code", "siret")
    list_select_related = ("department",)
    autocomplete_fields = ("parent",)
    filter_horizontal = ("served_departments",)
    readonly_fields = ("opening_hours_in_words", "created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("kind", "name", "department", "parent", "is_active")}),
        (_("Adresse"), {"fields": ("address", "postal_code", "city", "commune_code", "latitude", "longitude")}),
        (_("Accueil"), {"fields": ("opening_hours", "opening_hours_in_words", "accessibility")}),
        (_("Contact"), {"fields": ("phone", "email", "website", "siret")}),
        (_("Instruction et recueil"), {"fields": ("collection_stations", "served_departments")}),
        (_("Suivi"), {"fields": ("created_at", "updated_at")}),
    )

    @admin.display(description=_("Horaires en clair"))
    def opening_hours_in_words(self, place: Place) -> str:
        if not place.opening_hours.strip():
            return "—"
        try:
            return opening_hours.describe(place.opening_hours)
        except opening_hours.OpeningHoursError:
            return str(_("Horaires illisibles : corrigez-les."))
