"""Glossary-constrained decoding for Marian-style MT models.

``Decoder`` sends segments without term requests through ``model.generate`` and the others through
termlock's own constrained beam search, which guarantees every writable required rendering appears
(as often as requested) and no forbidden rendering does.
"""

from termlock.decoding.constraints import SegmentPlan, TermRequest, build_plan, surface_forms
from termlock.decoding.decoder import DecodeOptions, Decoder, DecodeResult

__all__ = [
    "DecodeOptions",
    "DecodeResult",
    "Decoder",
    "SegmentPlan",
    "TermRequest",
    "build_plan",
    "surface_forms",
]
