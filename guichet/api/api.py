"""Guichet's machine APIs (django-ninja, OpenAPI at /api/docs): the two national appointment contracts."""

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI

from . import coordination, provider
from .auth import CoordinationTokenInvalid, HubTokenInvalid
from .models import ApiCallLog

COORDINATION_PREFIX = "/ants-coordination"
PROVIDER_PREFIX = "/ants"


class GuichetApi(NinjaAPI):
    def create_response(self, request: HttpRequest, data, *, status=None, temporal_response=None) -> HttpResponse:
        response = super().create_response(request, data, status=status, temporal_response=temporal_response)
        _log_call(request, response.status_code)
        return response


def _log_call(request: HttpRequest, status_code: int) -> None:
    """Who called what and how it ended; the ids asked for are counted, never stored."""
    match = request.resolver_match
    if match is None or not match.url_name:
        return
    path = request.path
    api_name = "coordination" if COORDINATION_PREFIX + "/" in path else "provider" if "/ants/" in path else ""
    if not api_name:
        return
    client = getattr(request, "auth", None)
    ApiCallLog.objects.create(
        client=client if getattr(client, "pk", None) else None,
        api=api_name,
        endpoint=match.url_name[:60],
        method=request.method or "",
        status_code=status_code,
        item_count=len(request.GET.getlist("application_ids")) + len(request.GET.getlist("meeting_point_ids")),
    )


api = GuichetApi(
    title="Guichet — API",
    version="1.0.0",
    description=(
        "Interfaces machine de Guichet : API de coordination des rendez-vous (anti-doublon, en-tête "
        "`x-rdv-opt-auth-token`) et points d'accès fournisseur du moteur national de créneaux (en-tête "
        "`X-HUB-RDV-AUTH-TOKEN`). Tous les paramètres passent dans la chaîne de requête."
    ),
    urls_namespace="api",
    docs_url="/docs",
)
api.add_router(COORDINATION_PREFIX, coordination.router)
api.add_router(PROVIDER_PREFIX, provider.router)


@api.exception_handler(CoordinationTokenInvalid)
def coordination_token_invalid(request: HttpRequest, exc: CoordinationTokenInvalid) -> HttpResponse:
    return api.create_response(request, {"detail": "X-RDV-OPT-AUTH-TOKEN header invalid"}, status=401)


@api.exception_handler(HubTokenInvalid)
def hub_token_invalid(request: HttpRequest, exc: HubTokenInvalid) -> HttpResponse:
    return api.create_response(request, {"error": "X-HUB-RDV-AUTH-TOKEN header is missing or invalid"}, status=401)
