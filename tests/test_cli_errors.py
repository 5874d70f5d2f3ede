"""The command's error boundary: exit codes of usage mistakes, unwritable files, a closed pipe, --traceback anywhere."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from sanctuary_kg.errors import ExitCode
from sanctuary_kg.files import Layout


def args(layout: Layout, *rest: object) -> list[str]:
    return [str(a) for a in ("--seeds", layout.seeds, "--build-dir", layout.build, *rest)]


def command(layout: Layout, *rest: object) -> list[str]:
    return [sys.executable, "-m", "sanctuary_kg", *args(layout, *rest)]


def environment() -> dict[str, str]:
    env = dict(os.environ)
    for name in ("SANCTUARY_KG_ENDPOINT", "SANCTUARY_KG_USER", "SANCTUARY_KG_PASSWORD", "SANCTUARY_KG_TOKEN"):
        env.pop(name, None)
    return env


# ------------------------------------------------------------------ a reader that goes away


PIPED = [
    ("export", "--format", "nt"),
    ("export", "--format", "nq"),
    ("export", "--format", "ttl"),
    ("export", "--format", "trig"),
    ("export", "--format", "jsonld"),
    ("export", "--frame", "jurisdiction"),
    ("query", "orders"),
    ("query", "orders", "--format", "csv"),
    ("query", "claims-about-jurisdiction", "-p", "jurisdiction=montgomery-county", "--format", "json"),
    ("sparql", "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }", "--format", "nt"),
    ("sparql", "ASK { ?s ?p ?o }", "--format", "xml"),
    ("queries",),
    ("queries", "--format", "json"),
    ("queries", "orders"),
    ("trace", "montgomery-county"),
    ("trace", "montgomery-county", "--format", "json"),
    ("--help",),
    ("export", "--help"),
]


def test_a_reader_that_stops_early_is_not_an_error(built: Layout) -> None:
    """`sanctuary-kg ... | head -1`: the pipe closes before the output is written; exit 0, nothing on stderr."""
    running = []
    for rest in PIPED:
        process = subprocess.Popen(command(built, *rest), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   env=environment())
        assert process.stdout is not None
        process.stdout.close()  # the reader is gone before a byte is written
        running.append((rest, process))
    for rest, process in running:
        _, err = process.communicate(timeout=120)
        assert (process.returncode, err.decode()) == (ExitCode.OK, ""), rest


def test_a_reader_that_takes_one_line_then_stops(built: Layout) -> None:
    """The same after some output went through, like `head -1` on a large export."""
    process = subprocess.Popen(command(built, "export", "--format", "nt"), stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, env=environment())
    assert process.stdout is not None
    assert process.stdout.readline().startswith(b"<")
    process.stdout.close()
    _, err = process.communicate(timeout=120)
    assert (process.returncode, err) == (ExitCode.OK, b"")


# ------------------------------------------------------------------ usage mistakes


@pytest.mark.parametrize(("rest", "message"), [
    (("export", "-o", "{tmp}/x.json"), "json is not an RDF format: use ttl, trig, nt, nq or jsonld"),
    (("export", "-o", "{tmp}/x.txt"), "cannot tell the format of"),
    (("export", "-o", "{tmp}/export"), "cannot tell the format of"),
    (("query", "orders", "-o", "{tmp}/x.txt"), "cannot tell the format of"),
    (("query", "orders", "--format", "nt"), None),  # a bad format for the form is a query error (5), below
    (("load",), "give the dataset URL of the fuseki server"),
    (("load", "--layout", "generic"), "the generic layout needs --query-url and --store-url"),
    (("load", "http://127.0.0.1:9/ds", "--layout", "generic"), "the generic layout takes --query-url"),
    (("load", "http://127.0.0.1:9/ds", "--graph", "entities", "--prune"), "--prune needs the whole dataset"),
    (("load", "http://127.0.0.1:9/ds", "--graph", "entities", "--prune", "--dry-run"),
     "--prune needs the whole dataset"),
])
def test_usage_mistakes_exit_2_with_one_line(built: Layout, run_cli, tmp_path: Path, rest: tuple[str, ...],
                                             message: str | None) -> None:
    result = run_cli(*args(built, *(r.replace("{tmp}", str(tmp_path)) for r in rest)))
    if message is None:
        assert result.code == ExitCode.QUERY
        return
    assert result.code == ExitCode.USAGE, result.err
    assert result.err.startswith("sanctuary-kg: error: ") and message in result.err
    assert result.err.count("\n") == 1 and result.out == ""
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("rest", [
    ("export", "-o", "/proc/sanctuary-kg-test.ttl"),
    ("export", "-o", "{file}/x.ttl"),
    ("export", "--frame", "jurisdiction", "-o", "{file}/sub/x.jsonld"),
    ("query", "orders", "-o", "/proc/sanctuary-kg-test.csv"),
    ("sparql", "ASK { ?s ?p ?o }", "-o", "{file}/answer.json"),
])
def test_an_output_file_that_cannot_be_written_is_named(built: Layout, run_cli, tmp_path: Path,
                                                        rest: tuple[str, ...]) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder\n", encoding="utf-8")
    rest = tuple(r.replace("{file}", str(blocker)) for r in rest)
    result = run_cli(*args(built, *rest))
    target = rest[rest.index("-o") + 1]
    assert result.code == ExitCode.USAGE, result.err
    assert result.err.startswith(f"sanctuary-kg: error: cannot write {target}: ") and "internal error" not in result.err
    assert result.err.count("\n") == 1
    if target.startswith(str(blocker)):
        assert f"{blocker} is a file, not a folder" in result.err


# ------------------------------------------------------------------ --traceback


def test_traceback_is_taken_before_or_after_the_command(built: Layout) -> None:
    for rest in (("--traceback", "sparql", "SELECT ?x WHERE { ?s ?p ?o } GROUP BY ?s"),
                 ("sparql", "SELECT ?x WHERE { ?s ?p ?o } GROUP BY ?s", "--traceback")):
        done = subprocess.run(command(built, *rest), capture_output=True, text=True, env=environment(), timeout=120)
        assert "No such option" not in done.stderr
        assert "Traceback (most recent call last)" in done.stderr and "QueryError" in done.stderr, rest
    done = subprocess.run(command(built, "sparql", "SELECT ?x WHERE { ?s ?p ?o } GROUP BY ?s"), capture_output=True,
                          text=True, env=environment(), timeout=120)
    assert done.returncode == ExitCode.QUERY and "Traceback" not in done.stderr


def test_traceback_after_the_command_changes_nothing_else(built: Layout, run_cli) -> None:
    plain = run_cli(*args(built, "sparql", "ASK { ?s a sk:Order }"))
    flagged = run_cli(*args(built, "sparql", "ASK { ?s a sk:Order }", "--traceback"))
    assert (plain.code, plain.out) == (flagged.code, flagged.out) == (ExitCode.OK, "true\n")
    # after --, it is an argument like any other
    quoted = run_cli(*args(built, "sparql", "--", "--traceback"))
    assert quoted.code == ExitCode.QUERY and "does not parse" in quoted.err
