"""Messages in the reader's language: gettext catalogues and the language of the moment.

Every message a researcher reads (validation problems, reading problems, the
command line's one-line errors) is written in English in the source, marked
with :func:`_` (or :func:`N_` for a module-level constant, translated where it
is used, and :func:`ngettext` for counts), and looked up at run time in the
catalogue ``policyquant/locale/<language>/LC_MESSAGES/policyquant.mo`` with the
standard library's :mod:`gettext`: the installed package needs no Babel.

The language is not a global: it is a :class:`contextvars.ContextVar` that an
entry point sets for the duration of a call (:func:`using_language`,
``read_coding(..., language="zh")``, ``policyquant validate --lang zh``), so
threads and asynchronous tasks each keep their own and a call in Chinese never
leaks into another call.  Without one the language is English.

Catalogues
----------
``pybabel extract -F babel.cfg -o policyquant/locale/policyquant.pot policyquant``
(run in the package's folder, see ``policyquant/locale/README.md``) collects the
marked messages; ``pybabel update`` merges them into the ``.po`` files;
``pybabel compile`` writes the ``.mo`` files, which are committed.  Tests fail
when a marked message is missing from a catalogue, a translation is empty or
fuzzy, a ``.mo`` is stale, or a translation drops or adds a ``{placeholder}``.

Examples
--------
>>> from policyquant._i18n import _, current_language, using_language
>>> current_language()
'en'
>>> with using_language("zh-CN"):
...     print(_("row {row}").format(row=3), current_language())
第3行 zh
>>> _("row {row}").format(row=3)
'row 3'
"""

from __future__ import annotations

import contextvars
import functools
import gettext
import inspect
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

__all__ = [
    "DOMAIN",
    "LOCALE_DIR",
    "N_",
    "_",
    "catalogued",
    "chosen_language",
    "current_language",
    "field_name",
    "join_choices",
    "ngettext",
    "pgettext",
    "set_language",
    "table_name",
    "translations",
    "using_language",
    "with_language",
]

#: The gettext domain: the catalogues are ``<locale>/LC_MESSAGES/policyquant.mo``.
DOMAIN = "policyquant"

#: Where the catalogues are, inside the installed package.
LOCALE_DIR = Path(__file__).with_name("locale")

# The gettext locale of each interface language that has a catalogue (English is the source text).
_CATALOGUES = {"zh": "zh_CN"}

# None until an entry point chooses: a chosen language wins over the one a sheet's headers suggest.
_LANGUAGE: contextvars.ContextVar[str | None] = contextvars.ContextVar("policyquant_language", default=None)

F = TypeVar("F", bound=Callable[..., Any])


@functools.cache
def translations(language: str) -> gettext.NullTranslations:
    """The catalogue of an interface language (``"en"`` or ``"zh"``), read once.

    English is the text of the source: its "catalogue" returns each message as
    it is.

    Examples
    --------
    >>> from policyquant._i18n import translations
    >>> translations("zh").gettext("missing score")
    '缺少评分'
    >>> translations("en").gettext("missing score")
    'missing score'
    """
    locale = _CATALOGUES.get(language)
    if locale is None:
        return gettext.NullTranslations()
    # fallback=False: a package installed without its catalogue is broken, not English.
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[locale])


def current_language() -> str:
    """The language messages are in now: ``"en"`` unless an entry point chose another.

    Examples
    --------
    >>> from policyquant._i18n import current_language
    >>> current_language()
    'en'
    """
    return _LANGUAGE.get() or "en"


def chosen_language() -> str | None:
    """The language an entry point chose for this context, or None when none did.

    Examples
    --------
    >>> from policyquant._i18n import chosen_language, using_language
    >>> chosen_language() is None
    True
    >>> with using_language("en"):
    ...     chosen_language()
    'en'
    """
    return _LANGUAGE.get()


def set_language(language: object) -> str:
    """Choose the language of messages for the rest of the current context (``None``: English).

    Meant for an entry point that runs in a context of its own (the command
    line runs each command in a copy of the context); elsewhere use
    :func:`using_language`, which puts the previous language back.

    Examples
    --------
    >>> import contextvars
    >>> from policyquant._i18n import current_language, set_language
    >>> contextvars.copy_context().run(lambda: (set_language("zh-CN"), current_language()))
    ('zh', 'zh')
    >>> current_language()
    'en'
    """
    from ._language import interface_language

    code = interface_language(language)
    _LANGUAGE.set(code)
    return code


@contextmanager
def using_language(language: object) -> Iterator[str]:
    """Messages in ``language`` inside the ``with`` block; ``None`` keeps the language of the caller.

    ``language`` is resolved by :func:`policyquant._language.resolve_language`
    (``"zh-CN"``, ``"zh_Hans"``, ``"中文"`` are Chinese); an unknown one raises
    its :class:`~policyquant.errors.ValidationError` before the block runs.

    Examples
    --------
    >>> from policyquant._i18n import _, using_language
    >>> with using_language("zh_Hans") as code:
    ...     print(code, _("missing score"))
    zh 缺少评分
    """
    from ._language import resolve_language

    code = resolve_language(language)
    if code is None:
        yield current_language()
        return
    token = _LANGUAGE.set(code)
    try:
        yield code
    finally:
        _LANGUAGE.reset(token)


