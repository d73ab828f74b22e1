"""Target-side vocabulary view: token surfaces, prefix/substring lookups, target encoding.

Marian models have separate source and target SentencePiece models sharing one id space. Everything
the constrained decoder needs about the *target* side lives here, computed once per tokenizer.
"""

from __future__ import annotations

import bisect
import unicodedata
from typing import Any

import torch

SPIECE_UNDERLINE = "\u2581"


def _is_word_char(ch: str) -> bool:
    # Letters, digits and marks continue a word; everything else (space, punctuation) breaks it.
    return ch.isalnum() or unicodedata.category(ch).startswith("M")


class TargetVocab:
    """Lookups over the target vocabulary of a Marian-style tokenizer.

    Attributes:
        size: Number of token ids (rows of the model's logits).
        eos_id: End-of-sentence id.
        pad_id: Padding / decoder-start id (never generated).
        unk_id: Unknown-token id.
        surfaces: Lower-cased surface string of every id (``▁`` as a space, special tokens empty),
            i.e. what the id adds to the decoded text, for case-insensitive ban tracking.
        continues_word: Bool tensor ``[size]``: the id's surface starts with a word character, so
            writing it right after a word would glue onto that word.
    """

    def __init__(self, tokenizer: Any, size: int | None = None) -> None:
        """Index ``tokenizer``'s vocabulary.

        Args:
            tokenizer: A ``MarianTokenizer`` (or any tokenizer with ``convert_ids_to_tokens`` and
                ``text_target`` support).
            size: Logit width if it differs from ``len(tokenizer)`` (extra ids get empty surfaces).
        """
        self.tokenizer = tokenizer
        self.size = int(size if size is not None else len(tokenizer))
        self.eos_id = int(tokenizer.eos_token_id)
        self.pad_id = int(tokenizer.pad_token_id)
        self.unk_id = int(tokenizer.unk_token_id)
        special = set(int(i) for i in tokenizer.all_special_ids)
        n_tok = min(self.size, len(tokenizer))
        pieces = tokenizer.convert_ids_to_tokens(list(range(n_tok)))
        surfaces = [
            "" if i in special or p is None else p.replace(SPIECE_UNDERLINE, " ").lower()
            for i, p in enumerate(pieces)
        ]
        surfaces += [""] * (self.size - n_tok)
        self.surfaces: list[str] = surfaces
        self.continues_word = torch.tensor([bool(s) and _is_word_char(s[0]) for s in surfaces])
        order = sorted(range(self.size), key=lambda i: surfaces[i])
        self._sorted_ids = order
        self._sorted_surfaces = [surfaces[i] for i in order]
        self._containing: dict[str, tuple[int, ...]] = {}

    def ids_starting_with(self, prefix: str) -> list[int]:
        """Ids whose (lower-cased) surface starts with ``prefix`` (binary search, no vocab scan)."""
        if not prefix:
            return []
        lo = bisect.bisect_left(self._sorted_surfaces, prefix)
        hi = bisect.bisect_left(self._sorted_surfaces, prefix[:-1] + chr(ord(prefix[-1]) + 1), lo)
        return self._sorted_ids[lo:hi]

    def ids_containing(self, text: str) -> tuple[int, ...]:
        """Ids whose surface contains ``text`` anywhere (one vocab scan per string, cached)."""
        hit = self._containing.get(text)
        if hit is None:
            hit = tuple(i for i, s in enumerate(self.surfaces) if text in s)
            self._containing[text] = hit
        return hit

    def encode_target(self, text: str) -> tuple[int, ...] | None:
        """Token ids of ``text`` under the target SentencePiece model, or None if not writable.

        Not writable means the encoding needs ``<unk>`` or does not decode back to ``text``
        (e.g. SentencePiece normalisation changed a character), so forcing those ids would not
        put the exact rendering into the output.
        """
        ids = list(self.tokenizer(text_target=text, add_special_tokens=False)["input_ids"])
        if ids and ids[-1] == self.eos_id:
            ids = ids[:-1]
        if not ids or self.unk_id in ids or any(i >= self.size for i in ids):
            return None
        if self.tokenizer.decode(ids, skip_special_tokens=True) != text:
            return None
        return tuple(ids)
