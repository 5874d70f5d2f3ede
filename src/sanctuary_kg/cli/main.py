"""The command group and the one place where errors become messages and exit codes."""

from __future__ import annotations

import contextlib
import errno
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from ..errors import ExitCode, SanctuaryError
from ..files import Layout


@dataclass
class Env:
    """What every command needs: the folders, and where to report progress."""

    layout: Layout
    progress_enabled: bool

    def progress(self, message: str) -> None:
        if self.progress_enabled:
            click.echo(message, err=True)


pass_env = click.make_pass_decorator(Env)


class _PipeClosed(Exception):
    """Standard output was closed by its reader (``| head``): not an error."""


class Group(click.Group):
    """The command group; a closed standard output reaches :func:`main` (click would exit 1 on it)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        with _pipe_closed():  # --help and --version write while parsing
            return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        with _pipe_closed():
            return super().invoke(ctx)


@contextlib.contextmanager
def _pipe_closed() -> Iterator[None]:
    try:
        yield
    except OSError as error:
        if error.errno == errno.EPIPE:
            raise _PipeClosed() from error
        raise


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option("--seeds", type=click.Path(path_type=Path, file_okay=False), envvar="SANCTUARY_KG_SEEDS",
              help="Folder of articles, fact sheets and entities.yaml [default: ./seeds].")
@click.option("--build-dir", type=click.Path(path_type=Path, file_okay=False), envvar="SANCTUARY_KG_BUILD",
              help="Folder the built dataset and store live in [default: ./build].")
@click.option("--quiet", "-q", is_flag=True, help="No progress messages, even on a terminal.")
@click.option("--traceback", is_flag=True, help="On an error, show the Python traceback (before or after the command).")
@click.version_option(package_name="sanctuary-kg")
@click.pass_context
def cli(ctx: click.Context, seeds: Path | None, build_dir: Path | None, quiet: bool, traceback: bool) -> None:
    """A knowledge graph of US sanctuary and anti-sanctuary policy, built from news articles.

    Every fact leads, by one query, to the exact characters of the article that state it.
    Start with `sanctuary-kg build`, then `validate`, `queries`, `query NAME`, `trace ID`.

    Exit codes: 0 ok, 1 unexpected error, 2 usage, 3 bad input (seeds, fact sheets,
    articles), 4 graph not valid, 5 bad query or parameter, 6 endpoint failed.
    """
    ctx.obj = Env(layout=Layout.default(seeds=seeds, build=build_dir), progress_enabled=not quiet and sys.stderr.isatty())


def main(argv: list[str] | None = None) -> None:
    """Run the command; turn library errors into one line on stderr and an exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    end = args.index("--") if "--" in args else len(args)
    show_traceback = "--traceback" in args[:end]
    args = [a for a in args[:end] if a != "--traceback"] + args[end:]  # so that it goes anywhere
    try:
        cli.main(args=args, prog_name="sanctuary-kg", standalone_mode=False)
    except SanctuaryError as error:
        if show_traceback:
            raise
        click.echo(f"sanctuary-kg: error: {error}", err=True)
        sys.exit(error.exit_code)
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    except click.Abort:
        click.echo("sanctuary-kg: aborted", err=True)
        sys.exit(ExitCode.ERROR)
    except KeyboardInterrupt:
        sys.exit(130)
    except (_PipeClosed, BrokenPipeError):
        _discard_output()
        sys.exit(ExitCode.OK)
    except Exception as error:  # a bug: say so plainly
        if show_traceback:
            raise
        click.echo(f"sanctuary-kg: internal error: {type(error).__name__}: {error} (rerun with --traceback and report it)", err=True)
        sys.exit(ExitCode.ERROR)
    sys.exit(ExitCode.OK)


def _discard_output() -> None:
    """After the reader of standard output went away: send what is left to /dev/null, quietly."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # not a real file (a test's capture)
        pass


def register() -> None:
    from . import ask, dataset, interchange  # noqa: F401  (commands attach themselves to the group)


register()
