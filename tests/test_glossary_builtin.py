"""The curated built-in glossary: loadable, canonical, lint-clean, sourced, and complete."""

from __future__ import annotations

import json

import pytest
import regex

from clitools import run_cli
from seed import SEED
from termlock import store
from termlock.glossary import builtin_dir, builtin_layers, load_glossary
from termlock.lint import lint

FILES = sorted(builtin_dir().glob("*.tsv"))
DATED = regex.compile(r"\b(19|20)\d\d\b")


def test_domain_files_exist() -> None:
    assert {f.stem for f in FILES} >= {"economy", "industry", "xinjiang", "party", "institutions", "society"}


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_file_loads_and_is_canonical(path: object) -> None:
    text = path.read_text(encoding="utf-8")  # type: ignore[attr-defined]
    assert store.dumps(store.loads(text, str(path))) == text


def test_lint_finds_no_problem_at_all() -> None:
    assert [f"{p.origin}:{p.line} {p.term} {p.rule}: {p.message}" for p in lint(load_glossary())] == []


def test_every_entry_has_a_rendering_and_a_dated_source() -> None:
    entries = [e for layer in builtin_layers() for e in layer.entries]
    assert len(entries) >= 250
    assert [e.term for e in entries if not e.rendering.strip()] == []
    assert [e.term for e in entries if not DATED.search(e.source)] == []


def test_no_rendering_contradicts_its_own_forbidden_list() -> None:
    bad = [
        (e.term, f)
        for e in load_glossary()
        for f in e.forbidden
        for r in e.renderings(allow_admitted=True)
        if f.lower() in r.lower() or r.lower() == f.lower()
    ]
    assert bad == []


def test_core_terms_are_present() -> None:
    glossary = load_glossary()
    named = [
        "新质生产力",
        "现代化产业体系",
        "十大产业集群",
        "十张网",
        "三基地一通道",
        "五大战略定位",
        "中国式现代化",
        "高质量发展",
        "因地制宜",
        "国之大者",
        "铸牢中华民族共同体意识",
        "新时代党的治疆方略",
        "文化润疆",
        "长治久安",
        "低空经济",
        "具身智能",
        "链主",
        "1+10+N",
        "全国人大代表",
        "全国政协委员",
        "政府工作报告",
        "十四五",
        "十五五",
        "共同富裕",
        "乡村振兴",
        "新发展格局",
        "新发展理念",
        "全过程人民民主",
        "人类命运共同体",
        "一带一路",
        "专精特新",
        "双碳",
        "碳达峰碳中和",
        "放管服",
        "稳中求进",
        "两会",
    ]
    assert [t for t in named if glossary.get(t) is None] == []


def test_numbered_formulas_say_what_their_items_are() -> None:
    glossary = load_glossary()
    for term in ("十张网", "三基地一通道", "十大产业集群", "五大战略定位", "1+10+N"):
        entry = glossary.get(term)
        assert entry is not None and entry.quoted and len(entry.note) > 60, term


@pytest.mark.skipif(not SEED.exists(), reason="seed article not available")
def test_seed_article_occurrences() -> None:
    result = run_cli(["glossary", "terms", str(SEED), "--format", "json"])
    assert result.code == 0, result.stderr
    counts = {row["term"]: row["count"] for row in json.loads(result.stdout)}
    assert counts["新质生产力"] == 10
    assert counts["十大产业集群"] == 16
    assert counts["铸牢中华民族共同体意识"] == 1  # split by a line break in the article
    assert counts["两会"] + counts["全国两会"] >= 5
    assert len(counts) >= 100
