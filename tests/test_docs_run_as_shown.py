"""docs/run_visible_code.py: the tutorials and how-tos run as a reader copies them.

The checker runs only the code a reader sees, without the hidden ``testsetup`` blocks
and ``doctest_global_setup`` that the Sphinx doctest build runs first.  These tests
give it small pages of known outcome, so that the checker itself is checked: a page
that leans on hidden setup must fail, a self-sufficient page must pass.  The real
pages are checked statically here (fast) and run in full in CI's "docs run as shown"
step (or here with POLICYQUANT_DOCS_RUN_AS_SHOWN=1).
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "docs" / "run_visible_code.py"


def _load_checker():
    spec = importlib.util.spec_from_file_location("run_visible_code", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


checker = _load_checker()


def _page(folder: Path, text: str, name: str = "page.rst") -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


SELF_SUFFICIENT = """
    A page
    ======

    .. testsetup::

       import os as _os
       import tempfile as _tempfile

       _os.chdir(_tempfile.mkdtemp())

    Names are defined where the reader sees them:

    >>> import policyquant as pq
    >>> answer = 41 + 1
    >>> answer
    42

    .. code-block:: python

       with open("numbers.txt", "w", encoding="utf-8") as handle:
           handle.write("1\\n2\\n")

    .. doctest::

       >>> open("numbers.txt", encoding="utf-8").read().split()
       ['1', '2']
       >>> 1 / 3  # NUMBER: as many digits as shown
       0.333

    The file the reader writes, shown in full:

    .. literalinclude:: shown.py
       :caption: helpers/shown.py

    >>> from helpers.shown import double
    >>> double(answer)
    84

    .. code-block:: console

       $ policyquant --version
       policyquant, version ...
       $ echo $?
       0

    .. run-as-shown: skip -- installs a package

    .. code-block:: bash

       python3 -m pip install something-else
"""


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "shown.py").write_text("def double(value):\n    return 2 * value\n", encoding="utf-8")
    return tmp_path


def test_a_self_sufficient_page_passes(folder):
    result = checker.run_page(_page(folder, SELF_SUFFICIENT))
    assert result.passed, result.report
    assert result.skipped == ["line 50: installs a package"]


@pytest.mark.parametrize(
    ("hidden", "visible", "expected"),
    [
        # A name defined only in hidden setup: found before anything runs.
        (
            "EXAMPLE = 41",
            ">>> EXAMPLE + 1\n42",
            "the visible code uses EXAMPLE, defined only in a hidden testsetup",
        ),
        # A file written only by hidden setup: the page runs in a fresh, empty folder.
        (
            "open('data.csv', 'w').write('a\\n1\\n')",
            ">>> open('data.csv').read()\n'a\\n1\\n'",
            "FileNotFoundError: [Errno 2] No such file or directory: 'data.csv'",
        ),
        # Sphinx's doctest_global_setup defines pq; a reader has to import it.
        ("", ">>> pq.__name__\n'policyquant'", "NameError: name 'pq' is not defined"),
    ],
    ids=["name-in-testsetup", "file-in-testsetup", "global-setup"],
)
def test_a_page_that_needs_hidden_setup_fails(folder, hidden, visible, expected):
    setup = textwrap.indent(hidden, "   ") if hidden else "   pass"
    text = f"Title\n=====\n\n.. testsetup::\n\n{setup}\n\n{visible}\n"
    path = folder / "page.rst"
    path.write_text(text, encoding="utf-8")
    result = checker.run_page(path)
    assert not result.passed
    assert expected in result.report


def test_the_first_mismatch_is_reported_with_its_line(folder):
    path = _page(
        folder,
        """
        Title
        =====

        >>> 1 + 1
        2
        >>> 2 + 2
        5
        >>> 3 + 3
        7
        """,
    )
    result = checker.run_page(path)
    assert not result.passed
    assert result.report.startswith("line 6: 2 + 2\nExpected:\n    5\nGot:\n    4")
    assert "3 + 3" not in result.report


def test_a_shell_command_with_other_output_fails(folder):
    path = _page(
        folder, "Title\n=====\n\n.. code-block:: console\n\n   $ policyquant --version\n   version 9\n"
    )
    result = checker.run_page(path)
    assert not result.passed
    assert "$ policyquant --version" in result.report and "version 9" in result.report


@pytest.mark.parametrize(
    "command",
    ["sudo apt-get install fonts-noto-cjk", "policyquant --version && touch made-by-a-second-command"],
)
def test_a_shell_block_that_cannot_run_here_must_say_why(folder, command):
    path = _page(folder, f"Title\n=====\n\n.. code-block:: bash\n\n   {command}\n")
    result = checker.run_page(path)
    assert not result.passed
    assert f"{command!r}, which this checker does not run" in result.report
    assert ".. run-as-shown: skip -- <why>" in result.report


def test_testcode_output_is_compared(folder):
    text = "Title\n=====\n\n.. testcode::\n\n   print('shown')\n\n.. testoutput::\n\n   not shown\n"
    result = checker.run_page(_page(folder, text))
    assert not result.passed
    assert "the code block's output differs" in result.report


def test_the_command_line_exits_non_zero_on_a_failing_page(folder):
    good = _page(folder, ">>> 1 + 1\n2\n", "good.rst")
    bad = _page(folder, ">>> 1 + 1\n3\n", "bad.rst")
    done = subprocess.run(
        [sys.executable, str(SCRIPT), str(good), str(bad)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert "1 of 2 pages run as shown" in done.stdout
    done = subprocess.run(
        [sys.executable, str(SCRIPT), str(good)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr


PAGES = checker.default_pages()


def test_the_real_pages_are_found():
    names = {f"{page.parent.name}/{page.name}" for page in PAGES}
    assert {
        "tutorials/write-a-framework-plugin.rst",
        "how-to/write-a-plugin.rst",
        "how-to/report.rst",
    } <= names


@pytest.mark.parametrize("page", PAGES, ids=lambda page: f"{page.parent.name}/{page.stem}")
def test_real_page_needs_nothing_hidden(page):
    """Fast, static: no name from hidden setup, no unmarked shell block that cannot run."""
    assert checker.hidden_names_used(page) == []
    for block in checker.read_page(page):
        if block.kind == "shell" and block.skip is None:
            assert checker.unrunnable_command(block) is None, f"{page.name}, line {block.line}"


# Running every page takes about a minute: CI's 'docs run as shown' step runs them all
# (python docs/run_visible_code.py); the tests above prove the checker itself.
