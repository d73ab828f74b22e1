"""Changing a user glossary file: add, edit, remove and import entries, atomically.

Editing commands write to one *target* file: the last ``--glossary`` path, else the last
path of ``$TERMLOCK_GLOSSARY``. Every change reads the target, builds the new entry
list and writes it with :func:`termlock.store.save`, so a failed check or a crash
leaves the file as it was.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from termlock import store
from termlock.entry import STATUSES, Entry, Status
from termlock.errors import GlossaryError, UsageError
from termlock.glossary import Glossary, env_paths

_HOW = "pass --glossary FILE.tsv or set TERMLOCK_GLOSSARY"
_INSTALLED = ("site-packages", "dist-packages")
_LISTS = ("variants", "admitted", "forbidden")


@dataclass(frozen=True)
class Change:
    """What an editing operation did, for the CLI to report.

    Attributes:
        entry: the entry as written (or as removed).
        target: the file written.
        notes: extra facts worth telling the user (copied from a layer, overrides, ...).
    """

    entry: Entry
    target: Path
    notes: tuple[str, ...] = ()


def target_path(paths: Sequence[Path] | None, environ: Mapping[str, str] | None = None) -> Path:
    """Return the file editing commands write to, after checking it may be written.

    Raises:
        UsageError: no target, a folder, or a file inside an installed package.
    """
    candidates = list(paths or []) or env_paths(environ)
    if not candidates:
        raise UsageError(f"no user glossary to write to; {_HOW}")
    target = candidates[-1]
    if target.is_dir():
        raise UsageError(f"{target} is a folder; editing commands write one file: {_HOW}")
    if any(part in _INSTALLED for part in target.resolve().parts):
        # The installed built-in glossary is replaced on upgrade; edits there would be lost.
        raise UsageError(
            f"{target} is inside an installed package; refusing to change it. "
            f"Write your changes to a user glossary instead: {_HOW}"
        )
    return target


def read_target(target: Path) -> list[Entry]:
    """Return the entries of the target file ([] when it does not exist yet)."""
    return store.load(target) if target.exists() else []


def save_target(target: Path, entries: Sequence[Entry]) -> None:
    """Write the target atomically; a read-only file is refused (see ``atomic.write_atomic``)."""
    store.save(target, entries)


def _clean(items: Sequence[str] | None) -> tuple[str, ...]:
    return tuple(dict.fromkeys(item.strip() for item in items or () if item.strip()))


def check_status(status: str) -> Status:
    """Return ``status`` if allowed. Raises: UsageError listing the allowed values."""
    if status not in STATUSES:
        raise UsageError(f"status {status!r} is not allowed; use one of: {', '.join(STATUSES)}")
    return status  # type: ignore[return-value]  # checked against STATUSES above


def new_entry(
    term: str,
    rendering: str,
    *,
    variants: Sequence[str] | None = None,
    admitted: Sequence[str] | None = None,
    forbidden: Sequence[str] | None = None,
    status: str = "preferred",
    quoted: bool = False,
    note: str = "",
    source: str = "",
) -> Entry:
    """Build an entry from command-line values (stripped, list items de-duplicated).

    Raises:
        UsageError: empty term or rendering, or a status that is not allowed.
    """
    if not term.strip() or not rendering.strip():
        raise UsageError("term and rendering must not be empty")
    entry = Entry(
        term=term.strip(),
        rendering=rendering.strip(),
        variants=_clean(variants),
        admitted=_clean(admitted),
        forbidden=_clean(forbidden),
        status=check_status(status),
        quoted=quoted,
        note=note.strip(),
        source=source.strip(),
    )
    store.format_row(entry)  # tabs, line breaks, "|" inside items: refuse before writing
    return entry


def _name(target: Path) -> str:
    return target.name


def add_entry(glossary: Glossary, target: Path, entry: Entry) -> Change:
    """Add ``entry`` to the target file.

    Raises:
        GlossaryError: the target already has the term, or has it as a variant.
    """
    entries = read_target(target)
    for other in entries:
        if entry.term in other.forms():
            where = "" if other.term == entry.term else f" as a variant of {other.term!r}"
            raise GlossaryError(
                f"{entry.term!r} is already in {_name(target)}{where} (line {other.line}); "
                f"change it with `termlock glossary edit {other.term}`"
            )
    notes = []
    existing = glossary.get(entry.term)
    if existing is not None:
        what = "overrides" if existing.term == entry.term else f"shares a form with {existing.term!r} of"
        notes.append(f"{entry.term} {what} {existing.origin}; run `termlock glossary lint` to check")
    save_target(target, [*entries, entry])
    return Change(entry, target, tuple(notes))


@dataclass(frozen=True)
class Edits:
    """Changes to apply to one entry; None / empty means "leave as is"."""

    rendering: str | None = None
    add_variants: Sequence[str] = ()
    remove_variants: Sequence[str] = ()
    add_admitted: Sequence[str] = ()
    remove_admitted: Sequence[str] = ()
    add_forbidden: Sequence[str] = ()
    remove_forbidden: Sequence[str] = ()
    status: str | None = None
    quoted: bool | None = None
    note: str | None = None
    source: str | None = None

    def is_empty(self) -> bool:
        """Whether nothing would change."""
        scalars = (self.rendering, self.status, self.quoted, self.note, self.source)
        lists = (getattr(self, f"{verb}_{name}") for verb in ("add", "remove") for name in _LISTS)
        return all(value is None for value in scalars) and not any(lists)

    def apply(self, entry: Entry) -> Entry:
        """Return ``entry`` with the changes applied.

        Raises:
            UsageError: removing an item the entry does not have, or a bad value.
        """
        values = {name: self._edit_list(entry, name) for name in _LISTS}
        return new_entry(
            entry.term,
            entry.rendering if self.rendering is None else self.rendering,
            status=entry.status if self.status is None else self.status,
            quoted=entry.quoted if self.quoted is None else self.quoted,
            note=entry.note if self.note is None else self.note,
            source=entry.source if self.source is None else self.source,
            **values,
        )

    def _edit_list(self, entry: Entry, name: str) -> tuple[str, ...]:
        items: list[str] = list(getattr(entry, name))
        for item in getattr(self, f"remove_{name}"):
            if item.strip() not in items:
                raise UsageError(
                    f"{item!r} is not in the {name} of {entry.term!r}; it has: {items or 'none'}"
                )
            items.remove(item.strip())
        return tuple(dict.fromkeys([*items, *_clean(getattr(self, f"add_{name}"))]))


def _lookup(glossary: Glossary, term: str) -> Entry:
    entry = glossary.get(term)
    if entry is None:
        raise GlossaryError(
            f"{term!r} is not in the glossary; find it with `termlock glossary list --search {term}` "
            f"or add it with `termlock glossary add {term} RENDERING`"
        )
    return entry


def edit_entry(glossary: Glossary, target: Path, term: str, edits: Edits) -> Change:
    """Apply ``edits`` to ``term`` (a term or variant, any script) in the target file.

    A term that lives in another layer is copied into the target first, so the edit
    overrides it there and the other file stays untouched.
    """
    if edits.is_empty():
        raise UsageError("nothing to change; pass --rendering, --add-variant, --note, ... (see --help)")
    found = _lookup(glossary, term)
    entries = read_target(target)
    current = next((e for e in entries if e.term == found.term), None)
    notes = () if current is not None else (f"copied {found.term} from {found.origin} into {_name(target)}",)
    changed = edits.apply(current or found)
    save_target(
        target, [changed if e.term == found.term else e for e in entries] + ([] if current else [changed])
    )
    return Change(changed, target, notes)


def remove_entry(glossary: Glossary, target: Path, term: str) -> Change:
    """Remove ``term`` (a term or variant) from the target file.

    Raises:
        GlossaryError: unknown term, or a term that lives only in another layer.
    """
    found = _lookup(glossary, term)
    entries = read_target(target)
    if all(e.term != found.term for e in entries):
        raise GlossaryError(
            f"{found.term!r} is not in {_name(target)} (it comes from {found.origin}); a user glossary "
            f"cannot delete it, but can override it: `termlock glossary edit {found.term} ...`"
        )
    save_target(target, [e for e in entries if e.term != found.term])
    below = [e for e in glossary.history(found.term) if e.origin != found.origin]
    notes = (f"{found.term} from {below[-1].origin} applies again",) if below else ()
    return Change(found, target, notes)


@dataclass(frozen=True)
class ImportResult:
    """Counts of an import into the target file."""

    target: Path
    added: int = 0
    replaced: int = 0
    skipped: int = 0
    unchanged: int = 0
    unsourced: int = 0


Conflicts = Sequence[tuple[Entry, Entry]]


def _fail(conflicts: Conflicts, target: Path) -> list[Entry]:
    if not conflicts:
        return []
    terms = [new.term for _, new in conflicts]
    shown = ", ".join(terms[:10]) + (", ..." if len(terms) > 10 else "")
    raise GlossaryError(
        f"{len(terms)} imported term(s) already in {_name(target)} with other content: {shown}; "
        "pass --on-conflict skip (keep yours) or --on-conflict replace (take the imported ones)"
    )


#: Given (current, imported) pairs that differ, return the entries to keep.
CONFLICT_POLICIES: dict[str, Callable[[Conflicts, Path], list[Entry]]] = {
    "skip": lambda conflicts, target: [old for old, _ in conflicts],
    "replace": lambda conflicts, target: [new for _, new in conflicts],
    "fail": _fail,
}


def import_entries(target: Path, imported: Sequence[Entry], on_conflict: str = "fail") -> ImportResult:
    """Merge ``imported`` into the target file.

    Raises:
        UsageError: unknown ``on_conflict`` policy.
        GlossaryError: conflicts with ``on_conflict="fail"`` (nothing is written).
    """
    policy = CONFLICT_POLICIES.get(on_conflict)
    if policy is None:
        raise UsageError(
            f"--on-conflict {on_conflict!r} is not allowed; use one of: {', '.join(CONFLICT_POLICIES)}"
        )
    current = {e.term: e for e in read_target(target)}
    conflicts = [(current[e.term], e) for e in imported if e.term in current and current[e.term] != e]
    chosen = policy(conflicts, target)
    new = [e for e in imported if e.term not in current]
    merged = {**current, **{e.term: replace(e, origin="", line=0) for e in [*new, *chosen]}}
    save_target(target, list(merged.values()))
    replaced = sum(1 for e in chosen if e != current[e.term])
    return ImportResult(
        target,
        added=len(new),
        replaced=replaced,
        skipped=len(conflicts) - replaced,
        unchanged=len(imported) - len(new) - len(conflicts),
        unsourced=sum(1 for e in imported if not e.source.strip()),
    )
