"""Read source/translation segment pairs: bilingual files (TSV, JSONL, XLIFF) or two documents.

``termlock check`` works on pairs; this module turns whatever a translator hands in into
them. Bilingual formats are chosen by suffix through :data:`READERS` (a registry, so a new
format is one function). Two separate documents are read with
:func:`termlock.documents.read_document` so a hard-wrapped source reflows exactly as it
does for ``termlock translate``; then unit N of the source pairs with unit N of the
translation, and a different structure is reported where it first diverges.
"""

from __future__ import annotations

import json
import statistics
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from termlock.errors import InputError

#: Keys accepted for the source and the target of one JSONL record, first match wins.
SOURCE_KEYS = ("zh", "source", "src")
TARGET_KEYS = ("en", "target", "tgt", "mt")


@dataclass(frozen=True)
class Pair:
    """One source segment and its translation.

    Attributes:
        source: the Chinese segment.
        target: its English translation (empty when untranslated).
        line: line of the segment in the (source) file, 0 when unknown.
    """

    source: str
    target: str
    line: int = 0


def read_text(path: Path) -> str:
    """Read a text file, decoding it the way every termlock reader does.

    Raises:
        InputError: the file is missing, unreadable or cannot be decoded.
    """
    from termlock.encoding import decode, read_bytes  # the shared detector (UTF-8/UTF-16/GB18030 ...)

    data = read_bytes(path)
    return decode(data, str(path))


def _nonblank_lines(text: str) -> Iterator[tuple[int, str]]:
    for number, raw in enumerate(text.lstrip("\ufeff").split("\n"), start=1):
        line = raw.rstrip("\r")
        if line.strip():
            yield number, line


def tsv_rows(text: str, path: Path, *, columns: Sequence[int], layout: str) -> list[tuple[int, list[str]]]:
    """Split TSV text into (line number, fields) rows, checking the column count.

    Args:
        text: the decoded file.
        path: the file, for messages.
        columns: the allowed numbers of columns.
        layout: the expected layout shown in the message (``zh<TAB>en``).

    Raises:
        InputError: a row with a different number of columns, at its line.
    """
    rows = []
    for number, line in _nonblank_lines(text):
        fields = line.split("\t")
        if len(fields) not in columns:
            found = "no tab" if len(fields) == 1 else f"{len(fields)} columns"
            raise InputError(
                f"expected {layout} (one tab between the columns), found {found}; "
                "put exactly one tab between the Chinese source and the English translation",
                path=path,
                line=number,
            )
        rows.append((number, fields))
    return rows


def _read_tsv(path: Path) -> list[Pair]:
    rows = tsv_rows(read_text(path), path, columns=(2,), layout="zh<TAB>en")
    return [Pair(fields[0].strip(), fields[1].strip(), number) for number, fields in rows]


def _pick(record: dict[str, Any], keys: Sequence[str]) -> Any:
    return next((record[key] for key in keys if key in record), None)


