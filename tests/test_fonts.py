"""Fonts for Chinese figures: chosen by their glyphs, found past a stale font cache, boxes warned about.

matplotlib lists the system's fonts once and keeps the list in a cache file; a
CJK font installed after that is unknown to it.  The stale-cache tests run in
fresh Python processes with their own matplotlib cache folder (MPLCONFIGDIR),
whose font list is matplotlib's own, with the CJK fonts taken out.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
import urllib.parse
import warnings
import xml.etree.ElementTree as ET
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from matplotlib import font_manager
from matplotlib.ft2font import FT2Font

import policyquant as pq
from policyquant import plotting
from policyquant.frameworks.pmc import pmc_radar
from policyquant.plotting import FontWarning

CORPUS = pq.datasets.load_genai_china()
FONT_SUFFIXES = (".ttf", ".otf", ".ttc")
SVG = "{http://www.w3.org/2000/svg}"


def _fontconfig_cjk_files() -> list[str]:
    program = shutil.which("fc-list")
    if program is None:
        return []
    listed = subprocess.run(
        [program, "--format=%{file}\\n", ":lang=zh"], capture_output=True, text=True, check=False
    ).stdout
    return sorted({os.path.realpath(line) for line in listed.splitlines() if line.lower().endswith(FONT_SUFFIXES)})


CJK_FILES = _fontconfig_cjk_files()
needs_cjk_font = pytest.mark.skipif(
    not CJK_FILES, reason="fc-list :lang=zh finds no CJK font here (CI installs fonts-wqy-microhei)"
)
linux_only = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="the font search path is restricted through fontconfig"
)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _run(script: str, config: Path, cwd: Path, **env: str) -> dict:
    """Run ``script`` in a fresh Python with matplotlib's cache folder ``config``; its last line is JSON."""
    environment = {key: value for key, value in os.environ.items() if key != "MPL_IGNORE_SYSTEM_FONTS"}
    environment.update(MPLCONFIGDIR=str(config), MPLBACKEND="Agg", **env)
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)],
        env=environment,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def _cache_without(tmp_path: Path, name: str, keep) -> tuple[Path, Path]:
    """A matplotlib cache folder whose font cache matplotlib wrote, minus the entries ``keep`` rejects."""
    config = tmp_path / name
    config.mkdir()
    built = _run(
        """
        import json
        from pathlib import Path
        import matplotlib
        from matplotlib import font_manager
        cache = Path(matplotlib.get_cachedir(), f"fontlist-v{font_manager.FontManager.__version__}.json")
        print(json.dumps({"cache": str(cache)}))
        """,
        config,
        tmp_path,
    )
    cache = Path(built["cache"])
    assert cache.parent == config, "the font cache is written in MPLCONFIGDIR"
    data = json.loads(cache.read_text(encoding="utf-8"))
    data["ttflist"] = [entry for entry in data["ttflist"] if keep(entry["fname"])]
    cache.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return config, cache


def _not_cjk(fname: str) -> bool:
    # Relative names are matplotlib's own fonts (in its data folder), none of them Chinese.
    return not os.path.isabs(fname) or os.path.realpath(fname) not in CJK_FILES


@pytest.fixture(scope="module")
def stale_cache(tmp_path_factory) -> tuple[Path, Path]:
    """A cache written "before the CJK font was installed": every font but the CJK ones."""
    if not CJK_FILES:
        pytest.skip("fc-list :lang=zh finds no CJK font here (CI installs fonts-wqy-microhei)")
    return _cache_without(tmp_path_factory.mktemp("stale"), "mplconfig", _not_cjk)


# -- A stale font cache ------------------------------------------------------------------

STALE_SCRIPT = """
import json
import warnings
from matplotlib import font_manager
from matplotlib.ft2font import FT2Font

cached = sorted({entry.name for entry in font_manager.fontManager.ttflist})
import policyquant as pq
from policyquant import plotting
from policyquant.export import export

with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    name = plotting.cjk_font()
    found = font_manager.findfont(font_manager.FontProperties(family=[name]), fallback_to_default=False)
    fig = plotting.crosstab_heatmap(pq.datasets.load_genai_china(), language="zh")
    labels = [text.get_text() for text in fig.axes[0].get_yticklabels()]
    export(fig, "heatmap.svg", svg_text="path")
    export(fig, "heatmap.pdf")
print(json.dumps({
    "cached": cached,
    "name": name,
    "file": str(found),
    "postscript": FT2Font(str(found)).postscript_name,
    "labels": labels,
    "warnings": [f"{w.category.__name__}: {w.message}" for w in caught],
}))
"""


