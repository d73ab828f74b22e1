"""Reflow plain text: rebuild paragraphs, headlines and bylines from hard-wrapped lines.

Text extracted from PDFs (and many hand-wrapped files) breaks lines at the column
width, mid-sentence and even mid-word, sometimes with a blank line after every line.
Reflow first measures the file, then decides for each pair of neighbouring lines
whether a paragraph break lies between them.

File-level measurements (:class:`Layout`):

* **wrapped** — many lines end without sentence punctuation at (nearly) the full
  column width. If not, the file has one paragraph per line and each line is a unit.
* **blank_breaks** — blank lines separate paragraphs, unless nearly every line is
  followed by one (then they carry no information).
* **indent_breaks** — indentation beyond the file's smallest (spaces, "　　") starts
  a paragraph, unless most lines are indented (a block-indented text).
* **local width** — the column width around each line (upper quartile of the widths
  of its neighbours), so pages with columns of different widths work; lines much
  wider than their neighbours (captions, banner headlines) get their own width.

Line rules, in order: bylines, datelines and source lines stand alone; a line that
starts with punctuation continues the previous one; a blank line (when informative), an indent
(when informative), a list marker after a finished sentence, or a change between
normal and over-wide lines starts a new paragraph; a line that does not finish a
sentence continues into the next; a finished sentence on a line clearly shorter than
the column ends the paragraph, and so does one at full width when the next line is
clearly short (its indent was lost in extraction). A short line without sentence
punctuation that begins a block is a headline, unless the next line goes on at full
width, finishes its sentence, or starts with the tail of a broken word (one or two
characters before punctuation); headline-shaped lines left at the end of a paragraph
that is followed by a byline or headline are split off as headlines.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from statistics import median

from termlock.documents import patterns as pt
from termlock.documents.textbase import display_width

_WINDOW = 6  # neighbours on each side used for the local column width
_SHORT = 1.0  # cells below the column width that make a line "short"
_LOST_INDENT = 1.5  # a paragraph's first line whose indent was lost is this much shorter
_WIDE = 1.3  # a line this much wider than its neighbours is over-wide (caption, banner)
_MAX_HEADLINE = 40.0  # cells
_NARROW = 0.7  # a line this much narrower than the column is not a wrapped paragraph line
_HEADLINE_NEIGHBOURS = frozenset({"byline", "heading", "end"})


@dataclass(frozen=True)
class Line:
    """One non-empty input line."""

    number: int
    text: str  # stripped
    indent: float  # width of leading whitespace
    width: float  # of the text, without the indent
    blanks_before: int

    @property
    def extent(self) -> float:
        """How far the line reaches: its indent plus its text."""
        return self.indent + self.width


@dataclass(frozen=True)
class Layout:
    """What the file's shape says about its line breaks (see the module docstring)."""

    wrapped: bool
    blank_breaks: bool
    indent_breaks: bool
    common_indent: float
    local: tuple[float, ...]
    wide: tuple[bool, ...]


@dataclass(frozen=True)
class Block:
    """Consecutive lines forming one paragraph, headline or byline."""

    kind: str
    lines: tuple[Line, ...]


def scan_lines(text: str) -> list[Line]:
    """The non-empty lines of ``text`` with their measurements."""
    result: list[Line] = []
    blanks = 0
    for number, raw in enumerate(text.split("\n"), start=1):
        stripped = raw.strip()
        if not stripped:
            blanks += 1
            continue
        lead = raw[: len(raw) - len(raw.lstrip())]
        result.append(Line(number, stripped, display_width(lead), display_width(stripped), blanks))
        blanks = 0
    return result


def measure(lines: Sequence[Line]) -> Layout:
    """Measure the file-level layout signals of the lines."""
    local, wide = _local_widths(lines)
    gaps = [line.blanks_before > 0 for line in lines[1:]]
    blank_every = len(gaps) >= 3 and sum(gaps) >= 0.9 * len(gaps)
    indents = [line.indent for line in lines]
    # Continuation lines of indented paragraphs are flush: the smallest indent is the base.
    common = min(indents) if indents else 0.0
    indented = sum(1 for i in indents if i > common)
    return Layout(
        wrapped=_is_wrapped(lines, local),
        blank_breaks=not blank_every,
        indent_breaks=0 < indented <= 0.7 * len(lines),
        common_indent=common,
        local=tuple(local),
        wide=tuple(wide),
    )


def _local_widths(lines: Sequence[Line]) -> tuple[list[float], list[bool]]:
    widths = [line.extent for line in lines]
    local: list[float] = []
    for i in range(len(widths)):
        window = sorted(widths[max(0, i - _WINDOW) : i + _WINDOW + 1])
        local.append(window[int(0.75 * (len(window) - 1) + 0.5)])
    wide = [w > _WIDE * col + 1 for w, col in zip(widths, local, strict=True)]
    # A run of over-wide lines (a caption under a picture) is its own column.
    i = 0
    while i < len(lines):
        if not wide[i]:
            i += 1
            continue
        j = i
        while j < len(lines) and wide[j]:
            j += 1
        column = max(widths[i:j])
        for k in range(i, j):
            local[k] = column
        i = j
    return local, wide


