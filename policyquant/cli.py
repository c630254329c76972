"""The ``policyquant`` command line.

Commands::

    policyquant report --example -o out/        the HTML report of the bundled study
    policyquant tables units.csv documents.csv  Table 4 and the efficacy summaries
    policyquant validate units.csv documents.csv
    policyquant reliability coder_a.xlsx coder_b.xlsx   (or one REFI-QDA project.qdpx)
    policyquant pmc scores.csv                  PMC index of every policy
    policyquant frameworks [--all]              the registered frameworks (and failed plugins)
    policyquant codebook wang2026 --format qdc -o wang2026.qdc
    policyquant template wang2026 -o coding.xlsx --lang zh
    policyquant ingest documents/ -o ingested/ --query "人工智能 OR 算法" --period 2017-07:2025-06
    policyquant template wang2026 --from ingested/ -o coding.xlsx
    policyquant words ingested/units.csv --by level   top words, or keyness between two groups
    policyquant kwic ingested/units.csv 深度合成      keyword in context
    policyquant train coded.xlsx -o coder/ --evaluate
    policyquant suggest ingested/units.csv --coder tfidf-linear --model coder/ -o coding.xlsx

Every command has ``--help``.  ``--framework`` takes a registered name (or
alias) or the path of a TOML framework file; ``--lang`` is ``en`` or ``zh``.

A mistake in the input (a missing file, an unknown instrument, a score off the
scale) prints one line, ``policyquant: error: ...``, and exits with status 2.
Anything else is a bug: the command exits with status 1 and asks for a bug
report; ``--debug`` shows the traceback.  A warning from policyquant (a plugin
that failed to load, codes of a project that did not map) prints one line,
``policyquant: warning: ...``, and the command carries on; with ``--debug`` it
is shown as Python shows warnings, with the file and line that issued it.
"""

from __future__ import annotations

import contextvars
import errno
import os
import sys
import traceback
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ._i18n import _
from .errors import PolicyQuantError, ValidationError

if TYPE_CHECKING:
    from .corpus import Corpus
    from .model import Framework

__all__ = ["main"]

BUG_REPORT = "this is a bug in policyquant; please report it with the command you ran (rerun with --debug)"

#: What the table-printing commands can print on standard output.
_FORMATS = ("text", "markdown", "md", "csv", "latex", "html")
#: What ``tables -o DIR`` can save each table as.
_SAVE_FORMATS = ("csv", "xlsx", "md", "tex", "html")
_LANGUAGES = ("en", "zh")


#: The exit status of a command stopped by Ctrl-C: 128 + SIGINT, as shells report it.
INTERRUPTED = 130


def _interrupted() -> int:
    """Say, in one line, that the user stopped the command; return its exit status."""
    click.echo("policyquant: interrupted", err=True)
    return INTERRUPTED


#: What the system's error numbers mean for the user: the verb for the path, then why.
_OS_ERRORS: dict[int, tuple[str, str]] = {
    getattr(errno, name): words
    for name, words in {
        "ENOSPC": ("write", "no space left on device"),
        "EDQUOT": ("write", "disk quota exceeded"),
        "EFBIG": ("write", "the file is too large for the file system"),
        "EROFS": ("write", "the file system is read-only"),
        "EEXIST": ("create", "it already exists"),
        "EACCES": ("open", "permission denied"),
        "EPERM": ("open", "operation not permitted"),
        "ENOENT": ("open", "no such file or directory"),
        "EISDIR": ("open", "it is a directory, not a file"),
        "ENOTDIR": ("open", "a part of the path is a file, not a folder"),
        "ENAMETOOLONG": ("open", "the name is too long"),
        "EMFILE": ("open", "too many files are open"),
        "EIO": ("read or write", "input/output error (a failing disk or a disconnected drive?)"),
    }.items()
    # Some numbers exist on some systems only (EDQUOT is not Windows').
    if hasattr(errno, name)
}


def _describe_os_error(error: OSError) -> str:
    """An error of the system as a sentence with its path: ``cannot write out.csv: no space left on device``.

    Examples
    --------
    >>> import errno
    >>> _describe_os_error(OSError(errno.ENOSPC, "No space left on device", "report/report.html"))
    'cannot write report/report.html: no space left on device'
    >>> _describe_os_error(OSError(errno.EROFS, "Read-only file system"))
    'cannot write: the file system is read-only'
    """
    verb, reason = _OS_ERRORS.get(error.errno or -1, ("use", ""))
    if not reason:
        text = error.strerror or str(error) or type(error).__name__
        reason = text[:1].lower() + text[1:]
    if error.filename is None:
        return f"cannot {verb}: {reason}"
    path = os.fsdecode(error.filename)
    if error.filename2 is not None:
        return f"cannot move {path} to {os.fsdecode(error.filename2)}: {reason}"
    return f"cannot {verb} {path}: {reason}"


def _one_line(error: BaseException, *, problems_option: bool = True) -> str:
    """The first line of an error, with a count of the problems behind it.

    ``problems_option``: whether the command has ``--problems FILE``, which
    the count then names as the way to see every problem.
    """
    if isinstance(error, OSError) and not isinstance(error, PolicyQuantError):
        return _describe_os_error(error)
    lines = str(error).strip().splitlines() or [type(error).__name__]
    head = lines[0].rstrip(":：")
    if isinstance(error, ValidationError) and len(error.problems):
        from ._i18n import using_language
        from .errors import describe_problem

        # In the language of the problems themselves (Chinese for a Chinese template's sheet).
        with using_language(getattr(error, "language", None)):
            first = describe_problem(error.problems.iloc[0].dropna().to_dict())
            more = len(error.problems) - 1
            saved = getattr(error, "saved_to", None)
            stopped = getattr(error, "stopped", None)
            if stopped:
                # Not every problem was collected: the count and the file say so, with where it stopped.
                if saved or problems_option:
                    where = (
                        _("the first {count:,} saved to {path}").format(count=more + 1, path=saved)
                        if saved
                        else _("--problems FILE saves them")
                    )
                    head = _("{head}: {first} (and {more:,}+ more; {where}; {stopped})").format(
                        head=head, first=first, more=more, where=where, stopped=stopped
                    )
                else:
                    head = _("{head}: {first} (and {more:,}+ more; {stopped})").format(
                        head=head, first=first, more=more, stopped=stopped
                    )
            else:
                where = (
                    _("all {count:,} saved to {path}").format(count=more + 1, path=saved)
                    if saved
                    else _("--problems FILE saves them all")
                )
                if more and not saved and not problems_option:
                    head = _("{head}: {first} (and {more:,} more)").format(head=head, first=first, more=more)
                elif more:
                    head = _("{head}: {first} (and {more:,} more; {where})").format(
                        head=head, first=first, more=more, where=where
                    )
                elif saved:
                    head = _("{head}: {first} (saved to {path})").format(head=head, first=first, path=saved)
                else:
                    head = _("{where}: {what}").format(where=head, what=first)
    return head


def _has_problems_option(group: click.Group, ctx: click.Context) -> bool:
    """Whether the command that ``ctx`` runs takes ``--problems FILE``."""
    name = ctx.invoked_subcommand
    command = group.get_command(ctx, name) if name else None
    return command is None or any("--problems" in getattr(param, "opts", ()) for param in command.params)


def _show(error: click.ClickException) -> None:
    """A usage mistake as one line on standard error, with where to find help."""
    message = error.format_message().rstrip(".")
    hint = ""
    if isinstance(error, click.UsageError) and error.ctx is not None:
        hint = f" (see '{error.ctx.command_path} --help')"
    click.echo(f"policyquant: error: {message}{hint}", err=True)


_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep


def _from_policyquant(category: type[Warning], filename: str) -> bool:
    """Whether policyquant issued a warning: its category or the code that raised it is ours."""
    return category.__module__.split(".")[0] == "policyquant" or os.path.abspath(filename).startswith(
        _PACKAGE_DIR
    )


