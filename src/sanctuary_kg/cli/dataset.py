"""Commands that make and check the dataset: build, validate."""

from __future__ import annotations

import json
from dataclasses import asdict

import click
import rdflib

from .. import build as build_lib
from .. import validate as validate_lib
from ..errors import ValidationFailed
from ..formats import Format
from ..ids import INFERRED_GRAPH, compact
from .main import Env, cli, pass_env


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["nq", "trig"]), default="nq", show_default=True,
              help="Serialisation of the dataset file.")
@click.option("--reason", is_flag=True, help="Also infer what the ontology entails, into the inferred graph.")
@pass_env
def build(env: Env, fmt: str, reason: bool) -> None:
    """Build the graph from the seeds: anchor every quote, write the dataset and the store.

    Writes BUILD/sanctuary-kg.nq (or .trig) and the embedded store BUILD/store. A quote
    that is not in its article, or a changed article, stops the build and nothing is written.
    """
    result = build_lib.build(env.layout, Format.parse(fmt), reason=reason, progress=env.progress)
    for path in result.unsheeted:
        click.echo(f"note: {path.name} has no fact sheet yet, so it is not in the graph", err=True)
    click.echo(f"built {result.dataset}: {result.sources} sources, {result.quads} quads in {len(result.graphs)} graphs")


@cli.command()
@pass_env
def reason(env: Env) -> None:
    """Infer what the ontology entails and store it in the inferred graph.

    Adds, in the graph id/graph/inferred only (article graphs are never changed):
    jurisdictions within jurisdictions transitively and their inverse (contains),
    superclasses (a County is a Jurisdiction), inverse properties (an official's
    orders via sk:issued, a claim's subjects via sk:subjectOf), broader provisions
    transitively, and sk:coversProvision (an order covers the broader provisions of
    those it has). The same as `build --reason`; unchanged articles come from the cache.
    """
    result = build_lib.build(env.layout, reason=True, progress=env.progress)
    inferred = result.graphs.get(INFERRED_GRAPH.value, 0)
    click.echo(f"inferred {inferred} triples into {compact(INFERRED_GRAPH.value)}; {result.quads} quads in all")


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["table", "ttl", "json"]), default="table", show_default=True,
              help="table for people; ttl for a SHACL report in Turtle; json for programs.")
@click.option("--engine", type=click.Choice(validate_lib.ENGINES), default="fast", show_default=True,
              help="fast: the shapes as SPARQL on Oxigraph, every article at once; pyshacl: the reference, "
                   "article by article (slow on large corpora). Both report the same findings.")
@click.option("--no-cache", is_flag=True, help="Check every article again, even those unchanged since the last run.")
@pass_env
def validate(env: Env, fmt: str, engine: validate_lib.Engine, no_cache: bool) -> None:
    """Validate the built graph with SHACL and re-check every span against its article.

    Each article is checked with its own graph and the shared graphs, as SHACL data.
    Exit 0 when the graph conforms and every span's exact text, prefix and suffix are
    at its offsets in an unchanged article; exit 4 with the findings otherwise. Articles
    unchanged since the last run (graph, text, shapes) keep their findings from
    BUILD/validated.sqlite.
    """
    layout = env.layout
    cache = None if no_cache else layout.build / "validated.sqlite"
    report = validate_lib.validate(layout.dataset, layout.shapes, layout.seeds, progress=env.progress,
                                   engine=engine, cache=cache)
    if fmt == "json":
        click.echo(json.dumps(asdict(report), indent=2, ensure_ascii=False))
    elif fmt == "ttl":
        click.echo(_report_turtle(report), nl=False)
    elif report.findings:
        for f in report.findings:
            where = compact(f.focus) + (f" {compact(f.path)}" if f.path else "")
            click.echo(f"{f.severity}\t{compact(f.graph)}\t{where}\t{f.message}")
    summary = f"{report.articles} articles, {report.spans} spans checked"
    if not report.conforms:
        raise ValidationFailed(f"the graph does not conform: {len(report.findings)} findings ({summary})", report)
    if fmt == "table":
        click.echo(f"conforms: {summary}")


def _report_turtle(report: validate_lib.Report) -> str:
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    g = rdflib.Graph()
    g.bind("sh", sh)
    node = rdflib.BNode()
    g.add((node, rdflib.RDF.type, sh.ValidationReport))
    g.add((node, sh.conforms, rdflib.Literal(report.conforms)))
    for f in report.findings:
        r = rdflib.BNode()
        g.add((node, sh.result, r))
        g.add((r, rdflib.RDF.type, sh.ValidationResult))
        g.add((r, sh.focusNode, rdflib.URIRef(f.focus)))
        g.add((r, sh.resultSeverity, sh[f.severity]))
        g.add((r, sh.resultMessage, rdflib.Literal(f.message)))
        if f.path:
            g.add((r, sh.resultPath, rdflib.URIRef(f.path)))
        if f.value is not None:
            g.add((r, sh.value, rdflib.Literal(f.value)))
        if f.check.startswith("http"):
            g.add((r, sh.sourceShape, rdflib.URIRef(f.check)))
    return g.serialize(format="turtle")
