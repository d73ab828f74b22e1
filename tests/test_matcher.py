"""Leftmost-longest matching through variants, scripts and line breaks."""

from __future__ import annotations

import random

from termlock.entry import Entry
from termlock.matcher import Matcher


def _entries(*terms: str, variants: dict[str, tuple[str, ...]] | None = None) -> list[Entry]:
    variants = variants or {}
    return [Entry(t, f"r-{t}", variants=variants.get(t, ())) for t in terms]


def test_longest_term_wins() -> None:
    m = Matcher(_entries("基地", "三基地一通道", "生产力", "新质生产力"))
    found = [x.entry.term for x in m.find("推进“三基地一通道”建设，发展新质生产力和生产力")]
    assert found == ["三基地一通道", "新质生产力", "生产力"]


def test_two_character_terms_match() -> None:
    m = Matcher(_entries("两会"))
    assert [x.text for x in m.find("今年全国两会上")] == ["两会"]


def test_term_broken_by_line_break_maps_to_original_offsets() -> None:
    text = "铸\n\n牢中华民族共同体意识，"
    (match,) = Matcher(_entries("铸牢中华民族共同体意识")).find(text)
    assert (match.start, match.end) == (0, 13)
    assert match.text == text[:13]


def test_variants_and_traditional_forms_match() -> None:
    m = Matcher(_entries("碳达峰碳中和", variants={"碳达峰碳中和": ("双碳",)}))
    hits = m.find("實現雙碳目標")
    assert [(h.entry.term, h.form) for h in hits] == [("碳达峰碳中和", "双碳")]


def test_quoted_occurrence_is_flagged() -> None:
    m = Matcher(_entries("十张网"))
    assert [h.quoted for h in m.find("建设“十张网”和十张网")] == [True, False]


def test_latin_form_does_not_match_inside_a_longer_number() -> None:
    m = Matcher(_entries("1+10+N"))
    assert [h.text for h in m.find("构建“1+10+N”体系，而非21+10+Nx")] == ["1+10+N"]


def _brute_force(terms: list[str], text: str) -> list[tuple[int, str]]:
    found, i = [], 0
    while i < len(text):
        best = max((t for t in terms if text.startswith(t, i)), key=len, default=None)
        if best:
            found.append((i, best))
            i += len(best)
        else:
            i += 1
    return found


def test_agrees_with_brute_force_leftmost_longest() -> None:
    rng = random.Random(7)
    alphabet = "甲乙丙丁戊"
    for _ in range(600):
        terms = sorted(
            {"".join(rng.choices(alphabet, k=rng.randint(1, 4))) for _ in range(rng.randint(1, 8))}
        )
        text = "".join(rng.choices(alphabet, k=rng.randint(0, 30)))
        got = [(h.start, h.entry.term) for h in Matcher(_entries(*terms)).find(text)]
        assert got == _brute_force(terms, text), (terms, text)
