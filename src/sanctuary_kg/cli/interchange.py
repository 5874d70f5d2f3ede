"""Commands that move the graph out: export, load."""

from __future__ import annotations
