"""An organisation's managers see their staff, invite people by e-mail and remove them (effective at once)."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from guichet.core.exceptions import DomainError
from guichet.territory.models import Place
from guichet.trusted_parties.models import StaffInvitation
from guichet.trusted_parties.selectors import invitations_open, staff_assignments
from guichet.trusted_parties.services import staff_invitation_cancel, staff_invite, staff_remove

from .access import organisation_view
from .emails import staff_invitation_email_send
from .forms import StaffInviteForm


def _breadcrumb(place: Place, *extra: dict) -> list[dict]:
    return [
        {"url": reverse("professional:home"), "title": _("Espace professionnel")},
        *extra,
    ]


def _staff_page(request: HttpRequest, place: Place, form: StaffInviteForm, status: int = 200) -> HttpResponse:
    return render(
        request,
        "professional/staff.html",
        {
            "page_title": _("Personnel — %(name)s") % {"name": place.name},
            "place": place,
            "staff": staff_assignments(place=place),
            "invitations": invitations_open(place=place),
            "form": form,
            "breadcrumb": _breadcrumb(place),
        },
        status=status,
    )


@organisation_view(manager_only=True)
def staff(request: HttpRequest, place: Place) -> HttpResponse:
    return _staff_page(request, place, StaffInviteForm())


@organisation_view(manager_only=True)
@require_POST
def staff_invitation_send(request: HttpRequest, place: Place) -> HttpResponse:
    form = StaffInviteForm(request.POST)
    if form.is_valid():
        try:
            invitation, token = staff_invite(
                place=place,
                email=form.cleaned_data["email"],
                is_manager=form.cleaned_data["is_manager"],
                actor=request.user,  # type: ignore[arg-type]
            )
        except DomainError as error:
            form.add_error("email", error.message)
        else:
            staff_invitation_email_send(invitation=invitation, token=token)
            messages.success(request, _("L'invitation est envoyée à %(email)s.") % {"email": invitation.email})
            return redirect("professional:staff", place_id=place.pk)
    return _staff_page(request, place, form, status=400)


@organisation_view(manager_only=True)
@require_http_methods(["GET", "POST"])
def staff_member_remove(request: HttpRequest, place: Place, assignment_id: int) -> HttpResponse:
    assignment = staff_assignments(place=place).filter(pk=assignment_id).first()
    if assignment is None:
        raise Http404(_("Cette personne ne fait pas partie du personnel de l'établissement."))
    if request.method == "POST":
        try:
            staff_remove(assignment=assignment, actor=request.user)  # type: ignore[arg-type]
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("%(name)s n'a plus accès à l'espace professionnel.")
                % {"name": assignment.user.get_full_name() or assignment.user.email},
            )
        return redirect("professional:staff", place_id=place.pk)
    return render(
        request,
        "professional/staff_remove.html",
        {
            "page_title": _("Retirer un membre du personnel"),
            "place": place,
            "assignment": assignment,
            "breadcrumb": _breadcrumb(
                place, {"url": reverse("professional:staff", kwargs={"place_id": place.pk}), "title": _("Personnel")}
            ),
        },
    )


@organisation_view(manager_only=True)
@require_POST
def staff_invitation_withdraw(request: HttpRequest, place: Place, invitation_id: int) -> HttpResponse:
    invitation = StaffInvitation.objects.filter(pk=invitation_id, place=place).first()
    if invitation is None:
        raise Http404(_("Cette invitation n'existe pas."))
    try:
        staff_invitation_cancel(invitation=invitation, actor=request.user)  # type: ignore[arg-type]
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("L'invitation est annulée : son lien ne fonctionne plus."))
    return redirect("professional:staff", place_id=place.pk)
