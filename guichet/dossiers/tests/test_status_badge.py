"""The status badge tag: built once per language and status, the same HTML as when built afresh."""

from django.utils import translation

from guichet.dossiers.templatetags import dossiers_tags
from guichet.dossiers.workflow import Status


def test_a_badge_is_the_status_label_in_its_dsfr_class_and_is_kept_for_the_next_row():
    dossiers_tags._BADGE_HTML.clear()
    with translation.override("fr"):
        first = dossiers_tags.status_badge(Status.AWAITING_COMPLEMENT)
        again = dossiers_tags.status_badge(Status.AWAITING_COMPLEMENT)
        label = dossiers_tags.status_label(Status.AWAITING_COMPLEMENT)
    assert first == f'<p class="fr-badge fr-badge--sm fr-badge--warning">{label}</p>'
    assert again is first
    assert ("fr", Status.AWAITING_COMPLEMENT) in dossiers_tags._BADGE_HTML


def test_the_kept_badges_follow_the_active_language():
    dossiers_tags._BADGE_HTML.clear()
    with translation.override("fr"):
        dossiers_tags.status_badge(Status.DRAFT)
    with translation.override("en"):
        dossiers_tags.status_badge(Status.DRAFT)
    assert {("fr", Status.DRAFT), ("en", Status.DRAFT)} <= set(dossiers_tags._BADGE_HTML)


def test_a_value_that_is_no_status_is_escaped_and_not_kept():
    dossiers_tags._BADGE_HTML.clear()
    html = dossiers_tags.status_badge("<b>corrupt</b>")
    assert "&lt;b&gt;corrupt&lt;/b&gt;" in html
    assert dossiers_tags._BADGE_HTML == {}
