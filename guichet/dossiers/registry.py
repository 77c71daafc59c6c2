"""Procedure registry: title apps register their procedures in `AppConfig.ready()`; `dossiers` never imports them."""

from dataclasses import dataclass, field
from typing import Any, Protocol

from guichet.core.transitions import TransitionTable

from .workflow import LIFECYCLE


@dataclass(frozen=True)
class DocumentRule:
    kind: str
    label: str
    allowed_types: frozenset[str] = frozenset({"application/pdf", "image/jpeg", "image/png"})
    max_bytes: int = 10 * 1024 * 1024
    is_identity_document: bool = False
    is_required: bool = False


class ProcedureTexts(Protocol):
    """What a procedure says, in its own words, about its dossiers' events and changes (None: the generic text)."""

    def event_text(self, kind: str, data: dict[str, Any]) -> str | None:
        """The citizen's timeline line for an event of this procedure."""
        ...

    def change_label(self, change: str) -> str | None:
        """The "who accessed my dossier" label of a journaled change (`data["change"]`)."""
        ...


@dataclass(frozen=True)
class Procedure:
    code: str
    label: str
    title: str  # cni, passeport, permis, carte_grise, or "generic"
    transitions: TransitionTable = LIFECYCLE
    documents: tuple[DocumentRule, ...] = field(default_factory=tuple)
    texts: ProcedureTexts | None = None
    # Accepting or refusing must name a motive of the reference list (`data["motive"]`), e.g. for secure titles.
    decision_needs_motive: bool = False
    # The trusted third party's operation (trusted_parties.operations) under which an approved professional may file
    # this procedure for a client; empty: professionals may not (CNI and passeport need the person at a counter).
    trusted_party_operation: str = ""

    def document_rule(self, kind: str) -> DocumentRule | None:
        return next((rule for rule in self.documents if rule.kind == kind), None)


class UnknownProcedure(LookupError):
    pass


_registry: dict[str, Procedure] = {}


def register(procedure: Procedure) -> Procedure:
    existing = _registry.get(procedure.code)
    if existing is not None and existing != procedure:
        raise ValueError(f"Procedure {procedure.code!r} registered twice with different definitions.")
    _registry[procedure.code] = procedure
    return procedure


def get(code: str) -> Procedure:
    try:
        return _registry[code]
    except KeyError:
        raise UnknownProcedure(code) from None


def unregister(code: str) -> None:
    """For tests that register a throw-away procedure."""
    _registry.pop(code, None)


def get_or_generic(code: str) -> Procedure:
    """The registered procedure, or the generic lifecycle when its app is not installed (reads never crash)."""
    return _registry.get(code) or Procedure(code=code, label=code, title="generic")


def all_procedures() -> list[Procedure]:
    return sorted(_registry.values(), key=lambda p: p.code)


def choices() -> list[tuple[str, str]]:
    return [(p.code, p.label) for p in all_procedures()]
