"""The top-level package: every public name resolves, lazily, to the object its module defines.

``policyquant/__init__.py`` lists each name three times on purpose: in ``__all__`` (what
tools and the docs read), in a ``TYPE_CHECKING`` import (what type checkers and editors see)
and in the lazy-loading table (what runs).  These tests keep the three in step.
"""

from __future__ import annotations

import importlib
import subprocess
import sys

import policyquant


def test_the_lazy_table_and_all_name_the_same_names():
    lazy = set(policyquant._LAZY) | set(policyquant._SUBMODULES) | {"__version__"}
    assert lazy == set(policyquant.__all__)
    assert len(policyquant.__all__) == len(set(policyquant.__all__))


def test_every_public_name_is_the_object_its_module_defines():
    for name, module in policyquant._LAZY.items():
        assert getattr(policyquant, name) is getattr(importlib.import_module(f"policyquant.{module}"), name)
    for name in policyquant._SUBMODULES:
        assert getattr(policyquant, name) is importlib.import_module(f"policyquant.{name}")


def test_an_unknown_name_is_an_attribute_error():
    try:
        policyquant.no_such_name  # noqa: B018
    except AttributeError as error:
        assert "no_such_name" in str(error)
    else:
        raise AssertionError("policyquant.no_such_name resolved")


def test_importing_the_package_imports_neither_pandas_nor_its_submodules():
    code = (
        "import sys, policyquant; "
        "print(sorted(m for m in sys.modules if m == 'pandas' or m.startswith('policyquant.')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
