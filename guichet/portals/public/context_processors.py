from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from guichet.accounts.roles import ROLE_PORTAL, Role
from guichet.accounts.selectors import roles_of

from .layout_cache import layout_key

PORTAL_LABELS = {
    "citizen": _("Mes démarches"),
    "town_hall": _("Mairie"),
    "instruction": _("Instruction"),
    "mediator": _("Médiation"),
    "professional": _("Espace professionnel"),
    "prefecture": _("Préfecture"),
    "admin": _("Administration"),
}

# (url, label) of the public entries and of each portal's entry, per layout key: the URLs and labels only change
# with the language, the URL configuration and the deploy (see layout_cache), not with the request.
_entries: dict[tuple, tuple[list[tuple[str, str]], dict[str, tuple[str, str]]]] = {}


def _menu_entries() -> tuple[list[tuple[str, str]], dict[str, tuple[str, str]]]:
    key = layout_key()
    entries = _entries.get(key)
    if entries is None:
        public = [
            (reverse("public:home"), _("Accueil")),
            (reverse("public:help_catalogue"), _("Démarches")),
            (reverse("public:directory_search"), _("Trouver un lieu")),
            (reverse("public:tracking"), _("Suivre ma demande")),
            (reverse("public:help_home"), _("Aide")),
        ]
        entries = _entries[key] = (public, {})
    return entries


def _portal_entry(portal_entries: dict[str, tuple[str, str]], portal: str) -> tuple[str, str]:
    entry = portal_entries.get(portal)
    if entry is None:  # reversed on first use: only portals someone holds a role in need to be mounted
        url = reverse("admin:index") if portal == "admin" else reverse(f"{portal}:home")
        entry = portal_entries[portal] = (url, PORTAL_LABELS[portal])
    return entry


def navigation(request: HttpRequest) -> dict:
    """Main menu: the public entries, then one entry per portal the person has a role in."""
    public, portal_entries = _menu_entries()
    entries = list(public)
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        roles = roles_of(user=user)
        portals: list[str] = []
        for role in Role:
            if role.value in roles:
                portal = ROLE_PORTAL[role]
                if portal not in portals:
                    portals.append(portal)
        entries.extend(_portal_entry(portal_entries, portal) for portal in portals)
    path = request.path
    return {"nav_items": [{"url": url, "label": label, "current": url == path} for url, label in entries]}
