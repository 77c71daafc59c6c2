"""200 people book the same slot at the same instant, over HTTP, through gunicorn on PostgreSQL: exactly one wins.

`python -m bench.robustness.same_slot [--clients 200]`. The slot belongs to a mairie with one collection station,
so only one booking can hold it; the others must get the "slot taken" page (400), none a server error.
"""

import argparse
import sys
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from urllib.parse import urlencode

from .common import PORT, csrf_of, database_url, ensure_dataset, gunicorn, signed_in_session, verdict


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=200)
    args = parser.parse_args(argv)
    url = database_url()
    ensure_dataset(url)
    from django.db.models import Exists, OuterRef
    from django.utils import timezone

    from guichet.accounts.models import User
    from guichet.appointments.models import Appointment, AppointmentSlot, Slot
    from guichet.procedures.identity_documents.models import PreDemande
    from guichet.territory.opening_hours import PARIS

    taken = AppointmentSlot.objects.filter(slot=OuterRef("pk"), is_active=True)
    slot = (
        Slot.objects.filter(
            place__collection_stations=1,
            place__agenda_settings__is_active=True,
            starts_at__gte=timezone.now() + timedelta(days=2),
        )
        .filter(~Exists(taken))
        .order_by("starts_at", "pk")
        .first()
    )
    if slot is None:
        return verdict(False, "no free slot in a one-station mairie: the dataset is not the expected one")
    numbers = list(PreDemande.objects.filter(status="validated").values_list("number", flat=True)[: args.clients])
    users = list(User.objects.filter(email__startswith="usager").order_by("pk")[: args.clients])
    if not numbers or len(users) < args.clients:
        return verdict(False, "not enough validated pré-demandes or accounts in the dataset")
    base = f"http://127.0.0.1:{PORT}"
    query = urlencode(
        {"lieu": slot.place_id, "debut": slot.starts_at.astimezone(PARIS).strftime("%Y-%m-%dT%H:%M"), "dossiers": 1}
    )
    path = f"/usager/rendez-vous/reserver/?{query}"
    print(
        f"Slot {slot.pk} (mairie {slot.place_id}, {slot.starts_at:%Y-%m-%d %H:%M} UTC), {args.clients} clients",
        flush=True,
    )

    with gunicorn(url, log_name="same-slot"):
        clients = [signed_in_session(user, base) for user in users]

        def prepare(session) -> str:
            return csrf_of(session.get(base + path, timeout=60).text)

        with ThreadPoolExecutor(max_workers=32) as pool:
            tokens = list(pool.map(prepare, clients))
        if not all(tokens):
            return verdict(False, "some clients could not open the booking page")
        barrier = threading.Barrier(args.clients)
        statuses: list[str] = []
        lock = threading.Lock()

        def book(index: int) -> None:
            session = clients[index]
            data = {
                "csrfmiddlewaretoken": tokens[index],
                "application_id": numbers[index % len(numbers)],
                "confirm_second": "on",
            }
            barrier.wait(timeout=60)
            try:
                response = session.post(base + path, data=data, allow_redirects=False, timeout=120)
                outcome = str(response.status_code)
            except Exception as error:  # a refused connection is an outcome too
                outcome = type(error).__name__
            with lock:
                statuses.append(outcome)

        threads = [threading.Thread(target=book, args=(index,)) for index in range(args.clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=300)

    counts = Counter(statuses)
    holders = AppointmentSlot.objects.filter(slot=slot, is_active=True).count()
    bookings = Appointment.objects.filter(place_id=slot.place_id, starts_at=slot.starts_at, status="booked").count()
    passed = counts.get("302") == 1 and counts.get("400") == args.clients - 1 and holders == 1 and bookings == 1
    return verdict(
        passed,
        f"answers: {dict(sorted(counts.items()))}; active holders of the slot: {holders}; "
        f"bookings at that time: {bookings}",
    )


if __name__ == "__main__":
    sys.exit(main())
