"""Mon compte: identity, phone, e-mail, password, second factor, sessions and roles."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from guichet.accounts.phone_numbers import french_mobile_display
from guichet.accounts.roles import ROLE_PORTAL
from guichet.accounts.selectors import (
    has_confirmed_second_factor,
    identity_verifier_role_label,
    recovery_codes_left,
    requires_two_factor,
    role_assignments_active_for,
    user_sessions_of,
    verified_identity_of,
)
from guichet.accounts.services import (
    session_is_alive,
    user_email_change_request,
    user_profile_update,
    user_session_end,
    user_sessions_end_others,
)
from guichet.core.exceptions import DomainError, ObjectNotFound

from .forms import EmailChangeForm, ProfileForm
from .navigation import account_page
from .views import send_email_change_verification


def _portal_url(role: str) -> str:
    namespace = ROLE_PORTAL.get(role)  # type: ignore[call-overload]
    try:
        return reverse("admin:index" if namespace == "admin" else f"{namespace}:home") if namespace else ""
    except NoReverseMatch:
        return ""


@account_page
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    identity = verified_identity_of(user=user)  # type: ignore[arg-type]
    current_key = request.session.session_key
    sessions = [
        {"session": s, "is_current": s.session_key == current_key}
        for s in user_sessions_of(user=user)  # type: ignore[arg-type]
        if s.session_key == current_key or session_is_alive(session=s)
    ]
    assignments = [
        {"assignment": a, "portal_url": _portal_url(a.role)}
        for a in role_assignments_active_for(user=user)  # type: ignore[arg-type]
    ]
    return render(
        request,
        "account/home.html",
        {
            "page_title": _("Mon compte"),
            "identity": identity,
            "identity_verifier_role": identity_verifier_role_label(identity=identity),
            "mobile_phone_display": french_mobile_display(user.mobile_phone),  # type: ignore[union-attr]
            "has_two_factor": has_confirmed_second_factor(user=user),  # type: ignore[arg-type]
            "two_factor_mandatory": requires_two_factor(user=user),  # type: ignore[arg-type]
            "recovery_codes_left": recovery_codes_left(user=user),  # type: ignore[arg-type]
            "sessions": sessions,
            "has_other_sessions": any(not s["is_current"] for s in sessions),
            "assignments": assignments,
            "citizen_portal_url": _portal_url("citizen"),
        },
    )


@account_page
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = ProfileForm(
        request.POST or None,
        initial={
            "first_name": user.first_name,  # type: ignore[union-attr]
            "last_name": user.last_name,  # type: ignore[union-attr]
            "mobile_phone": french_mobile_display(user.mobile_phone),  # type: ignore[union-attr]
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            user_profile_update(user=user, actor=user, **form.cleaned_data)  # type: ignore[arg-type]
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Vos informations ont été enregistrées."))
            return redirect("account:home")
    return render(
        request,
        "account/form_page.html",
        {
            "page_title": _("Modifier mon identité et mon téléphone"),
            "form": form,
            "submit_label": _("Enregistrer"),
            "breadcrumb": [{"url": reverse("account:home"), "title": _("Mon compte")}],
        },
    )


@account_page
@require_http_methods(["GET", "POST"])
def email_change(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = EmailChangeForm(request.POST or None, user=user)  # type: ignore[arg-type]
    if request.method == "POST" and form.is_valid():
        try:
            accepted = user_email_change_request(
                user=user,  # type: ignore[arg-type]
                new_email=form.cleaned_data["new_email"],
                actor=user,  # type: ignore[arg-type]
            )
        except DomainError as error:
            form.add_error("new_email", error.message)
        else:
            if accepted:
                send_email_change_verification(user)  # type: ignore[arg-type]
            messages.info(
                request,
                _(
                    "Si cette adresse peut être utilisée, un lien de confirmation valable 48 heures vient d'y être "
                    "envoyé. Votre adresse actuelle reste celle du compte tant que le lien n'a pas été ouvert."
                ),
            )
            return redirect("account:home")
    return render(
        request,
        "account/form_page.html",
        {
            "page_title": _("Changer d'adresse électronique"),
            "intro": _("Nous enverrons un lien à la nouvelle adresse pour vérifier qu'elle est bien la vôtre."),
            "form": form,
            "submit_label": _("Recevoir le lien de confirmation"),
            "breadcrumb": [{"url": reverse("account:home"), "title": _("Mon compte")}],
        },
    )


@account_page
@require_POST
def session_end(request: HttpRequest, session_id: int) -> HttpResponse:
    try:
        user_session_end(
            user=request.user,  # type: ignore[arg-type]
            session_id=session_id,
            current_session_key=request.session.session_key,
            actor=request.user,  # type: ignore[arg-type]
        )
    except ObjectNotFound as error:
        raise Http404 from error
    messages.success(request, _("La session a été fermée."))
    return redirect("account:home")


@account_page
@require_POST
def sessions_end_others(request: HttpRequest) -> HttpResponse:
    count = user_sessions_end_others(
        user=request.user,  # type: ignore[arg-type]
        current_session_key=request.session.session_key,
        actor=request.user,  # type: ignore[arg-type]
    )
    messages.success(request, _("Sessions fermées : %(count)s.") % {"count": count})
    return redirect("account:home")
