"""termlock: Chinese-to-English machine translation with a curated, enforced glossary."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("termlock")
except PackageNotFoundError:  # running from a source tree without an install
    __version__ = "0.0.0"

__all__ = ["__version__"]
