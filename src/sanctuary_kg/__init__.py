"""sanctuary-kg: a provenance-first knowledge graph of US sanctuary and anti-sanctuary policy."""

from .errors import SanctuaryError

__all__ = ["SanctuaryError"]
__version__ = "0.1.0"
