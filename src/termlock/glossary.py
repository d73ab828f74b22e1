"""Glossary layers: the built-in curated files, then user glossaries, later ones winning."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from pathlib import Path

from termlock import store
from termlock.entry import Entry
from termlock.errors import GlossaryError
from termlock.matcher import Matcher
from termlock.normalize import normalize_key

#: Environment variable naming default user glossaries (``os.pathsep``-separated).
ENV_VAR = "TERMLOCK_GLOSSARY"


def builtin_dir() -> Path:
    """Return the folder of the curated glossary files.

    Installed wheels carry them as package data (``termlock/data/glossary``); a source
    checkout (editable install) reads the repository's ``glossary/`` directly.
    """
    packaged = Path(str(resources.files("termlock"))) / "data" / "glossary"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "glossary"


@dataclass(frozen=True)
class Layer:
    """One source of entries: a built-in file or a user glossary file."""

    name: str
    path: Path | None
    entries: tuple[Entry, ...]


def _tsv_files(path: Path) -> list[Path]:
    return sorted(path.glob("*.tsv")) if path.is_dir() else [path]


def builtin_layers() -> list[Layer]:
    """Load every curated file, one layer per file (``builtin:economy.tsv``)."""
    layers = []
    for file in _tsv_files(builtin_dir()):
        origin = f"builtin:{file.name}"
        layers.append(Layer(origin, file, tuple(store.load(file, origin))))
    return layers


def user_layer(path: Path, *, missing_ok: bool = False) -> list[Layer]:
    """Load a user glossary (a TSV file or a folder of them) as layers."""
    if missing_ok and not path.exists():
        return [Layer(f"user:{path}", path, ())]
    if not path.exists():
        raise GlossaryError(
            "glossary file not found; check the path or create it with `glossary add`", path=path
        )
    return [Layer(f"user:{file}", file, tuple(store.load(file))) for file in _tsv_files(path)]


def env_paths(environ: Mapping[str, str] | None = None) -> list[Path]:
    """Return the user glossary paths named by ``TERMLOCK_GLOSSARY``."""
    value = (os.environ if environ is None else environ).get(ENV_VAR, "")
    return [Path(part) for part in value.split(os.pathsep) if part]


class Glossary:
    """The merged view of several layers; later layers override earlier ones by term."""

    def __init__(self, layers: Sequence[Layer]) -> None:
        """Merge ``layers`` in order (first = lowest priority)."""
        self.layers = list(layers)
        merged: dict[str, Entry] = {}
        for layer in self.layers:
            for entry in layer.entries:
                merged[entry.term] = entry
        self._entries = merged

    def __iter__(self) -> Iterator[Entry]:
        """Iterate over the effective entries, sorted by term."""
        return iter(sorted(self._entries.values(), key=lambda e: e.term))

    def __len__(self) -> int:
        """Number of effective entries."""
        return len(self._entries)

    def __contains__(self, term: object) -> bool:
        """Whether ``term`` is an effective entry's term."""
        return term in self._entries

    def get(self, term: str) -> Entry | None:
        """Return the effective entry for ``term`` or one of its variants (any width/script)."""
        if term in self._entries:
            return self._entries[term]
        return self._by_key.get(normalize_key(term))

    def history(self, term: str) -> list[Entry]:
        """Return every layer's entry for ``term``, lowest priority first."""
        return [e for layer in self.layers for e in layer.entries if e.term == term]

    @cached_property
    def _by_key(self) -> dict[str, Entry]:
        keys: dict[str, Entry] = {}
        for entry in self:
            for form in entry.forms():
                keys.setdefault(normalize_key(form), entry)
        return keys

    @cached_property
    def matcher(self) -> Matcher:
        """The term matcher over the effective entries (built once)."""
        return Matcher(self)

    @cached_property
    def digest(self) -> str:
        """Content hash of the effective entries (sha256 of their canonical TSV, 16 hex)."""
        return hashlib.sha256(store.dumps(self).encode("utf-8")).hexdigest()[:16]


def load_glossary(
    paths: Sequence[Path] = (),
    *,
    builtin: bool = True,
    environ: Mapping[str, str] | None = None,
    missing_ok: Sequence[Path] = (),
) -> Glossary:
    """Load the layers: built-in, then ``TERMLOCK_GLOSSARY``, then ``paths`` in order.

    Args:
        paths: user glossaries given with ``--glossary`` (files or folders).
        builtin: include the curated built-in glossary.
        environ: environment to read ``TERMLOCK_GLOSSARY`` from (default ``os.environ``).
        missing_ok: paths that may not exist yet (an editing command's target).
    """
    layers = builtin_layers() if builtin else []
    for path in [*env_paths(environ), *paths]:
        layers.extend(user_layer(path, missing_ok=path in missing_ok))
    return Glossary(layers)
