"""The self-contained HTML report: content, notes for what cannot be computed, bad input, a browser."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import html
import io
import json
import os
import re
import select
import shutil
import subprocess
import time
from html.parser import HTMLParser
from pathlib import Path

import attrs
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import policyquant as pq
from policyquant.datasets import data_path
from policyquant.reporting import SECTIONS, _frame_table, render_report, report

SOURCES = [data_path("genai_china_documents.csv"), data_path("genai_china_units.csv")]


@pytest.fixture(scope="module")
def corpus() -> pq.Corpus:
    return pq.datasets.load_genai_china()


@pytest.fixture(scope="module")
def coders(corpus: pq.Corpus) -> dict[str, pq.Corpus]:
    units = corpus.units.copy()
    # Coder B reads two clauses' audience scope differently: two disagreements to adjudicate.
    units.loc[0, "AS"] = 1
    units.loc[1, "AS"] = 1
    other = pq.Corpus(corpus.documents, units)
    return {"A": corpus, "B": other}


@pytest.fixture(scope="module")
def english(
    corpus: pq.Corpus, coders: dict[str, pq.Corpus], tmp_path_factory: pytest.TempPathFactory
) -> Path:
    folder = tmp_path_factory.mktemp("report")
    return report(corpus, folder, coders=coders, sources=SOURCES, title="GenAI regulation in China")


@pytest.fixture(scope="module")
def english_html(english: Path) -> str:
    return english.read_text(encoding="utf-8")


class _Tables(HTMLParser):
    """Every table of a page as rows of cell texts, by the table's id (or its position)."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._current: list[list[str]] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._current = []
            self.tables[dict(attrs).get("id") or f"#{len(self.tables)}"] = self._current
        elif tag == "tr" and self._current is not None:
            self._current.append([])
        elif tag in ("td", "th") and self._current is not None:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self._current is not None:
            self._current[-1].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "table":
            self._current = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def tables_of(text: str) -> dict[str, list[list[str]]]:
    parser = _Tables()
    parser.feed(text)
    return parser.tables


def section(text: str, anchor: str) -> str:
    match = re.search(rf'<section id="{anchor}">(.*?)</section>', text, re.DOTALL)
    assert match, f"no section {anchor}"
    return match.group(1)


# -- The example corpus ----------------------------------------------------------------------


def test_every_section_in_order_with_a_table_of_contents(english_html: str) -> None:
    positions = [english_html.index(f'<section id="{anchor}">') for anchor in SECTIONS]
    assert positions == sorted(positions)
    contents = re.search(r'<nav class="toc".*?</nav>', english_html, re.DOTALL).group(0)
    assert re.findall(r'href="#([^"]+)"', contents) == list(SECTIONS)
    assert "<title>GenAI regulation in China</title>" in english_html
    assert 'class="note"' not in english_html  # every part computes for the study's corpus


def test_table4_is_the_published_table(english_html: str) -> None:
    rows = tables_of(english_html)["table4-counts"]
    framework = pq.get_framework("wang2026")
    published = pq.datasets.table4()
    by_label = {row[0]: row[1:] for row in rows[2:]}
    objectives = list(framework.objective_keys)
    for key in published.index:
        cells = by_label[framework.get("instrument", key).label]
        counts = [int(cells[2 * i]) for i in range(len(objectives))]
        assert counts == published.loc[key, objectives].tolist(), key
        assert int(cells[2 * len(objectives)]) == published.loc[key, "total"]
    assert by_label["Total"][-2:] == ["908", "100.00"]
    assert by_label["Mandatory total"][:2] == ["51", "41.13"]
    assert by_label["Standards and Norms"][1] == "22.58"


def test_efficacy_fit_and_trend_numbers(english_html: str, corpus: pq.Corpus) -> None:
    tables = tables_of(section(english_html, "efficacy"))
    by_objective = next(rows for rows in tables.values() if rows[1][0] == "Statutory Rights Protection")
    assert [row[2] for row in by_objective[1:]] == ["19.92", "15.52", "15.24", "11.73"]
    fit = section(english_html, "fit")
    assert "χ²(45) = 175.23" in fit and "Cramér&#39;s V = 0.254" in fit
    residuals = next(iter(tables_of(fit).values()))
    pilots = next(row for row in residuals if row[0] == "Pilot and Demonstration")
    assert pilots[-1] == "5.16"
    years = next(iter(tables_of(section(english_html, "trends")).values()))
    assert [row[1] for row in years[1:]] == [str(n) for n in pq.trends(corpus).to_frame()["documents"]]


