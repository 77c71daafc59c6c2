"""Token checks of the machine APIs: a refused token answers the exact body each contract specifies."""

from django.conf import settings
from django.http import HttpRequest
from ninja.security import APIKeyHeader

from .models import ApiClient, ClientKind
from .services import api_client_for_token


class CoordinationTokenInvalid(Exception):
    pass


class HubTokenInvalid(Exception):
    pass


def _usable(client: ApiClient | None) -> ApiClient | None:
    # Demo tokens are public: they only open a door where demo data is allowed (never in production settings).
    if client is not None and client.is_demo and not settings.GUICHET_DEMO_DATA_ALLOWED:
        return None
    return client


class CoordinationEditorToken(APIKeyHeader):
    """`x-rdv-opt-auth-token`: one token per appointment software, issued by a platform admin."""

    param_name = "x-rdv-opt-auth-token"

    def authenticate(self, request: HttpRequest, key: str | None) -> ApiClient:
        client = _usable(api_client_for_token(token=key, kind=ClientKind.COORDINATION_EDITOR))
        if client is None:
            raise CoordinationTokenInvalid()
        return client


class SlotHubToken(APIKeyHeader):
    """`X-HUB-RDV-AUTH-TOKEN`: the national slot finder."""

    param_name = "X-HUB-RDV-AUTH-TOKEN"

    def authenticate(self, request: HttpRequest, key: str | None) -> ApiClient:
        client = _usable(api_client_for_token(token=key, kind=ClientKind.SLOT_HUB))
        if client is None:
            raise HubTokenInvalid()
        return client
