"""Reading and writing coded corpora (CSV, Excel, Parquet, JSON).

See :func:`read_coding` and :func:`write_coding`.
"""

from .columns import HEADER_ALIASES, standardize_columns
from .tabular import CSV_ENCODINGS, FORMATS, SHEET_NAMES, read_coding, read_table, write_coding

__all__ = [
    "CSV_ENCODINGS",
    "FORMATS",
    "HEADER_ALIASES",
    "SHEET_NAMES",
    "read_coding",
    "read_table",
    "standardize_columns",
    "write_coding",
]