def _warning_printer(previous: Callable[..., None]) -> Callable[..., None]:
    """A ``warnings.showwarning`` printing policyquant's warnings as one line each.

    Python's own format (``path/plugins.py:509: PluginWarning: ...`` and then the
    source line) is for a programmer; the user of the command needs the message.
    Other libraries' warnings go to ``previous`` unchanged.
    """

    def show(
        message: Warning | str,
        category: type[Warning],
        filename: str,
        lineno: int,
        file: Any = None,
        line: str | None = None,
    ) -> None:
        if not _from_policyquant(category, filename):
            previous(message, category, filename, lineno, file, line)
            return
        text = " ".join(part.strip() for part in str(message).splitlines() if part.strip())
        click.echo(f"policyquant: warning: {text or category.__name__}", err=True)

    return show


class _Group(click.Group):
    """Turns user mistakes into one line and exit status 2, and bugs into status 1."""

    def main(self, *args: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:
        if not standalone_mode:
            return super().main(*args, standalone_mode=False, **kwargs)
        # Click's own handling prints the usage block and an "Error:" line; one line is what
        # scripts and people reading a log need.
        try:
            status = super().main(*args, standalone_mode=False, **kwargs)
        except click.ClickException as error:
            _show(error)
            sys.exit(error.exit_code)
        except KeyboardInterrupt:
            sys.exit(_interrupted())
        except click.exceptions.Abort as error:
            # Click turns Ctrl-C outside a command (while parsing) into Abort.
            if isinstance(error.__cause__, KeyboardInterrupt):
                sys.exit(_interrupted())
            click.echo("policyquant: aborted", err=True)
            sys.exit(1)
        sys.exit(status if isinstance(status, int) else 0)

    def invoke(self, ctx: click.Context) -> Any:
        debug = bool(ctx.params.get("debug"))
        # catch_warnings puts showwarning (and the filters) back when the command is done.
        with warnings.catch_warnings():
            if not debug:
                warnings.showwarning = _warning_printer(warnings.showwarning)
            # A copy of the context: the language that --lang chooses is the command's alone
            # (a test or a program running several commands in one process keeps its own).
            return contextvars.copy_context().run(self._invoke, ctx, debug)

    def _invoke(self, ctx: click.Context, debug: bool) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except BrokenPipeError:
            # The reader went away (e.g. `policyquant tables --example | head`): not an error.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            ctx.exit(0)
        except KeyboardInterrupt:
            if debug:
                traceback.print_exc()
            ctx.exit(_interrupted())
        except (PolicyQuantError, OSError) as error:
            if debug:
                traceback.print_exc()
            click.echo(
                f"policyquant: error: {_one_line(error, problems_option=_has_problems_option(self, ctx))}", err=True
            )
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
    """Quantitative analysis of public-policy texts.

    Start with `policyquant report --example -o report/`, which writes the
    HTML report of the bundled study corpus.
    """


# --------------------------------------------------------------------------
# Options shared by several commands.


def _framework_option(default: str | None = "wang2026") -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return click.option(
        "--framework",
        "-f",
        default=default,
        show_default=default is not None,
        metavar="NAME|FILE.toml",
        help="A registered framework (name or alias) or a TOML framework file.",
    )


class _LanguageType(click.ParamType):
    """``--lang``: resolved by the package's one resolver, so ``zh-CN`` is ``zh`` here too."""

    name = "language"

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        return "[" + "|".join(_LANGUAGES) + "]"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from ._language import resolve_language

        try:
            return resolve_language(value)
        except ValidationError as error:
            self.fail(error.summary, param, ctx)


def _choose_language(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Messages (validation problems, errors) in the language of --lang, for the rest of the command."""
    if value is not None:
        from ._i18n import set_language

        set_language(value)
    return value


_lang_option = click.option(
    "--lang",
    "--language",
    "-l",
    "language",
    type=_LanguageType(),
    default=None,
    callback=_choose_language,
    # Parsed first, so that the other options' mistakes are reported in its language too.
    is_eager=True,
    help="Language of labels, headings and messages: en or zh (en-US, zh-CN, zh-Hans and the like are "
    "accepted; default: English, or the language of a coding sheet's headers for its problems).",
)
_encoding_option = click.option(
    "--encoding", default=None, help="Encoding of CSV files (detected when omitted)."
)
_problems_option = click.option(
    "--problems",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="On validation errors, save every problem to this CSV file.",
)
_format_option = click.option(
    "--format", "fmt", type=click.Choice(_FORMATS), default="text", show_default=True, help="Output format."
)


def _table_format_option(what: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The ``--format`` option of every command that prints a table, from one definition."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(_TABLE_FORMATS),
        default="text",
        show_default=True,
        help=f"{what}: text is fitted to the terminal's width (COLUMNS); csv, tsv, md, latex and html "
        "are for other programs.",
    )


def _language(value: str | None) -> str | None:
    """``None`` and English both mean the default (English) labels; Chinese is ``"zh"``."""
    from ._language import resolve_language

    code = resolve_language(value)
    return None if code in (None, "en") else code


def _load_framework(value: str | Framework) -> Framework:
    """A framework from a registered name or alias, or from a TOML file."""
    from .model import Framework

    if isinstance(value, Framework):
        return value
    path = Path(value)
    if path.suffix.lower() == ".toml" or (path.exists() and path.is_file()):
        from .declarative import load_framework

        if not path.exists():
            raise click.BadParameter(f"no framework file {value!r}", param_hint="'--framework'")
        return load_framework(path)
    from .plugins import get_framework

    return get_framework(value)


def _emit(table: Any, fmt: str, title: str | None = None, decimals: int = 2) -> None:
    from .results import FrameResult, TableResult

    result = table if isinstance(table, TableResult) else FrameResult(table, decimals=decimals)
    if title and fmt in ("text", "markdown", "md"):
        click.echo(f"\n{'## ' if fmt in ('markdown', 'md') else ''}{title}\n")
    if fmt in ("markdown", "md"):
        click.echo(result.to_markdown())
    elif fmt == "csv":
        click.echo(result.to_csv(), nl=False)
    elif fmt == "latex":
        click.echo(result.to_latex())
    elif fmt == "html":
        click.echo(result.to_html(caption=title))
    else:
        click.echo(str(result))


def _save_problems(path: Path | None, run: Callable[[], Any]) -> Any:
    try:
        return run()
    except ValidationError as error:
        if path:
            from ._files import atomic_path

            try:
                with atomic_path(path, what="the problems") as temporary:
                    error.problems.to_csv(temporary, index=False, encoding="utf-8-sig")
            except PolicyQuantError as failure:
                # The problems themselves still matter more than the file: say it was not
                # saved, and go on to report them.
                click.echo(f"policyquant: warning: the problems were not saved: {failure}", err=True)
            else:
                # Said in the error's one line, not on a line of its own.
                error.saved_to = path  # type: ignore[attr-defined]
        raise


def _input_files(files: Iterable[Path], what: str = "the input file") -> dict[str, Path]:
    """The files a command reads, a folder's tables included, each with what it is for messages."""
    from ._text import normalize_name
    from .io.tabular import FORMATS, SHEET_NAMES

    wanted = {normalize_name(name) for names in SHEET_NAMES.values() for name in names}
    suffixes = {suffix for group in FORMATS.values() for suffix in group}
    found: dict[str, Path] = {}
    for path in files:
        if path.is_dir():
            for inner in sorted(path.iterdir()):
                if inner.suffix.lower() in suffixes and normalize_name(inner.stem) in wanted:
                    found[f"{what} {inner}"] = inner
        else:
            found[f"{what} {path}"] = path
    return found


def _refuse_inputs(
    outputs: Mapping[str, Path | None], files: Iterable[Path], what: str = "the input file"
) -> None:
    """Stop before reading anything when an output file is one of the inputs: it would replace it."""
    from ._files import refuse_overwriting_inputs

    refuse_overwriting_inputs(
        {label: path for label, path in outputs.items() if path is not None}, _input_files(files, what)
    )


def _read_corpus(
    files: Sequence[Path],
    *,
    example: bool,
    framework: str | Framework,
    encoding: str | None,
    problems: Path | None,
) -> Corpus:
    """The corpus of ``FILES`` (units, then documents) or the bundled example."""
    from . import datasets
    from .io import read_coding

    if example == bool(files):
        raise click.UsageError("give the coding files, or --example for the bundled study corpus")
    if len(files) > 2:
        raise click.UsageError("give at most two files: the units file and the documents file")
    if example:
        return datasets.load_genai_china()
    _refuse_inputs({f"--problems {problems}": problems}, files)
    framework = _load_framework(framework)
    units = files[0]
    documents = files[1] if len(files) > 1 else None
    corpus = _save_problems(
        problems, lambda: read_coding(units, documents, framework=framework, encoding=encoding)
    )
    from .io.chunked import ChunkedCorpus

    # A folder of Parquet files is read in chunks; the commands here need the clauses in memory.
    return corpus.to_corpus() if isinstance(corpus, ChunkedCorpus) else corpus


class _NoProgress:
    """The progress bar's interface, silent: off a terminal, click would still print its label,
    a second line on standard error next to the one-line error."""

    def __init__(self, items: Iterable[Any] | None) -> None:
        self.items = items if items is not None else ()

    def __enter__(self) -> _NoProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def __iter__(self) -> Any:
        return iter(self.items)

    def update(self, steps: int, current_item: Any = None) -> None:
        return None


def _progress(items: Iterable[Any], label: str, length: int | None = None) -> Any:
    """A progress bar on standard error, shown only where a person watches (a terminal)."""
    if not (hasattr(sys.stderr, "isatty") and sys.stderr.isatty()):
        return _NoProgress(items)
    return click.progressbar(
        items,
        length=length,
        label=label,
        file=sys.stderr,
        show_pos=True,
        item_show_func=lambda item: str(item) if item is not None else None,
    )


# --------------------------------------------------------------------------
# Analyses.


#: What ``tables`` prints: the text table fitted to the terminal, or a machine-readable format.
_TABLE_FORMATS = (*_FORMATS, "tsv")

#: The file stems ``tables -o DIR`` may write (checked against the inputs before reading them).
_TABLE_STEMS = ("crosstab", "efficacy_by_objective", "efficacy_by_family", "efficacy_by_instrument")


def _analysis_tables(corpus: Corpus, language: str | None = None) -> list[tuple[str, str, Any]]:
    """(file stem, title, table) of every table that ``tables`` prints; labelled in ``language`` if given."""
    from ._language import field_title, table_title
    from .analysis import crosstab, efficacy_summary
    from .results import in_language

    if language is not None:
        # Titles, rows, columns and headers all in the language, in print and in saved files.
        title = table_title("crosstab", language, n=len(corpus.codings))
        tables: list[tuple[str, str, Any]] = [("crosstab", title, in_language(crosstab(corpus), language))]
    else:
        tables = [
            ("crosstab", f"Codings by instrument and objective ({len(corpus.codings)} codings)", crosstab(corpus))
        ]
    if corpus.framework.scale is not None:
        scale = corpus.framework.scale.name
        groupings = [("family", "instrument family"), ("instrument", "instrument")]
        if corpus.framework.objectives:
            groupings.insert(0, ("objective", "objective (over codings)"))
        if language is not None:
            label = corpus.framework.scale.label
            scale = f"{label[:1].lower()}{label[1:]} ({scale})" if language == "en" else f"政策效力（{scale}）"
            titles = {by: field_title(corpus.framework, by, language) for by, _ in groupings}
            groupings = [
                (
                    by,
                    (titles[by].lower() if language == "en" else titles[by])
                    + (table_title("over_codings", language) if by == "objective" else ""),
                )
                for by, _ in groupings
            ]
        try:
            # Everything is computed before anything is printed: no half-printed output on an error.
            tables += [
                (
                    f"efficacy_by_{by}",
                    f"Mean {scale} by {what}"
                    if language is None
                    else table_title("efficacy", language, scale=scale, field=what),
                    efficacy_summary(corpus, by=by).to_frame()
                    if language is None
                    else in_language(efficacy_summary(corpus, by=by), language),
                )
                for by, what in groupings
            ]
        except ValidationError as error:
            click.echo(f"policyquant: note: efficacy skipped: {_one_line(error)}", err=True)
    return tables


@main.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option("--example", is_flag=True, help="Use the bundled reconstruction of the study's corpus.")
@_framework_option()
@_table_format_option("Output format")
@click.option(
    "--output",
    "-o",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Also save every table in this directory (see --save-as).",
)
@click.option(
    "--save-as",
    "save_as",
    type=click.Choice(_SAVE_FORMATS),
    multiple=True,
    help="Formats to save with --output (repeatable; default: csv and xlsx).",
)
@_encoding_option
@_problems_option
@_lang_option
def tables(
    files: Sequence[Path],
    example: bool,
    framework: str,
    fmt: str,
    output: Path | None,
    save_as: Sequence[str],
    encoding: str | None,
    problems: Path | None,
    language: str | None,
) -> None:
    """Print the instrument x objective table and the efficacy summaries.

    FILES are the units file and, optionally, the documents file (or one
    workbook, JSON file or directory holding both).  With --lang zh (or en)
    the tables, printed and saved, are labelled for a reader in that
    language: categories, totals, headers and titles (政策工具, 强制型合计,
    平均效力 ...); without it, as computed.
    """
    if output is not None:
        saved = {
            f"-o {output / f'{stem}.{suffix}'}": output / f"{stem}.{suffix}"
            for stem in _TABLE_STEMS
            for suffix in (save_as or ("csv", "xlsx"))
        }
        _refuse_inputs(saved, files)
    corpus = _read_corpus(files, example=example, framework=framework, encoding=encoding, problems=problems)
    results = _analysis_tables(corpus, language)
    _print_tables(results, fmt)
    if output is not None:
        from ._files import write_error
        from .export import export

        try:
            output.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise write_error(error, output / f"{results[0][0]}.{(save_as or ('csv',))[0]}") from None
        written = [
            export(table, output / f"{stem}.{suffix}")
            for stem, _, table in results
            for suffix in (save_as or ("csv", "xlsx"))
        ]
        click.echo(f"policyquant: {len(written)} files saved in {output}", err=True)


def _print_tables(results: Sequence[tuple[str, str, Any]], fmt: str) -> None:
    """Print the tables of ``tables``: fitted to the terminal's width as text, else as ``fmt`` says."""
    if fmt not in ("text", "tsv"):
        for _, title, table in results:
            _emit(table, fmt, title=title)
        return
    from ._terminal import fit_table, terminal_width, wrap_text
    from .results import FrameResult, TableResult

    width = terminal_width()
    for _, title, table in results:
        result = table if isinstance(table, TableResult) else FrameResult(table)
        if fmt == "tsv":
            click.echo(result.to_csv(sep="\t"), nl=False)
        else:
            # The title wraps as the table does: no line wider than the terminal.
            click.echo("\n" + "\n".join(wrap_text(title, width)) + "\n")
            click.echo(fit_table(result.to_frame(), width, decimals=result.decimals))


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@_framework_option()
@_encoding_option
@_problems_option
@_lang_option
def validate(
    files: Sequence[Path], framework: str, encoding: str | None, problems: Path | None, language: str | None
) -> None:
    """Check a coding study against its framework, and say what is wrong.

    FILES are the units file and, optionally, the documents file (or one
    workbook, JSON file or directory holding both).  A valid study prints one
    line of counts and exits 0; an invalid one prints its first problem and
    the number of others (all of them with --problems FILE) and exits 2.
    The problems are in the language of --lang; without it, in Chinese for
    a sheet headed as the Chinese template heads it (条款编号, 政策工具 ...),
    else in English.
    """
    corpus = _read_corpus(files, example=False, framework=framework, encoding=encoding, problems=problems)
    click.echo(
        _("{file}: valid against {framework}: {documents} documents, {units} units, {codings} codings").format(
            file=files[0],
            framework=corpus.framework.name,
            documents=len(corpus.documents),
            units=len(corpus.units),
            codings=len(corpus.codings),
        )
    )
    if not len(corpus.units):
        # Valid but empty is what an untouched template gives: worth saying, not an error.
        click.echo("policyquant: note: " + _("the study holds no coded units yet"), err=True)


def _coder_corpora(
    files: Sequence[Path], names: Sequence[str], framework: Framework, encoding: str | None
) -> Mapping[str, Corpus]:
    """One corpus per coder: from one REFI-QDA project, or one coding file per coder."""
    from .io import read_coding

    projects = [f for f in files if f.suffix.lower() == ".qdpx"]
    if projects:
        if len(files) != 1:
            raise click.UsageError("give one REFI-QDA project (.qdpx), or one coding file per coder")
        from .io import read_qdpx

        project = read_qdpx(files[0], framework)
        if names:
            missing = [name for name in names if name not in project]
            if missing:
                raise click.BadParameter(
                    f"no coder {missing[0]!r} in {files[0]}; the coders are {', '.join(project)}",
                    param_hint="'--coder'",
                )
            return {name: project[name] for name in names}
        return dict(project)
    if len(files) < 2:
        raise click.UsageError(
            "give at least two coders' files (one per coder), or one REFI-QDA project (.qdpx)"
        )
    if names and len(names) != len(files):
        raise click.UsageError(f"give one --coder name per file: {len(files)} files, {len(names)} names")
    labels = list(names) or [f.stem for f in files]
    if len(set(labels)) != len(labels):
        raise click.UsageError("two files give the same coder name; name the coders with --coder")
    from .io.chunked import ChunkedCorpus

    corpora = {}
    with _progress(list(zip(labels, files, strict=True)), "Reading coders' files") as bar:
        for label, path in bar:
            corpus = read_coding(path, framework=framework, encoding=encoding)
            corpora[label] = corpus.to_corpus() if isinstance(corpus, ChunkedCorpus) else corpus
    return corpora


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--coder", "coders", multiple=True, help="The coders' names, one per file (default: the file names)."
)
@_framework_option()
@click.option(
    "--bootstrap", type=click.IntRange(min=100), default=None, help="Resamples for confidence intervals."
)
@click.option("--seed", type=int, default=None, help="Seed of the bootstrap.")
@click.option(
    "--disagreements",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Save the adjudication sheet to this file (.xlsx for the coders to fill in, else CSV): each "
    "unit the coders disagree on, with its document and text, the dimension, each coder's code by its "
    "label, and an empty decision column.",
)
@_lang_option
@_format_option
@_encoding_option
def reliability(
    files: Sequence[Path],
    coders: Sequence[str],
    framework: str,
    bootstrap: int | None,
    seed: int | None,
    disagreements: Path | None,
    language: str | None,
    fmt: str,
    encoding: str | None,
) -> None:
    """Measure how well coders agree (Krippendorff's alpha, kappa, agreement).

    FILES are one coding file per coder (a workbook or JSON file holding both
    tables, or a units file), or one REFI-QDA project (.qdpx) that several
    coders coded.
    """
    from .reliability import agreement_report

    _refuse_inputs({f"--disagreements {disagreements}": disagreements}, files, "a coder's file")
    corpora = _coder_corpora(files, coders, _load_framework(framework), encoding)
    report = agreement_report(corpora, bootstrap=bootstrap, seed=seed)
    _emit(
        report.to_frame(language=language),
        fmt,
        title=f"Agreement of {len(corpora)} coders: {', '.join(corpora)}",
        decimals=3,
    )
    if disagreements is not None:
        from ._files import atomic_path
        from .reliability import disagreements as find_disagreements

        # The sheet is for the coders: labelled (in English without --lang), with each clause's text.
        found = find_disagreements(corpora, language=language or "en")
        table = found.to_frame()
        if disagreements.suffix.lower() in (".xlsx", ".xlsm"):
            found.save(disagreements, format="xlsx", index=False, sheet_name="adjudication")
        else:
            with atomic_path(disagreements, what="the disagreements") as temporary:
                table.to_csv(temporary, index=False, encoding="utf-8-sig")
        click.echo(f"policyquant: {len(table)} disagreements saved to {disagreements}", err=True)


def _check_policy_ids(ids: Any, file: Path, column: str) -> None:
    """Every policy needs an id of its own: the scores are reported by it, one row each."""
    text = ids.astype("string").str.strip()
    blank = text.isna() | (text == "")
    repeated = text.duplicated(keep="first") & ~blank
    problems = [
        {
            "file": str(file),
            "row": row,
            "column": column,
            "problem": "no policy id",
            "expected": "an id in every row",
        }
        for row in text.index[blank.to_numpy(dtype=bool)]
    ]
    first = {}
    for row, value in text[~blank].items():
        first.setdefault(value, row)
    problems += [
        {
            "file": str(file),
            "row": row,
            "column": column,
            "value": value,
            "problem": "repeated policy id",
            "expected": f"one row per policy; row {first[value]} has {value!r} already",
        }
        for row, value in text[repeated.to_numpy(dtype=bool)].items()
    ]
    if problems:
        problems.sort(key=lambda problem: problem["row"])
        raise ValidationError(f"{file}: {len(problems)} row(s) without an id of their own", problems)


@main.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--id", "id_column", default=None, help="The column naming each policy (default: the first column)."
)
@click.option(
    "--strict", is_flag=True, help="Refuse columns that look almost like sub-variables (X1_a, X_1)."
)
@_lang_option
@_format_option
@_encoding_option
@_problems_option
def pmc(
    file: Path,
    id_column: str | None,
    strict: bool,
    language: str | None,
    fmt: str,
    encoding: str | None,
    problems: Path | None,
) -> None:
    """Score every policy with the PMC index (Ruiz Estrada 2011).

    FILE is a table with one row per policy and one 0/1 column per
    sub-variable, named like X1_1, X1_2, ..., X10_2.
    """
    import pandas as pd

    from .frameworks.pmc import PMCIndex, PMCWarning, _localized_scores
    from .io import read_table

    _refuse_inputs({f"--problems {problems}": problems}, [file])
    frame = read_table(file, encoding=encoding)
    column = id_column if id_column is not None else frame.columns[0]
    if column not in frame.columns:
        from ._text import closest

        hint = closest(str(column), [str(c) for c in frame.columns])
        raise click.BadParameter(
            f"no column {column!r} in {file}" + (f"; did you mean {hint[0]!r}?" if hint else ""),
            param_hint="'--id'",
        )
    _save_problems(problems, lambda: _check_policy_ids(frame[column], file, str(column)))
    frame = frame.set_index(column)
    for name in frame.columns:
        # read_table keeps cells as text; 0/1 cells become numbers and anything else stays
        # as written, so that the PMC check can name it.
        numbers = pd.to_numeric(frame[name], errors="coerce")
        frame[name] = numbers.astype(object).where(numbers.notna() | frame[name].isna(), frame[name])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", PMCWarning)
        try:
            index = PMCIndex.from_columns(frame, strict=strict)
        except ValidationError as error:
            # The columns are the file's: say which file, in the message and in every problem.
            records = [{**record, "file": str(file)} for record in error.problems.to_dict("records")]
            raise type(error)(f"{file}: {error.summary}", records) from None
    for warning in caught:
        click.echo(f"policyquant: warning: {warning.message}", err=True)
    scores = _save_problems(
        problems, lambda: index.score(frame, language=_language(language), source=str(file))
    )
    title = f"PMC index of {len(scores)} policies ({index.n_variables} variables)"
    if _language(language) == "zh":
        title = f"{len(scores)}项政策的PMC指数（{index.n_variables}个一级变量）"
    from .results import FrameResult

    # Text fits the terminal as `tables` does: ten variables and the results make 13 columns.
    _print_tables([("pmc", title, FrameResult(_localized_scores(scores, _language(language)), 2))], fmt)


