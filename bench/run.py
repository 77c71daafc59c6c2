"""Benchmark runner: `python -m bench.run --scale small`.

1. builds the dataset (bench/generate.py) unless `--reuse` finds it already there;
2. starts gunicorn (sync workers, config.settings.bench: production settings, DEBUG off) on PostgreSQL;
3. runs Locust headless, one scenario at a time for a fixed duration: the baseline, each endpoint alone, the
   citizen, agent and partner mixes, everything mixed, and the baseline again;
4. writes bench/reports/<timestamp>-<scale>.json, .md and .svg and refreshes the figures in docs/performance.md.
"""

import argparse
import csv
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

from . import report
from .generate import DEFAULT_DATABASE, ROOT

VENV_BIN = Path(sys.executable).parent

# (scenario name, user classes, BENCH_ENDPOINT, kind of the endpoint for the targets)
ISOLATED = [
    ("home", "CitizenUser", "home", "page"),
    ("login", "CitizenUser", "login_again", "page"),
    ("dashboard", "CitizenUser", "dashboard", "page"),
    ("dossier page", "CitizenUser", "dossier_page", "page"),
    ("status lookup /suivi/", "CitizenUser", "tracking", "page"),
    ("slot search", "CitizenUser", "slot_search", "page"),
    ("booking", "CitizenUser", "booking", "page"),
    ("pré-demande submission", "CitizenUser", "predemande", "page"),
    ("instruction queue", "AgentUser", "queue", "page"),
    ("instruction dossier view", "AgentUser", "dossier_view", "page"),
    ("decision", "AgentUser", "decision", "page"),
    ("coordination GET /status", "PartnerUser", "coordination_status", "api"),
    ("provider availableTimeSlots", "PartnerUser", "available_time_slots", "api"),
]
# Latency without queueing: one user at a time (the saturated runs above measure throughput, and their
# latencies include the time requests wait for a free worker).
LATENCY = [
    ("slot search (1 user)", "CitizenUser", "slot_search"),
    ("instruction queue (1 user)", "AgentUser", "queue"),
    ("dossier page (1 user)", "CitizenUser", "dossier_page"),
    ("coordination GET /status (1 user)", "PartnerUser", "coordination_status"),
]
MIXES = [
    ("citizen mix", "CitizenUser", ""),
    ("agent mix", "AgentUser", ""),
    ("partner mix", "PartnerUser", ""),
    ("mixed load", "CitizenUser AgentUser PartnerUser", ""),
]
LOGIN_ALLOWANCE = 120  # seconds the simulated users may take to sign in before the measured period


def _wait_for(url: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (loopback URL built here)
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"the server did not answer {url} in {seconds:.0f} s")


class Server:
    """gunicorn with sync workers, as production runs it, stopped on exit."""

    def __init__(self, env: dict[str, str], port: int, workers: int, log: Path) -> None:
        self.env, self.port, self.workers, self.log = env, port, workers, log
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "Server":
        command = [
            str(VENV_BIN / "gunicorn"),
            "config.wsgi",
            f"--workers={self.workers}",
            "--worker-class=sync",
            f"--bind=127.0.0.1:{self.port}",
            "--backlog=2048",
            "--timeout=60",
        ]
        self.handle = self.log.open("w")
        self.process = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=self.handle, stderr=subprocess.STDOUT)
        _wait_for(f"http://127.0.0.1:{self.port}/healthz", 60)
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.handle.close()


def run_locust(
    *, env: dict[str, str], classes: str, endpoint: str, users: int, seconds: int, port: int, prefix: Path
) -> list[dict]:
    command = [
        str(VENV_BIN / "locust"),
        "-f",
        str(ROOT / "bench" / "locustfile.py"),
        "--headless",
        f"--users={users}",
        f"--spawn-rate={users}",
        f"--run-time={seconds + LOGIN_ALLOWANCE}s",  # the locustfile stops `seconds` after the sign-ins
        f"--host=http://127.0.0.1:{port}",
        f"--csv={prefix}",
        "--only-summary",
        "--stop-timeout=5",
        "--loglevel=WARNING",
        *classes.split(),
    ]
    locust_env = {**env, "BENCH_ENDPOINT": endpoint, "BENCH_USERS": str(users), "BENCH_SECONDS": str(seconds)}
    subprocess.run(
        command,
        cwd=ROOT,
        env=locust_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        timeout=seconds + LOGIN_ALLOWANCE + 120,
        check=False,
    )
    return read_stats(Path(f"{prefix}_stats.csv"), seconds)


def _number(text: str) -> float:
    try:
        return float(text)
    except (TypeError, ValueError):  # "N/A" when nothing was measured
        return 0.0


