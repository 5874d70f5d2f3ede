"""Every format the project reads or writes, as one enum.

>>> Format.from_path("export.jsonld")
<Format.JSONLD: 'jsonld'>
>>> Format.TRIG.media_type
'application/trig'
"""

from __future__ import annotations

import enum
from pathlib import Path

import pyoxigraph as ox

from .errors import UsageError


class Format(enum.Enum):
    """RDF serialisations and SPARQL result formats, with media type and extension."""

    TURTLE = "ttl"
    TRIG = "trig"
    NTRIPLES = "nt"
    NQUADS = "nq"
    JSONLD = "jsonld"
    CSV = "csv"
    TSV = "tsv"
    JSON = "json"
    XML = "xml"
    TABLE = "table"

    @property
    def media_type(self) -> str:
        return _MEDIA[self]

    @property
    def extension(self) -> str:
        return self.value

    @property
    def is_rdf(self) -> bool:
        return self in _RDF

    @property
    def keeps_graphs(self) -> bool:
        """Whether the format carries named graphs (a dataset, not a graph)."""
        return self in (Format.TRIG, Format.NQUADS, Format.JSONLD)

    @property
    def rdf_format(self) -> ox.RdfFormat:
        return _RDF[self]

    @classmethod
    def from_path(cls, path: str | Path) -> Format:
        suffix = Path(path).suffix.lstrip(".").lower()
        found = _BY_SUFFIX.get(suffix)
        if found is None:
            raise UsageError(f"cannot tell the format of {path} from its extension: give --format")
        return found

    @classmethod
    def parse(cls, name: str) -> Format:
        found = _BY_SUFFIX.get(name.lower().lstrip("."))
        if found is None:
            raise UsageError(f"unknown format {name!r}: one of {', '.join(f.value for f in cls)}")
        return found


_RDF = {
    Format.TURTLE: ox.RdfFormat.TURTLE,
    Format.TRIG: ox.RdfFormat.TRIG,
    Format.NTRIPLES: ox.RdfFormat.N_TRIPLES,
    Format.NQUADS: ox.RdfFormat.N_QUADS,
    Format.JSONLD: ox.RdfFormat.JSON_LD,
}
_MEDIA = {
    Format.TURTLE: "text/turtle",
    Format.TRIG: "application/trig",
    Format.NTRIPLES: "application/n-triples",
    Format.NQUADS: "application/n-quads",
    Format.JSONLD: "application/ld+json",
    Format.CSV: "text/csv",
    Format.TSV: "text/tab-separated-values",
    Format.JSON: "application/sparql-results+json",
    Format.XML: "application/sparql-results+xml",
    Format.TABLE: "text/plain",
}
_BY_SUFFIX = {f.value: f for f in Format} | {
    "turtle": Format.TURTLE,
    "ntriples": Format.NTRIPLES,
    "n-triples": Format.NTRIPLES,
    "nquads": Format.NQUADS,
    "n-quads": Format.NQUADS,
    "json-ld": Format.JSONLD,
}
