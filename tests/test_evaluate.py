"""termlock.evaluate: test set layouts, term scores and a tiny-model run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from termlock.entry import Entry
from termlock.errors import InputError
from termlock.evaluate import (
    TermPair,
    TestItem,
    TestSet,
    build_translator,
    lemma_contains,
    load_testset,
    run_eval,
    score,
    term_scores,
)
from termlock.glossary import Glossary, Layer

FORCES = TermPair("新质生产力", "productive forces")


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_tsv_with_optional_terms(tmp_path: Path) -> None:
    terms = json.dumps([{"zh": "新质生产力", "en": "productive forces"}], ensure_ascii=False)
    path = write(tmp_path / "t.tsv", f"发展新质生产力。\tDevelop productive forces.\t{terms}\n政策\tpolicy\n")
    testset = load_testset(path)
    assert testset.layout == "tsv"
    assert testset.items == [
        TestItem("发展新质生产力。", "Develop productive forces.", (FORCES,), 1),
        TestItem("政策", "policy", (), 2),
    ]


def test_tsv_wmt23_split_submission_header(tmp_path: Path) -> None:
    path = write(
        tmp_path / "t.tsv", 'src\tref\tterms\tmt\n政策\tpolicy\t[{"zh": "政策", "en": "policy"}]\tx\n'
    )
    assert load_testset(path).items == [TestItem("政策", "policy", (TermPair("政策", "policy"),), 2)]


def test_tsv_bad_terms_column(tmp_path: Path) -> None:
    path = write(tmp_path / "t.tsv", "政策\tpolicy\t[{zh}]\n")
    with pytest.raises(InputError) as info:
        load_testset(path)
    assert str(info.value).startswith(f"{path}:1: terms column is not valid JSON (")


def test_terms_of_the_wrong_shape(tmp_path: Path) -> None:
    path = write(tmp_path / "t.jsonl", '{"zh": "政策", "en": "policy", "terms": [{"zh": "政策"}]}\n')
    with pytest.raises(InputError) as info:
        load_testset(path)
    assert str(info.value) == (
        f"{path}:1: terms must be a JSON list of pairs like "
        '[{"zh": "新质生产力", "en": "new quality productive forces"}]'
    )


def test_jsonl(tmp_path: Path) -> None:
    record = {
        "zh": "发展新质生产力",
        "en": "Develop productive forces",
        "terms": [["新质生产力", "productive forces"]],
    }
    path = write(tmp_path / "t.jsonl", json.dumps(record, ensure_ascii=False) + "\n")
    assert load_testset(path).items == [TestItem("发展新质生产力", "Develop productive forces", (FORCES,), 1)]


def test_jsonl_missing_reference(tmp_path: Path) -> None:
    path = write(tmp_path / "t.jsonl", '{"zh": "政策"}\n')
    with pytest.raises(InputError, match=r't\.jsonl:1: each line needs "zh" and "en" strings'):
        load_testset(path)


def _wmt(folder: Path, term_suffix: str = ".term.proper") -> Path:
    # The released files: one segment per line, no final newline, "[]" for no terms.
    folder.mkdir()
    write(folder / "zhen.zh", "发展新质生产力。\n政策")
    write(folder / "zhen.en", "Develop productive forces.\npolicy")
    write(folder / f"zhen{term_suffix}", '[{"zh": "新质生产力", "en": "productive forces"}]\n[]')
    write(folder / "zhen.term.random", '[{"zh": "发展", "en": "Develop"}]\n[]')
    return folder


@pytest.mark.parametrize("suffix", [".term", ".term.proper", ".terminology.proper"])
def test_wmt23_directory_and_prefix(tmp_path: Path, suffix: str) -> None:
    folder = _wmt(tmp_path / "wmt", suffix)
    expected = [
        TestItem("发展新质生产力。", "Develop productive forces.", (FORCES,), 1),
        TestItem("政策", "policy", (), 2),
    ]
    assert load_testset(folder).items == expected
    assert load_testset(folder / "zhen").items == expected
    assert load_testset(folder / "zhen.zh").layout == "wmt23"


def test_wmt23_random_terms(tmp_path: Path) -> None:
    folder = _wmt(tmp_path / "wmt")
    assert load_testset(folder, term_set="random").items[0].terms == (TermPair("发展", "Develop"),)


def test_wmt23_misaligned(tmp_path: Path) -> None:
    folder = _wmt(tmp_path / "wmt")
    write(folder / "zhen.en", "only one line\n")
    with pytest.raises(InputError) as info:
        load_testset(folder)
    assert str(info.value) == (
        f"{folder / 'zhen.zh'}: 2 source lines but 1 in {folder / 'zhen.en'}; "
        "the files must align line by line"
    )


def test_wmt23_hugging_face_json(tmp_path: Path) -> None:
    records = [
        {
            "src": "政策",
            "ref": "policy",
            "langs": "zh-en",
            "hints": {"term": [{"zh": "政策", "en": "policy"}]},
        },
        {"src": "Politik", "ref": "policy", "langs": "de-en", "hints": {"term": []}},
    ]
    path = write(tmp_path / "test.json", json.dumps(records, ensure_ascii=False))
    testset = load_testset(path)
    assert (testset.layout, testset.items) == (
        "wmt23-json",
        [TestItem("政策", "policy", (TermPair("政策", "policy"),), 1)],
    )


def test_not_a_testset(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        load_testset(tmp_path / "nothing")
    assert str(info.value) == (
        f"{tmp_path / 'nothing'}: not a test set: give a .tsv (zh<TAB>en[<TAB>terms]), .jsonl or "
        "WMT23 test.json file, or a WMT23 prefix/directory with PREFIX.zh, PREFIX.en and PREFIX.term.proper"
    )


def test_empty_testset(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"no segments found; the test set is empty"):
        load_testset(write(tmp_path / "t.tsv", ""))


def test_term_success_levels() -> None:
    items = [
        TestItem("a", "", (TermPair("x", "productive forces"),)),
        TestItem("b", "", (TermPair("y", "Industrial Cluster"),)),
        TestItem("c", "", (TermPair("z", "develop"),)),
        TestItem("d", "", (TermPair("w", "policy"),)),
    ]
    hyps = ["new productive forces", "two industrial clusters", "it developed", "policymaking"]
    scores = term_scores(items, hyps)
    assert (scores.pairs, scores.exact, scores.case_insensitive, scores.lemma) == (4, 0.25, 0.5, 0.75)


def test_lemma_contains() -> None:
    assert lemma_contains("The Systems were developed", "system develop") is False  # not adjacent
    assert lemma_contains("industries grew", "industry grow")
    assert not lemma_contains("policymaking", "policy")


def test_term_consistency() -> None:
    nets = TermPair("十张网", "Ten Networks")
    items = [TestItem("a", "", (nets,)), TestItem("b", "", (nets,)), TestItem("c", "", (FORCES,))]
    assert term_scores(items, ["the Ten Networks", "ten networks", "x"]).consistency == 1.0
    scores = term_scores(items, ["the Ten Networks", "ten webs", "x"])
    assert (scores.consistency, scores.repeated_terms) == (0.0, 1)
    assert term_scores(items[2:], ["x"]).consistency is None


def test_score_has_sacrebleu_signatures() -> None:
    sentence = "the new policy works well for all of us"
    report = score(TestSet("t", "tsv", [TestItem("政策", sentence, ())]), [sentence])
    assert [(m.name, m.score) for m in report.metrics] == [("BLEU", 100.0), ("chrF2", 100.0)]
    assert report.metrics[0].signature.startswith("nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:")
    assert report.metrics[1].signature.startswith("nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:")
    assert report.terms.exact is None


@pytest.mark.slow
def test_tiny_model_proper_mode_hits_every_term(tmp_path: Path, tiny_model_dir: Path) -> None:
    from termlock.translator import TranslatorOptions

    lines = [
        {
            "zh": "发展新质生产力。",
            "en": "Develop new productive forces.",
            "terms": [{"zh": "新质生产力", "en": "productive forces"}],
        },
        {
            "zh": "拓展十大产业集群。",
            "en": "Ten industrial clusters.",
            "terms": [{"zh": "产业集群", "en": "industrial clusters"}],
        },
    ]
    path = write(tmp_path / "t.jsonl", "\n".join(json.dumps(r, ensure_ascii=False) for r in lines))
    testset = load_testset(path)
    options = TranslatorOptions(model=str(tiny_model_dir), device="cpu", beams=2)
    report = run_eval(testset, build_translator("proper", None, options), "proper")
    assert report.terms.exact == 1.0 and report.terms.case_insensitive == 1.0
    assert report.signature["text"].startswith("termlock:")
    plain = run_eval(testset, build_translator("none", None, options), "none")
    assert plain.signature["glossary"] == "none" and len(plain.hypotheses) == 2
    glossary = Glossary([Layer("t", None, (Entry("新质生产力", "productive forces"),))])
    enforced = run_eval(testset, build_translator("glossary", glossary, options), "glossary")
    assert enforced.signature["glossary"] == glossary.digest
    assert "productive forces" in enforced.hypotheses[0]
