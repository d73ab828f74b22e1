"""`termlock translate` end to end with the tiny model: formats, outputs, errors, summary."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from clitools import Result, run_cli
from seed import SEED
from test_model import EXPECTED_OFFLINE, MISSING
from test_translator import write_glossary

SUMMARY = re.compile(
    r"(\d+) units, (\d+) segments, terms: (\d+) found, (\d+) enforced, (\d+) satisfied, (\d+) missed"
)
TEXT = "新质生产力\n\n加快建设现代化产业体系。推动高质量发展。\n\n“十大产业集群”是主战场。\n"


@pytest.fixture(scope="module")
def common(tiny_model_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """Options every run shares: the tiny model, a short limit and the test glossary only."""
    glossary = write_glossary(tmp_path_factory.mktemp("glossary") / "test.tsv")
    return [
        "--model",
        str(tiny_model_dir),
        "--max-length",
        "24",
        "--beams",
        "2",
        "--no-builtin",
        "-g",
        str(glossary),
    ]


def translate(
    common: list[str], *args: str, stdin: bytes = b"", env: dict[str, str | None] | None = None
) -> Result:
    return run_cli(["translate", *args, *common], stdin=stdin, env=env)


def summary(result: Result) -> tuple[int, ...]:
    match = SUMMARY.search(result.stderr)
    assert match, result.stderr
    return tuple(int(n) for n in match.groups())


def test_txt_round_trip_with_report(common: list[str], tmp_path: Path) -> None:
    source = tmp_path / "in.txt"
    source.write_text(TEXT, encoding="utf-8")
    result = translate(common, str(source), "--report", str(tmp_path / "r.json"))
    assert result.code == 0, result.stderr
    assert result.stdout == ""
    out = (tmp_path / "in.en.txt").read_text(encoding="utf-8")
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert out.split("\n\n") == [u["output"] for u in report["units"][:-1]] + [
        report["units"][-1]["output"] + "\n"
    ]
    assert [u["kind"] for u in report["units"]] == ["heading", "paragraph", "paragraph"]
    assert report["input"] == {"path": str(source), "format": "txt"}
    assert report["output"] == str(tmp_path / "in.en.txt")
    assert summary(result) == (3, 4, 4, 4, 4, 0)
    assert (
        result.stderr.splitlines()[-1]
        == "3 units, 4 segments, terms: 4 found, 4 enforced, 4 satisfied, 0 missed"
    )


@pytest.mark.skipif(not SEED.exists(), reason="seed article not available")
def test_seed_article_round_trip(common: list[str], tmp_path: Path) -> None:
    from termlock.documents import read_document
    from termlock.glossary import load_glossary

    glossary = load_glossary([Path(common[common.index("-g") + 1])], builtin=False)
    output, report_path = tmp_path / "seed.en.txt", tmp_path / "seed.json"
    result = translate(
        common, str(SEED), "-o", str(output), "--report", str(report_path), "--batch-size", "32"
    )
    assert result.code == 0, result.stderr
    units = read_document(str(SEED)).units
    report = json.loads(report_path.read_text(encoding="utf-8"))
    lines = [line for line in output.read_text(encoding="utf-8").split("\n") if line]
    assert len(lines) == len(units) == len(report["units"])  # units in = paragraphs out
    assert lines == [u["output"] for u in report["units"]]
    headings = [i for i, unit in enumerate(units) if unit.kind == "heading"]
    assert headings and all(report["units"][i]["kind"] == "heading" for i in headings)
    expected = [(m.entry.term, m.start) for unit in units for m in glossary.matcher.find(unit.text)]
    listed = [
        (o["term"], o["start"]) for u in report["units"] for s in u["segments"] for o in s["occurrences"]
    ]
    assert listed == expected and len(listed) > 10
    totals = report["totals"]
    assert totals["occurrences"] == totals["satisfied"] == len(expected) and totals["missed"] == 0


@pytest.fixture(scope="module")
def seed_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny model whose target vocabulary can write every built-in rendering the seed needs.

    The default tiny vocabulary lacks letters such as "X" and "J", so renderings like
    "General Secretary Xi Jinping" would be unwritable and could never be satisfied.
    """
    from termlock.documents import read_document
    from termlock.glossary import load_glossary
    from tinymodel import build_tiny_marian, default_corpus

    matcher = load_glossary().matcher
    found = {m.entry for unit in read_document(str(SEED)).units for m in matcher.find(unit.text)}
    zh, en = default_corpus()
    return build_tiny_marian(
        tmp_path_factory.mktemp("seed_model"), zh, en + sorted(e.rendering for e in found)
    )


