"""The mediator portal: open an assisted session, find or create the visitor's account with them, check their
identity face to face, propose a mandate and record their consent, then act under it on their dossiers.

Mediators of points and espaces numériques use it, and so do mairie agents of mairies without a collection station.
"""

from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from guichet.accounts.email_verification import PURPOSE_SIGNUP, email_link_token_make
from guichet.accounts.models import User
from guichet.accounts.selectors import verified_identity_of
from guichet.core.exceptions import DomainError
from guichet.dossiers import registry
from guichet.dossiers.downloads import document_response
from guichet.dossiers.models import Dossier
from guichet.dossiers.workflow import OPEN_STATUSES, Actor
from guichet.mandates.errors import MandateRefused
from guichet.mandates.models import Mandate, MandateStatus
from guichet.mandates.selectors import mandate_for_staff, mandate_summary, mandates_of_holder
from guichet.mandates.services import (
    mandate_consent_code_resend,
    mandate_revoke,
)
from guichet.mediation.services import (
    assisted_account_create,
    assisted_document_upload,
    assisted_dossier_create,
    assisted_dossier_open,
    assisted_dossier_transition,
    assisted_identity_verify,
    assisted_mandate_confirm,
    assisted_mandate_propose,
    assisted_mandates,
    assisted_places_of,
    assisted_session_current,
    assisted_session_end,
    assisted_session_open,
    assisted_visitor_attach,
    assisted_visitor_mobile_set,
    visitor_search,
)
from guichet.portals.account.emails import account_email_send
from guichet.portals.citizen.forms import DocumentUploadForm
from guichet.portals.common.mandate_pages import attestation_response, consent_page_context, filing_context
from guichet.portals.common.structure import structures_of
from guichet.procedures.identity_documents.predemande import predemande_for_dossier
from guichet.procedures.identity_documents.procedures import CNI, PASSPORT

from .access import current_session, helper_page, session_breadcrumb, session_page
from .forms import (
    AccountCreateForm,
    ConsentForm,
    IdentityCheckForm,
    MandateForm,
    MobileForm,
    ProcedureStartForm,
    VisitorSearchForm,
)

# Démarches whose start has its own pages (the pré-demande); the others start as an empty draft.
PREDEMANDE_PROCEDURES = frozenset({CNI, PASSPORT})
_VISITOR_SALT = "guichet.mediator.visitor"
MEDIATOR_CAPACITIES = frozenset({Actor.MEDIATOR})


def _actor(request: HttpRequest) -> User:
    return cast(User, request.user)


