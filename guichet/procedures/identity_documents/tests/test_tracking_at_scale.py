"""Public tracking stays cheap at national scale: a fixed number of indexed queries per lookup, and an allowance
per address that deployments (and the benchmark, whose clients share one address) may set."""

from datetime import date

from django.core.cache import cache

from guichet.procedures.identity_documents.tracking import MAX_ATTEMPTS, tracking_attempt_allowed, tracking_lookup

from .test_checks_and_tracking import _lodged


def test_a_lookup_costs_the_same_few_queries_whatever_number_is_given(personas, django_assert_num_queries):
    predemande, dossier = _lodged(personas["citizen"], personas["mairie_agent"])
    # The pré-demande and its titles (with dossier and production joined); a dossier number needs one more try.
    for reference, queries in ((predemande.number, 2), (predemande.counter_receipt_number, 2), (dossier.reference, 3)):
        with django_assert_num_queries(queries):
            assert tracking_lookup(reference=reference, birth_date=date(1990, 5, 17)) is not None


def test_the_allowance_per_address_follows_the_setting(settings):
    cache.clear()
    settings.GUICHET_TRACKING_MAX_ATTEMPTS = MAX_ATTEMPTS + 5
    assert all(tracking_attempt_allowed(client_key="198.51.100.7") for _ in range(MAX_ATTEMPTS + 5))
    assert not tracking_attempt_allowed(client_key="198.51.100.7")
    cache.clear()