def _is_wrapped(lines: Sequence[Line], local: Sequence[float]) -> bool:
    """Hard-wrapped: a good share of lines stop mid-sentence at about the column width."""
    long_lines = [i for i, line in enumerate(lines) if line.width >= 6]
    unfinished = [i for i in long_lines if not pt.ends_final(lines[i].text)]
    if not unfinished or len(unfinished) < 0.25 * len(long_lines):
        return False
    return median(lines[i].extent / local[i] for i in unfinished) >= 0.85


def build_blocks(lines: Sequence[Line], layout: Layout) -> list[Block]:
    """Group lines into paragraphs, headlines and bylines."""
    blocks: list[Block] = []
    current: list[Line] = []

    def close() -> None:
        if current:
            blocks.append(Block("paragraph", tuple(current)))
            current.clear()

    for i, line in enumerate(lines):
        if pt.is_byline(line.text):
            close()
            blocks.append(Block("byline", (line,)))
            continue
        if current and not _breaks_before(lines, i, layout):
            current.append(line)
            continue
        close()
        if _is_headline(lines, i, layout):
            blocks.append(Block("heading", (line,)))
        else:
            current.append(line)
    close()
    return split_trailing_headlines(blocks, layout)


def _breaks_before(lines: Sequence[Line], i: int, layout: Layout) -> bool:
    """Whether a paragraph break lies between line ``i - 1`` and line ``i``."""
    prev, line = lines[i - 1], lines[i]
    if layout.blank_breaks and line.blanks_before:
        return True
    if pt.starts_with_punct(line.text):
        return False
    if not layout.wrapped:
        return True
    if layout.indent_breaks and line.indent > layout.common_indent:
        return True
    if pt.starts_continuation(line.text) or (pt.starts_lead(line.text) and not pt.ends_clause(prev.text)):
        return True
    finished = pt.ends_final(prev.text)
    if layout.wide[i - 1] != layout.wide[i] and (finished or pt.is_caption(prev.text)):
        return True
    if not finished:
        return False
    if pt.starts_item(line.text) or prev.extent < layout.local[i - 1] - _SHORT:
        return True
    # A full-width line ends with a full stop: a break only if the next line looks
    # like a paragraph's first line that lost its indent.
    return line.extent <= layout.local[i] - _LOST_INDENT


def _is_headline(lines: Sequence[Line], i: int, layout: Layout) -> bool:
    """Whether line ``i``, which begins a block, is a headline."""
    line = lines[i]
    text = line.text
    if not _headline_shaped(line) or pt.starts_lead(text):
        return False
    nxt = lines[i + 1] if i + 1 < len(lines) else None
    if nxt is None:
        return True
    if pt.starts_fragment(nxt.text) and not (layout.blank_breaks and nxt.blanks_before):
        return False
    if not layout.wrapped:
        return True
    if layout.wide[i] or line.width <= _NARROW * layout.local[i]:
        return True
    if _breaks_before(lines, i + 1, layout) or pt.is_byline(nxt.text):
        return True
    # About the column width (a paragraph's first line that lost its indent looks the
    # same): a paragraph if the next line goes on at full width or finishes a sentence.
    next_full = nxt.extent >= min(layout.local[i + 1] - _SHORT, line.extent)
    return not (next_full or pt.ends_final(nxt.text))


def _headline_shaped(line: Line) -> bool:
    text = line.text
    return not (
        pt.ends_final(text)
        or pt.ends_clause(text)
        or pt.has_internal_punct(text)
        or line.width > _MAX_HEADLINE
    )


def split_trailing_headlines(blocks: list[Block], layout: Layout) -> list[Block]:
    """Split headline lines off the end of a paragraph they were wrapped into.

    A headline printed right below a paragraph (no blank line, no indent) joins it,
    because the paragraph's last line gives no break signal. When a paragraph ends with
    lines that finish no sentence, are headline-shaped and are followed by a byline,
    headline or the end of the text, those lines are headlines.
    """
    result: list[Block] = []
    for index, block in enumerate(blocks):
        following = blocks[index + 1].kind if index + 1 < len(blocks) else "end"
        cut = (
            _trailing_cut(block) if block.kind == "paragraph" and following in _HEADLINE_NEIGHBOURS else None
        )
        if cut is None:
            result.append(block)
            continue
        result.append(Block("paragraph", block.lines[:cut]))
        result.extend(Block("heading", (line,)) for line in block.lines[cut:])
    return result


def _trailing_cut(block: Block) -> int | None:
    lines = block.lines
    cut = len(lines)
    while cut > 1 and not pt.ends_final(lines[cut - 1].text) and _headline_shaped(lines[cut - 1]):
        cut -= 1
    if cut == len(lines) or not pt.ends_final(lines[cut - 1].text) or pt.starts_with_punct(lines[cut].text):
        return None
    return cut
