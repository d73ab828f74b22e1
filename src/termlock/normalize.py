"""One normalization for glossary keys and input text, with a map back to the original.

Both sides go through the same function so that a term matches whatever width,
script (traditional/simplified) or line breaks the input uses:

* NFKC folds full-width Latin, digits and punctuation to their usual forms;
* OpenCC's ``t2s`` folds traditional characters to simplified ones, one character at a
  time so every output character still maps to exactly one input character;
* ASCII letters are lower-cased (``1+10+N`` matches ``1+10+n``);
* white space (line breaks of PDF extracts, stray spaces) is dropped, except one space
  between two Latin letters or digits so that ``Belt and Road`` stays three words.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import Any


@cache
def _converter() -> Any:
    # Imported lazily: building the converter reads OpenCC's dictionaries.
    import opencc

    return opencc.OpenCC("t2s")


@cache
def fold_char(char: str) -> str:
    """Return the normalized form of one character (possibly empty or longer)."""
    if char.isspace():
        return ""
    folded = unicodedata.normalize("NFKC", char)
    if any(not c.isascii() for c in folded):
        folded = "".join(_converter().convert(c) for c in folded)
    return folded.lower() if folded.isascii() else folded


def is_word_char(char: str) -> bool:
    """Whether ``char`` is an ASCII letter or digit (where Latin words and numbers meet)."""
    return char.isascii() and char.isalnum()


@dataclass(frozen=True)
class Normalized:
    """Normalized text plus, for each of its characters, the index of its source character."""

    text: str
    origin: tuple[int, ...]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a half-open span of the normalized text back to the original text."""
        return self.origin[start], self.origin[end - 1] + 1


def normalize(text: str) -> Normalized:
    """Normalize ``text`` and keep the offset map (see the module docstring)."""
    out: list[str] = []
    origin: list[int] = []
    pending_space = -1
    for index, char in enumerate(text):
        folded = fold_char(char)
        if not folded:
            if char.isspace() and pending_space < 0:
                pending_space = index
            continue
        if pending_space >= 0 and out and is_word_char(out[-1][-1]) and is_word_char(folded[0]):
            out.append(" ")
            origin.append(pending_space)
        pending_space = -1
        out.append(folded)
        origin.extend([index] * len(folded))
    return Normalized("".join(out), tuple(origin))


def normalize_key(text: str) -> str:
    """Normalize a glossary key (term or variant) the same way as input text."""
    return normalize(text).text
