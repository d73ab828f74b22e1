"""Where the real example input lies: ``shared/seeds`` beside the checkout (as on CI)."""

from __future__ import annotations

from pathlib import Path

_NAME = "000_fec18ada466dab41.txt"
_ROOT = Path(__file__).resolve().parents[1]
_CANDIDATES = [_ROOT.parent / "shared" / "seeds" / _NAME, Path("/work/shared/seeds") / _NAME]

#: The seed article (a Xinjiang Daily page extracted from PDF).
SEED = next((p for p in _CANDIDATES if p.exists()), _CANDIDATES[0])
