"""The ``policyquant`` command line.

Commands::

    policyquant tables --example              Table 4 and efficacy summaries of the bundled study
    policyquant tables units.csv documents.csv
    policyquant frameworks                    the registered frameworks (and failed plugins)
    policyquant codebook wang2026             a framework's coding rules

A mistake in the input (a missing file, an unknown instrument, a score off the
scale) prints one line, ``policyquant: error: ...``, and exits with status 2.
Anything else is a bug: the command exits with status 1 and asks for a bug
report; ``--debug`` shows the traceback.
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import click

from .errors import PolicyQuantError, ValidationError

__all__ = ["main"]

BUG_REPORT = "this is a bug in policyquant; please report it with the command you ran (rerun with --debug)"

_FORMATS = ("text", "markdown", "csv", "latex")


def _one_line(error: BaseException) -> str:
    """The first line of an error, with a count of the problems behind it."""
    lines = str(error).strip().splitlines() or [type(error).__name__]
    head = lines[0].rstrip(":")
    if isinstance(error, ValidationError) and len(error.problems):
        from .errors import describe_problem

        first = describe_problem(error.problems.iloc[0].dropna().to_dict())
        more = len(error.problems) - 1
        head += f": {first}" + (f" (and {more} more; --problems FILE saves them all)" if more else "")
    return head


class _Group(click.Group):
    """Turns user mistakes into one line and exit status 2, and bugs into status 1."""

    def invoke(self, ctx: click.Context) -> Any:
        debug = bool(ctx.params.get("debug"))
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except BrokenPipeError:
            # The reader went away (e.g. `policyquant tables --example | head`): not an error.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            ctx.exit(0)
        except (PolicyQuantError, OSError) as error:
            if debug:
                traceback.print_exc()
            click.echo(f"policyquant: error: {_one_line(error)}", err=True)
            ctx.exit(2)
        except Exception:  # noqa: BLE001 - anything else is a bug, reported as such
            if debug:
                traceback.print_exc()
            click.echo(f"policyquant: internal error: {BUG_REPORT}", err=True)
            ctx.exit(1)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show the traceback of an error.")
@click.version_option(package_name="policyquant", prog_name="policyquant")
def main(debug: bool) -> None:
    """Quantitative analysis of public-policy texts."""


def _emit(table: Any, fmt: str, title: str | None = None, decimals: int = 2) -> None:
    from .results import FrameResult, TableResult

    result = table if isinstance(table, TableResult) else FrameResult(table, decimals=decimals)
    if title and fmt in ("text", "markdown"):
        click.echo(f"\n{'## ' if fmt == 'markdown' else ''}{title}\n")
    if fmt == "markdown":
        click.echo(result.to_markdown())
    elif fmt == "csv":
        click.echo(result.to_csv(), nl=False)
    elif fmt == "latex":
        click.echo(result.to_latex())
    else:
        click.echo(str(result))


def _save_problems(path: str | None, run: Callable[[], Any]) -> Any:
    try:
        return run()
    except ValidationError as error:
        if path:
            error.problems.to_csv(path, index=False, encoding="utf-8-sig")
        raise


@main.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option("--example", is_flag=True, help="Use the bundled reconstruction of the study's corpus.")
@click.option("--framework", "-f", default="wang2026", show_default=True, help="Framework name or alias.")
@click.option("--format", "fmt", type=click.Choice(_FORMATS), default="text", show_default=True)
@click.option("--encoding", default=None, help="Encoding of CSV files (detected when omitted).")
@click.option(
    "--problems",
    type=click.Path(dir_okay=False),
    default=None,
    help="On validation errors, save every problem to this CSV file.",
)
def tables(
    files: Sequence[Path], example: bool, framework: str, fmt: str, encoding: str | None, problems: str | None
) -> None:
    """Print the instrument x objective table and the efficacy summaries.

    FILES are the units file and, optionally, the documents file (or one
    workbook, JSON file or directory holding both).
    """
    from . import datasets
    from .analysis import crosstab, efficacy_summary
    from .io import read_coding

    if example == bool(files):
        raise click.UsageError("give the coding files, or --example for the bundled study corpus")
    if len(files) > 2:
        raise click.UsageError("give at most two files: the units file and the documents file")
    if example:
        corpus = datasets.load_genai_china()
    else:
        units = files[0]
        documents = files[1] if len(files) > 1 else None
        corpus = _save_problems(
            problems, lambda: read_coding(units, documents, framework=framework, encoding=encoding)
        )
    tables = [(crosstab(corpus), f"Codings by instrument and objective ({len(corpus.codings)} codings)")]
    if corpus.framework.scale is not None:
        scale = corpus.framework.scale.name
        groupings = [("family", "instrument family"), ("instrument", "instrument")]
        if corpus.framework.objectives:
            groupings.insert(0, ("objective", "objective (over codings)"))
        try:
            # Everything is computed before anything is printed: no half-printed output on an error.
            tables += [(efficacy_summary(corpus, by=by), f"Mean {scale} by {what}") for by, what in groupings]
        except ValidationError as error:
            click.echo(f"policyquant: note: efficacy skipped: {_one_line(error)}", err=True)
    for table, title in tables:
        _emit(table, fmt, title=title)


@main.command()
def frameworks() -> None:
    """List the registered frameworks and any plugin that failed to load."""
    import warnings

    from .errors import PluginWarning
    from .plugins import list_frameworks, plugin_failures

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PluginWarning)
        table = list_frameworks()
        failures = plugin_failures()
    columns = ["name", "title", "aliases", "plugin", "version", "builtin", "parts"]
    _emit(table[columns].set_index("name"), "text")
    for failure in failures:
        click.echo(f"failed: {failure}", err=True)


@main.command()
@click.argument("name", default="wang2026")
@click.option("--language", "-l", default=None, help="Label language, e.g. zh.")
@click.option("--format", "fmt", type=click.Choice(_FORMATS), default="text", show_default=True)
def codebook(name: str, language: str | None, fmt: str) -> None:
    """Print a framework's coding rules (default: wang2026)."""
    from .plugins import get_framework

    book = get_framework(name).codebook(language=language)
    _emit(book.set_index(["part", "key"]), fmt, decimals=0)


def run(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` and return its exit status (for tests and embedding).

    Examples
    --------
    >>> run(["codebook", "no-such-framework"])
    2
    """
    try:
        status = main.main(
            args=list(argv) if argv is not None else None, prog_name="policyquant", standalone_mode=False
        )
        # Without standalone mode, click returns the status of ctx.exit() instead of exiting.
        return status if isinstance(status, int) else 0
    except click.exceptions.Exit as done:
        return int(done.exit_code)
    except click.ClickException as error:
        error.show()
        return error.exit_code
    except click.exceptions.Abort:
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(run())
