"""Run the code that the tutorials and how-to guides show, as a reader would copy it.

The Sphinx doctest build (``sphinx -b doctest``) runs hidden ``.. testsetup::`` blocks and
``doctest_global_setup`` first, so a page can pass there while a reader who copies its
visible code in order fails.  This script runs only what a reader sees, page by page:

* every page runs in a fresh interpreter (a subprocess), in a fresh empty temporary
  folder that is also the first entry of ``sys.path``, as for ``python`` started there;
  its namespace starts empty: no ``pq``, ``pd`` or ``DOCS_DIR`` is defined for it;
* ``.. testsetup::``, ``.. testcleanup::`` and ``:hide:`` blocks are ignored entirely;
* in document order, it runs the ``>>>`` doctest blocks, ``.. doctest::`` blocks (their
  output compared), ``.. testcode::`` blocks (compared with the ``.. testoutput::`` that
  follows), ``.. code-block:: python`` (also ``code``/``sourcecode``; ``pycon`` is read as
  doctest) and ``.. plot::`` blocks, all in one namespace;
* ``.. code-block:: console|bash|shell|sh`` blocks run command by command in the page's
  folder with ``bash``; after a ``$`` prompt, the lines up to the next prompt are the
  output shown, compared with what the command prints (stdout and stderr).  Only
  ``policyquant`` commands (also ``python -m policyquant...``), ``echo``, ``cat``, ``ls``
  and ``head`` run, without pipes, redirections or a second command; any other command
  needs the skip comment below, or the page fails;
* a ``.. literalinclude::`` with a ``:caption:`` shows a file that the reader writes:
  the file is written at the caption's path (relative to the page's folder) when the
  page reaches it;
* outputs are compared with doctest's ``OutputChecker`` as pytest's doctests do
  (pytest's checker, flags ``NORMALIZE_WHITESPACE | ELLIPSIS | NUMBER``).

A block the checker must not run (it installs software, needs the network or root)
is preceded, directly, by a one-line comment that says why, which readers do not see::

    .. run-as-shown: skip -- installs the package into the environment

    .. code-block:: bash

       python3 -m pip install .

For each page the first mismatch (or error) is reported with its line; the exit status
is 1 when any page fails.  Usage::

    python docs/run_visible_code.py                 # docs/tutorials and docs/how-to
    python docs/run_visible_code.py docs/how-to/fit.rst -v
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import textwrap
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

DOCS_DIR = Path(__file__).resolve().parent
PAGE_FOLDERS = ("tutorials", "how-to")
SKIP_COMMENT = re.compile(r"^\s*\.\. run-as-shown:\s*skip\s*--\s*(?P<reason>\S.*)$")
DIRECTIVE = re.compile(r"^(?P<indent>\s*)\.\. (?P<name>[\w:-]+)::\s*(?P<argument>.*)$")
OPTION = re.compile(r"^:(?P<name>[\w-]+):\s*(?P<value>.*)$")
PROMPT = "$ "
# Commands that run offline in a temporary folder; anything else must be marked skipped.
RUNNABLE_COMMANDS = (
    re.compile(r"^policyquant(\s|$)"),
    re.compile(r"^python3? -m policyquant(\.[\w.]+)?(\s|$)"),
    re.compile(r"^(echo|cat|ls|head)(\s|$)"),
)
SHELL_OPERATORS = re.compile(r"[;&|<>`]|\$\(")
PYTHON_LANGUAGES = {"python", "python3", "py"}
DOCTEST_LANGUAGES = {"pycon"}
SHELL_LANGUAGES = {"console", "bash", "shell", "sh", "shell-session"}
# Directives whose bodies are code or data, never scanned for ``>>>`` paragraphs.
OPAQUE_DIRECTIVES = {
    "testsetup", "testcleanup", "testcode", "testoutput", "doctest", "code-block", "code",
    "sourcecode", "plot", "literalinclude", "math", "raw", "csv-table", "highlight",
}  # fmt: skip
COMMAND_TIMEOUT = 600


@dataclass
class Block:
    """One piece of visible code of a page, in document order."""

    kind: str  # "doctest", "python", "shell", "file"
    line: int  # 1-based line of the page where the block starts
    text: str = ""
    want: str | None = None  # the output shown, for a testcode block
    language: str = ""
    path: str = ""  # for "file": where the reader writes it
    source: Path | None = None  # for "file": the included file
    skip: str | None = None  # the reason given by a skip comment
    flags: int = 0


@dataclass
class Failure:
    line: int
    message: str


@dataclass
class PageResult:
    page: str
    passed: bool
    seconds: float
    report: str = ""
    skipped: list[str] = field(default_factory=list)


# -- Reading a page ------------------------------------------------------------------


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _directive_body(lines: list[str], start: int, indent: int) -> tuple[dict[str, str], list[str], int, int]:
    """Options, dedented content, the 1-based first content line and the index after the body."""
    end = start + 1
    while end < len(lines) and (not lines[end].strip() or _indent(lines[end]) > indent):
        end += 1
    body = lines[start + 1 : end]
    options: dict[str, str] = {}
    position = 0
    while position < len(body) and body[position].strip() and OPTION.match(body[position].strip()):
        match = OPTION.match(body[position].strip())
        options[match["name"]] = match["value"].strip()
        position += 1
    content = body[position:]
    while content and not content[0].strip():
        content = content[1:]
        position += 1
    first_line = start + 1 + position + 1
    while content and not content[-1].strip():
        content = content[:-1]
    return options, textwrap.dedent("\n".join(content)).splitlines(), first_line, end


def _doctest_flags(options: dict[str, str]) -> int:
    import doctest

    flags = 0
    for word in options.get("options", "").replace(",", " ").split():
        if word[1:] in doctest.OPTIONFLAGS_BY_NAME and word[0] == "+":
            flags |= doctest.OPTIONFLAGS_BY_NAME[word[1:]]
    return flags


def read_page(path: Path) -> list[Block]:
    """The visible code of a page, in order (hidden blocks left out)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    blocks: list[Block] = []
    pending_skip: str | None = None
    index = 0
    while index < len(lines):
        line = lines[index]
        stripped = line.strip()
        skip = SKIP_COMMENT.match(line)
        if skip:
            pending_skip = skip["reason"].strip()
            index += 1
            continue
        directive = DIRECTIVE.match(line)
        if directive and directive["name"] in OPAQUE_DIRECTIVES:
            name, argument = directive["name"], directive["argument"].strip()
            options, content, first, end = _directive_body(lines, index, len(directive["indent"]))
            block = _block_of_directive(path, name, argument, options, content, first, lines, end)
            if block is not None:
                block.skip = pending_skip
                blocks.append(block)
            pending_skip = None
            index = end
            continue
        if stripped.startswith(">>>"):
            start = index
            while index < len(lines) and lines[index].strip():
                index += 1
            text = textwrap.dedent("\n".join(lines[start:index]))
            blocks.append(Block("doctest", start + 1, text, skip=pending_skip))
            pending_skip = None
            continue
        if stripped.endswith("::") and not stripped.startswith(".. ") and not directive:
            # A literal block: shown as text, never run.
            _, _, _, end = _directive_body(lines, index, _indent(line))
            index = end
            continue
        if stripped and not stripped.startswith(".."):
            pending_skip = None
        index += 1
    return blocks


