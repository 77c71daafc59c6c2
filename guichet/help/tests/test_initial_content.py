"""The data migration gives a fresh database the catalogue, the questions, the lexicon and the tutorials."""

import pytest
from django.contrib.staticfiles import finders

from guichet.help.models import FaqEntry, LexiconTerm, ProcedureGuide, Tutorial, TutorialStep

pytestmark = pytest.mark.django_db

BRIEF_TERMS = {
    "tele-procedure",
    "point-numerique",
    "espace-numerique",
    "mediateur-numerique",
    "dispositif-de-recueil",
    "tiers-de-confiance",
    "pre-demande",
    "neph",
    "cpi",
    "timbre-fiscal",
    "ants",
    "cert",
    "franceconnect",
    "siv",
    "agrement",
    "habilitation",
    "mandat",
    "recepisse",
}


def test_the_four_titles_have_a_published_guide_with_cases_and_questions():
    guides = {guide.slug: guide for guide in ProcedureGuide.objects.filter(is_published=True)}

    assert set(guides) >= {"carte-identite", "passeport", "permis-de-conduire", "carte-grise"}
    for guide in guides.values():
        assert guide.channels and guide.documents and guide.delay
        assert guide.sections.count() >= 3, guide.slug
        assert FaqEntry.objects.filter(guide=guide, is_published=True).count() >= 3, guide.slug


def test_permis_and_carte_grise_cover_the_usual_cases():
    permis = set(ProcedureGuide.objects.get(slug="permis-de-conduire").sections.values_list("anchor", flat=True))
    carte_grise = set(ProcedureGuide.objects.get(slug="carte-grise").sections.values_list("anchor", flat=True))

    assert {"premier-permis", "renouvellement", "perte-ou-vol", "echange-permis-etranger"} <= permis
    assert {"changement-titulaire", "changement-adresse", "duplicata", "vehicule-neuf"} <= carte_grise


def test_titles_without_live_fees_date_their_amounts():
    for slug in ("permis-de-conduire", "carte-grise"):
        guide = ProcedureGuide.objects.get(slug=slug)
        assert guide.cost and guide.cost_as_of is not None


def test_the_lexicon_holds_every_term_of_the_brief():
    assert set(LexiconTerm.objects.values_list("slug", flat=True)) >= BRIEF_TERMS


def test_every_tutorial_step_has_a_shipped_image_with_a_description():
    steps = TutorialStep.objects.all()

    assert Tutorial.objects.filter(is_published=True).count() >= 3
    assert steps.count() >= 9
    for step in steps:
        assert step.image_alt, step.title
        assert finders.find(step.static_image), f"missing static image {step.static_image}"


def test_seeding_again_keeps_the_admins_edits():
    import importlib

    from django.apps import apps

    seeding = importlib.import_module("guichet.help.migrations.0002_initial_content")
    guide = ProcedureGuide.objects.get(slug="passeport")
    guide.summary = "Texte revu par un administrateur."
    guide.save()
    LexiconTerm.objects.filter(slug="neph").delete()

    seeding.seed(apps, None)  # what the test suite's re-seeding runs after a flush

    guide.refresh_from_db()
    assert guide.summary == "Texte revu par un administrateur."
    assert LexiconTerm.objects.filter(slug="neph").exists()
    assert guide.sections.count() == 4
