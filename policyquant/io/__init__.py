"""Reading and writing coded corpora (CSV, Excel, Parquet, JSON, REFI-QDA).

See :func:`read_coding` and :func:`write_coding`; :func:`read_qdpx` and
:func:`write_qdc` exchange coding with QDA software.
"""

from .columns import HEADER_ALIASES, standardize_columns
from .refi import (
    CODEBOOK_NAMESPACE,
    PROJECT_NAMESPACE,
    QDAProject,
    qdc_guid,
    read_qdc,
    read_qdpx,
    write_qdc,
    write_qdpx,
    write_taguette_codebook,
)
from .tabular import CSV_ENCODINGS, FORMATS, SHEET_NAMES, read_coding, read_table, write_coding
from .template import write_coding_template

__all__ = [
    "CODEBOOK_NAMESPACE",
    "CSV_ENCODINGS",
    "FORMATS",
    "HEADER_ALIASES",
    "PROJECT_NAMESPACE",
    "SHEET_NAMES",
    "QDAProject",
    "qdc_guid",
    "read_coding",
    "read_qdc",
    "read_qdpx",
    "read_table",
    "standardize_columns",
    "write_coding",
    "write_coding_template",
    "write_qdc",
    "write_qdpx",
    "write_taguette_codebook",
]
