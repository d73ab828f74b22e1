"""Token-level tracker of a segment's required renderings: disjoint crediting and an exact ``need``.

**Crediting** follows ``termlock.verify.credit``: every required occurrence needs its own span.

* A pattern (one token form of a required rendering) completing at the current token is credited to
  an unmet group listing it (the costliest one, by shortest form) only if its span does not overlap
  the span of the previously credited occurrence. Earlier credits end before that one starts, so
  they cannot overlap either.
* At most one credit per token; among the patterns completing at the same token the longest wins
  (``productive forces`` inside ``new quality productive forces`` is not credited on its own).
* A completion that *would* be credited to another group than the previous credit but overlaps it
  is **forbidden**: the token is masked. Such an occurrence is what ``verify.credit`` could claim
  instead of the credited one (it prefers longer renderings and earlier spans), so writing it could
  turn a satisfied output into a missed one (``... industrial cluster`` + ``industrial cluster for
  ...`` written as one run). An overlapping repeat of the *same* group is only not credited
  (``very very very`` x2 may be written as six ``very``): verify takes that group's earliest span,
  the credited one, and then the next disjoint one. Completions whose groups are all met are
  harmless extras and stay allowed.

The state is interned as ``(trie node, since, last)``: ``since`` counts the tokens written after the
end of the last credited occurrence, ``last`` is the group it was credited to. A pattern of length
``L`` completing with the next token occupies the last ``L`` of the ``since + 1`` positions after
that end, so it overlaps iff ``L > since + 1``. Once ``since >= depth(node)`` no partial match
reaches back into the credited span, and ``since`` and ``last`` are normalised (cap, -1) so
equivalent states share one id. This also covers self-overlap (``people to people to people``
holds one occurrence of ``people to people``).

**need** is the exact minimum number of tokens that meets every group from a state, computed as a
shortest path over the state graph: edges are the trie tokens of the node plus one edge for "any
other token" (back to the root). Every credit lowers ``unmet``, so levels are solved from fewer
unmet occurrences up; inside one level the graph has unit weights and is solved by a Dijkstra from
its exits, lazily and memoised.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass

from termlock.decoding.trie import bfs_order, build_trie
from termlock.decoding.vocab import TargetVocab, _is_word_char

Unmet = tuple[int, ...]


@dataclass(frozen=True)
class Group:
    """One required rendering (all its disjunctive token forms) and how often it must occur."""

    alternatives: tuple[tuple[int, ...], ...]
    count: int

    @property
    def min_len(self) -> int:
        """Length of the shortest alternative: the cost of writing one occurrence from scratch."""
        return min(len(a) for a in self.alternatives)


@dataclass(frozen=True)
class _Move:
    sid: int
    unmet: Unmet
    word: bool  # a word-final pattern was credited: the next token must not glue onto it
    forbidden: bool


class PositiveTracker:
    """Token-level matcher for the required renderings of one segment (see the module docstring).

    Hypothesis state is ``(ac, unmet)``: ``unmet[g]`` is how many more occurrences of group ``g``
    are still required and ``ac`` an interned ``(trie node, since, last)`` id; ``0`` is the start
    (and root) state.
    """

    def __init__(self, groups: Sequence[Group], vocab: TargetVocab) -> None:
        """Compile ``groups`` (each with at least one alternative) against ``vocab``."""
        self.groups = tuple(groups)
        self.min_lens = tuple(g.min_len for g in self.groups)
        self.patterns = sorted({alt for g in self.groups for alt in g.alternatives})
        # The costliest owner first: crediting it lowers `need` the most.
        self._owners = [
            tuple(
                sorted(
                    (gi for gi, g in enumerate(self.groups) if p in g.alternatives),
                    key=lambda gi: (-self.min_lens[gi], gi),
                )
            )
            for p in self.patterns
        ]
        self._lens = [len(p) for p in self.patterns]
        self._cap = max(self._lens, default=0)
        self._compile(vocab)
        self.initial_unmet: Unmet = tuple(g.count for g in self.groups)
        self._states: list[tuple[int, int, int]] = [(0, self._cap, -1)]
        self._ids: dict[tuple[int, int, int], int] = {(0, self._cap, -1): 0}
        self._move: dict[tuple[int, Unmet, int], _Move] = {}
        self._need: dict[tuple[int, Unmet], int] = {}
        self._sparse: dict[tuple[int, Unmet], tuple[tuple[int, int], ...]] = {}
        self._blocked: dict[tuple[int, Unmet], tuple[int, ...]] = {}
        self._worst: dict[tuple[int, Unmet], int] = {}

    def _compile(self, vocab: TargetVocab) -> None:
        goto, fail, depth = build_trie(self.patterns)
        ends: list[list[int]] = [[] for _ in goto]
        for pi, pat in enumerate(self.patterns):
            node = 0
            for sym in pat:
                node = goto[node][sym]
            ends[node].append(pi)
        self._depth = depth
        self._trans: list[dict[int, int]] = [{} for _ in goto]
        # Outputs of a node: its own pattern, then those of its fail chain -- longest first.
        self._outputs: list[tuple[int, ...]] = [()] * len(goto)
        for node in bfs_order(goto):
            f = fail[node]
            self._trans[node] = {**(self._trans[f] if node else {}), **goto[node]}
            if node:
                self._outputs[node] = tuple(ends[node]) + self._outputs[f]
        tails = [vocab.surfaces[p[-1]] for p in self.patterns]
        self._word_end = [bool(t) and _is_word_char(t[-1]) for t in tails]

    def _intern(self, node: int, since: int, last: int) -> int:
        if since >= self._depth[node]:
            # Nothing in progress reaches back into the credited span: its details no longer matter.
            since, last = self._cap, -1
        key = (node, since, last)
        sid = self._ids.get(key)
        if sid is None:
            sid = len(self._states)
            self._states.append(key)
            self._ids[key] = sid
        return sid

    def scratch(self, unmet: Unmet) -> int:
        """Tokens needed to write every unmet occurrence from scratch, shortest forms, back to back.

        Not a bound of ``need`` by itself (a forbidden overlap can cost a separating token); with
        one separating token per occurrence, ``scratch(unmet) + sum(unmet)`` bounds it.
        """
        return sum(u * m for u, m in zip(unmet, self.min_lens, strict=True))

    def _advance(self, ac: int, unmet: Unmet, tok: int) -> _Move:
        key = (ac, unmet, tok)
        hit = self._move.get(key)
        if hit is None:
            node, since, last = self._states[ac]
            nxt = self._trans[node].get(tok, 0)
            hit = _Move(self._intern(nxt, min(since + 1, self._cap), last), unmet, False, False)
            for pi in self._outputs[nxt]:
                owner = next((gi for gi in self._owners[pi] if unmet[gi]), None)
                if owner is None:
                    continue  # an extra occurrence of met groups: neither credited nor harmful
                if self._lens[pi] > since + 1:
                    hit = _Move(hit.sid, unmet, False, owner != last)
                else:
                    left = (*unmet[:owner], unmet[owner] - 1, *unmet[owner + 1 :])
                    hit = _Move(self._intern(nxt, 0, owner), left, self._word_end[pi], False)
                break  # the longest completion with an unmet owner decides; the rest lie inside it
            self._move[key] = hit
        return hit

    def step(self, ac: int, unmet: Unmet, tok: int) -> tuple[int, Unmet, bool]:
        """Advance by ``tok``; returns ``(ac', unmet', completed_word)``.

        ``completed_word`` is true when the token completed a *credited* occurrence ending in a word
        character: the next token must not glue onto it (``forces`` + ``s``), which would break the
        rendering for word-boundary checks. ``tok`` must not be in :meth:`blocked`.
        """
        move = self._advance(ac, unmet, tok)
        return move.sid, move.unmet, move.word

    def need(self, ac: int, unmet: Unmet) -> int:
        """Exact minimum number of tokens that meets every group from ``(ac, unmet)``."""
        if not any(unmet):
            return 0
        hit = self._need.get((ac, unmet))
        if hit is None:
            self._solve(ac, unmet)
            hit = self._need[(ac, unmet)]
        return hit

    def _solve(self, start: int, unmet: Unmet) -> None:
        """Solve every unsolved state of ``unmet``'s level reachable from ``start``."""
        order, exits, preds = self._explore(start, unmet)
        dist = dict(exits)
        heap = [(d, s) for s, d in exits.items()]
        heapq.heapify(heap)
        while heap:
            d, s = heapq.heappop(heap)
            if d > dist[s]:
                continue
            for p in preds.get(s, ()):
                if d + 1 < dist[p]:
                    dist[p] = d + 1
                    heapq.heappush(heap, (d + 1, p))
        for s in order:
            self._need[(s, unmet)] = dist[s]

    def _explore(self, start: int, unmet: Unmet) -> tuple[list[int], dict[int, int], dict[int, list[int]]]:
        """Unsolved states of the level reachable from ``start``, their best exit costs and the
        reverse edges among them. Exits are credits (to a lower level) and already solved states."""
        root = 0
        order, seen = [start], {start}
        exits: dict[int, int] = {}
        preds: dict[int, list[int]] = {}
        i = 0
        while i < len(order):
            s = order[i]
            i += 1
            # Larger than any need: each occurrence written after one separating token always works.
            best = self.scratch(unmet) + sum(unmet) + 1
            node = self._states[s][0]
            moves = [self._advance(s, unmet, t) for t in self._trans[node]]
            targets = [(m.sid, m.unmet) for m in moves if not m.forbidden] + [(root, unmet)]
            for sid, left in targets:
                known = self.need(sid, left) if left != unmet else self._need.get((sid, left))
                if known is not None:
                    best = min(best, known + 1)
                    continue
                preds.setdefault(sid, []).append(s)
                if sid not in seen:
                    seen.add(sid)
                    order.append(sid)
            exits[s] = best
        return order, exits, preds

    def sparse(self, ac: int, unmet: Unmet) -> tuple[tuple[int, int], ...]:
        """``(token, need after it)`` for every allowed token that leaves the root state.

        Every other token returns to the root: its ``need`` afterwards is :meth:`other_need`.
        """
        key = (ac, unmet)
        hit = self._sparse.get(key)
        if hit is None:
            out = []
            for tok in self._trans[self._states[ac][0]]:
                move = self._advance(ac, unmet, tok)
                if not move.forbidden:
                    out.append((tok, self.need(move.sid, move.unmet)))
            hit = tuple(out)
            self._sparse[key] = hit
        return hit

    def blocked(self, ac: int, unmet: Unmet) -> tuple[int, ...]:
        """Tokens that would complete a required occurrence overlapping the last credited one."""
        key = (ac, unmet)
        hit = self._blocked.get(key)
        if hit is None:
            trans = self._trans[self._states[ac][0]]
            hit = tuple(t for t in trans if self._advance(ac, unmet, t).forbidden)
            self._blocked[key] = hit
        return hit

    def other_need(self, unmet: Unmet) -> int:
        """``need`` after any token outside the trie transitions (the root state)."""
        return self.need(0, unmet)

    def worst(self, ac: int, unmet: Unmet) -> int:
        """The largest ``need`` any allowed next token can leave (decides when to force)."""
        key = (ac, unmet)
        hit = self._worst.get(key)
        if hit is None:
            hit = max([self.other_need(unmet)] + [n for _, n in self.sparse(ac, unmet)])
            self._worst[key] = hit
        return hit
