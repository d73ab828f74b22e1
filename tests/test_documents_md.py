"""md format: prose becomes units; everything else is kept byte-for-byte."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from termlock.documents import Unit, read_document
from termlock.documents.markdown import MarkdownDocument

SOURCE = """---
title: 政府工作报告
tags: [政策]
---
# 一、总体要求 ##

坚持稳中求进工作总基调。详见 `docs/plan.md` 文件。

> 引用的内容。

- 第一项：[国务院文件](https://www.gov.cn/a_(b).html "标题")。
- 第二项，参见 https://gov.cn/x.html。
  1. 嵌套的项目。

| 名称 | 说明 |
|------|-----|
| 甲方 | 乙\\|丙 |

```python
print("代码不翻译")
```

    缩进代码不翻译

<div align="center">HTML 块不翻译</div>

**重要：**请注意<br>换行和 <https://example.org/路径> 链接。

![图片说明](img/a.png) 图注文字
"""


def read(source: str = SOURCE) -> MarkdownDocument:
    document = read_document("a.md", data=source.encode("utf-8"))
    assert isinstance(document, MarkdownDocument)
    return document


def test_units_and_kinds() -> None:
    units = read().units
    assert [(u.text, u.kind) for u in units] == [
        ("一、总体要求", "heading"),
        ("坚持稳中求进工作总基调。详见", "paragraph"),
        ("文件。", "paragraph"),
        ("引用的内容。", "quote"),
        ("第一项：", "list-item"),
        ("国务院文件", "list-item"),
        ("第二项，参见", "list-item"),
        ("嵌套的项目。", "list-item"),
        ("名称", "table-cell"),
        ("说明", "table-cell"),
        ("甲方", "table-cell"),
        ("乙|丙", "table-cell"),
        ("重要：**请注意", "paragraph"),
        ("换行和", "paragraph"),
        ("链接。", "paragraph"),
        ("图注文字", "paragraph"),
    ]
    assert units[0].line == 5 and units[3].line == 9 and units[-1].line == 29


def test_identity_render_reproduces_the_file() -> None:
    document = read()
    assert document.render([u.text for u in document.units]).decode("utf-8") == SOURCE


def test_render_replaces_only_prose() -> None:
    document = read()
    out = document.render([f"T{i}" for i in range(len(document.units))]).decode("utf-8")
    for kept in (
        "title: 政府工作报告\ntags: [政策]\n",
        "`docs/plan.md`",
        '](https://www.gov.cn/a_(b).html "标题")',
        "https://gov.cn/x.html。",
        'print("代码不翻译")',
        "    缩进代码不翻译",
        '<div align="center">HTML 块不翻译</div>',
        "<https://example.org/路径>",
        "![图片说明](img/a.png)",
        "|------|-----|",
    ):
        assert kept in out
    assert "# T0 ##\n" in out
    assert "T1 `docs/plan.md` T2" in out
    assert "- T4[T5](https" in out
    assert "| T10 | T11\\|" not in out and "| T10 | T11 |" in out
    assert "坚持" not in out and "引用" not in out


def test_soft_line_breaks_are_joined() -> None:
    document = read("> 第一行没有\n> 结束，第二行\n> continues here\n> and here。\n")
    assert document.units == [Unit("第一行没有结束，第二行continues here and here。", "quote", 1)]
    assert document.render(["Joined."]) == b"> Joined.\n"


def test_code_span_across_lines_keeps_its_prefixes() -> None:
    document = read("> 运行 `a\n> b` 命令\n")
    assert [u.text for u in document.units] == ["运行", "命令"]
    assert document.render(["Run", "now"]) == b"> Run `a\n> b` now\n"


def test_setext_heading_and_front_matter_only_at_top() -> None:
    document = read("标题\n===\n\n正文。\n\n---\nkey: 值\n---\n")
    assert [(u.text, u.kind) for u in document.units] == [
        ("标题", "heading"),
        ("正文。", "paragraph"),
        ("key: 值", "heading"),
    ]


def test_empty_markdown() -> None:
    document = read("")
    assert document.units == [] and document.render([]) == b""


_PROSE = st.text(alphabet="发展经济，。！ abc", min_size=1, max_size=20).map(str.strip).filter(bool)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["", "# ", "> ", "- ", "1. "]), _PROSE), min_size=1, max_size=6))
def test_identity_render_round_trips(blocks: list[tuple[str, str]]) -> None:
    source = "".join(f"{marker}{text}\n\n" for marker, text in blocks)
    document = read(source)
    assert document.render([u.text for u in document.units]).decode() == source
