"""Public help pages: the procedure catalogue (`/demarches/`), FAQ, lexicon (`/lexique/`) and tutorials (`/aide/`).

Content comes from `guichet.help` (edited by platform admins); the CNI and passport amounts come live from the
regulated values the pré-demande uses, so a fee change shows here the day it takes effect.
"""

import unicodedata
from dataclasses import dataclass
from urllib.parse import urlencode

import magic
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from guichet.help.markup import link_lexicon_terms, markdown_to_html
from guichet.help.models import ProcedureGuide, StartMode, TitleKind, Tutorial, TutorialStep
from guichet.help.selectors import (
    faq_general,
    guide_published,
    guides_published,
    lexicon_matcher,
    lexicon_terms,
    tutorial_published,
    tutorials_published,
)
from guichet.procedures.identity_documents.fee_schedule import FeeLine, fee_schedule
from guichet.procedures.identity_documents.fees import format_euros
from guichet.territory.models import Department, PlaceKind

OFFICIAL_SITE = "https://ants.gouv.fr"


@dataclass(frozen=True)
class Link:
    url: str
    label: str


@dataclass(frozen=True)
class StartBlock:
    """The "Commencer" part of a guide: the main way in, other ways, and the kinds of help to look for nearby."""

    primary: Link
    secondary: tuple[Link, ...]
    online_url: str  # Guichet's own online service for this title, "" while it does not exist
    nearby_services: tuple[tuple[str, str], ...]  # (directory `service` value, label)


def _directory(**params: str) -> str:
    return reverse("public:directory_search") + "?" + urlencode(params)


def _first_url(*names: str) -> str:
    """The first of these URL names that exists (title apps may add their own online start later)."""
    for name in names:
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return ""


MEDIATOR_SERVICE = ("mediateur", _("Un médiateur numérique pour m'aider"))


def start_block(guide: ProcedureGuide) -> StartBlock:
    if guide.start_mode == StartMode.PREDEMANDE:
        return StartBlock(
            primary=Link(reverse("citizen:predemande_start"), _("Commencer la pré-demande")),
            secondary=(Link(_directory(service="recueil"), _("Trouver une mairie équipée")),),
            online_url=reverse("citizen:predemande_start"),
            nearby_services=(("recueil", _("Une mairie équipée pour déposer ma demande")), MEDIATOR_SERVICE),
        )
    if guide.start_mode == StartMode.DRIVING_SCHOOL:
        return StartBlock(
            primary=Link(_directory(type=PlaceKind.DRIVING_SCHOOL), _("Trouver une école de conduite agréée")),
            secondary=(Link(_directory(service="mediateur"), _("Trouver un médiateur numérique")),),
            online_url=_first_url("citizen:driving_licence_start"),
            nearby_services=(("permis", _("Une école de conduite agréée")), MEDIATOR_SERVICE),
        )
    return StartBlock(
        primary=Link(
            _directory(type=PlaceKind.CAR_PROFESSIONAL), _("Trouver un professionnel de l'automobile habilité")
        ),
        secondary=(Link(_directory(service="mediateur"), _("Trouver un médiateur numérique")),),
        online_url=_first_url("citizen:vehicle_registration_start"),
        nearby_services=(("immatriculation", _("Un professionnel de l'automobile habilité")), MEDIATOR_SERVICE),
    )


def _fee_rows(guide: ProcedureGuide) -> list[dict] | None:
    """Live amounts for the CNI and the passport (None for titles whose amounts are written in the guide)."""
    if guide.title_kind not in (TitleKind.CNI, TitleKind.PASSPORT):
        return None
    lines: list[FeeLine] = fee_schedule(title=guide.title_kind, on=timezone.localdate())
    names = dict(
        Department.objects.filter(code__in={line.territory_code for line in lines}).values_list("code", "name")
    )
    return [
        {
            "label": line.label,
            "amount": _("gratuit") if line.amount_cents == 0 else format_euros(line.amount_cents),
            "territory": (f"{names.get(line.territory_code, '')} ({line.territory_code})").strip()
            if line.territory_code
            else "",
            "since": line.effective_from,
            "is_unverified": line.is_unverified,
        }
        for line in lines
    ]


def _catalogue_crumb() -> list[dict[str, str]]:
    return [{"url": reverse("public:help_catalogue"), "title": _("Démarches")}]


def _guide_or_404(slug: str) -> ProcedureGuide:
    guide = guide_published(slug=slug)
    if guide is None:
        raise Http404(_("Aucune démarche ne porte ce nom."))
    return guide


