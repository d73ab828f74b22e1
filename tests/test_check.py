"""termlock.check: every check on small hand-built cases."""

from __future__ import annotations

import pytest

from termlock.bitext import Pair
from termlock.check import CHECKS, Issue, check_pairs
from termlock.entry import Entry
from termlock.glossary import Glossary, Layer

SYSTEM = Entry(
    "现代化产业体系",
    "modern industrial system",
    admitted=("modernized industrial system",),
    forbidden=("modern industry system",),
)
FORCES = Entry("新质生产力", "new quality productive forces")
POLICY = Entry("政策", "policy")
NETS = Entry("十张网", "Ten Networks", quoted=True)
CLUSTER = Entry("产业集群", "industrial cluster")


def glossary(*entries: Entry) -> Glossary:
    return Glossary([Layer("test", None, entries)])


def checks(issues: list[Issue]) -> list[tuple[int, str, str]]:
    return [(i.segment, i.check, i.rendering) for i in issues]


def test_preferred_rendering_passes() -> None:
    report = check_pairs(
        glossary(SYSTEM), [Pair("加快建设现代化产业体系。", "Build a modern industrial system.", 1)]
    )
    assert report.issues == []
    assert (report.segments, report.occurrences) == (1, 1)
    assert report.summary() == "1 segment, 1 term occurrence: 0 errors, 0 warnings"


def test_missing_rendering_is_an_error() -> None:
    report = check_pairs(glossary(SYSTEM), [Pair("加快建设现代化产业体系。", "Build a new economy.", 4)])
    assert report.issues == [
        Issue(
            1,
            4,
            "error",
            "missing",
            "现代化产业体系",
            "modern industrial system",
            "'modern industrial system' (or admitted: 'modernized industrial system') "
            "not found for 现代化产业体系",
        )
    ]
    assert report.summary() == "1 segment, 1 term occurrence: 1 error, 0 warnings"


def test_each_occurrence_needs_its_own_rendering() -> None:
    pair = Pair("现代化产业体系和现代化产业体系", "the modern industrial system", 1)
    report = check_pairs(glossary(SYSTEM), [pair])
    assert checks(report.issues) == [(1, "missing", "modern industrial system")]
    assert report.occurrences == 2


def test_admitted_rendering_counts_unless_preferred_only() -> None:
    pair = Pair("现代化产业体系", "a modernized industrial system", 1)
    assert check_pairs(glossary(SYSTEM), [pair]).issues == []
    strict = check_pairs(glossary(SYSTEM), [pair], allow_admitted=False)
    assert checks(strict.issues) == [(1, "missing", "modern industrial system")]
    assert strict.issues[0].detail == "'modern industrial system' not found for 现代化产业体系"


def test_forbidden_rendering_is_an_error() -> None:
    pair = Pair("现代化产业体系", "a modern industrial system, a modern industry system", 2)
    report = check_pairs(glossary(SYSTEM), [pair])
    assert report.issues == [
        Issue(
            1,
            2,
            "error",
            "forbidden",
            "现代化产业体系",
            "modern industry system",
            "forbidden rendering 'modern industry system'; use 'modern industrial system'",
        )
    ]


def test_forbidden_inside_the_credited_rendering_is_not_reported() -> None:
    entry = Entry("现代化产业体系", "modern industrial system", forbidden=("industrial system",))
    report = check_pairs(glossary(entry), [Pair("现代化产业体系", "the modern industrial system", 1)])
    assert report.issues == []


@pytest.mark.parametrize(
    "target",
    [
        "Develop New Quality Productive Forces.",  # case
        "new quality productive forces' role",  # possessive of a plural
        "the new quality productive  forces",  # any run of spaces
    ],
)
def test_case_possessive_and_spacing_are_credited(target: str) -> None:
    assert check_pairs(glossary(FORCES), [Pair("发展新质生产力", target, 1)]).issues == []


@pytest.mark.parametrize("target", ["These policies work.", "the policy's aim", "The Policy"])
def test_plural_and_possessive_are_credited(target: str) -> None:
    assert check_pairs(glossary(POLICY), [Pair("政策", target, 1)]).issues == []


def test_word_boundaries_hold() -> None:
    report = check_pairs(glossary(POLICY), [Pair("政策", "policymakers decide", 1)])
    assert checks(report.issues) == [(1, "missing", "policy")]


