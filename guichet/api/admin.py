from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from .models import ApiCallLog, ApiClient
from .services import api_client_issue, api_client_revoke


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "place", "token_hint", "created_at", "revoked_at", "is_demo")
    list_filter = ("kind", "revoked_at")
    fields = ("name", "kind", "place")
    raw_id_fields = ("place",)
    actions = ["revoke"]

    def get_readonly_fields(self, request, obj=None):
        return ("name", "kind", "place") if obj is not None else ()

    def save_model(self, request, obj, form, change) -> None:
        if change:
            return
        client, token = api_client_issue(name=obj.name, kind=obj.kind, actor=request.user, place=obj.place)
        obj.pk = client.pk
        messages.warning(
            request,
            _("Jeton de %(name)s, affiché une seule fois : %(token)s") % {"name": client.name, "token": token},
        )

    @admin.action(description=_("Révoquer les jetons sélectionnés"))
    def revoke(self, request, queryset) -> None:
        for client in queryset:
            api_client_revoke(client=client, actor=request.user)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ApiCallLog)
class ApiCallLogAdmin(admin.ModelAdmin):
    list_display = ("created_at", "client", "api", "endpoint", "method", "status_code", "item_count")
    list_filter = ("api", "status_code")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
