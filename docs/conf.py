"""Sphinx configuration for the policyquant documentation.

Build with ``python -m sphinx -W --keep-going -b html docs docs/_build/html`` and run
every example with ``python -m sphinx -W --keep-going -b doctest docs docs/_build/doctest``.
Nothing here needs the network: there is no intersphinx.

The doctest build runs hidden ``testsetup`` blocks and ``doctest_global_setup`` (below)
first; a reader does not.  ``python docs/run_visible_code.py`` runs the visible code of
every tutorial and how-to alone, in order, in an empty folder, as CI does.  So in those
pages, a ``testsetup`` may only prepare what a reader has anyway (a scratch working
folder, the files the page shows in full) and never define a name the examples use;
import ``pandas as pd`` and ``policyquant as pq`` visibly; and mark a shell block that
cannot run offline with ``.. run-as-shown: skip -- <why>`` (see that script).
"""

from __future__ import annotations

import doctest
import importlib
import inspect
import sys
from pathlib import Path

from docutils import nodes
from sphinx.errors import PycodeError
from sphinx.pycode import ModuleAnalyzer
from sphinx.util import logging
from sphinx.util.docstrings import prepare_docstring

import policyquant

DOCS_DIR = Path(__file__).resolve().parent
logger = logging.getLogger("policyquant.docs")

# -- Project -------------------------------------------------------------------------

project = "policyquant"
author = "The policyquant developers"
copyright = f"2026, {author}"
version = release = policyquant.__version__

# -- General -------------------------------------------------------------------------

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "numpydoc",
    "sphinx.ext.doctest",
    "sphinx.ext.viewcode",
    "sphinx_copybutton",
    "matplotlib.sphinxext.plot_directive",
    # The command-line reference is generated from the click commands themselves.
    "sphinx_click",
]

# Figures drawn by `.. plot::` directives (docs/how-to/figures.rst and the analysis guides).
plot_html_show_source_link = False
plot_html_show_formats = False
plot_formats = [("png", 110)]
plot_include_source = True

templates_path = ["_templates"]
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store"]
source_suffix = {".rst": "restructuredtext"}
root_doc = "index"
language = "en"
default_role = "literal"
pygments_style = "sphinx"

# -- API reference (autodoc, autosummary, numpydoc) ----------------------------------

# Stub pages go to docs/reference/generated/ (gitignored), next to the pages that
# list them with ``:toctree: generated``.
autosummary_generate = True
autosummary_imported_members = False
autodoc_member_order = "bysource"
# Types are documented in the numpydoc sections; signatures stay short.
autodoc_typehints = "none"

numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_attributes_as_param_list = True

# The modules of the API reference (one page each under docs/reference/); every name in
# their ``__all__`` must be documented, or the build warns.
REFERENCE_MODULES = (
    "policyquant",
    "policyquant.model",
    "policyquant.formula",
    "policyquant.errors",
    "policyquant.plugins",
    "policyquant.hookspecs",
    "policyquant.frameworks.howlett_ramesh",
    "policyquant.corpus",
    "policyquant.io",
    "policyquant.io.chunked",
    "policyquant.analysis",
    "policyquant.analysis.partial",
    "policyquant.reliability.partial",
    "policyquant.results",
    "policyquant.export",
    "policyquant.datasets",
    "policyquant.plotting",
    "policyquant.reporting",
    "policyquant.reliability",
    "policyquant.frameworks.pmc",
    "policyquant.frameworks.peng2008",
    "policyquant.frameworks.classic",
    "policyquant.declarative",
    "policyquant.testing",
    "policyquant.documents.reading",
    "policyquant.documents.metadata",
    "policyquant.documents.selection",
    "policyquant.documents.segmentation",
    "policyquant.documents.pipeline",
    "policyquant.text",
    "policyquant.coders.dictionary",
    "policyquant.coders.supervised",
    "policyquant.coders.llm",
    "policyquant.coders.figures",
    "policyquant.dask",
)

# -- HTML ------------------------------------------------------------------------------

html_theme = "furo"
html_title = f"policyquant {release}"
html_short_title = "policyquant"
html_last_updated_fmt = None
html_show_sourcelink = False
html_copy_source = False

copybutton_prompt_text = r">>> |\.\.\. |\$ "
copybutton_prompt_is_regexp = True
copybutton_only_copy_prompt_lines = True

# -- Doctest ---------------------------------------------------------------------------

