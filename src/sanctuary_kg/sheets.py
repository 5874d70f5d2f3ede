"""Read the curated YAML: the shared entity list and one fact sheet per article.

Every value keeps the line it came from, so an error names file and line.
Structure, ids and controlled values are checked here; whether the quotes are
in the article is checked by :mod:`sanctuary_kg.facts`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from .errors import InputError
from .ontology import Ontology

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
ENTITY_KINDS = {
    "jurisdictions": "jurisdiction",
    "people": "person",
    "organizations": "organization",
    "orders": "order",
}
AGENT_KINDS = ("person", "organization", "jurisdiction")


# ------------------------------------------------------------------ values


@dataclass(frozen=True)
class Quote:
    """Text to find in the article; ``occurrence`` picks one of repeated matches."""

    text: str
    line: int
    occurrence: int | None = None


@dataclass(frozen=True)
class Entity:
    """A canonical entity shared by the articles."""

    id: str
    kind: str  # jurisdiction, person, organization or order
    label: str
    type: str | None  # jurisdiction kind or order kind
    within: str | None
    role: str | None
    line: int
    lookup: str | None = None  # name to find it by in reference data, when not its label


@dataclass(frozen=True)
class Entities:
    path: Path
    by_id: dict[str, Entity]

    def get(self, key: str, kinds: tuple[str, ...], where: str, path: Path, line: int) -> Entity:
        entity = self.by_id.get(key)
        if entity is None:
            raise InputError(
                f"unknown id {key!r} in {where}: declare it in {self.path.name} or fix the spelling",
                path=path,
                line=line,
            )
        if entity.kind not in kinds:
            raise InputError(
                f"{where} needs a {' or '.join(kinds)}, but {key!r} is a {entity.kind}",
                path=path,
                line=line,
            )
        return entity


@dataclass(frozen=True)
class SegmentSpec:
    kind: str
    start: Quote
    end: Quote
    line: int


@dataclass(frozen=True)
class OfficeSpec:
    person: str
    office: str
    jurisdiction: str
    quote: Quote
    line: int


@dataclass(frozen=True)
class OrderSpec:
    order: str
    issuer: str | None
    jurisdiction: str | None
    quote: Quote
    line: int


@dataclass(frozen=True)
class WithinSpec:
    """A containment the article states: ``place`` lies within ``parent``, as ``entities.yaml`` has it."""

    place: str
    parent: str
    quote: Quote
    line: int


@dataclass(frozen=True)
class LinkSpec:
    """A relation between two orders that a claim states: ``order`` ``relation`` ``target``."""

    order: str
    relation: str
    target: str
    line: int


@dataclass(frozen=True)
class ClaimSpec:
    id: str
    kind: str
    by: str
    about: tuple[str, ...]
    quote: Quote
    provisions: tuple[str, ...]
    status: str | None
    value: Decimal | None
    unit: str | None
    line: int
    links: tuple[LinkSpec, ...] = ()


@dataclass(frozen=True)
class Sheet:
    """One article's fact sheet, checked for structure and ids."""

    path: Path
    article: str
    sha256: str
    title: Quote
    publisher: str
    byline: str | None
    address: str
    segments: tuple[SegmentSpec, ...]
    mentions: dict[str, tuple[Quote, ...]]
    officials: tuple[OfficeSpec, ...]
    orders: tuple[OrderSpec, ...]
    claims: tuple[ClaimSpec, ...]
    within: tuple[WithinSpec, ...] = ()

    @property
    def key(self) -> str:
        return Path(self.article).stem


# ------------------------------------------------------------------ YAML with lines


class _Str(str):
    line = 0


class _Map(dict):  # type: ignore[type-arg]
    line = 0
    lines: dict[str, int]


class _List(list):  # type: ignore[type-arg]
    line = 0


_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's parser when present
_STR = "tag:yaml.org,2002:str"


def _value(node: yaml.Node, loader: Any, path: Path) -> Any:
    """The Python value of a composed YAML node, each value remembering its line."""
    line = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        mapping = _Map()
        mapping.line, mapping.lines = line, {}
        for key_node, value_node in node.value:
            key = _value(key_node, loader, path)
            if key in mapping:
                raise InputError(f"duplicate key {key!r}", path=path, line=key_node.start_mark.line + 1)
            mapping[key] = _value(value_node, loader, path)
            mapping.lines[key] = key_node.start_mark.line + 1
        return mapping
    if isinstance(node, yaml.SequenceNode):
        sequence = _List(_value(child, loader, path) for child in node.value)
        sequence.line = line
        return sequence
    if node.tag == _STR:
        text = _Str(node.value)
        text.line = line
        return text
    return loader.construct_object(node)  # numbers, booleans, null


