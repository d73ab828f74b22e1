"""The format record and checks shared by every format."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from termlock import store
from termlock.entry import Entry
from termlock.errors import GlossaryError

Reader = Callable[[bytes, str], list[Entry]]
Writer = Callable[[Sequence[Entry]], bytes]


@dataclass(frozen=True)
class GlossaryFormat:
    """One import/export format.

    Attributes:
        name: the value of ``--format``.
        extensions: file name extensions (without dot) that suggest this format.
        read: parse the bytes of a file (named ``path`` in messages) into entries.
        write: serialize entries to bytes.
        lossless: whether every field of every entry survives a write/read round trip.
        description: one line for help texts.
        sniff: for an extension shared with other formats, whether ``data`` is this one.
    """

    name: str
    extensions: tuple[str, ...]
    read: Reader
    write: Writer
    lossless: bool
    description: str
    sniff: Callable[[bytes], bool] | None = None


def checked(entry: Entry, path: str, line: int) -> Entry:
    """Return ``entry`` if the canonical TSV can hold it, else raise a located error.

    Imported entries end up in a TSV file, so the same rules apply as for loading one:
    non-empty term and rendering, no tabs or line breaks, no ``|`` inside list items.
    """
    if not entry.term.strip():
        raise GlossaryError("empty term; every entry needs a Chinese term", path=path, line=line)
    if not entry.rendering.strip():
        raise GlossaryError(
            f"empty rendering for {entry.term!r}; every entry needs an English rendering",
            path=path,
            line=line,
        )
    try:
        store.format_row(entry)
    except GlossaryError as exc:
        raise GlossaryError(f"{exc}; fix it in the file", path=path, line=line) from None
    return entry.with_origin("", line)


def no_duplicates(entries: Sequence[Entry], path: str) -> list[Entry]:
    """Raise on a term that two entries of one file claim (as ``store.loads`` does)."""
    seen: dict[str, int] = {}
    for entry in entries:
        if entry.term in seen:
            raise GlossaryError(
                f"duplicate term {entry.term!r} (first on line {seen[entry.term]}); merge the two entries",
                path=path,
                line=entry.line,
            )
        seen[entry.term] = entry.line
    return list(entries)


def decode_utf8(data: bytes, path: str, hint: str) -> str:
    """Decode bytes that must be UTF-8 (a BOM is dropped), naming the first bad line."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise GlossaryError(f"not valid UTF-8; {hint}", path=path, line=line) from None