def _block_of_directive(path, name, argument, options, content, first, lines, end) -> Block | None:
    text = "\n".join(content)
    if name in {"testsetup", "testcleanup", "testoutput"} or "hide" in options:
        return None
    if name == "doctest":
        return Block("doctest", first, text, flags=_doctest_flags(options))
    if name == "testcode":
        want = _following_testoutput(lines, end)
        return Block("python", first, text, want=want)
    if name in {"code-block", "code", "sourcecode"}:
        language = argument.lower()
        if language in PYTHON_LANGUAGES:
            return Block("python", first, text, language=language)
        if language in DOCTEST_LANGUAGES:
            return Block("doctest", first, text, language=language)
        if language in SHELL_LANGUAGES:
            return Block("shell", first, text, language=language)
        return None
    if name == "plot":
        if argument:  # a figure drawn by a file of its own, not code shown on the page
            return None
        return Block("python", first, text, language="plot")
    if name == "literalinclude" and "caption" in options:
        return Block("file", first - 1, path=options["caption"], source=(path.parent / argument).resolve())
    return None


def _following_testoutput(lines: list[str], index: int) -> str | None:
    while index < len(lines) and not lines[index].strip():
        index += 1
    if index < len(lines):
        directive = DIRECTIVE.match(lines[index])
        if directive and directive["name"] == "testoutput":
            _, content, _, _ = _directive_body(lines, index, len(directive["indent"]))
            return "\n".join(content) + "\n"
    return None


