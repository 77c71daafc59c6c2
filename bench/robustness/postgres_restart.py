"""PostgreSQL restarted in the middle of the load: the application recovers without anyone touching it.

`python -m bench.robustness.postgres_restart`. To leave the machine's main PostgreSQL (and whoever uses it) alone,
the script creates its own cluster (`pg_createcluster 15 guichetbench`, port 5440), loads the small dataset into
it, serves it with gunicorn, and restarts that cluster (`pg_ctlcluster 15 guichetbench restart`) while citizens
read pages and start pré-demandes. Requests may fail while the database is down; after it is back, every request
must succeed again (gunicorn is not restarted: Django's connection health checks replace the dead connections),
and every acknowledged write must be in the database. The cluster is up at the end, then dropped (--keep keeps it).
"""

import argparse
import re
import subprocess
import sys
import threading
import time
from collections import Counter

import requests

from bench.generate import ROOT

from .common import PORT, csrf_of, ensure_dataset, gunicorn, signed_in_session, verdict

VERSION, CLUSTER, CLUSTER_PORT = "15", "guichetbench", 5440
URL = f"postgres://postgres@127.0.0.1:{CLUSTER_PORT}/guichet_bench_restart"
LOCATION = re.compile(r"/usager/pre-demande/([A-Z0-9]{10})/")


def cluster(*command: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(list(command), capture_output=True, text=True, check=check)


def cluster_up() -> None:
    listed = cluster("pg_lsclusters", "--no-header").stdout
    if not any(line.split()[:2] == [VERSION, CLUSTER] for line in listed.splitlines()):
        cluster("pg_createcluster", VERSION, CLUSTER, "--port", str(CLUSTER_PORT), "--", "--auth=trust")
    cluster("pg_ctlcluster", VERSION, CLUSTER, "start", check=False)  # already running is fine
    deadline = time.monotonic() + 30
    while cluster("pg_isready", "-h", "127.0.0.1", "-p", str(CLUSTER_PORT), check=False).returncode != 0:
        if time.monotonic() > deadline:
            raise SystemExit("the benchmark PostgreSQL cluster did not start")
        time.sleep(0.5)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark cluster afterwards")
    args = parser.parse_args(argv)
    cluster_up()
    from bench import generate

    fixtures = ROOT / "var" / "bench" / "restart-fixtures.json"
    generate.main(["--scale", "small", "--database-url", URL, "--fixtures", str(fixtures)])
    ensure_dataset(URL)
    from django.db import connections

    from guichet.accounts.models import User
    from guichet.procedures.identity_documents.models import PreDemande

    base = f"http://127.0.0.1:{PORT}"
    stop = threading.Event()
    lock = threading.Lock()
    outcomes: list[tuple[float, bool]] = []  # (time, success) of every request
    acknowledged: list[str] = []
    errors: Counter[str] = Counter()
    restart: dict[str, float] = {}
    try:
        with gunicorn(URL, log_name="postgres-restart"):
            users = list(User.objects.filter(email__startswith="usager").order_by("pk")[:8])

            def citizen(user) -> None:
                session = signed_in_session(user, base)
                while not stop.is_set():
                    for path, write in (("/usager/", False), ("/usager/pre-demande/", True)):
                        try:
                            response = session.get(base + path, timeout=30)
                            ok = response.status_code == 200
                            if ok and write:
                                data = {
                                    "csrfmiddlewaretoken": csrf_of(response.text),
                                    "titles": "passeport",
                                    "for_whom": "self",
                                    "motive": "first",
                                }
                                response = session.post(base + path, data=data, allow_redirects=False, timeout=30)
                                found = LOCATION.search(response.headers.get("Location", ""))
                                ok = response.status_code == 302 and found is not None
                                if ok:
                                    with lock:
                                        acknowledged.append(found.group(1))  # type: ignore[union-attr]
                            label = "ok" if ok else str(response.status_code)
                        except requests.RequestException as error:
                            ok, label = False, type(error).__name__
                        with lock:
                            outcomes.append((time.monotonic(), ok))
                            errors[label] += 0 if ok else 1

            threads = [threading.Thread(target=citizen, args=(user,)) for user in users]
            for thread in threads:
                thread.start()
            time.sleep(args.seconds / 3)
            restart["start"] = time.monotonic()
            done = cluster("pg_ctlcluster", VERSION, CLUSTER, "restart", check=False)
            restart["end"] = time.monotonic()
            print(
                f"pg_ctlcluster {VERSION} {CLUSTER} restart: exit {done.returncode} in "
                f"{restart['end'] - restart['start']:.1f} s",
                flush=True,
            )
            time.sleep(args.seconds * 2 / 3)
            stop.set()
            for thread in threads:
                thread.join(timeout=60)
            healthy = requests.get(base + "/healthz", timeout=10).status_code == 200
        cluster_up()  # up at the end, whatever happened
        connections.close_all()  # this script's own connection died with the restart (no request cycle here)
        settle = restart["end"] + 5  # a few seconds for every worker's next request to reconnect
        after = [ok for moment, ok in outcomes if moment >= settle]
        before = [ok for moment, ok in outcomes if moment < restart["start"]]
        failures_after = after.count(False)
        last_failure = max((moment for moment, ok in outcomes if not ok), default=restart["start"])
        found = set(PreDemande.objects.filter(number__in=acknowledged).values_list("number", flat=True))
        lost = len([number for number in acknowledged if number not in found])
    finally:
        if not args.keep:
            cluster("pg_dropcluster", VERSION, CLUSTER, "--stop", check=False)
    passed = bool(before) and all(before) and len(after) > 20 and failures_after == 0 and lost == 0 and healthy
    return verdict(
        passed,
        f"requests before the restart: {len(before)} (all ok: {all(before)}); failed requests: "
        f"{dict((k, v) for k, v in errors.items() if v)}; last failure {last_failure - restart['end']:+.1f} s after "
        f"the restart ended; requests from 5 s after it: {len(after)}, failed: {failures_after}; acknowledged "
        f"pré-demandes: {len(acknowledged)}, lost: {lost}; /healthz at the end: {'200' if healthy else 'KO'}",
    )


if __name__ == "__main__":
    sys.exit(main())
