"""The JSON report: every occurrence with its outcome, totals, signature; safe writing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from termlock.errors import OutputError
from termlock.report import build_report, dumps, write_report
from termlock.translator import (
    DocumentResult,
    Occurrence,
    SegmentResult,
    Signature,
    Totals,
    UnitResult,
)


def sample_result() -> DocumentResult:
    """Two units: one satisfied term, one missed term with a forbidden rendering."""
    ok = Occurrence("高质量发展", "高质量发展", 2, 7, "high-quality development", True, True, target=(8, 32))
    bad = Occurrence(
        "新质生产力",
        "新质生产力",
        0,
        5,
        "new quality productive forces",
        True,
        False,
        ["new productivity"],
        "not in output",
        None,
    )
    units = [
        UnitResult(
            "推动高质量发展。",
            "Promote high-quality development.",
            "paragraph",
            3,
            [SegmentResult("推动高质量发展。", "Promote high-quality development.", [ok])],
        ),
        UnitResult(
            "新质生产力",
            "New productivity",
            "heading",
            1,
            [SegmentResult("新质生产力", "New productivity", [bad])],
        ),
    ]
    signature = Signature((("termlock", "0.1.0"), ("model", "m@r"), ("glossary", "abc")), {"algorithm": "x"})
    return DocumentResult(units, b"", signature, Totals.of(units))


def test_report_lists_every_occurrence_with_its_outcome() -> None:
    report = build_report(sample_result(), input_path="in.txt", input_format="txt", output_path="in.en.txt")
    assert report["schema"] == 1
    assert report["input"] == {"path": "in.txt", "format": "txt"}
    assert report["output"] == "in.en.txt"
    assert report["totals"] == {
        "units": 2,
        "segments": 2,
        "occurrences": 2,
        "enforced": 2,
        "satisfied": 1,
        "missed": 1,
        "forbidden": 1,
    }
    assert report["signature"]["text"] == "termlock:0.1.0|model:m@r|glossary:abc"
    assert report["signature"]["decoder"] == {"algorithm": "x"}
    first, second = report["units"]
    assert (first["index"], first["kind"], first["line"]) == (1, "paragraph", 3)
    assert first["segments"][0]["occurrences"][0] == {
        "term": "高质量发展",
        "form": "高质量发展",
        "start": 2,
        "end": 7,
        "rendering": "high-quality development",
        "status": "satisfied",
        "enforced": True,
        "satisfied": True,
        "missed": False,
        "forbidden_found": [],
        "reason": None,
        "target": [8, 32],
    }
    occ = second["segments"][0]["occurrences"][0]
    assert (occ["status"], occ["missed"], occ["forbidden_found"], occ["reason"]) == (
        "missed",
        True,
        ["new productivity"],
        "not in output",
    )


def test_dumps_is_readable_utf8_json() -> None:
    data = dumps(build_report(sample_result(), input_path="-", input_format="lines"))
    assert "高质量发展".encode() in data and data.endswith(b"\n")
    assert json.loads(data)["input"]["path"] == "-"


def test_write_report_refuses_to_overwrite(tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    path.write_text("keep", encoding="utf-8")
    report = build_report(sample_result(), input_path="in.txt", input_format="txt")
    with pytest.raises(OutputError) as info:
        write_report(str(path), report)
    assert str(info.value) == f"{path}: already exists; pass --force to overwrite it"
    assert path.read_text(encoding="utf-8") == "keep"
    write_report(str(path), report, force=True)
    assert json.loads(path.read_text(encoding="utf-8"))["totals"]["missed"] == 1
    assert [p.name for p in tmp_path.iterdir()] == ["r.json"]  # no temporary file left
