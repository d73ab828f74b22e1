"""Find English renderings in a translation: the one crediting rule of termlock.

The decoder's post-check, ``termlock check`` and ``termlock eval`` all use this module,
so "the rendering is present" means the same everywhere:

* case-insensitive, on word boundaries (``policy`` does not match ``policymaker``);
* white space inside the rendering may be any run of spaces; straight and curly
  apostrophes are the same;
* the last word may take an English plural or possessive (policies, policy's, forces');
* every source occurrence needs its own, non-overlapping occurrence in the output; a
  longer rendering claims its span first, so "modern industrial system" does not also
  credit a separate occurrence of "industrial system".
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import regex

_APOSTROPHES = "'’"
_SUFFIX = r"(?:s|es)?(?:['’]s?)?"


def _last_word_pattern(word: str) -> str:
    if len(word) > 2 and word[-1] in "yY" and word[-2].lower() not in "aeiou":
        return regex.escape(word[:-1]) + r"(?:y|ies)(?:['’]s?)?"
    return regex.escape(word) + _SUFFIX


@cache
def pattern(rendering: str) -> regex.Pattern[str]:
    """Return the compiled pattern that finds ``rendering`` (see the module docstring)."""
    words = rendering.split()
    if not words:
        raise ValueError("empty rendering")
    parts = [regex.escape(w) for w in words[:-1]]
    last = words[-1]
    parts.append(_last_word_pattern(last) if last[-1:].isalpha() else regex.escape(last))
    body = r"\s+".join(parts)
    for mark in _APOSTROPHES:
        body = body.replace(regex.escape(mark), f"[{_APOSTROPHES}]")
    # Word boundaries apply where the rendering starts or ends with a word character: a quoted
    # rendering ("“Ten Networks”") may touch whatever follows its closing quote.
    before = r"(?<![\p{L}\p{N}])" if _is_word(rendering[0]) else ""
    after = r"(?![\p{L}\p{N}])" if _is_word(rendering[-1]) else ""
    return regex.compile(before + body + after, regex.IGNORECASE | regex.V1)


def _is_word(char: str) -> bool:
    return char.isalnum()


def find(text: str, rendering: str) -> list[tuple[int, int]]:
    """Return the spans of every occurrence of ``rendering`` in ``text``."""
    return [m.span() for m in pattern(rendering).finditer(text, overlapped=True)]


def count(text: str, rendering: str) -> int:
    """Return how many non-overlapping occurrences of ``rendering`` ``text`` holds."""
    return len(pattern(rendering).findall(text))


def contains(text: str, rendering: str) -> bool:
    """Whether ``text`` holds ``rendering`` at least once."""
    return pattern(rendering).search(text) is not None


def _overlaps(span: tuple[int, int], taken: Sequence[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in taken)


Assignment = list[tuple[int, int] | None]

#: Above this many occurrences in one segment the exact search gives way to the greedy passes.
_EXACT_LIMIT = 12


def _greedy(options: list[list[tuple[int, int]]], order: Sequence[int]) -> Assignment:
    taken: list[tuple[int, int]] = []
    result: Assignment = [None] * len(options)
    for index in order:
        span = next((s for s in options[index] if not _overlaps(s, taken)), None)
        if span is not None:
            taken.append(span)
            result[index] = span
    return result


def _exact(options: list[list[tuple[int, int]]]) -> Assignment:
    """Most occurrences credited with pairwise disjoint spans (small backtracking search)."""
    best: Assignment = [None] * len(options)
    best_count = 0
    chosen: Assignment = [None] * len(options)

    def search(index: int, count: int, taken: list[tuple[int, int]]) -> None:
        nonlocal best, best_count
        if count + (len(options) - index) <= best_count:
            return
        if index == len(options):
            best, best_count = list(chosen), count
            return
        for span in options[index]:
            if not _overlaps(span, taken):
                chosen[index] = span
                search(index + 1, count + 1, [*taken, span])
        chosen[index] = None
        search(index + 1, count, taken)

    search(0, 0, [])
    return best


def credit(text: str, wanted: Sequence[Sequence[str]]) -> list[tuple[int, int] | None]:
    """Assign each wanted occurrence its own span of ``text``.

    Longest renderings claim spans first; if that leaves an occurrence without a span, an
    exact search over the (few) candidate spans finds the assignment that credits the most.

    Args:
        text: the translation of one segment.
        wanted: per source occurrence, the renderings that satisfy it (alternatives).

    Returns:
        Per occurrence, the span credited to it, or None when it is missing.
    """
    options = [sorted({span for r in alternatives for span in find(text, r)}) for alternatives in wanted]
    order = sorted(range(len(wanted)), key=lambda i: -max((len(r) for r in wanted[i]), default=0))
    result = _greedy(options, order)
    if None not in result or len(wanted) > _EXACT_LIMIT:
        return result
    exact = _exact(options)
    return exact if exact.count(None) < result.count(None) else result


def forbidden_found(text: str, forbidden: Sequence[str]) -> list[str]:
    """Return the forbidden renderings that occur in ``text``."""
    return [f for f in forbidden if contains(text, f)]
