import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.db import connection

from guichet.notifications.channels.sms import MemorySmsProvider


@pytest.fixture(autouse=True)
def sms_outbox() -> Iterator[list]:
    """Like Django's `mail.outbox`: emptied around every test."""
    MemorySmsProvider.outbox.clear()
    yield MemorySmsProvider.outbox
    MemorySmsProvider.outbox.clear()


def skip_unless_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("proves a concurrency claim: needs PostgreSQL's row locks (set DATABASE_URL)")


@dataclass
class FakeSmsGateway:
    """A real HTTP server on 127.0.0.1 standing in for an SMS provider. Paths choose its behaviour."""

    base_url: str
    received: list[dict[str, Any]] = field(default_factory=list)

    def url(self, path: str) -> str:
        return f"{self.base_url}{path}"


@pytest.fixture
def sms_gateway() -> Iterator[FakeSmsGateway]:
    received: list[dict[str, Any]] = []

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as real gateways: a client may send several SMS on one connection

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = json.loads(self.rfile.read(length) or b"{}")
            received.append(
                {
                    "path": self.path,
                    "authorization": self.headers.get("Authorization"),
                    "json": body,
                    "connection": self.client_address,  # the client's (host, port): one per TCP connection
                }
            )
            if self.path == "/slow":
                time.sleep(1.5)
                self._answer(200, {"id": "too-late"})
            elif self.path == "/down":
                self._answer(503, {"error": "maintenance"})
            elif self.path == "/reject":
                self._answer(400, {"error": "invalid destination"})
            else:
                self._answer(201, {"id": f"gw-{len(received)}"})

        def _answer(self, status: int, payload: dict[str, Any]) -> None:
            data = json.dumps(payload).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (timeout test)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield FakeSmsGateway(base_url=f"http://127.0.0.1:{server.server_address[1]}", received=received)
    finally:
        server.shutdown()
        server.server_close()
