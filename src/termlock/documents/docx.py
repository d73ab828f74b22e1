"""The ``docx`` format: Word documents translated paragraph by paragraph, in place.

Every paragraph with Chinese text in the body and in table cells (nested tables too)
is a unit, in document order. Rendering replaces each such paragraph's text and keeps
its paragraph style and properties and the formatting of its first text run.

Limitation: formatting that changes inside a paragraph (a bold word, a hyperlink, a
different font for a number) is collapsed to the first run's formatting, because the
translation cannot be aligned with the source words. Runs without text (pictures,
field codes, bookmarks) are kept. Headers, footers, footnotes, comments and text
boxes are not translated.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import regex

from termlock.documents import Unit
from termlock.documents.textbase import check_count, join_wrapped
from termlock.errors import InputError

if TYPE_CHECKING:
    from docx.document import Document as WordDocument
    from docx.text.paragraph import Paragraph

_HAN = regex.compile(r"\p{Han}")
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_TEXT_TAGS = frozenset({f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}cr", f"{_W}noBreakHyphen", f"{_W}softHyphen"})


@dataclass
class DocxDocument:
    """A Word document with its Chinese paragraphs as units.

    Attributes:
        path: the input path or "-".
        units: one unit per paragraph with Chinese text (line is always 0).
        data: the original file, re-read for each render so render can be repeated.
        format: always "docx".
    """

    path: str
    units: list[Unit]
    data: bytes
    format: str = field(default="docx")

    def render(self, translations: Sequence[str]) -> bytes:
        """The document with each unit paragraph's text replaced (a .docx file's bytes)."""
        check_count(self.units, translations)
        document = _open(self.data, self.path)
        targets = [p for p, _ in _paragraphs(document) if _HAN.search(p.text)]
        if len(targets) != len(self.units):  # cannot happen: same bytes, same walk
            raise InputError("changed while being translated; run again", path=self.path)
        for paragraph, translation in zip(targets, translations, strict=True):
            _replace_text(paragraph, translation)
        out = io.BytesIO()
        document.save(out)
        return out.getvalue()


def read(path: str, data: bytes, *, reflow: bool = True) -> DocxDocument:
    """Parse a .docx file (``reflow`` has no effect: a paragraph is already one unit).

    Raises:
        InputError: the bytes are not a .docx file.
    """
    del reflow
    document = _open(data, path)
    units = [
        Unit(_unit_text(paragraph.text), kind, 0)
        for paragraph, kind in _paragraphs(document)
        if _HAN.search(paragraph.text)
    ]
    return DocxDocument(path, units, data)


def _open(data: bytes, path: str) -> WordDocument:
    import docx  # lazy: keeps `import termlock.documents` cheap
    from docx.opc.exceptions import PackageNotFoundError

    try:
        return docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise InputError(
            "is not a valid .docx file (an old .doc must first be saved as .docx in Word or "
            "LibreOffice: soffice --headless --convert-to docx FILE)",
            path=path,
        ) from exc


def _unit_text(text: str) -> str:
    # A manual line break inside a paragraph is layout, not a sentence boundary.
    return join_wrapped(part.strip() for part in text.split("\n"))


def _paragraphs(document: WordDocument) -> Iterator[tuple[Paragraph, str]]:
    """Every paragraph of the body and of its tables (nested too), in document order."""
    yield from _walk(document, in_table=False)


def _walk(container: Any, *, in_table: bool) -> Iterator[tuple[Paragraph, str]]:
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for item in container.iter_inner_content():
        if isinstance(item, Paragraph):
            yield item, _kind(item, in_table)
        elif isinstance(item, Table):
            for row in item.rows:
                seen: set[int] = set()
                for cell in row.cells:
                    if id(cell._tc) in seen:  # a merged cell appears once per grid column
                        continue
                    seen.add(id(cell._tc))
                    yield from _walk(cell, in_table=True)


def _kind(paragraph: Paragraph, in_table: bool) -> str:
    if in_table:
        return "table-cell"
    style = paragraph.style.name if paragraph.style is not None and paragraph.style.name else ""
    if style.startswith(("Heading", "Title", "Subtitle")):
        return "heading"
    properties = paragraph._p.pPr
    if style.startswith("List") or (properties is not None and properties.numPr is not None):
        return "list-item"
    return "paragraph"


def _replace_text(paragraph: Paragraph, text: str) -> None:
    """Put ``text`` in the first text run and drop the text of all the others."""
    runs = [r for r in paragraph._p.iter(f"{_W}r") if any(child.tag in _TEXT_TAGS for child in r)]
    if not runs:
        paragraph.add_run(text)
        return
    first, rest = runs[0], runs[1:]
    for child in [c for c in first if c.tag in _TEXT_TAGS]:
        first.remove(child)
    from docx.oxml.ns import qn
    from docx.oxml.parser import OxmlElement

    node = OxmlElement("w:t")
    node.text = text
    node.set(qn("xml:space"), "preserve")
    first.append(node)
    for run in rest:
        for child in [c for c in run if c.tag in _TEXT_TAGS]:
            run.remove(child)
        if all(child.tag == f"{_W}rPr" for child in run):
            parent = run.getparent()
            if parent is not None:
                parent.remove(run)
