"""Turn glossary term requests into token-level constraints under the target tokenizer.

Choices (documented here because other modules and the verifier rely on them):

* **One request = one required occurrence.** The same term twice gives a group with count 2: the
  output must contain it at least twice. Requests with identical alternative sets share a group.
* **Alternatives are disjunctive.** Per rendering (and per admitted rendering when
  ``allow_admitted``): as written; with a capitalised first letter if ``sentence_initial``; Title Case
  (every word, and with minor words lower-cased) if ``title_case``. ``quoted`` wraps every form in
  “…” and "..." and *only* the quoted forms count -- the quotes are part of the constraint.
* **Word-initial tokenization.** Each form is encoded as SentencePiece encodes it at the start of a
  word (first piece ``▁word``; for quoted forms ``▁`` + ``“`` ...), so a rendering always starts at a
  word boundary; the decoder also stops a finished rendering from being glued onto (``forces`` +
  ``s``). Forms that the target vocabulary cannot write exactly (``<unk>`` or no round trip) are
  dropped; a request with no writable form is reported as unwritable, never raised.
* **Overlap: every occurrence gets its own span** (the rule of ``termlock.verify.credit``). Counts
  are not adjusted for renderings inside others: the tracker credits occurrences with disjoint
  spans only (``productive forces`` inside ``new quality productive forces`` is not a separate
  occurrence), so a contained rendering is written once more on its own for each source
  occurrence, and partially overlapping ones (``... industrial cluster`` / ``industrial cluster
  for ...``) are never merged into one run (see ``positive.py``).
* **Forbidden strings are banned as lower-cased characters**, which covers every casing (lower, as
  written, Capitalised, Title) and every tokenization (with or without ``▁``, split pieces). A
  forbidden string that is a substring of any required form of the segment is *not* banned: banning
  it would make that required rendering impossible, and the positive guarantee wins.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from termlock.decoding.automata import Group
from termlock.decoding.vocab import TargetVocab

_MINOR_WORDS = frozenset(
    {
        "a",
        "an",
        "and",
        "as",
        "at",
        "but",
        "by",
        "for",
        "from",
        "in",
        "into",
        "nor",
        "of",
        "on",
        "or",
        "per",
        "the",
        "to",
        "via",
        "vs",
        "with",
    }
)
_QUOTES = (("\u201c", "\u201d"), ('"', '"'))


@dataclass(frozen=True)
class TermRequest:
    """One glossary term found in a source segment, to be enforced in the output.

    Attributes:
        term: Chinese term (label for reports).
        rendering: Required English rendering, in glossary casing.
        admitted: Acceptable alternatives (used only with ``DecodeOptions.allow_admitted``).
        forbidden: Renderings never to generate (in any casing or tokenization).
        quoted: Write the rendering inside English double quotes (“…” or "...").
        sentence_initial: The term starts the sentence; a capitalised first letter is allowed.
        title_case: Headline; a Title Case form is allowed.
    """

    term: str
    rendering: str
    admitted: tuple[str, ...] = ()
    forbidden: tuple[str, ...] = ()
    quoted: bool = False
    sentence_initial: bool = False
    title_case: bool = False


@dataclass(frozen=True)
class SegmentPlan:
    """Compiled constraints of one segment.

    Attributes:
        groups: Required renderings with their token alternatives and counts.
        banned: Lower-cased forbidden strings to keep out of the output.
        unwritable: Requests that could not become a constraint, with the reason.
        forms: For each group, the surface strings of its alternatives (for tests and reports).
    """

    groups: tuple[Group, ...]
    banned: tuple[str, ...]
    unwritable: tuple[tuple[TermRequest, str], ...]
    forms: tuple[tuple[str, ...], ...] = field(default=())

    @property
    def empty(self) -> bool:
        """True when nothing has to be enforced (plain decoding is exact)."""
        return not self.groups and not self.banned


def _capitalize_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _title(text: str, minor: bool) -> str:
    words = text.split(" ")
    out = [
        w if (minor and i and w.lower() in _MINOR_WORDS) else _capitalize_first(w)
        for i, w in enumerate(words)
    ]
    return " ".join(out)


def surface_forms(request: TermRequest, allow_admitted: bool) -> list[str]:
    """All acceptable surface strings for ``request``, most preferred first, without duplicates."""
    bases = [request.rendering] + (list(request.admitted) if allow_admitted else [])
    forms: list[str] = []
    for base in (b.strip() for b in bases):
        if not base:
            continue
        variants = [base]
        if request.sentence_initial:
            variants.append(_capitalize_first(base))
        if request.title_case:
            variants += [_title(base, minor=False), _title(base, minor=True)]
        for v in variants:
            wrapped = [f"{o}{v}{c}" for o, c in _QUOTES] if request.quoted else [v]
            forms += [w for w in wrapped if w not in forms]
    return forms


def _normalize_banned(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def build_plan(
    requests: Sequence[TermRequest], vocab: TargetVocab, allow_admitted: bool = False
) -> SegmentPlan:
    """Compile the term requests of one segment.

    Args:
        requests: Term requests found in the segment (repeats mean repeated occurrences).
        vocab: Target vocabulary of the model's tokenizer.
        allow_admitted: Accept admitted renderings as alternatives.

    Returns:
        The segment's plan; requests without any writable form are listed in ``unwritable``.
    """
    counts: dict[tuple[tuple[int, ...], ...], int] = {}
    forms_of: dict[tuple[tuple[int, ...], ...], tuple[str, ...]] = {}
    unwritable: list[tuple[TermRequest, str]] = []
    all_forms: list[str] = []
    for req in requests:
        forms = surface_forms(req, allow_admitted)
        encoded = [(f, vocab.encode_target(f)) for f in forms]
        good = [(f, ids) for f, ids in encoded if ids is not None]
        if not good:
            why = "empty rendering" if not forms else "no form can be written with the target vocabulary"
            unwritable.append((req, f"{why}: {forms!r} (needs <unk> or does not round-trip)"))
            continue
        key = tuple(dict.fromkeys(ids for _, ids in good))
        counts[key] = counts.get(key, 0) + 1
        forms_of.setdefault(key, tuple(f for f, _ in good))
        all_forms += [f.lower() for f, _ in good]
    groups = tuple(Group(alternatives=k, count=c) for k, c in counts.items())
    banned: list[str] = []
    for req in requests:
        for raw in req.forbidden:
            b = _normalize_banned(raw)
            # Skipped on purpose: a forbidden string inside a required form cannot be banned
            # without making that required rendering impossible.
            if b and b not in banned and not any(b in f for f in all_forms):
                banned.append(b)
    return SegmentPlan(
        groups=groups,
        banned=tuple(banned),
        unwritable=tuple(unwritable),
        forms=tuple(forms_of[k] for k in counts),
    )
