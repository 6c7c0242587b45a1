"""`python -m mandaat`."""

from .cli import run

run()
