"""Hook specifications: the extension points a policyquant plugin can implement.

A plugin is any module or object with functions decorated with
:data:`policyquant.hookimpl` whose names match the specifications below.  It is
found either because it is built in (listed in
:data:`policyquant.plugins.DEFAULT_PLUGINS`), because it is installed as an
entry point in the ``policyquant`` group, or because it was registered at run
time with :func:`policyquant.plugins.register_plugin`.

Hooks take a ``register`` callback instead of returning values, so that one
hook call can contribute any number of items and policyquant knows which plugin
contributed each of them.

Every plugin is checked against these specifications as it is registered: a
function marked as a hook under a name that is none of them (a misspelling),
a function named like a hook (``policyquant_...``) without the
:data:`hookimpl` marker, and a plugin without any hook are refused, naming
the function and the closest hook.  A hook marked ``optionalhook=True`` (one a
later policyquant may add) is allowed.  A built-in plugin, or one registered
with :func:`~policyquant.plugins.register_plugin`, raises a
:class:`~policyquant.errors.PluginError`; an installed one is skipped with a
:class:`~policyquant.errors.PluginWarning` and recorded in
:func:`~policyquant.plugins.plugin_failures`.
:func:`policyquant.testing.check_plugin` runs the same check in a plugin's
test suite.
"""

from __future__ import annotations

from collections.abc import Callable

import pluggy

__all__ = [
    "PROJECT_NAME",
    "hookimpl",
    "hookspec",
    "policyquant_register_coders",
    "policyquant_register_dictionaries",
    "policyquant_register_frameworks",
    "policyquant_register_scale_types",
    "policyquant_register_segmenters",
    "policyquant_suggest_document_scores",
]

#: The pluggy project name, also the entry-point group that plugins install into.
PROJECT_NAME = "policyquant"

hookspec = pluggy.HookspecMarker(PROJECT_NAME)

#: Decorator marking a plugin's hook implementations.
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)


@hookspec
def policyquant_register_frameworks(
    register: Callable[..., None],
) -> None:
    """Register frameworks by calling ``register(framework, aliases=())``.

    Parameters
    ----------
    register : callable
        ``register(framework, aliases=())`` adds a
        :class:`~policyquant.Framework` under its name and any extra
        ``aliases``.  It raises
        :class:`~policyquant.errors.DuplicateFrameworkError` if another plugin
        already claimed the name or an alias, and
        :class:`~policyquant.errors.PluginError` if ``framework`` is not a
        :class:`~policyquant.Framework`.

    Examples
    --------
    A plugin module, ``my_frameworks.py``::

        import policyquant as pq

        @pq.hookimpl
        def policyquant_register_frameworks(register):
            register(pq.Framework("my-taxonomy", "My taxonomy", ...), aliases=["mine"])

    installed with an entry point in its ``pyproject.toml``::

        [project.entry-points.policyquant]
        my_frameworks = "my_frameworks"
    """


@hookspec
def policyquant_register_scale_types(
    register: Callable[..., None],
) -> None:
    """Register kinds of efficacy scale by calling ``register(name, factory)``.

    A scale type is what a declarative (TOML) framework names in its
    ``[scale]`` table with ``type = "<name>"``.

    Parameters
    ----------
    register : callable
        ``register(name, factory)``.  ``factory(spec, dimensions)`` receives
        the ``[scale]`` table as a dict (without ``type``) and the framework's
        tuple of :class:`~policyquant.Dimension` objects, and returns an
        :class:`~policyquant.EfficacyScale`.  A name another plugin already
        registered raises :class:`~policyquant.errors.DuplicateFrameworkError`.

    Examples
    --------
    In a plugin module::

        @pq.hookimpl
        def policyquant_register_scale_types(register):
            register("max", lambda spec, dimensions: MaxScale(dimensions))
    """


@hookspec
def policyquant_register_segmenters(
    register: Callable[..., None],
) -> None:
    """Register ways of cutting documents into units by calling ``register(name, segmenter)``.

    ``policyquant.segment(documents, unit=name)`` then uses the segmenter.
    policyquant's own units (``article``, ``item``, ``paragraph``,
    ``sentence``) are registered through this hook too.

    Parameters
    ----------
    register : callable
        ``register(name, segmenter)``.  ``segmenter(text)`` receives one
        document's text and returns its units: a DataFrame or a list of
        mappings, one per unit in text order, each with ``start`` and ``end``
        (character offsets: the unit is ``text[start:end]``; units must not
        overlap) and optionally ``kind`` (default ``"clause"``), ``chapter``
        (default 0), ``article`` (default: numbered 1, 2, ... in order),
        ``article_label``, ``chapter_title`` and the other heading columns
        of :data:`policyquant.documents.segmentation.UNIT_COLUMNS`; columns
        of its own are kept.  It may return ``(units, problems)``, problems
        being mappings with ``problem``, ``message`` and ``start``.  A name
        another plugin already registered raises
        :class:`~policyquant.errors.DuplicateFrameworkError`.

    Examples
    --------
    In a plugin module, one unit per line (numbered 1, 2, ... in order)::

        import re

        @pq.hookimpl
        def policyquant_register_segmenters(register):
            register("line", lambda text: [
                {"start": m.start(), "end": m.end()} for m in re.finditer(r"[^\\s](?:[^\\n]*[^\\s])?", text)
            ])
    """


