"""Shared test fixtures: a tiny random MarianMT model built once per session.

torch is imported lazily inside the fixture: some tests check that CLI commands do not import it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("OMP_NUM_THREADS", "1")


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Directory with a tiny random MarianMT model + tokenizer (see ``tests/tinymodel.py``)."""
    import torch

    from tinymodel import build_tiny_marian, default_corpus

    torch.set_num_threads(1)
    return build_tiny_marian(tmp_path_factory.mktemp("tiny_marian"), *default_corpus())