def _read_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise InputError(f"not UTF-8 at byte {error.start}: save it as UTF-8", path=path) from None
    except OSError as error:
        raise InputError(f"cannot read: {error.strerror}", path=path) from None
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        return None if node is None else _value(node, loader, path)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        problem = error.problem or error.context or "malformed YAML"
        begun = error.context_mark
        if error.context and begun and mark and begun.line != mark.line:  # where the unclosed bracket began
            problem += f" ({error.context} begun on line {begun.line + 1})"
        raise InputError(f"malformed YAML: {problem}", path=path, line=line) from None
    except yaml.YAMLError as error:
        raise InputError(f"malformed YAML: {error}", path=path) from None
    finally:
        loader.dispose()


class _Reader:
    """Checks the fields of one YAML mapping and reports file and line."""

    def __init__(self, path: Path, ontology: Ontology):
        self.path = path
        self.ontology = ontology

    def fail(self, message: str, node: Any) -> InputError:
        return InputError(message, path=self.path, line=getattr(node, "line", None) or None)

    def mapping(self, node: Any, where: str, required: set[str], optional: frozenset[str] | set[str] = frozenset()) -> _Map:
        if not isinstance(node, dict):
            raise self.fail(f"{where} must be a mapping of fields", node)
        unknown = sorted(node.keys() - required - optional)
        if unknown:
            allowed = ", ".join(sorted(required | optional))
            line = node.lines.get(unknown[0]) if isinstance(node, _Map) else None
            raise InputError(f"{where} has unknown field {unknown[0]!r} (allowed: {allowed})", path=self.path, line=line)
        missing = sorted(required - node.keys())
        if missing:
            raise self.fail(f"{where} lacks {', '.join(missing)}", node)
        return node  # type: ignore[return-value]

    def items(self, node: Any, where: str) -> list[Any]:
        if node is None:
            return []
        if not isinstance(node, list):
            raise self.fail(f"{where} must be a list", node)
        return node

    def text(self, node: Any, where: str) -> str:
        if not isinstance(node, str) or not node.strip():
            raise self.fail(f"{where} must be non-empty text", node)
        return str(node)

    def slug(self, node: Any, where: str) -> str:
        value = self.text(node, where)
        if not SLUG.match(value):
            raise self.fail(f"{where} {value!r} must be lowercase letters, digits and hyphens", node)
        return value

    def concept(self, node: Any, scheme: str, where: str) -> str:
        value = self.text(node, where)
        if self.ontology.concept(scheme, value) is None and value not in self.ontology.lists.get(scheme, {}):
            raise self.fail(f"{where} {value!r} is not in the {scheme} list (one of: {self.ontology.choices(scheme)})", node)
        return value

    def quote(self, node: Any, where: str, line: int = 0) -> Quote:
        if isinstance(node, dict):
            fields = self.mapping(node, where, {"quote"}, {"occurrence"})
            occurrence = fields.get("occurrence")
            if occurrence is not None and (not isinstance(occurrence, int) or occurrence < 1):
                raise self.fail(f"{where} occurrence must be a whole number from 1", node)
            return Quote(self.text(fields["quote"], where), getattr(fields["quote"], "line", line), occurrence)
        return Quote(self.text(node, where), getattr(node, "line", line) or line)


# ------------------------------------------------------------------ entities


def load_entities(path: Path, ontology: Ontology) -> Entities:
    """Read the shared entity list (``seeds/entities.yaml``)."""
    data = _read_yaml(path)
    r = _Reader(path, ontology)
    top = r.mapping(data, "the entity list", set(), set(ENTITY_KINDS))
    by_id: dict[str, Entity] = {}
    for section, kind in ENTITY_KINDS.items():
        block = top.get(section) or _Map()
        if not isinstance(block, dict):
            raise r.fail(f"{section} must map ids to entities", block)
        for key, node in block.items():
            line = block.lines.get(key, 0) if isinstance(block, _Map) else 0
            r.slug(_with_line(key, line), f"{kind} id")
            if key in by_id:
                raise InputError(f"duplicate id {key!r}: already a {by_id[key].kind}", path=path, line=line)
            by_id[key] = _entity(r, kind, key, node, line)
    for entity in by_id.values():
        if entity.within is not None:
            parent = by_id.get(entity.within)
            if parent is None or parent.kind != "jurisdiction":
                raise InputError(f"{entity.id} is within unknown jurisdiction {entity.within!r}", path=path, line=entity.line)
    return Entities(path=path, by_id=by_id)


