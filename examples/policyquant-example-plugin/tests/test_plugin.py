"""Tests of the example plugin, run against the *installed* package.

Install it first (``pip install .`` in this folder), so that the entry point is
real: policyquant must find the plugin the way it finds any plugin from PyPI.
"""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys

import pandas as pd
import policyquant_example_plugin
import pytest
from hypothesis import given, settings

import policyquant as pq
from policyquant.plugins import FrameworkRegistry
from policyquant.testing import check_framework, corpora

DISTRIBUTION = "policyquant-example-plugin"


def entry_point() -> importlib.metadata.EntryPoint:
    try:
        importlib.metadata.distribution(DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError:
        pytest.fail(f"{DISTRIBUTION} is not installed: run `pip install .` in its folder first")
    (point,) = [ep for ep in importlib.metadata.entry_points(group="policyquant") if ep.name == "example"]
    return point


def test_the_framework_passes_the_conformance_checks():
    report = check_framework(policyquant_example_plugin.green_framework())
    assert report.skipped == ()
    assert report.score_range == (1.0, 12.0)


def test_the_entry_point_names_the_plugin_module():
    assert entry_point().value == "policyquant_example_plugin"


def test_policyquant_finds_the_installed_plugin():
    entry_point()
    framework = pq.get_framework("example-green")
    assert framework == policyquant_example_plugin.green_framework()
    assert pq.get_framework("green-example") is framework
    row = pq.list_frameworks().set_index("name").loc["example-green"]
    assert (row["plugin"], row["builtin"], row["parts"]) == (
        "example",
        False,
        "instruments, objectives, scale",
    )
    assert pq.plugin_failures() == []


def test_a_fresh_registry_loads_it_from_the_entry_point_too():
    entry_point()
    registry = FrameworkRegistry()
    assert registry.entry("example-green").plugin == "example"
    assert FrameworkRegistry(entry_point_group=None).names().count("example-green") == 0


def test_the_command_line_lists_it():
    entry_point()
    result = subprocess.run(
        [sys.executable, "-m", "policyquant", "frameworks"], capture_output=True, text=True, check=True
    )
    assert "example-green" in result.stdout


def test_coders_may_write_names_in_english_or_chinese():
    green = pq.get_framework("example-green")
    assert green.resolve("instrument", "排污许可") == "environmental_permits"
    assert green.resolve("objective", "decarbonisation") == "climate"
    scores = green.scale.score(pd.DataFrame({"LV": ["法律法规"], "ST": ["量化约束目标"], "EN": ["未明确"]}))
    assert scores.tolist() == [9.0]


@settings(max_examples=25, deadline=None)
@given(corpora(policyquant_example_plugin.green_framework()))
def test_any_corpus_coded_against_it_tabulates(corpus):
    table = pq.crosstab(corpus)
    assert table.total == len(corpus.codings) >= len(corpus.units)
    assert pq.efficacy(corpus).between(1, 12).all()