def test_network_authority_and_portfolios(english_html: str) -> None:
    centrality = next(iter(tables_of(section(english_html, "network")).values()))
    assert centrality[1][:2] == ["Cyberspace Administration of China", "14"]
    assert len(centrality) - 1 == 52
    authority = next(iter(tables_of(section(english_html, "authority")).values()))
    china = next(row for row in authority if row[0] == "China")
    assert china == ["China", "2", "3", "5", "11", "6", "27"]
    portfolios = tables_of(section(english_html, "portfolios"))
    by_level = next(rows for rows in portfolios.values() if rows[0][1:] == ["National", "Provincial"])
    assert by_level[1] == ["Portfolio space", "64", "64"]


def test_reliability_with_coders(english_html: str) -> None:
    part = section(english_html, "reliability")
    agreement = next(iter(tables_of(part).values()))
    header = agreement[0]
    assert "α" in header
    rows = {row[0]: dict(zip(header, row, strict=True)) for row in agreement[1:]}
    assert rows["Policy instrument"]["α"] == "1.000"
    assert float(rows["AS Audience scope"]["α"]) < 1
    assert "2 disagreements" in part


def test_provenance_records_sources_and_versions(english_html: str) -> None:
    part = section(english_html, "provenance")
    for source in SOURCES:
        digest = hashlib.sha256(Path(source).read_bytes()).hexdigest()
        assert f'<td class="text">{digest}</td>' in part
        assert Path(source).name in part
    assert pq.__version__ in part and pd.__version__ in part and np.__version__ in part
    assert "policyquant.frameworks.howlett_ramesh" in part
    assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC", part)


def test_figures_are_inline_svg_and_nothing_is_loaded(english_html: str) -> None:
    assert english_html.count("<svg") >= 9
    assert english_html.count("<figure>") == english_html.count("<svg")
    assert "<?xml" not in english_html and "<!DOCTYPE svg" not in english_html
    for pattern in (
        r"""\b(src|href|xlink:href)\s*=\s*["']?\s*(https?:|//)""",
        r"""url\(\s*["']?\s*(https?:|//)""",
        r"@import",
        r"<(script|link|img|iframe|object|embed)\b",
    ):
        assert not re.search(pattern, english_html, re.IGNORECASE), pattern
    # Every id is unique, so that one figure's clip paths and glyphs never stand in for another's.
    ids = re.findall(r'\bid="([^"]+)"', english_html)
    assert len(ids) == len(set(ids))
    references = set(re.findall(r'(?:href="#|url\(#)([^")]+)', english_html))
    assert references <= set(ids)


def test_figures_are_closed(corpus: pq.Corpus) -> None:
    before = plt.get_fignums()
    render_report(corpus)
    assert plt.get_fignums() == before


def test_chinese_report(corpus: pq.Corpus, tmp_path: Path) -> None:
    written = report(corpus, tmp_path / "zh.html", language="zh-CN")
    text = written.read_text(encoding="utf-8")
    assert '<html lang="zh-Hans">' in text
    for heading in (
        "语料概况",
        "政策工具 × 政策目标（表4）",
        "政策效力",
        "发文机构合作网络",
        "编码手册",
        "来源与版本信息",
    ):
        assert heading in text
    rows = tables_of(text)["table4-counts"]
    assert rows[2][:3] == ["强制型小计", "51", "41.13"]
    assert rows[3][0] == "标准规范"
    assert "未提供各编码员的语料" in section(text, "reliability")
    assert text.count("<svg") >= 9


