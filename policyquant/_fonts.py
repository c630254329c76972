"""Fonts for the figures: finding a CJK font, checking glyphs, and warning when text would show as boxes."""

from __future__ import annotations

import contextlib
import functools
import re
import sys
import warnings
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from . import _language
from .errors import ValidationError


class FontWarning(UserWarning):
    """No installed font can show the figure's Chinese (CJK) text, or the requested font is missing.

    The figure is still drawn; Chinese characters show as empty boxes.
    """


# -- Fonts -----------------------------------------------------------------------------

#: Families tried first, in this order (case-insensitive substrings of a font's name).
CJK_FONT_NAMES = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "Noto Sans CJK",
    "Source Han Sans",
    "Microsoft YaHei",
    "PingFang SC",
    "Hiragino Sans GB",
    "Heiti SC",
    "STHeiti",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "SimHei",
    "Noto Serif CJK SC",
    "Source Han Serif SC",
    "Sarasa Gothic SC",
    "Droid Sans Fallback",
    "Arial Unicode MS",
)

#: Characters a font must draw to count as a CJK font.  They are all different, so
#: a font that maps them all to one box glyph does not pass.
_CJK_SAMPLE = "政策工具目标计数占比年份"

_FONT_INSTALL_HINT = (
    "install a CJK font such as Noto Sans CJK (Debian/Ubuntu: apt-get install fonts-noto-cjk "
    "or fonts-wqy-microhei; macOS and Windows have one) and restart Python; or pass "
    "font='<an installed font family that has Chinese characters>'"
)

#: Font files matplotlib can draw with (TrueType, OpenType and their collections).
_FONT_SUFFIXES = (".ttf", ".otf", ".ttc")

#: Text between unescaped dollar signs: mathtext draws it with its own fonts.
_MATH = re.compile(r"(?<!\\)\$.+?(?<!\\)\$", re.DOTALL)


_has_cjk = _language.has_cjk


def _font_entries() -> list[Any]:
    """matplotlib's font list: what its font cache holds, plus the fonts added since."""
    from matplotlib import font_manager

    return list(font_manager.fontManager.ttflist)


@functools.lru_cache(maxsize=32)
def _glyphs(path: str, index: int = 0) -> frozenset[int]:
    """The code points the font at ``path`` draws with glyphs of its own; none if unreadable.

    A last-resort font (matplotlib ships one and falls back to it) maps whole
    Unicode blocks to one box glyph: its character map lists every character,
    yet each draws as a box, so it counts as having no glyphs.
    """
    from matplotlib.ft2font import FT2Font

    try:
        # face_index is new in matplotlib 3.10; before, a collection opens at its first face.
        font = FT2Font(path, face_index=index) if index else FT2Font(path)
        charmap = font.get_charmap()
    except Exception:  # noqa: BLE001 - an unreadable font file draws nothing
        return frozenset()
    sample = [glyph for glyph in (charmap.get(ord(character), 0) for character in _CJK_SAMPLE) if glyph]
    if len(set(sample)) < len(sample):
        return frozenset()
    return frozenset(code for code, glyph in charmap.items() if glyph)


def _font_files(prop: Any) -> list[tuple[str, int]]:
    """The font files (path, face index) that text with FontProperties ``prop`` is drawn from.

    The search matplotlib's text drawing makes: the best match of each family of
    the list in turn, each a fallback for the glyphs the ones before lack, or the
    default family when none matches.  The last-resort box font matplotlib adds
    after these is left out: a character only it has draws as a box.
    """
    from matplotlib import font_manager

    files = []
    for family in prop.get_family():
        one = prop.copy()
        one.set_family(family)
        try:
            found = font_manager.findfont(one, fallback_to_default=False)
        except ValueError:
            continue
        files.append((str(found), int(getattr(found, "face_index", 0))))
    if not files:
        one = prop.copy()
        one.set_family(font_manager.fontManager.defaultFamily["ttf"])
        found = font_manager.findfont(one)
        files.append((str(found), int(getattr(found, "face_index", 0))))
    return files


def _without_glyphs(files: Sequence[tuple[str, int]], characters: Iterable[str]) -> str:
    """The characters that none of the font ``files`` has a glyph for, in order, once each."""
    missing = dict.fromkeys(
        character
        for character in characters
        if not any(ord(character) in _glyphs(path, index) for path, index in files)
    )
    return "".join(missing)


def _family_draws(name: str, characters: str) -> bool:
    """Whether text in font family ``name`` shows all ``characters`` with real glyphs."""
    from matplotlib.font_manager import FontProperties

    return not _without_glyphs(_font_files(FontProperties(family=[name])), characters)


