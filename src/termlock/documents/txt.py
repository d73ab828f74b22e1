"""The ``txt`` format: plain text, reflowed into paragraphs (see :mod:`.reflow`).

With reflow (the default) each paragraph, headline, byline, caption and continuation
marker ("（上接一版）") is one unit, and the output has one unit per line, separated by
blank lines if the input used blank lines and by single newlines otherwise.

Without reflow (``--no-reflow``) every non-empty line is a unit and the output keeps
the input's lines exactly: blank lines and each line's indentation stay where they
were.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from termlock.documents import Unit
from termlock.documents import patterns as pt
from termlock.documents.reflow import Block, build_blocks, measure, scan_lines
from termlock.documents.textbase import check_count, join_wrapped, one_line
from termlock.encoding import decode


@dataclass
class ReflowedText:
    """A text document rebuilt into paragraphs.

    Attributes:
        path: the input path or "-".
        units: headlines, paragraphs, bylines, captions and continuation markers.
        separator: what goes between two units in the output.
        format: always "txt".
    """

    path: str
    units: list[Unit]
    separator: str
    format: str = field(default="txt")

    def render(self, translations: Sequence[str]) -> bytes:
        """One translated unit per line, units separated like the input's paragraphs.

        Returns:
            UTF-8 bytes ending with a newline (empty when there are no units).
        """
        check_count(self.units, translations)
        if not self.units:
            return b""
        return (self.separator.join(one_line(t) for t in translations) + "\n").encode("utf-8")


@dataclass
class LineText:
    """A text document translated line by line, keeping its lines exactly.

    Attributes:
        path: the input path or "-".
        units: one unit (kind "line") per non-empty line.
        lines: the input lines (without newlines).
        unit_lines: for each unit, the index of its line in ``lines``.
        final_newline: whether the input ended with a newline.
        format: always "txt".
    """

    path: str
    units: list[Unit]
    lines: list[str]
    unit_lines: list[int]
    final_newline: bool
    format: str = field(default="txt")

    def render(self, translations: Sequence[str]) -> bytes:
        """The input lines with each non-empty line's text replaced, indentation kept."""
        check_count(self.units, translations)
        out = list(self.lines)
        for index, translation in zip(self.unit_lines, translations, strict=True):
            raw = out[index]
            indent = raw[: len(raw) - len(raw.lstrip())]
            out[index] = indent + one_line(translation)
        text = "\n".join(out) + ("\n" if self.final_newline else "")
        return text.encode("utf-8")


def read(path: str, data: bytes, *, reflow: bool = True) -> ReflowedText | LineText:
    """Parse plain text.

    Args:
        path: the input path (for messages) or "-".
        data: the file contents.
        reflow: rebuild paragraphs from wrapped lines; otherwise one unit per line.

    Raises:
        InputError: the bytes cannot be decoded.
    """
    text = decode(data, path)
    if not reflow:
        return _read_lines(path, text)
    lines = scan_lines(text)
    blocks = build_blocks(lines, measure(lines))
    units = [unit for block in blocks for unit in block_units(block)]
    separator = "\n\n" if any(line.blanks_before for line in lines[1:]) else "\n"
    return ReflowedText(path, units, separator)


def _read_lines(path: str, text: str) -> LineText:
    final_newline = text.endswith("\n")
    lines = (text[:-1] if final_newline else text).split("\n") if text else []
    units: list[Unit] = []
    unit_lines: list[int] = []
    for index, raw in enumerate(lines):
        if raw.strip():
            units.append(Unit(raw.strip(), "line", index + 1))
            unit_lines.append(index)
    return LineText(path, units, lines, unit_lines, final_newline)


def block_units(block: Block) -> list[Unit]:
    """The units of one block: its text, with continuation markers split off."""
    first = block.lines[0].number
    text = join_wrapped(line.text for line in block.lines)
    if block.kind != "paragraph":
        return [Unit(text, block.kind, first)]
    units: list[Unit] = []
    start = 0
    for match in pt.CONTINUATION.finditer(text):
        units.extend(_paragraph(text[start : match.start()], first))
        units.append(Unit(match.group(), "continuation", first))
        start = match.end()
    units.extend(_paragraph(text[start:], first))
    return units


def _paragraph(text: str, line: int) -> list[Unit]:
    text = text.strip()
    if not text:
        return []
    if pt.is_caption(text):
        kind = "caption"
    elif pt.is_list_item(text):
        kind = "list-item"
    else:
        kind = "paragraph"
    return [Unit(text, kind, line)]