@needs_cjk_font
def test_a_cache_written_before_the_cjk_font_still_gives_chinese_glyphs(stale_cache, tmp_path):
    config, cache = stale_cache
    before = cache.read_bytes()
    out = _run(STALE_SCRIPT, config, tmp_path)
    assert out["name"] is not None and out["name"] not in out["cached"], "the cache did not know the font"
    assert os.path.realpath(out["file"]) in CJK_FILES, f"{out['name']} is not a font fontconfig lists for zh"
    assert not [w for w in out["warnings"] if w.startswith("FontWarning")], out["warnings"]
    assert cache.read_bytes() == before, "the user's font cache is left as it is"

    # The SVG draws each Chinese character with a glyph of that font: its paths have ids
    # "<PostScript name>-<glyph index>" (matplotlib >= 3.10) or "-<code point>" (before), in hex.
    root = ET.parse(tmp_path / "heatmap.svg").getroot()
    ids = {path.get("id") for path in root.iter(f"{SVG}path") if path.get("id")}
    charmap = FT2Font(out["file"]).get_charmap()
    chinese = {character for label in out["labels"] for character in label if plotting._has_cjk(character)}
    assert chinese
    for character in chinese:
        glyph, code = charmap[ord(character)], ord(character)
        assert {urllib.parse.quote(f"{out['postscript']}-{n:x}") for n in (glyph, code)} & ids, character
    assert not any(i.startswith("LastResort") for i in ids), "no character drawn as a last-resort box"
    pdf = (tmp_path / "heatmap.pdf").read_bytes()
    assert out["postscript"].encode() in pdf and b"/FontFile2" in pdf, "the CJK font is embedded"
    assert b"LastResort" not in pdf


@needs_cjk_font
def test_a_font_named_by_the_user_is_found_past_a_stale_cache(stale_cache, tmp_path):
    family = FT2Font(CJK_FILES[0]).family_name
    out = _run(
        f"""
        import json
        import warnings
        import policyquant as pq
        from policyquant import plotting

        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fig = plotting.efficacy_bars(pq.datasets.load_genai_china(), language="zh", font={family!r})
        print(json.dumps({{
            "family": fig.axes[0].get_yticklabels()[0].get_fontfamily()[0],
            "warnings": [f"{{w.category.__name__}}: {{w.message}}" for w in caught],
        }}))
        """,
        stale_cache[0],
        tmp_path,
    )
    assert out["family"] == family
    assert not [w for w in out["warnings"] if w.startswith("FontWarning")], out["warnings"]


# -- No CJK font at all -------------------------------------------------------------------

NO_FONT_SCRIPT = """
import json
import warnings
from matplotlib import font_manager

# The font search path: only what fontconfig lists (FONTCONFIG_FILE names an empty folder).
font_manager.X11FontDirectories[:] = []
font_manager.OSXFontDirectories[:] = []
import policyquant as pq
from policyquant import plotting
from policyquant.export import export

corpus = pq.datasets.load_genai_china()
report = {"cjk_font": plotting.cjk_font()}
figures = []
for what, draw in [
    ("english", lambda: plotting.crosstab_heatmap(corpus)),
    ("chinese", lambda: plotting.crosstab_heatmap(corpus, language="zh")),
    ("export", lambda: export(figures[-1], "heatmap.svg")),
]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        figures.append(draw())
    report[what] = [
        {"category": w.category.__name__, "message": str(w.message), "line": w.lineno}
        for w in caught
        if w.category.__name__ == "FontWarning"
    ]
print(json.dumps(report))
"""


@linux_only
def test_without_any_cjk_font_a_chinese_figure_raises_a_font_warning(tmp_path):
    config, _ = _cache_without(tmp_path, "mplconfig", lambda fname: not os.path.isabs(fname))
    empty = tmp_path / "no-fonts"
    empty.mkdir()
    fonts_conf = tmp_path / "fonts.conf"
    fonts_conf.write_text(
        f"<?xml version='1.0'?>\n<fontconfig><dir>{empty}</dir><cachedir>{tmp_path / 'fc-cache'}</cachedir>"
        "</fontconfig>\n",
        encoding="utf-8",
    )
    out = _run(NO_FONT_SCRIPT, config, tmp_path, FONTCONFIG_FILE=str(fonts_conf))
    assert out["cjk_font"] is None, "matplotlib's last-resort box font is no CJK font"
    assert out["english"] == [], "English text has its glyphs: no warning"
    (warning,) = out["chinese"]
    assert "empty boxes" in warning["message"] and "apt-get install fonts-noto-cjk" in warning["message"]
    assert any(plotting._has_cjk(character) for character in warning["message"]), "names the characters"
    assert out["export"], "exporting a Chinese figure without a CJK font warns too"


