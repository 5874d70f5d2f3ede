"""Find a fact sheet's quotes in an article's text and record exact spans.

Offsets count Unicode code points (Python ``str`` indices), as RFC 5147 and
Web Annotation's ``TextPositionSelector`` do. Matching forgives typography:
curly and straight quotes, dashes, non-breaking and other spaces, and runs of
whitespace (a quote may be typed on one line while the article breaks it over
paragraphs). The recorded ``exact`` is always the article's own characters.

>>> text = "He said: \u201cno mass\u00a0deportations\u201d \u2013 twice."
>>> span = find(text, '"no mass deportations" - twice')
>>> span.exact == text[span.start:span.end]
True
>>> (span.start, span.end)
(9, 39)
"""

from __future__ import annotations

import bisect
import difflib
import re
from dataclasses import dataclass

CONTEXT = 32  # code points of prefix and suffix kept with each span

_FOLD = {
    **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u0060\u00b4", "'"),
    **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb", '"'),
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"),
    "\u2026": "...",
    "\u00ad": "",  # soft hyphen: invisible, so never part of a match
}
_SPECIAL = re.compile(r"\s+|[" + re.escape("".join(_FOLD)) + "]")


@dataclass(frozen=True)
class Span:
    """A quote found in a text: ``text[start:end] == exact``."""

    start: int
    end: int
    exact: str
    prefix: str
    suffix: str


class NotFound(LookupError):
    """The quote is not in the text; ``closest`` is the most similar passage."""

    def __init__(self, quote: str, closest: str):
        super().__init__(quote)
        self.quote = quote
        self.closest = closest


class Ambiguous(LookupError):
    """The quote is in the text more than once; ``starts`` lists where."""

    def __init__(self, quote: str, starts: list[int]):
        super().__init__(quote)
        self.quote = quote
        self.starts = starts


class Folded:
    """A text folded for matching, with a map back to the original offsets."""

    def __init__(self, text: str):
        parts: list[str] = []
        origin: list[int] = []
        at = 0
        for match in _SPECIAL.finditer(text):
            start = match.start()
            if start > at:
                parts.append(text[at:start])
                origin.extend(range(at, start))
            out = _replacement(match)
            parts.append(out)
            origin.extend([start] * len(out))
            at = match.end()
        parts.append(text[at:])
        origin.extend(range(at, len(text)))
        self.text = text
        self.folded = "".join(parts)
        self.origin = origin

    def occurrences(self, quote: str) -> list[tuple[int, int]]:
        """Every ``(start, end)`` in the original text where ``quote`` matches."""
        needle = fold(quote)
        if not needle:
            return []
        found = []
        at = self.folded.find(needle)
        while at != -1:
            last = at + len(needle) - 1
            found.append((self.origin[at], self.origin[last] + 1))
            at = self.folded.find(needle, at + 1)
        return found

    def closest(self, quote: str) -> str:
        """The passage of the text most like ``quote``, for an error message."""
        needle = fold(quote)
        matcher = difflib.SequenceMatcher(None, self.folded, needle, autojunk=False)
        block = matcher.find_longest_match(0, len(self.folded), 0, len(needle))
        if block.size == 0:
            return ""
        start = max(0, block.a - block.b)
        end = min(len(self.folded), start + len(needle))
        first = self.origin[start]
        last = self.origin[end - 1] + 1 if end > start else first
        return " ".join(self.text[first:last].split())

    def line_of(self, offset: int) -> int:
        """1-based line number of a code-point offset of the original text."""
        if not hasattr(self, "_newlines"):
            self._newlines = [i for i, ch in enumerate(self.text) if ch == "\n"]
        return bisect.bisect_left(self._newlines, offset) + 1


def fold(text: str) -> str:
    r"""Fold typography and collapse whitespace the way matching does.

    >>> print(fold("\u201cIt\u2019s\u00a0not \u2014\n symbolic\u201d "))
    "It's not - symbolic"
    """
    return _SPECIAL.sub(_replacement, text.strip())


def _replacement(match: re.Match[str]) -> str:
    """What one run of whitespace (one space) or one typographic character folds to."""
    found = match.group()
    return " " if found[0].isspace() else _FOLD[found]


def span_at(text: str, start: int, end: int) -> Span:
    """The span of ``text[start:end]`` with its context."""
    return Span(
        start=start,
        end=end,
        exact=text[start:end],
        prefix=text[max(0, start - CONTEXT) : start],
        suffix=text[end : end + CONTEXT],
    )


def find(text: str | Folded, quote: str, occurrence: int | None = None) -> Span:
    """Anchor ``quote`` in ``text``; raise ``NotFound`` or ``Ambiguous``.

    ``occurrence`` (1-based) picks one match when the quote occurs repeatedly.
    """
    folded = text if isinstance(text, Folded) else Folded(text)
    matches = folded.occurrences(quote)
    if not matches:
        raise NotFound(quote, folded.closest(quote))
    if occurrence is None:
        if len(matches) > 1:
            raise Ambiguous(quote, [s for s, _ in matches])
        occurrence = 1
    if not 1 <= occurrence <= len(matches):
        raise Ambiguous(quote, [s for s, _ in matches])
    start, end = matches[occurrence - 1]
    return span_at(folded.text, start, end)