def with_language(function: F) -> F:
    """Run ``function`` in the language of its ``language=`` argument (None: the caller's).

    Examples
    --------
    >>> from policyquant._i18n import _, with_language
    >>> @with_language
    ... def check(*, language=None):
    ...     return _("missing score")
    >>> check(language="zh"), check()
    ('缺少评分', 'missing score')
    """
    default = inspect.signature(function).parameters["language"].default

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with using_language(kwargs.get("language", default)):
            return function(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def catalogued(build: Callable[[], dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """A table of words by interface language: ``build()`` run once in English and once per catalogue.

    ``build`` returns its words through :func:`pgettext` (literal calls, so
    that extraction finds them): the English table is the source text, and
    each other language's is its catalogue's translation.  Built in a context
    of its own, whatever the language of the caller.

    Examples
    --------
    >>> from policyquant._i18n import catalogued, pgettext
    >>> catalogued(lambda: {"missing": pgettext("ui", "(missing)")})
    {'en': {'missing': '(missing)'}, 'zh': {'missing': '（缺失）'}}
    """
    tables = {}
    for language in ("en", *_CATALOGUES):
        tables[language] = contextvars.Context().run(_built_in, language, build)
    return tables


def _built_in(language: str, build: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    _LANGUAGE.set(language)
    return build()


def _(message: str) -> str:
    """``message`` in the current language (itself in English, or when the catalogue lacks it).

    Placeholders are ``{name}`` fields, filled with :meth:`str.format` after
    translation, so that a translation may put them in another order.

    Examples
    --------
    >>> from policyquant._i18n import _, using_language
    >>> with using_language("zh"):
    ...     _("unknown objective")
    '未知的政策目标'
    """
    return translations(current_language()).gettext(message)


def N_(message: str) -> str:  # noqa: N802 - gettext's conventional name
    """Mark a message for the catalogue without translating it (module-level constants); ``_()`` it where used.

    Examples
    --------
    >>> from policyquant._i18n import N_
    >>> N_("missing score")
    'missing score'
    """
    return message


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or plural form of a message for ``count``, in the current language.

    Examples
    --------
    >>> from policyquant._i18n import ngettext, using_language
    >>> found = ("{where}: {count:,} problem found", "{where}: {count:,} problems found")
    >>> ngettext(*found, 2).format(where="units.csv", count=2)
    'units.csv: 2 problems found'
    >>> with using_language("zh"):
    ...     ngettext(*found, 2).format(where="units.csv", count=2)
    'units.csv：发现 2 个问题'
    """
    return translations(current_language()).ngettext(singular, plural, count)


def pgettext(context: str, message: str) -> str:
    """``message`` in the current language, told apart by ``context`` from the same English words elsewhere.

    Examples
    --------
    >>> from policyquant._i18n import pgettext, using_language
    >>> with using_language("zh"):
    ...     pgettext("field", "unit_id")
    '条款编号'
    """
    return translations(current_language()).pgettext(context, message)


def _field_names() -> dict[str, str]:
    # Literal calls, built in the current language, so that extraction finds every field's name.
    return {
        "unit_id": pgettext("field", "unit_id"),
        "doc_id": pgettext("field", "doc_id"),
        "text": pgettext("field", "text"),
        "instrument": pgettext("field", "instrument"),
        "objectives": pgettext("field", "objectives"),
        "title": pgettext("field", "title"),
        "issuers": pgettext("field", "issuers"),
        "level": pgettext("field", "level"),
        "region": pgettext("field", "region"),
        "year": pgettext("field", "year"),
        "date": pgettext("field", "date"),
        "family": pgettext("field", "family"),
        "objective": pgettext("field", "objective"),
        "memo": pgettext("field", "memo"),
    }


def table_name(table: str) -> str:
    """A table of a coding study as messages name it: ``units`` or 条款表, ``documents`` or 文件表.

    Examples
    --------
    >>> from policyquant._i18n import table_name, using_language
    >>> with using_language("zh"):
    ...     table_name("units")
    '条款表'
    """
    names = {"units": pgettext("table", "units"), "documents": pgettext("table", "documents")}
    return names.get(table, table)


def field_name(field: object, framework: Any = None) -> str:
    """A field as messages name it: its key in English, the Chinese template's header in Chinese.

    A score dimension of ``framework`` is named by its label in the language
    (``作用范围`` for ``AS``); any other column keeps its name.

    Examples
    --------
    >>> import policyquant as pq
    >>> from policyquant._i18n import field_name, using_language
    >>> field_name("objectives"), field_name("AS", pq.get_framework("wang2026"))
    ('objectives', 'AS')
    >>> with using_language("zh"):
    ...     field_name("objectives"), field_name("AS", pq.get_framework("wang2026")), field_name("notes")
    ('政策目标', '作用范围', 'notes')
    """
    text = str(field)
    language = current_language()
    if language == "en":
        return text
    names = _field_names()
    if text in names:
        return names[text]
    scale = getattr(framework, "scale", None)
    if scale is not None:
        dimension = next((d for d in scale.dimensions if d.key == text), None)
        if dimension is not None:
            return dimension.label_in(language)
    return text


def join_choices(choices: Iterable[object], limit: int = 12) -> str:
    """Choices joined for a message in the current language: ``a, b, c`` or ``甲、乙、丙``.

    Examples
    --------
    >>> from policyquant._i18n import join_choices, using_language
    >>> join_choices(["a", "b"])
    'a, b'
    >>> with using_language("zh"):
    ...     join_choices(["法定权益保护", "公共安全与利益"])
    '法定权益保护、公共安全与利益'
    """
    from ._text import format_choices

    if current_language() == "en":
        return format_choices(choices, limit)
    choices = [str(c) for c in choices]
    if len(choices) <= limit:
        return "、".join(choices)
    return _("{choices}, ... ({count} in all)").format(choices="、".join(choices[:limit]), count=len(choices))