@main.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option("--example", is_flag=True, help="Report on the bundled reconstruction of the study's corpus.")
@click.option(
    "--output",
    "-o",
    required=True,
    type=click.Path(path_type=Path),
    help="Directory to write report.html in (or the .html file name).",
)
@click.option(
    "--coders",
    "coder_files",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Coders' files (repeatable) or a REFI-QDA project, for the reliability section.",
)
@_framework_option()
@_lang_option
@click.option("--title", default=None, help="The report's title.")
@_encoding_option
@_problems_option
def report(
    files: Sequence[Path],
    example: bool,
    output: Path,
    coder_files: Sequence[Path],
    framework: str,
    language: str | None,
    title: str | None,
    encoding: str | None,
    problems: Path | None,
) -> None:
    """Write one self-contained HTML report of a coded corpus.

    FILES are the units file and, optionally, the documents file (or one
    workbook, JSON file or directory holding both); --example uses the
    bundled study corpus.  The report holds the corpus overview, Table 4,
    efficacy, fit, trends, the issuer network, authority, portfolios,
    reliability (with --coders), the codebook and provenance.
    """
    from .reporting import report as write_report

    html = output
    if output.is_dir() or output.suffix.lower() not in (".html", ".htm"):
        html = output / "report.html"
    _refuse_inputs({f"-o {html}": html, f"--problems {problems}": problems}, [*files, *coder_files])
    corpus = _read_corpus(files, example=example, framework=framework, encoding=encoding, problems=problems)
    coders = _coder_corpora(coder_files, (), corpus.framework, encoding) if coder_files else None
    sources = list(files) + list(coder_files)
    if example:
        from .datasets import data_path

        sources = [data_path("genai_china_units.csv"), data_path("genai_china_documents.csv")]
    from .reporting import SECTIONS

    with _progress(None, "Writing the report", length=len(SECTIONS)) as bar:
        path = write_report(
            corpus,
            output,
            coders=coders,
            title=title,
            language=_language(language),
            sources=sources,
            progress=lambda section: bar.update(1, section),
        )
    click.echo(f"policyquant: report written to {path}")


