"""The canonical TSV format (see :mod:`termlock.store`), as an import/export format."""

from __future__ import annotations

from collections.abc import Sequence

from termlock import store
from termlock.entry import Entry
from termlock.formats.base import GlossaryFormat, decode_utf8


def read(data: bytes, path: str) -> list[Entry]:
    """Parse a canonical TSV glossary."""
    text = decode_utf8(data, path, "convert it (e.g. iconv -f GB18030 -t UTF-8 FILE > NEW)")
    return store.loads(text, path)


def write(entries: Sequence[Entry]) -> bytes:
    """Serialize entries as canonical TSV."""
    return store.dumps(entries).encode("utf-8")


def sniff(data: bytes) -> bool:
    """Whether ``data`` starts with the canonical header (else it is a two-column TSV)."""
    first = data.split(b"\n", 1)[0].rstrip(b"\r")
    return first.removeprefix(b"\xef\xbb\xbf") == store.HEADER.encode("utf-8")


FORMAT = GlossaryFormat(
    name="tsv",
    extensions=("tsv",),
    read=read,
    write=write,
    lossless=True,
    description="canonical termlock TSV (9 columns, with header)",
    sniff=sniff,
)
