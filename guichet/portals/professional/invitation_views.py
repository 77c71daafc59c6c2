"""Following a staff invitation link: create the account (or sign in with the invited address), then accept.

GET only shows what the link offers (mail scanners follow links); POST uses it. The second factor is set up on the
way into the portal, which `portal_for` requires of every professional role.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from guichet.accounts.errors import EmailAlreadyUsed
from guichet.accounts.models import User
from guichet.core.exceptions import DomainError
from guichet.trusted_parties.errors import InvitationRefused
from guichet.trusted_parties.services import staff_account_create, staff_invitation_accept, staff_invitation_find

from .forms import StaffAccountForm


def _refused(request: HttpRequest, error: DomainError) -> HttpResponse:
    return render(
        request,
        "professional/invitation.html",
        {"page_title": _("Invitation à l'espace professionnel"), "refusal": error.message},
        status=400,
    )


@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    try:
        found = staff_invitation_find(token=token)
    except InvitationRefused as error:
        return _refused(request, error)
    user = request.user
    has_account = User.objects.filter(email__iexact=found.email).exists()
    signed_in_as_invited = user.is_authenticated and user.email.lower() == found.email.lower()  # type: ignore[union-attr]
    form = None
    if not user.is_authenticated and not has_account:
        form = StaffAccountForm(request.POST or None, email=found.email)
    if request.method == "POST":
        try:
            if signed_in_as_invited:
                staff_invitation_accept(token=token, user=user)  # type: ignore[arg-type]
                messages.success(request, _("Vous faites désormais partie de %(name)s.") % {"name": found.place.name})
                return redirect("professional:home")
            if form is not None and form.is_valid():
                data = form.cleaned_data
                staff_account_create(
                    token=token,
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    password=data["password1"],
                    terms_accepted=data["accept_terms"],
                )
                messages.success(
                    request,
                    _(
                        "Votre compte est créé. Connectez-vous, puis activez la double authentification pour "
                        "entrer dans l'espace professionnel."
                    ),
                )
                login = reverse("account:login")
                return redirect(f"{login}?{urlencode({'next': reverse('professional:home')})}")
        except InvitationRefused as error:
            return _refused(request, error)
        except EmailAlreadyUsed:
            has_account, form = True, None
        except (ValidationError, DomainError) as error:
            target = form if form is not None else None
            for message in error.messages if isinstance(error, ValidationError) else [error.message]:
                if target is not None:
                    target.add_error(None, message)
                else:
                    messages.error(request, message)
    return render(
        request,
        "professional/invitation.html",
        {
            "page_title": _("Invitation à l'espace professionnel"),
            "invitation": found,
            "form": form,
            "has_account": has_account,
            "signed_in_as_invited": signed_in_as_invited,
            "login_url": f"{reverse('account:login')}?{urlencode({'next': request.path})}",
        },
    )
