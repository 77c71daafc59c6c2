"""Profiles one scenario step in-process: `python -m bench.profile --scale small slot_search [--repeat 50]`.

Runs a load scenario's step (bench/scenarios.py) through Django's test client against an existing benchmark
database (built by bench/generate.py), with the benchmark settings, and prints for each step: the mean time per
call, the SQL queries per call, and the functions where the time went (cProfile, sorted by own time and by
cumulative time). This is where to look before making a path faster; the load runs (bench/run.py) then tell
whether it mattered under concurrency. Writes go to the benchmark database, as the load runs do.
"""

import argparse
import cProfile
import io
import json
import pstats
import random
import statistics
import sys
import time

from .generate import DEFAULT_DATABASE, ROOT, setup_django

FLOWS = {
    "baseline": ("Baseline", "baseline"),
    "home": ("Citizen", "home"),
    "login": ("Citizen", "login_again"),
    "dashboard": ("Citizen", "dashboard"),
    "dossier_page": ("Citizen", "dossier_page"),
    "tracking": ("Citizen", "tracking"),
    "slot_search": ("Citizen", "slot_search"),
    "booking": ("Citizen", "booking"),
    "predemande": ("Citizen", "predemande"),
    "queue": ("Agent", "queue"),
    "dossier_view": ("Agent", "dossier_view"),
    "decision": ("Agent", "decision"),
    "coordination_status": ("Partner", "coordination_status"),
    "available_time_slots": ("Partner", "available_time_slots"),
}


def build_flow(kind: str, fixtures: dict, seed: int):
    from . import scenarios
    from .django_http import DjangoHttp

    flow = getattr(scenarios, kind)(
        http=DjangoHttp(strict=False),
        samples=fixtures["samples"],
        password=fixtures["password"],
        rng=random.Random(seed),
    )
    if kind == "Partner":
        flow.editor_token, flow.hub_token = fixtures["editor_token"], fixtures["hub_token"]
    elif kind in ("Citizen", "Agent"):
        flow.start()
    return flow


def print_timing(step: str, action, repeat: int) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    durations = []
    with CaptureQueriesContext(connection) as queries:
        for _call in range(repeat):
            started = time.perf_counter()
            action()
            durations.append(time.perf_counter() - started)
    print(
        f"=== {step}: median {statistics.median(durations) * 1000:.2f} ms, "
        f"mean {statistics.fmean(durations) * 1000:.2f} ms per call, {len(queries) / repeat:.1f} queries per call"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("steps", nargs="+", choices=sorted(FLOWS))
    parser.add_argument("--scale", default="small", choices=["small", "medium", "large", "national"])
    parser.add_argument("--database-url", default=None, help="default: guichet_bench_<scale> on 127.0.0.1")
    parser.add_argument("--repeat", type=int, default=50, help="measured calls per step (after 3 warm-up calls)")
    parser.add_argument("--top", type=int, default=25, help="functions listed per ordering")
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--sql", action="store_true", help="also print the SQL of the last call")
    parser.add_argument(
        "--timing",
        action="store_true",
        help="time the calls without the profiler (the profiler inflates template rendering several-fold): "
        "prints the median and mean per call, nothing else",
    )
    args = parser.parse_args(argv)

    setup_django(args.database_url or DEFAULT_DATABASE.format(scale=args.scale))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    fixtures = json.loads((ROOT / "var" / "bench" / f"{args.scale}-fixtures.json").read_text(encoding="utf-8"))
    for step in args.steps:
        kind, method = FLOWS[step]
        flow = build_flow(kind, fixtures, args.seed)
        action = getattr(flow, method)
        for _warm_up in range(3):
            action()
        flow.http.calls.clear()
        if args.timing:
            print_timing(step, action, args.repeat)
            continue
        profiler = cProfile.Profile()
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            profiler.enable()
            for _call in range(args.repeat):
                action()
            profiler.disable()
            elapsed = time.perf_counter() - started
        statuses: dict[str, int] = {}
        for name, status in flow.http.calls:
            statuses[f"{name} → {status}"] = statuses.get(f"{name} → {status}", 0) + 1
        # Python function calls per call: unlike milliseconds, the same on a fast or a slow host (a virtual
        # machine's speed can move 2x within minutes), so a change's effect on the Python work shows directly.
        calls = pstats.Stats(profiler).total_calls / args.repeat  # type: ignore[attr-defined]
        print(
            f"\n=== {step}: {elapsed / args.repeat * 1000:.1f} ms per call (profiler on), "
            f"{len(queries) / args.repeat:.1f} queries per call, {calls:,.0f} Python function calls per call"
        )
        for line, count in sorted(statuses.items()):
            print(f"    {count:4d} × {line}")
        if args.sql:
            with CaptureQueriesContext(connection) as last:
                action()
            for query in last.captured_queries:
                print(f"  [{query['time']} s] {query['sql'][:4000]}")
        for ordering in ("tottime", "cumulative"):
            buffer = io.StringIO()
            pstats.Stats(profiler, stream=buffer).sort_stats(ordering).print_stats(args.top)
            body = buffer.getvalue()
            print(body[body.find("   ncalls") :])
    return 0


if __name__ == "__main__":
    sys.exit(main())
