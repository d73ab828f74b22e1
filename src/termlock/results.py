"""Results of a translation run: occurrences, segments, units, totals and the signature.

Plain data, shared by the translator, the JSON report, the bilingual view and ``termlock eval``.
Offsets are Python string indices (code points).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

Span = tuple[int, int]


@dataclass(frozen=True)
class Occurrence:
    """One glossary term occurrence in a source unit, and what became of it.

    Attributes:
        term: the glossary entry's Chinese term.
        form: the source form that matched (the term or a variant).
        start: offset of the occurrence in the unit's source text.
        end: offset just past it.
        rendering: the required English rendering.
        enforced: the decoder was given the rendering as a constraint (and could write it).
        satisfied: the output holds the rendering (or an admitted one, when allowed).
        forbidden_found: forbidden renderings found in the segment output.
        reason: why the occurrence is not satisfied, or carries a forbidden rendering.
        target: span of the credited rendering in the unit's translation.
    """

    term: str
    form: str
    start: int
    end: int
    rendering: str
    enforced: bool
    satisfied: bool
    forbidden_found: list[str] = field(default_factory=list)
    reason: str | None = None
    target: Span | None = None


@dataclass(frozen=True)
class SegmentResult:
    """One decoded segment: a sentence, or a piece of an over-long one.

    Attributes:
        source: the segment's source text (whitespace as in the unit).
        text: its translation.
        occurrences: the term occurrences in this segment (offsets in the unit).
        start: offset of the segment in the unit's source text.
    """

    source: str
    text: str
    occurrences: list[Occurrence]
    start: int = 0


@dataclass(frozen=True)
class UnitResult:
    """One translated unit.

    Attributes:
        source: the unit's source text.
        text: its translation (segment outputs joined with a space).
        kind: the unit kind (heading, paragraph, ...).
        line: the input line of the unit (0 when unknown).
        segments: the segments, in order.
    """

    source: str
    text: str
    kind: str
    line: int
    segments: list[SegmentResult]

    @property
    def occurrences(self) -> list[Occurrence]:
        """All term occurrences of the unit, in source order."""
        return [occ for segment in self.segments for occ in segment.occurrences]


@dataclass(frozen=True)
class Totals:
    """Counts over a translation run."""

    units: int = 0
    segments: int = 0
    occurrences: int = 0
    enforced: int = 0
    satisfied: int = 0
    missed: int = 0
    forbidden: int = 0

    @classmethod
    def of(cls, units: Sequence[UnitResult]) -> Totals:
        """Count units, segments and occurrences by outcome."""
        occs = [occ for unit in units for occ in unit.occurrences]
        return cls(
            units=len(units),
            segments=sum(len(unit.segments) for unit in units),
            occurrences=len(occs),
            enforced=sum(occ.enforced for occ in occs),
            satisfied=sum(occ.satisfied for occ in occs),
            missed=sum(not occ.satisfied for occ in occs),
            forbidden=sum(bool(occ.forbidden_found) for occ in occs),
        )


@dataclass(frozen=True)
class Signature:
    """What identifies a translation run, sacrebleu-style.

    Attributes:
        fields: ordered name/value pairs (``termlock``, ``model``, ``glossary``, ...).
        decoder: the decoder's own description (``Decoder.signature()``).
    """

    fields: tuple[tuple[str, str], ...]
    decoder: dict[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        """``termlock:0.1.0|model:NAME@REV|glossary:DIGEST|beams:4|...``."""
        return "|".join(f"{name}:{value}" for name, value in self.fields)

    def as_dict(self) -> dict[str, Any]:
        """The fields as a dict, plus ``text`` and ``decoder``."""
        return {**dict(self.fields), "text": self.text, "decoder": self.decoder}

    def __str__(self) -> str:
        """Same as :attr:`text`."""
        return self.text


@dataclass(frozen=True)
class DocumentResult:
    """A translated document.

    Attributes:
        units: per unit results, in document order.
        output: the rendered output file.
        signature: the run's signature.
        totals: counts over the units.
    """

    units: list[UnitResult]
    output: bytes
    signature: Signature
    totals: Totals
