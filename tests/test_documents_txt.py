"""txt format: reflow of hard-wrapped text on several layouts, and --no-reflow."""

from __future__ import annotations

import collections
from pathlib import Path

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from seed import SEED
from termlock.documents import FORMATS, Unit, default_output_path, format_for, read_document, write_output
from termlock.documents import patterns as pt
from termlock.errors import InputError, OutputError, UsageError

_NON_SPACE = regex.compile(r"\S")


def units_of(text: str, *, reflow: bool = True) -> list[Unit]:
    return read_document("in.txt", data=text.encode("utf-8"), reflow=reflow).units


def non_space(text: str) -> str:
    return "".join(_NON_SPACE.findall(text))


def wrap(paragraph: str, width: int, first_width: int | None = None) -> list[str]:
    """Hard-wrap at a fixed number of characters, the first line possibly shorter."""
    lines: list[str] = []
    size = first_width or width
    while paragraph:
        lines.append(paragraph[:size])
        paragraph = paragraph[size:]
        size = width
    return lines


# ---------------------------------------------------------------- the seed page


@pytest.fixture(scope="module")
def seed() -> tuple[str, list[Unit]]:
    if not SEED.exists():
        pytest.skip("seed page not available")
    text = SEED.read_text(encoding="utf-8")
    return text, units_of(text)


def test_seed_loses_no_character(seed: tuple[str, list[Unit]]) -> None:
    text, units = seed
    assert non_space("".join(u.text for u in units)) == non_space(text)


def test_seed_structure_is_plausible(seed: tuple[str, list[Unit]]) -> None:
    text, units = seed
    kinds = collections.Counter(u.kind for u in units)
    assert 10 <= kinds["heading"] <= 30
    assert 45 <= kinds["paragraph"] <= 90
    assert kinds["byline"] >= 3
    assert kinds["caption"] >= 1
    assert kinds["continuation"] == len(pt.CONTINUATION.findall(text))
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    assert len(units) < len(lines) / 4  # the wrapped lines were really joined


def test_seed_bylines_stand_alone(seed: tuple[str, list[Unit]]) -> None:
    text, units = seed
    byline_lines = {line.strip() for line in text.split("\n") if pt.is_byline(line.strip())}
    assert byline_lines  # the page has bylines
    assert byline_lines == {u.text for u in units if u.kind == "byline"}
    for unit in units:
        if unit.kind != "byline":
            assert not any(b in unit.text for b in byline_lines), unit


def test_seed_headings_are_single_unpunctuated_lines(seed: tuple[str, list[Unit]]) -> None:
    text, units = seed
    lines = {line.strip() for line in text.split("\n")}
    for unit in units:
        if unit.kind == "heading":
            assert unit.text in lines, unit
            assert not pt.has_internal_punct(unit.text), unit


def test_seed_paragraphs_end_sentences(seed: tuple[str, list[Unit]]) -> None:
    _, units = seed
    for index, unit in enumerate(units):
        if unit.kind == "paragraph":
            following = units[index + 1].kind if index + 1 < len(units) else None
            assert pt.ends_final(unit.text) or following == "continuation", unit


def test_seed_continuations_and_paragraph_starts(seed: tuple[str, list[Unit]]) -> None:
    _, units = seed
    for index, unit in enumerate(units):
        if unit.kind == "continuation":
            assert unit.text.startswith("（") and unit.text.endswith("）")
            assert units[index + 1].kind == "paragraph"
        if unit.kind == "paragraph":
            assert not pt.starts_with_punct(unit.text) or unit.text == "……", unit


def test_seed_render_has_one_line_per_unit(seed: tuple[str, list[Unit]]) -> None:
    _, units = seed
    document = read_document(str(SEED))
    out = document.render([f"U{i}" for i in range(len(units))]).decode()
    assert out == "\n\n".join(f"U{i}" for i in range(len(units))) + "\n"


# ---------------------------------------------------------------- other layouts

REPORT = """一、总体要求

坚持稳中求进工作总基调，完整准确全面贯彻新发展理念，加快构建新发展格局。

（一）加强组织领导

各地区各部门要提高政治站位，把思想和行动统一到党中央决策部署上来。

2024年，全国经济运行总体平稳。
"""


def test_report_with_one_paragraph_per_line() -> None:
    units = units_of(REPORT)
    assert [u.kind for u in units] == ["heading", "paragraph", "heading", "paragraph", "paragraph"]
    assert [u.line for u in units] == [1, 3, 5, 7, 9]
    assert [u.text for u in units] == [line for line in REPORT.split("\n") if line]


