"""The check, extract and eval commands: exact output, messages and exit codes."""

from __future__ import annotations

import datetime
import json
import subprocess
import sys
from pathlib import Path

import pytest

from clitools import run_cli
from seed import SEED as _SEED_PATH
from termlock import store
from termlock.entry import Entry
from termlock.store import COLUMNS

SEED = str(_SEED_PATH)
ENTRIES = [
    Entry(
        "现代化产业体系",
        "modern industrial system",
        admitted=("modernized industrial system",),
        forbidden=("modern industry system",),
    ),
    Entry("十张网", "Ten Networks", quoted=True),
    Entry("新质生产力", "new quality productive forces"),
]


@pytest.fixture
def glossary(tmp_path: Path) -> Path:
    path = tmp_path / "g.tsv"
    path.write_text(store.dumps(ENTRIES), encoding="utf-8")
    return path


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def check(*args: str | Path) -> tuple[int, str, str]:
    result = run_cli(["check", *map(str, args), "--no-builtin"])
    return result.code, result.stdout, result.stderr


def test_check_table_summary_and_exit_code(tmp_path: Path, glossary: Path) -> None:
    doc = write(
        tmp_path / "doc.tsv",
        "加快建设现代化产业体系。\tBuild a modern industry system.\n"
        "打造“十张网”。\tBuild the Ten Networks.\n"
        "发展。\tDevelop new quality productive forces.\n",
    )
    code, out, err = check(doc, "-g", glossary)
    assert code == 1
    assert out.splitlines() == [
        "seg  line  severity  check       term            rendering                      detail",
        "---  ----  --------  ----------  --------------  -----------------------------  " + "-" * 101,
        "1    1     error     missing     现代化产业体系  modern industrial system       "
        "'modern industrial system' (or admitted: 'modernized industrial system') "
        "not found for 现代化产业体系",
        "1    1     error     forbidden   现代化产业体系  modern industry system         "
        "forbidden rendering 'modern industry system'; use 'modern industrial system'",
        "2    2     warning   unquoted    十张网          Ten Networks                   "
        "'Ten Networks' should stand in quotation marks (“Ten Networks”)",
        "3    3     warning   unexpected  新质生产力      new quality productive forces  "
        "'new quality productive forces' found but 新质生产力 is not in the source",
    ]
    assert err == "3 segments, 2 term occurrences: 2 errors, 2 warnings\n"


def test_check_clean_translation_exits_0_with_empty_stdout(tmp_path: Path, glossary: Path) -> None:
    doc = write(tmp_path / "doc.tsv", "加快建设现代化产业体系。\tBuild modern industrial systems.\n")
    assert check(doc, "-g", glossary) == (0, "", "1 segment, 1 term occurrence: 0 errors, 0 warnings\n")


@pytest.mark.parametrize(("fail_on", "code"), [("error", 0), ("warning", 1), ("never", 0)])
def test_check_fail_on_with_warnings_only(tmp_path: Path, glossary: Path, fail_on: str, code: int) -> None:
    doc = write(tmp_path / "doc.tsv", "打造“十张网”。\tBuild the Ten Networks.\n")
    assert check(doc, "-g", glossary, "--fail-on", fail_on)[0] == code


def test_check_fail_on_never_with_errors(tmp_path: Path, glossary: Path) -> None:
    doc = write(tmp_path / "doc.tsv", "现代化产业体系\tnothing\n")
    assert check(doc, "-g", glossary, "--fail-on", "never")[0] == 0


def test_check_json(tmp_path: Path, glossary: Path) -> None:
    doc = write(tmp_path / "doc.jsonl", '{"zh": "现代化产业体系", "en": "nothing"}\n')
    code, out, _ = check(doc, "-g", glossary, "--format", "json")
    assert code == 1
    assert json.loads(out) == {
        "segments": 1,
        "occurrences": 1,
        "errors": 1,
        "warnings": 0,
        "issues": [
            {
                "segment": 1,
                "line": 1,
                "severity": "error",
                "check": "missing",
                "term": "现代化产业体系",
                "rendering": "modern industrial system",
                "detail": "'modern industrial system' (or admitted: 'modernized industrial system') "
                "not found for 现代化产业体系",
            }
        ],
    }


