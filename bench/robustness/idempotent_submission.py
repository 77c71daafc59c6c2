"""A pré-demande form sent again and again with the same idempotency key — 20 copies at the same instant, then
5 retries — over HTTP through gunicorn on PostgreSQL: one pré-demande, one dossier, every answer leads to it.

`python -m bench.robustness.idempotent_submission`.
"""

import argparse
import re
import sys
import threading
from collections import Counter

from .common import PORT, csrf_of, database_url, ensure_dataset, gunicorn, signed_in_session, verdict

KEY = re.compile(r'name="idempotency_key" value="([^"]+)"')
FORM = {"titles": "cni", "for_whom": "self", "motive": "renewal_expired"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--copies", type=int, default=20)
    parser.add_argument("--retries", type=int, default=5)
    args = parser.parse_args(argv)
    url = database_url()
    ensure_dataset(url)
    from guichet.accounts.models import User
    from guichet.dossiers.models import Dossier
    from guichet.procedures.identity_documents.models import PreDemande

    user = User.objects.filter(email__startswith="usager").order_by("-pk").first()
    before = (PreDemande.objects.filter(applicant=user).count(), Dossier.objects.filter(applicant=user).count())
    base = f"http://127.0.0.1:{PORT}"
    path = "/usager/pre-demande/"
    with gunicorn(url, log_name="idempotency"):
        session = signed_in_session(user, base)
        page = session.get(base + path, timeout=60).text
        token, key = csrf_of(page), KEY.search(page)
        if not token or key is None:
            return verdict(False, "the start page carries no CSRF token or no idempotency key")
        data = {"csrfmiddlewaretoken": token, "idempotency_key": key.group(1), **FORM}
        answers: list[str] = []
        lock = threading.Lock()
        barrier = threading.Barrier(args.copies)

        def submit(wait: bool) -> None:
            if wait:
                barrier.wait(timeout=60)
            try:
                response = session.post(base + path, data=data, allow_redirects=False, timeout=120)
                answer = f"{response.status_code} {response.headers.get('Location', '')}"
            except Exception as error:
                answer = type(error).__name__
            with lock:
                answers.append(answer)

        threads = [threading.Thread(target=submit, args=(True,)) for _ in range(args.copies)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=300)
        for _ in range(args.retries):
            submit(False)

    after = (PreDemande.objects.filter(applicant=user).count(), Dossier.objects.filter(applicant=user).count())
    created = (after[0] - before[0], after[1] - before[1])
    counts = Counter(answers)
    passed = created == (1, 1) and len(counts) == 1 and next(iter(counts)).startswith("302 /usager/pre-demande/")
    return verdict(
        passed,
        f"{len(answers)} submissions with one key → answers {dict(counts)}; "
        f"pré-demandes created: {created[0]}, dossiers created: {created[1]}",
    )


if __name__ == "__main__":
    sys.exit(main())