def _fontconfig_files(pattern: str) -> list[str] | None:
    """The font files fontconfig lists for ``pattern`` (``":lang=zh"``), or None without fontconfig."""
    import os
    import shutil
    import subprocess

    program = shutil.which("fc-list")
    if program is None:
        return None
    try:
        listed = subprocess.run(
            [program, "--format=%{file}\\n", pattern], capture_output=True, check=True, timeout=60
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    return [os.fsdecode(line) for line in listed.splitlines() if line.strip()]


def _add_fonts(files: Iterable[str], wanted: Any = None) -> list[str]:
    """Add to matplotlib's font list the font ``files`` it does not know (and ``wanted`` accepts).

    matplotlib lists the system's fonts once and keeps the list in a cache file
    (``fontlist-*.json`` in ``matplotlib.get_cachedir()``): a font installed after
    that stays unknown to it.  The files are added in memory, for this session;
    the cache file is left as it is.  Returns the family names added.
    """
    import logging
    import os

    import matplotlib
    from matplotlib import font_manager

    manager = font_manager.fontManager
    known = {os.path.realpath(entry.fname) for entry in manager.ttflist}
    added: list[str] = []
    for path in sorted(set(files)):
        real = os.path.realpath(path)
        if real in known or not real.lower().endswith(_FONT_SUFFIXES) or not os.path.isfile(real):
            continue
        if wanted is not None and not wanted(real):
            continue
        before = len(manager.ttflist)
        try:
            manager.addfont(real)
        except Exception:  # noqa: BLE001 - a font file matplotlib cannot read is not a candidate
            continue
        known.add(real)
        names = list(dict.fromkeys(entry.name for entry in manager.ttflist[before:]))
        added.extend(names)
        logging.getLogger(__name__).info(
            "added font %s (%s), which matplotlib's font cache in %s does not list",
            real,
            ", ".join(names),
            matplotlib.get_cachedir(),
        )
    if added:
        with contextlib.suppress(AttributeError):  # matplotlib < 3.8 does not clear it itself
            manager._findfont_cached.cache_clear()
    return added


def _add_system_cjk_fonts() -> list[str]:
    """Add the system's CJK fonts that matplotlib's (stale) font cache does not list."""
    import os

    if os.environ.get("MPL_IGNORE_SYSTEM_FONTS"):
        return []
    files = _fontconfig_files(":lang=zh")
    if files is None:
        from matplotlib import font_manager

        try:
            files = font_manager.findSystemFonts()
        except Exception:  # noqa: BLE001 - no system font list: nothing to add
            return []
    sample = {ord(character) for character in _CJK_SAMPLE}
    return _add_fonts(files, lambda path: sample <= _glyphs(path))


def _cjk_family(entries: Sequence[Any]) -> str | None:
    """The preferred family among ``entries`` whose font draws the Chinese sample, or None."""
    names = sorted({entry.name for entry in entries})
    preferred: list[str] = []
    for wanted in CJK_FONT_NAMES:
        # "WenQuanYi Micro Hei" before "WenQuanYi Micro Hei Mono".
        matches = sorted(
            (name for name in names if wanted.lower() in name.lower()),
            key=lambda name: ("mono" in name.lower(), len(name), name),
        )
        preferred.extend(name for name in matches if name not in preferred)
    for name in preferred:
        if _family_draws(name, _CJK_SAMPLE):
            return name
    sample = {ord(character) for character in _CJK_SAMPLE}
    seen: set[str] = set(preferred)
    for entry in sorted(entries, key=lambda entry: (entry.name, entry.fname)):
        if entry.name in seen or not sample <= _glyphs(entry.fname, int(getattr(entry, "index", 0))):
            continue
        seen.add(entry.name)
        if _family_draws(entry.name, _CJK_SAMPLE):
            return entry.name
    return None


@functools.lru_cache(maxsize=1)
def cjk_font() -> str | None:
    """The family name of an installed font that shows Chinese, or None.

    A font counts only if the file matplotlib would draw the family from has
    real glyphs (its character map, not a box for every character) for a sample
    of common Chinese characters.  Known CJK families (:data:`CJK_FONT_NAMES`,
    simplified-Chinese variants first) are preferred, then any other font that
    passes.  When no font of matplotlib's font cache passes (the cache was
    written before a CJK font was installed), the system's CJK font files
    (``fc-list :lang=zh``, or ``matplotlib.font_manager.findSystemFonts()``
    without fontconfig) are added to matplotlib's font list for this session;
    the cache file is left as it is.

    The answer is cached: call ``cjk_font.cache_clear()`` after installing a
    font in a running session.

    Returns
    -------
    str or None
        A family name for :data:`matplotlib.rcParams` ``["font.family"]``;
        None if no font on the system draws Chinese.

    Examples
    --------
    >>> from policyquant import plotting
    >>> name = plotting.cjk_font()
    >>> name is None or isinstance(name, str)
    True
    """
    try:
        entries = _font_entries()
    except ImportError:
        return None
    name = _cjk_family(entries)
    if name is None and _add_system_cjk_fonts():
        name = _cjk_family(_font_entries())
    return name


def _stacklevel() -> int:
    """The stacklevel that points a warning at the first line outside policyquant (and contextlib)."""
    import os

    package = os.path.dirname(os.path.abspath(__file__)) + os.sep
    frame = sys._getframe(1)
    level = 1
    while frame is not None and (
        frame.f_code.co_filename.startswith(package) or frame.f_code.co_filename == contextlib.__file__
    ):
        frame = frame.f_back
        level += 1
    return level


def _warn(message: str) -> None:
    warnings.warn(message, FontWarning, stacklevel=_stacklevel())


def _font_known(font: str) -> bool:
    """Whether matplotlib can draw with font family ``font``, adding it if its cache predates it."""
    import os

    generic = {"serif", "sans-serif", "sans", "monospace", "cursive", "fantasy"}
    if font.lower() in generic or font.lower() in {entry.name.lower() for entry in _font_entries()}:
        return True
    if os.environ.get("MPL_IGNORE_SYSTEM_FONTS"):
        return False
    # Installed after matplotlib's font cache was written?  fontconfig knows.
    files = _fontconfig_files(":family=" + re.sub(r"([\\:,=\-])", r"\\\1", font))
    return bool(files) and font.lower() in {name.lower() for name in _add_fonts(files or [])}


def _font_family(font: str | None, cjk: bool, *, check: bool = True) -> list[str] | None:
    """The font.family list for a figure, or None to leave matplotlib's setting alone.

    With ``check``, a FontWarning says so when text that needs a CJK font would
    draw as boxes with these fonts.
    """
    import matplotlib
    from matplotlib.font_manager import FontProperties

    fallback = [name for name in matplotlib.rcParams["font.family"] if name]
    family: list[str] | None = None
    if font is not None:
        if not isinstance(font, str) or not font.strip():
            raise ValidationError(f"font must be the name of a font family, got {font!r}")
        if not _font_known(font):
            _warn(
                f"font {font!r} is not installed (matplotlib does not know it); drawing with the default "
                f"fonts instead. Installed CJK font: {cjk_font() or 'none'}"
            )
            check = False  # one mistake, one warning
        family = [font, *[name for name in fallback if name != font]]
    elif cjk:
        name = cjk_font()
        if name is not None:
            family = [name, *[n for n in fallback if n != name]]
    if cjk and check:
        missing = _without_glyphs(_font_files(FontProperties(family=family or fallback)), _CJK_SAMPLE)
        if missing and font is None:
            _warn(
                "no installed font can show Chinese (CJK) text, so the figure's Chinese labels will show "
                f"as empty boxes; to fix it, {_FONT_INSTALL_HINT}"
            )
        elif missing:
            installed = cjk_font()
            _warn(
                f"font {font!r} has no Chinese (CJK) characters (such as {missing[:4]!r}), so the figure's "
                "Chinese labels will show as empty boxes; "
                + (f"pass font={installed!r} (installed) instead" if installed else f"to fix it, {_FONT_INSTALL_HINT}")
            )
    return family


def _drawn_characters(text: Any) -> str:
    """The characters a matplotlib Text draws with its font family (not mathtext, not TeX), once each."""
    if not text.get_visible() or text.get_usetex():
        return ""
    content = text.get_text()
    if not isinstance(content, str):
        content = str(content)
    if content.count("$") - content.count("\\$") >= 2:
        content = _MATH.sub("", content)
    return "".join(dict.fromkeys(c for c in content if c.isprintable() and not c.isspace()))


def _font_name(path: str, index: int) -> str:
    import os

    real = os.path.realpath(path)
    for entry in _font_entries():
        if os.path.realpath(entry.fname) == real and int(getattr(entry, "index", 0)) == index:
            return entry.name
    return os.path.basename(path)


def _boxes(texts: Iterable[Any]) -> tuple[str, list[str], str]:
    """What of ``texts`` would draw as boxes.

    Returns the characters no font of their text's family list has a glyph for
    (empty if none), the fonts tried for the first such text, and its content.
    """
    missing: dict[str, None] = {}
    fonts: list[str] = []
    example = ""
    files_of: dict[tuple[Any, ...], list[tuple[str, int]]] = {}
    for text in texts:
        characters = _drawn_characters(text)
        if not characters:
            continue
        prop = text.get_fontproperties()
        key = (tuple(prop.get_family()), prop.get_style(), prop.get_variant(), prop.get_weight(), prop.get_stretch())
        if key not in files_of:
            files_of[key] = _font_files(prop)
        lacking = _without_glyphs(files_of[key], characters)
        if lacking:
            if not missing:
                fonts = [_font_name(path, index) for path, index in files_of[key]]
                example = text.get_text()
            missing.update(dict.fromkeys(lacking))
    return "".join(missing), fonts, example


def _warn_boxes(texts: Iterable[Any]) -> None:
    """A FontWarning if any of the matplotlib ``texts`` has characters its fonts cannot draw."""
    characters, fonts, example = _boxes(texts)
    if not characters:
        return
    shown = characters if len(characters) <= 16 else characters[:16] + "..."
    if _has_cjk(characters) and cjk_font() is None:
        advice = f"no installed font can show Chinese (CJK) text; to fix it, {_FONT_INSTALL_HINT}"
    elif _has_cjk(characters):
        advice = f"to fix it, leave font= out or pass font={cjk_font()!r} (installed)"
    else:
        advice = "to fix it, pass font='<an installed font family that has them>'"
    _warn(
        f"{len(characters)} character(s) of the figure have no glyph in the fonts it is drawn with "
        f"({', '.join(fonts)}) and will show as empty boxes: {shown!r}, e.g. in {example!r}; {advice}"
    )


@contextlib.contextmanager
def font_context(font: str | None = None, *, cjk: bool = True) -> Iterator[list[str] | None]:
    """Make text drawn inside the block use a CJK font (or ``font``), with fallbacks.

    Every plotting function of this module draws inside this context; use it
    for your own matplotlib code with Chinese labels.

    Parameters
    ----------
    font : str, optional
        A font family to use; by default :func:`cjk_font`.
    cjk : bool, default True
        Whether the text needs a CJK font.  With ``cjk=False`` and no ``font``
        nothing changes.

    Yields
    ------
    list of str or None
        The ``font.family`` list in effect (the chosen font first, then the
        previous families as fallbacks for glyphs it lacks), or None if nothing
        changed.

    Warns
    -----
    FontWarning
        Whenever text needs a CJK font (``cjk=True``) and the fonts in effect
        have no glyphs for Chinese characters (none is installed, or ``font``
        has none), so that Chinese would show as empty boxes; and whenever
        ``font`` names a font that is not installed.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from policyquant import plotting
    >>> with plotting.font_context() as family:
    ...     fig, ax = plt.subplots()
    ...     title = ax.set_title("政策工具")
    >>> family is None or title.get_fontfamily()[0] == family[0]
    True
    >>> plt.close(fig)
    """
    family = _font_family(font, cjk)
    if family is None:
        yield None
        return
    import matplotlib

    with matplotlib.rc_context({"font.family": family}):
        yield family


def _needs_cjk(language: str | None, texts: Iterable[object]) -> bool:
    if language is not None and language.lower().split("-")[0].split("_")[0] in ("zh", "ja", "ko"):
        return True
    return any(_has_cjk(text) for text in texts)


@contextlib.contextmanager
def _drawing(language: str | None, font: str | None, texts: Iterable[object]) -> Iterator[list[Any]]:
    """Draw with the right fonts; the caller appends the Axes it drew on to the yielded list.

    Texts made inside the block take the font family from the rc context.  Texts
    that existed before (the title and axis labels of a given Axes, its tick labels)
    are set explicitly afterwards, so that Chinese renders even on a user's Axes.
    Then every text of those Axes is checked, character by character, against the
    fonts it will be drawn with: a FontWarning names what would show as boxes.
    """
    import matplotlib
    from matplotlib.text import Text

    # No warning up front: the text actually drawn is checked below, which also
    # catches labels that the sample of Chinese characters does not cover.
    family = _font_family(font, _needs_cjk(language, texts), check=False)
    drawn: list[Any] = []
    with contextlib.ExitStack() as stack:
        if family is not None:
            stack.enter_context(matplotlib.rc_context({"font.family": family}))
        touched: list[Any] = []
        yield touched
        for ax in touched:
            for axis in (ax.xaxis, ax.yaxis, getattr(ax, "zaxis", None)):
                if axis is not None:
                    # Tick labels take their text (and exist) only when asked for.
                    axis.get_majorticklabels()
                    axis.get_minorticklabels()
            for text in ax.findobj(Text):
                if family is not None:
                    text.set_fontfamily(family)
                drawn.append(text)
    _warn_boxes(drawn)
