"""pytest fixture running the test provider in a subprocess, and a small browser-side helper for tests.

Import `oidc_provider` into a test module to use it. The provider process is started once per test session.
"""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
import requests

from tests.oidc_provider.server import CLIENT_ID, CLIENT_SECRET

REPOSITORY_ROOT = Path(__file__).resolve().parents[2]
CLIENT_URL = "http://testserver"  # Django's test client host; the provider registers redirect URIs under it
START_TIMEOUT_SECONDS = 60


@dataclass
class RunningProvider:
    base_url: str
    client_id: str = CLIENT_ID
    client_secret: str = CLIENT_SECRET

    @property
    def issuer(self) -> str:
        return f"{self.base_url}/api/v2"

    def misbehave(self, **changes: Any) -> None:
        """Changes how the provider answers until the next `reset()` (see behaviour.DEFAULTS)."""
        response = requests.post(f"{self.base_url}/test-control/", json=changes, timeout=5)
        response.raise_for_status()

    def reset(self) -> None:
        requests.delete(f"{self.base_url}/test-control/", timeout=5).raise_for_status()

    def browser(self) -> requests.Session:
        return requests.Session()

    def sign_in(self, authorization_url: str, *, identity: str, browser: requests.Session | None = None) -> str:
        """Plays the user's browser at the provider: authorize, pick `identity`, and returns the redirect
        back to Guichet (the callback URL with `code` and `state`)."""
        browser = browser or self.browser()
        response = browser.get(authorization_url, allow_redirects=False, timeout=10)
        if response.status_code == 302 and "/login/" in response.headers["Location"]:
            login_url = urljoin(authorization_url, response.headers["Location"])
            response = browser.post(
                login_url.split("?")[0],
                data={"identity": identity, "next": _query_value(login_url, "next")},
                allow_redirects=False,
                timeout=10,
            )
            assert response.status_code == 302, response.text
            response = browser.get(
                urljoin(self.base_url, response.headers["Location"]), allow_redirects=False, timeout=10
            )
        assert response.status_code == 302, f"provider answered {response.status_code}: {response.text[:500]}"
        return response.headers["Location"]

    def end_session(self, end_session_url: str, *, browser: requests.Session) -> str:
        """Follows Guichet's redirect to /session/end; returns where the provider sends the browser back."""
        response = browser.get(end_session_url, allow_redirects=False, timeout=10)
        assert response.status_code == 302, f"provider answered {response.status_code}: {response.text[:500]}"
        return response.headers["Location"]


def _query_value(url: str, name: str) -> str:
    from urllib.parse import parse_qs, urlsplit

    return parse_qs(urlsplit(url).query)[name][0]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningProvider]:
    data_dir = tmp_path_factory.mktemp("oidc_provider")
    port = _free_port()
    log_path = data_dir / "provider.log"
    environment = {**os.environ, "PYTHONPATH": str(REPOSITORY_ROOT)}
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    environment.pop("DATABASE_URL", None)
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.oidc_provider.server",
                "--port",
                str(port),
                "--data-dir",
                str(data_dir),
                "--client-url",
                CLIENT_URL,
            ],
            cwd=REPOSITORY_ROOT,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    provider = RunningProvider(base_url=f"http://127.0.0.1:{port}")
    try:
        _wait_until_ready(provider, process, log_path)
        yield provider
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def _wait_until_ready(provider: RunningProvider, process: subprocess.Popen, log_path: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"test OpenID provider exited:\n{log_path.read_text()}")
        try:
            if requests.get(f"{provider.issuer}/.well-known/openid-configuration", timeout=1).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"test OpenID provider did not answer in time:\n{log_path.read_text()}")
