"""The REFI-QDA fixture folders under ``tests/data/refi`` zipped into ``.qdpx`` projects.

A fixture is kept unzipped so that its ``project.qde`` reads in a diff; the tests of the
readers, of bad inputs and of the command line zip it (edited or not) when they need it.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path

REFI_DATA = Path(__file__).parent / "data" / "refi"


def zip_fixture(
    folder: Path, target: Path, *, replace: Mapping[str, str] | None = None, drop: Iterable[str] = ()
) -> Path:
    """Zip a fixture folder into a .qdpx, replacing text in project.qde and leaving out ``drop``."""
    drop = set(drop)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            name = path.relative_to(folder).as_posix()
            if not path.is_file() or name in drop:
                continue
            data = path.read_bytes()
            if name == "project.qde" and replace:
                text = data.decode("utf-8")
                for old, new in replace.items():
                    assert old in text, old
                    text = text.replace(old, new)
                data = text.encode("utf-8")
            archive.writestr(name, data)
    return target
