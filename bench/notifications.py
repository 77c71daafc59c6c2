"""The outbox under a national burst: `python -m bench.notifications [--count 100000] [--workers 2]`.

Writes `count` "title available" SMS notifications into the outbox (one per applicant, as
`title_make_available` does for a day of titles reaching their mairies), then starts `workers` dispatch processes
(`manage.py notifications_deliver`) and times them until the outbox is empty. The SMS provider is
`FileSmsProvider`: its log is what the provider received. Checks, from that log and the database, that every
notification was handed over exactly once. Ends with PASS or FAIL.
"""

import argparse
import json
import os
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from .generate import ROOT, recreate_database, setup_django
from .run import cpu_probe_ms

DATABASE = "postgres://postgres@127.0.0.1:5432/guichet_bench_notifications"
TARGET_SECONDS = 60.0
CONTEXT = {
    "dossier_reference": "PA-4HJW-2TRN",
    "title_label": "passeport",
    "title_short": "passeport",
    "place_name": "Mairie de Saint-Jean-de-Luz",
    "place_address": "Place Louis XIV, 64500 Saint-Jean-de-Luz",
    "opening_hours": "Mo-Fr 08:30-12:00,13:30-17:00",
    "collection_deadline": "15 mars 2027",
    "dossier_path": "/usager/dossiers/PA4HJW2TRN/",
}


def recipient(index: int) -> str:
    return f"+336{index:08d}"


def enqueue(count: int) -> float:
    """Bulk-writes the pending rows (COPY); returns the seconds it took."""
    from django.utils import timezone

    from bench import loader
    from guichet.notifications.models import Notification

    now = timezone.now()
    context = json.dumps(CONTEXT, ensure_ascii=False)
    columns = [
        "created_at",
        "updated_at",
        "event_key",
        "channel",
        "recipient",
        "recipient_user_id",
        "template",
        "context",
        "status",
        "attempts",
        "next_attempt_at",
        "last_error",
        "provider_message_id",
        "sent_at",
        "attachments",
    ]
    rows = (
        (
            now,
            now,
            f"title-available-{i}",
            "sms",
            recipient(i),
            None,
            "title_available",
            context,
            "pending",
            0,
            now,
            "",
            "",
            None,
            "[]",
        )
        for i in range(count)
    )
    started = time.perf_counter()
    loader.load(Notification._meta.db_table, columns, rows, expected=count, out=lambda line: None)
    return time.perf_counter() - started


def start_workers(workers: int, env: dict[str, str], batch: int) -> list[subprocess.Popen]:
    command = [sys.executable, "manage.py", "notifications_deliver", f"--batch={batch}"]
    return [subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True) for _ in range(workers)]


def provider_log(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def check(count: int, log: list[dict]) -> dict:
    from guichet.notifications.models import DeliveryStatus, Notification

    references = Counter(entry["reference"] for entry in log)
    recipients = Counter(entry["to"] for entry in log)
    return {
        "provider_received": len(log),
        "distinct_references": len(references),
        "references_received_twice_or_more": sum(1 for n in references.values() if n > 1),
        "distinct_recipients": len(recipients),
        "rows_sent": Notification.objects.filter(status=DeliveryStatus.SENT).count(),
        "rows_sent_in_one_attempt": Notification.objects.filter(status=DeliveryStatus.SENT, attempts=1).count(),
        "rows_not_sent": Notification.objects.exclude(status=DeliveryStatus.SENT).count(),
        "expected": count,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--batch", type=int, default=200)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_NOTIFICATIONS_DATABASE_URL", DATABASE))
    args = parser.parse_args(argv)

    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    var = ROOT / "var" / "bench" / f"notifications-{stamp}"
    var.mkdir(parents=True, exist_ok=True)
    os.environ["GUICHET_VAR_DIR"] = str(var)  # the file SMS provider writes var/sms/sms.jsonl
    recreate_database(args.database_url)
    setup_django(args.database_url)
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    assert settings.GUICHET_SMS_PROVIDER.endswith("FileSmsProvider"), settings.GUICHET_SMS_PROVIDER
    print(f"Outbox burst: {args.count:,} SMS, {args.workers} dispatch workers, batches of {args.batch}", flush=True)
    enqueue_seconds = enqueue(args.count)
    print(f"  enqueued in {enqueue_seconds:.1f} s", flush=True)

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.bench", "DATABASE_URL": args.database_url}
    probe = cpu_probe_ms()  # the host's speed now, to compare this run with another day's (bench/run.py)
    started = time.perf_counter()
    workers = start_workers(args.workers, env, args.batch)
    outputs = [worker.communicate(timeout=1800)[0].strip() for worker in workers]
    elapsed = time.perf_counter() - started
    for index, output in enumerate(outputs):
        print(f"  worker {index + 1}: {output}", flush=True)

    result = check(args.count, provider_log(var / "sms" / "sms.jsonl"))
    result.update(seconds=round(elapsed, 1), per_second=round(args.count / elapsed, 1), workers=args.workers)
    exactly_once = (
        result["provider_received"] == args.count
        and result["distinct_references"] == args.count
        and result["distinct_recipients"] == args.count
        and result["rows_sent"] == args.count
    )
    fast_enough = elapsed < TARGET_SECONDS
    result.update(exactly_once=exactly_once, under_target=fast_enough, load_average=os.getloadavg(), cpu_probe_ms=probe)
    (var / "result.json").write_text(json.dumps(result, indent=1), encoding="utf-8")
    reports = ROOT / "bench" / "reports"
    reports.mkdir(exist_ok=True)
    (reports / f"{stamp}-notifications.json").write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=1))
    print(
        f"{args.count:,} notifications handed to the provider in {elapsed:.1f} s ({args.count / elapsed:,.0f}/s) "
        f"by {args.workers} workers; exactly once: {'yes' if exactly_once else 'NO'}; "
        f"under {TARGET_SECONDS:.0f} s: {'yes' if fast_enough else 'NO'}"
    )
    print("PASS" if exactly_once and fast_enough else "FAIL")
    return 0 if exactly_once and fast_enough else 1


if __name__ == "__main__":
    sys.exit(main())