# --------------------------------------------------------------------------
# Frameworks.


@main.command()
@click.option("--all", "show_all", is_flag=True, help="Every detail, and the plugins that failed to load.")
def frameworks(show_all: bool) -> None:
    """List the registered frameworks and any plugin that failed to load."""
    from .errors import PluginWarning
    from .plugins import list_frameworks, plugin_failures

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PluginWarning)
        table = list_frameworks()
        failures = plugin_failures()
    columns = ["name", "title", "aliases", "plugin", "version", "builtin", "parts"]
    if show_all:
        columns = [c for c in table.columns if c != "name"]
        table = table.set_index("name")[columns]
        if failures:
            import pandas as pd

            failed = pd.DataFrame(
                [{"plugin": f.plugin, "title": f"FAILED: {f.error}"} for f in failures],
                index=pd.Index(["-"] * len(failures), name="name"),
            )
            table = pd.concat([table, failed])
        _emit(table, "text")
    else:
        _emit(table[columns].set_index("name"), "text")
    for failure in failures:
        click.echo(f"failed: {failure}", err=True)


_CODEBOOK_FORMATS = (*_FORMATS, "xlsx", "qdc", "taguette", "toml")


@main.command()
@click.argument("name", default="wang2026")
@_lang_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(_CODEBOOK_FORMATS),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write to this file (required for xlsx).",
)
def codebook(name: str, language: str | None, fmt: str, output: Path | None) -> None:
    """Print or save a framework's coding rules (default: wang2026).

    NAME is a registered framework or a TOML framework file.  --format qdc
    writes a REFI-QDA codebook that MAXQDA, NVivo, ATLAS.ti and QualCoder
    import; taguette writes the CSV codebook (tag, description) that Taguette
    imports, which takes no .qdc; toml writes the framework as a declarative
    file.
    """
    language = _language(language)
    _refuse_inputs(
        {f"-o {output}": output}, [Path(name)] if Path(name).is_file() else [], "the framework file"
    )
    framework = _load_framework(name)
    if fmt == "xlsx" and output is None:
        raise click.UsageError("--format xlsx needs --output FILE.xlsx")
    if fmt in ("qdc", "taguette"):
        from .io import write_qdc, write_taguette_codebook

        write = write_qdc if fmt == "qdc" else write_taguette_codebook
        if output is None:
            import tempfile

            with tempfile.TemporaryDirectory() as directory:
                path = write(framework, Path(directory) / f"codebook.{fmt}", language=language)
                # The file's own bytes (a Taguette codebook keeps its byte-order mark).
                click.echo(path.read_bytes(), nl=False)
            return
        click.echo(
            f"policyquant: codebook written to {write(framework, output, language=language)}", err=True
        )
        return
    if fmt == "toml":
        text = framework.to_toml()
        if output is None:
            click.echo(text, nl=False)
        else:
            from ._files import write_text

            write_text(output, text, encoding="utf-8", what="the framework")
            click.echo(f"policyquant: framework written to {output}", err=True)
        return
    from .frameworks.pmc import PMCScale, pmc_codebook

    if isinstance(framework.scale, PMCScale) and not framework.instruments and not framework.objectives:
        # A PMC framework's rules are its variables and sub-variables (the example system when
        # the scale finds them in each file), which the generic codebook has no rows for.
        book = pmc_codebook(framework.scale, language=language).set_index(["part", "key"])
    else:
        book = framework.codebook(language=language).set_index(["part", "key"])
    if output is not None:
        from .export import export

        path = export(book, output, format=None if fmt == "text" else _suffix(fmt))
        click.echo(f"policyquant: codebook written to {path}", err=True)
        return
    _emit(book, fmt, decimals=0)


