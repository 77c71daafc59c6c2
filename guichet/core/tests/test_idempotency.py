"""`idempotent_submit`: the work runs once per key; a failed attempt leaves no key behind."""

import pytest

from guichet.core.exceptions import InvalidInput
from guichet.core.idempotency import idempotent_submit
from guichet.core.models import IdempotencyKey

pytestmark = pytest.mark.django_db
KEY = "0123456789abcdef0123"


def test_the_work_runs_once_and_the_repeat_gets_the_first_url():
    calls = []

    def work() -> str:
        calls.append(1)
        return f"/done/{len(calls)}/"

    assert idempotent_submit(scope="s", user_id=1, key=KEY, perform=work) == ("/done/1/", False)
    assert idempotent_submit(scope="s", user_id=1, key=KEY, perform=work) == ("/done/1/", True)
    assert len(calls) == 1


def test_a_failed_attempt_keeps_no_key_so_the_retry_does_the_work():
    def failing() -> str:
        raise InvalidInput("non")

    with pytest.raises(InvalidInput):
        idempotent_submit(scope="s", user_id=1, key=KEY, perform=failing)
    assert not IdempotencyKey.objects.exists()
    assert idempotent_submit(scope="s", user_id=1, key=KEY, perform=lambda: "/ok/") == ("/ok/", False)


def test_without_a_key_nothing_is_remembered():
    assert idempotent_submit(scope="s", user_id=1, key="", perform=lambda: "/a/") == ("/a/", False)
    assert not IdempotencyKey.objects.exists()


def test_the_purge_deletes_only_keys_older_than_a_day():
    from datetime import timedelta
    from io import StringIO

    from django.core.management import call_command
    from django.utils import timezone

    idempotent_submit(scope="s", user_id=1, key=KEY, perform=lambda: "/old/")
    idempotent_submit(scope="s", user_id=1, key=KEY.upper(), perform=lambda: "/new/")
    IdempotencyKey.objects.filter(key=KEY).update(created_at=timezone.now() - timedelta(days=1, minutes=1))

    output = StringIO()
    call_command("purge_idempotency_keys", stdout=output)

    assert list(IdempotencyKey.objects.values_list("result_url", flat=True)) == ["/new/"]
    assert output.getvalue().startswith("1 ")
