"""Glossary lint: a registry of rules, each a function from the glossary to problems.

Rules (severity, name):

* error ``duplicate-form``: two effective entries claim the same normalized source form
  (term vs term, variant vs term, variant vs variant, within one file or across
  layers). The matcher registers forms in term order and the first claim wins, so the
  other entry's form can never match: this is the only way a form is *shadowed*.
  A form that is a substring of a longer form (经济 inside 数字经济) is **not** shadowed:
  leftmost-longest matching prefers the longer form only where it occurs, and a text
  that holds the short form alone still matches it.
* error ``empty-form``: a form that normalizes to nothing (only spaces), so never matches.
* error ``duplicate-term``: two built-in files define the same term (curated files must
  not override each other; user layers may).
* warning ``conflicting-rendering``: a user layer overrides a term with a different rendering.
* warning ``redundant-variant``: a variant normalizes to the term or to another variant.
* error ``forbidden-rendering``: the rendering or an admitted rendering is forbidden, or
  contains a forbidden rendering (every correct translation would be flagged);
  warning when a forbidden rendering merely contains an allowed one.
* error ``empty-rendering``; error ``missing-source`` (provenance is required);
  warning ``undated-source`` (a source part without a year).
* warning ``unnormalized``: a term or variant that is not in NFKC + simplified form,
  or is wrapped in quotation marks.
* warning ``whitespace``: leading/trailing white space or double spaces in any field.
* warning ``not-canonical``: a file whose bytes are not what ``store.dumps`` writes.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import regex

from termlock import store, verify
from termlock.entry import Entry
from termlock.errors import TermlockError
from termlock.glossary import Glossary
from termlock.matcher import CLOSING_QUOTES, OPENING_QUOTES
from termlock.normalize import fold_char, normalize_key

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    """One lint finding, located at the entry (or file) it concerns."""

    severity: Severity
    rule: str
    origin: str
    line: int
    term: str
    message: str


Rule = Callable[[Glossary], Iterable[Problem]]
#: Every rule by name; :func:`lint` runs them all.
RULES: dict[str, Rule] = {}


def rule(name: str) -> Callable[[Rule], Rule]:
    """Register a rule function under ``name``."""

    def register(func: Rule) -> Rule:
        RULES[name] = func
        return func

    return register


def _at(entry: Entry, severity: Severity, name: str, message: str) -> Problem:
    return Problem(severity, name, entry.origin, entry.line, entry.term, message)


def lint(glossary: Glossary) -> list[Problem]:
    """Run every registered rule; problems sorted by origin, line and rule."""
    problems = [p for check in RULES.values() for p in check(glossary)]
    return sorted(problems, key=lambda p: (p.origin, p.line, p.rule, p.message))


@rule("duplicate-form")
def _duplicate_forms(glossary: Glossary) -> Iterator[Problem]:
    # Same order as Matcher: entries in term order, each entry's term before its variants.
    owner: dict[str, tuple[Entry, str]] = {}
    for entry in glossary:
        for form in entry.forms():
            key = normalize_key(form)
            first = owner.setdefault(key, (entry, form))
            if key and first[0].term != entry.term:
                kind = "term" if form == entry.term else "variant"
                yield _at(
                    entry,
                    "error",
                    "duplicate-form",
                    f"{kind} {form!r} is also claimed by {first[0].term!r} "
                    f"({first[0].origin}:{first[0].line}) as {first[1]!r}, so it never matches "
                    f"{entry.term!r}; keep it in one entry only",
                )


@rule("empty-form")
def _empty_forms(glossary: Glossary) -> Iterator[Problem]:
    for entry in glossary:
        for form in entry.forms():
            if not normalize_key(form):
                yield _at(entry, "error", "empty-form", f"form {form!r} is only white space; remove it")


def _redundant(entry: Entry) -> dict[str, str]:
    """Variants that normalize like an earlier form of the same entry, with that form."""
    seen = {normalize_key(entry.term): entry.term}
    redundant = {}
    for variant in entry.variants:
        key = normalize_key(variant)
        if key in seen:
            redundant[variant] = seen[key]
        seen.setdefault(key, variant)
    return redundant


@rule("redundant-variant")
def _redundant_variants(glossary: Glossary) -> Iterator[Problem]:
    for entry in glossary:
        for variant, earlier in _redundant(entry).items():
            yield _at(
                entry,
                "warning",
                "redundant-variant",
                f"variant {variant!r} normalizes like {earlier!r} (width, script and case are "
                "folded when matching); remove it",
            )


def _is_builtin(entry: Entry) -> bool:
    return entry.origin.startswith("builtin:")


@rule("duplicate-term")
def _builtin_duplicates(glossary: Glossary) -> Iterator[Problem]:
    for entry in glossary:
        for old in glossary.history(entry.term)[:-1]:
            if _is_builtin(entry) and _is_builtin(old):
                yield _at(
                    entry,
                    "error",
                    "duplicate-term",
                    f"also defined in {old.origin}:{old.line}; keep one of them",
                )


@rule("conflicting-rendering")
def _conflicting_renderings(glossary: Glossary) -> Iterator[Problem]:
    for entry in glossary:
        for old in glossary.history(entry.term)[:-1]:
            if not _is_builtin(entry) and old.rendering != entry.rendering:
                yield _at(
                    entry,
                    "warning",
                    "conflicting-rendering",
                    f"conflicting rendering across layers: {entry.rendering!r} overrides {old.rendering!r} "
                    f"of {old.origin}:{old.line}",
                )


def _same(a: str, b: str) -> bool:
    return a.casefold() == b.casefold()


@rule("forbidden-rendering")
def _forbidden(glossary: Glossary) -> Iterator[Problem]:
    for entry in glossary:
        for allowed in entry.renderings(allow_admitted=True):
            kind = "rendering" if allowed == entry.rendering else "admitted rendering"
            for bad in entry.forbidden:
                if _same(allowed, bad):
                    yield _at(entry, "error", "forbidden-rendering", f"{kind} {allowed!r} is also forbidden")
                elif verify.contains(allowed, bad):
                    yield _at(
                        entry,
                        "error",
                        "forbidden-rendering",
                        f"{kind} {allowed!r} contains forbidden {bad!r}, "
                        "so every correct translation is flagged",
                    )
                elif verify.contains(bad, allowed):
                    yield _at(
                        entry,
                        "warning",
                        "forbidden-rendering",
                        f"forbidden {bad!r} contains the {kind} {allowed!r}; a translation with it is "
                        "both credited and flagged",
                    )


@rule("empty-rendering")
def _empty_rendering(glossary: Glossary) -> Iterator[Problem]:
    for entry in glossary:
        if not entry.rendering.strip():
            yield _at(entry, "error", "empty-rendering", "empty rendering; fill the rendering column")


@rule("missing-source")
def _missing_source(glossary: Glossary) -> Iterator[Problem]:
    for entry in glossary:
        if not entry.source.strip():
            yield _at(
                entry,
                "error",
                "missing-source",
                "missing provenance: fill the source column with the document or URL and its date",
            )


_YEAR = regex.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")


@rule("undated-source")
def _undated_source(glossary: Glossary) -> Iterator[Problem]:
    for entry in glossary:
        for part in filter(None, (p.strip() for p in entry.source.split(";"))):
            if not _YEAR.search(part):
                yield _at(
                    entry, "warning", "undated-source", f"source {part!r} has no date; add the year or date"
                )


def suggest(form: str) -> str:
    """Return the normalized spelling of a Chinese form: NFKC, then traditional → simplified.

    Unlike :func:`termlock.normalize.normalize_key` it keeps case and spaces: those are
    folded at match time and are not spelling mistakes.
    """
    out = []
    for char in form:
        nfkc = unicodedata.normalize("NFKC", char)
        out.append(nfkc if nfkc.isascii() or char.isspace() else fold_char(char))
    return "".join(out)


@rule("unnormalized")
def _unnormalized(glossary: Glossary) -> Iterator[Problem]:
    for entry in glossary:
        redundant = _redundant(entry)  # reported by redundant-variant: removing them is the fix
        for form in entry.forms():
            kind = "term" if form == entry.term else "variant"
            better = suggest(form)
            if better != form and form not in redundant:
                yield _at(
                    entry, "warning", "unnormalized", f"{kind} {form!r} is not normalized; write {better!r}"
                )
            # Only a wrapped form: quotes inside a compound (新时代“枫桥经验”) are part of its spelling.
            if len(form) > 2 and form[0] in OPENING_QUOTES and form[-1] in CLOSING_QUOTES:
                yield _at(
                    entry,
                    "warning",
                    "unnormalized",
                    f"{kind} {form!r} is wrapped in quotation marks; remove them: quoted "
                    "occurrences match anyway (set quoted=yes if the English is quoted)",
                )


_SPACES = regex.compile(r"\s{2,}")


def _fields(entry: Entry) -> Iterator[tuple[str, str]]:
    yield from (("term", entry.term), ("rendering", entry.rendering))
    for name in ("variants", "admitted", "forbidden"):
        yield from ((name, item) for item in getattr(entry, name))
    yield from (("note", entry.note), ("source", entry.source))


@rule("whitespace")
def _whitespace(glossary: Glossary) -> Iterator[Problem]:
    for entry in glossary:
        for name, value in _fields(entry):
            if value != value.strip():
                yield _at(
                    entry, "warning", "whitespace", f"{name} {value!r} has leading or trailing white space"
                )
            elif _SPACES.search(value):
                yield _at(entry, "warning", "whitespace", f"{name} {value!r} has double spaces")


def _first_difference(actual: str, canonical: str) -> int:
    pairs = zip(actual.split("\n"), canonical.split("\n"), strict=False)
    return next((n for n, (a, b) in enumerate(pairs, start=1) if a != b), 1)


def _canonical_problem(name: str, path: Path) -> Problem | None:
    try:
        text = path.read_bytes().decode("utf-8")
        canonical = store.dumps(store.loads(text, str(path)))
    except (OSError, UnicodeDecodeError, TermlockError):
        return None  # a file that does not load at all never got into the glossary
    if canonical == text:
        return None
    line = _first_difference(text, canonical)
    return Problem(
        "warning",
        "not-canonical",
        name,
        line,
        "",
        f"file is not in canonical form (sorted rows, LF, no BOM; first difference on line {line}); "
        f"rewrite it: TERMLOCK_GLOSSARY= termlock glossary export --no-builtin -g {path} --format tsv "
        f"--force {path}",
    )


@rule("not-canonical")
def _not_canonical(glossary: Glossary) -> Iterator[Problem]:
    for layer in glossary.layers:
        if layer.path is not None and layer.path.is_file():
            problem = _canonical_problem(layer.name, layer.path)
            if problem is not None:
                yield problem
