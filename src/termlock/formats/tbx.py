"""TBX (ISO 30042:2019, TBX-Basic dialect): one ``conceptEntry`` per glossary entry.

Mapping (export, and import of what termlock exported, is lossless)::

    conceptEntry
      admin type="source"          Entry.source  (omitted when empty)
      note                         Entry.note    (omitted when empty)
      langSec xml:lang="zh"
        termSec  term              Entry.term; termNote administrativeStatus = Entry.status
        termSec  term              each variant; termNote termType "variant"
      langSec xml:lang="en"
        termSec  term              Entry.rendering, preferredTerm-admn-sts;
                                   termNote type "x-quoted" = "yes" when Entry.quoted
        termSec  term              each admitted rendering, admittedTerm-admn-sts
        termSec  term              each forbidden rendering, deprecatedTerm-admn-sts

TBX-Basic has no "forbidden" status, so forbidden renderings are written as deprecated
terms (the file says so in a comment) and deprecated or superseded English terms are read
back as forbidden. ``x-quoted`` is termlock's own category: TBX-Basic has none for it.

Import is lenient so that TBX v2 (``martif``) files of other tools load too: any
namespace, ``termEntry``/``langSet``/``tig``/``ntig`` as well as the v3 names, language
tags like ``zh-CN`` or ``en-US``; without status, the first English term is the
rendering and the others are admitted, the first Chinese term is the term.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from termlock.entry import Entry, Status
from termlock.errors import GlossaryError
from termlock.formats.base import GlossaryFormat, checked, no_duplicates

if TYPE_CHECKING:
    from lxml.etree import _Element

TBX_NS = "urn:iso:std:iso:30042:ed-2"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_ADMN: dict[str, str] = {
    "preferred": "preferredTerm-admn-sts",
    "admitted": "admittedTerm-admn-sts",
    "deprecated": "deprecatedTerm-admn-sts",
}
_STATUS_OF: dict[str, Status] = {
    "preferredterm": "preferred",
    "admittedterm": "admitted",
    "deprecatedterm": "deprecated",
    "supersededterm": "deprecated",
}
QUOTED = "x-quoted"
_LANGS = {"zh": "zh", "zho": "zh", "chi": "zh", "cmn": "zh", "en": "en", "eng": "en"}
FORBIDDEN_COMMENT = (
    " TBX-Basic has no 'forbidden' status: termlock writes forbidden English renderings as "
    "deprecatedTerm-admn-sts and reads deprecated or superseded English terms back as forbidden. "
)


def _q(tag: str) -> str:
    return f"{{{TBX_NS}}}{tag}"


def _sub(parent: _Element, tag: str, text: str | None = None, **attrs: str) -> _Element:
    from lxml import etree

    element = etree.SubElement(parent, _q(tag), attrs)
    element.text = text
    return element


def _term_sec(lang_sec: _Element, text: str, status: str, *, variant: bool = False) -> _Element:
    sec = _sub(lang_sec, "termSec")
    _sub(sec, "term", text)
    if variant:
        _sub(sec, "termNote", "variant", type="termType")
    _sub(sec, "termNote", _ADMN[status], type="administrativeStatus")
    return sec


def _concept(body: _Element, entry: Entry, number: int) -> None:
    concept = _sub(body, "conceptEntry", id=f"c{number}")
    if entry.source:
        _sub(concept, "admin", entry.source, type="source")
    if entry.note:
        _sub(concept, "note", entry.note)
    zh = _sub(concept, "langSec", **{_XML_LANG: "zh"})
    _term_sec(zh, entry.term, entry.status)
    for variant in entry.variants:
        _term_sec(zh, variant, "admitted", variant=True)
    en = _sub(concept, "langSec", **{_XML_LANG: "en"})
    preferred = _term_sec(en, entry.rendering, "preferred")
    if entry.quoted:
        _sub(preferred, "termNote", "yes", type=QUOTED)
    for admitted in entry.admitted:
        _term_sec(en, admitted, "admitted")
    for forbidden in entry.forbidden:
        _term_sec(en, forbidden, "deprecated")


def write(entries: Sequence[Entry]) -> bytes:
    """Serialize entries as a TBX-Basic document (UTF-8, indented)."""
    from lxml import etree  # lazy: only this format needs lxml

    root = etree.Element(
        _q("tbx"),
        {"type": "TBX-Basic", "style": "dca", _XML_LANG: "en"},
        nsmap={None: TBX_NS},  # type: ignore[dict-item]  # stubs lack the default ns
    )
    source_desc = _sub(_sub(_sub(root, "tbxHeader"), "fileDesc"), "sourceDesc")
    _sub(source_desc, "p", "Exported by termlock: Chinese-English policy glossary")
    body = _sub(_sub(root, "text"), "body")
    body.append(etree.Comment(FORBIDDEN_COMMENT))
    for number, entry in enumerate(sorted(entries, key=lambda e: e.term), start=1):
        _concept(body, entry, number)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


@dataclass(frozen=True)
class _Term:
    text: str
    status: Status | None
    variant: bool
    quoted: bool


def _local(element: _Element) -> str:
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _text(element: _Element) -> str:
    return "".join(str(text) for text in element.itertext())


def _line(element: _Element) -> int:
    # lxml-stubs type sourceline oddly; it is an int or None at run time.
    value: Any = element.sourceline
    return int(value or 0)


def _status(value: str) -> Status | None:
    return _STATUS_OF.get(value.strip().lower().removesuffix("-admn-sts"))


def _terms(lang_sec: _Element) -> list[_Term]:
    terms = []
    for holder in lang_sec.iter():
        if _local(holder) not in ("termSec", "tig", "ntig"):
            continue
        term = next((el for el in holder.iter() if _local(el) == "term"), None)
        if term is None:
            continue
        notes = {el.get("type", ""): _text(el) for el in holder.iter() if _local(el) == "termNote"}
        terms.append(
            _Term(
                _text(term),
                _status(notes.get("administrativeStatus", "")),
                notes.get("termType") == "variant",
                notes.get(QUOTED) == "yes",
            )
        )
    return terms


def _language(lang_sec: _Element) -> str:
    tag = (lang_sec.get(_XML_LANG) or lang_sec.get("lang") or "").lower()
    return _LANGS.get(tag.replace("_", "-").split("-")[0], "")


def _by_language(concept: _Element) -> dict[str, list[_Term]]:
    found: dict[str, list[_Term]] = {"zh": [], "en": []}
    for child in concept:
        if _local(child) in ("langSec", "langSet") and _language(child) in found:
            found[_language(child)].extend(_terms(child))
    return found


def _typed(concept: _Element, names: tuple[str, ...], kind: str) -> list[str]:
    """Texts of ``names`` elements (any depth) and of elements whose type is ``kind``."""
    texts: list[str] = []
    for el in concept.iter():
        if (_local(el) in names or el.get("type") == kind) and _local(el) != "termNote":
            text = _text(el)
            if text and text not in texts:
                texts.append(text)
    return texts


def _notes(concept: _Element) -> str:
    notes = [_text(el) for el in concept if _local(el) == "note" or el.get("type") == "definition"]
    return " / ".join(n for n in notes if n)


def _split_en(terms: list[_Term]) -> tuple[_Term | None, list[str], list[str]]:
    forbidden = [t.text for t in terms if t.status == "deprecated"]
    allowed = [t for t in terms if t.status != "deprecated"]
    rendering = next((t for t in allowed if t.status == "preferred"), allowed[0] if allowed else None)
    admitted = [t.text for t in allowed if t is not rendering]
    return rendering, admitted, forbidden


def _entry(concept: _Element, path: str) -> Entry:
    line = _line(concept)
    langs = _by_language(concept)
    if not langs["zh"]:
        raise GlossaryError(
            "entry without a Chinese term (langSec xml:lang='zh'); add one or remove the entry",
            path=path,
            line=line,
        )
    term = next((t for t in langs["zh"] if not t.variant), langs["zh"][0])
    rendering, admitted, forbidden = _split_en(langs["en"])
    if rendering is None:
        raise GlossaryError(
            f"entry {term.text!r} has no English term that is not deprecated "
            "(langSec xml:lang='en'); add one",
            path=path,
            line=line,
        )
    entry = Entry(
        term=term.text,
        rendering=rendering.text,
        variants=tuple(t.text for t in langs["zh"] if t is not term),
        admitted=tuple(admitted),
        forbidden=tuple(forbidden),
        status=term.status or "preferred",
        quoted=rendering.quoted,
        note=_notes(concept),
        source="; ".join(_typed(concept, ("source",), "source")),
    )
    return checked(entry, path, line)


def read(data: bytes, path: str) -> list[Entry]:
    """Parse a TBX v3 (``tbx``) or TBX v2 (``martif``) file."""
    from lxml import etree  # lazy: only this format needs lxml

    # No entity expansion, no network: a glossary file must not be able to read others.
    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise GlossaryError(
            f"not well-formed XML, so not a TBX file: {exc.msg}; fix the XML or pass the right --format",
            path=path,
            line=exc.lineno,
        ) from None
    if _local(root) not in ("tbx", "martif"):
        raise GlossaryError(
            f"XML, but not TBX: the root element is <{_local(root)}>, "
            "expected <tbx> (TBX v3) or <martif> (TBX v2)",
            path=path,
            line=_line(root),
        )
    concepts = [el for el in root.iter() if _local(el) in ("conceptEntry", "termEntry")]
    return no_duplicates([_entry(concept, path) for concept in concepts], path)


FORMAT = GlossaryFormat(
    name="tbx",
    extensions=("tbx", "xml"),
    read=read,
    write=write,
    lossless=True,
    description="TBX-Basic (ISO 30042) XML; also reads TBX v2 (martif) files",
)
