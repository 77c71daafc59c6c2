"""Reads of the help content for the public pages; only published content is returned."""

from django.db.models import Prefetch, QuerySet
from django.urls import reverse

from .markup import LexiconEntry, LexiconMatcher, lexicon_matcher_for
from .models import FaqEntry, LexiconTerm, ProcedureGuide, Tutorial


def guides_published() -> QuerySet[ProcedureGuide]:
    return ProcedureGuide.objects.filter(is_published=True)


def guide_published(*, slug: str) -> ProcedureGuide | None:
    """The guide with its cases, published questions and tutorials, or None (missing and unpublished alike)."""
    return (
        guides_published()
        .prefetch_related(
            "sections",
            Prefetch("faq_entries", queryset=FaqEntry.objects.filter(is_published=True)),
            Prefetch("tutorials", queryset=Tutorial.objects.filter(is_published=True)),
        )
        .filter(slug=slug)
        .first()
    )


def faq_general() -> QuerySet[FaqEntry]:
    """Questions that belong to no title in particular."""
    return FaqEntry.objects.filter(is_published=True, guide__isnull=True)


def lexicon_terms() -> QuerySet[LexiconTerm]:
    return LexiconTerm.objects.order_by("term")


def tutorials_published() -> QuerySet[Tutorial]:
    return Tutorial.objects.filter(is_published=True).select_related("guide")


def tutorial_published(*, slug: str) -> Tutorial | None:
    return tutorials_published().prefetch_related("steps").filter(slug=slug).first()


def lexicon_matcher() -> LexiconMatcher:
    """One query: every term with its written forms, pointing at the lexicon page."""
    entries = [
        LexiconEntry(slug=term.slug, forms=tuple(term.forms), expansion=term.expansion)
        for term in LexiconTerm.objects.only("slug", "term", "variants", "expansion")
    ]
    return lexicon_matcher_for(entries, page_url=reverse("public:help_lexicon"))