def check_within_sourced(entities: Entities, sourced: Iterable[tuple[str, str]], codes_file: str) -> None:
    """Refuse a ``within`` of the entity list that no source states: neither a data package (a ``within`` row of
    ``codes_file``) nor a fact sheet (its ``within`` section), as (place, parent) pairs in ``sourced``."""
    stated = set(sourced)
    for e in sorted(entities.by_id.values(), key=lambda e: e.line):
        if e.within is not None and (e.id, e.within) not in stated:
            raise InputError(
                f"{e.id} is within {e.within}, but no source says so (no data package in {codes_file}, no fact sheet): "
                f"record the words of an article that state it under within: in its fact sheet, or place {e.id} "
                "within the deepest jurisdiction a source states",
                path=entities.path, line=e.line)


def _with_line(value: str, line: int) -> _Str:
    result = _Str(value)
    result.line = line
    return result


def _entity(r: _Reader, kind: str, key: str, node: Any, line: int) -> Entity:
    where = f"{kind} {key}"
    if kind == "jurisdiction":
        f = r.mapping(node, where, {"label", "kind"}, {"within", "lookup", "role"})
        return Entity(key, kind, r.text(f["label"], where), r.concept(f["kind"], "jurisdiction-kind", f"{where} kind"),
                      r.slug(f["within"], f"{where} within") if "within" in f else None,
                      r.concept(f["role"], "role", f"{where} role") if "role" in f else None, line,
                      r.text(f["lookup"], f"{where} lookup") if "lookup" in f else None)
    if kind == "order":
        f = r.mapping(node, where, {"label", "kind"})
        return Entity(key, kind, r.text(f["label"], where), r.concept(f["kind"], "order-kind", f"{where} kind"), None, None, line)
    f = r.mapping(node, where, {"name", "role"})
    return Entity(key, kind, r.text(f["name"], where), None, None, r.concept(f["role"], "role", f"{where} role"), line)


# ------------------------------------------------------------------ fact sheets

SHEET_FIELDS = {"article", "sha256", "title", "publisher", "address"}
SHEET_OPTIONAL = {"byline", "segments", "mentions", "officials", "orders", "claims", "within"}


