"""JSON: a list of objects, one per entry, with every field (lossless)."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from termlock.entry import STATUSES, Entry
from termlock.errors import GlossaryError
from termlock.formats.base import GlossaryFormat, checked, decode_utf8, no_duplicates

_LISTS = ("variants", "admitted", "forbidden")
_STRINGS = ("term", "rendering", "note", "source")
FIELDS: tuple[str, ...] = ("term", "rendering", *_LISTS, "status", "quoted", "note", "source")
_REQUIRED = ("term", "rendering")


def entry_to_dict(entry: Entry) -> dict[str, Any]:
    """Return the JSON object of ``entry`` (every stored field, lists as arrays)."""
    return {
        "term": entry.term,
        "rendering": entry.rendering,
        "variants": list(entry.variants),
        "admitted": list(entry.admitted),
        "forbidden": list(entry.forbidden),
        "status": entry.status,
        "quoted": entry.quoted,
        "note": entry.note,
        "source": entry.source,
    }


def write(entries: Sequence[Entry]) -> bytes:
    """Serialize entries as an indented JSON list, sorted by term."""
    items = [entry_to_dict(e) for e in sorted(entries, key=lambda e: e.term)]
    return (json.dumps(items, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _item_lines(text: str) -> list[int]:
    """Line of each element of the top-level array (json reports no positions for values)."""
    decoder = json.JSONDecoder()
    index = text.index("[") + 1
    lines: list[int] = []
    while True:
        while text[index] in " \t\r\n,":
            index += 1
        if text[index] == "]":
            return lines
        lines.append(text.count("\n", 0, index) + 1)
        _, index = decoder.raw_decode(text, index)


def _kind(value: object) -> str:
    kinds = {dict: "an object", str: "a string", bool: "true/false", int: "a number", float: "a number"}
    return kinds.get(type(value), "null")


def _is_str(value: object) -> bool:
    return isinstance(value, str)


def _is_str_list(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) and v for v in value)


_CHECKS: dict[str, tuple[Callable[[object], bool], str]] = {
    **{name: (_is_str, "a string") for name in _STRINGS},
    **{name: (_is_str_list, "a list of non-empty strings") for name in _LISTS},
    "status": (lambda v: v in STATUSES, "one of: " + ", ".join(STATUSES)),
    "quoted": (lambda v: isinstance(v, bool), "true or false"),
}


def _entry(item: object, path: str, line: int) -> Entry:
    if not isinstance(item, dict):
        raise GlossaryError(f"expected an object with fields {', '.join(FIELDS)}", path=path, line=line)
    unknown = sorted(set(item) - set(FIELDS))
    if unknown:
        raise GlossaryError(
            f"unknown field {unknown[0]!r}; the fields are: {', '.join(FIELDS)}", path=path, line=line
        )
    for name in _REQUIRED:
        if name not in item:
            raise GlossaryError(
                f"missing field {name!r}; every entry needs term and rendering", path=path, line=line
            )
    for name, value in item.items():
        test, wanted = _CHECKS[name]
        if not test(value):
            raise GlossaryError(f"field {name!r} must be {wanted}, not {value!r}", path=path, line=line)
    values: dict[str, Any] = {name: tuple(v) if name in _LISTS else v for name, v in item.items()}
    return checked(Entry(**values), path, line)


def read(data: bytes, path: str) -> list[Entry]:
    """Parse a JSON list of entry objects (``term`` and ``rendering`` are required)."""
    text = decode_utf8(data, path, "JSON files are UTF-8; re-save it as UTF-8")
    try:
        items = json.loads(text)
    except json.JSONDecodeError as exc:
        raise GlossaryError(
            f"not valid JSON: {exc.msg} (column {exc.colno})", path=path, line=exc.lineno
        ) from None
    if not isinstance(items, list):
        raise GlossaryError(
            f"expected a JSON list of entry objects, found {_kind(items)}; wrap the entries in [ ]",
            path=path,
            line=1,
        )
    lines = _item_lines(text)
    return no_duplicates([_entry(item, path, line) for item, line in zip(items, lines, strict=True)], path)


FORMAT = GlossaryFormat(
    name="json",
    extensions=("json",),
    read=read,
    write=write,
    lossless=True,
    description="JSON list of objects with every field",
)