# Exception messages are compared too (Sphinx ignores their detail by default): the
# messages are part of what the documentation promises.
doctest_default_flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE | doctest.DONT_ACCEPT_TRUE_FOR_1
# The LawRefBook collection of real national laws, where the documentation is built beside the
# project's shared anchors (CI); the tutorial blocks that need its texts are skipped elsewhere.
_LAWREFBOOK = DOCS_DIR.parents[1] / "shared" / "anchors" / "lawrefbook" / "national.tar.xz"
doctest_global_setup = f"""
import pandas as pd
import policyquant as pq

DOCS_DIR = {str(DOCS_DIR)!r}
LAWREFBOOK = {str(_LAWREFBOOK) if _LAWREFBOOK.is_file() else None!r}
"""

# -- Cross-references to re-exported names ---------------------------------------------
#
# Every object is documented once, in the module that defines it (policyquant.model,
# policyquant.errors, ...).  Users and docstrings also write re-exported names
# (``policyquant.Framework``, ``policyquant.hookimpl``, or ``Framework`` inside
# policyquant.plugins); those references are resolved to the defining module here instead
# of documenting every object twice.


def _top_level_aliases() -> dict[str, str]:
    aliases: dict[str, str] = {}
    for name in policyquant.__all__:
        obj = getattr(policyquant, name)
        if inspect.ismodule(obj):
            continue
        for module_name in REFERENCE_MODULES[1:]:
            module = importlib.import_module(module_name)
            if name in getattr(module, "__all__", ()) and getattr(module, name) is obj:
                aliases[f"policyquant.{name}"] = f"{module_name}.{name}"
                break
    return aliases


TOP_LEVEL_ALIASES = _top_level_aliases()


def _lookup(dotted: str):
    """Import ``dotted`` (``package.module.attribute...``) and return the object, or None."""
    parts = dotted.split(".")
    for end in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:end]))
        except ImportError:
            continue
        try:
            for attribute in parts[end:]:
                obj = getattr(obj, attribute)
        except AttributeError:
            return None
        return obj
    return None


def _canonical_names(target: str, module: str | None) -> list[str]:
    names = []
    for alias, canonical in TOP_LEVEL_ALIASES.items():
        for written in (target, f"policyquant.{target}"):
            if written == alias or written.startswith(alias + "."):
                names.append(canonical + written[len(alias) :])
    for candidate in ([f"{module}.{target}"] if module else []) + [target]:
        if not candidate.startswith("policyquant."):
            continue
        obj = _lookup(candidate)
        home = getattr(obj, "__module__", None)
        qualname = getattr(obj, "__qualname__", None)
        if home and qualname and home.startswith("policyquant"):
            names.append(f"{home}.{qualname}")
    return names


def _resolve_reexport(app, env, node, contnode):
    if node.get("refdomain") != "py":
        return None
    target = node.get("reftarget", "")
    domain = env.get_domain("py")
    for name in _canonical_names(target, node.get("py:module")):
        if name == target:
            continue
        found = domain.resolve_xref(env, node["refdoc"], app.builder, node["reftype"], name, node, contnode)
        if found is not None:
            return found
    return None


# -- Completeness of the API reference -------------------------------------------------


# Modules whose reference pages are not written yet (none at the moment).  Public names
# defined in them are listed in the build log instead of failing the build; once a page
# exists, add the module to REFERENCE_MODULES and remove it here.
PENDING_MODULES: tuple[str, ...] = ()


def _home_module(obj) -> str:
    if inspect.ismodule(obj):
        return obj.__name__
    return getattr(obj, "__module__", None) or ""


def _is_pending(obj) -> bool:
    home = _home_module(obj)
    return any(home == pending or home.startswith(pending + ".") for pending in PENDING_MODULES)


def _check_public_names(app, env):
    """Warn (an error under -W) about a public name that the reference does not document."""
    documented = set(env.get_domain("py").objects)
    pending = []
    for module_name in REFERENCE_MODULES:
        module = importlib.import_module(module_name)
        if module_name not in documented:
            logger.warning("API reference: module %s is not documented", module_name)
        for name in getattr(module, "__all__", ()):
            full = f"{module_name}.{name}"
            obj = getattr(module, name)
            if inspect.ismodule(obj):
                full = obj.__name__
            if {full, TOP_LEVEL_ALIASES.get(full, full)} & documented:
                continue
            if _is_pending(obj):
                pending.append(full)
                continue
            logger.warning(
                "API reference: public name %s (in %s.__all__) is not documented; "
                "add it to the matching page under docs/reference/",
                full,
                module_name,
            )
    if pending:
        logger.info(
            "API reference: not yet documented (modules in PENDING_MODULES of docs/conf.py): %s",
            ", ".join(pending),
        )


