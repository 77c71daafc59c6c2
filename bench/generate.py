"""Builds a benchmark database: `python -m bench.generate --scale small --seed 1`.

With `--fresh` (the default for the runner) the PostgreSQL database named by DATABASE_URL is dropped and created
again, migrated, given the real territory (`manage.py import_territory`), then the synthetic dataset
(bench/dataset.py). Writes the fixtures file the load scenarios read (samples of ids, tokens, the password).
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/guichet_bench_{scale}"


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")
    os.environ.setdefault("GUICHET_LOG_LEVEL", "WARNING")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def recreate_database(database_url: str) -> None:
    """Drops and creates the database (PostgreSQL only), connecting to the server's `postgres` database."""
    import psycopg

    parsed = urlparse(database_url)
    name = parsed.path.lstrip("/")
    if not name.startswith("guichet_bench"):
        raise SystemExit(f"refusing to drop {name!r}: benchmark databases are named guichet_bench*")
    admin_url = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def default_territory() -> Path:
    configured = os.environ.get("GUICHET_TERRITORY_DATA")
    if configured:
        return Path(configured)
    for candidate in (ROOT.parent / "shared" / "data", ROOT.parent.parent / "shared" / "data"):
        if candidate.is_dir():
            return candidate
    return ROOT.parent / "shared" / "data"


def database_size() -> int:
    from django.db import connection

    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        return int(cursor.fetchone()[0])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", default="small", choices=["small", "medium", "large", "national"])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database-url", default=None, help="default: guichet_bench_<scale> on 127.0.0.1")
    parser.add_argument("--territory", type=Path, default=None, help="reference data folder (../shared/data)")
    parser.add_argument("--fixtures", type=Path, default=None, help="default: var/bench/<scale>-fixtures.json")
    parser.add_argument("--processes", type=int, default=2, help="dossier generator processes (PostgreSQL)")
    parser.add_argument("--no-fresh", action="store_true", help="keep the database (it must be migrated and empty)")
    args = parser.parse_args(argv)

    database_url = (
        args.database_url or os.environ.get("BENCH_DATABASE_URL") or DEFAULT_DATABASE.format(scale=args.scale)
    )
    started = time.perf_counter()
    if not args.no_fresh:
        recreate_database(database_url)
    setup_django(database_url)
    from django.core.management import call_command

    from bench.dataset import generate
    from bench.scales import SCALES

    def out(line: str) -> None:
        print(line, flush=True)

    out(f"Benchmark dataset {args.scale} (seed {args.seed}) into {urlparse(database_url).path.lstrip('/')}")
    call_command("migrate", verbosity=0, interactive=False)
    out(f"  migrated in {time.perf_counter() - started:.1f} s")
    territory_started = time.perf_counter()
    call_command("import_territory", source=args.territory or default_territory(), verbosity=0)
    out(f"  territory imported in {time.perf_counter() - territory_started:.1f} s")
    result = generate(scale=SCALES[args.scale], seed=args.seed, out=out, processes=args.processes)
    result["generation_seconds"] = round(time.perf_counter() - started, 1)
    result["database_bytes"] = database_size()
    fixtures = args.fixtures or ROOT / "var" / "bench" / f"{args.scale}-fixtures.json"
    fixtures.parent.mkdir(parents=True, exist_ok=True)
    fixtures.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    out(
        f"Done in {result['generation_seconds']:.1f} s; database {result['database_bytes'] / 1e9:.2f} GB; "
        f"fixtures in {fixtures}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
