from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from guichet.accounts.roles import ROLE_PORTAL, Role
from guichet.accounts.selectors import roles_of

PORTAL_LABELS = {
    "citizen": _("Mes démarches"),
    "town_hall": _("Mairie"),
    "instruction": _("Instruction"),
    "mediator": _("Médiation"),
    "professional": _("Espace professionnel"),
    "prefecture": _("Préfecture"),
    "admin": _("Administration"),
}


def navigation(request: HttpRequest) -> dict:
    """Main menu: the public entries, then one entry per portal the person has a role in."""
    items: list[dict[str, object]] = [
        {"url": reverse("public:home"), "label": _("Accueil")},
        {"url": reverse("public:help_catalogue"), "label": _("Démarches")},
        {"url": reverse("public:directory_search"), "label": _("Trouver un lieu")},
        {"url": reverse("public:tracking"), "label": _("Suivre ma demande")},
        {"url": reverse("public:help_home"), "label": _("Aide")},
    ]
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        portals = []
        for role in Role:
            if role.value in roles_of(user=user):
                portal = ROLE_PORTAL[role]
                if portal not in portals:
                    portals.append(portal)
        for portal in portals:
            url = reverse("admin:index") if portal == "admin" else reverse(f"{portal}:home")
            items.append({"url": url, "label": PORTAL_LABELS[portal]})
    path = request.path
    for item in items:
        item["current"] = item["url"] == path
    return {"nav_items": items}
