"""Starting a pré-demande is idempotent: the start form carries a key, and the same key sent again (double click,
retry after a timeout, two copies at once) starts one pré-demande, not two."""

import re
import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from guichet.core.models import IdempotencyKey
from guichet.dossiers.models import Dossier
from guichet.procedures.identity_documents.models import PreDemande

FORM = {"titles": ["cni"], "for_whom": "self", "motive": "first"}
KEY = re.compile(r'name="idempotency_key" value="([0-9a-f]{32})"')


@pytest.fixture
def citizen_client(citizen) -> Client:
    client = Client()
    client.force_login(citizen)
    return client


def _key_from_page(client: Client) -> str:
    match = KEY.search(client.get(reverse("citizen:predemande_start")).content.decode())
    assert match, "the start form carries an idempotency key"
    return match.group(1)


@pytest.mark.django_db
def test_the_same_key_sent_twice_starts_one_predemande_and_both_answers_lead_to_it(citizen_client, citizen):
    key = _key_from_page(citizen_client)
    first = citizen_client.post(reverse("citizen:predemande_start"), {**FORM, "idempotency_key": key})
    again = citizen_client.post(reverse("citizen:predemande_start"), {**FORM, "idempotency_key": key})
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"]
    assert PreDemande.objects.filter(applicant=citizen).count() == 1
    assert Dossier.objects.filter(applicant=citizen).count() == 1


@pytest.mark.django_db
def test_each_new_form_gets_a_new_key_so_a_second_predemande_is_possible(citizen_client, citizen):
    for _ in range(2):
        key = _key_from_page(citizen_client)
        assert (
            citizen_client.post(reverse("citizen:predemande_start"), {**FORM, "idempotency_key": key}).status_code
            == 302
        )
    assert PreDemande.objects.filter(applicant=citizen).count() == 2


@pytest.mark.django_db
def test_the_header_form_of_the_key_is_honoured_and_keys_of_other_accounts_do_not_collide(citizen_client, citizen):
    headers = {"Idempotency-Key": "retry-0123456789abcdef"}
    for _ in range(2):
        assert citizen_client.post(reverse("citizen:predemande_start"), FORM, headers=headers).status_code == 302
    assert PreDemande.objects.filter(applicant=citizen).count() == 1
    assert IdempotencyKey.objects.get().user_id == citizen.pk


@pytest.mark.django_db
def test_an_invalid_form_uses_no_key_so_the_corrected_form_still_works(citizen_client, citizen):
    key = _key_from_page(citizen_client)
    refused = citizen_client.post(reverse("citizen:predemande_start"), {"idempotency_key": key})
    assert refused.status_code == 400
    accepted = citizen_client.post(reverse("citizen:predemande_start"), {**FORM, "idempotency_key": key})
    assert accepted.status_code == 302
    assert PreDemande.objects.filter(applicant=citizen).count() == 1


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_copies_of_one_submission_arriving_together_start_one_predemande(citizen):
    if connection.vendor != "postgresql":
        pytest.skip("proves a concurrency claim: needs PostgreSQL's unique-index waits (set DATABASE_URL)")
    barrier = threading.Barrier(8)
    answers: list[str] = []
    lock = threading.Lock()

    def submit() -> None:
        client = Client()
        client.force_login(citizen)
        try:
            barrier.wait(timeout=10)
            response = client.post(
                reverse("citizen:predemande_start"), {**FORM, "idempotency_key": "same-key-for-all-0001"}
            )
            with lock:
                answers.append(f"{response.status_code} {response.get('Location', '')}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(answers) == 8 and len(set(answers)) == 1 and answers[0].startswith("302 ")
    assert PreDemande.objects.filter(applicant=citizen).count() == 1