def _render(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    session = getattr(request, "assisted_session", None)
    full = {"assisted_session": session, "breadcrumb": session_breadcrumb() if session else [], **context}
    return render(request, f"mediator/{template}", full, status=status)


# --- Home and session --------------------------------------------------------------------------------------------


@helper_page
def home(request: HttpRequest) -> HttpResponse:
    places = assisted_places_of(user=request.user)
    structures = structures_of(user=_actor(request), roles={"mediator", "mairie_agent"})
    context = {
        "page_title": _("Espace médiation"),
        "structures": [card for card in structures if card.place in places],
        "places": places,
        "current": assisted_session_current(helper=request.user),
    }
    return render(request, "mediator/home.html", context)


@helper_page
@require_POST
def session_open(request: HttpRequest) -> HttpResponse:
    place = next((p for p in assisted_places_of(user=request.user) if str(p.pk) == request.POST.get("place")), None)
    if place is None:
        raise Http404
    assisted_session_open(place=place, actor=_actor(request))
    messages.success(request, _("Session ouverte. Elle se termine d'elle-même après 20 minutes sans activité."))
    return redirect("mediator:session")


@session_page()
def session(request: HttpRequest) -> HttpResponse:
    current = current_session(request)
    citizen = current.citizen
    dossiers: list[Dossier] = []
    if citizen is not None:
        dossiers = list(Dossier.objects.filter(applicant=citizen).order_by("-created_at")[:20])
    context = {
        "page_title": _("Session accompagnée"),
        "breadcrumb": [{"url": reverse("mediator:home"), "title": _("Espace médiation")}],
        "citizen": citizen,
        "identity": verified_identity_of(user=citizen) if citizen else None,
        "mandates": [mandate_summary(m) for m in assisted_mandates(session=current)],
        "dossiers": dossiers,
        "start_form": ProcedureStartForm(),
        "mobile_form": MobileForm(),
        "steps": list(current.steps.all()),
    }
    return _render(request, "session.html", context)


@session_page()
@require_POST
def session_end(request: HttpRequest) -> HttpResponse:
    assisted_session_end(session=current_session(request), actor=_actor(request))
    messages.success(request, _("Session terminée. Pensez à fermer les documents ouverts et à reprendre les papiers."))
    return redirect("mediator:home")


# --- The visitor's account ---------------------------------------------------------------------------------------


@session_page()
@require_http_methods(["GET", "POST"])
def visitor_search_page(request: HttpRequest) -> HttpResponse:
    form = VisitorSearchForm(request.POST or None)
    found: User | None = None
    searched = request.method == "POST" and form.is_valid()
    if searched:
        found = visitor_search(**form.cleaned_data)
    context = {
        "page_title": _("Retrouver le compte de la personne"),
        "form": form,
        "searched": searched,
        "found": found,
        "token": signing.dumps(found.pk, salt=_VISITOR_SALT) if found else "",
    }
    return _render(
        request, "visitor_search.html", context, status=400 if request.method == "POST" and not searched else 200
    )


@session_page()
@require_POST
def visitor_attach(request: HttpRequest) -> HttpResponse:
    try:
        user_id = signing.loads(request.POST.get("visitor", ""), salt=_VISITOR_SALT, max_age=15 * 60)
    except signing.BadSignature:
        raise Http404 from None
    citizen = User.objects.filter(pk=user_id, is_active=True).first()
    if citizen is None:
        raise Http404
    try:
        assisted_visitor_attach(session=current_session(request), citizen=citizen, actor=_actor(request))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("mediator:session")


def _send_account_email(user: User, *, has_password: bool, place_name: str) -> None:
    if has_password:
        token = email_link_token_make(user=user, purpose=PURPOSE_SIGNUP)
        link = settings.SITE_URL + reverse("account:email_verify", kwargs={"token": token})
        account_email_send(to=user.email, template="verify_email", context={"user": user, "link": link, "hours": 48})
        return
    path = reverse(
        "account:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    account_email_send(
        to=user.email,
        template="assisted_activation",
        context={
            "user": user,
            "link": settings.SITE_URL + path,
            "hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
            "place": place_name,
        },
    )


@session_page()
@require_http_methods(["GET", "POST"])
def account_create(request: HttpRequest) -> HttpResponse:
    current = current_session(request)
    form = AccountCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = assisted_account_create(
                session=current,
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                mobile_phone=data["mobile_phone"],
                password=data["password1"],
                actor=_actor(request),
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            _send_account_email(user, has_password=bool(data["password1"]), place_name=current.place.name)
            messages.success(
                request,
                _("Compte créé. Un courriel a été envoyé à %(email)s pour confirmer l'adresse%(password)s.")
                % {"email": user.email, "password": "" if data["password1"] else _(" et choisir un mot de passe")},
            )
            return redirect("mediator:session")
    context = {"page_title": _("Créer le compte de la personne"), "form": form}
    return _render(request, "account_create.html", context, status=400 if request.method == "POST" else 200)


@session_page(needs_visitor=True)
@require_POST
def visitor_mobile(request: HttpRequest) -> HttpResponse:
    form = MobileForm(request.POST)
    if form.is_valid():
        try:
            assisted_visitor_mobile_set(
                session=current_session(request),
                mobile_phone=form.cleaned_data["mobile_phone"],
                actor=_actor(request),
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Numéro de mobile enregistré sur le compte de la personne."))
    else:
        messages.error(request, _("Indiquez un numéro de mobile."))
    return redirect("mediator:session")


@session_page(needs_visitor=True)
@require_http_methods(["GET", "POST"])
def identity_check(request: HttpRequest) -> HttpResponse:
    current = current_session(request)
    form = IdentityCheckForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            assisted_identity_verify(
                session=current,
                document_type=data["document_type"],
                given_name=data["given_name"],
                family_name=data["family_name"],
                birthdate=data["birthdate"],
                actor=_actor(request),
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Identité vérifiée en face à face : c'est noté sur le compte de la personne."))
            return redirect("mediator:session")
    context = {"page_title": _("Vérifier l'identité en face à face"), "form": form, "citizen": current.citizen}
    return _render(request, "identity_check.html", context, status=400 if request.method == "POST" else 200)


# --- Mandates ----------------------------------------------------------------------------------------------------


def _session_mandate(request: HttpRequest, reference: str) -> Mandate:
    current = current_session(request)
    mandate = mandate_for_staff(user=request.user, reference=reference)
    if mandate is None or mandate.holder_id != current.place_id or mandate.citizen_id != current.citizen_id:
        raise Http404
    return mandate


@session_page(needs_visitor=True)
@require_http_methods(["GET", "POST"])
def mandate_new(request: HttpRequest) -> HttpResponse:
    current = current_session(request)
    open_dossiers = list(
        Dossier.objects.filter(applicant=current.citizen, status__in=OPEN_STATUSES).order_by("-created_at")
    )
    form = MandateForm(request.POST or None, dossiers=open_dossiers)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            mandate = assisted_mandate_propose(
                session=current,
                procedures=[] if data["dossier_object"] else data["procedures"],
                dossier=data["dossier_object"],
                duration=data["duration"],
                consent_method=data["consent_method"],
                actor=_actor(request),
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            return redirect("mediator:mandate_consent", reference=mandate.reference)
    context = {"page_title": _("Proposer un mandat"), "form": form}
    return _render(request, "mandate_new.html", context, status=400 if request.method == "POST" else 200)


@session_page(needs_visitor=True)
@require_http_methods(["GET", "POST"])
def mandate_consent(request: HttpRequest, reference: str) -> HttpResponse:
    mandate = _session_mandate(request, reference)
    if mandate.status != MandateStatus.PENDING:
        messages.info(request, _("Ce mandat n'attend plus d'accord (%(status)s).") % {"status": mandate.status_label})
        return redirect("mediator:session")
    form = ConsentForm(request.POST or None, method=mandate.consent_method)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                assisted_mandate_confirm(
                    session=current_session(request),
                    mandate=mandate,
                    code_or_text=form.cleaned_data["code_or_text"],
                    actor=_actor(request),
                )
            except DomainError as error:
                form.add_error("code_or_text", error.message)
            else:
                messages.success(request, _("Accord enregistré : le mandat est en cours."))
                return redirect("mediator:session")
    context = {
        "page_title": _("Accord de la personne au mandat %(reference)s") % {"reference": mandate.display_reference},
        **consent_page_context(mandate, form),
    }
    return _render(request, "mandate_consent.html", context, status=status)


@session_page(needs_visitor=True)
@require_POST
def mandate_code_resend(request: HttpRequest, reference: str) -> HttpResponse:
    mandate = _session_mandate(request, reference)
    try:
        mandate_consent_code_resend(mandate=mandate, actor=_actor(request))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Un nouveau code a été envoyé ; le précédent ne fonctionne plus."))
    return redirect("mediator:mandate_consent", reference=mandate.reference)


@session_page(needs_visitor=True)
def mandate_attestation(request: HttpRequest, reference: str) -> HttpResponseBase:
    return attestation_response(_session_mandate(request, reference))


@session_page(needs_visitor=True)
@require_POST
def mandate_cancel(request: HttpRequest, reference: str) -> HttpResponse:
    mandate = _session_mandate(request, reference)
    try:
        mandate_revoke(mandate=mandate, actor=_actor(request))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Mandat %(reference)s terminé.") % {"reference": mandate.display_reference})
    return redirect("mediator:session")


@helper_page
def holder_mandates(request: HttpRequest) -> HttpResponse:
    places = assisted_places_of(user=request.user)
    groups = [
        {"place": place, "rows": [mandate_summary(mandate) for mandate in mandates_of_holder(holder=place)[:100]]}
        for place in places
    ]
    return render(
        request, "mediator/holder_mandates.html", {"page_title": _("Mandats de ma structure"), "groups": groups}
    )


# --- Acting under the mandate ------------------------------------------------------------------------------------


@session_page(needs_visitor=True)
@require_POST
def procedure_start(request: HttpRequest) -> HttpResponse:
    form = ProcedureStartForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choisissez une démarche dans la liste."))
        return redirect("mediator:session")
    procedure = form.cleaned_data["procedure"]
    if procedure in PREDEMANDE_PROCEDURES:
        return redirect("mediator:predemande_start")
    try:
        dossier = assisted_dossier_create(session=current_session(request), procedure=procedure, actor=_actor(request))
    except MandateRefused:
        raise
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("mediator:session")
    messages.success(request, _("Démarche commencée pour la personne."))
    return redirect("mediator:dossier_detail", reference=dossier.reference)


def _session_dossier(request: HttpRequest, reference: str) -> Dossier:
    """The visitor's dossier, opened to the helper by the mandate (refusal page otherwise); 404 if not theirs."""
    current = current_session(request)
    dossier = Dossier.objects.filter(reference=reference.upper().replace("-", ""), applicant=current.citizen).first()
    if dossier is None:
        raise Http404
    assisted_dossier_open(session=current, dossier=dossier, actor=_actor(request))
    return dossier


def _dossier_context(request: HttpRequest, dossier: Dossier, upload_form: DocumentUploadForm | None = None) -> dict:
    return {
        "page_title": _("Dossier %(reference)s") % {"reference": dossier.display_reference},
        **filing_context(
            user=request.user,
            dossier=dossier,
            capacities=MEDIATOR_CAPACITIES,
            transitions=("submit", "provide_complement"),
            download_url_name="mediator:document_download",
            upload_form=upload_form,
        ),
    }


@session_page(needs_visitor=True)
def dossier_detail(request: HttpRequest, reference: str) -> HttpResponse:
    dossier = _session_dossier(request, reference)
    predemande = predemande_for_dossier(dossier=dossier)
    if predemande is not None:
        return redirect("mediator:predemande_resume", number=predemande.number)
    return _render(request, "dossier_detail.html", _dossier_context(request, dossier))


@session_page(needs_visitor=True)
@require_POST
def dossier_upload(request: HttpRequest, reference: str) -> HttpResponse:
    dossier = _session_dossier(request, reference)
    form = DocumentUploadForm(request.POST, request.FILES, procedure=registry.get_or_generic(dossier.procedure))
    if form.is_valid():
        try:
            assisted_document_upload(
                session=current_session(request),
                dossier=dossier,
                kind=form.cleaned_data["kind"],
                uploaded_file=form.cleaned_data["file"],
                actor=_actor(request),
            )
        except MandateRefused:
            raise
        except DomainError as error:
            form.add_error("file", error.message)
        else:
            messages.success(request, _("La pièce numérisée a été ajoutée au dossier de la personne."))
            return redirect("mediator:dossier_detail", reference=dossier.reference)
    return _render(request, "dossier_detail.html", _dossier_context(request, dossier, form), status=400)


@session_page(needs_visitor=True)
def document_download(request: HttpRequest, reference: str, document_id: int) -> HttpResponseBase:
    dossier = _session_dossier(request, reference)
    return document_response(dossier=dossier, document_id=document_id, user=request.user, role=Actor.MEDIATOR)


@session_page(needs_visitor=True)
@require_POST
def dossier_transition(request: HttpRequest, reference: str, transition: str) -> HttpResponse:
    dossier = _session_dossier(request, reference)
    if transition not in _dossier_context(request, dossier)["transitions"]:
        raise Http404
    try:
        assisted_dossier_transition(
            session=current_session(request), dossier=dossier, name=transition, actor=_actor(request)
        )
    except MandateRefused:
        raise
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("C'est fait : le dossier de la personne a été mis à jour."))
    return redirect("mediator:dossier_detail", reference=dossier.reference)
