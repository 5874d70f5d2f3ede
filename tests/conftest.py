"""Shared fixtures: the seeds copied to a scratch folder, a built graph, a real SPARQL server."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from sanctuary_kg import build as build_lib
from sanctuary_kg.files import Layout, resources

ROOT = resources()
SEEDS = ROOT / "seeds"


def copy_seeds(target: Path) -> Path:
    """A writable copy of the project's seeds."""
    shutil.copytree(SEEDS, target)
    return target


@pytest.fixture
def seeds(tmp_path: Path) -> Path:
    """A scratch copy of the seeds that a test may edit."""
    return copy_seeds(tmp_path / "seeds")


@pytest.fixture
def layout(seeds: Path, tmp_path: Path) -> Layout:
    return Layout.default(seeds=seeds, build=tmp_path / "build")


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Layout:
    """The seed graph, built once per test session (read-only for tests)."""
    base = tmp_path_factory.mktemp("built")
    layout = Layout.default(seeds=copy_seeds(base / "seeds"), build=base / "build")
    build_lib.build(layout)
    return layout


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class OxigraphServer:
    """A real `oxigraph serve` process on 127.0.0.1 (from the `oxigraph` package on PyPI)."""

    location: Path
    port: int
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def query_url(self) -> str:
        return f"{self.url}/query"

    @property
    def update_url(self) -> str:
        return f"{self.url}/update"

    @property
    def store_url(self) -> str:
        return f"{self.url}/store"

    def start(self) -> None:
        binary = Path(sys.executable).with_name("oxigraph")
        self.process = subprocess.Popen(
            [str(binary), "serve", "--location", str(self.location), "--bind", f"127.0.0.1:{self.port}"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{self.url}/query?query=ASK%7B%7D", timeout=1).read()
                return
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError("oxigraph serve exited at start") from None
                time.sleep(0.1)
        raise RuntimeError("oxigraph serve did not start within 30 s")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None


@pytest.fixture
def oxigraph_server(tmp_path: Path) -> Iterator[OxigraphServer]:
    """An empty Oxigraph SPARQL server on loopback, stopped after the test."""
    server = OxigraphServer(tmp_path / "oxigraph", free_port())
    server.start()
    try:
        yield server
    finally:
        server.stop()


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]):
    """Run the real ``sanctuary-kg`` command group in-process, with its error boundary."""
    from sanctuary_kg.cli import main

    def run(*args: str) -> Run:
        capsys.readouterr()
        try:
            main([str(a) for a in args])
            code = 0
        except SystemExit as done:
            code = int(done.code or 0)
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run
