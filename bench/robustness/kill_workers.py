"""`kill -9` of a web worker and of a task worker in the middle of the load, on PostgreSQL:
no acknowledged write is lost, no notification reaches a phone twice, and the service recovers by itself.

`python -m bench.robustness.kill_workers`. Runs, as production does: gunicorn (4 sync workers), two task workers
(`manage.py db_worker`) and the periodic `notifications_dispatch_due` (the scheduler's job, every 2 s here, with a
5-second sending lease so that the test does not wait 15 minutes). Meanwhile:
- 12 citizens start pré-demandes over HTTP; a write is acknowledged when its answer (302) arrives;
- the outbox receives "title available" SMS through `notification_enqueue`, as `title_make_available` does;
- after a few seconds one gunicorn worker and one task worker get SIGKILL; nothing restarts the task worker.
Then: every acknowledged pré-demande must exist; every notification must end up sent; the SMS gateway (a local
HTTP sink that, like real providers, drops a message whose reference it already accepted) must have delivered each
notification exactly once; gunicorn must answer again without help.
"""

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import requests

from .common import PORT, csrf_of, database_url, ensure_dataset, gunicorn, server_env, signed_in_session, verdict

SINK_PORT = 8791
LOCATION = re.compile(r"/usager/pre-demande/([A-Z0-9]{10})/")
KEY = re.compile(r'name="idempotency_key" value="([^"]+)"')


class Gateway:
    """The SMS provider: accepts a reference once, counts every receipt."""

    def __init__(self) -> None:
        self.receipts: Counter[str] = Counter()
        self.lock = threading.Lock()
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))) or b"{}")
                with gateway.lock:
                    gateway.receipts[body.get("reference", "")] += 1
                answer = json.dumps({"id": f"sink-{body.get('reference', '')}"}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", SINK_PORT), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def delivered(self) -> int:
        return len(self.receipts)  # the provider delivers a reference once

    @property
    def resent(self) -> int:
        return sum(count - 1 for count in self.receipts.values())


def gunicorn_workers(master_pid: int) -> list[int]:
    output = subprocess.run(["pgrep", "-P", str(master_pid)], capture_output=True, text=True, check=False).stdout
    return [int(pid) for pid in output.split()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=30, help="length of the load")
    parser.add_argument("--notifications", type=int, default=600)
    args = parser.parse_args(argv)
    url = database_url()
    ensure_dataset(url)
    from django.db import transaction

    from guichet.accounts.models import User
    from guichet.notifications.models import DeliveryStatus, Notification
    from guichet.notifications.services import notification_enqueue, notification_reference
    from guichet.procedures.identity_documents.models import PreDemande

    Notification.objects.filter(event_key__startswith="robustness-").delete()
    gateway = Gateway()
    extra = {
        "GUICHET_SMS_PROVIDER": "guichet.notifications.channels.sms.HttpSmsProvider",
        "GUICHET_SMS_HTTP_URL": f"http://127.0.0.1:{SINK_PORT}/messages",
        "GUICHET_NOTIFICATION_SENDING_LEASE_SECONDS": "5",
    }
    os.environ.update(extra)  # for this process too (it enqueues)
    env = server_env(url, **extra)
    python, manage = sys.executable, "manage.py"
    task_workers = [
        subprocess.Popen(
            [python, manage, "db_worker", "--interval", "0.2", "--no-startup-delay"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(2)
    ]
    scheduler = subprocess.Popen(
        [python, manage, "notifications_dispatch_due", "--every", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{PORT}"
    acknowledged: list[str] = []
    unanswered = Counter()
    stop = threading.Event()
    lock = threading.Lock()
    killed: dict[str, int] = {}
    try:
        with gunicorn(url, log_name="kill-workers", **extra) as server:
            users = list(User.objects.filter(email__startswith="usager").order_by("pk")[:12])

            def citizen(user) -> None:
                session = signed_in_session(user, base)
                while not stop.is_set():
                    try:
                        page = session.get(base + "/usager/pre-demande/", timeout=30).text
                        key = KEY.search(page)
                        data = {
                            "csrfmiddlewaretoken": csrf_of(page),
                            "titles": "cni",
                            "for_whom": "self",
                            "motive": "loss",
                            "idempotency_key": key.group(1) if key else "",
                        }
                        response = session.post(
                            base + "/usager/pre-demande/", data=data, allow_redirects=False, timeout=30
                        )
                    except requests.RequestException as error:
                        with lock:
                            unanswered[type(error).__name__] += 1
                        continue
                    found = LOCATION.search(response.headers.get("Location", ""))
                    with lock:
                        if response.status_code == 302 and found:
                            acknowledged.append(found.group(1))
                        else:
                            unanswered[str(response.status_code)] += 1

            def outbox() -> None:
                pause = args.seconds * 0.6 / args.notifications
                for index in range(args.notifications):
                    with transaction.atomic():
                        notification_enqueue(
                            event_key=f"robustness-title-available-{index}",
                            channel="sms",
                            recipient=f"+337{index:08d}",
                            template="title_available",
                            context={
                                "title_short": "passeport",
                                "title_label": "passeport",
                                "dossier_reference": "PA4H JW2T RN",
                                "place_name": "Mairie",
                                "place_address": "1 place de la Mairie",
                                "dossier_path": "/usager/",
                            },
                        )
                    time.sleep(pause)

            threads = [threading.Thread(target=citizen, args=(user,)) for user in users]
            threads.append(threading.Thread(target=outbox))
            for thread in threads:
                thread.start()
            time.sleep(args.seconds / 3)
            victim = gunicorn_workers(server.process.pid)[0]
            os.kill(victim, signal.SIGKILL)
            killed["gunicorn worker"] = victim
            os.kill(task_workers[0].pid, signal.SIGKILL)
            killed["task worker"] = task_workers[0].pid
            print(f"killed with SIGKILL: {killed}", flush=True)
            time.sleep(args.seconds * 2 / 3)
            stop.set()
            for thread in threads:
                thread.join(timeout=60)
            after = requests.get(base + "/healthz", timeout=10).status_code
            workers_after = len(gunicorn_workers(server.process.pid))
        # The survivors finish the outbox, with the rows the killed worker held coming back after their lease.
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if (
                not Notification.objects.filter(event_key__startswith="robustness-")
                .exclude(status=DeliveryStatus.SENT)
                .exists()
            ):
                break
            time.sleep(1)
    finally:
        for process in (*task_workers, scheduler):
            if process.poll() is None:
                process.terminate()
        for process in (*task_workers, scheduler):
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        gateway.server.shutdown()

    found = set(PreDemande.objects.filter(number__in=acknowledged).values_list("number", flat=True))
    lost = [number for number in acknowledged if number not in found]
    ours = Notification.objects.filter(event_key__startswith="robustness-")
    sent = ours.filter(status=DeliveryStatus.SENT).count()
    references = {notification_reference(n) for n in ours}
    delivered = sum(1 for reference in gateway.receipts if reference in references)
    passed = (
        acknowledged
        and not lost
        and sent == args.notifications
        and delivered == args.notifications
        and after == 200
        and workers_after >= 4
    )
    return verdict(
        bool(passed),
        f"acknowledged pré-demandes: {len(acknowledged)}, lost: {len(lost)}; unanswered or refused attempts: "
        f"{dict(unanswered)}; notifications: {args.notifications} enqueued, {sent} sent, {delivered} delivered to "
        f"phones, {gateway.resent} resent copies dropped by the gateway (same reference); gunicorn after the kill: "
        f"/healthz {after}, {workers_after} workers",
    )


if __name__ == "__main__":
    sys.exit(main())
