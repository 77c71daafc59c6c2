"""What each simulated person does, request by request, independent of the load tool.

`bench/locustfile.py` drives these flows with Locust; the test suite drives them once with Django's test client
(tests/bench/test_bench_smoke.py). A flow talks to an `Http` adapter that checks each answer's status.
"""

import hashlib
import hmac
import random
import re
import struct
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Protocol
from urllib.parse import urlencode

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SLOT_LINK = re.compile(r'href="(/usager/rendez-vous/reserver/\?[^"]+)"')
QUEUE_NEXT = re.compile(r'href="(/instruction/\?[^"]*page=[^"]+)"')
QUEUE_DOSSIER = re.compile(r'href="/instruction/dossiers/([A-Z0-9]+)/"')
IDEMPOTENCY_KEY = re.compile(r'name="idempotency_key" value="([^"]+)"')
MOTIVE = re.compile(r'<option value="([a-z0-9_-]+)"')


@dataclass
class Reply:
    status: int
    text: str = ""
    location: str = ""


class Http(Protocol):
    def get(self, path: str, *, name: str, headers: dict | None = None, expect: tuple[int, ...] = (200,)) -> Reply:
        """GET; an answer outside `expect` counts as an error of the server (and returns status 0 text "")."""
        ...

    def post(self, path: str, *, name: str, fields: dict, expect: tuple[int, ...] = (302,)) -> Reply:
        """POSTs a form (url-encoded, with Referer) to `path`."""
        ...

    def clear_cookies(self) -> None: ...