def _hidden_setup_code(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    code = []
    for index, line in enumerate(lines):
        directive = DIRECTIVE.match(line)
        if directive and directive["name"] == "testsetup":
            _, content, _, _ = _directive_body(lines, index, len(directive["indent"]))
            code.append("\n".join(content))
    return code


def _python_sources(block: Block) -> list[str]:
    import doctest

    if block.kind == "doctest":
        return [example.source for example in doctest.DocTestParser().get_examples(block.text)]
    if block.kind == "python":
        return [block.text]
    return []


def _names(source: str) -> tuple[set[str], set[str]]:
    """(names bound, names read) by a piece of Python code."""
    import ast

    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set(), set()
    bound, read = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (read if isinstance(node.ctx, ast.Load) else bound).add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, ast.alias):
            bound.add((node.asname or node.name).split(".")[0])
    return bound, read


def hidden_names_used(path: Path) -> list[str]:
    """Names that a hidden ``testsetup`` binds and the visible code reads without binding them."""
    hidden: set[str] = set()
    for code in _hidden_setup_code(path):
        hidden |= _names(code)[0]
    bound: set[str] = set()
    used = []
    for block in read_page(path):
        for source in _python_sources(block):
            block_bound, block_read = _names(source)
            used.extend(name for name in sorted(block_read & hidden - bound) if name not in used)
            bound |= block_bound
    return used


# -- Running a page (in the child process) ---------------------------------------------


class _PageFailedError(Exception):
    def __init__(self, failure: Failure):
        super().__init__(failure.message)
        self.failure = failure


def _checker_and_flags():
    import doctest

    # pytest's checker, so that NUMBER means what it means in the project's doctests.
    from _pytest.doctest import _get_checker, _get_number_flag

    return _get_checker(), doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS | _get_number_flag()


def _make_runner(checker, flags, page: str, block_line: int):
    import doctest

    class Runner(doctest.DocTestRunner):
        def report_failure(self, out, test, example, got):
            diff = self._checker.output_difference(example, got, self.optionflags)
            raise _PageFailedError(
                Failure(block_line + example.lineno, f"{example.source.rstrip()}\n{_tidy(diff)}")
            )

        def report_unexpected_exception(self, out, test, example, exc_info):
            text = "".join(traceback.format_exception_only(exc_info[0], exc_info[1]))
            raise _PageFailedError(
                Failure(block_line + example.lineno, f"{example.source.rstrip()}\nraised:\n{text}")
            )

    return Runner(checker=checker, optionflags=flags, verbose=False)


def _tidy(diff: str, limit: int = 40) -> str:
    lines = diff.rstrip().splitlines()
    if len(lines) > limit:
        lines = [*lines[:limit], f"    ... ({len(lines) - limit} more lines)"]
    return "\n".join(lines)


def _run_doctest(block: Block, globs: dict, checker, flags, page: str) -> None:
    import doctest

    parser = doctest.DocTestParser()
    test = parser.get_doctest(block.text, globs, f"{page}:{block.line}", page, block.line - 1)
    test.globs = globs  # DocTest copies its globals; the page's blocks share one namespace
    runner = _make_runner(checker, flags | block.flags, page, block.line)
    runner.run(test, clear_globs=False)


def _run_python(block: Block, globs: dict, checker, flags, page: str) -> None:
    import doctest

    output = io.StringIO()
    try:
        code = compile(block.text, f"{page}:{block.line}", "exec")
        with contextlib.redirect_stdout(output):
            exec(code, globs)
    except Exception:  # noqa: BLE001 - whatever the page's code raises is the page's failure
        text = "".join(traceback.format_exception(*sys.exc_info())[-3:])
        raise _PageFailedError(Failure(block.line, f"the code block raised:\n{text}")) from None
    finally:
        if block.language == "plot" and "matplotlib.pyplot" in sys.modules:
            sys.modules["matplotlib.pyplot"].close("all")
    if block.want is not None and not checker.check_output(block.want, output.getvalue(), flags):
        example = doctest.Example(block.text, block.want)
        diff = checker.output_difference(example, output.getvalue(), flags)
        raise _PageFailedError(Failure(block.line, f"the code block's output differs:\n{_tidy(diff)}"))


