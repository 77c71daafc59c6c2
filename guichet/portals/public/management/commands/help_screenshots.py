"""Takes the tutorials' screenshots from Guichet's real pages, in Debian's Chromium, and saves them as the static
images the tutorials ship with (`guichet/help/static/help/tutoriels/`).

Run it on a database with the territory and the demo data (`make seed`):

    .venv/bin/python manage.py help_screenshots --email camille.martin@demo.guichet.fr

Pages behind the citizen's login are taken signed in as that account (a session is opened directly, as the test
client's force_login does: no password is needed, so use a demo account only). The server runs in this process on
a free port and stops with it. Images are resized to 960 pixels wide and stored as palette PNGs (small files).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.test import Client
from django.test.testcases import LiveServerThread
from PIL import Image

from guichet.testing.browser import chromium_session

WIDTH, HEIGHT, STORED_WIDTH = 1280, 800, 960


@dataclass(frozen=True)
class Shot:
    filename: str
    path: str
    signed_in: bool = False
    scroll_to: str = ""  # a CSS selector brought to the top before the picture


SHOTS = (
    Shot("pre-demande-1-fiche.png", "/demarches/carte-identite/", scroll_to="#commencer"),
    Shot("pre-demande-2-connexion.png", "/compte/connexion/?next=/usager/pre-demande/"),
    Shot("pre-demande-3-debut.png", "/usager/pre-demande/", signed_in=True, scroll_to="main h1"),
    Shot("pre-demande-6-rendez-vous.png", "/usager/rendez-vous/", signed_in=True, scroll_to="main h1"),
    Shot("aide-1-annuaire.png", "/lieux/", scroll_to="main h1"),
    Shot("aide-3-resultats.png", "/lieux/?q=Rennes&service=mediateur", scroll_to="main ul.fr-raw-list"),
    Shot("suivi-1-page.png", "/suivi/", scroll_to="main h1"),
)


def output_folder() -> Path:
    return Path(apps.get_app_config("help").path) / "static" / "help" / "tutoriels"


def stored_png(raw: bytes) -> bytes:
    with Image.open(io.BytesIO(raw)) as image:
        height = round(image.height * STORED_WIDTH / image.width)
        small = image.convert("RGB").resize((STORED_WIDTH, height), Image.Resampling.LANCZOS)
        output = io.BytesIO()
        small.quantize(colors=128, method=Image.Quantize.MEDIANCUT).save(output, format="PNG", optimize=True)
        return output.getvalue()


class Command(BaseCommand):
    help = "Prend les captures d'écran des tutoriels d'aide sur les vraies pages de Guichet."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--email", required=True, help="Compte usager (de démonstration) pour les pages connectées."
        )
        parser.add_argument("--output", default="", help="Dossier de destination (par défaut : les images statiques).")
        parser.add_argument("--only", nargs="*", default=[], help="Noms de fichiers à refaire (par défaut : tous).")

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(email=options["email"]).first()
        if user is None:
            raise CommandError(f"Aucun compte {options['email']} : lancez d'abord `make seed`.")
        folder = Path(options["output"]) if options["output"] else output_folder()
        folder.mkdir(parents=True, exist_ok=True)
        shots = [shot for shot in SHOTS if not options["only"] or shot.filename in options["only"]]
        session_client = Client()
        session_client.force_login(user)
        session_key = session_client.cookies["sessionid"].value

        server = LiveServerThread("127.0.0.1", StaticFilesHandler, port=0)
        server.daemon = True
        server.start()
        server.is_ready.wait()
        if server.error:
            raise CommandError(f"Le serveur n'a pas démarré : {server.error}")
        base = f"http://127.0.0.1:{server.port}"
        try:
            with chromium_session() as browser:
                for signed_in in (False, True):
                    context = browser.new_context(locale="fr-FR", viewport={"width": WIDTH, "height": HEIGHT})
                    if signed_in:
                        context.add_cookies([{"name": "sessionid", "value": session_key, "url": base}])
                    page = context.new_page()
                    for shot in (shot for shot in shots if shot.signed_in == signed_in):
                        response = page.goto(base + shot.path)
                        if response is None or response.status != 200:
                            raise CommandError(f"{shot.path} : réponse {response and response.status}")
                        if shot.scroll_to:
                            page.locator(shot.scroll_to).first.scroll_into_view_if_needed()
                            page.evaluate(
                                "(selector) => document.querySelector(selector).scrollIntoView({block: 'start'})",
                                shot.scroll_to,
                            )
                        (folder / shot.filename).write_bytes(stored_png(page.screenshot()))
                        self.stdout.write(f"{shot.filename} ← {shot.path}")
                    context.close()
        finally:
            server.terminate()