def totp(key_hex: str, at: float | None = None) -> str:
    """RFC 6238 code (30 s, 6 digits, SHA-1), as django-otp's TOTP devices check it."""
    counter = int((at or time.time()) // 30)
    digest = hmac.new(bytes.fromhex(key_hex), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def csrf_of(html: str) -> str:
    match = CSRF.search(html)
    return match.group(1) if match else ""


def submit_form(http: Http, path: str, page_name: str, post_name: str, fields: dict, expect=(302,)) -> Reply | None:
    """GET the page for its CSRF token, then POST the form."""
    page = http.get(path, name=page_name)
    if page.status != 200:
        return None
    hidden = {"csrfmiddlewaretoken": csrf_of(page.text)}
    key = IDEMPOTENCY_KEY.search(page.text)
    if key:
        hidden["idempotency_key"] = key.group(1)
    reply = http.post(path, name=post_name, fields={**hidden, **fields}, expect=expect)
    return reply if reply.status in expect else None


@dataclass
class Flow:
    http: Http
    samples: dict
    password: str
    rng: random.Random = field(default_factory=random.Random)

    def login(self, email: str, name: str = "POST /compte/connexion/ (login)") -> bool:
        fields = {"username": email, "password": self.password}
        return submit_form(self.http, "/compte/connexion/", "GET /compte/connexion/", name, fields) is not None


class Baseline(Flow):
    def baseline(self) -> None:
        code = self.rng.choice(self.samples["commune_codes"])
        self.http.get(f"/bench/baseline/?code={code}", name="GET /bench/baseline/ (baseline)")


class Citizen(Flow):
    def start(self) -> None:
        self.citizen = self.rng.choice(self.samples["citizens"])
        self.login(self.citizen["email"])

    def home(self) -> None:
        self.http.get("/", name="GET / (home)")

    def login_again(self) -> None:
        self.http.clear_cookies()
        self.login(self.citizen["email"])

    def dashboard(self) -> None:
        self.http.get("/usager/", name="GET /usager/ (dashboard)")

    def dossier_page(self) -> None:
        reference = self.rng.choice(self.citizen["dossiers"])
        self.http.get(f"/usager/dossiers/{reference}/", name="GET /usager/dossiers/<ref>/ (dossier page)")

    def tracking(self) -> None:
        entry = self.rng.choice(self.samples["tracking"])
        birth = date.fromisoformat(entry["birth_date"]).strftime("%d/%m/%Y")
        reply = submit_form(
            self.http,
            "/suivi/",
            "GET /suivi/",
            "POST /suivi/ (status lookup)",
            {"reference": entry["number"], "birth_date": birth},
            expect=(200,),
        )
        if reply is not None and "Aucune demande" in reply.text:
            raise AssertionError(f"tracking found nothing for {entry['number']}")

    def search_path(self) -> str:
        commune = self.rng.choice(self.samples["communes"])
        use_name = self.rng.random() < 0.5 or not commune["postal_code"]
        return "/usager/rendez-vous/?" + urlencode(
            {"where": commune["name"] if use_name else commune["postal_code"], "radius_km": 20, "files": 1}
        )

    def slot_search(self) -> None:
        self.http.get(self.search_path(), name="GET /usager/rendez-vous/?where= (slot search)")

    def booking(self) -> bool:
        page = self.http.get(self.search_path(), name="GET /usager/rendez-vous/?where= (slot search)")
        links = SLOT_LINK.findall(page.text)
        if not links or not self.samples["bookers"]:
            return False
        path = self.rng.choice(links).replace("&amp;", "&")
        number = self.rng.choice(self.samples["bookers"])["number"]
        fields = {"application_id": number, "confirm_second": "on"}
        # 400: another person took this slot first (the page offers the next ones) — an answer, not an error.
        reply = submit_form(
            self.http,
            path,
            "GET /usager/rendez-vous/reserver/",
            "POST /usager/rendez-vous/reserver/ (booking)",
            fields,
            expect=(302, 400),
        )
        return reply is not None and reply.status == 302

    def predemande(self) -> bool:
        reply = submit_form(
            self.http,
            "/usager/pre-demande/",
            "GET /usager/pre-demande/",
            "POST /usager/pre-demande/ (pré-demande submission)",
            {"titles": "cni", "for_whom": "self", "motive": "renewal_expired"},
        )
        return reply is not None


class Agent(Flow):
    """An instructor of a CERT: password then TOTP code once, then the queue, dossiers and decisions."""

    def start(self, wait: Callable[[float], None] = time.sleep) -> bool:
        self.instructor = self.rng.choice(self.samples["instructors"])
        self.candidates: list[str] = []
        self.to_decide: list[str] = []
        self.queue_path = "/instruction/"
        self.depth = 0
        self.login(self.instructor["email"], name="POST /compte/connexion/ (agent login)")
        for _attempt in range(3):
            reply = submit_form(
                self.http,
                "/compte/double-authentification/",
                "GET /compte/double-authentification/",
                "POST /compte/double-authentification/ (2FA)",
                {"code": totp(self.instructor["totp_key"])},
                expect=(302, 200),
            )
            if reply is not None and reply.status == 302:
                return True
            wait(31 - time.time() % 30)  # a code is good once: another agent may have used it, wait for the next
        return False

    def queue(self) -> None:
        """One page of the queue; each call goes one page deeper, back to the first after 30 pages."""
        label = "1" if self.depth == 0 else "2-10" if self.depth < 10 else "11-30"
        page = self.http.get(self.queue_path, name=f"GET /instruction/ (queue page {label})")
        following = [link for link in QUEUE_NEXT.findall(page.text)]
        self.depth += 1
        if following and self.depth < 30:
            self.queue_path = following[-1].replace("&amp;", "&")
        else:
            self.queue_path, self.depth = "/instruction/", 0
        self.candidates = QUEUE_DOSSIER.findall(page.text) or self.candidates

    def dossier_view(self) -> None:
        if not self.candidates:
            self.queue()
        if self.candidates:
            reference = self.rng.choice(self.candidates)
            self.http.get(f"/instruction/dossiers/{reference}/", name="GET /instruction/dossiers/<ref>/ (dossier view)")

    def decision(self) -> bool:
        if not self.to_decide:
            page = self.http.get(
                "/instruction/?status=in_instruction&procedure=cni", name="GET /instruction/?status=in_instruction"
            )
            self.to_decide = QUEUE_DOSSIER.findall(page.text)
            self.rng.shuffle(self.to_decide)
        if not self.to_decide:
            return False
        path = f"/instruction/dossiers/{self.to_decide.pop()}/titre/decision/accept/"
        # 404 when a colleague decided it meanwhile: the dossier left the queue, not an error.
        page = self.http.get(path, name="GET /instruction/…/decision/accept/", expect=(200, 404))
        if page.status != 200:
            return False
        motives = MOTIVE.findall(page.text)
        fields = {"csrfmiddlewaretoken": csrf_of(page.text), "motive": motives[0] if motives else ""}
        # 404/400: a colleague decided it between the two requests — the second decision is refused, as it must be.
        reply = self.http.post(
            path, name="POST /instruction/…/decision/accept/ (decision)", fields=fields, expect=(302, 400, 404)
        )
        return reply.status == 302


class Partner(Flow):
    """Other software: an appointment editor (coordination API), the national slot finder (provider API)."""

    editor_token: str = ""
    hub_token: str = ""

    def coordination_status(self) -> None:
        ids = self.rng.sample(self.samples["application_ids"], k=min(3, len(self.samples["application_ids"])))
        self.http.get(
            "/api/ants-coordination/status?" + urlencode({"application_ids": ids}, doseq=True),
            headers={"x-rdv-opt-auth-token": self.editor_token},
            name="GET /api/ants-coordination/status",
        )

    def available_time_slots(self) -> None:
        points = self.rng.sample(self.samples["meeting_point_ids"], k=min(3, len(self.samples["meeting_point_ids"])))
        start = date.today() + timedelta(days=1)
        query = {
            "meeting_point_ids": points,
            "start_date": start.isoformat(),
            "end_date": (start + timedelta(days=13)).isoformat(),
            "reason": "CNI",
            "documents_number": 1,
        }
        self.http.get(
            "/api/ants/availableTimeSlots?" + urlencode(query, doseq=True),
            headers={"X-HUB-RDV-AUTH-TOKEN": self.hub_token},
            name="GET /api/ants/availableTimeSlots",
        )
