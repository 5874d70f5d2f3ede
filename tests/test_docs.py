"""The documentation is tested: every command has help and is in the README; every stored query
describes itself, parses, and its example invocation works."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import click
import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from sanctuary_kg import ids, queries
from sanctuary_kg.cli import cli, main
from sanctuary_kg.files import Layout, resources

ROOT = resources()
README = ROOT / "README.md"
QUERY_FILES = sorted((ROOT / "queries").glob("*.rq"))


def commands(group: click.Group = cli, prefix: str = "") -> Iterator[tuple[str, click.Command]]:
    """Every command of the CLI, sub-commands included, by its full name."""
    context = click.Context(group)
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        assert command is not None
        yield f"{prefix}{name}", command
        if isinstance(command, click.Group):
            yield from commands(command, f"{prefix}{name} ")


COMMANDS = dict(commands())


def test_there_are_commands() -> None:
    assert {"build", "validate", "queries", "query", "sparql", "trace"} <= set(COMMANDS)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_has_help(name: str) -> None:
    command = COMMANDS[name]
    assert command.help and command.help.strip(), f"`sanctuary-kg {name}` has no help text"
    assert command.get_short_help_str(), name
    for param in command.params:
        if isinstance(param, click.Option) and not param.hidden:
            assert param.help, f"option {'/'.join(param.opts)} of `sanctuary-kg {name}` has no help"


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_is_in_the_readme(name: str) -> None:
    assert f"sanctuary-kg {name}" in README.read_text(encoding="utf-8"), \
        f"README.md does not show `sanctuary-kg {name}`"


@pytest.mark.parametrize("path", QUERY_FILES, ids=[p.stem for p in QUERY_FILES])
def test_every_stored_query_describes_itself_and_parses(path) -> None:  # type: ignore[no-untyped-def]
    query = queries.read(path)  # a bad header or a query that does not parse raises
    assert query.title.strip() and query.description.strip()
    assert len(query.description) >= 40, f"{path.name}: say what the query answers"
    for parameter in query.parameters:
        assert parameter.example, f"{path.name}: parameter {parameter.name} needs an example"


@pytest.mark.parametrize("path", QUERY_FILES, ids=[p.stem for p in QUERY_FILES])
def test_every_stored_query_example_runs(path, built: Layout) -> None:  # type: ignore[no-untyped-def]
    query = queries.read(path)
    words = shlex.split(query.example)
    assert words[:3] == ["sanctuary-kg", "query", query.name]
    runner = CliRunner()
    with runner.isolation() as (out, err, _):
        try:
            main(["--seeds", str(built.seeds), "--build-dir", str(built.build), *words[1:], "--format", "csv"])
        except SystemExit as done:
            code = int(done.code or 0)
    assert code == 0, err.getvalue().decode()
    header = out.getvalue().decode().splitlines()[0]
    assert header.split(",") == list(query.variables)


def test_the_readmes_worked_examples_are_in_the_built_graph(built: Layout) -> None:
    """Each Turtle block of "The data model" names its graph, and every triple in it is in that graph."""
    text = README.read_text(encoding="utf-8")
    model = text[text.index("### The data model"):text.index("### Fact sheets")]
    blocks = []
    for match in re.finditer(r"```turtle\n(.*?)```", model, flags=re.S):
        before = model[max(0, match.start() - 300):match.start()] + match.group(1).split("\n", 1)[0]
        blocks.append((re.findall(r"in graph `?id/graph/(\w+)", before)[-1], match.group(1)))
    assert len(blocks) == 2
    prologue = "".join(f"@prefix {p}: <{iri}> .\n" for p, iri in ids.PREFIXES.items())
    quads = set(ox.parse(path=built.dataset, format=ox.RdfFormat.N_QUADS))
    for key, turtle in blocks:
        graph = ids.source_graph(key)
        triples = list(ox.parse(prologue + turtle, format=ox.RdfFormat.TURTLE))
        assert triples
        missing = [t for t in triples if ox.Quad(t.subject, t.predicate, t.object, graph) not in quads]
        assert missing == [], (key, missing)


def test_the_installed_command_and_python_dash_m_run_the_same_cli() -> None:
    script = Path(sys.executable).with_name("sanctuary-kg")
    assert script.exists(), "the console script is not installed: pip install -e ."
    by_script = subprocess.run([str(script), "--help"], capture_output=True, text=True, check=True)
    by_module = subprocess.run([sys.executable, "-m", "sanctuary_kg", "--help"], capture_output=True, text=True,
                               check=True)
    assert by_script.stdout == by_module.stdout and "Usage: sanctuary-kg" in by_script.stdout
