"""The JSON report of a translation run (``translate --report PATH.json``).

One object: the input, the signature, the totals and, per unit and segment, the source,
the output and every glossary term occurrence with its outcome. Offsets are Python
string indices (code points) into the unit's source text and translation.
"""

from __future__ import annotations

import json
from typing import Any

from termlock.results import DocumentResult, Occurrence, SegmentResult, Totals, UnitResult

#: Bumped when a field changes meaning or is removed (adding fields keeps it).
SCHEMA_VERSION = 1


def _occurrence(occ: Occurrence) -> dict[str, Any]:
    return {
        "term": occ.term,
        "form": occ.form,
        "start": occ.start,
        "end": occ.end,
        "rendering": occ.rendering,
        "status": "satisfied" if occ.satisfied else "missed",
        "enforced": occ.enforced,
        "satisfied": occ.satisfied,
        "missed": not occ.satisfied,
        "forbidden_found": list(occ.forbidden_found),
        "reason": occ.reason,
        "target": list(occ.target) if occ.target is not None else None,
    }


def _segment(segment: SegmentResult) -> dict[str, Any]:
    return {
        "start": segment.start,
        "source": segment.source,
        "output": segment.text,
        "occurrences": [_occurrence(occ) for occ in segment.occurrences],
    }


def _unit(index: int, unit: UnitResult) -> dict[str, Any]:
    return {
        "index": index,
        "kind": unit.kind,
        "line": unit.line,
        "source": unit.source,
        "output": unit.text,
        "segments": [_segment(segment) for segment in unit.segments],
    }


def totals_dict(totals: Totals) -> dict[str, int]:
    """The totals as a plain dict (``units``, ``segments``, ``occurrences``, ...)."""
    return {
        "units": totals.units,
        "segments": totals.segments,
        "occurrences": totals.occurrences,
        "enforced": totals.enforced,
        "satisfied": totals.satisfied,
        "missed": totals.missed,
        "forbidden": totals.forbidden,
    }


def build_report(
    result: DocumentResult, *, input_path: str, input_format: str, output_path: str | None = None
) -> dict[str, Any]:
    """Describe a translated document as a JSON-ready dict.

    Args:
        result: the translation.
        input_path: the input file ("-" for standard input).
        input_format: the input format name.
        output_path: where the translation was written, if anywhere.
    """
    return {
        "schema": SCHEMA_VERSION,
        "input": {"path": input_path, "format": input_format},
        "output": output_path,
        "signature": result.signature.as_dict(),
        "totals": totals_dict(result.totals),
        "units": [_unit(index, unit) for index, unit in enumerate(result.units, 1)],
    }


def dumps(report: dict[str, Any]) -> bytes:
    """Serialize a report: UTF-8, Chinese kept readable, indented, newline-terminated."""
    return (json.dumps(report, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def write_report(path: str, report: dict[str, Any], *, force: bool = False) -> None:
    """Write ``report`` to ``path`` atomically.

    Raises:
        OutputError: the file exists and ``force`` is false, or it cannot be written.
    """
    from termlock.documents import write_output

    write_output(path, dumps(report), force=force)
