"""Bad input files generated on the fly: their size or shape is the point, so they are not committed.

Shared by ``test_bad_inputs.py`` (the library) and ``test_bad_inputs_cli.py`` (the commands).
"""

from __future__ import annotations

from pathlib import Path


def deep_json(tmp: Path) -> Path:
    path = tmp / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    return path


def enormous_cell(tmp: Path) -> Path:
    path = tmp / "enormous.csv"
    path.write_text(
        "unit_id,doc_id,instrument,objectives,AS,MI\n007-1-1,007," + "标" * 300_000 + ",公共安全,5,3\n",
        encoding="utf-8",
    )
    return path
