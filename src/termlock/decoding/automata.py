"""Per-segment automata that track constraint progress and banned strings during decoding.

Two Aho-Corasick automata per segment:

* :class:`PositiveTracker` works on **token ids**: it matches every alternative token sequence of
  every required rendering, credits completed occurrences to constraint groups and computes
  ``need`` -- the number of tokens that still have to be written to meet all constraints along the
  cheapest plan (finish one in-progress alternative, then write the shortest alternative of every
  other unmet occurrence). The decoder keeps ``need <= remaining steps - 1`` as an invariant, which
  is what guarantees satisfaction under the length cap even for a model that never wants the terms.
* :class:`BanTracker` works on **lower-cased characters** of the decoded text, so a forbidden string
  is caught in any casing and any tokenization (``▁forces``, ``▁force`` + ``s``, ...).

All queries are memoised: within a segment the same (state, unmet) pairs recur on every step.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from termlock.decoding.vocab import TargetVocab, _is_word_char

_Sym = TypeVar("_Sym", bound=Hashable)


@dataclass(frozen=True)
class Group:
    """One required rendering (all its disjunctive token forms) and how often it must occur."""

    alternatives: tuple[tuple[int, ...], ...]
    count: int

    @property
    def min_len(self) -> int:
        """Length of the shortest alternative: the cost of writing one occurrence from scratch."""
        return min(len(a) for a in self.alternatives)


def _build_trie(patterns: Sequence[Sequence[_Sym]]) -> tuple[list[dict[_Sym, int]], list[int], list[int]]:
    """Goto, fail and depth arrays of an Aho-Corasick trie over ``patterns``."""
    goto: list[dict[_Sym, int]] = [{}]
    depth = [0]
    for pat in patterns:
        node = 0
        for sym in pat:
            nxt = goto[node].get(sym)
            if nxt is None:
                nxt = len(goto)
                goto[node][sym] = nxt
                goto.append({})
                depth.append(depth[node] + 1)
            node = nxt
    fail = [0] * len(goto)
    queue = deque(goto[0].values())
    while queue:
        node = queue.popleft()
        for sym, child in goto[node].items():
            queue.append(child)
            f = fail[node]
            while f and sym not in goto[f]:
                f = fail[f]
            cand = goto[f].get(sym, 0)
            fail[child] = cand if cand != child else 0
    return goto, fail, depth


def _bfs_order(goto: Sequence[dict[_Sym, int]]) -> list[int]:
    order: list[int] = []
    queue = deque([0])
    while queue:
        node = queue.popleft()
        order.append(node)
        queue.extend(goto[node].values())
    return order


class PositiveTracker:
    """Token-level matcher for the required renderings of one segment.

    Hypothesis state is ``(state, unmet)``: ``unmet[g]`` is how many more occurrences of group
    ``g`` are still required; ``state`` is an interned id of (trie node, cool-down) where the
    cool-down lists self-overlapping patterns (``people to people``) credited fewer than
    ``len(pattern)`` tokens ago: an overlapping repeat is not a second occurrence of the string.
    """

    def __init__(self, groups: Sequence[Group], vocab: TargetVocab) -> None:
        """Compile ``groups`` (each with at least one alternative) against ``vocab``."""
        self.groups = tuple(groups)
        self.min_lens = tuple(g.min_len for g in self.groups)
        patterns = sorted({alt for g in self.groups for alt in g.alternatives})
        self.patterns = patterns
        # An occurrence of a pattern is credited to the unmet group with the most expensive
        # from-scratch cost among those listing it; this keeps `need` monotone (see `need`).
        self._owners = [
            tuple(
                sorted(
                    (gi for gi, g in enumerate(self.groups) if p in g.alternatives),
                    key=lambda gi: (-self.min_lens[gi], gi),
                )
            )
            for p in patterns
        ]
        goto, fail, depth = _build_trie(patterns)
        ends: list[list[int]] = [[] for _ in goto]
        through: list[list[tuple[int, int]]] = [[] for _ in goto]
        for pi, pat in enumerate(patterns):
            node = 0
            for sym in pat:
                node = goto[node][sym]
                rem = len(pat) - depth[node]
                if rem:
                    through[node].append((pi, rem))
            ends[node].append(pi)
        self._trans: list[dict[int, int]] = [{} for _ in goto]
        self._outputs: list[tuple[int, ...]] = [()] * len(goto)
        self._partials: list[tuple[tuple[int, int], ...]] = [()] * len(goto)
        for node in _bfs_order(goto):
            f = fail[node]
            base = self._trans[f] if node else {}
            self._trans[node] = {**base, **goto[node]}
            if node:
                self._outputs[node] = tuple(ends[node]) + self._outputs[f]
                self._partials[node] = tuple(through[node]) + self._partials[f]
        self.initial_unmet = tuple(g.count for g in self.groups)
        self._need: dict[tuple[int, tuple[int, ...]], int] = {}
        self._step: dict[tuple[int, tuple[int, ...], int], tuple[int, tuple[int, ...], bool]] = {}
        self._sparse: dict[tuple[int, tuple[int, ...]], tuple[tuple[int, int], ...]] = {}
        tails = [vocab.surfaces[p[-1]] for p in patterns]
        self._word_end = [bool(t) and _is_word_char(t[-1]) for t in tails]
        self._bordered = [any(p[:j] == p[-j:] for j in range(1, len(p))) for p in patterns]
        self._states: list[tuple[int, tuple[tuple[int, int], ...]]] = [(0, ())]
        self._ids: dict[tuple[int, tuple[tuple[int, int], ...]], int] = {(0, ()): 0}

    def _intern(self, node: int, cool: tuple[tuple[int, int], ...]) -> int:
        key = (node, cool)
        sid = self._ids.get(key)
        if sid is None:
            sid = len(self._states)
            self._states.append(key)
            self._ids[key] = sid
        return sid

    def scratch(self, unmet: tuple[int, ...]) -> int:
        """Tokens needed to write every unmet occurrence from scratch."""
        return sum(u * m for u, m in zip(unmet, self.min_lens, strict=True))

    def need(self, ac: int, unmet: tuple[int, ...]) -> int:
        """Tokens still needed along the cheapest plan (finish one partial match, or none)."""
        key = (ac, unmet)
        hit = self._need.get(key)
        if hit is None:
            node, cool = self._states[ac]
            saving = 0
            for pi, rem in self._partials[node]:
                if any(cp == pi and left >= rem for cp, left in cool):
                    continue  # finishing it would overlap the occurrence just credited
                for gi in self._owners[pi]:
                    if unmet[gi]:
                        saving = max(saving, self.min_lens[gi] - rem)
                        break
            hit = self.scratch(unmet) - saving
            self._need[key] = hit
        return hit

    def step(self, ac: int, unmet: tuple[int, ...], tok: int) -> tuple[int, tuple[int, ...], bool]:
        """Advance by ``tok``; returns ``(ac', unmet', completed_word)``.

        ``completed_word`` is true when an occurrence ending in a word character was just
        completed: the next token must not glue onto it (``forces`` + ``s``), which would break
        the rendering for word-boundary checks.
        """
        key = (ac, unmet, tok)
        hit = self._step.get(key)
        if hit is None:
            node, cool = self._states[ac]
            nxt = self._trans[node].get(tok, 0)
            blocked = {cp for cp, _ in cool}
            new_cool = [(cp, r - 1) for cp, r in cool if r > 1]
            left = list(unmet)
            word = False
            for pi in self._outputs[nxt]:
                word = word or self._word_end[pi]
                if pi in blocked:
                    continue
                for gi in self._owners[pi]:
                    if left[gi]:
                        left[gi] -= 1
                        if self._bordered[pi]:
                            new_cool.append((pi, len(self.patterns[pi]) - 1))
                        break
            hit = (self._intern(nxt, tuple(sorted(new_cool))), tuple(left), word)
            self._step[key] = hit
        return hit

    def sparse(self, ac: int, unmet: tuple[int, ...]) -> tuple[tuple[int, int], ...]:
        """``(token, need after it)`` for every token that leaves the root state.

        Every other token resets the automaton, so its ``need`` afterwards is ``scratch(unmet)``.
        """
        key = (ac, unmet)
        hit = self._sparse.get(key)
        if hit is None:
            out = []
            for tok in self._trans[self._states[ac][0]]:
                nac, nunmet, _ = self.step(ac, unmet, tok)
                out.append((tok, self.need(nac, nunmet)))
            hit = tuple(out)
            self._sparse[key] = hit
        return hit


class BanTracker:
    """Character-level matcher for the forbidden strings of one segment (case-insensitive)."""

    def __init__(self, banned: Sequence[str], vocab: TargetVocab) -> None:
        """Compile lower-cased ``banned`` strings against ``vocab``'s token surfaces."""
        self.vocab = vocab
        self.banned = tuple(sorted(set(banned)))
        goto, fail, _ = _build_trie(self.banned)
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
        for node in _bfs_order(goto):
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