def test_same_report_twice_with_a_fixed_date(corpus: pq.Corpus, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    first = render_report(corpus)
    assert "2023-11-14 22:13:20 UTC" in first
    assert render_report(corpus) == first


# -- Corpora the report cannot fully analyse ---------------------------------------------------


def note_of(text: str, anchor: str) -> str:
    notes = re.findall(r'<p class="note">(.*?)</p>', section(text, anchor), re.DOTALL)
    assert len(notes) == 1, (anchor, notes)
    return html.unescape(notes[0])


def test_taxonomy_only_framework_gives_notes(tmp_path: Path) -> None:
    units = pd.DataFrame(
        {
            "unit_id": ["A-1-1", "A-1-2", "B-1-1", "B-2-1"],
            "instrument": ["regulation", "subsidies", "taxes_and_user_charges", "Regulation"],
        }
    )
    corpus = pq.Corpus(None, units, "howlett-ramesh-1995")
    text = report(corpus, tmp_path).read_text(encoding="utf-8")
    assert note_of(text, "table4") == (
        "Not computed: 'objective' can only group codings of a framework with objectives"
    )
    assert "has no efficacy scale" in note_of(text, "efficacy")
    assert "objectives" in note_of(text, "fit")
    assert "year or date column" in note_of(text, "trends")
    assert "issuers column" in note_of(text, "network")
    assert "no document-level dimension" in note_of(text, "authority")
    assert "needs both instruments and objectives" in note_of(text, "portfolios")
    assert "no coders" in note_of(text, "reliability")
    assert "no input files" in note_of(text, "provenance")
    overview = section(text, "overview")
    assert "no document has a year or date" in overview and "the documents have no issuers column" in overview
    codebook = tables_of(section(text, "codebook"))
    assert sum(len(rows) - 1 for rows in codebook.values()) == 3 + 10  # families and instruments
    assert "not registered" not in section(text, "provenance")


def small_corpus(years: list[int], issuers: list[str] | None = None) -> pq.Corpus:
    documents = pd.DataFrame(
        {"doc_id": [f"D{i}" for i in range(len(years))], "year": years, "DA": [3] * len(years)}
    )
    if issuers is not None:
        documents["issuers"] = issuers
    units = pd.DataFrame(
        {
            "unit_id": [f"D{i}-1-{j}" for i in range(len(years)) for j in (1, 2)],
            "instrument": ["standards_and_norms", "pilots_and_demonstrations"] * len(years),
            "objectives": ["public safety", "application scenarios; rights protection"] * len(years),
            "AS": [5, 3] * len(years),
            "MI": [3, 1] * len(years),
        }
    )
    return pq.Corpus(documents, units)


def test_single_year() -> None:
    text = render_report(small_corpus([2023, 2023]))
    assert (
        note_of(text, "trends") == "Not computed: every document is from 2023: trends need at least two years"
    )
    assert (
        note_of(text, "authority") == "Not computed: cannot group documents by 'region': not a document field"
    )
    assert 'class="note"' not in section(text, "fit") + section(text, "efficacy") + section(
        text, "portfolios"
    )
    efficacy = tables_of(section(text, "efficacy"))
    by_objective = next(rows for rows in efficacy.values() if rows[1][0] == "Statutory Rights Protection")
    # DA 3 x (AS 3 + MI 1) = 12 for the clause serving rights protection, in both documents.
    assert by_objective[1][1:3] == ["2", "12.00"]


def test_framework_built_in_code_without_scores() -> None:
    copy = attrs.evolve(pq.get_framework("wang2026"), name="my-copy")
    units = pd.DataFrame(
        {"unit_id": ["X-1-1"], "instrument": ["infrastructure"], "objectives": ["public safety"]}
    )
    text = render_report(pq.Corpus(None, units, copy))
    assert "not registered" in section(text, "provenance")
    assert note_of(text, "efficacy") == (
        "Not computed: cannot compute efficacy: the corpus has no scores for DA (document level), "
        "AS (unit level), MI (unit level)"
    )
    assert note_of(text, "fit").startswith("Not computed: a fit test needs at least two instrument")
    assert note_of(text, "authority") == "Not computed: the documents have no DA scores"
    rows = tables_of(text)["table4-counts"]
    assert rows[-1][:2] == ["Total", "0"] and rows[-1][-2:] == ["1", "100.00"]


def test_user_text_is_escaped() -> None:
    corpus = small_corpus([2022, 2023], issuers=["<b>Bureau</b>; Office & Co", "Office & Co"])
    text = render_report(corpus, title="<script>alert(1)</script>")
    assert "<script>" not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "<b>Bureau" not in text and "&lt;b&gt;Bureau&lt;/b&gt;" in text
    assert "Office &amp; Co" in text


# -- Paths and bad input ----------------------------------------------------------------------


def test_paths(tmp_path: Path) -> None:
    corpus = small_corpus([2022, 2023])
    assert report(corpus, tmp_path / "new" / "folder") == tmp_path / "new" / "folder" / "report.html"
    assert report(corpus, tmp_path / "deep" / "name.HTML") == tmp_path / "deep" / "name.HTML"
    (tmp_path / "looks.html").mkdir()
    assert report(corpus, str(tmp_path / "looks.html")) == tmp_path / "looks.html" / "report.html"
    for written in tmp_path.rglob("*.html"):
        if written.is_file():
            assert written.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_bad_arguments(corpus: pq.Corpus, tmp_path: Path) -> None:
    with pytest.raises(pq.ValidationError, match=r"unknown language 'fr'; choose one of en, zh"):
        render_report(corpus, language="fr")
    with pytest.raises(pq.ValidationError, match=r"did you mean zh"):
        render_report(corpus, language="zhh")
    with pytest.raises(pq.InputTypeError, match=r"report expects a Corpus .*; got a pandas DataFrame"):
        render_report(corpus.units)
    with pytest.raises(pq.ValidationError, match=r"coders must be a mapping"):
        render_report(corpus, coders=[corpus, corpus])
    with pytest.raises(pq.ValidationError, match=r"not a Corpus: B"):
        render_report(corpus, coders={"A": corpus, "B": corpus.units})
    missing = tmp_path / "gone.csv"
    with pytest.raises(pq.ReadError, match=r"cannot be hashed") as raised:
        report(corpus, tmp_path, sources=[SOURCES[0], missing, tmp_path])
    problems = raised.value.problems
    assert problems["file"].tolist() == [str(missing), str(tmp_path)]
    assert problems["problem"].tolist() == ["file not found", "not a file"]
    assert not (tmp_path / "report.html").exists()  # nothing half-written


def test_reliability_problems_are_notes(corpus: pq.Corpus) -> None:
    # The same kinds of columns, but clauses no other coder coded.
    other = small_corpus([2022, 2023])
    text = render_report(corpus, coders={"A": corpus, "B": other})
    assert note_of(text, "reliability") == (
        "Not computed: no clause was coded by two coders: check that the coders' unit_ids match"
    )


# -- Tables -----------------------------------------------------------------------------------

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)