def shell_commands(block: Block) -> list[tuple[int, str, str | None]]:
    """(line, command, output shown or None) for each command of a shell block."""
    lines = block.text.splitlines()
    prompted = any(line.startswith(PROMPT) or line == "$" for line in lines)
    commands: list[tuple[int, str, str | None]] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if not line.strip() or line.lstrip().startswith("#") or (prompted and not line.startswith(PROMPT)):
            index += 1
            continue
        start = index
        command = line[len(PROMPT) :] if prompted else line
        while command.endswith("\\") and index + 1 < len(lines):
            index += 1
            command = command[:-1] + " " + lines[index].lstrip("> ").strip()
        index += 1
        want = None
        if prompted:
            output = []
            while index < len(lines) and not lines[index].startswith(PROMPT):
                output.append(lines[index])
                index += 1
            want = "\n".join(output).strip("\n")
            want = want + "\n" if want else ""
        commands.append((block.line + start, command.strip(), want))
    return commands


def unrunnable_command(block: Block) -> str | None:
    """The first command of a shell block that the checker does not run, if any."""
    for _, command, _ in shell_commands(block):
        # A pipe, redirection or second command would run more than the allowed word says.
        chained = SHELL_OPERATORS.search(command.replace("$?", ""))
        if chained or not any(pattern.match(command) for pattern in RUNNABLE_COMMANDS):
            return command
    return None


