"""split_sentences / split_long: lossless splitting at the right places."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from termlock.segment import split_long, split_sentences


def test_chinese_terminators() -> None:
    text = "第一句。第二句！第三句？第四句；然后……最后"
    assert split_sentences(text) == ["第一句。", "第二句！", "第三句？", "第四句；", "然后……", "最后"]


def test_closing_quotes_and_brackets_stay_left() -> None:
    text = "“产业兴、就业稳。”他说（见附件。）下文《标题？》结束。"
    assert split_sentences(text) == ["“产业兴、就业稳。”", "他说（见附件。）", "下文《标题？》", "结束。"]


def test_ascii_and_fullwidth_forms() -> None:
    assert split_sentences("好!然后?再;完．") == ["好!", "然后?", "再;", "完．"]


def test_latin_sentences_keep_their_whitespace() -> None:
    assert split_sentences("It rose 3.5 percent. Why? Growth!  Next") == [
        "It rose 3.5 percent. ",
        "Why? ",
        "Growth!  ",
        "Next",
    ]


def test_no_split_inside_numbers_and_urls() -> None:
    assert split_sentences("增长3.5%，见gov.cn/a.html说明") == ["增长3.5%，见gov.cn/a.html说明"]


def test_empty_and_unterminated() -> None:
    assert split_sentences("") == []
    assert split_sentences("没有标点") == ["没有标点"]


@given(st.text(alphabet="一二三。！？；…”」）.!? ab，", max_size=60))
def test_split_sentences_is_lossless(text: str) -> None:
    pieces = split_sentences(text)
    assert "".join(pieces) == text
    assert all(pieces)


def test_split_long_prefers_clause_boundaries() -> None:
    pieces = split_long("第一部分，第二部分，第三部分、第四部分", lambda s: len(s) <= 11)
    assert pieces == ["第一部分，第二部分，", "第三部分、第四部分"]


def test_split_long_strong_boundaries_first() -> None:
    pieces = split_long("甲，乙：丙，丁", lambda s: len(s) <= 4)
    assert pieces == ["甲，乙：", "丙，丁"]


def test_split_long_falls_back_to_characters() -> None:
    assert split_long("一二三四五六七", lambda s: len(s) <= 3) == ["一二三", "四五六", "七"]


def test_split_long_keeps_a_sentence_that_fits() -> None:
    assert split_long("短句。", lambda s: True) == ["短句。"]
    assert split_long("", lambda s: True) == []


@given(
    st.text(alphabet="一二三，、：；,; ab", min_size=1, max_size=80), st.integers(min_value=1, max_value=12)
)
def test_split_long_is_lossless_and_fits(text: str, limit: int) -> None:
    pieces = split_long(text, lambda s: len(s) <= limit)
    assert "".join(pieces) == text
    assert all(0 < len(p) <= limit for p in pieces)
