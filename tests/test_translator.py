"""The translation pipeline: segmentation, term requests, batching, verification, signature."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from termlock.decoding import DecodeResult, TermRequest
from termlock.glossary import Glossary, load_glossary
from termlock.model import LoadedModel, load_model
from termlock.translator import Totals, Translator, TranslatorOptions

HEADER = "term\trendering\tvariants\tadmitted\tforbidden\tstatus\tquoted\tnote\tsource\n"
ROWS = [
    "新质生产力\tnew quality productive forces\t\tnew productive forces\tnew productivity\tpreferred\tno\t\t",
    "现代化产业体系\tmodern industrial system\t\t\tindustrial system\tpreferred\tno\t\t",
    "高质量发展\thigh-quality development\t\t\t\tpreferred\tno\t\t",
    "十大产业集群\tten industrial clusters\t\t\t\tpreferred\tyes\t\t",
]


def write_glossary(path: Path, rows: Sequence[str] = ROWS) -> Path:
    """Write a test glossary TSV (canonical header, one row per entry)."""
    path.write_text(HEADER + "".join(row + "\n" for row in rows), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def glossary(tmp_path_factory: pytest.TempPathFactory) -> Glossary:
    return load_glossary([write_glossary(tmp_path_factory.mktemp("g") / "test.tsv")], builtin=False)


@pytest.fixture(scope="module")
def loaded(tiny_model_dir: Path) -> LoadedModel:
    return load_model(str(tiny_model_dir), device="cpu")


class FakeDecoder:
    """Stands in for Decoder: records requests, answers with fixed texts."""

    def __init__(self, answer: Any = None, unwritable: Sequence[tuple[TermRequest, str]] = ()) -> None:
        self.answer = answer or (lambda source, terms: " ".join(t.rendering for t in terms) or "plain")
        self.unwritable = tuple(unwritable)
        self.calls: list[tuple[list[str], list[list[TermRequest]]]] = []

    def decode(self, sources: Sequence[str], terms: Sequence[Sequence[TermRequest]]) -> list[DecodeResult]:
        self.calls.append((list(sources), [list(t) for t in terms]))
        return [
            DecodeResult(self.answer(s, t), (), self.unwritable) for s, t in zip(sources, terms, strict=True)
        ]

    def signature(self) -> dict[str, Any]:
        return {"algorithm": "fake"}

    def fits(self, terms: Sequence[TermRequest]) -> bool:
        return True


def fake(translator: Translator, decoder: FakeDecoder) -> FakeDecoder:
    """Swap the translator's decoder for ``decoder`` (same as passing ``decoder=``)."""
    translator._decoder = decoder  # type: ignore[assignment]
    return decoder


def test_decoder_can_be_passed_in(glossary: Glossary, loaded: LoadedModel) -> None:
    decoder = FakeDecoder(answer=lambda s, t: "given")
    translator = Translator(glossary, TranslatorOptions(), loaded=loaded, decoder=decoder)  # type: ignore[arg-type]
    assert translator.translate_texts(["产业"])[0].text == "given"
    assert translator.signature().decoder == {"algorithm": "fake"}


def requests(decoder: FakeDecoder) -> list[TermRequest]:
    return [r for _, terms in decoder.calls for ts in terms for r in ts]


def test_occurrence_offsets_point_at_the_term_and_the_rendering(
    glossary: Glossary, loaded: LoadedModel
) -> None:
    translator = Translator(glossary, TranslatorOptions(max_length=32), loaded=loaded)
    source = "我们要加快建设现代化产业体系。推动高质量发展，发展新质生产力。"
    [unit] = translator.translate_texts([source])
    assert "".join(seg.source for seg in unit.segments) == source
    assert [occ.term for occ in unit.occurrences] == ["现代化产业体系", "高质量发展", "新质生产力"]
    for occ in unit.occurrences:
        assert source[occ.start : occ.end] == occ.term
        assert occ.enforced and occ.satisfied and occ.reason is None
        assert occ.target is not None
        assert unit.text[occ.target[0] : occ.target[1]].lower() == occ.rendering
    assert unit.text == " ".join(seg.text for seg in unit.segments)
    assert Totals.of([unit]) == Totals(units=1, segments=2, occurrences=3, enforced=3, satisfied=3)


