"""Commands that ask the graph: queries, query, sparql, trace."""

from __future__ import annotations

import json
import os
import shutil
import sys
from dataclasses import asdict
from pathlib import Path
from typing import IO, Any

import click

from .. import output, sparql
from .. import queries as queries_lib
from .. import trace as trace_lib
from ..errors import QueryError
from ..files import replacing
from ..formats import Format
from .main import Env, cli, pass_env

RESULT_FORMATS = [f.value for f in (Format.TABLE, Format.CSV, Format.TSV, Format.JSON, Format.XML,
                                    Format.TURTLE, Format.NTRIPLES, Format.JSONLD)]


def _options(*options: Any) -> Any:
    """Apply click options in the order they are listed (as --help shows them)."""

    def decorate(command: Any) -> Any:
        for option in reversed(options):
            command = option(command)
        return command

    return decorate


ENDPOINT_OPTIONS = (
    click.option("--endpoint", metavar="URL", envvar="SANCTUARY_KG_ENDPOINT",
                 help="Ask this SPARQL 1.1 endpoint instead of the embedded store "
                      "(e.g. http://localhost:7878/query)."),
    click.option("--timeout", type=click.FloatRange(0, min_open=True), default=sparql.DEFAULT_TIMEOUT,
                 show_default=True, help="Seconds to wait for the endpoint."),
)
ANSWER_OPTIONS = (
    click.option("--inferred/--no-inferred", default=True, show_default=True,
                 help="On the embedded store, see the inferred graph (what `reason` added) or hide it."),
    click.option("--format", "fmt", type=click.Choice(RESULT_FORMATS), default=None,
                 help="table (the default), csv, tsv, json or xml for SELECT and ASK; ttl, nt or jsonld "
                      "for CONSTRUCT and DESCRIBE. Without it, --output's extension decides."),
    click.option("--output", "-o", "output_path", type=click.Path(path_type=Path, dir_okay=False),
                 help="Write the answer to this file instead of standard output."),
    *ENDPOINT_OPTIONS,
)


def _target(env: Env, endpoint: str | None, timeout: float, inferred: bool = True) -> sparql.Target:
    return sparql.Target.open(env.layout.store, endpoint, timeout, inferred)


def _format(fmt: str | None, destination: Path | None) -> Format:
    if fmt is not None:
        return Format.parse(fmt)
    return Format.TABLE if destination is None else Format.from_path(destination)


def _emit(text: str, destination: Path | None) -> None:
    if destination is None:
        click.echo(text, nl=False)
        return
    with replacing(destination) as temporary:
        temporary.write_text(text, encoding="utf-8")
    click.echo(f"wrote {destination}", err=True)


def _width(destination: Path | None) -> int | None:
    """The terminal's width when the answer goes to one; None (never cut) otherwise."""
    if destination is None and sys.stdout.isatty():
        return shutil.get_terminal_size().columns
    return None


@cli.command()
@click.argument("name", required=False)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="table for people, json for programs.")
@pass_env
def queries(env: Env, name: str | None, fmt: str) -> None:
    """List the stored queries, with their titles and parameters; or describe query NAME.

    Parameters in [brackets] are optional. Run one with `sanctuary-kg query NAME -p PARAM=VALUE`.
    """
    if name is not None:
        found = queries_lib.find(env.layout.queries, name)
        if fmt == "json":
            click.echo(json.dumps(asdict(found), default=str, ensure_ascii=False, indent=2))
        else:
            click.echo(output.stored_query_text(found, _width(None) or 100), nl=False)
        return
    stored = queries_lib.load(env.layout.queries)
    if fmt == "json":
        click.echo(json.dumps([asdict(q) for q in stored.values()], default=str, ensure_ascii=False, indent=2))
        return
    click.echo(output.queries_table(stored.values(), _width(None)), nl=False)


@cli.command()
@click.argument("name")
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE",
              help="A parameter's value (repeat for several). An IRI parameter takes an id, a label or an IRI.")
