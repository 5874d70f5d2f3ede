"""Commands that ask the graph: queries, query, sparql, trace."""

from __future__ import annotations
