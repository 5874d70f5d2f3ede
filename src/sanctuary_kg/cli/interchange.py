"""Commands that move the graph out: export, load."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import BinaryIO

import click

from .. import export as export_lib
from .. import load as load_lib
from ..files import replacing
from ..formats import Format
from ..ids import compact
from ..remote import Client
from .main import Env, cli, pass_env

RDF_FORMATS = [f.value for f in Format if f.is_rdf]


@cli.command()
@click.option("--format", "fmt", type=click.Choice(RDF_FORMATS),
              help="Serialisation [default: from the extension of -o, else nq; jsonld with --frame].")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help="File to write (replaced whole, never half-written) [default: standard output].")
@click.option("--graph", "graphs", multiple=True, metavar="G",
              help="Only this graph: its IRI or name (entities, ontology, an article key). Repeat for more "
                   "[default: all].")
@click.option("--frame", type=click.Choice(sorted(export_lib.FRAMES)),
              help="Write the framed JSON-LD view instead: each jurisdiction with its officials, orders, "
                   "provisions and claims nested.")
@click.option("--jurisdiction", metavar="ID", help="With --frame: only this one (montgomery-county, or its IRI).")
@pass_env
def export(env: Env, fmt: str | None, output: Path | None, graphs: tuple[str, ...], frame: str | None,
           jurisdiction: str | None) -> None:
    """Export the built graph as Turtle, TriG, N-Triples, N-Quads or JSON-LD.

    N-Quads, TriG and JSON-LD keep the named graphs (one per article, entities,
    ontology); Turtle and N-Triples hold their union. Output is sorted, so
    exports diff cleanly. JSON-LD is compacted with ontology/context.jsonld.
    """
    if fmt:
        chosen = Format.parse(fmt)
    else:
        chosen = Format.from_path(output) if output else Format.JSONLD if frame else Format.NQUADS
    if frame and chosen is not Format.JSONLD:
        raise click.UsageError("--frame writes JSON-LD: use --format jsonld or an -o file ending in .jsonld")
    if jurisdiction and not frame:
        raise click.UsageError("--jurisdiction goes with --frame jurisdiction")

    def write(stream: BinaryIO) -> export_lib.Exported:
        if frame:
            return export_lib.export_frame(env.layout.dataset, stream, frame, jurisdiction, graphs)
        return export_lib.export(env.layout.dataset, stream, chosen, graphs)

    if output is None:
        stdout = sys.stdout.buffer
        result = write(stdout)
        stdout.flush()
        env.progress(_summary(result, "standard output"))
        return
    with replacing(output) as temporary, temporary.open("wb") as stream:
        result = write(stream)
    click.echo(_summary(result, str(output)), err=True)


def _summary(result: export_lib.Exported, where: str) -> str:
    graphs = _count(len(result.graphs), "graph")
    return f"wrote {result.count} {result.unit} from {graphs} to {where} ({result.format.value})"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


@cli.command()
@click.argument("url", required=False)
@click.option("--layout", type=click.Choice([*load_lib.LAYOUTS, load_lib.GENERIC]), default="fuseki",
              show_default=True, help="How URL names its services: fuseki (URL/query, URL/update, URL/data), "
                                      "oxigraph (URL/query, URL/update, URL/store), or generic (give the URLs).")
@click.option("--query-url", metavar="URL", help="SPARQL query endpoint (overrides the layout).")
@click.option("--update-url", metavar="URL", help="SPARQL update endpoint (overrides the layout).")
@click.option("--store-url", metavar="URL", help="Graph Store Protocol endpoint (overrides the layout).")
@click.option("--graph", "graphs", multiple=True, metavar="G",
              help="Only this graph: its IRI or name (entities, ontology, an article key). Repeat for more "
                   "[default: all].")
@click.option("--dry-run", is_flag=True, help="Show what would be sent, and where; change nothing (with --prune, "
                                             "ask the server which graphs would be deleted).")
@click.option("--prune", is_flag=True,
              help="Also delete the server's graphs under the project's namespace that the dataset no longer has.")
@click.option("--timeout", type=click.FloatRange(min=1), default=60, show_default=True,
              help="Seconds to wait for each answer.")
@click.option("--retries", type=click.IntRange(0, 10), default=3, show_default=True,
              help="Retries, with back-off, after a connection failure, a timeout or a 5xx answer.")
@click.option("--jobs", type=click.IntRange(1, 16), default=load_lib.JOBS, show_default=True,
              help="Requests in flight at once, each on its own connection.")
@click.option("--batch", type=click.IntRange(1, 10000), default=1, show_default=True, metavar="N",
              help="Replace N graphs per request pair (one update dropping them, one POST of their N-Quads to the "
                   "dataset) instead of one PUT per graph: much faster for thousands of graphs (fuseki, oxigraph).")
@pass_env
def load(env: Env, url: str | None, layout: str, query_url: str | None, update_url: str | None,
         store_url: str | None, graphs: tuple[str, ...], dry_run: bool, prune: bool, timeout: float,
         retries: int, jobs: int, batch: int) -> None:
    """Load the built graph into a triplestore (Fuseki, Oxigraph, GraphDB, ...) and verify it.

    Sends each named graph with an HTTP PUT (SPARQL 1.1 Graph Store Protocol), which
    replaces that graph: loading again never duplicates, and re-running is how to
    finish a load that failed. With --batch N, N graphs at a time are dropped and
    posted again as N-Quads. Then counts every graph's triples on the server; a
    difference is an error (exit 6).

    Credentials come from SANCTUARY_KG_USER and SANCTUARY_KG_PASSWORD, or
    SANCTUARY_KG_TOKEN (bearer), or ~/.netrc; never from the command line.
    """
    targets = load_lib.endpoints(url, layout, query=query_url, update=update_url, store=store_url)
    client = Client(timeout=timeout, retries=retries)
    report = load_lib.load(env.layout.dataset, targets, graphs, dry_run=dry_run, prune=prune, client=client,
                           progress=env.progress, jobs=jobs, batch=batch)
    credentials = f"credentials from {report.credentials}" if report.credentials else "no credentials"
    if report.dry_run:
        for g in report.graphs:
            if batch > 1:
                click.echo(f"would replace {compact(g.graph)}: {g.triples:>6} quads ({g.size:,} bytes), dropped with "
                           f"{targets.update} and posted to {targets.quads}")
            else:
                click.echo(f"would PUT {g.triples:>6} triples ({g.size:,} bytes) to "
                           f"{load_lib.graph_url(targets.store, g.graph)}")
        for graph in report.pruned:
            click.echo(f"would DELETE {load_lib.graph_url(targets.store, graph)}: the dataset no longer has it")
        pruned = f", {_count(len(report.pruned), 'graph')} to delete" if prune else ""
        sent = "only the query for the graphs to delete sent" if prune else "nothing sent"
        click.echo(f"dry run: {_count(len(report.graphs), 'graph')}, {report.triples} triples for {targets.store}"
                   f"{pruned}, to be verified with {targets.query}; {credentials}; {sent}")
        return
    width = max(len(compact(g.graph)) for g in report.graphs)
    click.echo(f"{'graph':<{width}}  {'triples':>8}  {'on server':>9}  {'seconds':>7}")
    for g in report.graphs:
        click.echo(f"{compact(g.graph):<{width}}  {g.triples:>8}  {g.found:>9}  {g.seconds:>7.2f}")
    for graph in report.pruned:
        click.echo(f"deleted {compact(graph)}: the dataset no longer has it")
    click.echo(f"loaded {_count(len(report.graphs), 'graph')}, {report.triples} triples into {targets.store} "
               f"in {report.seconds:.2f} s ({credentials}); every graph verified with {targets.query}")
