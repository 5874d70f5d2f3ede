"""One synthetic article being written: its text, and the spans its fact sheet will quote.

Text is written in parts; names, offices and quotations remember where they landed, so every
quote of the sheet is a span of the text by construction. When the sheet is written, each
quote that the text holds more than once gets the ``occurrence`` that picks its span, counted
the way anchoring counts (typography folded, runs of spaces collapsed).
"""

from __future__ import annotations

import bisect
import hashlib
import json
import random
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

Span = tuple[int, int]

# Typography as anchoring folds it (sanctuary_kg.anchor); a test checks the two agree.
_TABLE = str.maketrans({
    **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u0060\u00b4", "'"),
    **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb", '"'),
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"),
    "\u2026": "...",
    "\u00ad": "",
})
_RESIZED = {"\u2026": 2, "\u00ad": -1}  # folded length minus one
_SPACES = re.compile(r"\s+")
_SHIFTS = re.compile(r"\s{2,}|[\u2026\u00ad]")
# What a curator types for the article's characters: straight quotes, hyphens, plain spaces.
_TYPED = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-",
                        "\u00a0": " "})
_YAML_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}


def fold(text: str) -> str:
    """``text`` folded for matching, as :func:`sanctuary_kg.anchor.fold` does (bar its strip)."""
    return _SPACES.sub(" ", text.translate(_TABLE))


@dataclass(frozen=True)
class N:
    """A name of an entity in the text: a mention."""

    id: str
    label: str


@dataclass(frozen=True)
class Office:
    """An office holder: ``[Alder County] Executive Jane Doe``, an official with the words that say so."""

    person: str
    name: str
    office: str
    jurisdiction: str
    place_label: str


class Q:
    """Quoted speech: opening mark, the parts, closing punctuation inside, closing mark."""

    def __init__(self, *parts: object, end: str = ""):
        self.parts = parts
        self.end = end


class Said(list):  # type: ignore[type-arg]
    """The spans of the parts of one sentence."""

    @property
    def whole(self) -> Span:
        return self[0][0], self[-1][1]


@dataclass
class Claim:
    id: str
    kind: str
    by: str
    about: list[str]
    span: Span
    provisions: list[str] = field(default_factory=list)
    status: str | None = None
    value: int | None = None
    unit: str | None = None
    links: list[tuple[str, str, str]] = field(default_factory=list)


