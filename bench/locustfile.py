"""Load scenarios (Locust, headless): citizens, instructors, partner software, and the baseline.

Run by bench/run.py; by hand: `BENCH_FIXTURES=var/bench/small-fixtures.json locust -f bench/locustfile.py
--headless -u 8 -r 8 -t 20s --host http://127.0.0.1:8765 CitizenUser`.

`BENCH_ENDPOINT=<task name>` keeps a single task of the user class (isolated throughput of one endpoint); without
it each class runs its weighted mix. Users never wait between requests: the server is kept saturated.
"""

import hashlib
import hmac
import json
import os
import random
import re
import struct
import time
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlencode

import gevent
from locust import FastHttpUser, constant, task

FIXTURES = json.loads(
    Path(os.environ.get("BENCH_FIXTURES", "var/bench/small-fixtures.json")).read_text(encoding="utf-8")
)
SAMPLES = FIXTURES["samples"]
PASSWORD = FIXTURES["password"]
ENDPOINT = os.environ.get("BENCH_ENDPOINT", "")

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SLOT_LINK = re.compile(r'href="(/usager/rendez-vous/reserver/\?[^"]+)"')
QUEUE_NEXT = re.compile(r'href="(/instruction/\?[^"]*page=[^"]+)"')
QUEUE_DOSSIER = re.compile(r'href="/instruction/dossiers/([A-Z0-9]+)/"')
MOTIVE = re.compile(r'<option value="([a-z0-9_-]+)"')


