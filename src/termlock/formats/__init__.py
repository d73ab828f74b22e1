"""Import/export formats for glossaries, looked up by name or guessed from a file name.

Every format turns bytes into entries and back. Lossless formats (``tsv``, ``json``,
``tbx``) keep every field, so export followed by import gives the same entries; the
two-column formats used by MT services (``deepl-csv``, ``amazon-csv``, ``pair-tsv``)
keep only the Chinese forms and the preferred rendering.
"""

from __future__ import annotations

from pathlib import PurePath

from termlock.errors import UsageError
from termlock.formats import jsonfmt, pairs, tbx, tsv
from termlock.formats.base import GlossaryFormat

__all__ = ["FORMATS", "GlossaryFormat", "get_format", "guess_format", "resolve_format"]

#: Every known format by name, in the order help texts list them.
FORMATS: dict[str, GlossaryFormat] = {
    fmt.name: fmt for fmt in (tsv.FORMAT, jsonfmt.FORMAT, tbx.FORMAT, *pairs.FORMATS)
}


def _known() -> str:
    return ", ".join(FORMATS)


def get_format(name: str) -> GlossaryFormat:
    """Return the format called ``name``.

    Raises:
        UsageError: unknown name; the message lists the known ones.
    """
    try:
        return FORMATS[name]
    except KeyError:
        raise UsageError(f"unknown format {name!r}; use one of: {_known()}") from None


def guess_format(path: str, data: bytes | None = None) -> GlossaryFormat:
    """Guess the format of ``path`` from its extension.

    Several formats share an extension (``.tsv``: canonical or two-column; ``.csv``:
    DeepL or Amazon). When reading, ``data`` is given and the first candidate whose
    ``sniff`` accepts it wins; when writing, the first candidate wins.

    Raises:
        UsageError: the extension is not one of any format.
    """
    suffix = PurePath(path).suffix.lower().lstrip(".")
    candidates = [fmt for fmt in FORMATS.values() if suffix in fmt.extensions]
    if not candidates:
        raise UsageError(
            f"cannot tell the format of {path} from its name; pass --format (one of: {_known()})"
        )
    if data is not None:
        for fmt in candidates:
            if fmt.sniff is None or fmt.sniff(data):
                return fmt
    return candidates[0]


def resolve_format(name: str | None, path: str, data: bytes | None = None) -> GlossaryFormat:
    """Return the format named by ``--format``, else guess it (``-`` defaults to tsv)."""
    if name is not None:
        return get_format(name)
    if path == "-":
        return FORMATS["tsv"]
    return guess_format(path, data)