@settings(max_examples=60, deadline=None)
@given(
    floats=st.lists(st.one_of(finite, st.just(float("nan"))), min_size=1, max_size=8),
    decimals=st.integers(min_value=0, max_value=4),
)
def test_cells_show_values_at_the_given_decimals(floats: list[float], decimals: int) -> None:
    frame = pd.DataFrame(
        {"value": floats, "count": range(len(floats)), "name": [f"<{i}&>" for i in range(len(floats))]}
    )
    table = _frame_table(
        frame,
        1,
        "caption",
        decimals=decimals,
        index_title="",
        index_labels=None,
        column_labels={},
        row_css=None,
        cell_css=None,
        anchor=None,
    )
    assert [row.label for row in table.rows] == [str(i) for i in range(len(floats))]
    for row, value, count in zip(table.rows, floats, range(len(floats)), strict=True):
        shown, counted, name = row.cells
        assert shown.numeric and counted.numeric and not name.numeric
        if np.isnan(value):
            assert shown.text == "–" and "na" in shown.css
        else:
            assert shown.text == f"{value:.{decimals}f}"
            assert abs(float(shown.text) - value) <= 0.5 * 10**-decimals + 1e-9 * abs(value)
        assert counted.text == str(count)
        assert name.text == f"<{count}&>"  # escaped by the template, not here


# -- In a browser -----------------------------------------------------------------------------


def _browser() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


