"""Public help pages: catalogue, one page per procedure with live fees and a start link, FAQ, lexicon, tutorials."""

import re
from datetime import date
from urllib.parse import urlsplit

import pytest
from django.urls import resolve, reverse

from guichet.core.models import RegulatedValue
from guichet.help.models import FaqEntry, ProcedureGuide, Tutorial, TutorialStep

pytestmark = pytest.mark.django_db

GUIDE_SLUGS = ["carte-identite", "passeport", "permis-de-conduire", "carte-grise"]


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def start_link(html: str) -> str:
    match = re.search(r'<a class="fr-btn" href="([^"]+)" data-start-link>', html)
    assert match, "no start button"
    return match.group(1).replace("&amp;", "&")


def test_catalogue_lists_every_published_guide(client):
    ProcedureGuide.objects.filter(slug="carte-grise").update(is_published=False)

    html = page(client, "/demarches/")

    for slug in ("carte-identite", "passeport", "permis-de-conduire"):
        assert f'href="/demarches/{slug}/"' in html
    assert 'href="/demarches/carte-grise/"' not in html


@pytest.mark.parametrize("slug", GUIDE_SLUGS)
def test_every_guide_page_answers_the_five_questions_and_links_help_nearby(client, slug):
    html = page(client, f"/demarches/{slug}/")

    for anchor in ("commencer", "qui-et-comment", "pieces", "cout", "delai", "aide-pres-de-chez-vous"):
        assert f'id="{anchor}"' in html, anchor
    assert "Trouver de l'aide près de chez moi" in html
    assert 'action="/lieux/"' in html and 'name="q"' in html and 'name="service"' in html


@pytest.mark.parametrize("slug", GUIDE_SLUGS)
def test_every_start_link_resolves_to_a_working_page(client, slug):
    url = start_link(page(client, f"/demarches/{slug}/"))

    path = urlsplit(url).path
    resolve(path)  # raises Resolver404 otherwise
    response = client.get(url)
    assert response.status_code in (200, 302)
    if response.status_code == 302:  # the pré-demande asks to sign in first, then comes back
        assert response["Location"].startswith(reverse("account:login"))


def test_identity_guides_start_the_predemande_and_the_others_point_to_trusted_parties(client):
    assert start_link(page(client, "/demarches/carte-identite/")) == reverse("citizen:predemande_start")
    assert start_link(page(client, "/demarches/passeport/")) == reverse("citizen:predemande_start")
    assert start_link(page(client, "/demarches/permis-de-conduire/")) == "/lieux/?type=driving_school"
    assert start_link(page(client, "/demarches/carte-grise/")) == "/lieux/?type=car_professional"


def test_directory_start_link_lists_driving_schools(client):
    from guichet.territory.models import PlaceKind
    from guichet.testing.personas import ensure_place, ensure_test_territory

    department = ensure_test_territory()
    ensure_place(PlaceKind.DRIVING_SCHOOL, department)
    ensure_place(PlaceKind.MAIRIE, department)

    html = page(client, "/lieux/?type=driving_school")

    assert "Auto-école du Thabor" in html
    assert "Mairie de Rennes" not in html


def test_passport_fees_come_from_the_regulated_values_in_force(client):
    html = page(client, "/demarches/passeport/")

    assert "86,00\xa0€" in html and "42,00\xa0€" in html and "17,00\xa0€" in html
    assert "Mineur de 15 à 17 ans" in html
    assert "43,00\xa0€" in html  # Guyane's own amount


def test_a_new_fee_shows_the_day_it_takes_effect(client):
    RegulatedValue.objects.create(
        key="identity_documents.fee.passport.adult",
        value={"amount_cents": 9900},
        effective_from=date(2021, 1, 1),
        source="test",
    )

    html = page(client, "/demarches/passeport/")

    assert re.search(r"Adulte \(18 ans et plus\)</td>\s*<td>99,00\xa0€", html)
    assert not re.search(r"Adulte \(18 ans et plus\)</td>\s*<td>86,00", html)


def test_cni_fees_say_free_and_flag_unverified_amounts(client):
    html = page(client, "/demarches/carte-identite/")

    assert "gratuit" in html
    assert "25,00\xa0€" in html and "12,50\xa0€" in html
    assert "montant à confirmer" in html  # the damaged-card amount is marked unverified in the data


def test_missing_fee_data_is_said_not_crashed(client):
    RegulatedValue.objects.filter(key__startswith="identity_documents.fee.passport").delete()

    html = page(client, "/demarches/passeport/")

    assert "Les montants ne sont pas disponibles" in html


def test_other_titles_show_dated_amounts_from_the_guide(client):
    html = page(client, "/demarches/carte-grise/")

    assert "2,76 €" in html
    assert "Montants vérifiés le 1 mars 2025" in html


def test_guide_page_links_lexicon_terms_once(client):
    html = page(client, "/demarches/permis-de-conduire/")

    assert html.count('href="/lexique/#neph"') == 1
    assert html.count('href="/lexique/#tiers-de-confiance"') == 1


def test_sub_cases_have_stable_anchors(client):
    html = page(client, "/demarches/permis-de-conduire/")

    for anchor in ("premier-permis", "renouvellement", "perte-ou-vol", "echange-permis-etranger"):
        assert f'id="{anchor}"' in html


