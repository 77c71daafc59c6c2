"""Every URL × every audience answers as `authorization_matrix.EXPECTATIONS` says, and refusals change nothing."""

from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.db.models import Model
from django.test import override_settings
from django.urls import NoReverseMatch
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from guichet.accounts.models import RoleAssignment, User
from guichet.dossiers.models import Document, Dossier, DossierAccess, DossierEvent
from guichet.notifications.models import Notification

from .authorization_matrix import (
    AUDIENCES,
    COVERED_NAMESPACES,
    EXPECTATIONS,
    MatrixContext,
    is_two_factor_verified,
    names_missing_from_table,
    persona_key,
    table_entries_without_url,
    url_conf_names,
)

# Counted before and after each refused request (and each GET): none of them may change.
WATCHED_MODELS: tuple[type[Model], ...] = (
    User,
    RoleAssignment,
    Group,
    TOTPDevice,
    StaticDevice,
    Dossier,
    DossierAccess,
    DossierEvent,
    Document,
    Notification,
)


def database_fingerprint() -> dict[str, Any]:
    fingerprint: dict[str, Any] = {model.__name__: model._default_manager.count() for model in WATCHED_MODELS}
    fingerprint["dossier rows"] = sorted(Dossier.objects.values_list("pk", "status", "version", "updated_at"))
    fingerprint["account rows"] = sorted(
        User.objects.values_list("pk", "email", "password", "is_active", "is_staff", "is_superuser")
    )
    fingerprint["role rows"] = sorted(RoleAssignment.objects.values_list("pk", "role", "revoked_at"))
    return fingerprint


def changes_between(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    return [f"{key}: {before[key]!r} → {after[key]!r}" for key in before if before[key] != after[key]]


def sign_in_as(audience: str, *, client, verified_client, context: MatrixContext):
    client.logout()
    key = persona_key(audience)
    if key is None:
        return client
    user = context.personas[key]
    if is_two_factor_verified(audience):
        return verified_client(user)
    client.force_login(user)
    return client


def test_every_url_of_the_url_conf_has_an_entry_in_the_matrix():
    names = url_conf_names()
    missing = names_missing_from_table(names.named)
    assert not missing, (
        "These URL names have no entry in tests/quality/authorization_matrix.py EXPECTATIONS; add one per name "
        "with the outcome for each audience:\n  " + "\n  ".join(missing)
    )
    assert not names.unnamed, "These routes have no name, so the matrix cannot cover them; name them:\n  " + (
        "\n  ".join(names.unnamed)
    )


def test_every_matrix_entry_names_an_existing_url():
    stale = table_entries_without_url(url_conf_names().named)
    assert not stale, "These EXPECTATIONS entries match no URL of the URL conf; remove or rename them:\n  " + (
        "\n  ".join(stale)
    )


def test_covered_namespaces_are_represented_by_entries_of_the_matrix():
    for namespace, representatives in COVERED_NAMESPACES.items():
        assert representatives, namespace
        for name in representatives:
            assert name.startswith(f"{namespace}:") and name in EXPECTATIONS, name


@pytest.mark.parametrize("matrix_key", sorted(EXPECTATIONS))
def test_url_answers_every_audience_as_the_matrix_expects(matrix_key, matrix_context, client, verified_client):
    item = EXPECTATIONS[matrix_key]
    with override_settings(**item.with_settings):
        check_entry(matrix_key, item, matrix_context, client, verified_client)


def check_entry(matrix_key, item, matrix_context, client, verified_client) -> None:
    try:
        url = item.url(matrix_key, matrix_context)
    except NoReverseMatch as error:
        pytest.fail(f"{matrix_key}: cannot build its URL ({error}); fix the entry's name or sample_kwargs")
    problems: list[str] = []
    for method, expected_by_audience in item.methods():
        for audience in AUDIENCES:
            expected = expected_by_audience[audience]
            browser = sign_in_as(audience, client=client, verified_client=verified_client, context=matrix_context)
            before = database_fingerprint()
            if method == "GET":
                response = browser.get(url)
            else:
                data = item.post_data(matrix_context) if item.post_data else {}
                response = browser.post(url, data)
            received = expected.mismatch(response, url)
            if received is not None:
                problems.append(f"{audience:<28} {method} {url}: expected {expected}, got {received}")
            must_not_write = expected.denies or (method == "GET" and not item.get_may_write)
            if must_not_write:
                changes = changes_between(before, database_fingerprint())
                if changes:
                    problems.append(f"{audience:<28} {method} {url} changed the database: {'; '.join(changes)}")
    assert not problems, f"{matrix_key}:\n  " + "\n  ".join(problems)
