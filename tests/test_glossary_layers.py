"""Layering: built-in, then $TERMLOCK_GLOSSARY, then --glossary; later layers win."""

from __future__ import annotations

from pathlib import Path

import pytest

from termlock import store
from termlock.entry import Entry
from termlock.errors import GlossaryError
from termlock.glossary import load_glossary


def _write(path: Path, *entries: Entry) -> Path:
    store.save(path, entries)
    return path


def test_later_layer_overrides_and_origin_is_recorded(tmp_path: Path) -> None:
    env_file = _write(tmp_path / "env.tsv", Entry("两会", "two sessions", source="x (2025)"))
    cli_file = _write(tmp_path / "cli.tsv", Entry("两会", "Two Sessions", source="y (2025)"))
    g = load_glossary([cli_file], builtin=False, environ={"TERMLOCK_GLOSSARY": str(env_file)})
    entry = g.get("兩會")
    assert entry is not None
    assert entry.rendering == "Two Sessions"
    assert entry.origin == f"user:{cli_file}"
    assert [e.origin for e in g.history("两会")] == [f"user:{env_file}", f"user:{cli_file}"]


def test_digest_changes_with_content(tmp_path: Path) -> None:
    a = load_glossary([_write(tmp_path / "a.tsv", Entry("两会", "Two Sessions"))], builtin=False)
    b = load_glossary([_write(tmp_path / "b.tsv", Entry("两会", "two sessions"))], builtin=False)
    assert a.digest != b.digest and len(a.digest) == 16


def test_missing_user_glossary_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(GlossaryError, match="glossary file not found"):
        load_glossary([tmp_path / "nope.tsv"], builtin=False)


def test_builtin_glossary_loads_with_origins() -> None:
    g = load_glossary()
    assert all(e.origin.startswith("builtin:") for e in g)
