"""The crediting rule shared by decoding, check and eval."""

from __future__ import annotations

from termlock import verify


def test_case_insensitive_on_word_boundaries() -> None:
    assert verify.contains("Policy matters.", "policy")
    assert not verify.contains("policymakers met", "policy")


def test_plurals_and_possessives_count() -> None:
    assert verify.contains("two new policies", "policy")
    assert verify.contains("the policy's aim", "policy")
    assert verify.contains("the clusters' output", "industrial cluster") is False
    assert verify.contains("industrial clusters' output", "industrial cluster")
    assert verify.contains("new quality productive forces’ rise", "new quality productive forces")


def test_whitespace_and_apostrophes_are_flexible() -> None:
    assert verify.contains("whole-process people’s\n democracy", "whole-process people's democracy")


def test_each_occurrence_needs_its_own_span() -> None:
    text = "the modern industrial system and the industrial system"
    spans = verify.credit(text, [["industrial system"], ["modern industrial system"]])
    assert all(spans)
    assert (
        verify.credit("the modern industrial system", [["industrial system"], ["modern industrial system"]])[
            0
        ]
        is None
    )


def test_repeated_term_needs_two_occurrences() -> None:
    assert verify.credit("Belt and Road", [["Belt and Road"], ["Belt and Road"]]).count(None) == 1


def test_forbidden_found() -> None:
    assert verify.forbidden_found("New productive forces rise", ["new productive forces", "x"]) == [
        "new productive forces"
    ]


def test_quoted_rendering_has_no_boundary_after_its_quote() -> None:
    assert verify.contains("build the “Ten Networks”and more", "“Ten Networks”")
    assert not verify.contains("build the “Ten Networks”", "Ten Net")


def test_credit_finds_a_disjoint_assignment_greedy_would_miss() -> None:
    # Longest-first gives "b c d" the middle span and leaves "a b" and "d e" without one;
    # the exact search credits all three occurrences in "a b c d e b c d".
    text = "a b c d e b c d"
    spans = verify.credit(text, [["b c d"], ["a b"], ["d e"]])
    assert None not in spans
    assert spans[0] == (10, 15)
