"""The template helpers read the lexicon from the database and may be used on any page."""

import pytest
from django.template import Context, Template

pytestmark = pytest.mark.django_db


def render(source: str, **context) -> str:
    return Template("{% load help_text %}" + source).render(Context(context))


def test_lexicon_links_filter_escapes_plain_text_and_links_a_seeded_term():
    html = render("{{ text|lexicon_links }}", text="<b>Votre NEPH</b> et votre NEPH")

    assert "&lt;b&gt;Votre " in html
    assert html.count('href="/lexique/#neph"') == 1
    assert "<abbr title=" in html


def test_lexicon_links_filter_keeps_safe_html():
    html = render("{{ text|safe|lexicon_links }}", text="<p>Un <em>tiers de confiance</em>.</p>")

    assert '<em><a class="guichet-lexicon-link" href="/lexique/#tiers-de-confiance">tiers de confiance' in html


def test_help_text_links_each_term_once_per_page_across_texts_and_loops():
    html = render(
        "{% for text in texts %}{% help_text text %}{% endfor %}{% help_text last %}",
        texts=["Faites la **pré-demande**.", "La pré-demande est gratuite."],
        last="Votre pré-demande, encore.",
    )

    assert html.count('href="/lexique/#pre-demande"') == 1
    assert "<strong><a" in html


def test_help_text_sanitises_the_markdown():
    html = render("{% help_text text %}", text="Bonjour<script>alert(1)</script>")

    assert "<script" not in html and "alert" not in html
    assert "Bonjour" in html


def test_markdown_filter_does_not_link_terms():
    assert "lexique" not in render("{{ text|markdown }}", text="Un point numérique.")
