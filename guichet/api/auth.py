"""Token checks of the machine APIs: a refused token answers the exact body each contract specifies."""

from django.conf import settings
from django.http import HttpRequest
from ninja.security import APIKeyHeader, HttpBearer

from guichet.trusted_parties.services import approval_require_valid

from .models import ApiClient, ClientKind
from .services import api_client_for_token


class CoordinationTokenInvalid(Exception):
    pass


class HubTokenInvalid(Exception):
    pass


class ProfessionalTokenInvalid(Exception):
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


class ProfessionalToken(HttpBearer):
    """`Authorization: Bearer <token>`: a trusted third party's software, acting for its organisation.

    The organisation's approval is checked at every call, so a suspension, a revocation or the end date takes
    effect on the next request: the token answers 403 with `approval_<state>` (ApprovalNotValid) until then.
    """

    def __call__(self, request: HttpRequest) -> ApiClient:
        # A missing or malformed header gets the same JSON refusal as a wrong token (not ninja's bare 401).
        scheme, _space, token = request.headers.get(self.header, "").partition(" ")
        if scheme.lower() != self.openapi_scheme:
            raise ProfessionalTokenInvalid()
        return self.authenticate(request, token.strip())

    def authenticate(self, request: HttpRequest, token: str | None) -> ApiClient:
        client = _usable(api_client_for_token(token=token, kind=ClientKind.PROFESSIONAL))
        if client is None or client.place is None:
            raise ProfessionalTokenInvalid()
        approval_require_valid(place=client.place)
        return client
