"""Guichet's machine APIs (django-ninja, OpenAPI at /api/docs): the two national appointment contracts."""

import functools
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.translation import gettext as _
from ninja import NinjaAPI

from guichet.trusted_parties.errors import ApprovalNotValid

from . import coordination, professional, provider
from .auth import CoordinationTokenInvalid, HubTokenInvalid, ProfessionalTokenInvalid
from .call_log import call_log_write

COORDINATION_PREFIX = "/ants-coordination"
PROVIDER_PREFIX = "/ants"
PROFESSIONAL_PREFIX = "/pro"


class GuichetApi(NinjaAPI):
    """Guichet's API object; every call is logged by `_logged`, added to all its operations below."""


def _logged(run: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Wraps each operation's `run` (ninja's "view" decorator mode): it sees the final answer of every call, the
    refusals of the token checks and the exception handlers' bodies included, and the answers a view sends already
    serialised (`json_response`), which never reach `create_response`."""

    @functools.wraps(run)
    def run_and_log(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = run(request, *args, **kwargs)
        _log_call(request, response.status_code)
        return response

    return run_and_log


def _log_call(request: HttpRequest, status_code: int) -> None:
    """Who called what and how it ended; the ids asked for are counted, never stored."""
    match = request.resolver_match
    if match is None or not match.url_name:
        return
    path = request.path
    if COORDINATION_PREFIX + "/" in path:
        api_name = "coordination"
    elif PROVIDER_PREFIX + "/" in path:
        api_name = "provider"
    elif PROFESSIONAL_PREFIX + "/" in path:
        api_name = "professional"
    else:
        api_name = ""
    if not api_name:
        return
    client = getattr(request, "auth", None)
    call_log_write(
        client_id=getattr(client, "pk", None),
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
        "`X-HUB-RDV-AUTH-TOKEN`), dont tous les paramètres passent dans la chaîne de requête ; API des tiers de "
        "confiance (écoles de conduite, professionnels de l'automobile), en-tête `Authorization: Bearer`, refusée "
        "dès que l'agrément de l'établissement n'est plus en vigueur."
    ),
    urls_namespace="api",
    docs_url="/docs",
)
api.add_decorator(_logged, mode="view")
api.add_router(COORDINATION_PREFIX, coordination.router)
api.add_router(PROVIDER_PREFIX, provider.router)
api.add_router(PROFESSIONAL_PREFIX, professional.router)


@api.exception_handler(CoordinationTokenInvalid)
def coordination_token_invalid(request: HttpRequest, exc: CoordinationTokenInvalid) -> HttpResponse:
    return api.create_response(request, {"detail": "X-RDV-OPT-AUTH-TOKEN header invalid"}, status=401)


@api.exception_handler(HubTokenInvalid)
def hub_token_invalid(request: HttpRequest, exc: HubTokenInvalid) -> HttpResponse:
    return api.create_response(request, {"error": "X-HUB-RDV-AUTH-TOKEN header is missing or invalid"}, status=401)


@api.exception_handler(ProfessionalTokenInvalid)
def professional_token_invalid(request: HttpRequest, exc: ProfessionalTokenInvalid) -> HttpResponse:
    body = {
        "error": {
            "code": "invalid_token",
            "message": _("Jeton absent, inconnu ou révoqué (en-tête Authorization: Bearer)."),
        }
    }
    return api.create_response(request, body, status=401)


@api.exception_handler(ApprovalNotValid)
def approval_not_valid(request: HttpRequest, exc: ApprovalNotValid) -> HttpResponse:
    """The organisation's approval is suspended, revoked or expired: its tokens are refused at once."""
    return api.create_response(request, {"error": {"code": exc.code, "message": exc.message}}, status=403)
