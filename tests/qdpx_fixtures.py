"""The REFI-QDA fixture folders under ``tests/data/refi`` zipped into ``.qdpx`` projects.

A fixture is kept unzipped so that its ``project.qde`` reads in a diff; the tests of the
readers, of bad inputs and of the command line zip it (edited or not) when they need it.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from xml.etree import ElementTree as ET

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


USER_GUID = "A0000000-0000-4000-8000-000000000001"


def build_project(
    target: Path,
    codes: str,
    text: str,
    selections: Iterable[tuple[int, int, Iterable[str]]],
    *,
    user: str = "Li Hua",
    origin: str = "MAXQDA 2022 (Release 22.7.0)",
) -> Path:
    """A .qdpx as a QDA program exports it: ``codes`` (the XML of Code elements), one text source.

    The text is stored as ``sources/<guid>.txt`` (UTF-8); each selection ``(start, end, code
    GUIDs)`` is coded by one user with every code it names.
    """
    source = "11111111-1111-4111-8111-111111111111"
    parts = []
    for n, (start, end, guids) in enumerate(selections, 1):
        codings = "".join(
            f'<Coding guid="D0000000-0000-4000-8000-{n:06d}{m:06d}" creatingUser="{USER_GUID}">'
            f'<CodeRef targetGUID="{guid}"/></Coding>'
            for m, guid in enumerate(guids, 1)
        )
        parts.append(
            f'<PlainTextSelection guid="51000000-0000-4000-8000-{n:012d}" startPosition="{start}" '
            f'endPosition="{end}" creatingUser="{USER_GUID}">{codings}</PlainTextSelection>'
        )
    qde = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<Project xmlns="urn:QDA-XML:project:1.0" name="fixture" origin="{origin}" '
        f'creatingUserGUID="{USER_GUID}">'
        f'<Users><User guid="{USER_GUID}" name="{user}"/></Users>'
        f"<CodeBook><Codes>{codes}</Codes></CodeBook>"
        f'<Sources><TextSource guid="{source}" name="D1" plainTextPath="internal://{source}.txt">'
        + "".join(parts)
        + "</TextSource></Sources></Project>"
    )
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", qde.encode("utf-8"))
        archive.writestr(f"sources/{source}.txt", text.encode("utf-8"))
    return target


PROJECT_NS = "{urn:QDA-XML:project:1.0}"


def edit_project(source: Path, target: Path, edit: Callable[[ET.Element], None]) -> Path:
    """Copy a .qdpx, changing its ``project.qde`` with ``edit`` (which changes the tree in place).

    Stands in for a QDA program that imports a project and exports it again with its own
    changes (new GUIDs, renamed codes, selections merged or split); the other members are
    copied as they are.
    """
    ET.register_namespace("", PROJECT_NS.strip("{}"))
    with zipfile.ZipFile(source) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    root = ET.fromstring(members["project.qde"])
    edit(root)
    members["project.qde"] = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return target
