"""Sentence splitting for Chinese (and Latin) text, and splitting of over-long sentences.

Both functions are lossless: the concatenation of the pieces is the input, so callers
can translate piece by piece and join the results without losing whitespace.
"""

from __future__ import annotations

from collections.abc import Callable

import regex

# A sentence ends at a run of terminators, then any closing quotes or brackets (they
# belong to the sentence they close), then any whitespace (kept with that sentence).
# Chinese terminators end a sentence anywhere; ASCII ones only when whitespace or a
# Han character follows, so "3.5", "e.g.x" and URLs stay whole.
_CLOSERS = "”’」』）】》〉〕］｝)\\]}\"'"
_SENTENCE_END = regex.compile(
    rf"""
    (?:
        [。！？；…｡．！？；]+ [{_CLOSERS}]*        # Chinese / fullwidth terminators
      | [.!?;]+ [{_CLOSERS}]* (?=\s|\p{{Han}}|$)   # ASCII terminators
    )
    \s*
    """,
    regex.VERBOSE,
)

# Clause boundaries for split_long, strongest first; each level is tried only for
# pieces that still do not fit after splitting at the previous level.
_CLAUSE_LEVELS: tuple[regex.Pattern[str], ...] = (
    regex.compile(rf"[；;：:]+[{_CLOSERS}]*\s*"),
    regex.compile(rf"[，,]+[{_CLOSERS}]*\s*"),
    regex.compile(rf"[、]+[{_CLOSERS}]*\s*"),
    regex.compile(r"\s+"),
)


def split_sentences(text: str) -> list[str]:
    """Split text into sentences without losing any character.

    Chinese sentences end at 。！？；… (and "……", fullwidth and ASCII forms); closing
    quotes and brackets after the terminator stay with the sentence they close. Latin
    text is split at ". ", "? ", "! ". Whitespace after a sentence stays with it.

    Args:
        text: any text; may be empty.

    Returns:
        The sentences; ``"".join(result) == text``. Empty text gives ``[]``.
    """
    pieces: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        end = match.end()
        if end == start or match.start() == start:
            # A terminator at the very start belongs to the previous piece (or is alone).
            if pieces and match.start() == start:
                pieces[-1] += text[start:end]
                start = end
            continue
        pieces.append(text[start:end])
        start = end
    if start < len(text):
        pieces.append(text[start:])
    return pieces


def split_long(sentence: str, fits: Callable[[str], bool]) -> list[str]:
    """Split a sentence that is too long for the model into pieces that fit.

    Splits at clause boundaries, strongest first (；：, then ，, then 、, then
    whitespace) and packs neighbouring clauses greedily back together while they fit;
    as a last resort a piece is cut between characters. A single character that does
    not fit is returned alone, since nothing smaller exists.

    Args:
        sentence: the text to split.
        fits: says whether a piece is short enough; assumed monotonic (a prefix of a
            piece that fits also fits).

    Returns:
        The pieces; ``"".join(result) == sentence``.
    """
    if not sentence or fits(sentence):
        return [sentence] if sentence else []
    return _split_at_level(sentence, fits, 0)


def _split_at_level(text: str, fits: Callable[[str], bool], level: int) -> list[str]:
    if fits(text):
        return [text]
    if level >= len(_CLAUSE_LEVELS):
        return _split_chars(text, fits)
    atoms = _atoms(text, _CLAUSE_LEVELS[level])
    if len(atoms) == 1:
        return _split_at_level(text, fits, level + 1)
    pieces: list[str] = []
    current = ""
    for atom in atoms:
        if current and fits(current + atom):
            current += atom
            continue
        if current:
            pieces.append(current)
        current = atom
        if not fits(current):
            pieces.extend(_split_at_level(current, fits, level + 1))
            current = ""
    if current:
        pieces.append(current)
    return pieces


def _atoms(text: str, boundary: regex.Pattern[str]) -> list[str]:
    atoms: list[str] = []
    start = 0
    for match in boundary.finditer(text):
        if match.end() > start and match.start() > start:
            atoms.append(text[start : match.end()])
            start = match.end()
    if start < len(text):
        atoms.append(text[start:])
    return atoms


def _split_chars(text: str, fits: Callable[[str], bool]) -> list[str]:
    """Cut into the longest prefixes that fit, found by binary search."""
    pieces: list[str] = []
    while text:
        low, high = 1, len(text)
        while low < high:
            mid = (low + high + 1) // 2
            if fits(text[:mid]):
                low = mid
            else:
                high = mid - 1
        pieces.append(text[:low])
        text = text[low:]
    return pieces
