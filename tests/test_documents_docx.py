"""docx format: Chinese paragraphs (body and tables, nested too) are units, replaced in place.

The .docx files are built with python-docx at test time; no binary fixtures.
"""

from __future__ import annotations

import io

import docx
import pytest
from docx.shared import Pt

from termlock.documents import read_document
from termlock.errors import InputError


def build() -> bytes:
    document = docx.Document()
    document.add_heading("关于加快发展的通知", level=1)
    paragraph = document.add_paragraph("各地区要", style="Quote")
    first = paragraph.runs[0]
    first.bold = True
    first.font.size = Pt(15)
    paragraph.add_run("提高站位").italic = True
    paragraph.add_run("，落实\n责任。")
    document.add_paragraph("English only, no Chinese.")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "名称"
    table.cell(1, 1).text = "说明文字"
    nested = table.cell(0, 1).add_table(rows=1, cols=1)
    nested.cell(0, 0).text = "嵌套单元格"
    document.add_paragraph("列表项目", style="List Bullet")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_units_in_document_order() -> None:
    units = read_document("a.docx", data=build()).units
    assert [(u.text, u.kind, u.line) for u in units] == [
        ("关于加快发展的通知", "heading", 0),
        ("各地区要提高站位，落实责任。", "paragraph", 0),
        ("名称", "table-cell", 0),
        ("嵌套单元格", "table-cell", 0),
        ("说明文字", "table-cell", 0),
        ("列表项目", "list-item", 0),
    ]


def test_render_replaces_text_and_keeps_styles() -> None:
    document = read_document("a.docx", data=build())
    translations = ["Notice", "All regions must act.", "Name", "Nested cell", "Description", "Item"]
    result = docx.Document(io.BytesIO(document.render(translations)))
    texts = [p.text for p in result.paragraphs]
    assert texts == ["Notice", "All regions must act.", "English only, no Chinese.", "Item"]
    assert [p.style.name for p in result.paragraphs if p.style is not None] == [
        "Heading 1",
        "Quote",
        "Normal",
        "List Bullet",
    ]
    runs = result.paragraphs[1].runs
    assert len(runs) == 1 and runs[0].bold and runs[0].font.size == Pt(15)
    table = result.tables[0]
    assert table.cell(0, 0).text == "Name" and table.cell(1, 1).text == "Description"
    assert table.cell(0, 1).tables[0].cell(0, 0).text == "Nested cell"


def test_render_can_be_repeated() -> None:
    document = read_document("a.docx", data=build())
    first = document.render([str(i) for i in range(6)])
    second = document.render([str(i) for i in range(6)])
    assert [p.text for p in docx.Document(io.BytesIO(first)).paragraphs] == [
        p.text for p in docx.Document(io.BytesIO(second)).paragraphs
    ]


def test_wrong_number_of_translations_is_a_caller_error() -> None:
    document = read_document("a.docx", data=build())
    with pytest.raises(ValueError, match="one translation per unit"):
        document.render(["only one"])


def test_not_a_docx_is_refused() -> None:
    with pytest.raises(InputError, match=r"old\.docx: .*not a valid \.docx"):
        read_document("old.docx", data=b"\xd0\xcf\x11\xe0 an old .doc file")