def test_batch_size_does_not_change_outputs_or_order(glossary: Glossary, loaded: LoadedModel) -> None:
    texts = ["现代化产业体系", "推动高质量发展。", "新质生产力是什么？各地资源禀赋不同。", "绿色发展", "产业"]
    runs = [
        [
            u.text
            for u in Translator(
                glossary, TranslatorOptions(batch_size=b, max_length=24), loaded=loaded
            ).translate_texts(texts)
        ]
        for b in (1, 3)
    ]
    assert runs[0] == runs[1]
    assert len(runs[0]) == len(texts) and all(runs[0])


def test_long_sentences_are_split_to_fit_never_truncated(glossary: Glossary, loaded: LoadedModel) -> None:
    translator = Translator(glossary, TranslatorOptions(max_length=10), loaded=loaded)
    source = (
        "新疆聚焦国家所需、自身所能，丰富拓展十大产业集群，发展动力更加澎湃，"
        "为全国现代化产业体系建设贡献新疆力量。"
    )
    [unit] = translator.translate_texts([source])
    assert len(unit.segments) > 2
    assert "".join(seg.source for seg in unit.segments) == source
    for seg in unit.segments:
        assert len(loaded.tokenizer(seg.source.strip()).input_ids) <= 10
    assert [seg.start for seg in unit.segments] == [source.index(seg.source) for seg in unit.segments]


@pytest.mark.parametrize("limit", [12, 16, 20])
def test_cuts_never_halve_a_term(glossary: Glossary, loaded: LoadedModel, limit: int) -> None:
    # No punctuation: split_long has to cut between characters, possibly inside a term.
    source = "发展新质生产力推动高质量发展建设现代化产业体系" * 4
    translator = Translator(glossary, TranslatorOptions(max_length=limit), loaded=loaded)
    fake(translator, FakeDecoder())
    [unit] = translator.translate_texts([source])
    assert len(unit.segments) > 1 and "".join(seg.source for seg in unit.segments) == source
    expected = [(m.start, m.end) for m in glossary.matcher.find(source)]
    assert [(occ.start, occ.end) for occ in unit.occurrences] == expected
    assert all(len(loaded.tokenizer(seg.source).input_ids) <= limit for seg in unit.segments)


def test_term_requests_carry_position_heading_and_quote_flags(
    glossary: Glossary, loaded: LoadedModel
) -> None:
    translator = Translator(glossary, TranslatorOptions(), loaded=loaded)
    decoder = fake(translator, FakeDecoder())
    translator.translate_texts(
        ["“新质生产力”引领，高质量发展。", "“十大产业集群”和十大产业集群", "现代化产业体系"],
        ["paragraph", "paragraph", "heading"],
    )
    got = {(r.term, r.sentence_initial, r.quoted, r.title_case) for r in requests(decoder)}
    assert got == {
        ("新质生产力", True, False, False),  # entry not quoted: quotes in the source do not matter
        ("高质量发展", False, False, False),
        ("十大产业集群", True, True, False),  # quoted entry between quotes
        ("十大产业集群", False, False, False),  # quoted entry, bare occurrence
        ("现代化产业体系", True, False, True),
    }
    first = next(r for r in requests(decoder) if r.term == "新质生产力")
    assert first.forbidden == ("new productivity",) and first.admitted == ("new productive forces",)


def test_segments_are_sent_longest_first_and_results_restored(
    glossary: Glossary, loaded: LoadedModel
) -> None:
    translator = Translator(glossary, TranslatorOptions(batch_size=2), loaded=loaded)
    decoder = fake(translator, FakeDecoder(answer=lambda source, terms: f"<{source}>"))
    texts = ["短。", "这是一个比较长的句子，有很多字。", "中等长度的句子。"]
    units = translator.translate_texts(texts)
    assert [u.text for u in units] == [f"<{t}>" for t in texts]
    sent = [s for sources, _ in decoder.calls for s in sources]
    assert sent == sorted(texts, key=lambda t: -len(loaded.tokenizer(t).input_ids))
    assert [len(sources) for sources, _ in decoder.calls] == [2, 1]