def test_check_preferred_only_and_skip(tmp_path: Path, glossary: Path) -> None:
    doc = write(tmp_path / "doc.tsv", "现代化产业体系\ta modernized industrial system\n")
    assert check(doc, "-g", glossary)[0] == 0
    assert check(doc, "-g", glossary, "--preferred-only")[0] == 1
    assert check(doc, "-g", glossary, "--preferred-only", "--skip", "missing")[0] == 0


def test_check_unknown_skip(tmp_path: Path, glossary: Path) -> None:
    doc = write(tmp_path / "doc.tsv", "政策\tpolicy\n")
    assert check(doc, "-g", glossary, "--skip", "spelling") == (
        2,
        "",
        "Error: unknown --skip 'spelling'; allowed values: "
        "missing, forbidden, inconsistent, unexpected, unquoted\n",
    )


def test_check_two_documents(tmp_path: Path, glossary: Path) -> None:
    source = write(tmp_path / "zh.txt", "加快建设现代化\n产业体系。\n\n发展新质生产力。\n")
    target = write(tmp_path / "en.txt", "Build a modern industrial system.\n\nDevelop new forces.\n")
    code, out, err = check(source, target, "-g", glossary)
    assert code == 1
    assert "2    4     error     missing  新质生产力  new quality productive forces" in out
    assert err == "2 segments, 2 term occurrences: 1 error, 0 warnings\n"


def test_check_two_documents_mismatch(tmp_path: Path, glossary: Path) -> None:
    source = write(tmp_path / "zh.txt", "第一段。\n\n第二段。\n")
    target = write(tmp_path / "en.txt", "First and second.\n")
    code, out, err = check(source, target, "-g", glossary)
    assert (code, out) == (2, "")
    assert err == (
        f"Error: {source}: the source has 2 paragraphs but the translation {target} has 1; "
        "they first diverge at: source unit 2 (line 3, paragraph) “第二段。” "
        "vs translation has no unit 2; give both files the same paragraphs "
        "(or check one bilingual TSV/XLIFF file instead)\n"
    )


def test_check_malformed_tsv(tmp_path: Path, glossary: Path) -> None:
    doc = write(tmp_path / "doc.tsv", "政策\tpolicy\n十张网\n")
    assert check(doc, "-g", glossary) == (
        2,
        "",
        f"Error: {doc}:2: expected zh<TAB>en (one tab between the columns), found no tab; "
        "put exactly one tab between the Chinese source and the English translation\n",
    )


def test_check_empty_file(tmp_path: Path, glossary: Path) -> None:
    doc = write(tmp_path / "doc.jsonl", "")
    assert check(doc, "-g", glossary) == (2, "", f"Error: {doc}: no segments found; the file is empty\n")


def test_check_missing_file(tmp_path: Path, glossary: Path) -> None:
    assert check(tmp_path / "none.tsv", "-g", glossary) == (
        2,
        "",
        f"Error: {tmp_path / 'none.tsv'}: file not found; check the path\n",
    )


def _extract(*args: str | Path) -> tuple[int, list[list[str]], str]:
    result = run_cli(["extract", *map(str, args)])
    return result.code, [line.split("\t") for line in result.stdout.splitlines()], result.stderr


def test_extract_seed_article() -> None:
    code, rows, err = _extract(SEED, "--no-builtin")
    assert code == 0
    assert rows[0] == list(COLUMNS)
    by_term = {row[0]: row for row in rows[1:]}
    assert all(len(row) == len(COLUMNS) for row in rows)
    for term in ("三基地一通道", "十张网", "十大产业集群", "五大战略定位"):
        assert term in by_term
    today = datetime.date.today().isoformat()
    assert by_term["十张网"][1:7] == ["", "", "", "", "preferred", "yes"]
    assert (
        by_term["十张网"][7]
        == "candidate: kind=formula, count=5, e.g. …建设、打造基础设施“十张网”，与国家大局、发展…"
    )
    assert by_term["十张网"][8] == f"{SEED} (extracted {today})"
    assert err == f"{len(rows) - 1} candidates from 1 file\n"


