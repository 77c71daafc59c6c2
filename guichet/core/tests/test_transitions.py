import pytest

from guichet.core.exceptions import TransitionNotAllowed
from guichet.core.transitions import Transition, TransitionTable

TABLE = TransitionTable({"go": Transition(source={"a"}, target="b", by={"clerk"})})


def test_allowed_transition_returns_it():
    assert TABLE.check("go", current="a", roles={"clerk"}).target == "b"


def test_wrong_source_raises():
    with pytest.raises(TransitionNotAllowed):
        TABLE.check("go", current="b", roles={"clerk"})


def test_wrong_role_raises():
    with pytest.raises(TransitionNotAllowed) as error:
        TABLE.check("go", current="a", roles={"visitor"})
    assert error.value.code == "transition_forbidden_for_role"


def test_unknown_transition_raises():
    with pytest.raises(TransitionNotAllowed):
        TABLE.check("fly", current="a", roles={"clerk"})


def test_extension_cannot_override_existing_steps():
    with pytest.raises(ValueError):
        TABLE.extended({"go": Transition(source={"b"}, target="c", by={"clerk"})})
    extended = TABLE.extended({"back": Transition(source={"b"}, target="a", by={"clerk"})})
    assert extended.available(current="b", roles={"clerk"}) == ["back"]


def test_a_procedure_may_narrow_who_fires_a_step_but_never_widen_it():
    table = TransitionTable({"go": Transition(source={"a"}, target="b", by={"clerk", "visitor"})})
    narrowed = table.restricted("go", by={"clerk"})
    assert narrowed.check("go", current="a", roles={"clerk"}).target == "b"
    with pytest.raises(TransitionNotAllowed):
        narrowed.check("go", current="a", roles={"visitor"})
    with pytest.raises(ValueError):
        table.restricted("go", by={"stranger"})
    with pytest.raises(ValueError):
        table.restricted("go", by=set())
