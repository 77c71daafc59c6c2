"""The shared layout (base.html, header, footer, menu): what it renders once per process stays right per request."""

import re

import pytest
from django.template import Context, Template
from django.test import Client
from django.urls import clear_script_prefix, reverse, set_script_prefix
from django.utils import timezone

from guichet.accounts.models import RoleAssignment

pytestmark = pytest.mark.django_db

NAV_LINK = re.compile(r'<a class="fr-nav__link" href="([^"]*)"( aria-current="page")?>([^<]*)</a>')


def nav(html: str) -> list[tuple[str, bool, str]]:
    return [(url, bool(current), label) for url, current, label in NAV_LINK.findall(html)]


def test_the_menu_marks_the_page_being_shown(client):
    for path in ["/", reverse("public:tracking"), reverse("public:help_home")]:
        entries = nav(client.get(path).content.decode())
        assert [url for url, current, _label in entries if current] == [path]
    assert [label for _url, _current, label in entries] == [
        "Accueil",
        "Démarches",
        "Trouver un lieu",
        "Suivre ma demande",
        "Aide",
    ]


def test_a_role_granted_or_revoked_shows_in_the_menu_on_the_next_request(personas):
    citizen, instructor = personas["citizen"], personas["instructor"]
    client = Client()
    client.force_login(citizen)
    instruction = (reverse("instruction:home"), False, "Instruction")
    assert instruction not in nav(client.get("/").content.decode())

    granted = RoleAssignment.objects.filter(user=instructor, role="instructor").first()
    assert granted is not None
    granted.pk, granted.user = None, citizen
    granted.save()
    assert instruction in nav(client.get("/").content.decode())

    RoleAssignment.objects.filter(user=citizen).update(revoked_at=timezone.now())
    assert instruction not in nav(client.get("/").content.decode())


def test_each_page_carries_its_own_csp_nonce_in_the_dsfr_scripts(client):
    nonces = []
    for _ in range(2):
        response = client.get("/")
        in_page = re.findall(r'<script[^>]* nonce="([^"]*)"', response.content.decode())
        assert len(in_page) == 2 and in_page[0] == in_page[1]
        assert f"'nonce-{in_page[0]}'" in response["Content-Security-Policy"]
        nonces.append(in_page[0])
    assert nonces[0] != nonces[1]


def test_dsfr_scripts_without_a_nonce_are_rendered_as_django_dsfr_does():
    cached = Template("{% load layout_tags %}{% dsfr_js_cached nonce %}").render(Context({"nonce": ""}))
    original = Template('{% load dsfr_tags %}{% dsfr_js nonce="" %}').render(Context())
    assert cached == original and "nonce" not in cached
    with_nonce = Template("{% load layout_tags %}{% dsfr_js_cached nonce %}").render(Context({"nonce": "a+b/c=="}))
    original = Template('{% load dsfr_tags %}{% dsfr_js nonce="a+b/c==" %}').render(Context())
    assert with_nonce == original


def test_a_fixed_fragment_sees_no_request_data():
    template = Template("{% load layout_tags %}[{% layout_fixed %}{{ secret }}{% endlayout_fixed %}]{{ secret }}")
    assert template.render(Context({"secret": "x"})) == "[]x"


def test_fixed_parts_follow_the_script_prefix(client):
    """URLs in the header and footer are computed once per script prefix, not once per process."""
    set_script_prefix("/guichet/")
    try:
        template = Template("{% load layout_tags %}{% layout_fixed %}{% url 'public:legal' %}{% endlayout_fixed %}")
        assert template.render(Context()) == "/guichet/mentions-legales/"
        clear_script_prefix()
        set_script_prefix("/")
        assert template.render(Context()) == "/mentions-legales/"
    finally:
        clear_script_prefix()
        set_script_prefix("/")