def test_report_without_blank_lines() -> None:
    text = REPORT.replace("\n\n", "\n")
    units = units_of(text)
    assert [u.text for u in units] == [line for line in text.split("\n") if line]
    out = read_document("a.txt", data=text.encode()).render(["A", "B", "C", "D", "E"])
    assert out == b"A\nB\nC\nD\nE\n"  # no blank lines in, none out


PARAGRAPHS = [
    "坚持稳中求进工作总基调，完整准确全面贯彻新发展理念，加快构建新发展格局，着力推动高质量发展。",
    "目前，天山南北第一批重大项目相继开工，从物流配送中心到煤化工项目，充满新意的产业项目落地。",
    "各地区各部门要提高政治站位。把思想和行动统一到党中央决策部署上来，确保各项任务落到实处。",
]


def test_indented_paragraphs_without_blank_lines() -> None:
    lines = [("　　" if i == 0 else "") + part for p in PARAGRAPHS for i, part in enumerate(wrap(p, 16, 14))]
    units = units_of("\n".join(lines) + "\n")
    assert [u.text for u in units] == PARAGRAPHS
    assert all(u.kind == "paragraph" for u in units)


def test_wrapped_paragraphs_separated_by_blank_lines() -> None:
    text = "\n\n".join("\n".join(wrap(p, 18)) for p in PARAGRAPHS)
    assert [u.text for u in units_of(text)] == PARAGRAPHS


def test_pdf_layout_blank_after_every_line_and_lost_indent() -> None:
    lines = (
        ["发展新质生产力"] + [part for p in PARAGRAPHS for part in wrap(p, 18, 16)] + ["本报记者 张三 李四"]
    )
    units = units_of("\n\n".join(lines) + "\n\n")
    assert [(u.kind, u.text) for u in units] == [
        ("heading", "发展新质生产力"),
        *[("paragraph", p) for p in PARAGRAPHS],
        ("byline", "本报记者 张三 李四"),
    ]


def test_headline_and_byline_never_merge_into_paragraphs() -> None:
    text = "\n".join(
        [
            "高质量发展迈上新台阶",
            "新华社北京3月6日电",
            *wrap(PARAGRAPHS[0], 18),
            "○ 王五",
            *wrap(PARAGRAPHS[1], 18),
        ]
    )
    units = units_of(text)
    assert [u.kind for u in units] == ["heading", "byline", "paragraph", "byline", "paragraph"]
    assert units[2].text == PARAGRAPHS[0]


def test_latin_and_digits_are_joined_with_a_space() -> None:
    text = (
        "The State Council issued the\nplan on 6 March 2025, and the\nplan takes effect in\n"
        "2026 across all provinces.\n"
    )
    units = units_of(text)
    assert [u.text for u in units] == [
        "The State Council issued the plan on 6 March 2025, and the plan takes effect in "
        "2026 across all provinces."
    ]
    lines = [
        "全国已有一百多家企业接入了大模型平台",
        "DeepSeek等十余个国产模型，覆盖能源交",
        "通制造金融等领域，首批接入DeepSeek",
        "R1模型的企业占比超过了三成。",
    ]
    assert [u.text for u in units_of("\n".join(lines))] == [
        "全国已有一百多家企业接入了大模型平台DeepSeek等十余个国产模型，覆盖能源交通制造金融等领域，"
        "首批接入DeepSeek R1模型的企业占比超过了三成。"
    ]


def test_continuation_markers_are_units() -> None:
    body = PARAGRAPHS[0][:-1] + "，要从严抓纪律"
    text = "\n".join(["（上接第一版）" + body[:11], *wrap(body[11:], 18), "和作风（下转第二版）"])
    units = units_of(text)
    assert [u.kind for u in units] == ["continuation", "paragraph", "continuation"]
    assert units[0].text == "（上接第一版）" and units[2].text == "（下转第二版）"
    assert units[1].text == body + "和作风"


def test_caption_and_lead_are_recognized() -> None:
    text = "\n".join(
        [
            *wrap(PARAGRAPHS[0], 18),
            "3月6日，新疆代表团举行小组会议审议政府工作报告。这是代表在审议时发言。 新华社记者 张三 摄",
            "据《新疆日报》报道（记者 李杨）住疆全",
            "国政协委员以饱满的政治热情履行职责。",
        ]
    )
    units = units_of(text)
    assert [u.kind for u in units] == ["paragraph", "caption", "paragraph"]


def test_empty_input() -> None:
    document = read_document("e.txt", data=b"")
    assert document.units == []
    assert document.render([]) == b""


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.text(alphabet="发展经济社会政策产业建设推动创新，、", min_size=62, max_size=120).map(
            lambda s: "新" + s + "。"
        ),
        min_size=1,
        max_size=5,
    ),
    st.integers(min_value=12, max_value=30),
)
def test_indented_wrapped_paragraphs_round_trip(paragraphs: list[str], width: int) -> None:
    # Paragraphs of at least two lines: with one-line paragraphs most lines are indented
    # and the text reads as a block-indented one (indentation then carries no signal).
    lines = [
        "　　" + line if i == 0 else line
        for p in paragraphs
        for i, line in enumerate(wrap(p, width, width - 2))
    ]
    units = units_of("\n".join(lines) + "\n")
    assert [u.text for u in units] == paragraphs


