"""termlock.bitext: bilingual files and two-document alignment."""

from __future__ import annotations

from pathlib import Path

import pytest

from termlock.bitext import Pair, read_bilingual, read_pairs
from termlock.errors import InputError


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_tsv(tmp_path: Path) -> None:
    path = write(tmp_path / "a.tsv", "政策\tthe policy\n\n十张网\tTen Networks\n")
    assert read_bilingual(path) == [Pair("政策", "the policy", 1), Pair("十张网", "Ten Networks", 3)]


def test_tsv_row_without_tab(tmp_path: Path) -> None:
    path = write(tmp_path / "a.tsv", "政策\tpolicy\n十张网 Ten Networks\n")
    with pytest.raises(InputError) as info:
        read_bilingual(path)
    assert str(info.value) == (
        f"{path}:2: expected zh<TAB>en (one tab between the columns), found no tab; "
        "put exactly one tab between the Chinese source and the English translation"
    )


def test_tsv_row_with_three_columns(tmp_path: Path) -> None:
    path = write(tmp_path / "a.tsv", "政策\tpolicy\textra\n")
    with pytest.raises(InputError, match=r"a\.tsv:1: expected zh<TAB>en .*found 3 columns"):
        read_bilingual(path)


def test_jsonl_with_both_key_styles(tmp_path: Path) -> None:
    path = write(
        tmp_path / "a.jsonl",
        '{"zh": "政策", "en": "policy"}\n{"source": "十张网", "target": "Ten Networks"}\n',
    )
    assert read_bilingual(path) == [Pair("政策", "policy", 1), Pair("十张网", "Ten Networks", 2)]


def test_jsonl_bad_json(tmp_path: Path) -> None:
    path = write(tmp_path / "a.jsonl", '{"zh": "政策", "en": "policy"}\n{"zh": "政策", \n')
    with pytest.raises(InputError) as info:
        read_bilingual(path)
    assert str(info.value).startswith(f"{path}:2: not valid JSON (")
    assert str(info.value).endswith('each line must be one object like {"zh": "…", "en": "…"}')


def test_jsonl_missing_key(tmp_path: Path) -> None:
    path = write(tmp_path / "a.jsonl", '{"zh": "政策"}\n')
    with pytest.raises(InputError) as info:
        read_bilingual(path)
    assert str(info.value) == (
        f"{path}:1: key \"en\" (or 'target', 'tgt', 'mt') is missing; write each line as "
        '{"zh": "…", "en": "…"}'
    )


def test_jsonl_not_an_object(tmp_path: Path) -> None:
    path = write(tmp_path / "a.jsonl", '["政策", "policy"]\n')
    with pytest.raises(InputError, match=r"a\.jsonl:1: expected a JSON object, found list"):
        read_bilingual(path)


XLIFF12 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
  <file source-language="zh-CN" target-language="en" datatype="plaintext" original="a.txt">
    <body>
      <trans-unit id="1">
        <source>加快建设<g id="1">现代化产业体系</g><ph id="2">&lt;br/&gt;</ph></source>
        <target>Build a <g id="1">modern industrial system</g><ph id="2">&lt;br/&gt;</ph></target>
      </trans-unit>
      <trans-unit id="2">
        <source>十张网</source>
      </trans-unit>
    </body>
  </file>
</xliff>
"""

XLIFF20 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="zh" trgLang="en">
  <file id="f1">
    <unit id="u1">
      <segment><source>发展<pc id="1">新质生产力</pc></source>
        <target>develop <pc id="1">new forces</pc></target></segment>
      <ignorable><source> </source></ignorable>
      <segment><source>政策<ph id="2"/></source><target>policy<cp hex="0021"/></target></segment>
    </unit>
  </file>
</xliff>
"""


def test_xliff_12_keeps_inline_text_and_drops_native_code(tmp_path: Path) -> None:
    path = write(tmp_path / "a.xlf", XLIFF12)
    assert read_bilingual(path) == [
        Pair("加快建设现代化产业体系", "Build a modern industrial system", 6),
        Pair("十张网", "", 10),
    ]


