"""Reading policy documents: the 1,564 legal texts of ../shared/anchors, and PDFs, against the floors.

``read_documents`` of the lawrefbook folder (1,564 Markdown files, 25 MB) is
timed against the floor of reading the same files with plain Python
(``path.read_bytes().decode("utf-8")`` each): what it adds is detecting the
encoding, the SHA-256 of every file, titles, the duplicate check and the
table.  Throughput in MB/s of file bytes.

PDF reading is timed in pages per second against pdfplumber alone (open,
``extract_text`` of every page), on a sample of the texts rendered to PDF by
LibreOffice (skipped where it is not installed), read in one process and, for
the pool's worth, in two.
"""

from __future__ import annotations

import statistics
import tarfile
import tempfile
import time
import warnings
from pathlib import Path

from .harness import Measurement, measure, report

ARCHIVE = Path(__file__).resolve().parents[2] / "shared" / "anchors" / "lawrefbook" / "national.tar.xz"


def _floor(files: list[Path]) -> list[str]:
    return [file.read_bytes().decode("utf-8") for file in files]


def _pdfplumber_alone(files: list[Path]) -> int:
    import pdfplumber

    pages = 0
    for file in files:
        with pdfplumber.open(file) as pdf:
            for page in pdf.pages:
                page.extract_text()
                page.close()
                pages += 1
    return pages


def _render_pdfs(sources: list[Path], folder: Path) -> list[Path]:
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    from documents_fixtures import convert_to_pdf, markdown_lines, soffice, write_docx

    if soffice() is None:
        return []
    words = [write_docx(markdown_lines(file.read_text(encoding="utf-8")), folder / f"{i:03d}.docx") for i, file in enumerate(sources)]
    pdfs = convert_to_pdf(words, folder)
    for word in words:
        word.unlink()
    return pdfs


def run(quick: bool = False) -> list[str]:
    from policyquant.documents import read_documents, reading

    if not ARCHIVE.exists():
        return [f"## documents: skipped ({ARCHIVE} is absent)"]
    lines: list[str] = []
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        with tarfile.open(ARCHIVE) as archive:
            archive.extractall(root / "law", filter="data")
        folder = root / "law" / "national"
        files = sorted(folder.rglob("*.md"))
        if quick:
            for file in files[200:]:
                file.unlink()
            files = files[:200]
        size = sum(file.stat().st_size for file in files)

        def ours() -> None:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                read_documents(folder, progress=False)

        mine = measure("read_documents(folder)", ours, repeat=3 if quick else 5)
        floor = measure("read_bytes().decode() of each file (the floor)", lambda: _floor(files), repeat=3 if quick else 5)
        lines += report(f"documents: {len(files):,} Markdown texts, {size / 1e6:.1f} MB", mine, [floor])
        lines.append(
            f"  throughput: read_documents {size / 1e6 / mine.seconds:.0f} MB/s, floor {size / 1e6 / floor.seconds:.0f} MB/s; "
            f"{mine.seconds / floor.seconds:.1f}x the floor's time"
        )

        pdf_folder = root / "pdf"
        pdf_folder.mkdir()
        sample = files[:: max(1, len(files) // (4 if quick else 24))][: 4 if quick else 24]
        pdfs = _render_pdfs(sample, pdf_folder)
        if not pdfs:
            lines.append("## documents: PDF pages skipped (LibreOffice is not installed)")
            return lines
        pages = _pdfplumber_alone(pdfs)
        original = reading.PARALLEL_MIN_FILES

        def serial() -> None:
            reading.PARALLEL_MIN_FILES = 1 << 30
            try:
                read_documents(pdf_folder, progress=False)
            finally:
                reading.PARALLEL_MIN_FILES = original

        def pooled() -> None:
            reading.PARALLEL_MIN_FILES = 2
            try:
                read_documents(pdf_folder, progress=False)
            finally:
                reading.PARALLEL_MIN_FILES = original

        # Interleaved, so that a busy moment of a shared machine hits every variant alike.
        variants = {
            "read_documents, one process": serial,
            "read_documents, a pool of 2 processes": pooled,
            "pdfplumber alone (extract_text per page)": lambda: _pdfplumber_alone(pdfs),
        }
        runs: dict[str, list[float]] = {name: [] for name in variants}
        for _ in range(1 if quick else 5):
            for name, function in variants.items():
                started = time.perf_counter()
                function()
                runs[name].append(time.perf_counter() - started)
        one, two, alone = (Measurement(name, statistics.median(times), times) for name, times in runs.items())
        lines += report(f"documents: {len(pdfs)} PDFs rendered by LibreOffice, {pages} pages", [one, two], [alone])
        lines.append("  pages per second: " + ", ".join(f"{m.name} {pages / m.seconds:.0f}" for m in (one, two, alone)))
    return lines