def test_inconsistent_rendering_across_segments_is_a_warning() -> None:
    pairs = [
        Pair("现代化产业体系", "a modern industrial system", 1),
        Pair("现代化产业体系", "the modern industrial system", 3),
        Pair("现代化产业体系", "a modernized industrial system", 5),
    ]
    report = check_pairs(glossary(SYSTEM), pairs)
    assert report.issues == [
        Issue(
            3,
            5,
            "warning",
            "inconsistent",
            "现代化产业体系",
            "modernized industrial system",
            "rendered 'modernized industrial system' here but 'modern industrial system' in segments 1, 2",
        )
    ]


def test_inconsistency_tie_prefers_the_preferred_rendering() -> None:
    pairs = [
        Pair("现代化产业体系", "a modernized industrial system", 1),
        Pair("现代化产业体系", "a modern industrial system", 2),
    ]
    report = check_pairs(glossary(SYSTEM), pairs)
    assert checks(report.issues) == [(1, "inconsistent", "modernized industrial system")]
    assert report.issues[0].detail.endswith("but 'modern industrial system' in segment 2")


def test_unexpected_rendering_without_its_term_is_a_warning() -> None:
    report = check_pairs(
        glossary(SYSTEM, FORCES), [Pair("加快发展。", "Develop new quality productive forces.", 7)]
    )
    assert report.issues == [
        Issue(
            1,
            7,
            "warning",
            "unexpected",
            "新质生产力",
            "new quality productive forces",
            "'new quality productive forces' found but 新质生产力 is not in the source",
        )
    ]


def test_rendering_inside_a_credited_longer_one_is_not_unexpected() -> None:
    system = Entry("现代化产业体系", "modern industrial system")
    industrial = Entry("产业体系", "industrial system")
    report = check_pairs(
        glossary(system, industrial), [Pair("现代化产业体系", "a modern industrial system", 1)]
    )
    assert report.issues == []


def test_unexpected_rendering_inside_a_longer_unexpected_one_is_reported_once() -> None:
    bri = Entry("一带一路倡议", "Belt and Road Initiative")
    bar = Entry("一带一路", "Belt and Road")
    report = check_pairs(
        glossary(bri, bar), [Pair("合作。", "the Belt and Road Initiative and the Belt and Road", 1)]
    )
    assert checks(report.issues) == [
        (1, "unexpected", "Belt and Road"),
        (1, "unexpected", "Belt and Road Initiative"),
    ]
    report = check_pairs(glossary(bri, bar), [Pair("合作。", "the Belt and Road Initiative", 1)])
    assert checks(report.issues) == [(1, "unexpected", "Belt and Road Initiative")]


def test_quoted_entry_without_quotes_is_a_warning() -> None:
    report = check_pairs(glossary(NETS), [Pair("打造“十张网”", "build the Ten Networks", 1)])
    assert report.issues == [
        Issue(
            1,
            1,
            "warning",
            "unquoted",
            "十张网",
            "Ten Networks",
            "'Ten Networks' should stand in quotation marks (“Ten Networks”)",
        )
    ]


@pytest.mark.parametrize(
    "target", ["build the “Ten Networks”", 'build the "ten networks"', "the ‘Ten Networks’"]
)
def test_quoted_entry_in_quotes_passes(target: str) -> None:
    assert check_pairs(glossary(NETS), [Pair("打造“十张网”", target, 1)]).issues == []


def test_skip_leaves_out_checks() -> None:
    pairs = [Pair("现代化产业体系", "nothing", 1), Pair("发展", "new quality productive forces", 2)]
    report = check_pairs(glossary(SYSTEM, FORCES), pairs, skip=("missing", "unexpected"))
    assert report.issues == []


def test_issues_are_sorted_by_segment_then_check_order() -> None:
    pairs = [
        Pair("现代化产业体系", "modern industry system; new quality productive forces", 1),
        Pair("产业集群", "industrial clusters", 2),
    ]
    report = check_pairs(glossary(SYSTEM, FORCES, CLUSTER), pairs)
    assert checks(report.issues) == [
        (1, "missing", "modern industrial system"),
        (1, "forbidden", "modern industry system"),
        (1, "unexpected", "new quality productive forces"),
    ]
    assert list(CHECKS) == ["missing", "forbidden", "inconsistent", "unexpected", "unquoted"]


def test_unquoted_source_term_may_stay_unquoted() -> None:
    # The decoder quotes a quoted entry only where the source quotes the term; check agrees.
    assert check_pairs(glossary(NETS), [Pair("打造十张网", "build the Ten Networks", 1)]).issues == []
