"""Two-column formats of MT services: Chinese form → preferred English rendering (lossy).

* ``deepl-csv``: ``source,target`` rows without header, as DeepL and Google Cloud
  Translation accept for unidirectional glossaries (DeepL's optional third and fourth
  columns, the language codes, are accepted and ignored on import);
* ``amazon-csv``: Amazon Translate custom terminology, header ``zh,en``;
* ``pair-tsv``: ``source<TAB>target`` rows without header.

Export writes one row per Chinese form (the term, then each variant) with the preferred
rendering. Import reads the first column as the term and the second as the rendering;
rows that share a rendering become one entry whose later forms are variants. Admitted
and forbidden renderings, status, notes and sources do not survive, so imported entries
have an empty source: lint then reports the missing provenance until someone adds it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import replace

from termlock.encoding import decode
from termlock.entry import Entry
from termlock.errors import GlossaryError
from termlock.formats.base import GlossaryFormat, checked

Row = tuple[int, list[str]]
AMAZON_HEADER = ("zh", "en")


def rows_of(entries: Sequence[Entry]) -> list[tuple[str, str]]:
    """Return (form, rendering) for every Chinese form; a form claimed twice keeps the first."""
    pairs: dict[str, str] = {}
    for entry in sorted(entries, key=lambda e: e.term):
        for form in entry.forms():
            pairs.setdefault(form, entry.rendering)
    return list(pairs.items())


def merge(rows: Iterable[tuple[int, str, str]], path: str) -> list[Entry]:
    """Turn (line, source, target) rows into entries; rows sharing a target merge into variants.

    Raises:
        GlossaryError: an empty cell, or one source with two different targets.
    """
    by_rendering: dict[str, Entry] = {}
    seen: dict[str, tuple[str, int]] = {}
    for line, source, target in rows:
        if not source:
            raise GlossaryError(
                "empty source term in the first column; fill it or delete the row", path=path, line=line
            )
        if not target:
            raise GlossaryError(
                f"empty rendering for {source!r}; fill the second column", path=path, line=line
            )
        if source in seen:
            first, first_line = seen[source]
            if first != target:
                raise GlossaryError(
                    f"{source!r} has two renderings: {first!r} (line {first_line}) and {target!r}; keep one",
                    path=path,
                    line=line,
                )
            continue
        seen[source] = (target, line)
        entry = by_rendering.get(target)
        if entry is None:
            by_rendering[target] = checked(Entry(source, target), path, line)
        else:
            by_rendering[target] = checked(
                replace(entry, variants=(*entry.variants, source)), path, entry.line
            )
    return list(by_rendering.values())


def _csv_rows(data: bytes, path: str) -> list[Row]:
    reader = csv.reader(io.StringIO(decode(data, path), newline=""))
    rows: list[Row] = []
    try:
        for cells in reader:
            if any(cell.strip() for cell in cells):
                rows.append((reader.line_num, [cell.strip() for cell in cells]))
    except csv.Error as exc:
        raise GlossaryError(
            f"malformed CSV: {exc}; check the quoting", path=path, line=reader.line_num
        ) from None
    return rows


def _two_columns(
    rows: Iterable[Row], path: str, what: str, allowed: tuple[int, ...] = (2,)
) -> list[tuple[int, str, str]]:
    out = []
    for line, cells in rows:
        if len(cells) not in allowed:
            raise GlossaryError(
                f"expected {what}, found {len(cells)} columns; quote cells that contain the separator",
                path=path,
                line=line,
            )
        out.append((line, cells[0], cells[1]))
    return out


def _write_csv(rows: Iterable[Sequence[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def read_deepl(data: bytes, path: str) -> list[Entry]:
    """Parse ``source,target`` CSV rows (no header)."""
    rows = _csv_rows(data, path)
    return merge(_two_columns(rows, path, "2 columns (source,target) or 4 with language codes", (2, 4)), path)


def write_deepl(entries: Sequence[Entry]) -> bytes:
    """Serialize as ``source,target`` CSV rows (no header)."""
    return _write_csv(rows_of(entries))


def _is_amazon(data: bytes) -> bool:
    first = data.split(b"\n", 1)[0].strip().removeprefix(b"\xef\xbb\xbf").lower()
    return first.split(b",")[0].strip(b'" ') in (b"zh", b"zh-tw", b"zh-cn")


def read_amazon(data: bytes, path: str) -> list[Entry]:
    """Parse an Amazon Translate terminology CSV; the first column is Chinese, the ``en`` column English."""
    rows = _csv_rows(data, path)
    header = [cell.lower() for cell in rows[0][1]] if rows else []
    if not header or not header[0].startswith("zh") or "en" not in header:
        raise GlossaryError(
            "missing header: the first row must name the languages, e.g. zh,en",
            path=path,
            line=rows[0][0] if rows else 1,
        )
    column = header.index("en")
    pairs = []
    for line, cells in rows[1:]:
        if len(cells) != len(header):
            raise GlossaryError(
                f"expected {len(header)} columns like the header, found {len(cells)}; "
                "quote cells that contain commas",
                path=path,
                line=line,
            )
        pairs.append((line, cells[0], cells[column]))
    return merge(pairs, path)


def write_amazon(entries: Sequence[Entry]) -> bytes:
    """Serialize as Amazon Translate terminology CSV (header ``zh,en``)."""
    return _write_csv([AMAZON_HEADER, *rows_of(entries)])


def read_pair_tsv(data: bytes, path: str) -> list[Entry]:
    """Parse ``source<TAB>target`` rows (no header)."""
    rows = [
        (number, [cell.strip() for cell in raw.split("\t")])
        for number, raw in enumerate(decode(data, path).split("\n"), start=1)
        if raw.strip()
    ]
    return merge(_two_columns(rows, path, "2 tab-separated columns (source, target)"), path)


def write_pair_tsv(entries: Sequence[Entry]) -> bytes:
    """Serialize as ``source<TAB>target`` rows (no header)."""
    return "".join(f"{form}\t{rendering}\n" for form, rendering in rows_of(entries)).encode("utf-8")


FORMATS: tuple[GlossaryFormat, ...] = (
    GlossaryFormat(
        "deepl-csv",
        ("csv",),
        read_deepl,
        write_deepl,
        lossless=False,
        description="source,target CSV without header (DeepL, Google Cloud Translation)",
        sniff=lambda data: not _is_amazon(data),
    ),
    GlossaryFormat(
        "amazon-csv",
        ("csv",),
        read_amazon,
        write_amazon,
        lossless=False,
        description="Amazon Translate custom terminology CSV (header zh,en)",
        sniff=_is_amazon,
    ),
    GlossaryFormat(
        "pair-tsv",
        ("tsv", "txt"),
        read_pair_tsv,
        write_pair_tsv,
        lossless=False,
        description="source<TAB>target rows without header",
    ),
)
