"""REFI-QDA exchange: codebooks (``.qdc``) and coded projects (``.qdpx``).

Researchers often code in QDA software (MAXQDA, NVivo, ATLAS.ti, QualCoder,
Taguette) rather than in spreadsheets.  REFI-QDA (https://www.qdasoftware.org)
is the open standard those programs exchange codebooks and projects in:

* a *codebook* (``.qdc``) is XML in the namespace
  ``urn:QDA-XML:codebook:1.0``: a tree of codes, each with a GUID, a name,
  whether it may be coded, an optional colour and description;
* a *project* (``.qdpx``) is a zip archive holding ``project.qde`` (XML in
  ``urn:QDA-XML:project:1.0``: users, the codebook, the text sources with
  their coded selections, each coding recording the user who made it) and a
  ``sources/`` folder with the texts.

:func:`write_qdc` exports a framework's coding rules for a QDA program;
:func:`read_qdc` reads any program's codebook back into a taxonomy;
:func:`read_qdpx` turns a coded project into one :class:`~policyquant.Corpus`
per coder (a :class:`QDAProject`, ready for
:func:`policyquant.reliability.agreement_report`); :func:`write_qdpx` writes
corpora as a project.  Taguette imports no ``.qdc``: :func:`write_taguette_codebook`
writes the CSV codebook it does import.  All XML is parsed with :mod:`defusedxml` and any
document type declaration is refused, so no entity is expanded and nothing
outside the file is fetched; zip members are read by name, never extracted to
disk, within limits on their number, sizes and compression ratios.

The package holds one job per module: ``_archive`` (reading zip archives
safely), ``_xml`` (parsing and serialising XML, the XML-illegal character
checks, GUIDs), ``codebook`` (``.qdc`` codebooks and Taguette's CSV codebook),
``mapping`` (mapping a project's codes onto a framework) and ``project``
(``.qdpx`` projects).  Every public name is imported from here.
"""

from __future__ import annotations

# Names outside __all__ stay importable from here as before the split: the limits are
# documented as policyquant.io.refi.MAX_MEMBERS and so on, and tests use _parse_xml.
from ._archive import MAX_COMPRESSION_RATIO as MAX_COMPRESSION_RATIO
from ._archive import MAX_MEMBERS as MAX_MEMBERS
from ._archive import MAX_UNCOMPRESSED_BYTES as MAX_UNCOMPRESSED_BYTES
from ._xml import CODEBOOK_NAMESPACE, PROJECT_NAMESPACE, qdc_guid
from ._xml import _parse_xml as _parse_xml
from .codebook import MAX_CODE_DEPTH as MAX_CODE_DEPTH
from .codebook import TAGUETTE_TAG_LENGTH, read_qdc, write_qdc, write_taguette_codebook
from .mapping import INSTRUMENT_BRANCH_NAMES as INSTRUMENT_BRANCH_NAMES
from .mapping import OBJECTIVE_BRANCH_NAMES as OBJECTIVE_BRANCH_NAMES
from .mapping import SCALE_BRANCH_NAMES as SCALE_BRANCH_NAMES
from .project import QDAProject, read_qdpx, write_qdpx

__all__ = [
    "CODEBOOK_NAMESPACE",
    "PROJECT_NAMESPACE",
    "TAGUETTE_TAG_LENGTH",
    "QDAProject",
    "qdc_guid",
    "read_qdc",
    "read_qdpx",
    "write_qdc",
    "write_qdpx",
    "write_taguette_codebook",
]
