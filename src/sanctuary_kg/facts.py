"""Anchor a fact sheet in its article: every quote becomes an exact span.

The article must be UTF-8, non-empty and have the SHA-256 its sheet records.
A quote that is missing, or repeated with nothing to tell which, stops here
with an error naming the sheet, its line and the quote.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from . import anchor
from .errors import AnchorError, InputError
from .sheets import ClaimSpec, Entities, Quote, Sheet


@dataclass(frozen=True)
class Article:
    """A source text as captured: its bytes' hash and its decoded text."""

    path: Path
    text: str
    sha256: str

    @property
    def key(self) -> str:
        return self.path.stem


def read_article(path: Path) -> Article:
    """Read an article; it must be non-empty UTF-8."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(f"cannot read the article: {error.strerror}", path=path) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputError(f"the article is not UTF-8 (byte {error.start}): convert it to UTF-8", path=path) from None
    if not text.strip():
        raise InputError("the article is empty: a source needs its text", path=path)
    return Article(path=path, text=text, sha256=hashlib.sha256(data).hexdigest())


@dataclass(frozen=True)
class Segment:
    kind: str
    span: anchor.Span


@dataclass(frozen=True)
class Office:
    person: str
    office: str
    jurisdiction: str
    span: anchor.Span


@dataclass(frozen=True)
class OrderFacts:
    order: str
    issuer: str | None
    jurisdiction: str | None
    span: anchor.Span


@dataclass(frozen=True)
class Claim:
    spec: ClaimSpec
    span: anchor.Span


@dataclass(frozen=True)
class Within:
    """A containment of ``entities.yaml`` that the article states, with the words that state it."""

    place: str
    parent: str
    span: anchor.Span


@dataclass(frozen=True)
class AnchoredSheet:
    """A fact sheet whose every quote is a verified span of its article."""

    sheet: Sheet
    article: Article
    title: anchor.Span
    segments: tuple[Segment, ...]
    mentions: dict[str, tuple[anchor.Span, ...]]
    officials: tuple[Office, ...]
    orders: tuple[OrderFacts, ...]
    claims: tuple[Claim, ...]
    within: tuple[Within, ...] = ()

    @property
    def key(self) -> str:
        return self.sheet.key


def anchor_sheet(sheet: Sheet, article: Article, entities: Entities) -> AnchoredSheet:
    """Find every quote of ``sheet`` in ``article`` and check what they support."""
    if article.sha256 != sheet.sha256:
        raise InputError(
            f"{article.path.name} has changed since its fact sheet was written "
            f"(sha256 {article.sha256[:12]}…, sheet says {sheet.sha256[:12]}…): "
            "re-check every quote, then record the new hash",
            path=sheet.path,
            line=1,
        )
    text = anchor.Folded(article.text)

    def find(quote: Quote) -> anchor.Span:
        try:
            return anchor.find(text, quote.text, quote.occurrence)
        except anchor.NotFound as error:
            hint = f"; the closest passage is {_short(error.closest)!r}" if error.closest else ""
            raise AnchorError(f"quote {_short(quote.text)!r} is not in {article.path.name}{hint}",
                              path=sheet.path, line=quote.line) from None
        except anchor.Ambiguous as error:
            lines = ", ".join(str(text.line_of(s)) for s in error.starts)
            raise AnchorError(
                f"quote {_short(quote.text)!r} occurs {len(error.starts)} times in {article.path.name} "
                f"(lines {lines}): quote more of the passage or add occurrence: N",
                path=sheet.path, line=quote.line) from None

    segments = []
    for spec in sheet.segments:
        first, last = find(spec.start), find(spec.end)
        if last.end <= first.start:
            raise InputError(f"segment {spec.kind} ends before it starts", path=sheet.path, line=spec.line)
        segments.append(Segment(spec.kind, anchor.span_at(article.text, first.start, last.end)))
    ordered = sorted(segments, key=lambda s: s.span.start)
    for before, after in zip(ordered, ordered[1:], strict=False):
        if after.span.start < before.span.end:
            raise InputError(f"segments {before.kind} and {after.kind} overlap", path=sheet.path)

    anchored = AnchoredSheet(
        sheet=sheet,
        article=article,
        title=find(sheet.title),
        segments=tuple(segments),
        mentions={key: tuple(find(q) for q in quotes) for key, quotes in sheet.mentions.items()},
        officials=tuple(Office(o.person, o.office, o.jurisdiction, find(o.quote)) for o in sheet.officials),
        orders=tuple(OrderFacts(o.order, o.issuer, o.jurisdiction, find(o.quote)) for o in sheet.orders),
        claims=tuple(Claim(c, find(c.quote)) for c in sheet.claims),
        within=tuple(Within(w.place, w.parent, find(w.quote)) for w in sheet.within),
    )
    _check_evidence(anchored)
    _check_comments(anchored)
    _check_codings(anchored, entities)
    return anchored


def _check_codings(a: AnchoredSheet, entities: Entities) -> None:
    """A claim that codes provisions or a status must say which order it is about."""
    for c in a.sheet.claims:
        for link in c.links:
            if link.order not in c.about or link.target not in c.about:
                raise InputError(f"claim {c.id} links {link.order} and {link.target}: both must be in its about",
                                 path=a.sheet.path, line=link.line)
        if (c.provisions or c.status) and not any(entities.by_id[k].kind == "order" for k in c.about):
            raise InputError(f"claim {c.id} codes a provision or status but is about no order: add the order to about",
                             path=a.sheet.path, line=c.line)


def _check_evidence(a: AnchoredSheet) -> None:
    """Every entity the sheet uses must be named in this article (bar its publisher)."""
    named = set(a.mentions) | {o.person for o in a.officials} | {o.order for o in a.orders}
    uses: list[tuple[str, str, int]] = []
    for o in a.sheet.officials:
        uses += [(o.jurisdiction, f"the office of {o.person}", o.line)]
    for order in a.sheet.orders:
        uses += [(k, f"order {order.order}", order.line) for k in (order.issuer, order.jurisdiction) if k]
    for c in a.sheet.claims:
        uses += [(c.by, f"claim {c.id}", c.line)] + [(k, f"claim {c.id}", c.line) for k in c.about]
    for w in a.sheet.within:
        uses += [(w.place, f"within: {w.place}", w.line), (w.parent, f"within: {w.place}", w.line)]
    if a.sheet.byline:
        uses.append((a.sheet.byline, "the byline", 1))
    for key, where, line in uses:
        if key not in named and key != a.sheet.publisher:
            raise InputError(
                f"{where} uses {key!r}, which this article never names: add it under mentions with the words that name it",
                path=a.sheet.path, line=line)


def _check_comments(a: AnchoredSheet) -> None:
    """Reader comments are claims of the comment section, and only they are."""
    comments = [s.span for s in a.segments if s.kind == "reader-comments"]
    for claim in a.claims:
        inside = any(s.start <= claim.span.start and claim.span.end <= s.end for s in comments)
        is_comment = claim.spec.kind == "reader-comment"
        if is_comment and not inside:
            raise InputError(f"claim {claim.spec.id} is a reader comment outside the reader-comments segment",
                             path=a.sheet.path, line=claim.spec.line)
        if inside and not is_comment:
            raise InputError(f"claim {claim.spec.id} lies in the reader comments: its kind must be reader-comment",
                             path=a.sheet.path, line=claim.spec.line)


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