class Draft:
    def __init__(self, rng: random.Random, curly: bool, noisy: bool, paragraph: str):
        self.rng = rng
        self.curly = curly
        self.noisy = noisy
        self.paragraph = paragraph
        self.parts: list[str] = []
        self.pos = 0
        self.pending = ""
        self.names: dict[str, list[Span]] = {}
        self.segments: list[tuple[str, Span]] = []
        self.open: str | None = None  # the kind of the segment being written
        self.open_at: int | None = None  # and where its text starts
        self.claims: list[Claim] = []
        self.officials: dict[str, tuple[str, str, Span]] = {}
        self.orders: dict[str, tuple[str | None, str | None, Span]] = {}
        self.withins: list[tuple[str, str, Span]] = []  # (place, parent, words that say it lies there)
        self.title_span: Span = (0, 0)
        self.claim_ids: dict[str, int] = {}
        self._text: str | None = None

    # -------------------------------------------------------------- writing

    def sentence(self) -> None:
        if self.pos and not self.pending:
            self.pending = " "

    def para(self) -> None:
        if self.pos:
            self.pending = "\n\u00a0\n" if self.rng.random() < 0.04 else self.paragraph

    def line(self) -> None:
        self.pending = "\n"

    @contextmanager
    def segment(self, kind: str) -> Iterator[None]:
        """A segment of ``kind``: from the first text written inside to the last."""
        self.open, self.open_at = kind, None
        yield
        if self.open_at is not None:
            self.segments.append((kind, (self.open_at, self.pos)))
        self.open = self.open_at = None

    def _write(self, text: str) -> Span:
        if self.pending:
            self.parts.append(self.pending)
            self.pos += len(self.pending)
            self.pending = ""
        if self.open is not None and self.open_at is None:
            self.open_at = self.pos
        start = self.pos
        self.parts.append(text)
        self.pos += len(text)
        return start, self.pos

    def _style(self, text: str) -> str:
        if self.curly:
            text = text.replace("'", "\u2019").replace(" - ", " \u2014 ")
        return text

    def _plain(self, text: str) -> Span:
        text = self._style(text)
        if self.noisy and " " in text.strip():
            rng = self.rng
            words = text.split(" ")
            out = [words[0]]
            for word in words[1:]:
                roll = rng.random()
                out.append(("\u00a0" if roll < 0.04 else " \u00a0" if roll < 0.05 else " ") + word)
            text = "".join(out)
        return self._write(text)

    def _name(self, key: str, label: str) -> Span:
        span = self._write(self._style(label))
        self.names.setdefault(key, []).append(span)
        return span

    def say(self, *parts: object) -> Said:
        """Write the parts of a sentence; return the span of each."""
        spans = Said()
        for part in parts:
            if isinstance(part, str):
                spans.append(self._plain(part))
            elif isinstance(part, N):
                spans.append(self._name(part.id, part.label))
            elif isinstance(part, Office):
                spans.append(self._office(part))
            elif isinstance(part, Q):
                start = self._write("\u201c" if self.curly else '"')[0]
                self.say(*part.parts)
                self._write(part.end + ("\u201d" if self.curly else '"'))
                spans.append((start, self.pos))
            else:
                raise TypeError(f"cannot write {part!r}")
        return spans

    def _office(self, o: Office) -> Span:
        if self.rng.random() < 0.5:
            start = self._name(o.jurisdiction, o.place_label)[0]
            county = o.office.startswith("County ") and o.place_label.endswith("County")
            self._write(" " + (o.office[len("County "):] if county else o.office) + " ")
        else:
            start = self._write(o.office + " ")[0]
        self._write(o.name)
        span = start, self.pos
        self.names.setdefault(o.person, []).append(span)  # named with the office, as curators quote it
        self.officials.setdefault(o.person, (o.office, o.jurisdiction, span))
        return span

    # -------------------------------------------------------------- facts

    def title(self, said: Said) -> None:
        self.title_span = said.whole

    def claim(self, kind: str, by: str, about: list[str], span: Span | Said, stem: str, *,
              provisions: tuple[str, ...] | list[str] = (), status: str | None = None, value: int | None = None,
              unit: str | None = None, links: list[tuple[str, str, str]] | None = None) -> None:
        number = self.claim_ids[stem] = self.claim_ids.get(stem, 0) + 1
        claim_id = stem if number == 1 else f"{stem}-{number}"
        whole = span.whole if isinstance(span, Said) else span
        self.claims.append(Claim(claim_id, kind, by, list(dict.fromkeys(about)), whole, list(provisions), status,
                                 value, unit, links or []))

    def order_fact(self, order: str, issuer: str | None, jurisdiction: str | None, first: Span, last: Span) -> None:
        self.orders.setdefault(order, (issuer, jurisdiction, (first[0], last[1])))

    def within(self, place: str, parent: str, span: Span) -> None:
        """The text says that ``place`` lies within ``parent`` (its `within` in entities.yaml), in ``span``."""
        self.withins.append((place, parent, span))

    def entities(self) -> list[str]:
        """Every entity the sheet uses; each must be named in the text (bar the publisher)."""
        used: dict[str, None] = dict.fromkeys(self.names)
        for c in self.claims:
            used.update(dict.fromkeys([c.by, *c.about]))
        for person, (_, office_in, _) in self.officials.items():
            used.update(dict.fromkeys([person, office_in]))
        for order, (issuer, where, _) in self.orders.items():
            used.update(dict.fromkeys(k for k in (order, issuer, where) if k))
        for place, parent, _ in self.withins:
            used.update(dict.fromkeys((place, parent)))
        return list(used)

    # -------------------------------------------------------------- output

    def text(self) -> str:
        if self._text is None:
            self._text = "".join(self.parts) + "\n"
        return self._text

    @property
    def title_text(self) -> str:
        return self.text()[self.title_span[0]:self.title_span[1]]

    def sheet(self, article: str, publisher: str, byline: str | None, address: str, typed: bool) -> str:
        """The fact sheet as YAML, in the layout of the seeds' sheets."""
        text = self.text()
        quoter = _Quoter(text, typed)
        rng = self.rng
        unnamed = [k for k in self.entities() if k not in self.names and k != publisher]
        if unnamed:
            raise AssertionError(f"{article}: the sheet uses {unnamed} but the text never names them")
        out = [f"article: {article}",
               f"sha256: {json.dumps(hashlib.sha256(text.encode('utf-8')).hexdigest())}",
               f"title: {quoter.yaml(self.title_span)}",
               f"publisher: {_id(publisher)}"]
        if byline:
            out.append(f"byline: {_id(byline)}")
        out += [f"address: {address}", "", "segments:"]
        for kind, (start, end) in self.segments:
            k = rng.randint(3, 6)
            first, last = _first_words(text, start, end, k), _last_words(text, start, end, k)
            out.append(f"  - {{kind: {kind}, from: {quoter.yaml(first)}, to: {quoter.yaml(last)}}}")
        out += ["", "mentions:"]
        claimed = sorted(c.span for c in self.claims)
        for key, spans in self.names.items():
            chosen = [spans[0]]
            if len(spans) > 1 and rng.random() < 0.05:
                chosen.append(spans[rng.randrange(1, len(spans))])
            roll = rng.random()
            if roll < 0.55:  # the name in its context: a few more words, or the whole claim it is in
                within = [c for c in claimed if c[0] <= chosen[0][0] and chosen[0][1] <= c[1]]
                if within and roll < 0.45:
                    chosen[0] = within[0]
                else:
                    chosen[0] = _extended(text, chosen[0], rng.randint(1, 3))
            out.append(f"  {_id(key)}: [{', '.join(quoter.yaml(s) for s in dict.fromkeys(chosen))}]")
        if self.withins:
            out += ["", "within:"]
            for place, parent, span in self.withins:
                out.append(f"  - {{place: {_id(place)}, in: {_id(parent)}, quote: {quoter.yaml(span)}}}")
        if self.officials:
            out += ["", "officials:"]
            for person, (office, office_in, span) in self.officials.items():
                out.append(f"  - {{person: {_id(person)}, office: {json.dumps(office)}, "
                           f"jurisdiction: {_id(office_in)}, quote: {quoter.yaml(span)}}}")
        if self.orders:
            out += ["", "orders:"]
            for order, (issuer, jurisdiction, span) in self.orders.items():
                out.append(f"  - order: {_id(order)}")
                out += [f"    issuer: {_id(issuer)}"] if issuer else []
                out += [f"    jurisdiction: {_id(jurisdiction)}"] if jurisdiction else []
                out.append(f"    quote: {quoter.yaml(span)}")
        out += ["", "claims:"]
        for c in self.claims:
            out += [f"  - id: {c.id}", f"    kind: {c.kind}", f"    by: {_id(c.by)}"]
            if c.about:
                out.append(f"    about: [{', '.join(_id(a) for a in c.about)}]")
            out.append(f"    quote: {quoter.yaml(c.span)}")
            if c.provisions:
                out.append(f"    provisions: [{', '.join(c.provisions)}]")
            if c.status:
                out.append(f"    status: {c.status}")
            if c.value is not None:
                out.append(f"    value: {c.value}")
            if c.unit:
                out.append(f"    unit: {json.dumps(c.unit)}")
            if c.links:
                links = ", ".join(f"{{order: {_id(o)}, relation: {r}, target: {_id(t)}}}" for o, r, t in c.links)
                out.append(f"    links: [{links}]")
        return "\n".join(out) + "\n"


