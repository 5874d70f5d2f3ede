"""Run SPARQL on the embedded store or on a remote endpoint, with one result type.

Both paths return :class:`Results` holding pyoxigraph terms, so formatting and
comparisons do not care where an answer came from. The embedded store's
default graph is the union of all graphs; stored queries name their graphs
with ``GRAPH`` patterns, so they answer the same on any SPARQL 1.1 endpoint.
"""

from __future__ import annotations

import http.client
import json
import re
import urllib.error
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from SPARQLWrapper import SPARQLWrapper

from .access import Credentials, check_url, opener, shown, unauthorized
from .errors import EndpointError, InputError, QueryError, UsageError
from .ids import INFERRED_GRAPH
from .querytext import service_iris, syntax_error

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


def run_local(store: ox.Store, query: str, inferred: bool = True, lines_before: int = 0) -> Results:
    """Run ``query`` on the embedded store (default graph = union of all graphs).

    Without ``inferred``, the inferred graph is hidden: from the default graph and from GRAPH.
    ``lines_before`` lines were put before the text a person wrote (prefix declarations):
    a syntax error gives its line in their text. A ``SERVICE`` that fails is an
    :class:`EndpointError` naming it.
    """
    try:
        if inferred:
            answer = store.query(query, use_default_graph_as_union=True)
        else:
            graphs = [g for g in store.named_graphs() if g != INFERRED_GRAPH]
            answer = store.query(query, default_graph=list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph](graphs),
                                 named_graphs=graphs)
    except SyntaxError as error:
        if not str(error).startswith("error at ") and service_iris(query):  # an ASK's SERVICE sent nonsense
            raise _failed(query, error) from None
        raise syntax_error(error, query, lines_before=lines_before) from None
    except OSError as error:
        raise _failed(query, error) from None
    try:  # solutions are computed as they are read: a SERVICE fails here
        if isinstance(answer, ox.QueryBoolean):
            return Results("ASK", boolean=bool(answer))
        if isinstance(answer, ox.QuerySolutions):
            variables = tuple(v.value for v in answer.variables)
            rows = tuple(tuple(solution[v] for v in variables) for solution in answer)
            return Results("SELECT", variables, rows)
        return Results("CONSTRUCT", triples=tuple(answer))
    except (OSError, SyntaxError) as error:
        raise _failed(query, error) from None


def _failed(query: str, error: Exception) -> EndpointError | QueryError:
    """A failure while answering: of a SERVICE the query calls (named), or of the store."""
    reason = " ".join(str(error).split())[:200] or type(error).__name__
    services = service_iris(query)
    if not services:
        return QueryError(f"the query failed: {reason}")
    named = shown(services[0]) if len(services) == 1 else "one of " + ", ".join(map(shown, services))
    return EndpointError(f"the SERVICE {named} failed ({reason}): is that endpoint up and its URL right? "
                         "(SERVICE SILENT ignores a failing one)")


@dataclass(frozen=True)
class Target:
    """Where queries run: the embedded ``store``, or a remote ``endpoint`` with a ``timeout``.

    An endpoint's URL is checked when the target is made (http(s), a host, no credentials in it).
    """

    store: ox.Store | None = None
    endpoint: str | None = None
    timeout: float = DEFAULT_TIMEOUT
    inferred: bool = True  # embedded store only: False hides the inferred graph

    def __post_init__(self) -> None:
        if self.endpoint is not None:
            if not self.inferred:
                raise UsageError("--no-inferred hides a graph of the embedded store; on an endpoint, "
                                 "load it without the inferred graph (load --graph ...) instead")
            check_url(self.endpoint)

    @classmethod
    def open(cls, store: Path, endpoint: str | None = None, timeout: float = DEFAULT_TIMEOUT,
             inferred: bool = True) -> Target:
        """The endpoint when one is given, else the built embedded store at ``store`` (read-only)."""
        if endpoint is not None:
            return cls(endpoint=endpoint, timeout=timeout, inferred=inferred)
        return cls(store=open_store(store), inferred=inferred)

    def run(self, query: str, form: str, lines_before: int = 0) -> Results:
        """Run ``query`` (of the given form: SELECT, ASK, CONSTRUCT, DESCRIBE) here.

        ``lines_before``: lines put before what a person wrote, left out of the line an error names.
        """
        if self.endpoint is not None:
            return run_remote(self.endpoint, query, form, self.timeout, lines_before)
        if self.store is None:
            raise QueryError("no store and no endpoint to run the query on")
        return run_local(self.store, query, self.inferred, lines_before)


