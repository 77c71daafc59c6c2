"""Starts the test provider: `python -m tests.oidc_provider.server --port N --data-dir D --client-url U`.

Generates fresh keys, migrates a new SQLite database, registers Guichet as a confidential client whose
redirect URIs live under `--client-url`, then serves on 127.0.0.1 until killed.
"""

import argparse
import os
from pathlib import Path

CLIENT_ID = "guichet-test-client"
CLIENT_SECRET = "guichet-test-client-secret-0123456789"
CALLBACK_PATH = "/compte/franceconnect/retour/"
POST_LOGOUT_PATH = "/compte/franceconnect/deconnexion/retour/"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--client-url", required=True)
    arguments = parser.parse_args()

    os.environ["OIDC_PROVIDER_DATA_DIR"] = str(arguments.data_dir)
    os.environ["OIDC_PROVIDER_BASE_URL"] = f"http://127.0.0.1:{arguments.port}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.oidc_provider.settings"

    from tests.oidc_provider import keys

    keys.generate(arguments.data_dir)

    import django

    django.setup()

    from django.core.management import call_command
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler, get_internal_wsgi_application
    from oauth2_provider.models import get_application_model

    call_command("migrate", verbosity=0, interactive=False)
    client_url = arguments.client_url.rstrip("/")
    get_application_model().objects.create(
        name="Guichet",
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        client_type="confidential",
        authorization_grant_type="authorization-code",
        redirect_uris=f"{client_url}{CALLBACK_PATH}",
        post_logout_redirect_uris=f"{client_url}{POST_LOGOUT_PATH}",
        algorithm="RS256",
        skip_authorization=True,
    )

    class QuietHandler(WSGIRequestHandler):
        def log_message(self, format, *args):
            pass

    server = ThreadedWSGIServer(("127.0.0.1", arguments.port), QuietHandler, ipv6=False)
    server.set_app(get_internal_wsgi_application())
    server.serve_forever()


if __name__ == "__main__":
    main()