@pytest.mark.skipif(not SEED.exists(), reason="seed article not available")
def test_seed_article_with_builtin_glossary(seed_model_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "o.txt"
    args = ["translate", str(SEED), "-o", str(out), "--report", str(tmp_path / "r.json")]
    result = run_cli(
        [*args, "--model", str(seed_model_dir), "--max-length", "24", "--beams", "2", "--batch-size", "32"]
    )
    assert result.code == 0, result.stderr
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    totals = report["totals"]
    # Every occurrence of the built-in glossary in the article is enforced and satisfied.
    assert totals["occurrences"] > 200
    assert totals["satisfied"] == totals["enforced"] == totals["occurrences"], result.stderr
    assert totals["missed"] == 0 and totals["forbidden"] == 0
    # ... and the independent checker agrees: no errors on (article, its translation).
    checked = run_cli(["check", str(SEED), str(out), "--format", "json"])
    assert checked.code == 0, checked.stdout
    assert [i for i in json.loads(checked.stdout)["issues"] if i["severity"] == "error"] == []


def test_stdin_to_stdout_keeps_one_line_per_line(common: list[str]) -> None:
    result = translate(common, "-", stdin="新质生产力\n\n现代化产业体系。高质量发展。\n".encode())
    assert result.code == 0, result.stderr
    lines = result.stdout.split("\n")
    assert len(lines) == 4 and lines[1] == "" and lines[3] == ""
    assert "new quality productive forces" in lines[0].lower()
    assert "modern industrial system" in lines[2] and "high-quality development" in lines[2]
    assert summary(result) == (3, 3, 3, 3, 3, 0)


def test_markdown_round_trip(common: list[str], tmp_path: Path) -> None:
    source = tmp_path / "doc.md"
    source.write_text("# 新质生产力\n\n推动**高质量发展**。\n\n- 现代化产业体系\n", encoding="utf-8")
    result = translate(common, str(source))
    assert result.code == 0, result.stderr
    out = (tmp_path / "doc.en.md").read_text(encoding="utf-8")
    assert out.startswith("# ") and "\n- " in out
    assert "new quality productive forces" in out.lower().split("\n")[0]
    assert summary(result)[2] == summary(result)[4] == 3


def test_docx_round_trip(common: list[str], tmp_path: Path) -> None:
    pytest.importorskip("termlock.documents.docx")
    import docx

    source = tmp_path / "doc.docx"
    document = docx.Document()
    document.add_heading("新质生产力", level=1)
    document.add_paragraph("加快建设现代化产业体系。")
    document.save(str(source))
    result = translate(common, str(source))
    assert result.code == 0, result.stderr
    paragraphs = [p for p in docx.Document(str(tmp_path / "doc.en.docx")).paragraphs if p.text]
    assert len(paragraphs) == 2
    assert paragraphs[0].style is not None and paragraphs[0].style.name == "Heading 1"
    assert "modern industrial system" in paragraphs[1].text
    assert summary(result)[2:5] == (2, 2, 2)


@pytest.mark.parametrize("encoding", ["gb18030", "utf-16"])
def test_input_encodings(common: list[str], tmp_path: Path, encoding: str) -> None:
    source = tmp_path / "in.txt"
    source.write_bytes(TEXT.encode(encoding))
    result = translate(common, str(source))
    assert result.code == 0, result.stderr
    assert summary(result) == (3, 4, 4, 4, 4, 0)
    assert "modern industrial system" in (tmp_path / "in.en.txt").read_text(encoding="utf-8")


def test_existing_output_is_never_overwritten(common: list[str], tmp_path: Path) -> None:
    source = tmp_path / "in.txt"
    source.write_text(TEXT, encoding="utf-8")
    existing = tmp_path / "in.en.txt"
    existing.write_text("keep me", encoding="utf-8")
    result = translate(common, str(source))
    assert (result.code, result.stdout) == (2, "")
    assert result.stderr == f"Error: {existing}: already exists; pass --force to overwrite it\n"
    assert existing.read_text(encoding="utf-8") == "keep me"
    assert translate(common, str(source), "--force").code == 0
    assert existing.read_text(encoding="utf-8") != "keep me"


def test_all_outputs_are_checked_before_translating(common: list[str], tmp_path: Path) -> None:
    source = tmp_path / "in.txt"
    source.write_text(TEXT, encoding="utf-8")
    (tmp_path / "view.html").write_text("old", encoding="utf-8")
    report, view = str(tmp_path / "r.json"), str(tmp_path / "view.html")
    result = translate(common, str(source), "--report", report, "--bilingual", view)
    assert result.code == 2
    assert result.stderr == f"Error: {view}: already exists; pass --force to overwrite it\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.txt", "view.html"]  # nothing half-done


