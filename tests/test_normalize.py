"""The one normalization: width, script, case and white space, with offsets back."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from termlock.normalize import normalize, normalize_key


def test_fullwidth_and_traditional_fold_to_one_key() -> None:
    assert normalize_key("１＋１０＋Ｎ") == "1+10+n"
    assert normalize_key("兩會") == normalize_key("两会") == "两会"
    assert normalize_key("新質生產力") == "新质生产力"


def test_line_breaks_inside_a_term_disappear() -> None:
    assert normalize("新\n\n质 生产力").text == "新质生产力"


def test_space_between_latin_words_is_kept_once() -> None:
    assert normalize("Belt  and\nRoad").text == "belt and road"
    assert normalize("5G 网络").text == "5g网络"


def test_offsets_map_back_to_the_original() -> None:
    text = "加快发展新\n\n质生产力。"
    norm = normalize(text)
    start = norm.text.index("新质生产力")
    begin, end = norm.span(start, start + len("新质生产力"))
    assert text[begin:end] == "新\n\n质生产力"


@given(st.text(alphabet="新质生产力兩會 \n\u3000ＡBc１2", max_size=40))
def test_every_normalized_char_points_into_the_original(text: str) -> None:
    norm = normalize(text)
    assert len(norm.origin) == len(norm.text)
    assert list(norm.origin) == sorted(norm.origin)
    assert all(0 <= i < len(text) for i in norm.origin)