@settings(max_examples=80, deadline=None)
@given(st.text(alphabet="发展经济。，、！？“”《》 \n　ab12记者（上接一版）", max_size=300))
def test_reflow_never_loses_text(text: str) -> None:
    units = units_of(text)
    assert non_space("".join(u.text for u in units)) == non_space(text)
    assert all(u.text and u.text == u.text.strip() for u in units)


# ---------------------------------------------------------------- --no-reflow


def test_no_reflow_keeps_lines_exactly() -> None:
    text = "　　第一行没有结束\n\n  第二行。\n第三行\n"
    document = read_document("a.txt", data=text.encode(), reflow=False)
    assert [(u.text, u.kind, u.line) for u in document.units] == [
        ("第一行没有结束", "line", 1),
        ("第二行。", "line", 3),
        ("第三行", "line", 4),
    ]
    assert document.render(["One", "Two\nlines", "Three"]) == "　　One\n\n  Two lines\nThree\n".encode()


def test_no_reflow_without_final_newline() -> None:
    document = read_document("a.txt", data="甲\n乙".encode(), reflow=False)
    assert document.render(["A", "B"]) == b"A\nB"


def test_gbk_input_is_decoded() -> None:
    units = read_document("a.txt", data="一、总体要求\n".encode("gbk")).units
    assert units == [Unit("一、总体要求", "heading", 1)]


# ---------------------------------------------------------------- lines format and the registry


def test_lines_format_keeps_one_line_per_input_line() -> None:
    document = read_document("-", data="第一句。\n\n  第三句\n".encode())
    assert document.format == "lines"
    assert [(u.text, u.line) for u in document.units] == [("第一句。", 1), ("", 2), ("第三句", 3)]
    assert document.render(["One.", "ignored", "Three\nparts"]) == b"One.\n\nThree parts\n"
    assert read_document("-", data="甲\n乙".encode()).render(["A", "B"]) == b"A\nB"
    assert read_document("-", data=b"").units == []


@pytest.mark.parametrize(
    ("path", "explicit", "expected"),
    [
        ("a.txt", None, "txt"),
        ("A.MD", None, "md"),
        ("x.docx", None, "docx"),
        ("-", None, "lines"),
        ("s.lines", None, "lines"),
        ("notes.csv", "txt", "txt"),
        ("-", "md", "md"),
    ],
)
def test_format_for(path: str, explicit: str | None, expected: str) -> None:
    assert format_for(path, explicit) == expected


def test_unknown_formats_list_the_allowed_values() -> None:
    with pytest.raises(UsageError, match="txt, md, docx, lines"):
        format_for("report.pdf")
    with pytest.raises(UsageError, match="txt, md, docx, lines"):
        format_for("a.txt", "pdf")
    assert set(FORMATS) == {"txt", "md", "docx", "lines"}


def test_default_output_path() -> None:
    assert default_output_path("report.txt") == "report.en.txt"
    assert default_output_path("dir/a.md") == "dir/a.en.md"
    assert default_output_path("x.docx") == "x.en.docx"
    assert default_output_path("notes") == "notes.en"
    assert default_output_path("-") == "-"


def test_read_document_errors_name_the_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"missing\.txt: file not found"):
        read_document(str(tmp_path / "missing.txt"))
    with pytest.raises(UsageError):
        read_document("-")
    bad = tmp_path / "bad.txt"
    bad.write_bytes("日本語のテキスト".encode("shift_jis"))
    with pytest.raises(InputError, match=r"bad\.txt:1: .*iconv"):
        read_document(str(bad))


def test_write_output_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    target = tmp_path / "out.en.txt"
    write_output(str(target), b"first")
    assert target.read_bytes() == b"first"
    with pytest.raises(OutputError, match=r"out\.en\.txt.*pass --force"):
        write_output(str(target), b"second")
    assert target.read_bytes() == b"first"
    write_output(str(target), b"second", force=True)
    assert target.read_bytes() == b"second"
    assert [p.name for p in tmp_path.iterdir()] == ["out.en.txt"]  # no temp file left


def test_write_output_into_a_missing_directory(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="does not exist"):
        write_output(str(tmp_path / "nope" / "a.txt"), b"x")


def test_importing_documents_is_cheap() -> None:
    import subprocess
    import sys

    code = "import sys, termlock.documents; print('docx' in sys.modules or 'markdown_it' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
