"""The mairie counter (recueil) and the hand-over desk. Agents of any equipped mairie receive pré-demandes;
titles are handed over only by agents of the mairie where they wait."""

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from guichet.accounts.roles import Role
from guichet.core.exceptions import DomainError
from guichet.dossiers.models import AccessRole, Dossier
from guichet.dossiers.policy import parse_reference
from guichet.dossiers.services import dossier_record_view
from guichet.notifications.channels.sms import phone_normalize_french_mobile
from guichet.portals.common.access import portal_for
from guichet.procedures.identity_documents import counter, handover
from guichet.procedures.identity_documents.checks import age_on, civil_status_of
from guichet.procedures.identity_documents.counter_models import CounterSession, CounterSessionStatus, TitleProduction
from guichet.procedures.identity_documents.models import PreDemandeTitle, Title

from .counter_forms import HandoverForm, LodgeForm, PaperFormForm, PreDemandeSearchForm


def _breadcrumb() -> list[dict[str, Any]]:
    return [{"url": reverse("town_hall:counter_home"), "title": _("Guichet de recueil")}]


def _session_for(request: HttpRequest, session_id: int) -> CounterSession:
    """The session if it belongs to one of the agent's equipped mairies; 404 otherwise."""
    places = counter.counter_places_of(agent=request.user)
    session = (
        CounterSession.objects.filter(pk=session_id, place__in=places)
        .select_related("predemande__applicant", "place")
        .first()
    )
    if session is None:
        raise Http404
    return session


def _stamp_titles(session: CounterSession) -> list[tuple[str, str]]:
    links = PreDemandeTitle.objects.filter(predemande=session.predemande).order_by("title")
    return [
        (link.title, str(link.get_title_display()))
        for link in links
        if counter.counter_fee_due_cents(session.predemande, link.title) != 0
    ]


@portal_for(Role.MAIRIE_AGENT)
@require_http_methods(["GET", "POST"])
def counter_home(request: HttpRequest) -> HttpResponse:
    place = counter.counter_place_of(agent=request.user)
    form = PreDemandeSearchForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and place is not None and form.is_valid():
        try:
            predemande = counter.predemande_for_counter(raw_number=form.cleaned_data["number"])
            session = counter.counter_session_open(predemande=predemande, agent=request.user, place=place)
        except DomainError as error:
            form.add_error("number", error.message)
        else:
            return redirect("town_hall:counter_session", session_id=session.pk)
    if request.method == "POST":
        status = 400
    context = {
        "page_title": _("Guichet de recueil"),
        "place": place,
        "form": form,
        "awaiting": handover.titles_awaiting_collection(agent=request.user)[:50] if place else [],
    }
    return render(request, "town_hall/counter/home.html", context, status=status)


def _session_context(session: CounterSession, form: LodgeForm) -> dict[str, Any]:
    predemande = session.predemande
    civil = civil_status_of(predemande)
    return {
        "page_title": _("Pré-demande %(number)s") % {"number": predemande.display_number},
        "breadcrumb": _breadcrumb(),
        "session": session,
        "predemande": predemande,
        "civil": civil,
        "titles": PreDemandeTitle.objects.filter(predemande=predemande).order_by("title"),
        "form": form,
        "capture": session.capture,
    }


@portal_for(Role.MAIRIE_AGENT)
def counter_session(request: HttpRequest, session_id: int) -> HttpResponse:
    session = _session_for(request, session_id)
    if session.status == CounterSessionStatus.LODGED:
        return redirect("town_hall:counter_receipt", session_id=session.pk)
    form = LodgeForm(checklist=counter.counter_checklist(session.predemande), stamp_titles=_stamp_titles(session))
    counter.counter_session_record_view(session=session, agent=request.user, page="session")
    return render(request, "town_hall/counter/session.html", _session_context(session, form))