def test_output_may_not_be_the_input(common: list[str], tmp_path: Path) -> None:
    source = tmp_path / "in.txt"
    source.write_text(TEXT, encoding="utf-8")
    result = translate(common, str(source), "-o", str(source), "--force")
    assert (result.code, result.stderr) == (
        2,
        f"Error: {source}: is the input file; choose another output name\n",
    )


def test_offline_missing_model_message(tmp_path: Path) -> None:
    source = tmp_path / "in.txt"
    source.write_text(TEXT, encoding="utf-8")
    result = run_cli(
        ["translate", str(source), "--model", MISSING, "--no-builtin"], env={"HF_HUB_OFFLINE": "1"}
    )
    assert result.code == 3
    assert result.stderr == f"Error: {EXPECTED_OFFLINE}\n"
    assert "Traceback" not in result.stderr and not (tmp_path / "in.en.txt").exists()


def test_batch_sizes_give_identical_outputs_in_order(common: list[str]) -> None:
    text = (
        "新质生产力。现代化产业体系。\n推动高质量发展。\n各地资源禀赋、区位条件、产业基础各不相同。\n"
        "绿色发展\n产业兴、就业稳、人心聚。\n"
    )
    outputs = []
    for size in ("1", "3"):
        result = translate(common, "-", "--batch-size", size, stdin=text.encode())
        assert result.code == 0, result.stderr
        outputs.append(result.stdout)
    assert outputs[0] == outputs[1]
    assert len(outputs[0].splitlines()) == 5


def test_strict_fails_when_a_term_is_missed(common: list[str], tmp_path: Path) -> None:
    glossary = write_glossary(tmp_path / "bad.tsv", ["产业\tΩmega ψ\t\t\t\tpreferred\tno\t\t"])
    args = ["-", "-g", str(glossary), "--strict"]
    result = translate(common, *args, stdin="产业兴。\n".encode())
    assert result.code == 4
    lines = result.stderr.splitlines()
    assert lines[0] == "1 units, 1 segments, terms: 1 found, 0 enforced, 0 satisfied, 1 missed"
    assert lines[1].startswith("  missed: line 1: 产业 → “Ωmega ψ” (not enforced: ")
    assert lines[2] == "Error: --strict: 1 term occurrence(s) missed, 0 with a forbidden rendering"
    assert result.stdout.count("\n") == 1  # the translation is still written
    assert translate(common, *args[:-1], stdin="产业兴。\n".encode()).code == 0


def test_no_glossary_translates_plainly(common: list[str], tmp_path: Path) -> None:
    report = tmp_path / "r.json"
    result = translate(
        common, "-", "--no-glossary", "--report", str(report), stdin="现代化产业体系。\n".encode()
    )
    assert result.code == 0, result.stderr
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["signature"]["glossary"] == "none" and "|glossary:none|" in data["signature"]["text"]
    assert summary(result) == (1, 1, 0, 0, 0, 0)


def test_bilingual_view_from_the_cli(common: list[str], tmp_path: Path) -> None:
    view = tmp_path / "view.html"
    result = translate(common, "-", "--bilingual", str(view), "-q", stdin="现代化产业体系。\n".encode())
    assert (result.code, result.stderr) == (0, "")
    page = view.read_text(encoding="utf-8")
    assert (
        '<mark class="term ok" title="现代化产业体系 → modern industrial system">现代化产业体系</mark>'
        in page
    )
    assert '<mark class="rendering" title="现代化产业体系">modern industrial system</mark>' in page


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--device", "tpu"], "--device 'tpu' is not allowed; use one of: auto, cpu, cuda"),
        (["--format", "pdf"], "unknown --format 'pdf'; allowed values: txt, md, docx, lines"),
        (["--bilingual", "v.pdf"], "--bilingual v.pdf: unknown extension; use one of: .html, .htm, .md"),
        (["--batch-size", "0"], "--batch-size 0: must be at least 1"),
    ],
)
def test_bad_options(common: list[str], args: list[str], message: str) -> None:
    result = translate(common, "-", *args, stdin="产业\n".encode())
    assert (result.code, result.stdout, result.stderr) == (2, "", f"Error: {message}\n")


def test_help_lists_the_options() -> None:
    result = run_cli(["translate", "--help"])
    assert result.code == 0
    options = [
        "--output",
        "--format",
        "--no-reflow",
        "--model",
        "--device",
        "--beams",
        "--batch-size",
        "--max-length",
        "--no-glossary",
        "--allow-admitted",
        "--code-switch",
        "--report",
        "--bilingual",
        "--strict",
        "--force",
        "--quiet",
        "--glossary",
        "--no-builtin",
    ]
    for option in options:
        assert option in result.stdout