def read_stats(path: Path, seconds: int) -> list[dict]:
    if not path.exists():
        return []
    rows = []
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            count = int(row["Request Count"])
            if not count:
                continue  # requests seen only before the statistics restarted (sign-ins)
            rows.append(
                {
                    "name": row["Name"] if row["Type"] else "Aggregated",
                    "requests": count,
                    "failures": int(row["Failure Count"]),
                    "rps": _number(row["Requests/s"]),
                    "p50": _number(row["50%"]),
                    "p95": _number(row["95%"]),
                    "p99": _number(row["99%"]),
                    "average": _number(row["Average Response Time"]),
                }
            )
    return rows


def measured(rows: list[dict], seconds: int) -> dict:
    """Totals of a scenario (the sign-ins before the measured period are not in the statistics)."""
    work = [r for r in rows if r["name"] != "Aggregated"]
    total = sum(r["requests"] for r in work)
    failures = sum(r["failures"] for r in work)
    rps = sum(r["rps"] for r in work)
    weighted = lambda key: max((r[key] for r in work), default=0.0)  # noqa: E731 (worst endpoint)
    aggregated = next((r for r in rows if r["name"] == "Aggregated"), None)
    return {
        "requests": total,
        "failures": failures,
        "rps": round(rps, 1),
        "p50": aggregated["p50"] if aggregated else 0.0,
        "p95": aggregated["p95"] if aggregated else 0.0,
        "p99": aggregated["p99"] if aggregated else 0.0,
        "worst_p99": weighted("p99"),
    }


def row_counts(database_url: str) -> dict:
    import psycopg

    tables = {
        "communes": "territory_commune",
        "places": "territory_place",
        "accounts": "accounts_user",
        "dossiers": "dossiers_dossier",
        "dossier events": "dossiers_dossierevent",
        "pré-demandes": "identity_documents_predemande",
        "title productions": "identity_documents_titleproduction",
        "slots": "appointments_slot",
        "appointments": "appointments_appointment",
        "notifications": "notifications_notification",
        "audit entries": "audit_auditentry",
    }
    counts = {}
    with psycopg.connect(database_url) as connection:
        for label, table in tables.items():
            counts[label] = connection.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
        counts["equipped mairies"] = connection.execute(
            "SELECT COUNT(*) FROM territory_place WHERE kind = 'mairie' AND collection_stations > 0"
        ).fetchone()[0]
        counts["collection stations"] = connection.execute(
            "SELECT COALESCE(SUM(collection_stations), 0) FROM territory_place"
        ).fetchone()[0]
        counts["database bytes"] = connection.execute("SELECT pg_database_size(current_database())").fetchone()[0]
    return counts


def database_server(database_url: str) -> dict:
    """The PostgreSQL settings that shape the figures (the application's connections also set jit=off)."""
    import psycopg

    names = [
        "server_version",
        "shared_buffers",
        "effective_cache_size",
        "work_mem",
        "synchronous_commit",
        "max_connections",
    ]
    with psycopg.connect(database_url) as connection:
        return {name: connection.execute(f"SHOW {name}").fetchone()[0] for name in names}


def cpu_jiffies() -> tuple[int, int]:
    """(stolen, total) CPU time of all cores since boot, from /proc/stat; (0, 0) where the file does not exist.

    Steal is the time a virtual machine's cores were ready to run but the host ran someone else: on a shared host
    it lowers every figure of a run, the baseline's included, by an amount the load average does not show.
    """
    try:
        with open("/proc/stat", encoding="ascii") as stat:
            fields = [int(value) for value in stat.readline().split()[1:9]]
    except (OSError, ValueError):
        return (0, 0)
    stolen = fields[7] if len(fields) > 7 else 0  # user nice system idle iowait irq softirq steal
    return stolen, sum(fields)


def steal_percent(before: tuple[int, int], after: tuple[int, int]) -> float | None:
    total = after[1] - before[1]
    return round(100 * (after[0] - before[0]) / total, 1) if total > 0 else None


def cpu_probe_ms(iterations: int = 1_000_000, repeats: int = 3) -> float:
    """Milliseconds one core takes for a fixed pure-Python loop (best of `repeats`), run while the server is idle.

    A virtual machine's cores can run at very different speeds from one minute to the next without any steal being
    recorded (session 4 saw this loop take 1.55 s, then 2.87 s, a minute apart): the probe before each scenario
    tells which scenarios ran on a slower host, and lets runs of different days be put side by side.
    """
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        total = 0
        for number in range(iterations):
            total += number
        best = min(best, time.perf_counter() - started)
    return round(best * 1000, 1)