@hookspec
def policyquant_suggest_document_scores(framework: object, documents: object) -> object:
    """Suggest a framework's document-level scores from the documents' metadata.

    Unlike the ``register`` hooks, which run once when a plugin loads, this
    hook is called each time suggestions are asked for:
    :func:`policyquant.documents.metadata.extract_metadata` with
    ``framework=`` and
    :func:`~policyquant.documents.metadata.suggest_document_scores` call it
    in every plugin that implements it.  Answer only for your own
    framework(s), and ``None`` for any other.

    Parameters
    ----------
    framework : Framework
        The framework the scores are for; compare ``framework.name``.
    documents : pandas.DataFrame
        One row per document (a copy: changing it changes nothing), with the
        metadata columns of :data:`policyquant.documents.metadata.METADATA_COLUMNS`:
        ``form`` (a key of :data:`~policyquant.documents.metadata.DOCUMENT_FORMS`,
        such as ``"条例"`` or ``"通知"``), ``provisional`` (``"暂行"``,
        ``"试行"`` or missing), ``issuer_kind`` (``"legislature"``,
        ``"party"``, ``"state_council"``, ``"government"``, ``"department"``,
        ``"court"`` or missing), ``level`` (``"national"``, ``"provincial"``,
        ``"municipal"``, ``"county"`` or missing), ``doc_number``
        (``"…令第5号"`` for a rule published by order), ``issuers`` and the
        rest.  A column may be missing where the caller's table lacks it.

    Returns
    -------
    pandas.DataFrame or None
        ``None`` when the framework is not yours.  Otherwise one row per
        document, in the same order, with two columns per document-level
        dimension you suggest: ``<key>_suggested`` (the score of one of the
        dimension's levels, or missing where no rule applies) and
        ``<key>_basis`` (the rule that gave it, in words a researcher can
        check, also where none applied).  Anything else, or a dimension
        another plugin suggests too, raises
        :class:`~policyquant.errors.PluginError` naming the plugin.

    Examples
    --------
    In a plugin module, a framework whose document-level dimension ``rank``
    is 2 for State Council documents and 1 for the others::

        import numpy as np
        import pandas as pd

        @pq.hookimpl
        def policyquant_suggest_document_scores(framework, documents):
            if framework.name != "my-framework":
                return None
            state_council = documents["issuer_kind"].eq("state_council").to_numpy()
            return pd.DataFrame({
                "rank_suggested": np.where(state_council, 2, 1),
                "rank_basis": np.where(state_council, "State Council document", "other issuer"),
            })
    """


@hookspec
def policyquant_register_coders(
    register: Callable[..., None],
) -> None:
    """Register machine coders by calling ``register(name, factory)``.

    :func:`policyquant.coders.get_coder` then builds the coder with
    ``factory(framework=framework, **options)``, which must return a
    :class:`policyquant.coders.Coder`.  policyquant's own coders
    (``"dictionary"``, ``"tfidf-linear"``, ``"openai-compatible"``) are
    registered through this hook too.  A name another plugin already
    registered raises :class:`~policyquant.errors.DuplicateFrameworkError`
    (the plugin then fails, like any plugin whose hook fails, and is listed by
    :func:`policyquant.plugins.plugin_failures`).

    Parameters
    ----------
    register : callable
        ``register(name, factory)``: a name (text) and a callable; a
        :class:`~policyquant.coders.Coder` subclass is one.

    Examples
    --------
    In a plugin module, a coder that suggests one instrument for every clause::

        import pandas as pd
        from policyquant.coders import Coder, Suggestions, units_frame

        class Always(Coder):
            name = "always"
            default_fields = ("instrument",)

            def suggest(self, units, top=3):
                units = units_frame(units)
                rows = pd.DataFrame({"unit_id": units["unit_id"], "field": "instrument",
                                     "code": "standards_and_norms", "score": 0.5})
                return Suggestions.build(rows, coder=self.name, framework=self.framework,
                                         unit_ids=units["unit_id"], fields=self.fields)

        @pq.hookimpl
        def policyquant_register_coders(register):
            register("always", Always)
    """


@hookspec
def policyquant_register_dictionaries(
    register: Callable[..., None],
) -> None:
    """Ship a starter coding dictionary for a framework: ``register(framework_name, source)``.

    ``source`` is a :class:`policyquant.coders.Dictionary`, the path of a
    TOML dictionary file (a :class:`pathlib.Path` or
    :mod:`importlib.resources` file) or its text.
    :meth:`policyquant.coders.Dictionary.starter` and
    ``get_coder("dictionary", framework=name)`` load it; it is read only
    then, and checked against the framework then.  One dictionary per
    framework: a second raises
    :class:`~policyquant.errors.DuplicateFrameworkError`.

    Parameters
    ----------
    register : callable
        ``register(framework_name, source)``.

    Examples
    --------
    In a framework plugin that ships ``my_dictionary.toml`` next to its module::

        from importlib.resources import files

        @pq.hookimpl
        def policyquant_register_dictionaries(register):
            register("my-framework", files(__package__) / "my_dictionary.toml")
    """
