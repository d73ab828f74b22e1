"""`termlock glossary ...` commands (placeholder until the glossary commands land)."""

from __future__ import annotations
