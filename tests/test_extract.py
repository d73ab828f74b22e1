"""termlock.extract: candidate terms by shape, quotes and collocation statistics."""

from __future__ import annotations

import pytest

from seed import SEED
from termlock.entry import Entry
from termlock.extract import Candidate, ExtractOptions, clean_text, extract_candidates, glossary_rows
from termlock.glossary import Glossary, Layer

EMPTY = Glossary([])


def terms(text: str, glossary: Glossary = EMPTY, **options: int | bool) -> dict[str, str]:
    found = extract_candidates([("a.txt", text)], glossary, ExtractOptions(**options))  # type: ignore[arg-type]
    return {c.term: c.kind for c in found}


@pytest.mark.parametrize(
    "text, term",
    [
        ("全面推进“三基地一通道”建设。", "三基地一通道"),
        ("打造基础设施“十张网”。", "十张网"),
        ("丰富拓展“十大产业集群”。", "十大产业集群"),
        ("锚定“五大战略定位”。", "五大战略定位"),
        ("坚决拥护“两个确立”。", "两个确立"),
        ("增强“四个自信”。", "四个自信"),
        ("完善“1+10+N”政策体系。", "1+10+N"),
        ("构建1+N政策体系。", "1+N"),
    ],
)
def test_numbered_formulas(text: str, term: str) -> None:
    assert terms(text)[term] == "formula"


def test_unquoted_formula_needs_to_recur() -> None:
    assert "十张网" not in terms("打造十张网。")
    assert terms("打造十张网。建好十张网。")["十张网"] == "formula"


def test_counts_and_dates_are_not_formulas() -> None:
    assert terms("3月6日提出6条建议，一个答案。3月6日，一个答案。") == {}


def test_quoted_expressions() -> None:
    found = terms("服务“国之大者”，没有「一招鲜」，他说：“产业兴、就业稳、人心聚。”")
    assert found == {"国之大者": "quoted", "一招鲜": "quoted"}  # a quoted sentence is not a term


def test_titles_are_optional() -> None:
    text = "据《新疆日报》报道。"
    assert "新疆日报" not in terms(text)
    assert terms(text, titles=True)["新疆日报"] == "quoted"


def test_recurring_phrase_by_cohesion_and_freedom() -> None:
    text = "\n".join(
        [
            "发展新质生产力。",
            "培育新质生产力，",
            "新质生产力是关键",
            "以新质生产力推动",
            "因地制宜发展新质生产力。",
        ]
    )
    found = terms(text)
    assert found["新质生产力"] == "phrase"
    # Its parts have a low branching entropy on one side: they are inside a longer word.
    assert "新质生产" not in found and "质生产力" not in found


def test_glossary_forms_are_dropped_with_candidates_containing_them() -> None:
    glossary = Glossary(
        [Layer("t", None, (Entry("十张网", "Ten Networks"), Entry("一招鲜", "a unique skill")))]
    )
    found = terms("打造“十张网”和“新十张网”，没有“一招鲜”，“三基地一通道”。", glossary)
    assert found == {"三基地一通道": "formula"}


def test_glossary_forms_match_normalized() -> None:
    glossary = Glossary([Layer("t", None, (Entry("十張網", "Ten Networks"),))])  # traditional form
    assert "十张网" not in terms("打造“十张网”。", glossary)


def test_min_count_and_top() -> None:
    text = "“十张网”“十张网”“三基地一通道”"
    assert list(terms(text, min_count=2)) == ["十张网"]
    assert list(terms(text, top=1)) == ["十张网"]


def test_clean_text_joins_han_split_by_spaces_but_keeps_lines() -> None:
    assert clean_text("十大 产业\n集群") == "十大产业\n集群"


def test_seed_article_finds_the_formulas() -> None:
    found = terms(_seed_text())
    for term in ("三基地一通道", "十张网", "十大产业集群", "五大战略定位"):
        assert found[term] == "formula"


def _seed_text() -> str:
    from termlock.documents import read_document

    return "\n".join(unit.text for unit in read_document(str(SEED)).units)


def test_glossary_rows_use_the_import_columns() -> None:
    candidate = Candidate("十张网", "formula", count=5, path="a.txt", context="打造基础设施“十张网”，与国家")
    phrase = Candidate("新质生产力", "phrase", count=3, path="b.txt", context="发展新质生产力")
    assert glossary_rows([candidate, phrase], "2025-03-01") == [
        [
            "十张网",
            "",
            "",
            "",
            "",
            "preferred",
            "yes",
            "candidate: kind=formula, count=5, e.g. …打造基础设施“十张网”，与国家…",
            "a.txt (extracted 2025-03-01)",
        ],
        [
            "新质生产力",
            "",
            "",
            "",
            "",
            "preferred",
            "no",
            "candidate: kind=phrase, count=3, e.g. …发展新质生产力…",
            "b.txt (extracted 2025-03-01)",
        ],
    ]
