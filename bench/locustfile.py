"""Load scenarios (Locust, headless): citizens, instructors, partner software, and the baseline.

The flows themselves are in bench/scenarios.py. Run by bench/run.py; by hand:
`BENCH_FIXTURES=var/bench/small-fixtures.json locust -f bench/locustfile.py --headless -u 8 -r 8 -t 60s
--host http://127.0.0.1:8765 CitizenUser`.

`BENCH_ENDPOINT=<task name>` keeps a single task of the user class (isolated throughput of one endpoint); without
it each class runs its weighted mix. Users never wait between requests: the server is kept saturated. Once every
user has signed in, the statistics restart and the run lasts `BENCH_SECONDS` more (sign-ins are not measured).
"""

import json
import os
import sys
from pathlib import Path
from urllib.parse import urlencode

import gevent
from locust import FastHttpUser, constant

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import scenarios

FIXTURES = json.loads(Path(os.environ.get("BENCH_FIXTURES", "var/bench/small-fixtures.json")).read_text("utf-8"))
SAMPLES = FIXTURES["samples"]
ENDPOINT = os.environ.get("BENCH_ENDPOINT", "")
_READY = {"users": 0}


class LocustHttp:
    """The scenarios' Http adapter over Locust's client: unexpected statuses are reported as failures."""

    def __init__(self, user: FastHttpUser) -> None:
        self.user = user

    def get(self, path, *, name, headers=None, expect=(200,)):
        with self.user.client.get(path, name=name, headers=headers, catch_response=True) as response:
            return self._check(response, expect)

    def post(self, path, *, name, fields, expect=(302,)):
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Referer": self.user.host + path}
        with self.user.client.post(
            path,
            data=urlencode(fields, doseq=True),
            headers=headers,
            name=name,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            return self._check(response, expect)

    def _check(self, response, expect) -> scenarios.Reply:
        if response.status_code not in expect:
            response.failure(f"status {response.status_code}")
        else:
            response.success()
        return scenarios.Reply(
            status=response.status_code, text=response.text or "", location=response.headers.get("Location", "")
        )

    def clear_cookies(self) -> None:
        self.user.client.cookiejar.clear()


class GuichetUser(FastHttpUser):
    abstract = True
    wait_time = constant(0)
    network_timeout = 30.0
    connection_timeout = 10.0
    flow_class: type[scenarios.Flow] = scenarios.Flow
    weights: dict[str, int] = {}

    def on_start(self) -> None:
        self.flow = self.flow_class(http=LocustHttp(self), samples=SAMPLES, password=FIXTURES["password"])
        self.start_flow()
        _READY["users"] += 1
        if _READY["users"] == int(os.environ.get("BENCH_USERS", "0")):
            runner = self.environment.runner
            runner.stats.reset_all()
            seconds = float(os.environ.get("BENCH_SECONDS", "0"))
            if seconds:  # the measured period starts now, and lasts this long
                gevent.spawn_later(seconds, runner.quit)

    def start_flow(self) -> None:
        """Sign-in and the like, before the measured period."""


def _tasks(weights: dict[str, int]) -> list:
    """Locust tasks calling the flow's methods, with their weights (or the one of BENCH_ENDPOINT alone)."""
    chosen = {name: weight for name, weight in weights.items() if name == ENDPOINT} or weights
    tasks = []
    for name, weight in chosen.items():

        def run(user, method=name):
            getattr(user.flow, method)()

        run.__name__ = name
        tasks += [run] * weight
    return tasks


class BaselineUser(GuichetUser):
    """The ceiling: a minimal view doing one indexed query, same server, same settings."""

    flow_class = scenarios.Baseline
    tasks = _tasks({"baseline": 1})


class CitizenUser(GuichetUser):
    flow_class = scenarios.Citizen
    tasks = _tasks(
        {
            "home": 10,
            "login_again": 4,
            "dashboard": 15,
            "dossier_page": 15,
            "tracking": 10,
            "slot_search": 30,
            "booking": 3,
            "predemande": 3,
        }
    )

    def start_flow(self) -> None:
        self.flow.start()


class AgentUser(GuichetUser):
    flow_class = scenarios.Agent
    tasks = _tasks({"queue": 50, "dossier_view": 40, "decision": 5})

    def start_flow(self) -> None:
        self.flow.start(wait=gevent.sleep)


class PartnerUser(GuichetUser):
    flow_class = scenarios.Partner
    tasks = _tasks({"coordination_status": 1, "available_time_slots": 1})

    def start_flow(self) -> None:
        self.flow.editor_token = FIXTURES["editor_token"]
        self.flow.hub_token = FIXTURES["hub_token"]
