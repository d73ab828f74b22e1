"""The ``md`` format: Markdown translated in place, everything but the prose kept.

Headings, paragraphs, list items, block quotes and table cells are translated; code
blocks (fenced and indented), HTML blocks, link reference definitions and YAML front
matter are left alone. The output is the input with only the prose replaced: every
other byte (markers, indentation, blank lines, code) stays where it was.

Inside prose, inline code spans, autolinks, bare URLs, inline HTML, images, footnote
references and link destinations are protected: they are not part of any unit and are
copied verbatim. The text around them is translated piece by piece, so a link's text
and the text before and after the link are separate units. This keeps every URL and
code span byte-for-byte at the cost of translating a sentence interrupted by a link
or code span in pieces. Emphasis markers at the edges of a piece are kept; those
inside it are left to the translation.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import regex

from termlock.documents import Unit
from termlock.documents.textbase import check_count, join_wrapped, one_line
from termlock.encoding import decode

if TYPE_CHECKING:
    from markdown_it.token import Token

_CODE_SPAN = regex.compile(r"(?<![`\\])(`+)(?!`).+?(?<!`)\1(?!`)", regex.DOTALL)
_PROTECTED = regex.compile(
    r"""
      <!--.*?-->                                              # HTML comment
    | <(?:[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*|[^\s<>@]+@[^\s<>]+)>   # autolink
    | </?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>                # inline HTML tag
    | !\[[^\]]*\]\((?:[^()\s]|\([^()]*\))*(?:\s+"[^"]*")?\)   # image
    | \[\^[^\]]+\]                                            # footnote reference
    | (?:https?|ftp)://[^\s<>\p{Han}，。；！？、“”‘’（）《》【】]+  # bare URL
    """,
    regex.VERBOSE | regex.DOTALL,
)
_LINK = regex.compile(
    r"(?<![!\\])\[(?P<text>(?:[^\[\]\\]|\\.)*)\](?P<dest>\((?:[^()\\]|\\.|\([^()]*\))*\)|\[[^\]]*\])"
)
_URL_TAIL = regex.compile(r"[.,;:!?)]+$")
_EDGE_MARKS = regex.compile(r"^(\s*[*_~]*)(.*?)([*_~]*\s*)$", regex.DOTALL)
_HAS_WORDS = regex.compile(r"\p{L}")
_PIPE = regex.compile(r"(?<!\\)\|")
_FRONT_MATTER_END = regex.compile(r"^(?:---|\.\.\.)[ \t]*$")


@dataclass(frozen=True)
class _Span:
    """Part of one source line: ``text[start:end]`` of the whole file."""

    start: int
    end: int


@dataclass
class _Piece:
    text: str  # source text of the piece, newlines included
    unit: int | None  # index of its unit, or None when copied verbatim


@dataclass
class _Block:
    """One run of prose: its source region and its pieces."""

    start: int
    end: int
    pieces: list[_Piece]
    glue: dict[int, str]  # offset in the block's content of a newline -> source between lines
    table_cell: bool = False


@dataclass
class MarkdownDocument:
    """A Markdown file with its prose as units.

    Attributes:
        path: the input path or "-".
        units: the prose pieces, in reading order.
        format: always "md".
    """

    path: str
    units: list[Unit]
    source: str
    blocks: list[_Block]
    format: str = field(default="md")

    def render(self, translations: Sequence[str]) -> bytes:
        """The input with each prose piece replaced by its translation (UTF-8)."""
        check_count(self.units, translations)
        out: list[str] = []
        position = 0
        for block in self.blocks:
            out.append(self.source[position : block.start])
            out.append(_render_block(block, translations))
            position = block.end
        out.append(self.source[position:])
        return "".join(out).encode("utf-8")


def _render_block(block: _Block, translations: Sequence[str]) -> str:
    out: list[str] = []
    offset = 0
    for piece in block.pieces:
        if piece.unit is None:
            # Verbatim: newlines inside it get back the source between the lines.
            for i, char in enumerate(piece.text):
                out.append(block.glue[offset + i] if char == "\n" else char)
        else:
            text = one_line(translations[piece.unit])
            if block.table_cell:
                text = _PIPE.sub(r"\\|", text)
            lead, _, trail = _edges(piece.text)
            out.append(lead.replace("\n", " ") + text + trail.replace("\n", " "))
        offset += len(piece.text)
    return "".join(out)


def read(path: str, data: bytes, *, reflow: bool = True) -> MarkdownDocument:
    """Parse Markdown (``reflow`` has no effect: soft line breaks are always joined).

    Raises:
        InputError: the bytes cannot be decoded.
    """
    del reflow
    from markdown_it import MarkdownIt  # lazy: keeps `import termlock.documents` cheap

    source = decode(data, path)
    # Split on "\n" only, as the parser does (str.splitlines also splits at U+2028 etc.).
    raw = source.split("\n")
    lines = [line + "\n" for line in raw[:-1]] + ([raw[-1]] if raw[-1] else [])
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    parser = MarkdownIt("commonmark").enable("table")
    tokens = parser.parse(_blank_front_matter(lines))
    units: list[Unit] = []
    blocks: list[_Block] = []
    for kind, spans, table_cell in _prose_regions(tokens, lines, starts):
        block = _make_block(source, spans, kind, units, table_cell, starts)
        if block is not None:
            blocks.append(block)
    return MarkdownDocument(path, units, source, blocks)


def _blank_front_matter(lines: list[str]) -> str:
    """The source with a leading YAML front matter block replaced by empty lines."""
    if not lines or lines[0].rstrip() != "---":
        return "".join(lines)
    for index in range(1, len(lines)):
        if _FRONT_MATTER_END.match(lines[index].rstrip("\n")):
            return "\n" * (index + 1) + "".join(lines[index + 1 :])
    return "".join(lines)


def _prose_regions(
    tokens: Sequence[Token], lines: list[str], starts: list[int]
) -> list[tuple[str, list[_Span], bool]]:
    """(kind, spans, is-table-cell) for each inline run of prose, in order."""
    regions: list[tuple[str, list[_Span], bool]] = []
    stack: list[str] = []
    for index, token in enumerate(tokens):
        if token.nesting == 1:
            stack.append(token.type)
        elif token.nesting == -1 and stack:
            stack.pop()
        if token.type == "tr_open" and token.map:
            row = token.map[0]
            regions.extend(("table-cell", [span], True) for span in _cell_spans(lines[row], starts[row]))
        elif token.type == "inline" and token.map and not ({"th_open", "td_open"} & set(stack)):
            spans = _inline_spans(token, tokens[index - 1], lines, starts)
            regions.append((_kind(stack), spans, False))
    return regions


def _kind(stack: list[str]) -> str:
    if "heading_open" in stack:
        return "heading"
    if "list_item_open" in stack:
        return "list-item"
    if "blockquote_open" in stack:
        return "quote"
    return "paragraph"


def _inline_spans(token: Token, opener: Token, lines: list[str], starts: list[int]) -> list[_Span]:
    """Locate each line of the inline content in the source lines it came from."""
    assert token.map is not None
    first = token.map[0]
    spans: list[_Span] = []
    for k, content in enumerate(token.content.split("\n")):
        row = first + k
        line = lines[row].rstrip("\r\n")
        if opener.type == "heading_open" and opener.markup.startswith("#"):
            col = line.find(content, len(line) - len(line.lstrip(" ")) + len(opener.markup))
        else:
            stripped = line.rstrip(" \t")
            col = (
                len(stripped) - len(content.rstrip(" \t")) if stripped.endswith(content.rstrip(" \t")) else -1
            )
        if col < 0:
            col = line.rfind(content)
        if col < 0:
            return []  # content rewritten by the parser (e.g. tabs): leave the block as is
        spans.append(_Span(starts[row] + col, starts[row] + col + len(content.rstrip(" \t"))))
    return spans


def _cell_spans(line: str, offset: int) -> list[_Span]:
    body = line.rstrip("\r\n")
    bounds = [-1] + [m.start() for m in _PIPE.finditer(body)] + [len(body)]
    spans: list[_Span] = []
    for left, right in itertools.pairwise(bounds):
        cell = body[left + 1 : right]
        if cell.strip():
            lead = len(cell) - len(cell.lstrip())
            spans.append(_Span(offset + left + 1 + lead, offset + left + 1 + len(cell.rstrip())))
    return spans


def _make_block(
    source: str, spans: list[_Span], kind: str, units: list[Unit], table_cell: bool, starts: list[int]
) -> _Block | None:
    if not spans:
        return None
    content = "\n".join(source[s.start : s.end] for s in spans)
    glue: dict[int, str] = {}
    offset = 0
    for before, after in itertools.pairwise(spans):
        offset += before.end - before.start
        glue[offset] = source[before.end : after.start]
        offset += 1
    pieces: list[_Piece] = []
    position = 0
    for start, end in _protected_intervals(content):
        pieces.extend(
            _text_piece(content[position:start], content, position, kind, units, table_cell, starts, spans)
        )
        pieces.append(_Piece(content[start:end], None))
        position = end
    pieces.extend(_text_piece(content[position:], content, position, kind, units, table_cell, starts, spans))
    return _Block(spans[0].start, spans[-1].end, pieces, glue, table_cell)


def _text_piece(
    text: str,
    content: str,
    position: int,
    kind: str,
    units: list[Unit],
    table_cell: bool,
    starts: list[int],
    spans: list[_Span],
) -> list[_Piece]:
    if not text:
        return []
    _, core, _ = _edges(text)
    if not _HAS_WORDS.search(core):
        return [_Piece(text, None)]
    unit_text = join_wrapped(part.strip() for part in core.split("\n"))
    if table_cell:
        unit_text = unit_text.replace("\\|", "|")
    line_index = content.count("\n", 0, position)
    row = _row_of(spans[line_index].start, starts)
    units.append(Unit(unit_text, kind, row + 1))
    return [_Piece(text, len(units) - 1)]


def _row_of(offset: int, starts: list[int]) -> int:
    low, high = 0, len(starts) - 1
    while low < high:
        mid = (low + high + 1) // 2
        if starts[mid] <= offset:
            low = mid
        else:
            high = mid - 1
    return low


def _edges(text: str) -> tuple[str, str, str]:
    """Split a piece into leading whitespace/emphasis marks, its core, and trailing ones."""
    match = _EDGE_MARKS.match(text)
    assert match is not None
    return match.group(1), match.group(2), match.group(3)


def _protected_intervals(content: str) -> list[tuple[int, int]]:
    """Sorted, non-overlapping (start, end) of the parts of ``content`` kept verbatim."""
    found: list[tuple[int, int]] = [m.span() for m in _CODE_SPAN.finditer(content)]
    masked = list(content)
    for start, end in found:
        masked[start:end] = "\0" * (end - start)
    flat = "".join(masked)
    for match in _PROTECTED.finditer(flat):
        start, end = match.span()
        if match.group().startswith(("http", "ftp")):
            # Punctuation right after a bare URL ends the sentence, not the URL.
            tail = _URL_TAIL.search(match.group())
            end -= len(tail.group()) if tail else 0
        found.append((start, end))
    for match in _LINK.finditer(flat):
        found.append((match.start(), match.start() + 1))  # the "["
        found.append((match.end("text"), match.end()))  # the "](destination)"
    result: list[tuple[int, int]] = []
    for start, end in sorted(found):
        if end <= start:
            continue
        if result and start < result[-1][1]:
            result[-1] = (result[-1][0], max(result[-1][1], end))
        else:
            result.append((start, end))
    return result
