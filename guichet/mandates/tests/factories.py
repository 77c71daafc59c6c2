"""Mandates made through the real services, for this app's tests and the features built on it."""

import re
from typing import Any

from guichet.notifications.channels.sms import MemorySmsProvider

from ..models import ConsentMethod, Mandate, MandateKind
from ..services import CONSENT_SENTENCE, mandate_consent_confirm, mandate_propose

MOBILE = "+33612345678"


def last_sms_code(to: str = MOBILE) -> str:
    message = next(m for m in reversed(MemorySmsProvider.outbox) if m.to == to)
    found = re.search(r"\b(\d{6})\b", message.text)
    assert found, message.text
    return found.group(1)


def active_mandate(*, holder: Any, citizen: Any, actor: Any, procedures=("test_generic",), **options: Any) -> Mandate:
    """An active mandate, consented by typing the sentence."""
    mandate = mandate_propose(
        holder=holder,
        citizen=citizen,
        kind=options.pop("kind", MandateKind.MEDIATION),
        procedures=procedures,
        duration=options.pop("duration", "one_week"),
        consent_method=ConsentMethod.TYPED,
        actor=actor,
        **options,
    )
    return mandate_consent_confirm(mandate=mandate, code_or_text=CONSENT_SENTENCE, actor=actor)