def test_extract_leaves_out_glossary_terms(tmp_path: Path) -> None:
    path = write(tmp_path / "g.tsv", store.dumps([Entry("十张网", "Ten Networks", quoted=True)]))
    _, rows, _ = _extract(SEED, "--no-builtin", "-g", path, "--top", "5")
    terms = [row[0] for row in rows[1:]]
    assert "十张网" not in terms
    assert terms == ["十大产业集群", "1+10+N", "三基地一通道", "三山夹两盆", "五大战略定位"]


def test_extract_table(tmp_path: Path) -> None:
    text = write(tmp_path / "a.txt", "打造“十张网”。\n")
    result = run_cli(["extract", str(text), "--no-builtin", "--format", "table"])
    assert result.stdout.splitlines() == [
        "term    kind     count  score  example",
        "------  -------  -----  -----  --------------",
        "十张网  formula  1      0.00   打造“十张网”。",
    ]
    assert result.stderr == "1 candidate from 1 file\n"


def test_extract_bad_option(tmp_path: Path) -> None:
    text = write(tmp_path / "a.txt", "打造“十张网”。\n")
    result = run_cli(["extract", str(text), "--no-builtin", "--min-count", "-1"])
    assert (result.code, result.stderr) == (2, "Error: --min-count -1: must be 0 or more\n")


def test_check_and_extract_do_not_import_torch(tmp_path: Path) -> None:
    doc = write(tmp_path / "doc.tsv", "政策\tpolicy\n")
    code = (
        "import sys\nfrom clitools import run_cli\n"
        f"run_cli(['check', {str(doc)!r}, '--no-builtin'])\n"
        f"run_cli(['extract', {SEED!r}, '--no-builtin'])\n"
        "assert 'torch' not in sys.modules and 'transformers' not in sys.modules, 'torch imported'\n"
    )
    tests = str(Path(__file__).parent)
    subprocess.run([sys.executable, "-c", code], check=True, cwd=tests, env={"PYTHONPATH": tests})


@pytest.mark.slow
def test_eval_tiny_model(tmp_path: Path, tiny_model_dir: Path) -> None:
    terms = json.dumps([{"zh": "新质生产力", "en": "productive forces"}], ensure_ascii=False)
    testset = write(
        tmp_path / "t.tsv",
        f"发展新质生产力。\tDevelop new productive forces.\t{terms}\n"
        f"推动新质生产力。\tPromote productive forces.\t{terms}\n",
    )
    result = run_cli(
        ["eval", str(testset), "--terms", "proper", "--model", str(tiny_model_dir), "--beams", "2"]
    )
    assert result.code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"{testset} (tsv, 2 segments), terms: proper"
    assert (
        lines[3].startswith("BLEU ") and "nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:" in lines[3]
    )
    assert (
        lines[4].startswith("chrF2 ") and "nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:" in lines[4]
    )
    assert lines[5].startswith("term success (exact)  ") and "100.0%  2 term pairs" in lines[5]
    assert "100.0%" in lines[6] and "100.0%" in lines[7]
    assert lines[-1].startswith("translator: termlock:0.1.0|model:")
    assert result.stderr == f"Translating 2 segments of {testset} (tsv), terms: proper\n"
    plain = run_cli(
        ["eval", str(testset), "--terms", "none", "--model", str(tiny_model_dir), "--format", "json"]
    )
    assert plain.code == 0, plain.stderr
    report = json.loads(plain.stdout)
    assert report["mode"] == "none" and report["signature"]["glossary"] == "none"
    assert [m["name"] for m in report["metrics"]] == ["BLEU", "chrF2"]
    assert report["terms"]["pairs"] == 2


def test_eval_code_switch_keeps_the_guarantee(tmp_path: Path, tiny_model_dir: Path) -> None:
    terms = json.dumps([{"zh": "新质生产力", "en": "productive forces"}], ensure_ascii=False)
    testset = write(tmp_path / "t.tsv", f"发展新质生产力。\tDevelop new productive forces.\t{terms}\n")
    args = ["eval", str(testset), "--model", str(tiny_model_dir), "--format", "json", "--code-switch"]
    result = run_cli(args)
    assert result.code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["signature"]["code_switch"] == "yes"
    assert "|code_switch:yes" in report["signature"]["text"]
    assert report["terms"]["pairs"] == 1 and report["terms"]["case_insensitive"] == 1.0