@portal_for(Role.MAIRIE_AGENT)
@require_POST
def counter_capture(request: HttpRequest, session_id: int) -> HttpResponse:
    session = _session_for(request, session_id)
    try:
        session = counter.counter_capture(session=session, agent=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        if session.capture.get("is_acceptable"):
            messages.success(request, _("Recueil terminé : photo, signature et empreintes enregistrées."))
        else:
            messages.warning(request, _("Qualité insuffisante : recommencez le recueil."))
    return redirect("town_hall:counter_session", session_id=session.pk)


@portal_for(Role.MAIRIE_AGENT)
@require_POST
def counter_lodge(request: HttpRequest, session_id: int) -> HttpResponse:
    session = _session_for(request, session_id)
    stamp_titles = _stamp_titles(session)
    form = LodgeForm(request.POST, checklist=counter.counter_checklist(session.predemande), stamp_titles=stamp_titles)
    if form.is_valid():
        stamps = {title: form.cleaned_data.get(f"stamp_{title}", "") for title, _label in stamp_titles}
        try:
            counter.counter_lodge(
                session=session, agent=request.user, checked_originals=form.cleaned_data["originals"], stamps=stamps
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("La demande est déposée et transmise pour instruction."))
            return redirect("town_hall:counter_receipt", session_id=session.pk)
    session.refresh_from_db()
    return render(request, "town_hall/counter/session.html", _session_context(session, form), status=400)


def _receipt_context(request: HttpRequest, session_id: int, page: str) -> dict[str, Any]:
    session = _session_for(request, session_id)
    if session.status != CounterSessionStatus.LODGED:
        raise Http404
    counter.counter_session_record_view(session=session, agent=request.user, page=page)
    predemande = session.predemande
    return {
        "page_title": _("Récépissé de dépôt"),
        "breadcrumb": _breadcrumb(),
        "session": session,
        "predemande": predemande,
        "civil": civil_status_of(predemande),
        "receipt_display": " ".join(
            predemande.counter_receipt_number[i : i + 4] for i in range(0, len(predemande.counter_receipt_number), 4)
        ),
        "titles": PreDemandeTitle.objects.filter(predemande=predemande).select_related("dossier").order_by("title"),
    }


@portal_for(Role.MAIRIE_AGENT)
def counter_receipt(request: HttpRequest, session_id: int) -> HttpResponse:
    return render(request, "town_hall/counter/receipt.html", _receipt_context(request, session_id, "receipt"))


@portal_for(Role.MAIRIE_AGENT)
def counter_receipt_pdf(request: HttpRequest, session_id: int) -> HttpResponse:
    """The printable receipt handed to the applicant, with a QR code of the receipt number for tracking."""
    import segno
    from weasyprint import HTML

    context = _receipt_context(request, session_id, "receipt_pdf")
    qr = segno.make(context["predemande"].counter_receipt_number, error="m")
    context["qr_svg"] = qr.svg_inline(scale=4, title=_("QR code du numéro de récépissé"))
    html = render_to_string("town_hall/counter/receipt_pdf.html", context, request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="recepisse-{context["predemande"].counter_receipt_number}.pdf"'
    return response


@portal_for(Role.MAIRIE_AGENT)
@require_http_methods(["GET", "POST"])
def counter_paper_form(request: HttpRequest) -> HttpResponse:
    place = counter.counter_place_of(agent=request.user)
    form = PaperFormForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and place is not None and form.is_valid():
        data = form.cleaned_data
        try:
            mobile = phone_normalize_french_mobile(data["mobile_phone"]) if data["mobile_phone"] else ""
            session = counter.counter_paper_start(
                form=counter.PaperForm(
                    family_name=data["family_name"],
                    given_names=data["given_names"],
                    birth_date=data["birth_date"],
                    titles=data["titles"],
                    motive=data["motive"],
                    email=data["email"],
                    birth_commune_code=data["birth_commune_code"],
                    mobile_phone=mobile,
                    is_for_minor=data["is_for_minor"],
                ),
                agent=request.user,
                place=place,
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            return redirect("town_hall:counter_session", session_id=session.pk)
    context = {
        "page_title": _("Demande sur formulaire papier"),
        "breadcrumb": _breadcrumb(),
        "place": place,
        "form": form,
    }
    return render(
        request, "town_hall/counter/paper_form.html", context, status=400 if request.method == "POST" else 200
    )


def _production_for(request: HttpRequest, reference: str) -> TitleProduction:
    """A title waiting at one of the agent's mairies; 404 otherwise (also for titles of other mairies)."""
    parsed = parse_reference(reference)
    places = counter.counter_places_of(agent=request.user)
    production = (
        TitleProduction.objects.filter(dossier__reference=parsed, place__in=places)
        .select_related("dossier__applicant", "place")
        .first()
        if parsed
        else None
    )
    if production is None:
        raise Http404
    return production


@portal_for(Role.MAIRIE_AGENT)
@require_http_methods(["GET", "POST"])
def handover_title(request: HttpRequest, reference: str) -> HttpResponse:
    production = _production_for(request, reference)
    dossier: Dossier = production.dossier
    form = HandoverForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            handover.title_deliver(
                dossier=dossier,
                agent=request.user,
                identity_checked=form.cleaned_data["identity_checked"],
                old_title_surrendered=form.cleaned_data["old_title_surrendered"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Le titre est remis."))
            return redirect("town_hall:counter_home")
    link = PreDemandeTitle.objects.select_related("predemande").get(dossier=dossier)
    civil = civil_status_of(link.predemande)
    # The page shows the holder's civil status: every agent access is journaled.
    dossier_record_view(dossier=dossier, actor=request.user, role=AccessRole.MAIRIE_AGENT)
    context = {
        "page_title": _("Remise du titre %(reference)s") % {"reference": dossier.display_reference},
        "breadcrumb": _breadcrumb(),
        "production": production,
        "dossier": dossier,
        "title_label": Title(link.title).label,
        "civil": civil,
        "age": age_on(civil.birth_date, production.available_at.date()) if production.available_at else None,
        "old_title_expected": handover.old_title_expected(dossier),
        "form": form,
    }
    return render(request, "town_hall/counter/handover.html", context, status=400 if request.method == "POST" else 200)
