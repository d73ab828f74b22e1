"""`termlock glossary ...` end to end, on small user glossaries with --no-builtin."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from clitools import Result, run_cli
from termlock import store
from termlock.edit import target_path
from termlock.entry import Entry
from termlock.errors import UsageError
from termlock.formats import FORMATS

SRC = "Xinhua (2024-03-05)"
LIANGHUI = Entry(
    "两会", "Two Sessions", ("全国两会",), ("NPC and CPPCC sessions",), ("two meetings",), source=SRC
)
BRI = Entry("一带一路", "Belt and Road Initiative", source="gov.cn (2015)")
KNOWN = "tsv, json, tbx, deepl-csv, amazon-csv, pair-tsv"


def _g(*args: str) -> Result:
    return run_cli(["glossary", *args, "--no-builtin"])


@pytest.fixture
def my(tmp_path: Path) -> Path:
    path = tmp_path / "my.tsv"
    store.save(path, [LIANGHUI, BRI])
    return path


# --- targets -------------------------------------------------------------------------------------


def test_add_creates_the_file_and_reports_on_stderr(tmp_path: Path) -> None:
    path = tmp_path / "new.tsv"
    args = ["add", "两会", "Two Sessions", "--variant", "全国两会", "--admitted", "NPC and CPPCC sessions"]
    result = _g(*args, "--forbid", "two meetings", "--source", SRC, "-g", str(path))
    assert (result.code, result.stdout, result.stderr) == (0, "", f"Added 两会 to {path}\n")
    assert store.load(path) == [LIANGHUI]
    assert path.read_bytes() == store.dumps([LIANGHUI]).encode()


def test_add_options_quoted_status_note(tmp_path: Path) -> None:
    path = tmp_path / "new.tsv"
    result = _g(
        "add", "双碳", "dual carbon", "--quoted", "--status", "admitted", "--note", "n", "-g", str(path)
    )
    assert result.code == 0
    assert store.load(path) == [Entry("双碳", "dual carbon", status="admitted", quoted=True, note="n")]
    bad = _g("add", "x", "y", "--status", "official", "-g", str(path))
    assert (bad.code, bad.stderr) == (
        2,
        "Error: status 'official' is not allowed; use one of: preferred, admitted, deprecated\n",
    )


def test_add_existing_term_or_variant_is_refused(my: Path) -> None:
    before = my.read_bytes()
    result = _g("add", "两会", "x", "-g", str(my))
    assert (
        result.stderr
        == "Error: '两会' is already in my.tsv (line 3); change it with `termlock glossary edit 两会`\n"
    )
    result = _g("add", "全国两会", "x", "-g", str(my))
    assert result.stderr == (
        "Error: '全国两会' is already in my.tsv as a variant of '两会' (line 3); "
        "change it with `termlock glossary edit 两会`\n"
    )
    assert result.code == 2 and my.read_bytes() == before


def test_last_glossary_option_is_the_target(tmp_path: Path, my: Path) -> None:
    other = tmp_path / "other.tsv"
    before = my.read_bytes()
    assert _g("add", "双碳", "dual carbon", "-g", str(my), "-g", str(other)).code == 0
    assert my.read_bytes() == before
    assert [e.term for e in store.load(other)] == ["双碳"]


def test_environment_target(tmp_path: Path, my: Path) -> None:
    env_target = tmp_path / "env.tsv"
    result = run_cli(
        ["glossary", "add", "双碳", "dual carbon", "--no-builtin"],
        env={"TERMLOCK_GLOSSARY": f"{my}:{env_target}"},
    )
    assert (result.code, result.stderr) == (0, f"Added 双碳 to {env_target}\n")
    assert [e.term for e in store.load(env_target)] == ["双碳"]


def test_no_target_and_folder_target(tmp_path: Path) -> None:
    result = _g("add", "双碳", "dual carbon")
    assert (result.code, result.stderr) == (
        2,
        "Error: no user glossary to write to; pass --glossary FILE.tsv or set TERMLOCK_GLOSSARY\n",
    )
    result = _g("remove", "双碳", "-g", str(tmp_path))
    assert result.stderr == (
        f"Error: {tmp_path} is a folder; editing commands write one file: "
        "pass --glossary FILE.tsv or set TERMLOCK_GLOSSARY\n"
    )


def test_installed_package_is_never_a_target(tmp_path: Path) -> None:
    installed = tmp_path / "lib" / "python3.12" / "site-packages" / "termlock" / "data" / "glossary"
    installed.mkdir(parents=True)
    (installed / "economy.tsv").write_text(store.HEADER + "\n", encoding="utf-8")
    result = _g("add", "双碳", "dual carbon", "-g", str(installed / "economy.tsv"))
    assert result.code == 2
    assert result.stderr == (
        f"Error: {installed / 'economy.tsv'} is inside an installed package; refusing to change it. "
        "Write your changes to a user glossary instead: pass --glossary FILE.tsv or set TERMLOCK_GLOSSARY\n"
    )
    assert (installed / "economy.tsv").read_text(encoding="utf-8") == store.HEADER + "\n"


def test_repository_glossary_is_an_allowed_explicit_target() -> None:
    repo_file = Path(__file__).resolve().parents[1] / "glossary" / "economy.tsv"
    assert target_path([repo_file], environ={}) == repo_file
    with pytest.raises(UsageError):
        target_path([], environ={})


def test_read_only_target_is_left_alone(my: Path) -> None:
    before = my.read_bytes()
    my.chmod(0o444)
    try:
        result = _g("add", "双碳", "dual carbon", "-g", str(my))
    finally:
        my.chmod(0o644)
    assert (result.code, result.stdout) == (2, "")
    assert (
        result.stderr
        == f"Error: {my}: file is read-only; make it writable (chmod u+w) or choose another file\n"
    )
    assert my.read_bytes() == before


# --- edit / remove -------------------------------------------------------------------------------


def test_edit_in_place_through_a_traditional_form(my: Path) -> None:
    result = _g(
        "edit", "兩會", "--rendering", "two sessions", "--remove-variant", "全国两会",
        "--add-variant", "两会期间", "--add-forbid", "two conferences",
        "--remove-admitted", "NPC and CPPCC sessions", "--quoted",
        "--note", "annual", "-g", str(my),
    )  # fmt: skip
    assert (result.code, result.stderr) == (0, f"Updated 两会 in {my}\n")
    (entry,) = [e for e in store.load(my) if e.term == "两会"]
    assert entry == Entry(
        "两会", "two sessions", ("两会期间",), (), ("two meetings", "two conferences"),
        quoted=True, note="annual", source=SRC,
    )  # fmt: skip


def test_edit_copies_an_entry_from_a_lower_layer(tmp_path: Path, my: Path) -> None:
    mine = tmp_path / "mine.tsv"
    before = my.read_bytes()
    result = _g("edit", "一带一路", "--source", "gov.cn (2023-10)", "-g", str(my), "-g", str(mine))
    assert (
        result.stderr == f"Updated 一带一路 in {mine}\nNote: copied 一带一路 from user:{my} into mine.tsv\n"
    )
    assert my.read_bytes() == before
    assert store.load(mine) == [Entry("一带一路", "Belt and Road Initiative", source="gov.cn (2023-10)")]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["两会"], "nothing to change; pass --rendering, --add-variant, --note, ... (see --help)"),
        (
            ["两会", "--remove-variant", "两会期间"],
            "'两会期间' is not in the variants of '两会'; it has: ['全国两会']",
        ),
        (
            ["双碳", "--note", "x"],
            "'双碳' is not in the glossary; find it with `termlock glossary list --search 双碳` "
            "or add it with `termlock glossary add 双碳 RENDERING`",
        ),
    ],
)
def test_edit_errors(my: Path, args: list[str], message: str) -> None:
    before = my.read_bytes()
    result = _g("edit", *args, "-g", str(my))
    assert (result.code, result.stderr) == (2, f"Error: {message}\n")
    assert my.read_bytes() == before


def test_remove(tmp_path: Path, my: Path) -> None:
    mine = tmp_path / "mine.tsv"
    store.save(mine, [Entry("两会", "2 sessions", source=SRC)])
    result = _g("remove", "兩會", "-g", str(my), "-g", str(mine))
    assert result.stderr == f"Removed 两会 from {mine}\nNote: 两会 from user:{my} applies again\n"
    assert store.load(mine) == []
    result = _g("remove", "一带一路", "-g", str(my), "-g", str(mine))
    assert result.stderr == (
        f"Error: '一带一路' is not in mine.tsv (it comes from user:{my}); a user glossary cannot delete it, "
        "but can override it: `termlock glossary edit 一带一路 ...`\n"
    )


# --- list / show ---------------------------------------------------------------------------------


def test_list_formats_show_the_layer(my: Path) -> None:
    tsv = _g("list", "--format", "tsv", "-g", str(my))
    assert tsv.stdout == (
        "\t".join((*store.COLUMNS, "origin")) + "\n"
        + f"{store.format_row(BRI)}\tuser:{my}\n{store.format_row(LIANGHUI)}\tuser:{my}\n"
    )  # fmt: skip
    assert tsv.stderr == "2 of 2 entries\n"
    records = json.loads(_g("list", "-f", "json", "-g", str(my)).stdout)
    assert records[1] == {**FORMATS["json"].read(FORMATS["json"].write([LIANGHUI]), "x")[0].__dict__,
                          "variants": ["全国两会"], "admitted": ["NPC and CPPCC sessions"],
                          "forbidden": ["two meetings"], "origin": f"user:{my}", "line": 3}  # fmt: skip
    table = _g("list", "-g", str(my)).stdout.splitlines()
    assert table[0].split() == ["term", "rendering", "variants", "status", "origin"]
    assert table[2].split() == ["两会", "Two", "Sessions", "全国两会", "preferred", f"user:{my}"]


@pytest.mark.parametrize(("query", "terms"), [("會", ["两会"]), ("two SESSIONS", ["两会"]), ("npc", ["两会"]),
                                              ("belt", ["一带一路"]), ("nothing", [])])  # fmt: skip
def test_list_search(my: Path, query: str, terms: list[str]) -> None:
    result = _g("list", "--search", query, "-f", "json", "-g", str(my))
    assert [r["term"] for r in json.loads(result.stdout)] == terms


def test_show_fields_layer_and_overrides(tmp_path: Path, my: Path) -> None:
    mine = tmp_path / "mine.tsv"
    store.save(mine, [Entry("两会", "2 sessions", source=SRC)])
    result = _g("show", "兩會", "-g", str(my), "-g", str(mine))
    assert result.stderr == "兩會 is a form of 两会\n"
    assert result.stdout.splitlines() == [
        "term:      两会",
        "rendering: 2 sessions",
        "variants:  ",
        "admitted:  ",
        "forbidden: ",
        "status:    preferred",
        "quoted:    no",
        "note:      ",
        f"source:    {SRC}",
        f"layer:     user:{mine}:2",
        f"overrides: user:{my}:3 (rendering 'Two Sessions')",
    ]
    record = json.loads(_g("show", "两会", "-f", "json", "-g", str(my), "-g", str(mine)).stdout)
    assert record["origin"] == f"user:{mine}" and record["overrides"][0]["origin"] == f"user:{my}"


def test_show_unknown_term(my: Path) -> None:
    result = _g("show", "双碳", "-g", str(my))
    assert (result.code, result.stderr) == (
        2,
        "Error: '双碳' is not in the glossary; look for it with `termlock glossary list --search 双碳`\n",
    )


# --- import / export -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["tsv", "json", "tbx"])
def test_export_import_lossless(tmp_path: Path, my: Path, name: str) -> None:
    full = Entry("双碳", "dual carbon", ("碳达峰碳中和",), ("carbon peak",), ("double carbon",), "deprecated",
                 True, "note", SRC)  # fmt: skip
    store.save(my, [*store.load(my), full])
    exported = tmp_path / f"out.{name}"
    result = _g("export", str(exported), "-g", str(my))
    assert (result.code, result.stderr) == (0, f"Exported 3 entries to {exported} ({name})\n")
    target = tmp_path / "imported.tsv"
    result = _g("import", str(exported), "-g", str(target))
    assert (
        result.stderr
        == f"Imported 3 entries from {exported} into {target}: 3 added, 0 replaced, 0 skipped, 0 unchanged\n"
    )
    assert target.read_bytes() == my.read_bytes()


def test_export_refuses_to_overwrite_without_force(tmp_path: Path, my: Path) -> None:
    out = tmp_path / "out.json"
    out.write_text("keep", encoding="utf-8")
    result = _g("export", str(out), "-g", str(my))
    assert (result.code, result.stderr) == (2, f"Error: {out} already exists; pass --force to overwrite it\n")
    assert out.read_text(encoding="utf-8") == "keep"
    assert _g("export", str(out), "--force", "-g", str(my)).code == 0
    assert len(json.loads(out.read_text(encoding="utf-8"))) == 2


def test_export_to_stdout_and_lossy_warning(my: Path) -> None:
    result = _g("export", "-", "--format", "deepl-csv", "-g", str(my))
    assert result.stdout == "一带一路,Belt and Road Initiative\n两会,Two Sessions\n全国两会,Two Sessions\n"
    assert result.stderr == (
        "Exported 2 entries to - (deepl-csv)\n"
        "Warning: deepl-csv keeps only the Chinese forms and the preferred rendering\n"
    )
    assert _g("export", "-", "-g", str(my)).stdout == store.dumps([LIANGHUI, BRI])


def test_deepl_csv_import_from_stdin_warns_about_sources(tmp_path: Path) -> None:
    target = tmp_path / "t.tsv"
    data = "两会,Two Sessions\n全国两会,Two Sessions\n".encode()
    result = run_cli(["glossary", "import", "-", "--format", "deepl-csv", "-g", str(target)], stdin=data)
    assert result.code == 0
    assert result.stderr == (
        f"Imported 1 entries from - into {target}: 1 added, 0 replaced, 0 skipped, 0 unchanged\n"
        "Warning: deepl-csv keeps only the Chinese forms and the preferred rendering\n"
        "Warning: 1 imported entries have no source; add where each rendering comes from (document or URL "
        "and date) with `termlock glossary edit TERM --source ...`; `termlock glossary lint` reports them "
        "as errors until then\n"
    )
    assert store.load(target) == [Entry("两会", "Two Sessions", ("全国两会",))]


def test_import_conflicts(tmp_path: Path, my: Path) -> None:
    incoming = tmp_path / "in.json"
    incoming.write_bytes(FORMATS["json"].write([Entry("两会", "two sessions", source=SRC), BRI]))
    before = my.read_bytes()
    fail = _g("import", str(incoming), "-g", str(my))
    assert (fail.code, fail.stderr) == (
        2,
        "Error: 1 imported term(s) already in my.tsv with other content: 两会; "
        "pass --on-conflict skip (keep yours) or --on-conflict replace (take the imported ones)\n",
    )
    assert my.read_bytes() == before
    skip = _g("import", str(incoming), "--on-conflict", "skip", "-g", str(my))
    assert skip.stderr.endswith("0 added, 0 replaced, 1 skipped, 1 unchanged\n")
    assert my.read_bytes() == before
    replace = _g("import", str(incoming), "--on-conflict", "replace", "-g", str(my))
    assert replace.stderr.endswith("0 added, 1 replaced, 0 skipped, 1 unchanged\n")
    assert [e.rendering for e in store.load(my)] == ["Belt and Road Initiative", "two sessions"]
    bad = _g("import", str(incoming), "--on-conflict", "merge", "-g", str(my))
    assert bad.stderr == "Error: --on-conflict 'merge' is not allowed; use one of: skip, replace, fail\n"


@pytest.mark.parametrize(
    ("name", "content", "args", "message"),
    [
        (
            "g.xlsx",
            b"x",
            [],
            f"cannot tell the format of {{path}} from its name; pass --format (one of: {KNOWN})",
        ),
        ("g.csv", b"x", ["--format", "excel"], f"unknown format 'excel'; use one of: {KNOWN}"),
        (
            "g.tbx",
            b"not xml",
            [],
            "{path}:1: not well-formed XML, so not a TBX file: Start tag expected, '<' not found, line 1, "
            "column 1; fix the XML or pass the right --format",
        ),
        (
            "g.json",
            b'{"term": "x"}',
            [],
            "{path}:1: expected a JSON list of entry objects, found an object; wrap the entries in [ ]",
        ),
        (
            "g.json",
            b'[{"term": "x"}]',
            [],
            "{path}:1: missing field 'rendering'; every entry needs term and rendering",
        ),
        ("missing.tsv", None, [], "{path}: file not found; check the path"),
    ],
)
def test_bad_import_files(
    tmp_path: Path, name: str, content: bytes | None, args: list[str], message: str
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    target = tmp_path / "t.tsv"
    result = _g("import", str(path), *args, "-g", str(target))
    assert (result.code, result.stderr) == (2, f"Error: {message.format(path=path)}\n")
    assert not target.exists()


# --- terms ---------------------------------------------------------------------------------------


def test_terms_positions_counts_and_line_breaks(tmp_path: Path, my: Path) -> None:
    text = tmp_path / "doc.txt"
    text.write_text("今年的两\n会和一带一路，\r\n“全国两会”。\n", encoding="utf-8")
    result = _g("terms", str(text), "--format", "tsv", "-g", str(my))
    assert result.stdout == (
        "term\trendering\tcount\tpositions\n两会\tTwo Sessions\t2\t1:4 3:2\n"
        "一带一路\tBelt and Road Initiative\t1\t2:3\n"
    )
    assert result.stderr == "3 occurrences of 2 terms\n"


def test_terms_from_stdin_as_json_in_gb18030(my: Path) -> None:
    text = "今年的两会在北京召开，代表们讨论了经济发展。\n两会期间，代表们发言。"
    result = run_cli(
        ["glossary", "terms", "-", "-f", "json", "--no-builtin", "-g", str(my)], stdin=text.encode("gb18030")
    )
    (record,) = json.loads(result.stdout)
    assert record["count"] == 2
    assert [(o["line"], o["column"], o["form"]) for o in record["occurrences"]] == [
        (1, 4, "两会"),
        (2, 1, "两会"),
    ]


def test_unknown_output_format(my: Path) -> None:
    result = _g("list", "--format", "yaml", "-g", str(my))
    assert result.stderr == "Error: --format 'yaml' is not allowed here; use one of: table, tsv, json\n"


# --- no heavy imports ----------------------------------------------------------------------------

NO_TORCH = textwrap.dedent(
    """
    import sys
    from termlock.cli import main

    def run(*args):
        try:
            main(list(args))
        except SystemExit:
            pass

    d = sys.argv[1]
    g = ["--no-builtin", "-g", f"{d}/my.tsv"]
    run("--help")
    run("glossary", "--help")
    for command in ("list", "show", "add", "edit", "remove", "import", "export", "lint", "terms"):
        run("glossary", command, "--help")
    run("glossary", "add", "两会", "Two Sessions", "--source", "x (2024)", *g)
    run("glossary", "edit", "两会", "--note", "n", *g)
    run("glossary", "list", *g)
    run("glossary", "show", "两会", *g)
    run("glossary", "lint", *g)
    run("glossary", "export", f"{d}/out.tbx", *g)
    run("glossary", "import", f"{d}/out.tbx", "--no-builtin", "-g", f"{d}/other.tsv")
    run("glossary", "terms", f"{d}/doc.txt", *g)
    run("glossary", "remove", "两会", *g)
    heavy = [name for name in ("torch", "transformers") if name in sys.modules]
    assert not heavy, heavy
    print("OK", file=sys.stderr)
    """
)


def test_cli_glossary_commands_do_not_import_torch(tmp_path: Path) -> None:
    (tmp_path / "doc.txt").write_text("两会", encoding="utf-8")
    env = {"PATH": "/usr/bin:/bin", "TERMLOCK_GLOSSARY": ""}
    done = subprocess.run(
        [sys.executable, "-c", NO_TORCH, str(tmp_path)], capture_output=True, env=env, check=False
    )
    assert done.returncode == 0, done.stderr.decode()
    assert done.stderr.decode().endswith("OK\n")
    assert (tmp_path / "other.tsv").exists()
