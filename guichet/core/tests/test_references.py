import string

from hypothesis import given
from hypothesis import strategies as st

from guichet.core import references


def test_generated_references_are_valid_and_unambiguous():
    for _ in range(200):
        ref = references.generate(10)
        assert len(ref) == 10
        assert references.is_valid(ref)
        assert not set(ref) & set("O0I1U")


@given(st.text(alphabet=references.ALPHABET, min_size=4, max_size=12), st.data())
def test_every_single_character_error_is_detected(body, data):
    ref = body + references.check_character(body)
    position = data.draw(st.integers(min_value=0, max_value=len(ref) - 1))
    replacement = data.draw(st.sampled_from([c for c in references.ALPHABET if c != ref[position]]))
    typo = ref[:position] + replacement + ref[position + 1 :]
    assert not references.is_valid(typo)


@given(st.text(alphabet=references.ALPHABET, min_size=4, max_size=12), st.data())
def test_adjacent_swaps_are_detected(body, data):
    ref = body + references.check_character(body)
    i = data.draw(st.integers(min_value=0, max_value=len(ref) - 2))
    if ref[i] == ref[i + 1]:
        return
    swapped = ref[:i] + ref[i + 1] + ref[i] + ref[i + 2 :]
    assert not references.is_valid(swapped)


@given(st.text(alphabet=references.ALPHABET, min_size=4, max_size=12), st.data())
def test_jump_swaps_are_detected(body, data):
    ref = body + references.check_character(body)
    i = data.draw(st.integers(min_value=0, max_value=len(ref) - 3))
    if ref[i] == ref[i + 2]:
        return
    swapped = ref[:i] + ref[i + 2] + ref[i + 1] + ref[i] + ref[i + 3 :]
    assert not references.is_valid(swapped)


def test_confusable_characters_are_rejected():
    ref = references.generate(10)
    assert not references.is_valid("O" + ref[1:])
    assert not references.is_valid(ref.lower()) or ref.lower() == ref
    assert references.normalize(" ab-cd ") == "ABCD"
    assert all(c in string.ascii_uppercase + string.digits for c in references.generate(10))