def totp(key_hex: str, at: float | None = None) -> str:
    """RFC 6238 code (30 s, 6 digits, SHA-1), as django-otp's TOTP devices check it."""
    counter = int((at or time.time()) // 30)
    digest = hmac.new(bytes.fromhex(key_hex), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def only(tasks: dict) -> dict:
    """The class's weighted mix, or just the task named by BENCH_ENDPOINT when it is one of them."""
    if ENDPOINT:
        chosen = {fn: 1 for fn in tasks if fn.__name__ == ENDPOINT}
        if chosen:
            return chosen
    return tasks


_READY = {"users": 0}


class GuichetUser(FastHttpUser):
    abstract = True
    wait_time = constant(0)
    network_timeout = 30.0
    connection_timeout = 10.0

    def on_start(self) -> None:
        self.ready()

    def ready(self) -> None:
        """Once every simulated user has signed in, the statistics start again: sign-ins are not measured."""
        _READY["users"] += 1
        if _READY["users"] == int(os.environ.get("BENCH_USERS", "0")):
            runner = self.environment.runner
            runner.stats.reset_all()
            seconds = float(os.environ.get("BENCH_SECONDS", "0"))
            if seconds:  # the measured period starts now, and lasts this long
                gevent.spawn_later(seconds, runner.quit)

    def csrf_of(self, html: str) -> str:
        match = CSRF.search(html)
        return match.group(1) if match else ""

    def post_form(self, path: str, page_name: str, post_name: str, fields: dict, expect: int = 302) -> str | None:
        """GET the page (for its CSRF token), POST the form; returns the Location header on success."""
        with self.client.get(path, name=page_name, catch_response=True) as page:
            if page.status_code != 200:
                page.failure(f"status {page.status_code}")
                return None
            token = self.csrf_of(page.text or "")
        body = urlencode({"csrfmiddlewaretoken": token, **fields}, doseq=True)
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Referer": self.host + path}
        with self.client.post(
            path, data=body, headers=headers, name=post_name, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != expect:
                response.failure(f"status {response.status_code}")
                return None
            return response.headers.get("Location", "")

    def login(self, email: str, name: str = "POST /compte/connexion/ (login)") -> bool:
        location = self.post_form(
            "/compte/connexion/",
            "GET /compte/connexion/",
            name,
            {"username": email, "password": PASSWORD},
        )
        return location is not None


class BaselineUser(GuichetUser):
    """The ceiling: a minimal view doing one indexed query, same server, same settings."""

    @task
    def baseline(self) -> None:
        code = random.choice(SAMPLES["commune_codes"])
        self.client.get(f"/bench/baseline/?code={code}", name="GET /bench/baseline/ (baseline)")


class CitizenUser(GuichetUser):
    def on_start(self) -> None:
        self.citizen = random.choice(SAMPLES["citizens"])
        self.login(self.citizen["email"])
        self.ready()

    def home(self) -> None:
        self.client.get("/", name="GET / (home)")

    def login_again(self) -> None:
        self.client.cookiejar.clear()
        self.login(self.citizen["email"])

    def dashboard(self) -> None:
        self.client.get("/usager/", name="GET /usager/ (dashboard)")

    def dossier_page(self) -> None:
        reference = random.choice(self.citizen["dossiers"])
        self.client.get(f"/usager/dossiers/{reference}/", name="GET /usager/dossiers/<ref>/ (dossier page)")

    def tracking(self) -> None:
        entry = random.choice(SAMPLES["tracking"])
        birth = date.fromisoformat(entry["birth_date"]).strftime("%d/%m/%Y")
        with self.client.get("/suivi/", name="GET /suivi/", catch_response=True) as page:
            token = self.csrf_of(page.text or "")
        body = urlencode({"csrfmiddlewaretoken": token, "reference": entry["number"], "birth_date": birth})
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Referer": self.host + "/suivi/"}
        with self.client.post(
            "/suivi/", data=body, headers=headers, name="POST /suivi/ (status lookup)", catch_response=True
        ) as response:
            if response.status_code != 200 or "introuvable" in (response.text or "").lower():
                response.failure(f"status {response.status_code}")

    def search_path(self) -> str:
        commune = random.choice(SAMPLES["communes"])
        where = commune["name"] if random.random() < 0.5 or not commune["postal_code"] else commune["postal_code"]
        return "/usager/rendez-vous/?" + urlencode({"where": where, "radius_km": 20, "files": 1})

    def slot_search(self) -> None:
        self.client.get(self.search_path(), name="GET /usager/rendez-vous/?where= (slot search)")

    def booking(self) -> None:
        with self.client.get(
            self.search_path(), name="GET /usager/rendez-vous/?where= (slot search)", catch_response=True
        ) as page:
            links = SLOT_LINK.findall(page.text or "")
        if not links:
            return
        path = random.choice(links).replace("&amp;", "&")
        number = random.choice(SAMPLES["bookers"])["number"] if SAMPLES["bookers"] else ""
        self.post_form(
            path,
            "GET /usager/rendez-vous/reserver/",
            "POST /usager/rendez-vous/reserver/ (booking)",
            {"application_id": number, "confirm_second": "on"},
        )

    def predemande(self) -> None:
        self.post_form(
            "/usager/pre-demande/",
            "GET /usager/pre-demande/",
            "POST /usager/pre-demande/ (pré-demande submission)",
            {"titles": "cni", "for_whom": "self", "motive": "renewal_expired"},
        )

    tasks = only(
        {
            home: 10,
            login_again: 4,
            dashboard: 15,
            dossier_page: 15,
            tracking: 10,
            slot_search: 30,
            booking: 3,
            predemande: 3,
        }
    )


class AgentUser(GuichetUser):
    """An instructor of a CERT: signs in with the password and a TOTP code once, then works the queue."""

    def on_start(self) -> None:
        self.instructor = random.choice(SAMPLES["instructors"])
        self.candidates: list[str] = []
        self.queue_path = "/instruction/"
        self.depth = 0
        self.login(self.instructor["email"], name="POST /compte/connexion/ (agent login)")
        for _attempt in range(3):
            location = self.post_form(
                "/compte/double-authentification/",
                "GET /compte/double-authentification/",
                "POST /compte/double-authentification/ (2FA)",
                {"code": totp(self.instructor["totp_key"])},
            )
            if location is not None:
                break
            time.sleep(31 - time.time() % 30)  # a code is good once: wait for the next one
        self.ready()

    def queue(self) -> None:
        """One page of the queue; each call goes one page deeper, back to the first after 30 pages."""
        label = "1" if self.depth == 0 else "2-10" if self.depth < 10 else "11-30"
        with self.client.get(
            self.queue_path, name=f"GET /instruction/ (queue page {label})", catch_response=True
        ) as page:
            html = page.text or ""
        found = QUEUE_NEXT.findall(html)
        following = [link for link in found if "previous" not in link]
        self.depth += 1
        if following and self.depth < 30:
            self.queue_path = following[-1].replace("&amp;", "&")
        else:
            self.queue_path, self.depth = "/instruction/", 0
        self.candidates = QUEUE_DOSSIER.findall(html) or self.candidates

    def dossier_view(self) -> None:
        if not self.candidates:
            self.queue()
        if self.candidates:
            reference = random.choice(self.candidates)
            self.client.get(
                f"/instruction/dossiers/{reference}/", name="GET /instruction/dossiers/<ref>/ (dossier view)"
            )

    def decision(self) -> None:
        if not getattr(self, "to_decide", None):
            with self.client.get(
                "/instruction/?status=in_instruction&procedure=cni", name="GET /instruction/?status=in_instruction"
            ) as page:
                self.to_decide = QUEUE_DOSSIER.findall(page.text or "")
                random.shuffle(self.to_decide)
        if not self.to_decide:
            return
        reference = self.to_decide.pop()
        path = f"/instruction/dossiers/{reference}/titre/decision/accept/"
        with self.client.get(path, name="GET /instruction/…/decision/accept/", catch_response=True) as page:
            if page.status_code != 200:
                page.success()  # decided meanwhile by a colleague: not an error of the server
                return
            html = page.text or ""
        motives = MOTIVE.findall(html)
        body = urlencode({"csrfmiddlewaretoken": self.csrf_of(html), "motive": motives[0] if motives else ""})
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Referer": self.host + path}
        with self.client.post(
            path,
            data=body,
            headers=headers,
            name="POST /instruction/…/decision/accept/ (decision)",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"status {response.status_code}")

    tasks = only({queue: 50, dossier_view: 40, decision: 5})


class PartnerUser(GuichetUser):
    """Other software: an appointment editor asking the coordination API, the national slot finder."""

    def coordination_status(self) -> None:
        ids = random.sample(SAMPLES["application_ids"], k=min(3, len(SAMPLES["application_ids"])))
        query = urlencode({"application_ids": ids}, doseq=True)
        self.client.get(
            f"/api/ants-coordination/status?{query}",
            headers={"x-rdv-opt-auth-token": FIXTURES["editor_token"]},
            name="GET /api/ants-coordination/status",
        )

    def available_time_slots(self) -> None:
        points = random.sample(SAMPLES["meeting_point_ids"], k=min(3, len(SAMPLES["meeting_point_ids"])))
        start = date.today() + timedelta(days=1)
        query = urlencode(
            {
                "meeting_point_ids": points,
                "start_date": start.isoformat(),
                "end_date": (start + timedelta(days=13)).isoformat(),
                "reason": "CNI",
                "documents_number": 1,
            },
            doseq=True,
        )
        self.client.get(
            f"/api/ants/availableTimeSlots?{query}",
            headers={"X-HUB-RDV-AUTH-TOKEN": FIXTURES["hub_token"]},
            name="GET /api/ants/availableTimeSlots",
        )

    tasks = only({coordination_status: 1, available_time_slots: 1})
