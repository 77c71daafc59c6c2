"""Concurrency claims of consent, proven on PostgreSQL with real connections (one per thread)."""

import pytest

from guichet.audit.models import AuditEntry
from guichet.mandates.errors import ConsentRefused
from guichet.mandates.models import CONSENT_CODE_MAX_ATTEMPTS, ConsentMethod, Mandate, MandateKind
from guichet.mandates.services import mandate_consent_confirm, mandate_propose
from guichet.testing.concurrency import run_together, skip_unless_postgresql

from .factories import last_sms_code

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def pending_sms_mandate(point, mediator, visitor, test_procedure) -> Mandate:
    from guichet.notifications.channels.sms import MemorySmsProvider

    MemorySmsProvider.outbox.clear()
    return mandate_propose(
        holder=point,
        citizen=visitor,
        kind=MandateKind.MEDIATION,
        procedures=["test_generic"],
        duration="one_week",
        consent_method=ConsentMethod.SMS_CODE,
        actor=mediator,
    )


def test_a_code_sent_at_once_from_two_screens_consents_only_once(pending_sms_mandate, mediator):
    skip_unless_postgresql()
    code = last_sms_code()
    results = run_together(
        2, lambda: mandate_consent_confirm(mandate=pending_sms_mandate, code_or_text=code, actor=mediator)
    )
    consented = [r for r in results if isinstance(r, Mandate)]
    refused = [r for r in results if isinstance(r, ConsentRefused)]
    assert len(consented) == 1 and len(refused) == 1, results
    assert refused[0].code == "consent_already_given"
    assert AuditEntry.objects.filter(action="mandate_consented").count() == 1


def test_wrong_codes_sent_at_once_are_all_counted(pending_sms_mandate, mediator):
    skip_unless_postgresql()
    right = last_sms_code()
    wrong = "000000" if right != "000000" else "111111"
    results = run_together(
        CONSENT_CODE_MAX_ATTEMPTS + 2,
        lambda: mandate_consent_confirm(mandate=pending_sms_mandate, code_or_text=wrong, actor=mediator),
    )
    assert all(isinstance(r, ConsentRefused) for r in results), results
    pending_sms_mandate.refresh_from_db()
    assert pending_sms_mandate.consent_code_attempts == CONSENT_CODE_MAX_ATTEMPTS  # never more, never lost
    assert sum(r.code == "consent_code_too_many_attempts" for r in results) == 2
