"""Check a translation against the glossary: the QA gate of a publishing pipeline.

For every glossary term in each source segment the translation must hold the preferred
(or an admitted) rendering, and no forbidden one. Across the document a term should be
rendered one way, a rendering should not appear where its term is absent, and quoted
renderings should stand in quotes. "Holds" is :mod:`termlock.verify`'s rule, the same the
decoder enforces, so ``translate`` output that passes its own check passes this one.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from typing import Literal

from termlock import verify
from termlock.bitext import Pair
from termlock.entry import Entry
from termlock.glossary import Glossary
from termlock.matcher import Match

Severity = Literal["error", "warning"]
Span = tuple[int, int]

#: Every check and its severity: errors fail the gate by default, warnings ask a human to look.
CHECKS: dict[str, Severity] = {
    "missing": "error",
    "forbidden": "error",
    "inconsistent": "warning",
    "unexpected": "warning",
    "unquoted": "warning",
}

_OPEN_QUOTES = "“‘\"'«「『"
_CLOSE_QUOTES = "”’\"'»」』"


@dataclass(frozen=True)
class Issue:
    """One finding.

    Attributes:
        segment: 1-based number of the segment.
        line: line of the segment in the source file (0 when unknown).
        severity: ``error`` or ``warning`` (see :data:`CHECKS`).
        check: the check that fired (a key of :data:`CHECKS`).
        term: the Chinese glossary term.
        rendering: the rendering concerned (expected, found or forbidden).
        detail: a sentence for the reviewer.
    """

    segment: int
    line: int
    severity: Severity
    check: str
    term: str
    rendering: str
    detail: str


@dataclass
class CheckReport:
    """The result of checking a document.

    Attributes:
        issues: the findings, in segment order.
        segments: number of segments checked.
        occurrences: number of glossary term occurrences in the sources.
    """

    issues: list[Issue] = field(default_factory=list)
    segments: int = 0
    occurrences: int = 0

    def count(self, severity: Severity) -> int:
        """Number of issues of ``severity``."""
        return sum(1 for issue in self.issues if issue.severity == severity)

    def summary(self) -> str:
        """One line: what was checked and what was found."""
        errors, warnings = self.count("error"), self.count("warning")
        return (
            f"{self.segments} segment{_s(self.segments)}, {self.occurrences} term occurrence"
            f"{_s(self.occurrences)}: {errors} error{_s(errors)}, {warnings} warning{_s(warnings)}"
        )


def _s(n: int) -> str:
    return "" if n == 1 else "s"


@dataclass
class _Segment:
    """What one segment contributes: its credited spans and which rendering each entry used."""

    number: int
    pair: Pair
    matches: list[Match]
    credited: list[tuple[Entry, str, Span]] = field(default_factory=list)
    #: Credited spans whose source occurrence stands between quotation marks.
    quoted_spans: set[Span] = field(default_factory=set)


@dataclass
class _Context:
    glossary: Glossary
    allow_admitted: bool
    issues: list[Issue] = field(default_factory=list)

    def add(self, seg: _Segment, check: str, entry: Entry, rendering: str, detail: str) -> None:
        self.issues.append(
            Issue(seg.number, seg.pair.line, CHECKS[check], check, entry.term, rendering, detail)
        )


def _rendering_at(text: str, span: Span, renderings: Sequence[str]) -> str:
    # credit() says where, not which: the first alternative that produces exactly this span.
    return next((r for r in renderings if span in verify.find(text, r)), renderings[0])


def _check_missing(ctx: _Context, seg: _Segment) -> None:
    wanted = [m.entry.renderings(allow_admitted=ctx.allow_admitted) for m in seg.matches]
    spans = verify.credit(seg.pair.target, wanted)
    for match, renderings, span in zip(seg.matches, wanted, spans, strict=True):
        if span is None:
            also = f" (or admitted: {', '.join(repr(r) for r in renderings[1:])})" if renderings[1:] else ""
            ctx.add(
                seg,
                "missing",
                match.entry,
                renderings[0],
                f"{renderings[0]!r}{also} not found for {match.text}",
            )
        else:
            seg.credited.append((match.entry, _rendering_at(seg.pair.target, span, renderings), span))
            if match.quoted:
                seg.quoted_spans.add(span)


def _inside(span: Span, spans: Collection[Span]) -> bool:
    return any(start <= span[0] and span[1] <= end for start, end in spans)


def _overlapping(span: Span, spans: Collection[Span]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in spans)


def _check_forbidden(ctx: _Context, seg: _Segment) -> None:
    credited = [span for _, _, span in seg.credited]
    for entry in dict.fromkeys(m.entry for m in seg.matches):
        for bad in entry.forbidden:
            # A forbidden phrase inside a credited rendering ("industrial system" inside
            # "modern industrial system") is that rendering, not a second translation.
            if any(not _inside(span, credited) for span in verify.find(seg.pair.target, bad)):
                ctx.add(seg, "forbidden", entry, bad, f"forbidden rendering {bad!r}; use {entry.rendering!r}")


def _is_quoted(text: str, span: Span) -> bool:
    end = span[1]
    if text[end - 1] in "'’":
        end -= 1  # the possessive ending of verify's pattern swallowed a closing single quote
    before, after = text[: span[0]].rstrip(), text[end:].lstrip()
    return bool(before) and bool(after) and before[-1] in _OPEN_QUOTES and after[0] in _CLOSE_QUOTES


def _check_unquoted(ctx: _Context, seg: _Segment) -> None:
    for entry, rendering, span in seg.credited:
        # Same rule as the decoder: the English is quoted when the glossary says so and the
        # source quotes the term (“十张网”); an unquoted source term may stay unquoted.
        if entry.quoted and span in seg.quoted_spans and not _is_quoted(seg.pair.target, span):
            found = seg.pair.target[span[0] : span[1]]
            ctx.add(
                seg,
                "unquoted",
                entry,
                rendering,
                f"{found!r} should stand in quotation marks (“{rendering}”)",
            )


def _fold(text: str) -> str:
    return " ".join(text.lower().replace("’", "'").split())


def _unexpected_found(ctx: _Context, seg: _Segment) -> list[tuple[Entry, str, list[Span]]]:
    present = {m.entry.term for m in seg.matches}
    taken = [span for _, _, span in seg.credited]
    claimed = {_fold(r) for m in seg.matches for r in m.entry.renderings(allow_admitted=True)}
    folded = _fold(seg.pair.target)
    found = []
    for entry in ctx.glossary:
        if entry.term in present:
            continue
        for rendering in entry.renderings(allow_admitted=True):
            # Cheap substring prefilter (the stem survives plural/possessive endings)
            # before the exact word-boundary search; also skip renderings a present term owns.
            if _fold(rendering)[:-1] not in folded or _fold(rendering) in claimed:
                continue
            spans = [s for s in verify.find(seg.pair.target, rendering) if not _overlapping(s, taken)]
            if spans:
                found.append((entry, rendering, spans))
                break
    return found


def _check_unexpected(ctx: _Context, seg: _Segment) -> None:
    found = _unexpected_found(ctx, seg)
    for entry, rendering, spans in found:
        # "Belt and Road" inside a found "Belt and Road Initiative" is that one finding.
        longer = [s for other, _, ss in found if other is not entry for s in ss]
        if all(_inside(span, longer) and span not in longer for span in spans):
            continue
        ctx.add(
            seg, "unexpected", entry, rendering, f"{rendering!r} found but {entry.term} is not in the source"
        )


def _check_consistency(ctx: _Context, segments: Sequence[_Segment]) -> None:
    used: dict[str, Counter[str]] = defaultdict(Counter)
    where: dict[tuple[str, str], list[int]] = defaultdict(list)
    for seg in segments:
        for entry, rendering, _ in seg.credited:
            used[entry.term][rendering] += 1
            where[entry.term, rendering].append(seg.number)
    for seg in segments:
        reported = set()
        for entry, rendering, _ in seg.credited:
            counts = used[entry.term]
            if len(counts) < 2 or (entry.term, rendering) in reported:
                continue
            # The usual rendering is the most frequent one; on a tie, the preferred rendering.
            usual = max(counts, key=lambda r: (counts[r], r == entry.rendering))
            if rendering != usual:
                others = list(dict.fromkeys(where[entry.term, usual]))
                listed = ", ".join(str(n) for n in others)
                detail = f"rendered {rendering!r} here but {usual!r} in segment{_s(len(others))} {listed}"
                ctx.add(seg, "inconsistent", entry, rendering, detail)
                reported.add((entry.term, rendering))


#: Per-segment checks, in the order their issues are listed within a segment.
SEGMENT_CHECKS: dict[str, Callable[[_Context, _Segment], None]] = {
    "missing": _check_missing,
    "forbidden": _check_forbidden,
    "unquoted": _check_unquoted,
    "unexpected": _check_unexpected,
}


def check_pairs(
    glossary: Glossary,
    pairs: Sequence[Pair],
    *,
    allow_admitted: bool = True,
    skip: Collection[str] = (),
) -> CheckReport:
    """Check translated segments against the glossary.

    Args:
        glossary: the glossary whose terms are enforced.
        pairs: source segments with their translations, in document order.
        allow_admitted: an admitted rendering satisfies a term (else only the preferred one).
        skip: names of checks (keys of :data:`CHECKS`) not to run.

    Returns:
        The report; issues are sorted by segment, then in :data:`CHECKS` order.
    """
    ctx = _Context(glossary, allow_admitted)
    segments = [
        _Segment(n, pair, glossary.matcher.find(pair.source)) for n, pair in enumerate(pairs, start=1)
    ]
    for seg in segments:
        # "missing" always runs: it computes the credited spans the other checks need.
        _check_missing(ctx, seg)
        if "missing" in skip:
            ctx.issues = [i for i in ctx.issues if i.check != "missing"]
        for name, run in SEGMENT_CHECKS.items():
            if name != "missing" and name not in skip:
                run(ctx, seg)
    if "inconsistent" not in skip:
        _check_consistency(ctx, segments)
    order = list(CHECKS)
    ctx.issues.sort(key=lambda i: (i.segment, order.index(i.check)))
    return CheckReport(ctx.issues, len(segments), sum(len(seg.matches) for seg in segments))