# -- Docstring examples run with their module's globals -----------------------------
#
# pytest runs the docstring examples with ``--doctest-modules``, where each example sees
# the globals of its module (``LabelMap``, ``describe_problem``, ...) without importing
# them.  The Sphinx doctest builder gives every page a fresh namespace instead, so each
# API page gets a hidden setup that copies in the globals of the module it documents.

API_PAGES = {
    "reference/api": "policyquant",
    "reference/model": "policyquant.model",
    "reference/formula": "policyquant.formula",
    "reference/errors": "policyquant.errors",
    "reference/plugins": "policyquant.plugins",
    "reference/hookspecs": "policyquant.hookspecs",
    "reference/howlett-ramesh": "policyquant.frameworks.howlett_ramesh",
    "reference/corpus": "policyquant.corpus",
    "reference/io": "policyquant.io",
    "reference/analysis": "policyquant.analysis",
    "reference/partial": "policyquant.analysis.partial",
    "reference/chunked": "policyquant.io.chunked",
    "reference/results": "policyquant.results",
    "reference/export": "policyquant.export",
    "reference/datasets": "policyquant.datasets",
    "reference/plotting": "policyquant.plotting",
    "reference/report": "policyquant.reporting",
    "reference/reliability": "policyquant.reliability",
    "reference/pmc": "policyquant.frameworks.pmc",
    "reference/peng2008": "policyquant.frameworks.peng2008",
    "reference/classic": "policyquant.frameworks.classic",
    "reference/declarative": "policyquant.declarative",
    "reference/testing": "policyquant.testing",
}


def _module_of_page(docname: str) -> str | None:
    """The module whose globals the examples of an API page see: where its object is defined."""
    if docname in API_PAGES:
        return API_PAGES[docname]
    prefix = "reference/generated/"
    if not docname.startswith(prefix):
        return None
    obj = _lookup(docname[len(prefix) :])
    home = getattr(obj, "__module__", None)
    if isinstance(home, str) and home.startswith("policyquant"):
        return home
    return None


def _add_module_globals(app, doctree):
    module_name = _module_of_page(app.env.docname)
    if module_name is None:
        return
    code = (
        "import importlib as _importlib\n"
        f"globals().update({{_name: _value for _name, _value in vars(_importlib.import_module({module_name!r})).items()"
        " if not _name.startswith('__')})\n"
    )
    doctree.append(nodes.comment(code, code, testnodetype="testsetup", groups=["default"], options={}))


def _readable_attrs_defaults(app, what, name, obj, options, signature, return_annotation):
    """attrs shows a default made by a factory as ``NOTHING``; the factories here make empty maps."""
    if signature and "=NOTHING" in signature:
        signature = signature.replace("labels=NOTHING", "labels={}").replace("=NOTHING", "=...")
    return signature, return_annotation


def _docstring_of_reexported_data(app, what, name, obj, options, lines):
    """Give a re-exported constant the ``#:`` comment of the module that defines it.

    autodoc finds ``#:`` comments only in the module a constant is documented under;
    for ``policyquant.io.FORMATS``, defined in ``policyquant.io.tabular``, it would
    show nothing, or the docstring of ``tuple``.
    """
    if what != "data":
        return
    type_doc = getattr(type(obj), "__doc__", None) or ""
    if lines and "\n".join(lines).strip() != "\n".join(prepare_docstring(type_doc)).strip():
        return
    package, _, attribute = name.rpartition(".")
    for module_name, module in sorted(sys.modules.items()):
        if module is None or not module_name.startswith(package + "."):
            continue
        if getattr(module, attribute, None) is not obj:
            continue
        try:
            comment = ModuleAnalyzer.for_module(module_name).find_attr_docs().get(("", attribute))
        except PycodeError:
            continue
        if comment:
            lines[:] = [*comment]
            return
    lines[:] = []


def _hide_private_bases(app, name, obj, options, bases):
    """Show ``Bases: object`` rather than a private mix-in such as ``_Named``."""
    public = [base for base in bases if not getattr(base, "__name__", "").startswith("_")]
    bases[:] = public or [object]


def setup(app):
    app.connect("missing-reference", _resolve_reexport)
    app.connect("env-check-consistency", _check_public_names)
    app.connect("autodoc-process-bases", _hide_private_bases)
    app.connect("autodoc-process-signature", _readable_attrs_defaults)
    app.connect("doctree-read", _add_module_globals)
    # Before numpydoc (priority 500) turns the docstring of ``tuple`` into sections.
    app.connect("autodoc-process-docstring", _docstring_of_reexported_data, priority=100)
