"""The ``lines`` format: one unit per input line (the default for standard input).

Empty (or whitespace-only) lines become units with empty text, so unit ``i`` is always
input line ``i + 1`` and the output has exactly one line per input line. Callers do not
send empty units for translation; ``render`` writes an empty line for them whatever
translation it is given.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from termlock.documents import Unit
from termlock.documents.textbase import check_count, one_line
from termlock.encoding import decode


@dataclass
class LinesDocument:
    """A text read line by line.

    Attributes:
        path: the input path or "-".
        format: always "lines".
        units: one unit (kind "line") per input line, empty text for empty lines.
        final_newline: whether the input ended with a newline (kept in the output).
    """

    path: str
    units: list[Unit]
    final_newline: bool
    format: str = field(default="lines")

    def render(self, translations: Sequence[str]) -> bytes:
        """One output line per input line; empty input lines stay empty.

        Args:
            translations: one string per unit; newlines inside one are turned into spaces
                so the line count is kept.

        Returns:
            UTF-8 bytes.
        """
        check_count(self.units, translations)
        lines = [one_line(t) if u.text else "" for u, t in zip(self.units, translations, strict=True)]
        text = "\n".join(lines)
        if self.final_newline and lines:
            text += "\n"
        return text.encode("utf-8")


def read(path: str, data: bytes, *, reflow: bool = True) -> LinesDocument:
    """Parse ``data`` as one segment per line (``reflow`` has no effect here).

    Raises:
        InputError: the bytes cannot be decoded.
    """
    del reflow  # every line is a segment by definition
    text = decode(data, path)
    final_newline = text.endswith("\n")
    raw = text[:-1].split("\n") if final_newline else (text.split("\n") if text else [])
    units = [Unit(line.strip(), "line", number) for number, line in enumerate(raw, start=1)]
    return LinesDocument(path, units, final_newline)