def test_xliff_20_segments(tmp_path: Path) -> None:
    path = write(tmp_path / "a.xliff", XLIFF20)
    assert read_bilingual(path) == [
        Pair("发展新质生产力", "develop new forces", 5),
        Pair("政策", "policy!", 8),
    ]


def test_xliff_not_well_formed(tmp_path: Path) -> None:
    path = write(tmp_path / "a.xlf", "<xliff><file>\n<trans-unit>\n</xliff>")
    with pytest.raises(
        InputError, match=r"a\.xlf:3: not well-formed XML \(.*\); fix the file or export it again"
    ):
        read_bilingual(path)


def test_xliff_wrong_root(tmp_path: Path) -> None:
    path = write(tmp_path / "a.xlf", "<html/>")
    with pytest.raises(InputError) as info:
        read_bilingual(path)
    assert str(info.value) == f"{path}: root element is <html>, not <xliff>; export XLIFF 1.2 or 2.0"


def test_empty_bilingual_file(tmp_path: Path) -> None:
    path = write(tmp_path / "a.tsv", "\n\n")
    with pytest.raises(InputError) as info:
        read_bilingual(path)
    assert str(info.value) == f"{path}: no segments found; the file is empty"


def test_unknown_suffix(tmp_path: Path) -> None:
    path = write(tmp_path / "a.csv", "x")
    with pytest.raises(InputError) as info:
        read_bilingual(path)
    assert str(info.value) == (
        f"{path}: cannot tell the bilingual format from the suffix '.csv'; use one of "
        ".tsv, .jsonl, .xlf, .xliff, or give the source and the translation as two files"
    )


def test_two_documents_pair_by_paragraph_with_reflow(tmp_path: Path) -> None:
    source = write(tmp_path / "zh.txt", "加快建设现代化\n产业体系。\n\n发展新质生产力。\n")
    target = write(
        tmp_path / "en.txt",
        "We will build a modern industrial system and develop new quality\n"
        "productive forces according to local conditions.\n\n"
        "Develop new forces.\n",
    )
    assert read_pairs(source, target) == [
        Pair(
            "加快建设现代化产业体系。",
            "We will build a modern industrial system and develop new quality productive forces "
            "according to local conditions.",
            1,
        ),
        Pair("发展新质生产力。", "Develop new forces.", 4),
    ]


def test_two_documents_with_different_counts_show_the_divergence(tmp_path: Path) -> None:
    source = write(tmp_path / "zh.txt", "第一段。\n\n第二段。\n\n第三段。\n")
    target = write(tmp_path / "en.txt", "First.\n\nSecond.\n")
    with pytest.raises(InputError) as info:
        read_pairs(source, target)
    assert str(info.value) == (
        f"{source}: the source has 3 paragraphs but the translation {target} has 2; they first diverge at: "
        "source unit 3 (line 5, paragraph) “第三段。” vs translation has no unit 3; give both files the same "
        "paragraphs (or check one bilingual TSV/XLIFF file instead)"
    )


def test_divergence_found_by_length_ratio(tmp_path: Path) -> None:
    zh = ["第一段文字。", "第二段文字。", "第三段文字。", "第四段文字。", "第五段文字。"]
    en = [
        "One two three.",
        "Four five six.",
        "Seven eight nine. Ten eleven twelve thirteen fourteen.",
        "Nine.",
    ]
    source = write(tmp_path / "zh.txt", "\n\n".join(zh) + "\n")
    target = write(tmp_path / "en.txt", "\n\n".join(en) + "\n")
    with pytest.raises(
        InputError,
        match=r"diverge at: source unit 3 \(line 5, paragraph\) “第三段文字。” vs "
        r"translation unit 3 \(line 5, paragraph\) “Seven eight nine\. Ten eleven twelve thir…”",
    ):
        read_pairs(source, target)


def test_empty_translation_document(tmp_path: Path) -> None:
    source = write(tmp_path / "zh.txt", "第一段。\n")
    target = write(tmp_path / "en.txt", "\n")
    with pytest.raises(InputError) as info:
        read_pairs(source, target)
    assert str(info.value) == f"{target}: no paragraphs found; the file is empty"