def test_code_switch_puts_renderings_into_the_source(glossary: Glossary, loaded: LoadedModel) -> None:
    translator = Translator(glossary, TranslatorOptions(code_switch=True), loaded=loaded)
    decoder = fake(translator, FakeDecoder())
    [unit] = translator.translate_texts(["发展新质生产力，推动高质量发展。"])
    assert decoder.calls[0][0] == ["发展 new quality productive forces ，推动 high-quality development 。"]
    assert [r.term for r in requests(decoder)] == ["新质生产力", "高质量发展"]  # still constrained
    assert all(occ.satisfied for occ in unit.occurrences)
    assert translator.signature().text.endswith("|code_switch:yes")


def test_forbidden_found_outside_but_not_inside_credited_renderings(
    glossary: Glossary, loaded: LoadedModel
) -> None:
    translator = Translator(glossary, TranslatorOptions(), loaded=loaded)
    fake(translator, FakeDecoder(answer=lambda s, t: "a modern industrial system and new productivity"))
    [unit] = translator.translate_texts(["现代化产业体系和新质生产力"])
    system, forces = unit.occurrences
    assert (system.satisfied, system.forbidden_found, system.reason) == (True, [], None)
    assert (forces.satisfied, forces.forbidden_found) == (False, ["new productivity"])
    assert forces.reason == "not in output"
    assert Totals.of([unit]).missed == 1 and Totals.of([unit]).forbidden == 1


def test_admitted_rendering_counts_only_when_allowed(glossary: Glossary, loaded: LoadedModel) -> None:
    outcomes = []
    for allow in (False, True):
        translator = Translator(glossary, TranslatorOptions(allow_admitted=allow), loaded=loaded)
        fake(translator, FakeDecoder(answer=lambda s, t: "new productive forces"))
        outcomes.append(translator.translate_texts(["新质生产力"])[0].occurrences[0].satisfied)
    assert outcomes == [False, True]


def test_unwritable_term_is_reported_not_enforced(glossary: Glossary, loaded: LoadedModel) -> None:
    translator = Translator(glossary, TranslatorOptions(), loaded=loaded)
    request = TermRequest("高质量发展", "high-quality development", sentence_initial=True)
    fake(translator, FakeDecoder(answer=lambda s, t: "nothing", unwritable=[(request, "needs <unk>")]))
    [occ] = translator.translate_texts(["高质量发展"])[0].occurrences
    assert (occ.enforced, occ.satisfied, occ.reason) == (False, False, "not enforced: needs <unk>")


def test_explicit_terms_replace_glossary_matching(glossary: Glossary, loaded: LoadedModel) -> None:
    translator = Translator(glossary, TranslatorOptions(max_length=24), loaded=loaded)
    wanted = [TermRequest("资源禀赋", "resource endowments"), TermRequest("区位", "locations")]
    [unit] = translator.translate_texts(["各地资源禀赋、区位条件。现代化产业体系。"], terms=[wanted])
    assert [(o.term, o.start, o.end) for o in unit.occurrences] == [("资源禀赋", 2, 6), ("区位", 7, 9)]
    assert all(o.satisfied and o.enforced for o in unit.occurrences)


def test_no_glossary_is_plain_translation(glossary: Glossary, loaded: LoadedModel) -> None:
    translator = Translator(glossary, TranslatorOptions(use_glossary=False, max_length=16), loaded=loaded)
    decoder = fake(translator, FakeDecoder())
    [unit] = translator.translate_texts(["现代化产业体系"])
    assert unit.occurrences == [] and requests(decoder) == []
    assert "|glossary:none|" in translator.signature().text


def test_empty_units_give_empty_translations(glossary: Glossary, loaded: LoadedModel) -> None:
    translator = Translator(glossary, TranslatorOptions(), loaded=loaded)
    decoder = fake(translator, FakeDecoder())
    units = translator.translate_texts(["", "  ", "产业"])
    assert [u.text for u in units] == ["", "", "plain"]
    assert [s for sources, _ in decoder.calls for s in sources] == ["产业"]