class _Client(SPARQLWrapper):
    """SPARQLWrapper (which writes the SPARQL 1.1 Protocol request) opening it our way.

    Redirects are not followed (they could carry the Authorization header to another
    host) and the timeout keeps its fraction (``setTimeout`` keeps whole seconds).
    """

    def __init__(self, endpoint: str, timeout: float) -> None:
        super().__init__(endpoint)
        self.seconds = timeout

    def _query(self) -> Any:
        return opener().open(self._createRequest(), timeout=self.seconds), self.returnFormat


def run_remote(endpoint: str, query: str, form: str, timeout: float = DEFAULT_TIMEOUT,
               lines_before: int = 0) -> Results:
    """Run ``query`` of the given form on a SPARQL 1.1 Protocol endpoint, with the credentials of the environment.

    Credentials come from SANCTUARY_KG_TOKEN, SANCTUARY_KG_USER and SANCTUARY_KG_PASSWORD,
    or ~/.netrc, as for ``load`` (see :mod:`sanctuary_kg.access`); they are never shown.
    """
    check_url(endpoint)
    where = shown(endpoint)
    creds = Credentials.find(endpoint)
    client = _Client(endpoint, timeout)
    with warnings.catch_warnings():  # it warns when it cannot guess the form, which we give it below
        warnings.simplefilter("ignore", RuntimeWarning)
        client.setQuery(query)
    client.queryType = form  # SPARQLWrapper guesses the form with a regex that words like "address" fool
    client.setMethod("POST")
    client.setRequestMethod("postdirectly")
    if creds is not None:
        client.addCustomHttpHeader("Authorization", creds.header)
    if form in ("SELECT", "ASK"):
        client.setReturnFormat("json")
        client.addCustomHttpHeader("Accept", "application/sparql-results+json")
    else:
        client.setReturnFormat("n3")
        client.addCustomHttpHeader("Accept", "application/n-triples")
    slow = EndpointError(f"{where} did not answer within {timeout:g} s: try a larger --timeout")
    try:
        response = client.query().response.read()
    except urllib.error.HTTPError as error:
        raise _refusal(error, endpoint, query, form, creds, lines_before) from None
    except TimeoutError:
        raise slow from None
    except urllib.error.URLError as error:
        reason = error.reason
        if isinstance(reason, TimeoutError):
            raise slow from None
        raise EndpointError(f"cannot reach {where} ({reason}): is the server running and the URL right?") from None
    except (OSError, http.client.HTTPException) as error:
        reason = " ".join(str(error).split()) or type(error).__name__
        raise EndpointError(f"lost the connection to {where} ({reason}): retry when the server is up") from None
    if form in ("SELECT", "ASK"):
        return parse_json_results(response, where)
    try:
        triples = tuple(ox.parse(response, format=ox.RdfFormat.N_TRIPLES))
    except SyntaxError as error:
        raise EndpointError(f"{where} sent triples that do not parse: {error}") from None
    return Results(form, triples=triples)


def _refusal(error: urllib.error.HTTPError, endpoint: str, query: str, form: str, creds: Credentials | None,
             lines_before: int) -> Exception:
    """The one-line error for an HTTP error answer to a query."""
    where = shown(endpoint)
    code = error.code
    if code == 400:
        rejected = oxigraph_rejects(query, form)
        if rejected is not None:  # the query is not SPARQL 1.1: say where, as on the embedded store
            return syntax_error(rejected, query, lines_before=lines_before)
        return EndpointError(f"{where} rejected the query (400 Bad Request{_detail(error)}): it parses here, so the "
                             "server does not support something in it, or limits it")
    if code == 401:
        return unauthorized(endpoint, creds)
    if code in (301, 302, 303, 307, 308):
        return EndpointError(f"{where} redirects to {shown(error.headers.get('Location', '?'))} ({code}): "
                             "use that URL")
    hints = {404: "check the endpoint's URL (its query URL, such as .../query or .../sparql)",
             414: "the query is too long for it",
             500: "the server failed: look at its log"}
    if code in hints:
        return EndpointError(f"{where} answered {code} {error.reason}: {hints[code]}")
    return EndpointError(f"{where} answered {code} {error.reason}{_detail(error, ': ')}")


def _detail(error: urllib.error.HTTPError, lead: str = ", ") -> str:
    """The first line of an error answer's body, if it has one."""
    try:
        lines = error.read().decode("utf-8", "replace").strip().splitlines()
    except OSError:
        return ""
    return f"{lead}{lines[0][:200]}" if lines else ""


def oxigraph_rejects(query: str, form: str) -> SyntaxError | None:
    """Oxigraph's SyntaxError for ``query``, or None when it parses.

    Nothing is evaluated: SELECT, CONSTRUCT and DESCRIBE answers are lazy, and an ASK
    with a SERVICE (which an empty store would call) is not checked.
    """
    if form == "ASK" and re.search(r"(?i)\bSERVICE\b", query):
        return None
    try:
        ox.Store().query(query)
    except SyntaxError as error:
        return error
    except OSError:
        return None
    return None


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
