"""Admin bodies become safe HTML; lexicon words link to their definition (first occurrence, outside links and
headings, text escaped)."""

import pytest

from guichet.help.markup import LexiconEntry, LexiconMatcher, link_lexicon_terms, markdown_to_html

MATCHER = LexiconMatcher(
    entries=(
        LexiconEntry(slug="neph", forms=("NEPH",), expansion="Numéro d'enregistrement préfectoral harmonisé"),
        LexiconEntry(slug="point-numerique", forms=("point numérique", "points numériques")),
        LexiconEntry(slug="mediateur-numerique", forms=("médiateur numérique", "médiateur")),
        LexiconEntry(slug="pre-demande", forms=("pré-demande", "prédemande")),
        LexiconEntry(slug="mandat", forms=("mandat",)),
    ),
    page_url="/lexique/",
)


def linked(html: str, seen: set[str] | None = None) -> str:
    return str(link_lexicon_terms(html, matcher=MATCHER, seen=seen))


# --- sanitising --------------------------------------------------------------------------------------------------


def test_markdown_lists_bold_and_links_are_kept():
    html = markdown_to_html("Apportez :\n\n- une **photo** ;\n- un [justificatif](https://www.service-public.fr).")

    assert "<ul>" in html and "<li>une <strong>photo</strong> ;</li>" in html
    assert '<a href="https://www.service-public.fr">justificatif</a>' in html


@pytest.mark.parametrize(
    ("source", "forbidden"),
    [
        ("<script>alert('x')</script>Bonjour", "<script"),
        ("<script>alert('x')</script>Bonjour", "alert"),
        ('<img src="x" onerror="alert(1)">', "onerror"),
        ('<a href="javascript:alert(1)">clic</a>', "javascript:"),
        ('<p style="color:red" onclick="steal()">texte</p>', "onclick"),
        ("<iframe src='https://example.org'></iframe>", "<iframe"),
        ("[clic](javascript:alert(1))", "javascript:"),
        ("<style>body{display:none}</style>", "display:none"),
    ],
)
def test_admin_html_is_sanitised(source, forbidden):
    assert forbidden not in markdown_to_html(source)


def test_top_level_headings_are_demoted_below_the_page_outline():
    html = markdown_to_html("# Titre\n\n## Sous-titre\n\n### Détail")

    assert "<h1" not in html and "<h2" not in html
    assert html.count("<h3>") == 3


def test_empty_or_odd_input_renders_without_error():
    assert markdown_to_html("") == ""
    assert "&lt;" in markdown_to_html("1 < 2 et <<>>")


# --- lexicon links -----------------------------------------------------------------------------------------------


def test_links_the_first_occurrence_only():
    html = linked("<p>Votre pré-demande est enregistrée. Gardez le numéro de pré-demande.</p>")

    assert html.count('href="/lexique/#pre-demande"') == 1
    assert html.index('href="/lexique/#pre-demande"') < html.index("enregistrée")


def test_acronym_gets_an_abbr_with_its_expansion_and_an_accessible_name():
    html = linked("<p>Votre NEPH figure sur l'attestation.</p>")

    assert (
        '<a class="guichet-lexicon-link" href="/lexique/#neph">'
        '<abbr title="Numéro d&#x27;enregistrement préfectoral harmonisé">NEPH</abbr>'
        '<span class="fr-sr-only"> (définition dans le lexique)</span></a>'
    ) in html


def test_acronyms_match_in_capitals_only_and_words_in_any_case_and_plural():
    html = linked("<p>neph minuscule. Les Points Numériques. Des prédemandes.</p>")

    assert "#neph" not in html
    assert '#point-numerique">Points Numériques<' in html
    assert '#pre-demande">prédemandes<' in html


def test_longest_form_wins_and_words_inside_other_words_are_left_alone():
    html = linked("<p>Un médiateur numérique. Un mandataire.</p>")

    assert '#mediateur-numerique">médiateur numérique<' in html
    assert "#mandat" not in html


def test_text_inside_links_headings_and_code_is_not_linked():
    html = linked(
        '<h3>Le point numérique</h3><p><a href="/lieux/">point numérique proche</a></p>'
        "<p><code>NEPH</code></p><p>Un point numérique et un NEPH.</p>"
    )

    assert "<h3>Le point numérique</h3>" in html
    assert '<a href="/lieux/">point numérique proche</a>' in html
    assert "<code>NEPH</code>" in html
    assert html.count("guichet-lexicon-link") == 2
    assert html.endswith("</a>.</p>")


def test_text_is_escaped_and_markup_kept():
    html = linked("<p>1 &lt; 2 &amp; un <strong>mandat</strong> &lt;script&gt;</p>")

    assert "1 &lt; 2 &amp; un <strong>" in html
    assert "&lt;script&gt;" in html
    assert "<script>" not in html
    assert '<strong><a class="guichet-lexicon-link" href="/lexique/#mandat">mandat' in html


def test_terms_already_seen_on_the_page_are_not_linked_again():
    seen: set[str] = set()
    first = linked("<p>Une pré-demande.</p>", seen)
    second = linked("<p>Encore une pré-demande et un mandat.</p>", seen)

    assert "#pre-demande" in first
    assert "#pre-demande" not in second
    assert "#mandat" in second
    assert seen == {"pre-demande", "mandat"}


def test_an_empty_lexicon_only_escapes():
    empty = LexiconMatcher(entries=(), page_url="/lexique/")

    assert str(link_lexicon_terms("<p>a &lt; b</p>", matcher=empty)) == "<p>a &lt; b</p>"
