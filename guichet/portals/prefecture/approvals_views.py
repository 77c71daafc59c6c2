"""Préfecture admins keep the registry of their département's trusted third parties: grant, suspend, lift, renew,
revoke, each with a reason; invite the organisation's first manager. Other départements' approvals answer 404."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from guichet.accounts.roles import Role
from guichet.accounts.selectors import role_assignments_active_for
from guichet.core.exceptions import DomainError, TransitionNotAllowed
from guichet.dossiers.workflow import StrOrPromise
from guichet.portals.common.access import portal_for
from guichet.portals.professional.emails import staff_invitation_email_send
from guichet.territory.models import Place
from guichet.trusted_parties.models import Approval, ApprovalStatus
from guichet.trusted_parties.operations import TRUSTED_PARTY_KINDS, operation_labels
from guichet.trusted_parties.selectors import (
    STANDING_LABELS,
    approval_history,
    approval_standing_of,
    approvals_expiring,
    approvals_of_departments,
    invitations_open,
    places_awaiting_approval,
    staff_assignments,
)
from guichet.trusted_parties.services import (
    approval_grant,
    approval_reinstate,
    approval_renew,
    approval_revoke,
    approval_suspend,
    staff_invite,
)

from .approvals_forms import (
    ApprovalDecisionForm,
    ApprovalGrantForm,
    ApprovalRenewForm,
    ManagerInviteForm,
    attach_error,
)


def _codes(request: HttpRequest) -> list[str]:
    """The départements the admin acts for."""
    assignments = role_assignments_active_for(user=request.user).filter(role=Role.PREFECTURE_ADMIN)  # type: ignore[arg-type]
    return [code for code in assignments.values_list("department_id", flat=True) if code]


def _own_approval(request: HttpRequest, approval_id: int) -> Approval:
    approval = approvals_of_departments(department_codes=_codes(request)).filter(pk=approval_id).first()
    if approval is None:
        raise Http404(_("Cet agrément n'existe pas ou ne relève pas de votre département."))
    return approval


def _breadcrumb(*extra: dict) -> list[dict]:
    return [
        {"url": reverse("prefecture:home"), "title": _("Espace préfecture")},
        {"url": reverse("prefecture:approvals"), "title": _("Agréments et habilitations")},
        *extra,
    ]


def _row(approval: Approval) -> dict:
    standing = approval_standing_of(approval)
    return {"approval": approval, "standing": standing, "standing_label": STANDING_LABELS[standing]}


@portal_for(Role.PREFECTURE_ADMIN)
def approval_list(request: HttpRequest) -> HttpResponse:
    codes = _codes(request)
    approvals = approvals_of_departments(department_codes=codes).order_by("place__department_id", "place__name")
    status = request.GET.get("etat", "")
    rows = [_row(approval) for approval in approvals]
    if status:
        rows = [row for row in rows if row["standing"] == status]
    return render(
        request,
        "prefecture/approvals/list.html",
        {
            "page_title": _("Agréments et habilitations"),
            "rows": rows,
            "expiring": [_row(approval) for approval in approvals_expiring(department_codes=codes)],
            "awaiting": places_awaiting_approval(department_codes=codes),
            "standings": STANDING_LABELS.items(),
            "status": status,
            "breadcrumb": [{"url": reverse("prefecture:home"), "title": _("Espace préfecture")}],
        },
    )


def _grant(form: ApprovalGrantForm, place: Place, request: HttpRequest) -> Approval | None:
    data = form.cleaned_data
    try:
        approval = approval_grant(
            place=place,
            number=data["number"],
            holder_name=data["holder_name"],
            holder_siret=data["holder_siret"],
            operations=data["operations"],
            valid_from=data["valid_from"],
            valid_until=data["valid_until"],
            reason=data["reason"] or _("Délivrance de l'agrément"),
            actor=request.user,  # type: ignore[arg-type]
        )
    except DomainError as error:
        attach_error(form, error)
        return None
    if data.get("manager_email"):
        _invite_manager(request, place, data["manager_email"])
    return approval


def _invite_manager(request: HttpRequest, place: Place, email: str) -> None:
    """Invites a manager of the organisation; the outcome is said in a message on the next page."""
    try:
        invitation, token = staff_invite(place=place, email=email, is_manager=True, actor=request.user)  # type: ignore[arg-type]
    except DomainError as error:
        messages.error(request, error.message)
    else:
        staff_invitation_email_send(invitation=invitation, token=token)
        messages.success(request, _("L'invitation est envoyée à %(email)s.") % {"email": invitation.email})


@portal_for(Role.PREFECTURE_ADMIN)
@require_http_methods(["GET", "POST"])
def approval_create(request: HttpRequest, place_id: int) -> HttpResponse:
    place = Place.objects.filter(pk=place_id, department_id__in=_codes(request), kind__in=TRUSTED_PARTY_KINDS).first()
    if place is None:
        raise Http404(_("Cet établissement n'existe pas ou ne relève pas de votre département."))
    form = ApprovalGrantForm(
        request.POST or None,
        kind=place.kind,
        department_code=place.department_id,
        initial={"holder_siret": place.siret or place.pivot},
    )
    if request.method == "POST" and form.is_valid():
        approval = _grant(form, place, request)
        if approval is not None:
            messages.success(
                request, _("L'agrément n° %(number)s est enregistré.") % {"number": approval.number_display}
            )
            return redirect("prefecture:approval_detail", approval_id=approval.pk)
    return render(
        request,
        "prefecture/approvals/grant.html",
        {
            "page_title": _("Délivrer un agrément — %(name)s") % {"name": place.name},
            "place": place,
            "form": form,
            "breadcrumb": _breadcrumb(),
        },
    )


@portal_for(Role.PREFECTURE_ADMIN)
def approval_detail(request: HttpRequest, approval_id: int) -> HttpResponse:
    approval = _own_approval(request, approval_id)
    return render(
        request,
        "prefecture/approvals/detail.html",
        {
            "page_title": _("%(kind)s n° %(number)s")
            % {"kind": approval.get_kind_display(), "number": approval.number_display},
            **_row(approval),
            "operations": operation_labels(approval.operations),
            "history": approval_history(approval=approval),
            "staff": staff_assignments(place=approval.place),
            "invitations": invitations_open(place=approval.place),
            "actions": [
                {"slug": slug, "label": decision.label}
                for slug, decision in DECISIONS.items()
                if approval.status in decision.sources
            ],
            "invite_form": ManagerInviteForm(),
            "breadcrumb": _breadcrumb(),
        },
    )


@dataclass(frozen=True)
class Decision:
    label: StrOrPromise
    sources: frozenset[str]
    service: Callable[..., Approval]
    done: StrOrPromise


GRANTED, SUSPENDED = ApprovalStatus.GRANTED.value, ApprovalStatus.SUSPENDED.value
DECISIONS: dict[str, Decision] = {
    "suspendre": Decision(
        gettext_lazy("Suspendre"), frozenset({GRANTED}), approval_suspend, gettext_lazy("L'agrément est suspendu.")
    ),
    "lever-la-suspension": Decision(
        gettext_lazy("Lever la suspension"),
        frozenset({SUSPENDED}),
        approval_reinstate,
        gettext_lazy("La suspension est levée : l'agrément est de nouveau en vigueur."),
    ),
    "renouveler": Decision(
        gettext_lazy("Renouveler"), frozenset({GRANTED}), approval_renew, gettext_lazy("L'agrément est renouvelé.")
    ),
    "retirer": Decision(
        gettext_lazy("Retirer définitivement"),
        frozenset({GRANTED, SUSPENDED}),
        approval_revoke,
        gettext_lazy("L'agrément est retiré."),
    ),
}


@portal_for(Role.PREFECTURE_ADMIN)
@require_http_methods(["GET", "POST"])
def approval_decide(request: HttpRequest, approval_id: int, action: str) -> HttpResponse:
    approval = _own_approval(request, approval_id)
    decision = DECISIONS.get(action)
    if decision is None:
        raise Http404(_("Cette décision n'existe pas."))
    renewing = action == "renouveler"
    form: ApprovalDecisionForm | ApprovalRenewForm
    if renewing:
        form = ApprovalRenewForm(request.POST or None, kind=approval.kind, initial={"operations": approval.operations})
    else:
        form = ApprovalDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        extra = {"valid_until": data["valid_until"], "operations": data["operations"]} if renewing else {}
        try:
            decision.service(approval=approval, reason=data["reason"], actor=request.user, **extra)
        except TransitionNotAllowed:
            pass  # the page says why this decision is not possible in the approval's current state
        except DomainError as error:
            attach_error(form, error)
        else:
            messages.success(request, str(decision.done))
            return redirect("prefecture:approval_detail", approval_id=approval.pk)
    return render(
        request,
        "prefecture/approvals/decide.html",
        {
            "page_title": _("%(action)s l'agrément n° %(number)s")
            % {"action": decision.label, "number": approval.number_display},
            "approval": approval,
            "decision": decision,
            "action": action,
            "allowed": approval.status in decision.sources,
            "form": form,
            "breadcrumb": _breadcrumb(
                {
                    "url": reverse("prefecture:approval_detail", kwargs={"approval_id": approval.pk}),
                    "title": approval.number_display,
                }
            ),
        },
        status=200 if approval.status in decision.sources or request.method == "GET" else 400,
    )


@portal_for(Role.PREFECTURE_ADMIN)
@require_POST
def approval_manager_invite(request: HttpRequest, approval_id: int) -> HttpResponse:
    approval = _own_approval(request, approval_id)
    form = ManagerInviteForm(request.POST)
    form.is_valid()
    _invite_manager(request, approval.place, form.cleaned_data.get("email", ""))
    return redirect("prefecture:approval_detail", approval_id=approval.pk)
