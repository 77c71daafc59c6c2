"""API of trusted third parties' software (driving schools, car professionals), by bearer token.

Every call first checks the organisation's approval (`ProfessionalToken`): a suspended, revoked or expired approval
answers 403 `{"error": {"code": "approval_suspended" | "approval_revoked" | "approval_expired" | …, "message": …}}`,
a missing or unknown token 401 `{"error": {"code": "invalid_token", …}}` — the shape of `DomainError.as_json`.
"""

from datetime import date

from django.http import HttpRequest
from ninja import Router, Schema

from guichet.trusted_parties.operations import OPERATION_LABELS
from guichet.trusted_parties.selectors import organisation_standing

from .auth import ProfessionalToken

router = Router(auth=ProfessionalToken(), tags=["Tiers de confiance"])


class ErrorBody(Schema):
    code: str
    message: str


class ErrorResponse(Schema):
    error: ErrorBody


class OperationOut(Schema):
    code: str
    label: str


class OrganisationOut(Schema):
    place_id: int
    name: str
    kind: str
    department: str
    approval_number: str
    approval_status: str
    valid_from: date
    valid_until: date
    operations: list[OperationOut]


@router.get(
    "/organisation",
    url_name="professional_organisation",
    response={200: OrganisationOut, 401: ErrorResponse, 403: ErrorResponse},
    summary="L'établissement du jeton et son agrément en vigueur",
)
def organisation(request: HttpRequest):
    client = request.auth  # type: ignore[attr-defined]
    standing = organisation_standing(place=client.place)
    approval = standing.approval
    assert approval is not None  # ProfessionalToken let the call through: the approval is in force
    return {
        "place_id": client.place.pk,
        "name": client.place.name,
        "kind": approval.kind,
        "department": client.place.department_id,
        "approval_number": approval.number,
        "approval_status": standing.standing,
        "valid_from": approval.valid_from,
        "valid_until": approval.valid_until,
        "operations": [{"code": code, "label": str(OPERATION_LABELS.get(code, code))} for code in approval.operations],
    }
