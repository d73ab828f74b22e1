"""Canonical glossary files: UTF-8 TSV with a header, one entry per row.

The format is diff-friendly (one row per entry, rows sorted by term) and round-trip
exact: ``dumps(loads(text)) == text`` for every canonical file.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from termlock.atomic import write_atomic
from termlock.encoding import read_bytes
from termlock.entry import STATUSES, Entry, Status
from termlock.errors import GlossaryError

COLUMNS: tuple[str, ...] = (
    "term",
    "rendering",
    "variants",
    "admitted",
    "forbidden",
    "status",
    "quoted",
    "note",
    "source",
)
HEADER = "\t".join(COLUMNS)
LIST_SEP = "|"
_BOOLS = {"yes": True, "no": False}


def _split_list(value: str) -> tuple[str, ...]:
    return tuple(item for item in value.split(LIST_SEP) if item) if value else ()


def _parse_row(fields: list[str], path: str, line: int) -> Entry:
    if len(fields) != len(COLUMNS):
        raise GlossaryError(
            f"expected {len(COLUMNS)} tab-separated columns ({', '.join(COLUMNS)}), found {len(fields)}; "
            "check for a missing or extra tab",
            path=path,
            line=line,
        )
    term, rendering, variants, admitted, forbidden, status, quoted, note, source = fields
    if not term.strip():
        raise GlossaryError("empty term; fill the first column or delete the row", path=path, line=line)
    if not rendering.strip():
        raise GlossaryError(f"empty rendering for {term!r}; fill the second column", path=path, line=line)
    if status not in STATUSES:
        raise GlossaryError(
            f"status {status!r} is not allowed; use one of: {', '.join(STATUSES)}", path=path, line=line
        )
    if quoted not in _BOOLS:
        raise GlossaryError(f"quoted {quoted!r} is not allowed; use yes or no", path=path, line=line)
    status_value: Status = status  # type: ignore[assignment]  # checked against STATUSES above
    return Entry(
        term=term,
        rendering=rendering,
        variants=_split_list(variants),
        admitted=_split_list(admitted),
        forbidden=_split_list(forbidden),
        status=status_value,
        quoted=_BOOLS[quoted],
        note=note,
        source=source,
        line=line,
    )


def loads(text: str, path: str = "<string>") -> list[Entry]:
    """Parse canonical TSV text into entries, in file order.

    Raises:
        GlossaryError: missing header, wrong column count, empty field, bad value or a
            term that occurs twice; the message names the file, the line and the fix.
    """
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if not lines or lines[0].rstrip("\r").lstrip("\ufeff") != HEADER:
        raise GlossaryError(
            "missing or wrong header; the first line must be the tab-separated columns: "
            + ", ".join(COLUMNS),
            path=path,
            line=1,
        )
    entries: list[Entry] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(lines[1:], start=2):
        row = raw.rstrip("\r")
        if not row.strip():
            continue
        entry = _parse_row(row.split("\t"), path, number)
        if entry.term in seen:
            raise GlossaryError(
                f"duplicate term {entry.term!r} (first on line {seen[entry.term]}); merge the two rows",
                path=path,
                line=number,
            )
        seen[entry.term] = number
        entries.append(entry)
    return entries


def _check_field(entry: Entry, name: str, value: str) -> None:
    if "\t" in value or "\n" in value or "\r" in value:
        raise GlossaryError(f"{entry.term!r}: field {name} contains a tab or line break; remove it")


def _join(entry: Entry, name: str, items: Sequence[str]) -> str:
    for item in items:
        if LIST_SEP in item:
            raise GlossaryError(
                f"{entry.term!r}: an item of {name} contains {LIST_SEP!r}; it separates items"
            )
    return LIST_SEP.join(items)


def format_row(entry: Entry) -> str:
    """Return the canonical TSV row of ``entry`` (without newline)."""
    fields = [
        entry.term,
        entry.rendering,
        _join(entry, "variants", entry.variants),
        _join(entry, "admitted", entry.admitted),
        _join(entry, "forbidden", entry.forbidden),
        entry.status,
        "yes" if entry.quoted else "no",
        entry.note,
        entry.source,
    ]
    for name, value in zip(COLUMNS, fields, strict=True):
        _check_field(entry, name, value)
    return "\t".join(fields)


def dumps(entries: Iterable[Entry]) -> str:
    """Serialize entries canonically: header, rows sorted by term, LF, final newline."""
    rows = [format_row(entry) for entry in sorted(entries, key=lambda e: e.term)]
    return "\n".join([HEADER, *rows]) + "\n"


def read_bytes_utf8(path: Path) -> str:
    """Read a text file that must be UTF-8, with a clear error otherwise."""
    data = read_bytes(path, GlossaryError)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise GlossaryError(
            "not valid UTF-8; convert it (e.g. iconv -f GB18030 -t UTF-8 FILE > NEW)", path=path, line=line
        ) from exc


def load(path: Path, origin: str | None = None) -> list[Entry]:
    """Load a canonical glossary file; each entry records ``origin`` (default ``user:PATH``)."""
    label = origin or f"user:{path}"
    return [e.with_origin(label, e.line) for e in loads(read_bytes_utf8(path), str(path))]


def save(path: Path, entries: Iterable[Entry]) -> None:
    """Write entries to ``path`` canonically and atomically (temp file + rename)."""
    write_atomic(path, dumps(entries).encode("utf-8"))
