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


def _brute_positive(groups: list[Group], seq: list[int]) -> list[int]:
    """Unmet counts after ``seq`` using the same greedy crediting rule, by brute force."""
    unmet = [g.count for g in groups]
    order = sorted(range(len(groups)), key=lambda g: (-groups[g].min_len, g))
    pats = sorted({a for g in groups for a in g.alternatives})
    last_end: dict[tuple[int, ...], int] = {}
    for end in range(1, len(seq) + 1):
        for p in pats:
            overlaps = p in last_end and end - last_end[p] < len(p)
            if tuple(seq[max(0, end - len(p)) : end]) == p and not overlaps:
                for gi in order:
                    if p in groups[gi].alternatives and unmet[gi]:
                        unmet[gi] -= 1
                        last_end[p] = end
                        break
    return unmet


class _FakeVocab:
    surfaces = ["x"] * 10


def test_positive_tracker_matches_brute_force_and_need_is_achievable() -> None:
    rng = random.Random(7)
    for _ in range(400):
        groups = [
            Group(
                alternatives=tuple(
                    {
                        tuple(rng.randrange(4) for _ in range(rng.randint(1, 3)))
                        for _ in range(rng.randint(1, 2))
                    }
                ),
                count=rng.randint(1, 2),
            )
            for _ in range(rng.randint(1, 3))
        ]
        fake: Any = _FakeVocab()
        pos = PositiveTracker(groups, fake)
        ac, unmet = 0, pos.initial_unmet
        seq = [rng.randrange(5) for _ in range(rng.randint(0, 12))]
        for tok in seq:
            ac, unmet, _ = pos.step(ac, unmet, tok)
        assert list(unmet) == _brute_positive(groups, seq)
        # Following tokens that lower `need` by >= 1 meets everything within `need` steps.
        need = pos.need(ac, unmet)
        assert need <= pos.scratch(unmet)
        for _ in range(need):
            current = pos.need(ac, unmet)
            if current == 0:
                break
            options = [tok for tok, n2 in pos.sparse(ac, unmet) if n2 <= current - 1]
            assert options
            ac, unmet, _ = pos.step(ac, unmet, rng.choice(options))
        assert pos.need(ac, unmet) == 0 and not any(unmet)


def test_containment_counts_for_both() -> None:
    fake: Any = _FakeVocab()
    inner = Group(alternatives=((2, 3),), count=1)
    outer = Group(alternatives=((1, 2, 3),), count=1)
    pos = PositiveTracker([inner, outer], fake)
    ac, unmet = 0, pos.initial_unmet
    for tok in (1, 2, 3):
        ac, unmet, _ = pos.step(ac, unmet, tok)
    assert unmet == (0, 0)


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
