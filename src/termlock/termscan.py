"""Look glossary entries up: text search over the glossary, and term occurrences in a text."""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from termlock.entry import Entry
from termlock.glossary import Glossary
from termlock.normalize import normalize_key


def search(glossary: Glossary, query: str) -> list[Entry]:
    """Return the entries whose forms contain ``query`` or whose renderings do.

    Chinese forms are compared normalized (width, script, spaces), renderings
    (preferred and admitted) case-insensitively; an empty query matches everything.
    """
    key = normalize_key(query)
    folded = query.strip().casefold()

    def hit(entry: Entry) -> bool:
        if any(key in normalize_key(form) for form in entry.forms()):
            return True
        return any(folded in r.casefold() for r in entry.renderings(allow_admitted=True))

    return [entry for entry in glossary if hit(entry)]


@dataclass(frozen=True)
class Occurrence:
    """One term occurrence: 1-based line and column of its first character."""

    line: int
    column: int
    text: str
    form: str
    quoted: bool


@dataclass(frozen=True)
class TermCount:
    """Every occurrence of one entry in a text."""

    entry: Entry
    occurrences: tuple[Occurrence, ...]

    @property
    def count(self) -> int:
        """Number of occurrences."""
        return len(self.occurrences)


def _line_starts(text: str) -> list[int]:
    return [0] + [i + 1 for i, char in enumerate(text) if char == "\n"]


def scan(glossary: Glossary, text: str) -> list[TermCount]:
    """Find every glossary term in ``text``; entries in order of first occurrence.

    Positions come from the matcher's offsets into the original text, so a term broken
    by a line break reports where it starts.
    """
    starts = _line_starts(text)
    found: dict[str, list[Occurrence]] = {}
    entries: dict[str, Entry] = {}
    for match in glossary.matcher.find(text):
        line = bisect.bisect_right(starts, match.start)
        column = match.start - starts[line - 1] + 1
        entries.setdefault(match.entry.term, match.entry)
        found.setdefault(match.entry.term, []).append(
            Occurrence(line, column, match.text, match.form, match.quoted)
        )
    return [TermCount(entries[term], tuple(occurrences)) for term, occurrences in found.items()]
