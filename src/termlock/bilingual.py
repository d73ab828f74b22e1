"""Side-by-side bilingual view of a translation (``translate --bilingual PATH.html|.md``).

One table row per unit: the source with every glossary term highlighted, the
translation with each credited rendering highlighted, missed terms flagged. A summary
and a legend come first, the signature last. The HTML is self-contained (inline CSS, no
script), so it can be mailed or archived as one file; every text is escaped.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from termlock.errors import UsageError
from termlock.results import DocumentResult, Occurrence, UnitResult

Span = tuple[int, int]
T = TypeVar("T")

_CSS = """
body { font-family: system-ui, sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #ccc; padding: .4em .6em; vertical-align: top; text-align: left; }
th { background: #f3f3f3; }
td.n { color: #888; width: 3em; }
tr.has-missed td { background: #fff6f6; }
mark.term { background: #dbeafe; }
mark.rendering { background: #dcfce7; }
mark.term.missed { background: #fecaca; text-decoration: underline wavy #b91c1c; }
.flag { display: inline-block; margin-top: .3em; color: #b91c1c; font-weight: bold; }
.forbidden { color: #9a3412; font-weight: bold; }
.summary { font-size: 1.1em; }
.summary .missed-count { color: #b91c1c; font-weight: bold; }
.legend span { margin-right: 1.5em; }
.signature { font-family: ui-monospace, monospace; font-size: .85em; color: #555; }
tr.heading td { font-weight: bold; }
"""


def _spans_markup(text: str, spans: Sequence[tuple[int, int, T]], wrap: Callable[[str, T], str]) -> str:
    """Escape ``text``, wrapping each (start, end, payload) span with ``wrap(escaped, payload)``."""
    out: list[str] = []
    position = 0
    for start, end, payload in sorted(spans, key=lambda span: (span[0], span[1])):
        if start < position:
            continue  # never nest; spans come from non-overlapping matches anyway
        out.append(html.escape(text[position:start]))
        out.append(wrap(html.escape(text[start:end]), payload))
        position = end
    out.append(html.escape(text[position:]))
    return "".join(out)


def _html_source(unit: UnitResult) -> str:
    def wrap(inner: str, occ: Occurrence) -> str:
        state = "ok" if occ.satisfied else "missed"
        tip = html.escape(f"{occ.term} → {occ.rendering}", quote=True)
        return f'<mark class="term {state}" title="{tip}">{inner}</mark>'

    return _spans_markup(unit.source, [(o.start, o.end, o) for o in unit.occurrences], wrap)


def _html_target(unit: UnitResult) -> str:
    credited = [(o.target[0], o.target[1], o.term) for o in unit.occurrences if o.target is not None]

    def wrap(inner: str, term: str) -> str:
        return f'<mark class="rendering" title="{html.escape(term, quote=True)}">{inner}</mark>'

    cell = _spans_markup(unit.text, credited, wrap)
    for occ in unit.occurrences:
        if not occ.satisfied:
            cell += (
                f'<br><span class="flag missed">⚠ missed: {html.escape(occ.term)} → '
                f"“{html.escape(occ.rendering)}”</span>"
            )
        if occ.forbidden_found:
            cell += (
                f'<br><span class="forbidden">forbidden: {html.escape(", ".join(occ.forbidden_found))}</span>'
            )
    return cell


def _missed(occs: Sequence[Occurrence]) -> int:
    return sum(not occ.satisfied for occ in occs)


def render_html(result: DocumentResult, title: str) -> bytes:
    """Render the bilingual view as one self-contained HTML page."""
    totals = result.totals
    rows = []
    for index, unit in enumerate(result.units, 1):
        classes = [html.escape(unit.kind)] + (["has-missed"] if _missed(unit.occurrences) else [])
        rows.append(
            f'<tr class="{" ".join(classes)}"><td class="n">{index}</td>'
            f'<td class="source" lang="zh">{_html_source(unit)}</td>'
            f'<td class="target" lang="en">{_html_target(unit)}</td></tr>'
        )
    missed_class = "missed-count" if totals.missed else "ok-count"
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>{_CSS}</style></head>
<body>
<h1>{html.escape(title)}</h1>
<p class="summary">{totals.units} units, {totals.segments} segments, terms: {totals.occurrences} found,
{totals.enforced} enforced, {totals.satisfied} satisfied,
<span class="{missed_class}">{totals.missed} missed</span>, {totals.forbidden} with a forbidden rendering.</p>
<p class="legend"><span><mark class="term ok">term</mark> glossary term (source)</span>
<span><mark class="rendering">rendering</mark> required rendering found (translation)</span>
<span><mark class="term missed">term</mark> <span class="flag">⚠ missed</span> rendering not found</span></p>
<table>
<thead><tr><th>#</th><th>Source</th><th>Translation</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody>
</table>
<p class="signature">{html.escape(result.signature.text)}</p>
</body></html>
"""
    return page.encode("utf-8")


def _md_escape(text: str) -> str:
    for char in "\\|*_`<>[]#":
        text = text.replace(char, "\\" + char)
    return text.replace("\n", " ")


def _md_cell(text: str, spans: Sequence[Span]) -> str:
    out, position = [], 0
    for start, end in sorted(spans):
        if start < position:
            continue
        out += [_md_escape(text[position:start]), "**", _md_escape(text[start:end]), "**"]
        position = end
    out.append(_md_escape(text[position:]))
    return "".join(out)


def render_markdown(result: DocumentResult, title: str) -> bytes:
    """Render the bilingual view as a Markdown table (terms and renderings in bold)."""
    totals = result.totals
    lines = [
        f"# {_md_escape(title)}",
        "",
        f"{totals.units} units, {totals.segments} segments, terms: {totals.occurrences} found, "
        f"{totals.enforced} enforced, {totals.satisfied} satisfied, {totals.missed} missed",
        "",
        "Legend: **bold** = glossary term (source) / required rendering found (translation); "
        "⚠ missed = rendering not found.",
        "",
        "| # | Source | Translation |",
        "|---|---|---|",
    ]
    for index, unit in enumerate(result.units, 1):
        source = _md_cell(unit.source, [(o.start, o.end) for o in unit.occurrences])
        target = _md_cell(unit.text, [o.target for o in unit.occurrences if o.target is not None])
        flags = [
            f"⚠ missed: {_md_escape(o.term)} → “{_md_escape(o.rendering)}”"
            for o in unit.occurrences
            if not o.satisfied
        ]
        lines.append(f"| {index} | {source} | {'<br>'.join([target, *flags])} |")
    lines += ["", f"`{result.signature.text}`", ""]
    return "\n".join(lines).encode("utf-8")


#: Bilingual renderers by file extension.
RENDERERS: dict[str, Callable[[DocumentResult, str], bytes]] = {
    ".html": render_html,
    ".htm": render_html,
    ".md": render_markdown,
}


def renderer_for(path: str) -> Callable[[DocumentResult, str], bytes]:
    """Pick the renderer from the file extension.

    Raises:
        UsageError: the extension is not one of :data:`RENDERERS`.
    """
    suffix = Path(path).suffix.lower()
    if suffix not in RENDERERS:
        raise UsageError(f"--bilingual {path}: unknown extension; use one of: {', '.join(RENDERERS)}")
    return RENDERERS[suffix]


def render_bilingual(result: DocumentResult, path: str, *, title: str) -> bytes:
    """Render the bilingual view in the format ``path``'s extension names."""
    return renderer_for(path)(result, title)