class _Quoter:
    """Quotes spans of one text: as typed or exact, with ``occurrence`` when the words repeat."""

    def __init__(self, text: str, typed: bool):
        self.text = text
        self.typed = typed
        self.folded = fold(text)
        self.at: list[int] = []  # raw offsets from which the folded text is shifted by ...
        self.shift: list[int] = []  # ... this much
        total = 0
        for m in _SHIFTS.finditer(text):
            total += _RESIZED.get(m.group(), 1 - len(m.group()))
            self.at.append(m.end())
            self.shift.append(total)

    def folded_offset(self, raw: int) -> int:
        i = bisect.bisect_right(self.at, raw)
        return raw + (self.shift[i - 1] if i else 0)

    def yaml(self, span: Span) -> str:
        start, end = span
        exact = self.text[start:end]
        if exact != exact.strip() or not exact:
            raise AssertionError(f"a quote must start and end with text, not {exact!r}")
        needle = fold(exact)
        hits = []
        at = self.folded.find(needle)
        while at != -1:
            hits.append(at)
            at = self.folded.find(needle, at + 1)
        mine = self.folded_offset(start)
        if mine not in hits:
            raise AssertionError(f"{exact!r} folds to {needle!r}, not found at {mine}")
        quote = json.dumps(exact.translate(_TYPED) if self.typed else exact, ensure_ascii=False)
        if len(hits) == 1:
            return quote
        return f"{{quote: {quote}, occurrence: {hits.index(mine) + 1}}}"


def _id(key: str) -> str:
    """An id as a plain YAML scalar, quoted where YAML would read it as something else."""
    if key in _YAML_WORDS or re.fullmatch(r"[0-9][0-9_.:-]*", key):
        return json.dumps(key)
    return key


def _first_words(text: str, start: int, end: int, k: int) -> Span:
    """Up to ``k`` words from ``start``, not past the end of its line."""
    j, last = start, start
    for _ in range(k):
        while j < end and not text[j].isspace():
            j += 1
        last = j
        if j >= end or text[j] == "\n":
            break
        while j < end and text[j].isspace() and text[j] != "\n":
            j += 1
        if j >= end or text[j] == "\n":
            break
    return start, last


def _last_words(text: str, start: int, end: int, k: int) -> Span:
    """Up to ``k`` words that end at ``end``, not before the start of its line."""
    j, first = end, end
    for _ in range(k):
        while j > start and not text[j - 1].isspace():
            j -= 1
        first = j
        if j <= start or text[j - 1] == "\n":
            break
        while j > start and text[j - 1].isspace() and text[j - 1] != "\n":
            j -= 1
        if j <= start or text[j - 1] == "\n":
            break
    return first, end


def _extended(text: str, span: Span, k: int) -> Span:
    """``span`` and up to ``k`` more words on its line, as curators quote a name in context."""
    start, end = span
    limit = text.find("\n", end)
    limit = len(text) if limit == -1 else limit
    j = end
    for _ in range(k):
        probe = j
        while probe < limit and text[probe].isspace():
            probe += 1
        if probe >= limit:
            break
        while probe < limit and not text[probe].isspace():
            probe += 1
        j = probe
    return start, j