def load_sheet(path: Path, entities: Entities, ontology: Ontology) -> Sheet:
    """Read one fact sheet and check its structure, ids and controlled values."""
    r = _Reader(path, ontology)
    top = r.mapping(_read_yaml(path), "the fact sheet", SHEET_FIELDS, SHEET_OPTIONAL)
    sha = r.text(top["sha256"], "sha256").lower()
    if not re.fullmatch(r"[0-9a-f]{64}", sha):
        raise r.fail("sha256 must be 64 hexadecimal digits", top["sha256"])

    def ref(node: Any, kinds: tuple[str, ...], where: str) -> str:
        key = r.text(node, where)
        entities.get(key, kinds, where, path, getattr(node, "line", 0))
        return key

    def _claimant(key: str, node: Any, claim_id: str) -> str:
        if entities.by_id[key].role is None:
            raise r.fail(f"claim {claim_id} is by {key}, which has no role: give it one in {entities.path.name} "
                         f"(one of: {ontology.choices('role')})", node)
        return key

    publisher = ref(top["publisher"], ("organization",), "publisher")
    byline = ref(top["byline"], ("person",), "byline") if top.get("byline") else None

    segments = []
    for node in r.items(top.get("segments"), "segments"):
        f = r.mapping(node, "a segment", {"kind", "from", "to"})
        segments.append(SegmentSpec(r.concept(f["kind"], "segment-kind", "segment kind"),
                                    r.quote(f["from"], "segment from", node.line), r.quote(f["to"], "segment to", node.line), node.line))

    mentions: dict[str, tuple[Quote, ...]] = {}
    block = top.get("mentions") or _Map()
    if not isinstance(block, dict):
        raise r.fail("mentions must map entity ids to the quotes that name them", block)
    for key, quotes in block.items():
        line = block.lines.get(key, 0) if isinstance(block, _Map) else 0
        entities.get(key, tuple(ENTITY_KINDS.values()), "mentions", path, line)
        listed = quotes if isinstance(quotes, list) else [quotes]
        if not listed:
            raise InputError(f"mentions of {key} list no quote", path=path, line=line)
        mentions[key] = tuple(r.quote(q, f"a mention of {key}", line) for q in listed)

    officials = []
    for node in r.items(top.get("officials"), "officials"):
        f = r.mapping(node, "an official", {"person", "office", "jurisdiction", "quote"})
        officials.append(OfficeSpec(ref(f["person"], ("person",), "official person"), r.text(f["office"], "office"),
                                    ref(f["jurisdiction"], ("jurisdiction",), "official jurisdiction"),
                                    r.quote(f["quote"], "official quote", node.line), node.line))

    orders = []
    for node in r.items(top.get("orders"), "orders"):
        f = r.mapping(node, "an order", {"order", "quote"}, {"issuer", "jurisdiction"})
        orders.append(OrderSpec(ref(f["order"], ("order",), "order"),
                                ref(f["issuer"], AGENT_KINDS, "order issuer") if "issuer" in f else None,
                                ref(f["jurisdiction"], ("jurisdiction",), "order jurisdiction") if "jurisdiction" in f else None,
                                r.quote(f["quote"], "order quote", node.line), node.line))

    within = []
    placed: dict[str, int] = {}
    for node in r.items(top.get("within"), "within"):
        f = r.mapping(node, "a within entry", {"place", "in", "quote"})
        place = ref(f["place"], ("jurisdiction",), "within place")
        parent = ref(f["in"], ("jurisdiction",), "within in")
        given = entities.by_id[place].within
        if given != parent:
            raise r.fail(f"within: {place} lies in {given or 'no jurisdiction'} in {entities.path.name}, not {parent}: "
                         f"a sheet records only the within that {entities.path.name} gives", node)
        if place in placed:
            raise r.fail(f"within: {place} is recorded twice (first on line {placed[place]}): keep one", node)
        placed[place] = node.line
        within.append(WithinSpec(place, parent, r.quote(f["quote"], "within quote", node.line), node.line))

    claims = []
    seen: dict[str, int] = {}
    for node in r.items(top.get("claims"), "claims"):
        f = r.mapping(node, "a claim", {"id", "kind", "by", "quote"}, {"about", "provisions", "status", "value", "unit", "links"})
        claim_id = r.slug(f["id"], "claim id")
        if claim_id in seen:
            raise r.fail(f"duplicate claim id {claim_id!r} (first on line {seen[claim_id]})", f["id"])
        seen[claim_id] = node.line
        about = f.get("about") or []
        about = about if isinstance(about, list) else [about]
        provisions = r.items(f.get("provisions"), "provisions")
        claims.append(ClaimSpec(
            id=claim_id,
            kind=r.concept(f["kind"], "claim-kind", "claim kind"),
            by=_claimant(ref(f["by"], AGENT_KINDS, f"claim {claim_id} by"), f["by"], claim_id),
            about=tuple(ref(a, tuple(ENTITY_KINDS.values()), f"claim {claim_id} about") for a in about),
            quote=r.quote(f["quote"], f"claim {claim_id} quote", node.line),
            provisions=tuple(r.concept(p, "provision", f"claim {claim_id} provision") for p in provisions),
            status=r.concept(f["status"], "status", f"claim {claim_id} status") if "status" in f else None,
            value=_decimal(r, f.get("value"), claim_id),
            unit=r.text(f["unit"], "unit") if "unit" in f else None,
            line=node.line,
            links=tuple(_link(r, link, claim_id, ref) for link in r.items(f.get("links"), "links")),
        ))
    return Sheet(
        path=path,
        article=r.text(top["article"], "article"),
        sha256=sha,
        title=r.quote(top["title"], "title"),
        publisher=publisher,
        byline=byline,
        address=r.text(top["address"], "address"),
        segments=tuple(segments),
        mentions=mentions,
        officials=tuple(officials),
        orders=tuple(orders),
        claims=tuple(claims),
        within=tuple(within),
    )


def _link(r: _Reader, node: Any, claim_id: str, ref: Any) -> LinkSpec:
    f = r.mapping(node, f"a link of claim {claim_id}", {"order", "relation", "target"})
    return LinkSpec(ref(f["order"], ("order",), f"claim {claim_id} link order"),
                    r.concept(f["relation"], "order-relation", f"claim {claim_id} link relation"),
                    ref(f["target"], ("order",), f"claim {claim_id} link target"), getattr(node, "line", 0))


def _decimal(r: _Reader, node: Any, claim_id: str) -> Decimal | None:
    if node is None:
        return None
    try:
        return Decimal(str(node))
    except InvalidOperation:
        raise r.fail(f"claim {claim_id} value must be a number", node) from None