# -- Fonts chosen by their glyphs; every figure checked ---------------------------------------


@needs_cjk_font
def test_cjk_font_is_a_font_with_chinese_glyphs_and_figures_draw_without_boxes():
    name = plotting.cjk_font()
    found = font_manager.findfont(font_manager.FontProperties(family=[name]), fallback_to_default=False)
    assert os.path.realpath(found) in CJK_FILES
    with warnings.catch_warnings():
        warnings.simplefilter("error", FontWarning)
        plotting.crosstab_heatmap(CORPUS, language="zh")
        plotting.family_objective_bars(CORPUS, language="zh")
        plotting.efficacy_bars(CORPUS, language="zh")
        plotting.issuer_network_plot(CORPUS, admin_level="national", language="zh")
        plotting.authority_plot(CORPUS, language="zh")
        plotting.trend_plot(CORPUS, by="family", language="zh")
        plotting.portfolio_tiles(CORPUS.subset(["N10"]), language="zh")


def test_the_last_resort_box_font_is_not_a_cjk_font():
    last_resort = Path(matplotlib.get_data_path(), "fonts", "ttf", "LastResortHE-Regular.ttf")
    if not last_resort.exists():
        pytest.skip("this matplotlib ships no last-resort font")
    charmap = FT2Font(str(last_resort)).get_charmap()
    assert all(ord(character) in charmap for character in "政策工具"), "its character map lists them"
    assert plotting.cjk_font() != font_manager.FontProperties(fname=str(last_resort)).get_name()
    assert not plotting._glyphs(str(last_resort)), "but every one is a box"


def test_a_font_without_chinese_glyphs_draws_a_warning_naming_it():
    with pytest.warns(FontWarning, match="DejaVu Sans") as caught:
        fig = plotting.efficacy_bars(CORPUS, language="zh", font="DejaVu Sans")
    assert all(w.filename == __file__ for w in caught), "points at the caller's line"
    assert fig.axes[0].get_yticklabels()[0].get_fontfamily()[0] == "DejaVu Sans", "drawn anyway"
    with pytest.warns(FontWarning, match="no Chinese"), plotting.font_context(font="DejaVu Sans"):
        pass


def test_figures_of_the_pmc_module_warn_at_the_callers_line():
    frame = pd.DataFrame(
        {f"X{i}_{j}": [int((i + j) % 3 != 0), int(i % 2 == 0)] for i in range(1, 11) for j in (1, 2)},
        index=["政策一", "政策二"],
    )
    with pytest.warns(FontWarning) as caught:
        pmc_radar(frame, language="zh", font="DejaVu Sans")
    assert {w.filename for w in caught if issubclass(w.category, FontWarning)} == {__file__}


DEJAVU = frozenset(FT2Font(font_manager.findfont("DejaVu Sans")).get_charmap())
ALPHABET = "abcXYZ09-·×—政策工具税收空气水" + "\U00010348\u0f00\u1200"  # Gothic, Tibetan, Ethiopic: not in DejaVu


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.text(alphabet=ALPHABET, min_size=1, max_size=5), min_size=2, max_size=3, unique=True),
    st.lists(st.text(alphabet=ALPHABET, min_size=1, max_size=5), min_size=1, max_size=3, unique=True),
)
def test_a_warning_exactly_when_some_label_would_show_as_a_box(instruments, targets):
    labels = [*instruments, *targets]
    tidy = pd.DataFrame(
        [(i, t, int(n % 2 == 0)) for n, (i, t) in enumerate((i, t) for i in instruments for t in targets)],
        columns=["Instrument", "Target", "covered"],
    )
    boxes = {c for label in labels for c in label if not c.isspace() and ord(c) not in DEJAVU}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        plotting.portfolio_tiles(tidy, font="DejaVu Sans", subtitle=False)
    plt.close("all")
    font_warnings = [str(w.message) for w in caught if issubclass(w.category, FontWarning)]
    if boxes:
        assert font_warnings, f"{sorted(boxes)} would show as boxes"
        assert all(c in "".join(font_warnings) for c in boxes)
    else:
        assert not font_warnings, font_warnings
