"""A real coded sample: 513 articles of seven Chinese national laws and regulations, coded twice and adjudicated.

The articles of seven published texts on data, networks, algorithms, e-commerce and
science and technology (the Data Security Law, the Personal Information Protection Law,
the Cybersecurity Law, the Network Data Security Management Regulations, the Provisions on
Algorithm Recommendation, the E-Commerce Law and the Science and Technology Progress Law),
as :func:`policyquant.segment` cuts them from the LawRefBook collection of China's national
laws, coded with the ``wang2026`` framework as the reference study coded its clauses: two
independent passes (``"pass1"``, ``"pass2"``) and an adjudication of every disagreement
(``"adjudicated"``).  Who coded: the project's developers, who are AI agents; each pass was
made by separate agent sessions that could not see each other's codes, and the adjudication
by a third, which saw both passes and the disagreement sheet of
:func:`policyquant.reliability.disagreements`.  The codes are a test bed for the
agreement statistics and the machine coders, not a published study's data.

The package holds the ids and the codes only (``data/law_sample/``: ``documents.csv``,
``pass1.csv`` and ``pass2.csv`` with each coder's memo per article, ``decisions.csv``, the
adjudicator's decision and reason for each of the 247 rows the disagreement sheet had then, and
``adjudicated.csv``, what :func:`policyquant.reliability.adjudicate` makes of the two passes
and those decisions, with the reasons as memos).  The statute texts are public (official legislative and administrative
documents, which Article 5 of China's Copyright Law excludes from copyright), but they are
read from the reader's own copy of the collection: ``laws=`` names it.
"""

from __future__ import annotations

import os
import tarfile
import tempfile
from pathlib import Path

import pandas as pd

from .._i18n import _
from ..corpus import Corpus
from ..errors import ValidationError

__all__ = ["LAW_SAMPLE_CODERS", "load_law_sample"]

#: The codings of the sample: the two independent passes and the adjudicated codes.
LAW_SAMPLE_CODERS = ("pass1", "pass2", "adjudicated")


def _data(name: str) -> Path:
    from . import data_path

    return data_path(f"law_sample/{name}")


def _law_files(laws: str | os.PathLike[str], wanted: list[str], folder: Path) -> list[Path]:
    """The sample's Markdown files from a LawRefBook folder or its ``.tar.xz``, copied into ``folder``."""
    source = Path(laws)
    names = {Path(name).name: name for name in wanted}
    found: dict[str, Path] = {}
    if source.is_file() and tarfile.is_tarfile(source):
        with tarfile.open(source) as archive:
            members = [m for m in archive.getmembers() if m.isfile() and Path(m.name).name in names]
            archive.extractall(folder, members=members, filter="data")
        found = {Path(m.name).name: folder / m.name for m in members}
    elif source.is_dir():
        # Any layout: the collection's own tree, a checkout of it, or the files in one folder.
        found = {path.name: path for path in source.rglob("*.md") if path.name in names}
    else:
        raise ValidationError(
            _("{path}: not a folder or a .tar.xz of the LawRefBook collection").format(path=source)
        )
    missing = sorted(set(names) - set(found))
    if missing:
        raise ValidationError(
            _("{path}: the law sample needs {files}, not found there").format(path=source, files=", ".join(missing))
        )
    return [found[Path(name).name] for name in wanted]


def _texts(laws: str | os.PathLike[str], documents: pd.DataFrame) -> pd.DataFrame:
    """unit_id and text of every article of the sample's documents, as :func:`policyquant.segment` cuts them."""
    from ..documents import read_documents, segment

    with tempfile.TemporaryDirectory() as scratch:
        files = _law_files(laws, documents["file"].tolist(), Path(scratch))
        # One folder of the files, so that their ids are their names (as in the committed codes).
        flat = Path(scratch) / "sample"
        flat.mkdir()
        for path in files:
            (flat / path.name).write_bytes(path.read_bytes())
        units = segment(read_documents(flat, progress=False)).to_frame()
    return units.loc[units["kind"] == "clause", ["unit_id", "text"]]


def load_law_sample(coder: str = "adjudicated", *, laws: str | os.PathLike[str] | None = None) -> Corpus:
    """513 real articles of Chinese national laws and regulations, coded with ``wang2026``.

    See the module documentation for what the sample is and who coded it.

    Parameters
    ----------
    coder : {"adjudicated", "pass1", "pass2"}
        Which coding: either independent pass, or the adjudicated codes.
    laws : path, optional
        The LawRefBook collection of national laws (a folder, in any layout,
        holding the seven Markdown files, or its ``.tar.xz``): the articles'
        texts are read from it, cut by :func:`policyquant.segment`, and
        checked to be exactly the coded articles.  Without it the units have
        no ``text`` column (enough for the agreement statistics).

    Returns
    -------
    Corpus
        7 documents; 513 articles, those coded ``none`` in
        :attr:`Corpus.not_coded`; each article's ``memo`` is its coder's.

    Raises
    ------
    ValidationError
        For an unknown coder (with the choices), a ``laws`` path that is not
        the collection or lacks one of the files, or texts whose articles are
        not the coded ones (another version of a law).

    Examples
    --------
    >>> import policyquant as pq
    >>> from policyquant.datasets import load_law_sample
    >>> sample = load_law_sample()
    >>> len(sample.documents), len(sample.all_units())
    (7, 513)
    >>> from policyquant.reliability import agreement_report
    >>> passes = {name: load_law_sample(name) for name in ("pass1", "pass2")}
    >>> round(float(agreement_report(passes).to_frame().loc["instrument", "estimate"]), 2)
    0.92
    """
    if coder not in LAW_SAMPLE_CODERS:
        raise ValidationError(
            _("unknown coder {coder!r} of the law sample; choose from {choices}").format(
                coder=coder, choices=", ".join(LAW_SAMPLE_CODERS)
            )
        )
    from ..io import read_coding

    documents = pd.read_csv(_data("documents.csv"), dtype=str, keep_default_na=False, encoding="utf-8")
    units = pd.read_csv(_data(f"{coder}.csv"), dtype=str, keep_default_na=False, encoding="utf-8")
    units = units.replace("", None)
    if laws is not None:
        texts = _texts(laws, documents)
        coded, read = set(units["unit_id"]), set(texts["unit_id"])
        if coded != read:
            raise ValidationError(
                _(
                    "{path}: its articles are not the coded ones (another version of a law?): "
                    "{missing} coded article(s) not found, {extra} article(s) not coded; first: {first}"
                ).format(
                    path=laws,
                    missing=len(coded - read),
                    extra=len(read - coded),
                    first=", ".join(sorted(coded ^ read)[:3]),
                )
            )
        units = units.merge(texts, on="unit_id", how="left")
    return read_coding(units, documents, framework="wang2026")