@_options(*ANSWER_OPTIONS)
@click.option("--show", is_flag=True, help="Print the SPARQL that would run, parameters bound, and stop.")
@pass_env
def query(env: Env, name: str, params: tuple[str, ...], inferred: bool, fmt: str | None, output_path: Path | None,
          endpoint: str | None, timeout: float, show: bool) -> None:
    """Run the stored query NAME (see `sanctuary-kg queries`).

    \b
    Examples:
      sanctuary-kg query claims-about-jurisdiction -p jurisdiction=montgomery-county
      sanctuary-kg query claims-about-jurisdiction -p "jurisdiction=Montgomery County" --format csv
      sanctuary-kg query orders --endpoint http://localhost:7878/query
    """
    stored = queries_lib.find(env.layout.queries, name)
    values = _values(params)
    fmt_ = _format(fmt, output_path)
    output.check(stored.form, fmt_)
    target = _target(env, endpoint, timeout, inferred)
    if show:
        click.echo(queries_lib.bind(stored, values, target), nl=False)
        return
    results = queries_lib.run(stored, values, target)
    _emit(output.render(results, fmt_, _width(output_path)), output_path)


@cli.command("sparql")
@click.argument("text", required=False, metavar="QUERY")
@click.option("--file", "-f", "source", type=click.File("r", encoding="utf-8"),
              help="Read the query from this file (- for standard input).")
@_options(*ANSWER_OPTIONS)
@pass_env
def sparql_command(env: Env, text: str | None, source: IO[str] | None, inferred: bool, fmt: str | None,
                   output_path: Path | None, endpoint: str | None, timeout: float) -> None:
    """Run an ad-hoc SPARQL query (SELECT, ASK, CONSTRUCT or DESCRIBE); updates are refused.

    The prefixes sk:, skp:, id:, rdf:, rdfs:, owl:, xsd:, skos:, prov:, oa:, dcterms:, schema:
    and sh: are declared for you. On the embedded store the default graph is the union of all
    graphs; name graphs with GRAPH to get the same answers on any endpoint.

    \b
    Examples:
      sanctuary-kg sparql 'SELECT ?claim ?quote WHERE { ?claim sk:evidence/oa:exact ?quote } LIMIT 5'
      sanctuary-kg sparql -f my-question.rq --format json
      echo 'ASK { ?s a sk:Order }' | sanctuary-kg sparql -
    """
    if text is not None and source is not None:
        raise click.UsageError("give the query as an argument or with --file, not both")
    if text == "-":
        text = sys.stdin.read()
    elif source is not None:
        text = source.read()
    if text is None:
        raise click.UsageError("give a query: sanctuary-kg sparql 'SELECT ...', or --file FILE (- for stdin)")
    where = f"the query in {source.name}" if source is not None and source.name != "<stdin>" else "the query"
    prepared = queries_lib.prepare(text, where)
    fmt_ = _format(fmt, output_path)
    output.check(prepared.form, fmt_)
    results = prepared.run(_target(env, endpoint, timeout, inferred))
    _emit(output.render(results, fmt_, _width(output_path)), output_path)


@cli.command()
@click.argument("reference", metavar="ID-OR-IRI")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="table for people (the span marked [[like this]], highlighted on a terminal); json for programs.")
@_options(*ENDPOINT_OPTIONS)
@pass_env
def trace(env: Env, reference: str, fmt: str, endpoint: str | None, timeout: float) -> None:
    """Show every span of the articles that supports a claim, order, official or jurisdiction.

    ID-OR-IRI is a claim id (SOURCE-KEY/claim-id, or claim-id alone when unique), an entity id
    (montgomery-county, marc-elrich, inslee-executive-order), a label or an IRI. Each span is shown
    in its sentence with the source's title, publisher, address and offsets, and whether the
    article still has the SHA-256 the graph recorded. Exit 4 when an article has changed.

    \b
    Examples:
      sanctuary-kg trace 002_99daf81b38207396/elrich-force-of-law
      sanctuary-kg trace promoting-community-trust-executive-order
    """
    found = trace_lib.trace(reference, _target(env, endpoint, timeout), env.layout.seeds)
    if fmt == "json":
        click.echo(json.dumps(asdict(found), ensure_ascii=False, indent=2))
    else:
        color = sys.stdout.isatty() and "NO_COLOR" not in os.environ
        click.echo(output.trace_text(found, color=color), nl=False)
    for note in trace_lib.notes(found, env.layout.seeds):
        click.echo(f"note: {note}", err=True)
    trace_lib.check(found)


def _values(params: tuple[str, ...]) -> dict[str, str]:
    values: dict[str, str] = {}
    for item in params:
        name, equals, value = item.partition("=")
        name = name.strip()
        if not equals or not name:
            raise QueryError(f"parameter {item!r} is not NAME=VALUE: write -p jurisdiction=montgomery-county")
        if name in values:
            raise QueryError(f"parameter {name!r} is given twice")
        values[name] = value
    return values