def _suffix(fmt: str) -> str:
    return {"markdown": "md", "latex": "tex"}.get(fmt, fmt)


# --------------------------------------------------------------------------
# From documents to clauses.

#: A bound of --period: a year, a month or a day (2017, 2017-07, 2017-07-01).
_PERIOD_BOUND = r"\d{4}(?:[-/.]\d{1,2}(?:[-/.]\d{1,2})?)?"


class _PeriodOption(click.Option):
    """``--period FROM:TO``, or ``--period FROM TO``: a second bound right after the first is taken too."""

    def add_to_parser(self, parser: Any, ctx: click.Context) -> None:
        import re

        super().add_to_parser(parser, ctx)
        option = parser._long_opt.get("--period")  # click's parser keeps its options here
        if option is None:  # pragma: no cover - a click without this parser
            return
        process = option.process

        def take_second(value: Any, state: Any) -> None:
            bound = re.compile(_PERIOD_BOUND)
            if isinstance(value, str) and ":" not in value and state.rargs and bound.fullmatch(state.rargs[0]):
                value = f"{value}:{state.rargs.pop(0)}"
            process(value, state)

        option.process = take_second


def _period(value: str | None) -> tuple[str | None, str | None] | str | None:
    """``2017-07:2025-06`` (either end may be left open) as select() takes it; one bound is one period."""
    if value is None:
        return None
    text = value.strip().replace("：", ":")
    if ":" not in text:
        return text
    start, _, end = text.partition(":")
    if not start.strip() and not end.strip():
        raise click.BadParameter(f"{value!r} has no bound; write FROM:TO, e.g. 2017-07:2025-06", param_hint="'--period'")
    return (start.strip() or None, end.strip() or None)