def test_unknown_or_unpublished_guide_answers_404(client):
    ProcedureGuide.objects.filter(slug="passeport").update(is_published=False)

    assert client.get("/demarches/passeport/").status_code == 404
    assert client.get("/demarches/passeport/questions/").status_code == 404
    assert client.get("/demarches/n-existe-pas/").status_code == 404


def test_faq_page_shows_published_answers_with_anchors(client):
    guide = ProcedureGuide.objects.get(slug="carte-grise")
    FaqEntry.objects.create(
        guide=guide, anchor="brouillon", question="Question en brouillon ?", answer="x", is_published=False
    )

    html = page(client, "/demarches/carte-grise/questions/")

    assert 'id="code-cession"' in html and 'href="#code-cession"' in html
    assert "Question en brouillon" not in html


def test_admin_content_is_sanitised_on_the_public_page(client):
    ProcedureGuide.objects.filter(slug="passeport").update(
        delay='Trois semaines.<script>alert("x")</script><img src=x onerror=alert(1)>'
    )

    html = page(client, "/demarches/passeport/")

    assert "Trois semaines." in html
    assert 'alert("x")' not in html and "onerror" not in html


def test_lexicon_has_one_anchor_per_term_in_dictionary_order(client):
    html = page(client, "/lexique/")

    assert 'id="neph"' in html and 'id="point-numerique"' in html
    assert "Numéro d&#x27;enregistrement préfectoral harmonisé" in html
    assert html.index('id="agrement"') < html.index('id="ants"') < html.index('id="cert"')
    # A definition links other terms but never itself.
    point = html[html.index('id="point-numerique"') : html.index("</dd>", html.index('id="point-numerique"'))]
    assert "#mediateur-numerique" in point and "#point-numerique" not in point.split("</dt>", 1)[1]


def test_help_home_lists_tutorials_and_general_questions(client):
    html = page(client, "/aide/")

    assert 'href="/aide/tutoriels/faire-sa-pre-demande/"' in html
    assert 'id="besoin-d-aide"' in html
    assert 'href="/lieux/?service=mediateur"' in html


def test_tutorial_page_shows_numbered_steps_with_images_and_descriptions(client):
    html = page(client, "/aide/tutoriels/faire-sa-pre-demande/")

    assert "Étape 1 : Ouvrir la fiche de la démarche" in html
    assert "Étape 6 : " in html
    assert 'src="/static/help/tutoriels/pre-demande-1-fiche.png"' in html
    assert 'alt="La fiche de la carte d&#x27;identité sur Guichet' in html


def test_tutorial_video_needs_a_transcript_and_is_shown_with_it(client):
    from django.core.files.base import ContentFile
    from django.db import IntegrityError, transaction

    tutorial = Tutorial.objects.get(slug="suivre-sa-demande")
    with pytest.raises(IntegrityError), transaction.atomic():
        Tutorial.objects.filter(pk=tutorial.pk).update(video="help/videos/x.mp4", video_transcript="")

    tutorial.video_transcript = "On ouvre la page de suivi, puis on tape le numéro."
    tutorial.video.save("suivi.mp4", ContentFile(b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64))
    html = page(client, "/aide/tutoriels/suivre-sa-demande/")

    assert '<video class="guichet-tutorial-video' in html
    assert "On ouvre la page de suivi" in html
    video = client.get(reverse("public:help_tutorial_video", kwargs={"slug": "suivre-sa-demande"}))
    assert video.status_code == 200 and video["Content-Type"] == "video/mp4"


def test_uploaded_step_image_is_served_and_unknown_ones_answer_404(client):
    from django.core.files.base import ContentFile

    from guichet.dossiers.tests.fixtures import png_bytes

    step = TutorialStep.objects.filter(tutorial__slug="trouver-de-l-aide").earliest("position")
    step.image.save("capture.png", ContentFile(png_bytes()))

    html = page(client, "/aide/tutoriels/trouver-de-l-aide/")
    url = reverse("public:help_tutorial_image", kwargs={"slug": "trouver-de-l-aide", "step_id": step.pk})
    assert f'src="{url}"' in html
    image = client.get(url)
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    assert client.get(url.replace(str(step.pk), "987654")).status_code == 404
    other = reverse("public:help_tutorial_image", kwargs={"slug": "suivre-sa-demande", "step_id": step.pk})
    assert client.get(other).status_code == 404


def test_navigation_footer_and_home_link_the_help(client):
    html = page(client, "/")

    assert 'href="/demarches/"' in html and 'href="/aide/"' in html and 'href="/lexique/"' in html


def test_predemande_pages_offer_help(client, citizen):
    client.force_login(citizen)

    html = page(client, reverse("citizen:predemande_start"))

    assert "Besoin d'aide ?" in html
    assert 'href="/aide/tutoriels/faire-sa-pre-demande/"' in html
    assert 'href="/demarches/carte-identite/questions/"' in html


def test_guide_pages_are_printable(client):
    html = page(client, "/demarches/carte-identite/")

    assert "guichet/help.css" in html
    assert 'class="fr-summary guichet-no-print"' in html