def test_progress_reports_every_batch_up_to_the_total(glossary: Glossary, loaded: LoadedModel) -> None:
    seen: list[tuple[int, int]] = []
    translator = Translator(
        glossary, TranslatorOptions(batch_size=2), progress=lambda d, t: seen.append((d, t)), loaded=loaded
    )
    fake(translator, FakeDecoder())
    translator.translate_texts(["一。二。三。", "", "四。五。"])
    assert seen == [(0, 5), (2, 5), (4, 5), (5, 5)]


def test_signature_names_every_setting(glossary: Glossary, loaded: LoadedModel) -> None:
    options = TranslatorOptions(beams=2, batch_size=8, max_length=64, allow_admitted=True)
    signature = Translator(glossary, options, loaded=loaded).signature()
    assert re.fullmatch(
        rf"termlock:[\w.+-]+\|model:{re.escape(loaded.name)}@sha256:[0-9a-f]{{12}}\|glossary:{glossary.digest}"
        r"\|beams:2\|max_len:64\|batch:8\|admitted:yes\|code_switch:no",
        signature.text,
    )
    assert signature.as_dict()["decoder"]["num_beams"] == 2
    assert str(signature) == signature.text


def test_document_round_trip_keeps_lines(glossary: Glossary, loaded: LoadedModel) -> None:
    from termlock.documents import read_document

    doc = read_document("-", data="新质生产力\n\n现代化产业体系\n".encode())
    translator = Translator(glossary, TranslatorOptions(max_length=16), loaded=loaded)
    result = translator.translate_document(doc)
    lines = result.output.decode("utf-8").split("\n")
    assert len(lines) == 4 and lines[1] == "" and lines[3] == ""
    assert "new quality productive forces" in lines[0].lower()
    assert result.totals == Totals(units=3, segments=2, occurrences=2, enforced=2, satisfied=2)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("beams", 0, "--beams 0: must be at least 1"),
        ("batch_size", 0, "--batch-size 0: must be at least 1"),
        ("max_length", 4, "--max-length 4: must be at least 8 tokens"),
    ],
)
def test_bad_options_are_usage_errors(field: str, value: int, message: str) -> None:
    from termlock.errors import UsageError

    with pytest.raises(UsageError) as info:
        Translator(None, TranslatorOptions(**{field: value}))
    assert str(info.value) == message


class FakeTerminal:
    """A text stream that says it is a terminal."""

    def __init__(self) -> None:
        import io

        self.buffer = io.StringIO()

    def write(self, text: str) -> int:
        return self.buffer.write(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return True


def test_progress_bar_only_on_a_terminal_and_not_quiet() -> None:
    import io

    from termlock.progress import ProgressBar, wanted

    terminal = FakeTerminal()
    assert wanted(terminal) and not wanted(terminal, quiet=True)  # type: ignore[arg-type]
    assert not wanted(io.StringIO())
    with ProgressBar("Translating", stream=terminal) as bar:  # type: ignore[arg-type]
        bar.update(0, 4)
        bar.update(4, 4)
    assert "Translating" in terminal.buffer.getvalue() and "4/4" in terminal.buffer.getvalue()
    with ProgressBar(enabled=False) as quiet_bar:
        quiet_bar.update(1, 2)  # a disabled bar accepts updates and draws nothing


def test_sentence_whose_renderings_cannot_fit_together_is_split_at_a_clause(
    loaded: LoadedModel, tmp_path: Path
) -> None:
    # Each rendering (~105 target tokens) fits the tiny model's 128 positions alone, not both
    # together: the sentence is split at its comma and both terms are still satisfied.
    phrase = "the modern industrial system and high-quality development of new quality productive forces"
    long_a, long_b = " ".join([phrase] * 4), " ".join([phrase.replace("the modern", "a modern")] * 4)
    rows = [
        f"新质生产力\t{long_a}\t\t\t\tpreferred\tno\t\t",
        f"高质量发展\t{long_b}\t\t\t\tpreferred\tno\t\t",
    ]
    glossary = load_glossary([write_glossary(tmp_path / "long.tsv", rows)], builtin=False)
    translator = Translator(glossary, TranslatorOptions(beams=1), loaded=loaded)
    (unit,) = translator.translate_texts(["发展新质生产力，推动高质量发展。"])
    assert len(unit.segments) == 2
    assert [o.satisfied for o in unit.occurrences] == [True, True]
