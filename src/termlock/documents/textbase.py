"""Helpers shared by the text-based formats: joining wrapped lines, widths, checks."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence

import regex

from termlock.documents import Unit

_LATIN_OR_DIGIT = regex.compile(r"[\p{Latin}\p{Nd}]")
_SPACES = regex.compile(r"\s+")


def join_wrapped(pieces: Iterable[str]) -> str:
    """Join the pieces of a hard-wrapped paragraph into one line.

    Chinese is written without spaces, so pieces are joined directly, except between
    two Latin letters or digits, where the line break stood for a space.

    Args:
        pieces: the lines of one paragraph, already stripped.

    Returns:
        The paragraph text.
    """
    out = ""
    for piece in pieces:
        if not piece:
            continue
        if out and _LATIN_OR_DIGIT.match(out[-1]) and _LATIN_OR_DIGIT.match(piece[0]):
            out += " "
        out += piece
    return out


def one_line(text: str) -> str:
    """A translation as one line: internal newlines become single spaces."""
    if "\n" not in text and "\r" not in text:
        return text
    return " ".join(part.strip() for part in text.splitlines() if part.strip())


def display_width(text: str) -> float:
    """Width in full-width character cells: CJK (and ambiguous, e.g. “”) count 1, others 0.5."""
    return sum(1.0 if unicodedata.east_asian_width(c) in "WFA" else 0.5 for c in text)


def collapse_spaces(text: str) -> str:
    """Runs of whitespace as one space (for texts whose line breaks carry no meaning)."""
    return _SPACES.sub(" ", text).strip()


def check_count(units: Sequence[Unit], translations: Sequence[str]) -> None:
    """Raise ValueError unless there is exactly one translation per unit (a caller bug)."""
    if len(translations) != len(units):
        raise ValueError(
            f"render needs one translation per unit: got {len(translations)} for {len(units)} units"
        )