def _listed(values: Sequence[str], option: str | None = None) -> list[str] | None:
    """Repeated options and comma-separated values (, ， 、) as one list.

    With ``option``, an option given with nothing in it (``--level ''``, an
    empty shell variable) is refused: leaving it out would silently mean its
    default (every document kept, every field trained).
    """
    import re

    items = [item.strip() for value in values for item in re.split(r"[,，、]", value) if item.strip()]
    if values and not items and option is not None:
        raise click.BadParameter(
            f"{' '.join(repr(value) for value in values)} names no value; give at least one, or leave the option out",
            param_hint=f"'{option}'",
        )
    return items or None


@main.command()
@click.argument("source", type=click.Path(path_type=Path))
@click.option(
    "--output",
    "-o",
    required=True,
    type=click.Path(path_type=Path),
    help="The folder to write documents.csv, units.csv, selection.csv, selection.png/.svg and problems.csv in.",
)
@click.option(
    "--query",
    "-q",
    default=None,
    help='The search query: terms, "phrases", AND, OR, NOT, parentheses, title:… (terms side by side are '
    "joined by AND).",
)
@click.option(
    "--period",
    cls=_PeriodOption,
    default=None,
    metavar="FROM:TO",
    help="Issued in this period, both ends included: 2017-07:2025-06 (or 2017-07 2025-06; 2023 is one year; "
    "leave an end open as 2017-07:).",
)
@click.option(
    "--level",
    "levels",
    multiple=True,
    metavar="LEVEL",
    help="Administrative levels admitted: national, provincial, municipal, county (or 国家级, 省级 ...); "
    "repeat the option or separate by commas.",
)
@click.option(
    "--forms",
    "forms",
    multiple=True,
    metavar="FORM",
    help="Document forms admitted, e.g. 条例,办法,规定,意见,通知 (办法 admits 暂行办法 too).",
)
@click.option(
    "--exclude",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="A table (CSV, Excel) of documents to exclude: doc_id and reason (not formally published ...).",
)
@click.option(
    "--unit",
    default="article",
    show_default=True,
    help="What a unit is: article, item, paragraph, sentence (or a plugin's segmenter).",
)
@_framework_option()
@_lang_option
@click.option(
    "--encoding",
    default=None,
    help="Encoding of the text and HTML documents, e.g. gb18030 for GBK (detected when omitted).",
)
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Show a progress bar while reading (default: on a terminal, when tqdm is installed).",
)
@click.option("--force", is_flag=True, help="Replace outputs in the folder even if they were edited since.")
def ingest(
    source: Path,
    output: Path,
    query: str | None,
    period: str | None,
    levels: Sequence[str],
    forms: Sequence[str],
    exclude: Path | None,
    unit: str,
    framework: str,
    language: str | None,
    encoding: str | None,
    progress: bool | None,
    force: bool,
) -> None:
    """Read policy documents, select the sample and cut it into numbered clauses.

    SOURCE is a document, a folder of them or a .zip (.txt, .md, .docx,
    .pdf with a text layer, .html).  Written into the --output folder:
    documents.csv (every document read: metadata, suggested document
    scores, the selection decision), units.csv (the clauses of the kept
    documents, numbered document-chapter-article), with --query or a
    screening principle selection.csv and the flow diagram selection.png
    and selection.svg, and problems.csv when a file could not be read or a
    numbering looks wrong.  `policyquant template --from FOLDER` then writes
    the coding workbook.  Outputs of an earlier run in the folder are
    replaced; one edited since is replaced only with --force.
    """
    from .documents.pipeline import ingest as run_ingest

    chosen = _load_framework(framework) if framework is not None else None
    result = run_ingest(
        source,
        output,
        query=query,
        period=_period(period),
        level=_listed(levels, "--level"),
        forms=_listed(forms, "--forms"),
        exclude=exclude,
        unit=unit,
        framework=chosen,
        language=_language(language),
        encoding=encoding,
        progress=progress,
        force=force,
    )
    problems = result.problems
    if len(problems):
        steps = problems.iloc[:, 0].value_counts(sort=False)
        counts = ", ".join(f"{step}: {count}" for step, count in steps.items())
        what = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
        if _language(language) == "zh":
            click.echo(f"policyquant: 注意：{len(problems)} 个问题（{counts}），见 {result.paths['problems.csv']}", err=True)
        else:
            click.echo(f"policyquant: note: {what} ({counts}), listed in {result.paths['problems.csv']}", err=True)
    read, kept, units = len(result.documents), result.kept, len(result.segmentation.frame)
    unread = len(result.documents.unread)
    if _language(language) == "zh":
        click.echo(f"读取 {read} 份文件（{unread} 个文件未读取），纳入 {kept} 份，切分为 {units} 个条款单元")
    else:
        click.echo(
            f"{read} documents read ({unread} files not read), {kept} kept, {units} units ({result.segmentation.unit})"
        )
    for written in result.paths.values():
        click.echo(f"  {written}")
    if not kept:
        click.echo("policyquant: note: no document was kept: check the query and the principles", err=True)


@main.command()
@click.argument("name", default="wang2026")
@click.option(
    "--output", "-o", required=True, type=click.Path(dir_okay=False, path_type=Path), help="The .xlsx file."
)
@_lang_option
@click.option("--force", is_flag=True, help="Replace an existing workbook even if it holds coded rows.")
@click.option(
    "--from",
    "from_folder",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Pre-fill the workbook from a folder `policyquant ingest` wrote: its kept documents and their units.",
)
@click.option(
    "--all-units",
    is_flag=True,
    help="With --from: every unit, signatures, dates, notes and attachments included (default: the body text).",
)
def template(
    name: str, output: Path, language: str | None, force: bool, from_folder: Path | None, all_units: bool
) -> None:
    """Write an Excel coding template for a framework (default: wang2026).

    The workbook has a documents sheet, a units sheet with drop-down lists
    for the instrument, objectives and every score, and the codebook; a
    filled-in template reads back with `policyquant validate` and `tables`.
    For the PMC framework (`template pmc`) it has one row per policy and one
    0/1 column per sub-variable instead, read back by `policyquant pmc`.
    An existing workbook holding coded rows is replaced only with --force.

    With --from FOLDER (written by `policyquant ingest`) the documents sheet
    holds the kept documents with their metadata and suggested scores (as
    suggestions, never as codes), and the units sheet their clauses, ready
    to code.
    """
    _refuse_inputs(
        {f"-o {output}": output}, [Path(name)] if Path(name).is_file() else [], "the framework file"
    )
    documents = units = None
    if from_folder is not None:
        from ._files import refuse_overwriting_inputs
        from .documents.pipeline import read_ingested

        refuse_overwriting_inputs(
            {f"-o {output}": output},
            {f"the {table} of --from": from_folder / table for table in ("documents.csv", "units.csv")},
        )
        documents, units, left_out = read_ingested(from_folder, all_units=all_units)
        if left_out:
            click.echo(
                f"policyquant: note: {left_out} units that are no body text (signatures, dates, notes, "
                "attachments) left out of the units sheet; --all-units keeps them",
                err=True,
            )
    elif all_units:
        raise click.UsageError("--all-units goes with --from FOLDER")
    try:
        path = _load_framework(name).coding_template(
            output, language=_language(language), force=force, documents=documents, units=units
        )
    except ValidationError as error:
        raise _in_folder(error, from_folder) from None
    if units is not None:
        click.echo(f"policyquant: template written to {path} ({len(documents)} documents, {len(units)} units)")
    else:
        click.echo(f"policyquant: template written to {path}")


