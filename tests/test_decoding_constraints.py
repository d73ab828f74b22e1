"""Unit tests for termlock.decoding constraint compilation and automata."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from termlock.decoding import TermRequest, build_plan, surface_forms
from termlock.decoding.automata import BanTracker, Group, PositiveTracker
from termlock.decoding.vocab import TargetVocab


@pytest.fixture(scope="module")
def vocab(tiny_model_dir: Path) -> TargetVocab:
    from transformers import AutoTokenizer

    return TargetVocab(AutoTokenizer.from_pretrained(tiny_model_dir))


def test_surface_forms_casing_quotes_title_admitted() -> None:
    req = TermRequest("新质生产力", "new quality productive forces", admitted=("new productive forces",))
    assert surface_forms(req, allow_admitted=False) == ["new quality productive forces"]
    assert surface_forms(req, allow_admitted=True) == [
        "new quality productive forces",
        "new productive forces",
    ]
    initial = TermRequest("t", "productive forces", sentence_initial=True)
    assert surface_forms(initial, False) == ["productive forces", "Productive forces"]
    title = TermRequest("t", "belt and road", title_case=True)
    assert surface_forms(title, False) == ["belt and road", "Belt And Road", "Belt and Road"]
    quoted = TermRequest("t", "modernization", quoted=True)
    assert surface_forms(quoted, False) == ["\u201cmodernization\u201d", '"modernization"']


def test_plan_groups_repeats_and_reports_unwritable(vocab: TargetVocab) -> None:
    reqs = [
        TermRequest("a", "industrial clusters"),
        TermRequest("a", "industrial clusters"),
        TermRequest("b", "modernization", quoted=True),
        TermRequest("c", "\u20ac\u00a7\u00b6"),  # characters the target SentencePiece model never saw
    ]
    plan = build_plan(reqs, vocab)
    assert [g.count for g in plan.groups] == [2, 1]
    assert plan.forms[1] == ("\u201cmodernization\u201d", '"modernization"')
    assert len(plan.unwritable) == 1 and plan.unwritable[0][0] is reqs[3]
    assert "target vocabulary" in plan.unwritable[0][1]
    for group in plan.groups:
        for alt in group.alternatives:
            assert vocab.unk_id not in alt


def test_forbidden_normalized_and_never_blocks_required(vocab: TargetVocab) -> None:
    reqs = [
        TermRequest("a", "productive forces", forbidden=("Productive  Force", "productivity", "  ")),
        TermRequest("b", "development", forbidden=("growth",)),
    ]
    plan = build_plan(reqs, vocab)
    # "productive force" is inside the required "productive forces": banning it would make the
    # required rendering impossible, so it is skipped.
    assert plan.banned == ("productivity", "growth")
    assert not build_plan([], vocab).groups and build_plan([], vocab).empty


def test_word_initial_tokenization(vocab: TargetVocab) -> None:
    ids = vocab.encode_target("productive forces")
    assert ids is not None
    assert vocab.surfaces[ids[0]].startswith(" ")
    assert vocab.encode_target("") is None


_OTHER = 4  # a token in no pattern


def _brute_move(
    groups: list[Group], window: tuple[int, ...], since: int, last: int, unmet: tuple[int, ...], tok: int
) -> tuple[tuple[int, ...], int, int, tuple[int, ...]] | None:
    """One token of the disjoint crediting rule, straight from its definition (None = forbidden).

    State: the last ``cap`` tokens, tokens since the last credited span ended, its group, unmet.
    """
    cap = max(len(a) for g in groups for a in g.alternatives)
    order = sorted(range(len(groups)), key=lambda g: (-groups[g].min_len, g))
    window = (*window, tok)[-cap:]
    pats = sorted({a for g in groups for a in g.alternatives}, key=lambda p: (-len(p), p))
    for p in pats:
        if window[-len(p) :] != p:
            continue
        owner = next((gi for gi in order if p in groups[gi].alternatives and unmet[gi]), None)
        if owner is None:
            continue
        if len(p) > since + 1:  # overlaps the last credited span
            return None if owner != last else (window, min(since + 1, cap), last, unmet)
        left = tuple(u - (gi == owner) for gi, u in enumerate(unmet))
        return window, 0, owner, left
    return window, min(since + 1, cap), last, unmet


def _brute_need(groups: list[Group], seq: list[int]) -> int:
    """Shortest continuation of ``seq`` meeting every group, by BFS over raw token windows."""
    cap = max(len(a) for g in groups for a in g.alternatives)
    state: tuple[tuple[int, ...], int, int, tuple[int, ...]] | None = (
        (),
        cap,
        -1,
        tuple(g.count for g in groups),
    )
    for tok in seq:
        assert state is not None
        state = _brute_move(groups, *state, tok)
    assert state is not None
    frontier, seen, dist = [state], {state}, 0
    while frontier:
        if any(not any(s[3]) for s in frontier):
            return dist
        nxt = []
        for s in frontier:
            for tok in range(_OTHER + 1):
                n = _brute_move(groups, *s, tok)
                if n is not None and n not in seen:
                    seen.add(n)
                    nxt.append(n)
        frontier, dist = nxt, dist + 1
    raise AssertionError("unreachable")


class _FakeVocab:
    surfaces = ["x"] * 10


def _random_groups(rng: random.Random, alphabet: int = 4) -> list[Group]:
    return [
        Group(
            alternatives=tuple(
                {
                    tuple(rng.randrange(alphabet) for _ in range(rng.randint(1, 3)))
                    for _ in range(rng.randint(1, 2))
                }
            ),
            count=rng.randint(1, 2),
        )
        for _ in range(rng.randint(1, 3))
    ]


def _walk(
    groups: list[Group], pos: PositiveTracker, rng: random.Random
) -> tuple[int, tuple[int, ...], list[int]]:
    """A random allowed token sequence (forbidden tokens skipped) and the tracker state after it."""
    ac, unmet, seq = 0, pos.initial_unmet, []
    for _ in range(rng.randint(0, 12)):
        tok = rng.randrange(_OTHER + 1)
        if tok in pos.blocked(ac, unmet):
            continue
        ac, unmet, _ = pos.step(ac, unmet, tok)
        seq.append(tok)
    return ac, unmet, seq


def test_positive_tracker_matches_brute_force_and_need_is_exact() -> None:
    rng = random.Random(7)
    fake: Any = _FakeVocab()
    for _ in range(300):
        groups = _random_groups(rng)
        pos = PositiveTracker(groups, fake)
        ac, unmet, seq = _walk(groups, pos, rng)
        brute: Any = (), max(len(a) for g in groups for a in g.alternatives), -1, pos.initial_unmet
        for tok in seq:
            brute = _brute_move(groups, *brute, tok)
        assert brute is not None and brute[3] == unmet
        need = pos.need(ac, unmet)
        assert need == _brute_need(groups, seq)
        assert need <= pos.scratch(unmet) + sum(unmet)
        # Following trie tokens (or any other token) that lower `need` by one meets everything.
        for _ in range(need):
            current = pos.need(ac, unmet)
            options = [tok for tok, n2 in pos.sparse(ac, unmet) if n2 == current - 1]
            if pos.other_need(unmet) == current - 1:
                options.append(_OTHER)
            assert options and not set(options) & set(pos.blocked(ac, unmet))
            ac, unmet, _ = pos.step(ac, unmet, rng.choice(options))
        assert pos.need(ac, unmet) == 0 and not any(unmet)


def test_need_solves_from_any_state_order() -> None:
    # Memoisation must not depend on which states were asked first.
    rng = random.Random(11)
    fake: Any = _FakeVocab()
    for _ in range(60):
        groups = _random_groups(rng)
        walks = [_walk(groups, PositiveTracker(groups, fake), random.Random(i)) for i in range(4)]
        fresh = [PositiveTracker(groups, fake) for _ in walks]
        shared = PositiveTracker(groups, fake)
        for (_, _, seq), alone in zip(walks, fresh, strict=True):
            a = (0, alone.initial_unmet)
            b = (0, shared.initial_unmet)
            for tok in seq:
                a = alone.step(*a, tok)[:2]
                b = shared.step(*b, tok)[:2]
            assert alone.need(*a) == shared.need(*b) == _brute_need(groups, seq)


def test_contained_rendering_needs_its_own_span() -> None:
    fake: Any = _FakeVocab()
    inner = Group(alternatives=((2, 3),), count=1)
    outer = Group(alternatives=((1, 2, 3),), count=1)
    pos = PositiveTracker([inner, outer], fake)
    ac, unmet = 0, pos.initial_unmet
    assert pos.need(ac, unmet) == 5
    for tok in (1, 2, 3):
        ac, unmet, _ = pos.step(ac, unmet, tok)
    # Suffix containment: the longer pattern completing at the same token takes the credit.
    assert unmet == (1, 0) and pos.need(ac, unmet) == 2
    prefix = PositiveTracker([Group(((1,),), 1), Group(((1, 2),), 1)], fake)
    ac, unmet, _ = prefix.step(0, prefix.initial_unmet, 1)
    # Prefix containment: "1" is credited, so "1 2" now would overlap it and is masked.
    assert unmet == (0, 1) and prefix.blocked(ac, unmet) == (2,)
    assert prefix.need(ac, unmet) == 2


def test_self_overlapping_repeat_is_not_a_second_occurrence() -> None:
    fake: Any = _FakeVocab()
    pos = PositiveTracker([Group(((1, 1, 1),), 2)], fake)
    ac, unmet = 0, pos.initial_unmet
    for tok in (1, 1, 1, 1):
        assert tok not in pos.blocked(ac, unmet)
        ac, unmet, _ = pos.step(ac, unmet, tok)
    assert unmet == (1,) and pos.need(ac, unmet) == 2


def test_ban_tracker_matches_brute_force(vocab: TargetVocab) -> None:
    rng = random.Random(3)
    banned = ["productive forces", "modern", "on the", "es"]
    ban = BanTracker(banned, vocab)
    for _ in range(40):
        state, text = 0, ""
        for _ in range(rng.randint(0, 6)):
            tok = rng.randrange(vocab.size)
            if any(b in text + vocab.surfaces[tok] for b in banned):
                continue
            state, text = ban.step(state, tok), text + vocab.surfaces[tok]
        expected = {i for i, s in enumerate(vocab.surfaces) if any(b in text + s for b in banned)}
        assert set(ban.banned_ids(state)) == expected