def jsonl_records(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield (line number, object) for each non-blank line of a JSONL file.

    Raises:
        InputError: a line that is not a JSON object, at its line.
    """
    example = '{"zh": "…", "en": "…"}'
    for number, line in _nonblank_lines(read_text(path)):
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(
                f"not valid JSON ({exc.msg} at column {exc.colno}); "
                f"each line must be one object like {example}",
                path=path,
                line=number,
            ) from exc
        if not isinstance(record, dict):
            raise InputError(
                f"expected a JSON object, found {type(record).__name__}; "
                f"write one object like {example} per line",
                path=path,
                line=number,
            )
        yield number, record


def record_pair(record: dict[str, Any], path: Path, number: int) -> Pair:
    """Return the pair a JSONL record holds (``zh``/``en``, or ``source``/``target``).

    Raises:
        InputError: a key is missing or its value is not a string.
    """
    source, target = _pick(record, SOURCE_KEYS), _pick(record, TARGET_KEYS)
    for value, keys in ((source, SOURCE_KEYS), (target, TARGET_KEYS)):
        if not isinstance(value, str):
            what = "missing" if value is None else f"not a string ({type(value).__name__})"
            raise InputError(
                f'key "{keys[0]}" (or {", ".join(repr(k) for k in keys[1:])}) is {what}; '
                'write each line as {"zh": "…", "en": "…"}',
                path=path,
                line=number,
            )
    return Pair(source.strip(), target.strip(), number)


def _read_jsonl(path: Path) -> list[Pair]:
    return [record_pair(record, path, number) for number, record in jsonl_records(path)]


# Inline elements whose content is native markup (XLIFF 1.2 bpt/ept/ph/it, 2.0 originalData),
# not translatable text: their content is dropped, while the text of g/mrk/pc is kept.
_NATIVE_CODE = frozenset({"bpt", "ept", "ph", "it", "sub", "originalData"})


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _inline_text(element: Any) -> str:
    parts = [element.text or ""]
    for child in element:
        name = _local(child.tag)
        if name == "cp" and child.get("hex"):
            parts.append(chr(int(child.get("hex"), 16)))  # XLIFF 2.0 escaped code point
        elif name not in _NATIVE_CODE:
            parts.append(_inline_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _child(element: Any, name: str) -> Any:
    return next((c for c in element if _local(c.tag) == name), None)


def _xliff_pairs(root: Any) -> Iterator[Pair]:
    # 1.2 has <trans-unit><source/><target/>; 2.0 has <unit><segment><source/><target/>.
    # Matching on local names handles both namespaces (and files that omit them).
    for element in root.iter():
        name = _local(element.tag)
        if name not in ("trans-unit", "segment"):
            continue
        source = _child(element, "source")
        if source is None:
            continue
        target = _child(element, "target")
        target_text = "" if target is None else _inline_text(target)
        yield Pair(_inline_text(source).strip(), target_text.strip(), source.sourceline or 0)


def _read_xliff(path: Path) -> list[Pair]:
    from lxml import etree

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", path=path) from exc
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if isinstance(exc.lineno, int) else None
        raise InputError(
            f"not well-formed XML ({exc.msg}); fix the file or export it again from the CAT tool",
            path=path,
            line=line,
        ) from exc
    if _local(root.tag) != "xliff":
        raise InputError(
            f"root element is <{_local(root.tag)}>, not <xliff>; export XLIFF 1.2 or 2.0", path=path
        )
    return list(_xliff_pairs(root))


#: Bilingual file readers by suffix.
READERS: dict[str, Callable[[Path], list[Pair]]] = {
    ".tsv": _read_tsv,
    ".jsonl": _read_jsonl,
    ".xlf": _read_xliff,
    ".xliff": _read_xliff,
}


def read_bilingual(path: Path) -> list[Pair]:
    """Read one bilingual file (TSV ``zh<TAB>en``, JSONL, XLIFF 1.2/2.0), chosen by suffix.

    Raises:
        InputError: unknown suffix, malformed row (at its line) or no segments at all.
    """
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise InputError(
            f"cannot tell the bilingual format from the suffix {path.suffix or '(none)'!r}; use one of "
            f"{', '.join(READERS)}, or give the source and the translation as two files",
            path=path,
        )
    if not path.exists():
        raise InputError("file not found; check the path", path=path)
    pairs = reader(path)
    if not pairs:
        raise InputError("no segments found; the file is empty", path=path)
    return pairs


def _excerpt(text: str, width: int = 40) -> str:
    flat = " ".join(text.split())
    return f"“{flat[:width]}…”" if len(flat) > width else f"“{flat}”"


def _ratio_break(source: Sequence[Any], target: Sequence[Any]) -> int | None:
    # A merged or split paragraph shows as a unit whose translation is far longer or shorter
    # than the usual length ratio of this pair of files: report the first such unit.
    ratios = [len(t.text) / max(len(s.text), 1) for s, t in zip(source, target, strict=False)]
    if len(ratios) < 3:
        return None
    usual = statistics.median(ratios)
    return next((i for i, r in enumerate(ratios) if r > usual * 2.5 or r < usual / 2.5), None)


def _divergence(source: Sequence[Any], target: Sequence[Any]) -> int:
    shared = min(len(source), len(target))
    for index in range(shared):
        if source[index].kind != target[index].kind:
            return index
    found = _ratio_break(source, target)
    return shared if found is None else found


def _describe(units: Sequence[Any], index: int, side: str) -> str:
    if index >= len(units):
        return f"{side} has no unit {index + 1}"
    unit = units[index]
    return f"{side} unit {index + 1} (line {unit.line}, {unit.kind}) {_excerpt(unit.text)}"


def align_units(
    source: Sequence[Any], target: Sequence[Any], source_path: Path, target_path: Path
) -> list[Pair]:
    """Pair unit N of the source with unit N of the translation.

    Args:
        source: the source document's units (``text``, ``kind``, ``line``).
        target: the translation's units.
        source_path: the source file, for messages.
        target_path: the translation file, for messages.

    Raises:
        InputError: either side is empty, or the counts differ; the message shows where
            the structures first diverge.
    """
    for units, path in ((source, source_path), (target, target_path)):
        if not units:
            raise InputError("no paragraphs found; the file is empty", path=path)
    if len(source) != len(target):
        at = _divergence(source, target)
        raise InputError(
            f"the source has {len(source)} paragraphs but the translation {target_path} has {len(target)}; "
            f"they first diverge at: {_describe(source, at, 'source')} vs "
            f"{_describe(target, at, 'translation')}; give both files the same paragraphs "
            "(or check one bilingual TSV/XLIFF file instead)",
            path=source_path,
        )
    return [Pair(s.text, t.text, s.line) for s, t in zip(source, target, strict=True)]


def read_pairs(source: Path, translation: Path | None = None, *, reflow: bool = True) -> list[Pair]:
    """Read the pairs to check: one bilingual file, or a source and its translation.

    Args:
        source: the bilingual file, or the source document.
        translation: the translated document (same paragraph structure), if two files.
        reflow: join hard-wrapped lines of plain-text documents into paragraphs.

    Raises:
        InputError: unreadable or malformed input, or a structure mismatch.
    """
    if translation is None:
        return read_bilingual(source)
    from termlock.documents import read_document

    source_doc = read_document(str(source), reflow=reflow)
    target_doc = read_document(str(translation), reflow=reflow)
    if reflow and len(target_doc.units) != len(source_doc.units):
        # A translation written one paragraph per line (as `termlock translate` writes it)
        # may look hard-wrapped to the reflow heuristics; its lines are then its paragraphs.
        by_line = read_document(str(translation), reflow=False)
        if len(by_line.units) == len(source_doc.units):
            target_doc = by_line
    return align_units(source_doc.units, target_doc.units, source, translation)