class _DevTools:
    """Headless Chromium driven over the DevTools protocol on a pipe (fds 3 and 4), standard library only."""

    def __init__(self, browser: str, profile: Path, timeout: float) -> None:
        self.deadline = time.monotonic() + timeout
        child_in, self._write = os.pipe()
        self._read, child_out = os.pipe()

        def fds() -> None:  # pragma: no cover - runs in the child
            # Copies first: moving one pipe end to 3 must not close the other if it happens to be 3.
            commands, replies = os.dup(child_in), os.dup(child_out)
            os.dup2(commands, 3)
            os.dup2(replies, 4)

        self.process = subprocess.Popen(
            [
                browser,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                # Any request for anything outside the file fails.
                "--host-resolver-rules=MAP * ~NOTFOUND",
                f"--user-data-dir={profile}",
                "--remote-debugging-pipe",
                "about:blank",
            ],
            pass_fds=(3, 4),
            preexec_fn=fds,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(child_in)
        os.close(child_out)
        self._buffer = b""
        self._id = 0
        self.events: list[dict] = []

    def _next(self) -> dict:
        while b"\0" not in self._buffer:
            left = self.deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("chromium did not answer in time")
            ready, _, _ = select.select([self._read], [], [], left)
            if ready:
                chunk = os.read(self._read, 1 << 20)
                if not chunk:
                    raise EOFError("chromium closed the DevTools pipe")
                self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def call(self, method: str, params: dict | None = None, session: str | None = None) -> dict:
        self._id += 1
        message = {"id": self._id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._write, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._next()
            if reply.get("id") == self._id:
                assert "error" not in reply, reply
                return reply["result"]
            self.events.append(reply)

    def wait_for(self, method: str) -> None:
        while not any(e.get("method") == method for e in self.events):
            self.events.append(self._next())

    def close(self) -> None:
        with contextlib.suppress(OSError):
            os.close(self._write)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._read)


def load_in_chromium(browser: str, url: str, profile: Path) -> tuple[list[dict], bytes, str]:
    """Load ``url`` in a 1280 x 2000 window: the protocol events, a PNG screenshot and the rendered DOM."""
    tools = _DevTools(browser, profile, timeout=45)
    try:
        target = tools.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = tools.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Network", "Runtime", "Log"):
            tools.call(f"{domain}.enable", session=session)
        tools.call(
            "Emulation.setDeviceMetricsOverride",
            {"width": 1280, "height": 2000, "deviceScaleFactor": 1, "mobile": False},
            session,
        )
        tools.call("Page.navigate", {"url": url}, session)
        tools.wait_for("Page.loadEventFired")
        png = base64.b64decode(tools.call("Page.captureScreenshot", {"format": "png"}, session)["data"])
        dom = tools.call(
            "Runtime.evaluate",
            {"expression": "document.documentElement.outerHTML", "returnByValue": True},
            session,
        )["result"]["value"]
        with contextlib.suppress(OSError):
            os.write(tools._write, json.dumps({"id": 0, "method": "Browser.close"}).encode() + b"\0")
    finally:
        tools.close()
    return tools.events, png, dom


def problems_in(events: list[dict]) -> list[str]:
    """Requests that left the file, failed loads, console errors and uncaught exceptions."""
    found = []
    for event in events:
        method, params = event.get("method"), event.get("params", {})
        if method == "Network.requestWillBeSent":
            url = params["request"]["url"]
            if not url.startswith(("file:", "data:")):
                found.append(f"request to {url}")
        elif method == "Network.loadingFailed":
            found.append(f"failed load: {params.get('errorText')}")
        elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "warning", "assert"):
            found.append(f"console {params['type']}: {params.get('args')}")
        elif method == "Runtime.exceptionThrown":
            found.append(f"exception: {params.get('exceptionDetails')}")
        elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
            found.append(f"log error: {params['entry'].get('text')}")
    return found


@pytest.fixture(scope="module")
def browser() -> str:
    found = _browser()
    if found is None:
        pytest.skip("no chromium, chromium-browser or google-chrome binary found")
    return found


def test_the_browser_check_catches_external_resources(browser: str, tmp_path: Path) -> None:
    page = tmp_path / "bad.html"
    page.write_text(
        '<!DOCTYPE html><p>x</p><img src="https://example.com/a.png">'
        "<script>console.error('boom')</script>",
        encoding="utf-8",
    )
    events, _, _ = load_in_chromium(browser, page.as_uri(), tmp_path / "profile")
    found = problems_in(events)
    assert "request to https://example.com/a.png" in found
    assert "failed load: net::ERR_NAME_NOT_RESOLVED" in found
    assert any(problem.startswith("console error") for problem in found)


def test_renders_in_headless_chromium(browser: str, english: Path, tmp_path: Path) -> None:
    events, png, dom = load_in_chromium(browser, english.resolve().as_uri(), tmp_path / "profile")
    assert problems_in(events) == []
    pixels = plt.imread(io.BytesIO(png), format="png")
    assert pixels.shape[:2] == (2000, 1280)
    gray = pixels[..., :3].mean(axis=2)
    # A page of text, rules and tables: dark pixels on white, neither blank nor one colour.
    assert gray.std() > 0.08
    assert 0.01 < (gray < 0.5).mean() < 0.5
    rendered = tables_of(dom)
    assert rendered["table4-counts"][-1][:2] == ["Total", "124"]
    assert dom.count("<svg") >= 9


def test_progress_is_told_of_every_section_in_order(corpus, tmp_path):
    seen: list[str] = []
    report(corpus.subset(corpus.documents["doc_id"].iloc[:4]), tmp_path, progress=seen.append)
    assert seen == list(SECTIONS)
