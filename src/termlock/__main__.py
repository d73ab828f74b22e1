"""``python -m termlock``."""

from termlock.cli import main

main()
