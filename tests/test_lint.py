"""Lint rules, one by one, on small in-memory glossaries (never on the curated files' content)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from clitools import run_cli
from termlock import store
from termlock.entry import Entry
from termlock.glossary import Glossary, Layer
from termlock.lint import RULES, Problem, lint, suggest

SRC = "Xinhua (2024-03-05)"


def _glossary(*layers: tuple[str, list[Entry]]) -> Glossary:
    return Glossary(
        [
            Layer(name, None, tuple(e.with_origin(name, line) for line, e in enumerate(entries, start=2)))
            for name, entries in layers
        ]
    )


def _user(*entries: Entry) -> Glossary:
    return _glossary(("user:my.tsv", list(entries)))


def _found(glossary: Glossary) -> list[tuple[str, str, str, str]]:
    return [(p.severity, p.rule, p.term, p.message) for p in lint(glossary)]


def test_registry_has_every_rule() -> None:
    assert set(RULES) == {
        "duplicate-form",
        "empty-form",
        "redundant-variant",
        "duplicate-term",
        "conflicting-rendering",
        "forbidden-rendering",
        "empty-rendering",
        "missing-source",
        "undated-source",
        "unnormalized",
        "whitespace",
        "not-canonical",
    }


def test_clean_glossary_has_no_problems() -> None:
    g = _user(
        Entry(
            "两会", "Two Sessions", ("全国两会",), ("NPC and CPPCC sessions",), ("two meetings",), source=SRC
        ),
        Entry("经济", "economy", source=SRC),
        Entry("数字经济", "digital economy", source=SRC),  # contains 经济, which still matches alone
    )
    assert lint(g) == []


def test_variant_claimed_by_another_term_is_an_error_on_the_loser() -> None:
    g = _user(
        Entry("一带一路", "Belt and Road Initiative", ("两会",), source=SRC),
        Entry("两会", "Two Sessions", source=SRC),
    )
    assert lint(g) == [
        Problem(
            "error",
            "duplicate-form",
            "user:my.tsv",
            3,
            "两会",
            "term '两会' is also claimed by '一带一路' (user:my.tsv:2) as '两会', "
            "so it never matches '两会'; keep it in one entry only",
        )
    ]


def test_forms_equal_after_normalization_are_duplicates_across_layers() -> None:
    g = _glossary(
        ("builtin:a.tsv", [Entry("两会", "Two Sessions", source=SRC)]),
        ("user:my.tsv", [Entry("会议", "meeting", ("兩會",), source=SRC)]),
    )
    (problem,) = [p for p in lint(g) if p.rule == "duplicate-form"]
    assert (problem.severity, problem.origin, problem.term) == ("error", "user:my.tsv", "会议")
    assert problem.message.startswith("variant '兩會' is also claimed by '两会' (builtin:a.tsv:2)")


def test_empty_form() -> None:
    assert ("error", "empty-form", "两会", "form ' ' is only white space; remove it") in _found(
        _user(Entry("两会", "Two Sessions", (" ",), source=SRC))
    )


def test_redundant_variant_is_reported_once() -> None:
    assert _found(_user(Entry("两会", "Two Sessions", ("兩會",), source=SRC))) == [
        (
            "warning",
            "redundant-variant",
            "两会",
            "variant '兩會' normalizes like '两会' "
            "(width, script and case are folded when matching); remove it",
        )
    ]


def test_user_override_with_other_rendering_warns() -> None:
    g = _glossary(
        ("builtin:a.tsv", [Entry("两会", "two sessions", source=SRC)]),
        ("user:my.tsv", [Entry("两会", "Two Sessions", source=SRC), Entry("一带一路", "BRI", source=SRC)]),
    )
    assert _found(g) == [
        (
            "warning",
            "conflicting-rendering",
            "两会",
            "conflicting rendering across layers: 'Two Sessions' overrides 'two sessions' of builtin:a.tsv:2",
        )
    ]


def test_same_rendering_override_is_fine_but_two_builtin_files_are_not() -> None:
    same = _glossary(
        ("builtin:a.tsv", [Entry("两会", "X", source=SRC)]), ("user:u", [Entry("两会", "X", source=SRC)])
    )
    assert lint(same) == []
    twice = _glossary(
        ("builtin:a.tsv", [Entry("两会", "X", source=SRC)]),
        ("builtin:b.tsv", [Entry("两会", "X", source=SRC)]),
    )
    assert _found(twice) == [
        ("error", "duplicate-term", "两会", "also defined in builtin:a.tsv:2; keep one of them")
    ]


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        (
            Entry("两会", "Two Sessions", forbidden=("two sessions",), source=SRC),
            ("error", "rendering 'Two Sessions' is also forbidden"),
        ),
        (
            Entry(
                "两会", "Two Sessions", admitted=("two meetings",), forbidden=("two meetings",), source=SRC
            ),
            ("error", "admitted rendering 'two meetings' is also forbidden"),
        ),
        (
            Entry(
                "新质生产力", "new quality productive forces", forbidden=("productive forces",), source=SRC
            ),
            (
                "error",
                "rendering 'new quality productive forces' contains forbidden 'productive forces', "
                "so every correct translation is flagged",
            ),
        ),
        (
            Entry("生产力", "productive forces", forbidden=("new productive forces",), source=SRC),
            (
                "warning",
                "forbidden 'new productive forces' contains the rendering 'productive forces'; "
                "a translation with it is both credited and flagged",
            ),
        ),
    ],
)
def test_forbidden_renderings(entry: Entry, expected: tuple[str, str]) -> None:
    assert [(p.severity, p.message) for p in lint(_user(entry))] == [expected]


def test_empty_rendering_missing_and_undated_source() -> None:
    found = _found(_user(Entry("两会", " "), Entry("一带一路", "BRI", source="gov.cn; Xinhua 2024")))
    assert ("error", "empty-rendering", "两会", "empty rendering; fill the rendering column") in found
    assert (
        "error",
        "missing-source",
        "两会",
        "missing provenance: fill the source column with the document or URL and its date",
    ) in found
    assert (
        "warning",
        "undated-source",
        "一带一路",
        "source 'gov.cn' has no date; add the year or date",
    ) in found


def test_unnormalized_forms_and_quotes() -> None:
    found = _found(
        _user(
            Entry("兩會", "Two Sessions", source=SRC),
            Entry("“双碳”", "dual carbon", ("新时代“枫桥经验”",), source=SRC),
        )
    )
    assert ("warning", "unnormalized", "兩會", "term '兩會' is not normalized; write '两会'") in found
    assert (
        "warning",
        "unnormalized",
        "“双碳”",
        "term '“双碳”' is wrapped in quotation marks; remove them: quoted occurrences match anyway "
        "(set quoted=yes if the English is quoted)",
    ) in found
    assert not [f for f in found if "枫桥" in f[3]]  # quotes inside a compound form are its spelling


def test_suggest_keeps_case_and_spaces_but_folds_width_and_script() -> None:
    assert suggest("１+１０+Ｎ 體系") == "1+10+N 体系"
    assert suggest("5G") == "5G"


def test_whitespace_in_any_field() -> None:
    found = _found(_user(Entry("两会", "Two Sessions ", note="a  b", source=SRC)))
    assert found == [
        ("warning", "whitespace", "两会", "note 'a  b' has double spaces"),
        ("warning", "whitespace", "两会", "rendering 'Two Sessions ' has leading or trailing white space"),
    ]


def test_not_canonical_file(tmp_path: Path) -> None:
    path = tmp_path / "my.tsv"
    rows = [Entry("两会", "Two Sessions", source=SRC), Entry("一带一路", "BRI", source=SRC)]
    path.write_text(
        store.HEADER + "\n" + "\n".join(store.format_row(e) for e in rows) + "\n", encoding="utf-8"
    )
    result = run_cli(["glossary", "lint", "--no-builtin", "-g", str(path)])
    assert result.code == 1
    assert result.stdout.splitlines()[1].split()[0:2] == ["warning", f"user:{path}:2"]
    assert (
        "not-canonical: file is not in canonical form "
        "(sorted rows, LF, no BOM; first difference on line 2); "
        f"rewrite it: TERMLOCK_GLOSSARY= termlock glossary export --no-builtin -g {path} --format tsv "
        f"--force {path}"
    ) in result.stdout
    fixed = run_cli(
        ["glossary", "export", "--no-builtin", "-g", str(path), "--format", "tsv", "--force", str(path)]
    )
    assert fixed.code == 0
    clean = run_cli(["glossary", "lint", "--no-builtin", "-g", str(path)])
    assert (clean.code, clean.stdout, clean.stderr) == (0, "", "2 entries: 0 error(s), 0 warning(s)\n")


def test_cli_lint_lists_severity_origin_term_message(tmp_path: Path) -> None:
    path = tmp_path / "my.tsv"
    store.save(path, [Entry("两会", "Two Sessions")])
    result = run_cli(["glossary", "lint", "--no-builtin", "-g", str(path)])
    assert result.code == 1
    assert result.stdout.splitlines() == [
        "severity  where" + " " * (len(f"user:{path}:2") - 3) + "term  problem",
        f"error     user:{path}:2  两会  missing-source: missing provenance: fill the source column with "
        "the document or URL and its date",
    ]
    assert result.stderr == "1 entries: 1 error(s), 0 warning(s)\n"


def test_cli_lint_json_and_warnings_only_exit_non_zero(tmp_path: Path) -> None:
    path = tmp_path / "my.tsv"
    store.save(path, [Entry("两会", "Two Sessions", source="gov.cn")])
    result = run_cli(["glossary", "lint", "--no-builtin", "-g", str(path), "--format", "json"])
    assert result.code == 1
    (record,) = json.loads(result.stdout)
    assert record == {
        "severity": "warning",
        "rule": "undated-source",
        "origin": f"user:{path}",
        "line": 2,
        "term": "两会",
        "message": "source 'gov.cn' has no date; add the year or date",
    }
