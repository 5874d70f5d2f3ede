"""The ``sanctuary-kg`` command: thin commands over the library, one error boundary."""

from .main import cli, main

__all__ = ["cli", "main"]