def _in_folder(error: ValidationError, folder: Path | None) -> ValidationError:
    """A problem of the tables read from ``folder`` (template --from), naming the file of each row.

    The tables keep the rows of documents.csv and units.csv; the template
    names them "documents" and "units", which the file's path replaces.
    """
    table = error.summary.split(":", 1)[0]
    if folder is None or type(error) is not ValidationError or table not in ("documents", "units"):
        return error
    file = str(folder / f"{table}.csv")
    problems = error.problems.copy()
    if "file" not in problems.columns:
        problems.insert(0, "file", None)
    problems["file"] = problems["file"].where(problems["file"].notna(), file)
    named = ValidationError(file + error.summary[len(table) :], problems, stopped=error.stopped)
    named.language = error.language
    return named


# --------------------------------------------------------------------------
# Text analyses and machine coders.

#: The columns that make a table a coding sheet rather than the units `policyquant ingest` writes.
_CODE_COLUMNS = ("instrument", "objectives")


def _read_units(
    files: Sequence[Path],
    *,
    example: bool,
    framework: str | Framework,
    encoding: str | None,
    problems: Path | None = None,
) -> tuple[Any, Corpus | None]:
    """The units of ``FILES`` with their texts, and the corpus when FILES is a coding study.

    One CSV file with ``unit_id`` and ``text`` and no code column is the
    units table of `policyquant ingest`, read as it is (nothing to validate);
    anything else is read as `tables` reads it.
    """
    if len(files) == 1 and files[0].suffix.lower() in (".csv", ".tsv", ".txt") and not example:
        from ._text import normalize_name
        from .io.tabular import _read_csv

        _refuse_inputs({f"--problems {problems}": problems}, files)
        if not files[0].exists():
            raise click.BadParameter(f"no file {str(files[0])!r}", param_hint="'FILES'")
        frame = _read_csv(files[0], encoding)
        names = {
            str(column): normalize_name(str(column)).replace(" ", "_").replace("-", "_") for column in frame.columns
        }
        if {"unit_id", "text"} <= set(names.values()) and not set(names.values()) & set(_CODE_COLUMNS):
            # "Unit ID" and "unit_id" are one column, as read_coding reads them.
            renamed = {column: name for column, name in names.items() if name in ("unit_id", "doc_id", "text")}
            return frame.rename(columns=renamed).reset_index(drop=True), None
    corpus = _read_corpus(files, example=example, framework=framework, encoding=encoding, problems=problems)
    if "text" not in corpus.units.columns:
        raise ValidationError(
            f"{files[0] if files else 'the example'}: the units have no text column: the words and the machine coders read the clauses' "
            "texts (a column text, 条款内容 or 条款文本)"
        )
    return corpus, corpus


def _print_tidy(title: str, table: Any, fmt: str) -> None:
    """A tidy table (one row per feature or match) as ``tables`` prints, without a row number in text."""
    if fmt != "text":
        _print_tables([("", title, table)], fmt)
        return
    from ._terminal import fit_table, terminal_width, wrap_text

    frame = table.to_frame()
    width = terminal_width()
    click.echo("\n" + "\n".join(wrap_text(title, width)) + "\n")
    # The first column (the feature, the unit) names the row; a row number would only add width.
    click.echo(fit_table(frame.set_index(frame.columns[0]), width, decimals=table.decimals))


def _group_names(tokens: Any, column: str) -> list[str]:
    """The groups of ``--by COLUMN``, checked against the units' columns (closest named)."""
    from ._text import closest

    docvars = tokens.docvars
    if column not in docvars.columns:
        near = closest(column, [str(c) for c in docvars.columns])
        raise click.BadParameter(
            f"the units have no column {column!r}"
            + (f"; did you mean {near[0]!r}?" if near else f"; columns: {', '.join(map(str, docvars.columns))}"),
            param_hint="'--by'",
        )
    values = docvars[column].astype("str")
    return sorted(values[docvars[column].notna().to_numpy()].unique().tolist())


@main.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option("--example", is_flag=True, help="Use the bundled reconstruction of the study's corpus.")
@click.option("-n", "--top", "top", type=click.IntRange(min=1), default=20, show_default=True,
              help="Features shown (per group with --by; the most key ones with --target).")
@click.option(
    "--rank",
    type=click.Choice(("frequency", "docfreq", "tfidf")),
    default="frequency",
    show_default=True,
    help="Rank features by their count, the units they occur in, or their TF-IDF weight.",
)
@click.option("--by", "by", default=None, metavar="COLUMN",
              help="Group the units by a unit or document column (year, level, instrument ...): the top features "
              "of each group, or with two groups their keyness.")
@click.option("--target", default=None, metavar="GROUP",
              help="With --by: the keyness of this group against all the others.")
@click.option("--measure", type=click.Choice(("chi2", "lr")), default="chi2", show_default=True,
              help="Keyness statistic: Pearson's chi-square or the likelihood ratio G2.")
@click.option("--user-words", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="A file of words to keep whole (one a line), such as 生成式人工智能.")
@click.option("--stopwords", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="A file of stop words (one a line) replacing the built-in list.")
@_framework_option()
@_table_format_option("Output format")
@_encoding_option
@_lang_option
def words(
    files: Sequence[Path],
    example: bool,
    top: int,
    rank: str,
    by: str | None,
    target: str | None,
    measure: str,
    user_words: Path | None,
    stopwords: Path | None,
    framework: str,
    fmt: str,
    encoding: str | None,
    language: str | None,
) -> None:
    """Print the most frequent words of the units, or their keyness between groups.

    FILES are a coding study (as `tables` takes it) or the units.csv that
    `policyquant ingest` wrote.  With --by COLUMN, the top words of each
    group; when the column has two groups, or with --target GROUP, the
    keyness of the target (the first group in sort order) against the rest.
    """
    from .text import keyness, tokenize, top_features

    if target is not None and by is None:
        raise click.UsageError("--target goes with --by COLUMN")
    units, _ = _read_units(files, example=example, framework=framework, encoding=encoding)
    tokens = tokenize(units, user_words=user_words, stopwords=stopwords if stopwords is not None else "default")
    if by is None:
        _print_tidy(f"Top {top} words by {rank} ({len(tokens)} units)", top_features(tokens, top, by=rank), fmt)
        return
    groups = _group_names(tokens, by)
    if target is None and len(groups) != 2:
        _print_tidy(f"Top {top} words by {rank} in each {by}", top_features(tokens, top, by=rank, groups=by), fmt)
        return
    if target is not None and target not in groups:
        from ._text import closest

        near = closest(target, groups)
        raise click.BadParameter(
            f"no group {target!r} in column {by!r}"
            + (f"; did you mean {near[0]!r}?" if near else f"; groups: {', '.join(groups[:10])}"),
            param_hint="'--target'",
        )
    chosen = target if target is not None else groups[0]
    table = keyness(tokens, chosen, measure=measure, groups=by)
    title = f"Keyness ({measure}) of {table.target} against {table.reference} ({by})"
    result = type(table)(table.to_frame().head(top), table.target, table.reference)
    _print_tidy(title, result, fmt)


@main.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.argument("term")
@click.option("--example", is_flag=True, help="Use the bundled reconstruction of the study's corpus.")
@click.option("--window", type=click.IntRange(min=0), default=5, show_default=True,
              help="Words shown before and after each match.")
