from django.contrib import admin

from .models import DecisionMotive


@admin.register(DecisionMotive)
class DecisionMotiveAdmin(admin.ModelAdmin):
    list_display = ("label", "decision", "code", "is_active", "needs_details", "position")
    list_filter = ("decision", "is_active")
    search_fields = ("label", "code")

    def has_delete_permission(self, request, obj=None) -> bool:
        # Past decisions name their motive: deactivate it instead.
        return False
