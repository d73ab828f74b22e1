"""Find glossary terms in Chinese text: leftmost-longest, linear time, original offsets."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from termlock.entry import Entry
from termlock.normalize import is_word_char as _is_word_char
from termlock.normalize import normalize, normalize_key

OPENING_QUOTES = "“‘「『\"'《"
CLOSING_QUOTES = "”’」』\"'》"


@dataclass(frozen=True)
class Match:
    """One occurrence of a glossary term in a text.

    Attributes:
        start: offset of the first character in the original text.
        end: offset just past the last character in the original text.
        text: the original characters (may contain the line break that split the term).
        entry: the glossary entry that matched.
        form: the source form that matched (the term or one of its variants).
        quoted: the occurrence stands between quotation marks in the source.
    """

    start: int
    end: int
    text: str
    entry: Entry
    form: str
    quoted: bool = False


def _is_quoted(text: str, start: int, end: int) -> bool:
    before = text[:start].rstrip()
    after = text[end:].lstrip()
    return bool(before) and bool(after) and before[-1] in OPENING_QUOTES and after[0] in CLOSING_QUOTES


def _on_boundaries(text: str, start: int, end: int) -> bool:
    # A form that begins or ends with a Latin letter or digit (1+10+N, 5G) must not
    # match inside a longer Latin word or number ("21+10+N", "5GB").
    if _is_word_char(text[start]) and start > 0 and _is_word_char(text[start - 1]):
        return False
    return not (_is_word_char(text[end - 1]) and end < len(text) and _is_word_char(text[end]))


class Matcher:
    """Aho-Corasick matcher over every source form of a set of entries.

    pyahocorasick (C) reports every match in one linear pass; its own "longest" iterator
    is not leftmost-longest, so the selection below is ours: for each start position keep
    the longest match, then sweep left to right skipping covered positions.
    """

    def __init__(self, entries: Iterable[Entry]) -> None:
        """Build the automaton; the first entry that claims a normalized form wins."""
        import ahocorasick  # C extension; imported here so importing termlock stays cheap

        self._automaton: Any = ahocorasick.Automaton()
        self._size = 0
        for entry in entries:
            for form in entry.forms():
                key = normalize_key(form)
                if key and not self._automaton.exists(key):
                    self._automaton.add_word(key, (len(key), entry, form))
                    self._size += 1
        if self._size:
            self._automaton.make_automaton()

    def __len__(self) -> int:
        """Number of distinct normalized forms."""
        return self._size

    def find(self, text: str) -> list[Match]:
        """Return the non-overlapping, leftmost-longest term occurrences in ``text``."""
        if not self._size or not text:
            return []
        norm = normalize(text)
        longest: dict[int, tuple[int, Entry, str]] = {}
        for last, (length, entry, form) in self._automaton.iter(norm.text):
            start = last - length + 1
            if not _on_boundaries(norm.text, start, last + 1):
                continue
            if start not in longest or longest[start][0] < length:
                longest[start] = (length, entry, form)
        matches: list[Match] = []
        covered = 0
        for start in sorted(longest):
            if start < covered:
                continue
            length, entry, form = longest[start]
            covered = start + length
            begin, end = norm.span(start, covered)
            matches.append(Match(begin, end, text[begin:end], entry, form, _is_quoted(text, begin, end)))
        return matches
