"""A small, explicit transition table: the only way a status may change."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from .exceptions import TransitionNotAllowed


@dataclass(frozen=True)
class Transition:
    source: frozenset[str]
    target: str
    by: frozenset[str]
    label: str = ""

    def __init__(self, *, source: Iterable[str], target: str, by: Iterable[str], label: str = "") -> None:
        object.__setattr__(self, "source", frozenset(source))
        object.__setattr__(self, "target", target)
        object.__setattr__(self, "by", frozenset(by))
        object.__setattr__(self, "label", label)


@dataclass(frozen=True)
class TransitionTable:
    transitions: Mapping[str, Transition] = field(default_factory=dict)

    def extended(self, extra: Mapping[str, Transition]) -> "TransitionTable":
        """A procedure adds steps by extending the table, never by bypassing it."""
        clash = set(extra) & set(self.transitions)
        if clash:
            raise ValueError(f"Transitions already defined: {sorted(clash)}")
        return TransitionTable({**self.transitions, **extra})

    def restricted(self, name: str, *, by: Iterable[str]) -> "TransitionTable":
        """A procedure narrows who may fire a step (never widens it): e.g. only the counter lodges a file."""
        current = self.get(name)
        narrowed = frozenset(by)
        if not narrowed or not narrowed <= current.by:
            raise ValueError(f"{name!r} may only be narrowed to a non-empty subset of {sorted(current.by)}")
        return TransitionTable(
            {**self.transitions, name: Transition(source=current.source, target=current.target, by=narrowed)}
        )

    def get(self, name: str) -> Transition:
        try:
            return self.transitions[name]
        except KeyError:
            raise TransitionNotAllowed(code="unknown_transition", transition=name) from None

    def check(self, name: str, *, current: str, roles: Iterable[str]) -> Transition:
        transition = self.get(name)
        if current not in transition.source:
            raise TransitionNotAllowed(transition=name, current=current)
        if not transition.by & set(roles):
            raise TransitionNotAllowed(code="transition_forbidden_for_role", transition=name, current=current)
        return transition

    def available(self, *, current: str, roles: Iterable[str]) -> list[str]:
        role_set = set(roles)
        return [n for n, t in self.transitions.items() if current in t.source and t.by & role_set]
