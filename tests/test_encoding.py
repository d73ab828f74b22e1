"""decode(): accepted encodings round-trip; others are refused with a fix in the message."""

from __future__ import annotations

import codecs

import pytest
from hypothesis import given
from hypothesis import strategies as st

from termlock.encoding import decode
from termlock.errors import InputError

CHINESE = "关于印发《2025年政府工作报告》的通知\n各省、自治区：现将有关事项通知如下。“十四五”规划收官。\n"


@pytest.mark.parametrize(
    ("prefix", "encoding"),
    [
        (b"", "utf-8"),
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
        (b"", "gb18030"),
        (b"", "gbk"),
        (b"", "gb2312"),
    ],
)
def test_accepted_encodings_round_trip(prefix: bytes, encoding: str) -> None:
    assert decode(prefix + CHINESE.encode(encoding), "a.txt") == CHINESE


def test_newlines_are_normalized() -> None:
    assert decode("一\r\n二\r三\n".encode(), "a.txt") == "一\n二\n三\n"
    assert decode("一\r\n二".encode("gbk"), "a.txt") == "一\n二"


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("日本語のテキストです。これはシフトJISでエンコードされています。", "shift_jis"),
        ("Café crème à la française, déjà vu. Müller für Straße.", "latin-1"),
        ("這是繁體中文的文字，用來測試編碼偵測是否正確。", "big5"),
        ("대한민국 헌법 제1조 대한민국은 민주공화국이다.", "euc-kr"),
    ],
)
def test_other_encodings_are_refused_with_a_fix(text: str, encoding: str) -> None:
    with pytest.raises(InputError) as info:
        decode(text.encode(encoding), "in/report.txt")
    message = str(info.value)
    assert message.startswith("in/report.txt:1: ")
    assert "UTF-8" in message and "iconv" in message


def test_binary_is_refused() -> None:
    with pytest.raises(InputError, match=r"x\.bin: .*binary.*UTF-8"):
        decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "x.bin")


def test_refusal_names_the_line_of_the_first_bad_byte() -> None:
    data = "第一行\n第二行\n".encode() + "Café".encode("latin-1")
    with pytest.raises(InputError, match=r"^f\.txt:3: "):
        decode(data, "f.txt")


def test_bad_data_after_a_bom_is_refused() -> None:
    with pytest.raises(InputError, match="UTF-16"):
        decode(codecs.BOM_UTF16_LE + b"\x00\xd8", "u.txt")  # a lone surrogate


@given(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=200)
)
def test_any_utf8_text_without_nul_decodes_to_itself(text: str) -> None:
    expected = text.replace("\r\n", "\n").replace("\r", "\n")
    assert decode(text.encode("utf-8"), "a.txt") == expected.removeprefix("\ufeff")


def test_short_gb18030_text_is_read_as_chinese() -> None:
    # Two characters of GB18030 also decode as EUC-KR; too short for a Korean verdict.
    assert decode("两会\n两会".encode("gb18030"), "short.txt") == "两会\n两会"
