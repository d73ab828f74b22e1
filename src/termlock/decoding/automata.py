"""Per-segment automata that track constraint progress and banned strings during decoding.

Two Aho-Corasick automata per segment:

* :class:`~termlock.decoding.positive.PositiveTracker` works on **token ids**: it matches every
  alternative token sequence of every required rendering, credits completed occurrences to
  constraint groups with disjoint spans (the rule of ``termlock.verify.credit``) and computes the
  exact ``need`` -- the fewest tokens that still meet every constraint. The decoder keeps
  ``need <= remaining steps - 1`` as an invariant, which is what guarantees satisfaction under the
  length cap even for a model that never wants the terms. It lives in ``positive.py``.
* :class:`BanTracker` works on **lower-cased characters** of the decoded text, so a forbidden string
  is caught in any casing and any tokenization (``▁forces``, ``▁force`` + ``s``, ...).

All queries are memoised: within a segment the same states recur on every step.
"""

from __future__ import annotations

from collections.abc import Sequence

from termlock.decoding.positive import Group, PositiveTracker
from termlock.decoding.trie import bfs_order, build_trie
from termlock.decoding.vocab import TargetVocab

__all__ = ["BanTracker", "Group", "PositiveTracker"]


class BanTracker:
    """Character-level matcher for the forbidden strings of one segment (case-insensitive)."""

    def __init__(self, banned: Sequence[str], vocab: TargetVocab) -> None:
        """Compile lower-cased ``banned`` strings against ``vocab``'s token surfaces."""
        self.vocab = vocab
        self.banned = tuple(sorted(set(banned)))
        goto, fail, _ = build_trie(self.banned)
        self._goto = goto
        self._fail = fail
        rests: list[list[str]] = [[] for _ in goto]
        for b in self.banned:
            node = 0
            for i, ch in enumerate(b):
                node = goto[node][ch]
                if i + 1 < len(b):
                    rests[node].append(b[i + 1 :])
        chain_rests: list[tuple[str, ...]] = [()] * len(goto)
        for node in bfs_order(goto):
            if node:
                chain_rests[node] = tuple(rests[node]) + chain_rests[fail[node]]
        self._chain_rests = chain_rests
        self._always = sorted({i for b in self.banned for i in vocab.ids_containing(b)})
        self._delta: dict[tuple[int, str], int] = {}
        self._ids: dict[int, tuple[int, ...]] = {}
        self._step: dict[tuple[int, int], int] = {}

    def _char(self, state: int, ch: str) -> int:
        key = (state, ch)
        nxt = self._delta.get(key)
        if nxt is None:
            s = state
            while s and ch not in self._goto[s]:
                s = self._fail[s]
            nxt = self._goto[s].get(ch, 0)
            self._delta[key] = nxt
        return nxt

    def step(self, state: int, tok: int) -> int:
        """State after appending token ``tok``'s surface."""
        key = (state, tok)
        nxt = self._step.get(key)
        if nxt is None:
            nxt = state
            for ch in self.vocab.surfaces[tok]:
                nxt = self._char(nxt, ch)
            self._step[key] = nxt
        return nxt

    def banned_ids(self, state: int) -> tuple[int, ...]:
        """Token ids that would complete a forbidden string if appended in ``state``.

        A completed match either lies inside the new token (``ids_containing``) or starts in the
        text so far: then its start is a suffix of that text that is a trie prefix -- exactly the
        fail chain of ``state`` -- and the token must start with the rest of the string.
        """
        hit = self._ids.get(state)
        if hit is None:
            ids = set(self._always)
            for rest in self._chain_rests[state]:
                ids.update(self.vocab.ids_starting_with(rest))
            hit = tuple(sorted(ids))
            self._ids[state] = hit
        return hit
