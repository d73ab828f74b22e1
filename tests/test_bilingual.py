"""The bilingual view: terms and renderings highlighted, missed terms flagged, text escaped."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from termlock.bilingual import render_bilingual, render_html, render_markdown, renderer_for
from termlock.errors import UsageError
from termlock.translator import DocumentResult, Totals, UnitResult
from test_report import sample_result


def with_markup_in_texts(result: DocumentResult) -> DocumentResult:
    unit = result.units[0]
    units = [
        replace(unit, source="<b>" + unit.source, text=unit.text + " <script>x</script>"),
        *result.units[1:],
    ]
    shifted = replace(
        unit.segments[0],
        occurrences=[replace(o, start=o.start + 3, end=o.end + 3) for o in unit.segments[0].occurrences],
    )
    units[0] = replace(units[0], segments=[shifted])
    return replace(result, units=units, totals=Totals.of(units))


def test_html_highlights_terms_and_renderings() -> None:
    page = render_html(sample_result(), "in.txt").decode("utf-8")
    assert '<mark class="term ok" title="高质量发展 → high-quality development">高质量发展</mark>' in page
    assert '<mark class="rendering" title="高质量发展">high-quality development</mark>' in page
    assert "Promote <mark" in page and "</mark>." in page


def test_html_flags_missed_terms_with_summary_and_legend() -> None:
    page = render_html(sample_result(), "in.txt").decode("utf-8")
    assert (
        '<mark class="term missed" title="新质生产力 → new quality productive forces">新质生产力</mark>'
        in page
    )
    assert '<span class="flag missed">⚠ missed: 新质生产力 → “new quality productive forces”</span>' in page
    assert '<span class="forbidden">forbidden: new productivity</span>' in page
    assert re.search(r'<tr class="heading has-missed"><td class="n">2</td>', page)
    assert '<span class="missed-count">1 missed</span>' in page
    assert 'class="legend"' in page
    assert '<p class="signature">termlock:0.1.0|model:m@r|glossary:abc</p>' in page


def test_html_is_self_contained_and_escaped() -> None:
    page = render_html(with_markup_in_texts(sample_result()), "<in>.txt").decode("utf-8")
    assert "<script" not in page and "&lt;script&gt;x&lt;/script&gt;" in page
    assert "&lt;b&gt;推动<mark" in page  # offsets still land on the term after escaping
    assert "<title>&lt;in&gt;.txt</title>" in page
    assert "<style>" in page and "http" not in page.replace("http-equiv", "")


def test_markdown_table() -> None:
    text = render_markdown(sample_result(), "in.txt").decode("utf-8")
    lines = text.splitlines()
    assert "| # | Source | Translation |" in lines
    assert "| 1 | 推动**高质量发展**。 | Promote **high-quality development**. |" in lines
    assert (
        "| 2 | **新质生产力** | New productivity<br>⚠ missed: 新质生产力 → “new quality productive forces” |"
        in lines
    )
    assert "2 units, 2 segments, terms: 2 found, 2 enforced, 1 satisfied, 1 missed" in lines
    assert lines[-1] == "`termlock:0.1.0|model:m@r|glossary:abc`"


def test_markdown_escapes_table_syntax() -> None:
    result = sample_result()
    unit = UnitResult("a|b", "x*y*", "paragraph", 1, [])
    text = render_markdown(replace(result, units=[unit]), "t").decode("utf-8")
    assert "| 1 | a\\|b | x\\*y\\* |" in text.splitlines()


@pytest.mark.parametrize(
    ("path", "renderer"), [("v.html", render_html), ("V.HTM", render_html), ("v.md", render_markdown)]
)
def test_renderer_by_extension(path: str, renderer: object) -> None:
    assert renderer_for(path) is renderer
    assert render_bilingual(sample_result(), path, title="t") == renderer(sample_result(), "t")  # type: ignore[operator]


def test_unknown_extension_is_a_usage_error() -> None:
    with pytest.raises(UsageError) as info:
        renderer_for("view.pdf")
    assert str(info.value) == "--bilingual view.pdf: unknown extension; use one of: .html, .htm, .md"