def _run_shell(block: Block, checker, flags, page: str, state: dict) -> None:
    import doctest

    command = unrunnable_command(block)
    if command is not None:
        raise _PageFailedError(
            Failure(
                block.line,
                f"the {block.language} block runs {command!r}, which this checker does not run; "
                "mark the block with a comment '.. run-as-shown: skip -- <why>' before it",
            )
        )
    env = dict(os.environ)
    bindir = str(Path(sys.executable).parent)
    env["PATH"] = bindir + os.pathsep + env.get("PATH", "")
    for line, command, want in shell_commands(block):
        # ``(exit N)`` first gives ``$?`` the status of the command before, as in a terminal.
        script = f"(exit {state.get('status', 0)}); {command}"
        try:
            done = subprocess.run(
                ["bash", "-c", script],
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                env=env,
                timeout=COMMAND_TIMEOUT,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise _PageFailedError(
                Failure(line, f"$ {command}\ntimed out after {COMMAND_TIMEOUT} s")
            ) from None
        state["status"] = done.returncode
        # Blank lines around a command's output are layout, in the terminal and on the page.
        got = done.stdout.strip("\n") + "\n" if done.stdout.strip() else ""
        if want is None:
            if done.returncode != 0:
                raise _PageFailedError(Failure(line, f"$ {command}\nexited {done.returncode}:\n{got}"))
            continue
        if not checker.check_output(want, got, flags):
            diff = checker.output_difference(doctest.Example(command, want), got, flags)
            raise _PageFailedError(Failure(line, f"$ {command}\n{_tidy(diff)}"))


def _write_file(block: Block) -> None:
    target = Path(block.path)
    if target.is_absolute() or ".." in target.parts:
        raise _PageFailedError(
            Failure(block.line, f"the caption {block.path!r} is not a path inside the folder")
        )
    if not block.source.is_file():
        raise _PageFailedError(Failure(block.line, f"the included file {str(block.source)!r} does not exist"))
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(block.source.read_bytes())


def run_page_here(path: Path) -> tuple[Failure | None, list[str]]:
    """Run a page's visible code in the current folder and process; the first failure."""
    checker, flags = _checker_and_flags()
    page = str(path)
    hidden = hidden_names_used(path)
    if hidden:
        # The run below would fail on them too, unless a name of the same kind exists in
        # builtins; say plainly where such a name comes from.
        return Failure(
            0, f"the visible code uses {', '.join(hidden)}, defined only in a hidden testsetup"
        ), []
    globs: dict = {"__name__": "__main__"}
    state: dict = {}
    skipped = []
    for block in read_page(path):
        if block.skip is not None:
            skipped.append(f"line {block.line}: {block.skip}")
            continue
        try:
            if block.kind == "doctest":
                _run_doctest(block, globs, checker, flags, page)
            elif block.kind == "python":
                _run_python(block, globs, checker, flags, page)
            elif block.kind == "shell":
                _run_shell(block, checker, flags, page, state)
            elif block.kind == "file":
                _write_file(block)
        except _PageFailedError as failure:
            return failure.failure, skipped
    return None, skipped


def _child(page: str, result_file: str) -> int:
    # As for ``python`` started in the page's folder: that folder comes first on sys.path.
    here = os.getcwd()
    sys.path[:] = [here] + [entry for entry in sys.path if Path(entry or ".").resolve() != DOCS_DIR]
    os.environ.setdefault("MPLBACKEND", "Agg")
    failure, skipped = run_page_here(Path(page))
    result = {"failure": None if failure is None else [failure.line, failure.message], "skipped": skipped}
    Path(result_file).write_text(json.dumps(result), encoding="utf-8")
    return 0 if failure is None else 1


# -- Driving the pages -----------------------------------------------------------------


def default_pages() -> list[Path]:
    pages = []
    for folder in PAGE_FOLDERS:
        pages.extend(sorted(path for path in (DOCS_DIR / folder).glob("*.rst") if path.name != "index.rst"))
    return pages


def run_page(path: Path, timeout: float = 1800) -> PageResult:
    """Run one page in a fresh interpreter and a fresh temporary folder."""
    path = path.resolve()
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="policyquant-run-as-shown-") as folder:
        result_file = Path(folder, ".result.json")
        workdir = Path(folder, "work")
        workdir.mkdir()
        # The pages show what a command prints off a terminal: 80 columns, whatever the
        # width of the terminal the check runs in.
        env = dict(os.environ, MPLBACKEND="Agg", PYTHONDONTWRITEBYTECODE="1", COLUMNS="80")
        try:
            done = subprocess.run(
                [sys.executable, str(Path(__file__).resolve()), "--child", str(path), str(result_file)],
                cwd=workdir,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                env=env,
                timeout=timeout,
                check=False,
            )
            log = done.stdout
        except subprocess.TimeoutExpired:
            return PageResult(str(path), False, time.perf_counter() - start, f"timed out after {timeout} s")
        seconds = time.perf_counter() - start
        if not result_file.exists():
            return PageResult(str(path), False, seconds, f"the checker itself failed:\n{log[-4000:]}")
        result = json.loads(result_file.read_text(encoding="utf-8"))
    failure = result["failure"]
    if failure is None:
        return PageResult(str(path), True, seconds, skipped=result["skipped"])
    line, message = failure
    where = f"line {line}: " if line else ""
    return PageResult(str(path), False, seconds, where + message, skipped=result["skipped"])


def _display(path: str) -> str:
    try:
        return str(Path(path).relative_to(Path.cwd()))
    except ValueError:
        return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "pages", nargs="*", type=Path, help="pages to run (default: docs/tutorials, docs/how-to)"
    )
    parser.add_argument("-j", "--jobs", type=int, default=1, help="pages run at the same time (default 1)")
    parser.add_argument("-v", "--verbose", action="store_true", help="list skipped blocks and times")
    parser.add_argument("--child", nargs=2, metavar=("PAGE", "RESULT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return _child(*args.child)
    pages = args.pages or default_pages()
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        results = list(pool.map(run_page, pages))
    failed = 0
    for result in results:
        name = _display(result.page)
        if result.passed:
            print(f"ok    {name} ({result.seconds:.1f} s)")
        else:
            failed += 1
            print(
                f"FAIL  {name} ({result.seconds:.1f} s)\n{textwrap.indent(result.report.rstrip(), '      ')}"
            )
        if args.verbose:
            for reason in result.skipped:
                print(f"      skipped {reason}")
    total = time.perf_counter() - start
    print(f"{len(results) - failed} of {len(results)} pages run as shown ({total:.0f} s)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
