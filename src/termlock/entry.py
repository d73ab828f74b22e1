"""The glossary entry: one Chinese term and how it must be rendered in English."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal, get_args

Status = Literal["preferred", "admitted", "deprecated"]
#: Allowed values of ``Entry.status``, after TBX administrativeStatus.
STATUSES: tuple[str, ...] = get_args(Status)


@dataclass(frozen=True)
class Entry:
    """One curated glossary entry.

    Attributes:
        term: canonical simplified Chinese form of the term.
        rendering: preferred English rendering, in mid-sentence casing.
        variants: other Chinese source forms that mean the same term.
        admitted: other acceptable English renderings.
        forbidden: renderings that must never appear in a translation of the term.
        status: TBX-style administrative status of the term itself.
        quoted: whether the English rendering is written inside quotation marks.
        note: context for translators (usage, items of a numbered formula, ...).
        source: provenance: URL or document with a date; several separated by ``; ``.
        origin: the layer the entry was loaded from (``builtin:economy.tsv``,
            ``user:/path/my.tsv``); not stored in files.
        line: line of the entry in its file (0 when not loaded from a file).
    """

    term: str
    rendering: str
    variants: tuple[str, ...] = ()
    admitted: tuple[str, ...] = ()
    forbidden: tuple[str, ...] = ()
    status: Status = "preferred"
    quoted: bool = False
    note: str = ""
    source: str = ""
    origin: str = field(default="", compare=False)
    line: int = field(default=0, compare=False)

    def forms(self) -> tuple[str, ...]:
        """Return every Chinese source form: the term first, then its variants."""
        return (self.term, *self.variants)

    def renderings(self, *, allow_admitted: bool) -> tuple[str, ...]:
        """Return the English renderings that satisfy this entry, preferred first."""
        return (self.rendering, *self.admitted) if allow_admitted else (self.rendering,)

    def with_origin(self, origin: str, line: int = 0) -> Entry:
        """Return a copy that records which layer (and line) it came from."""
        return replace(self, origin=origin, line=line)