def machine() -> dict:
    load = os.getloadavg()
    return {
        "cpus": os.cpu_count(),
        "load_average_at_start": [round(x, 2) for x in load],
        "python": sys.version.split()[0],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", default="small", choices=["small", "medium", "large", "national"])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reuse", action="store_true", help="keep the database if its fixtures file exists")
    parser.add_argument(
        "--seconds", type=int, default=None, help="duration of each mix (default 20 s small, 60 s else)"
    )
    parser.add_argument("--isolated-seconds", type=int, default=None, help="duration of each endpoint alone")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--users", type=int, default=8, help="concurrent simulated users (no think time)")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--only", default="", help="comma-separated scenario names to run (default: all)")
    parser.add_argument(
        "--warmup",
        type=int,
        default=None,
        help="seconds of unmeasured mixed load first, so that the measured runs do not pay for a cold cache "
        "(default 10 s small, 60 s else)",
    )
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stop gunicorn on the way out

    seconds = args.seconds or (20 if args.scale == "small" else 60)
    isolated_seconds = args.isolated_seconds or (10 if args.scale == "small" else 30)
    database_url = os.environ.get("BENCH_DATABASE_URL") or DEFAULT_DATABASE.format(scale=args.scale)
    fixtures = ROOT / "var" / "bench" / f"{args.scale}-fixtures.json"
    if not (args.reuse and fixtures.exists()):
        from . import generate

        generate.main(["--scale", args.scale, "--seed", str(args.seed), "--database-url", database_url])
    else:
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
            cwd=ROOT,
            env={**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "config.settings.bench"},
            check=True,
        )
    dataset = json.loads(fixtures.read_text(encoding="utf-8"))

    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    work = ROOT / "var" / "bench" / stamp
    work.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "config.settings.bench",
        "GUICHET_LOG_LEVEL": "WARNING",
        "BENCH_FIXTURES": str(fixtures),
    }
    wanted = {name.strip() for name in args.only.split(",") if name.strip()}
    plan = [("baseline", "BaselineUser", "", "baseline", isolated_seconds)]
    plan += [(name, classes, endpoint, kind, isolated_seconds) for name, classes, endpoint, kind in ISOLATED]
    plan += [(name, classes, endpoint, "latency", isolated_seconds) for name, classes, endpoint in LATENCY]
    plan += [(name, classes, endpoint, "mix", seconds) for name, classes, endpoint in MIXES]
    plan += [("baseline (again)", "BaselineUser", "", "baseline", isolated_seconds)]
    if wanted:
        plan = [item for item in plan if item[0] in wanted or item[3] == "baseline"]
    started = time.perf_counter()
    scenarios = []
    warmup = args.warmup if args.warmup is not None else (10 if args.scale == "small" else 60)
    machine_at_start = machine()  # before the server and the load generator add their own load
    run_cpu_before = cpu_jiffies()
    with Server(env, args.port, args.workers, work / "gunicorn.log"):
        if warmup:
            print(f"[warm-up] mixed load, not measured: {warmup} s …", flush=True)
            run_locust(
                env=env,
                classes=MIXES[-1][1],
                endpoint="",
                users=args.users,
                seconds=warmup,
                port=args.port,
                prefix=work / "warmup",
            )
        for index, (name, classes, endpoint, kind, duration) in enumerate(plan):
            print(f"[{index + 1}/{len(plan)}] {name}: {duration} s …", flush=True)
            probe = cpu_probe_ms()
            cpu_before = cpu_jiffies()
            rows = run_locust(
                env=env,
                classes=classes,
                endpoint=endpoint,
                users=1 if kind == "latency" else args.users,
                seconds=duration,
                port=args.port,
                prefix=work / f"{index:02d}",
            )
            summary = measured(rows, duration)
            summary["cpu_steal_percent"] = steal_percent(cpu_before, cpu_jiffies())
            summary["cpu_probe_ms"] = probe
            print(
                f"    {summary['rps']:.0f} req/s, p95 {summary['p95']:.0f} ms, {summary['failures']} failures, "
                f"CPU steal {summary['cpu_steal_percent']} %, CPU probe {probe} ms",
                flush=True,
            )
            scenarios.append(
                {
                    "name": name,
                    "kind": kind,
                    "classes": classes,
                    "seconds": duration,
                    "summary": summary,
                    "endpoints": rows,
                }
            )
    result = {
        "scale": args.scale,
        "seed": args.seed,
        "started_at": stamp,
        "run_seconds": round(time.perf_counter() - started, 1),
        "server": {
            "gunicorn_workers": args.workers,
            "worker_class": "sync",
            "settings": "config.settings.bench",
            "warmup_seconds": warmup,
            "postgresql": database_server(database_url),
        },
        "load": {"users": args.users, "think_time": 0, "tool": "locust (FastHttpUser), headless"},
        "machine": {**machine_at_start, "cpu_steal_percent": steal_percent(run_cpu_before, cpu_jiffies())},
        "dataset": {
            "generated_at": dataset.get("generated_at"),
            "generation_seconds": dataset.get("generation_seconds"),
            "rows": row_counts(database_url),
        },
        "scenarios": scenarios,
    }
    paths = report.write(result, ROOT / "bench" / "reports", ROOT / "docs" / "performance.md")
    for path in paths:
        print(f"report: {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