@require_safe
def catalogue(request: HttpRequest) -> HttpResponse:
    context = {
        "page_title": _("Toutes les démarches"),
        "guides": guides_published(),
        "tutorials": tutorials_published(),
    }
    return render(request, "public/help/catalogue.html", context)


@require_safe
def guide_detail(request: HttpRequest, slug: str) -> HttpResponse:
    guide = _guide_or_404(slug)
    context = {
        "page_title": guide.title,
        "guide": guide,
        "start": start_block(guide),
        "fee_rows": _fee_rows(guide),
        "today": timezone.localdate(),
        "official_site": OFFICIAL_SITE,
        "breadcrumb": _catalogue_crumb(),
    }
    return render(request, "public/help/guide.html", context)


@require_safe
def guide_faq(request: HttpRequest, slug: str) -> HttpResponse:
    guide = _guide_or_404(slug)
    context = {
        "page_title": _("Questions fréquentes : %(title)s") % {"title": guide.title},
        "guide": guide,
        "breadcrumb": [
            *_catalogue_crumb(),
            {"url": reverse("public:help_guide", kwargs={"slug": guide.slug}), "title": guide.title},
        ],
    }
    return render(request, "public/help/guide_faq.html", context)


@require_safe
def help_home(request: HttpRequest) -> HttpResponse:
    context = {
        "page_title": _("Aide"),
        "faq": faq_general(),
        "tutorials": tutorials_published(),
        "guides": guides_published(),
    }
    return render(request, "public/help/help_home.html", context)


@require_safe
def lexicon(request: HttpRequest) -> HttpResponse:
    matcher = lexicon_matcher()
    terms = []
    initials: dict[str, str] = {}  # initial letter → anchor of its first term
    for term in sorted(lexicon_terms(), key=lambda row: _sort_key(row.term)):
        initials.setdefault(_sort_key(term.term)[:1].upper(), term.slug)
        # Each definition links the other terms it uses, never its own.
        definition = link_lexicon_terms(markdown_to_html(term.definition), matcher=matcher, seen={term.slug})
        terms.append({"term": term, "definition": definition})
    context = {"page_title": _("Lexique"), "terms": terms, "initials": list(initials.items())}
    return render(request, "public/help/lexicon.html", context)


def _sort_key(text: str) -> str:
    """Dictionary order: case and accents ignored (« agrément » before « ANTS », « écran » among the E)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(character for character in decomposed if not unicodedata.combining(character))


def _step_image_url(tutorial: Tutorial, step: TutorialStep) -> str:
    if step.image:
        return reverse("public:help_tutorial_image", kwargs={"slug": tutorial.slug, "step_id": step.pk})
    if step.static_image:
        return static(step.static_image)
    return ""


@require_safe
def tutorial_detail(request: HttpRequest, slug: str) -> HttpResponse:
    tutorial = tutorial_published(slug=slug)
    if tutorial is None:
        raise Http404(_("Aucun tutoriel ne porte ce nom."))
    steps = [{"step": step, "image_url": _step_image_url(tutorial, step)} for step in tutorial.steps.all()]
    context = {
        "page_title": tutorial.title,
        "tutorial": tutorial,
        "steps": steps,
        "video_url": reverse("public:help_tutorial_video", kwargs={"slug": tutorial.slug}) if tutorial.video else "",
        "breadcrumb": [{"url": reverse("public:help_home"), "title": _("Aide")}],
    }
    return render(request, "public/help/tutorial.html", context)


@require_safe
def tutorial_image(request: HttpRequest, slug: str, step_id: int) -> FileResponse:
    """An uploaded step image (uploads are never served by URL: this view streams a re-encoded PNG or JPEG)."""
    step = TutorialStep.objects.filter(pk=step_id, tutorial__slug=slug, tutorial__is_published=True).first()
    if step is None or not step.image:
        raise Http404(_("Image introuvable."))
    return _stream(step.image, fallback_type="image/png")


@require_safe
def tutorial_video(request: HttpRequest, slug: str) -> FileResponse:
    tutorial = tutorial_published(slug=slug)
    if tutorial is None or not tutorial.video:
        raise Http404(_("Vidéo introuvable."))
    return _stream(tutorial.video, fallback_type="video/mp4")


def _stream(field_file: FieldFile, *, fallback_type: str) -> FileResponse:
    try:
        handle = field_file.open("rb")
    except FileNotFoundError:
        raise Http404(_("Fichier introuvable.")) from None
    head = handle.read(2048)
    handle.seek(0)
    content_type = magic.from_buffer(head, mime=True) or fallback_type
    if content_type not in ("image/png", "image/jpeg", "video/mp4", "video/webm"):
        content_type = fallback_type
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = "public, max-age=3600"
    return response
