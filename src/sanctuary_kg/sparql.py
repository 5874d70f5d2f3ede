"""Run SPARQL on the embedded store or on a remote endpoint, with one result type.

Both paths return :class:`Results` holding pyoxigraph terms, so formatting and
comparisons do not care where an answer came from. The embedded store's
default graph is the union of all graphs; stored queries name their graphs
with ``GRAPH`` patterns, so they answer the same on any SPARQL 1.1 endpoint.
"""

from __future__ import annotations

import json
import socket
import urllib.error
import warnings
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from SPARQLWrapper import SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import (
    EndPointInternalError,
    EndPointNotFound,
    QueryBadFormed,
    SPARQLWrapperException,
    Unauthorized,
    URITooLong,
)

from .errors import EndpointError, InputError, QueryError
from .ids import INFERRED_GRAPH

Term = ox.NamedNode | ox.BlankNode | ox.Literal
DEFAULT_TIMEOUT = 30.0


@dataclass(frozen=True)
class Results:
    """The answer to one query: rows for SELECT, a boolean for ASK, triples otherwise."""

    form: str  # SELECT, ASK, CONSTRUCT or DESCRIBE
    variables: tuple[str, ...] = ()
    rows: tuple[tuple[Term | None, ...], ...] = ()
    boolean: bool | None = None
    triples: tuple[ox.Triple, ...] = ()


def open_store(path: Path) -> ox.Store:
    """Open the built embedded store read-only."""
    if not (path / "CURRENT").exists():
        raise InputError("no built store: run `sanctuary-kg build` first", path=path)
    return ox.Store.read_only(str(path))


def run_local(store: ox.Store, query: str, inferred: bool = True) -> Results:
    """Run ``query`` on the embedded store (default graph = union of all graphs).

    Without ``inferred``, the inferred graph is hidden: from the default graph and from GRAPH.
    """
    try:
        if inferred:
            answer = store.query(query, use_default_graph_as_union=True)
        else:
            graphs = [g for g in store.named_graphs() if g != INFERRED_GRAPH]
            answer = store.query(query, default_graph=list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph](graphs),
                                 named_graphs=graphs)
    except SyntaxError as error:
        raise QueryError(f"the query does not parse: {error}") from None
    except OSError as error:  # a SERVICE call that failed
        raise QueryError(f"the query failed: {error}") from None
    if isinstance(answer, ox.QueryBoolean):
        return Results("ASK", boolean=bool(answer))
    if isinstance(answer, ox.QuerySolutions):
        variables = tuple(v.value for v in answer.variables)
        rows = tuple(tuple(solution[v] for v in variables) for solution in answer)
        return Results("SELECT", variables, rows)
    return Results("CONSTRUCT", triples=tuple(answer))


@dataclass(frozen=True)
class Target:
    """Where queries run: the embedded ``store``, or a remote ``endpoint`` with a ``timeout``."""

    store: ox.Store | None = None
    endpoint: str | None = None
    timeout: float = DEFAULT_TIMEOUT
    inferred: bool = True  # embedded store only: False hides the inferred graph

    def run(self, query: str, form: str) -> Results:
        """Run ``query`` (of the given form: SELECT, ASK, CONSTRUCT, DESCRIBE) here."""
        if self.endpoint is not None:
            return run_remote(self.endpoint, query, form, self.timeout)
        if self.store is None:
            raise QueryError("no store and no endpoint to run the query on")
        return run_local(self.store, query, self.inferred)


def run_remote(endpoint: str, query: str, form: str, timeout: float = DEFAULT_TIMEOUT) -> Results:
    """Run ``query`` of the given form on a SPARQL 1.1 Protocol endpoint."""
    client = SPARQLWrapper(endpoint)
    with warnings.catch_warnings():  # it warns when it cannot guess the form, which we give it below
        warnings.simplefilter("ignore", RuntimeWarning)
        client.setQuery(query)
    client.queryType = form  # SPARQLWrapper guesses the form with a regex that words like "address" fool
    client.setMethod("POST")
    client.setRequestMethod("postdirectly")
    client.setTimeout(int(max(1, timeout)))
    if form in ("SELECT", "ASK"):
        client.setReturnFormat("json")
        client.addCustomHttpHeader("Accept", "application/sparql-results+json")
    else:
        client.setReturnFormat("n3")
        client.addCustomHttpHeader("Accept", "application/n-triples")
    try:
        response = client.query().response.read()
    except urllib.error.HTTPError as error:
        detail = error.read().decode("utf-8", "replace").strip().splitlines()
        hint = f": {detail[0][:200]}" if detail else ""
        raise EndpointError(f"{endpoint} answered {error.code} {error.reason}{hint}") from None
    except SPARQLWrapperException as error:
        status, hint = _REFUSALS.get(type(error), ("an error", str(error).splitlines()[0][:200]))
        raise EndpointError(f"{endpoint} answered {status}: {hint}") from None
    except TimeoutError:
        raise EndpointError(f"{endpoint} did not answer within {timeout:g} s: try a larger --timeout") from None
    except urllib.error.URLError as error:
        reason = error.reason
        if isinstance(reason, (socket.timeout, TimeoutError)):
            raise EndpointError(f"{endpoint} did not answer within {timeout:g} s: try a larger --timeout") from None
        raise EndpointError(f"cannot reach {endpoint} ({reason}): is the server running and the URL right?") from None
    except (ConnectionError, OSError) as error:
        raise EndpointError(f"lost the connection to {endpoint} ({error}): retry when the server is up") from None
    if form in ("SELECT", "ASK"):
        return parse_json_results(response, endpoint)
    try:
        triples = tuple(ox.parse(response, format=ox.RdfFormat.N_TRIPLES))
    except SyntaxError as error:
        raise EndpointError(f"{endpoint} sent triples that do not parse: {error}") from None
    return Results(form, triples=triples)


# SPARQLWrapper turns these HTTP statuses into exceptions of its own
_REFUSALS: dict[type[Exception], tuple[str, str]] = {
    QueryBadFormed: ("400 Bad Request", "it could not parse or run the query"),
    Unauthorized: ("401 Unauthorized", "it needs credentials"),
    EndPointNotFound: ("404 Not Found", "check the endpoint's URL (its query URL, such as .../query or .../sparql)"),
    URITooLong: ("414 URI Too Long", "the query is too long for it"),
    EndPointInternalError: ("500 Internal Server Error", "the server failed: look at its log"),
}


def parse_json_results(data: bytes, endpoint: str = "the endpoint") -> Results:
    """Read W3C SPARQL 1.1 JSON results into :class:`Results`."""
    try:
        doc = json.loads(data)
    except ValueError:
        raise EndpointError(f"{endpoint} did not send SPARQL JSON results") from None
    if "boolean" in doc:
        return Results("ASK", boolean=bool(doc["boolean"]))
    variables = tuple(doc["head"].get("vars", []))
    rows = tuple(tuple(_term(b.get(v)) for v in variables) for b in doc["results"]["bindings"])
    return Results("SELECT", variables, rows)


def _term(binding: dict[str, str] | None) -> Term | None:
    if binding is None:
        return None
    kind, value = binding["type"], binding["value"]
    if kind == "uri":
        return ox.NamedNode(value)
    if kind == "bnode":
        return ox.BlankNode(value)
    if "xml:lang" in binding:
        return ox.Literal(value, language=binding["xml:lang"])
    if "datatype" in binding:
        return ox.Literal(value, datatype=ox.NamedNode(binding["datatype"]))
    return ox.Literal(value)
