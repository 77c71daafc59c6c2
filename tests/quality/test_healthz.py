"""/healthz: 200 JSON when the database and the task queue answer, 503 JSON when either does not.

Failures are real, not mocked: the view runs in a child process (Django's test client, test settings) whose
DATABASE_URL points at a database that cannot be opened, or at an empty database without the tasks table.
"""

import json

import pytest
from django.urls import reverse

from .production import run_python

HEALTHZ_IN_CHILD = (
    "import json, django; django.setup(); "
    "from django.test import Client; from django.test.utils import setup_test_environment; "
    "setup_test_environment(); "
    "response = Client().get('/healthz'); "
    "print(json.dumps({'status_code': response.status_code, 'content_type': response['Content-Type'], "
    "'body': json.loads(response.content)}))"
)


def healthz_in_child(database_url: str) -> dict:
    completed = run_python(HEALTHZ_IN_CHILD, settings_module="config.settings.test", DATABASE_URL=database_url)
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout.strip().splitlines()[-1])


@pytest.mark.django_db
def test_healthz_answers_200_json_when_database_and_tasks_answer(client):
    response = client.get(reverse("public:healthz"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "database": "ok", "tasks": "ok"}
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(
    "database_url",
    [
        pytest.param("sqlite:////nonexistent-guichet-folder/missing.sqlite3", id="sqlite-file-in-missing-folder"),
        pytest.param("postgres://guichet@127.0.0.1:9/guichet?connect_timeout=3", id="postgresql-on-a-closed-port"),
    ],
)
def test_healthz_answers_503_json_when_the_database_cannot_be_reached(database_url):
    result = healthz_in_child(database_url)
    assert result["status_code"] == 503
    assert result["content_type"] == "application/json"
    assert result["body"] == {"status": "error", "database": "error", "tasks": "error"}


def test_healthz_answers_503_json_when_the_task_queue_table_is_missing(tmp_path):
    result = healthz_in_child(f"sqlite:///{tmp_path / 'never-migrated.sqlite3'}")
    assert result["status_code"] == 503
    assert result["body"] == {"status": "error", "database": "ok", "tasks": "error"}