@click.option("--user-words", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="A file of words to keep whole (one a line).")
@_framework_option()
@_table_format_option("Output format")
@_encoding_option
@_lang_option
def kwic(
    files: Sequence[Path],
    term: str,
    example: bool,
    window: int,
    user_words: Path | None,
    framework: str,
    fmt: str,
    encoding: str | None,
    language: str | None,
) -> None:
    """Print every occurrence of TERM in the units, with the words around it and the unit's id.

    FILES are a coding study (as `tables` takes it) or the units.csv that
    `policyquant ingest` wrote; TERM is a word or a glob (算法*), matched
    whole in Chinese text.
    """
    from .text import kwic as keyword_in_context

    if not files and not example and Path(term).exists():
        raise click.UsageError("give the TERM to search for after the files")
    units, _ = _read_units(files, example=example, framework=framework, encoding=encoding)
    table = keyword_in_context(units, term, window=window, user_words=user_words)
    _print_tidy(f"{term!r}: {len(table.to_frame())} matches (window {window})", table, fmt)


@main.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option("--example", is_flag=True, help="Use the bundled reconstruction of the study's corpus.")
@click.option("--coder", required=True, metavar="NAME",
              help="The coder: dictionary, tfidf-linear (with --model) or a plugin's (policyquant.coders.list_coders).")
@click.option("--dictionary", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="With --coder dictionary: a TOML dictionary (default: the framework's starter dictionary).")
@click.option("--model", type=click.Path(path_type=Path), default=None,
              help="With --coder tfidf-linear: the folder `policyquant train` saved the coder in.")
@click.option(
    "--output", "-o", required=True, type=click.Path(dir_okay=False, path_type=Path),
    help="A .xlsx coding template with the suggestions beside the code columns, or a .csv of the suggestions.",
)
@click.option("--top", type=click.IntRange(min=1), default=3, show_default=True, help="Suggestions per unit and field.")
@click.option("--order", type=click.Choice(("given", "least-confident")), default="given", show_default=True,
              help="Order of the units in the .xlsx template: as given, or least-confident first.")
@click.option("--force", is_flag=True, help="Replace an existing workbook even if it holds coded rows.")
@_framework_option()
@_encoding_option
@_problems_option
@_lang_option
def suggest(
    files: Sequence[Path],
    example: bool,
    coder: str,
    dictionary: Path | None,
    model: Path | None,
    output: Path,
    top: int,
    order: str,
    force: bool,
    framework: str,
    encoding: str | None,
    problems: Path | None,
    language: str | None,
) -> None:
    """Let a machine coder suggest codes for the units, never in place of a human's code.

    FILES are a coding study (as `tables` takes it) or the units.csv that
    `policyquant ingest` wrote.  With -o FILE.xlsx, the coding template is
    written with the units and, beside the empty code columns, each unit's
    suggestion, its confidence and its evidence (least-confident first with
    --order least-confident); with -o FILE.csv, the table of suggestions.
    """
    from .coders import get_coder, units_frame

    suffix = output.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise click.BadParameter(f"{str(output)!r} must end in .xlsx or .csv", param_hint="'--output'")
    if order != "given" and suffix != ".xlsx":
        raise click.UsageError("--order is the order of the .xlsx template's units: write -o FILE.xlsx")
    extra = {f"--dictionary {dictionary}": dictionary, f"--model {model}": model}
    _refuse_inputs({f"-o {output}": output}, [*files, *(path for path in extra.values() if path is not None)])
    options: dict[str, Any] = {}
    if dictionary is not None:
        options["dictionary"] = dictionary
    if model is not None:
        options["path"] = model
    from ._text import normalize_name

    if normalize_name(coder) == "tfidf-linear" and model is None:
        raise click.UsageError("--coder tfidf-linear needs --model DIR, a coder saved by `policyquant train`")
    chosen = _load_framework(framework)
    machine = get_coder(coder, framework=chosen, **options)
    units, corpus = _read_units(files, example=example, framework=chosen, encoding=encoding, problems=problems)
    # The coder reads the texts only: a coding sheet's own codes are not shown to it.
    units = units_frame(units)
    suggestions = machine.suggest(units, top=top)
    left = suggestions.problems
    if suffix == ".csv":
        from ._files import atomic_path

        with atomic_path(output, what="the suggestions") as temporary:
            suggestions.to_frame().to_csv(temporary, index=False, encoding="utf-8-sig")
    else:
        from .io import write_coding_template

        documents = corpus.documents if corpus is not None else None
        write_coding_template(
            chosen,
            output,
            language=_language(language),
            documents=documents,
            units=units,
            suggestions=suggestions,
            order=order,
            units_rows=max(500, len(units)),
            force=force,
        )
    click.echo(f"policyquant: {len(units)} units suggested by {machine.name!r}, written to {output}")
    if len(left):
        # Said, never dropped: the units without a suggestion keep empty suggestion cells.
        where = ""
        if problems is not None:
            from ._files import atomic_path

            with atomic_path(problems, what="the problems") as temporary:
                left.to_csv(temporary, index=False, encoding="utf-8-sig")
            where = f", listed in {problems}"
        click.echo(
            f"policyquant: note: {left['unit_id'].nunique()} units left without a suggestion for some field "
            f"({len(left)} unit x field){where}",
            err=True,
        )


@main.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option("--example", is_flag=True, help="Train on the bundled reconstruction of the study's corpus.")
@click.option("--output", "-o", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="The folder to save the coder in (read back by `policyquant suggest --model`).")
@click.option("--fields", "fields", multiple=True, metavar="FIELD",
              help="Fields to learn: instrument, objectives and scores (default: instrument, objectives, AS, MI "
              "as the framework has them); repeat the option or separate by commas.")
@click.option("--evaluate", is_flag=True, help="Also cross-validate the coder and print alpha against the human codes "
              "next to a majority-class baseline.")
@click.option("--cv", type=click.IntRange(min=2), default=5, show_default=True, help="Folds of --evaluate.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the model and the folds.")
@_framework_option()
@_table_format_option("Output format of --evaluate's table")
@_encoding_option
@_problems_option
@_lang_option
def train(
    files: Sequence[Path],
    example: bool,
    output: Path,
    fields: Sequence[str],
    evaluate: bool,
    cv: int,
    seed: int,
    framework: str,
    fmt: str,
    encoding: str | None,
    problems: Path | None,
    language: str | None,
) -> None:
    """Train the tfidf-linear coder on a coded study and save it in a folder.

    FILES are a coding study as `tables` takes it.  With --evaluate, the
    coder is cross-validated and scored as one more coder: Krippendorff's
    alpha against the human codes per field, next to a majority-class
    baseline, so that a weak model shows as weak.
    """
    from .coders import coder_fields
    from .coders import train as train_coder

    saved = {f"-o {output / name}": output / name for name in ("manifest.json", "model.json", "arrays.npz")}
    _refuse_inputs(saved, files)
    # Checked before the corpus is read: `--fields ''` (an empty shell variable) would train every field.
    chosen = _listed(fields, "--fields")
    corpus = _read_corpus(files, example=example, framework=framework, encoding=encoding, problems=problems)
    if chosen is None:
        # The default fields the framework has (a framework without scores trains on its codes only).
        available = coder_fields(corpus.framework)
        chosen = [field for field in ("instrument", "objectives", "AS", "MI") if field in available]
    coder = train_coder(corpus, fields=tuple(chosen), seed=seed)
    evaluation = coder.evaluate(cv=cv, seed=seed) if evaluate else None
    folder = coder.save(output)
    if evaluation is not None:
        title = (
            f"交叉验证的 α：{coder.name} 与人工编码（{cv} 折）"
            if _language(language) == "zh"
            else f"Cross-validated alpha, {coder.name} vs human codes ({cv} folds)"
        )
        table = evaluation.to_frame(language=_language(language))
        _print_tables([("evaluation", title, table)], fmt)
    click.echo(f"policyquant: coder {coder.name!r} ({', '.join(coder.fields)}) saved in {folder}", err=True)


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
        _show(error)
        return error.exit_code
    except KeyboardInterrupt:
        return _interrupted()
    except click.exceptions.Abort as error:
        return _interrupted() if isinstance(error.__cause__, KeyboardInterrupt) else 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(run())
