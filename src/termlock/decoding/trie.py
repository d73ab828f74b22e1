"""Aho-Corasick trie construction shared by the token-level and character-level automata."""

from __future__ import annotations

from collections import deque
from collections.abc import Hashable, Sequence
from typing import TypeVar

_Sym = TypeVar("_Sym", bound=Hashable)


def build_trie(patterns: Sequence[Sequence[_Sym]]) -> tuple[list[dict[_Sym, int]], list[int], list[int]]:
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


def bfs_order(goto: Sequence[dict[_Sym, int]]) -> list[int]:
    """Trie nodes in breadth-first order (every node after its fail target)."""
    order: list[int] = []
    queue = deque([0])
    while queue:
        node = queue.popleft()
        order.append(node)
        queue.extend(goto[node].values())
    return order
