"""Sample selection, recorded: a query and the screening principles, with every decision kept.

A study of policy texts screens the documents a database search returned: it
keeps those a query finds (a core keyword, expanded keywords with AND, OR and
NOT) and admits them by principles (the issuing body's level, the document
form, the period, formal publication, relevance).  :func:`select` does that
over a table of documents and keeps, for **every** document, the step that
included or excluded it and why; :class:`Selection` prints the selection table
(found, excluded at each principle, included) in English or Chinese, draws the
PRISMA-style flow diagram and hands the kept documents to the next step.

.. rubric:: The query language

What a researcher knows from literature databases and from Lucene:

``人工智能``, ``AI``
    A term.  A term with a Chinese (CJK) character matches anywhere in the text,
    with no word boundaries (``人工智能`` is found in ``生成式人工智能服务``).  A Latin
    term matches whole words, ignoring case: ``AI`` finds ``AI`` and ``ai-act``
    and ``生成式AI服务``, not ``said`` or ``AIDS``.  ``*`` in a term stands for any
    letters (``regulat*``), ``?`` for one (not in a phrase, which is taken as
    written).
``"生成式 人工智能"``, ``"deep learning"``
    A phrase: its words in this order.  Curly quotes (``“…”``) work too.
``a AND b``, ``a && b``, ``a b``
    Both.  **Terms side by side are joined by AND**, as in CNKI's and 北大法宝's
    search boxes, Web of Science and PubMed (Lucene's query parser joins them
    by OR; write OR for that).
``a OR b``, ``a || b``
    Either.
``NOT a``, ``!a``, ``-a``
    Not ``a``; ``a NOT b`` is ``a AND NOT b``.  ``-`` is written against its
    term (``-区块链``).
``( … )``
    Grouping.  NOT binds tighter than AND, and AND tighter than OR:
    ``a OR b AND NOT c`` is ``a OR (b AND (NOT c))``.
``title:人工智能``, ``text:"数据安全"``, ``title:(AI OR 人工智能)``
    Search one column only (``标题:`` and ``全文:`` / ``正文:`` name ``title`` and
    ``text``; any other column of the documents can be named too).  Without a
    field a term is searched in every column of ``fields=``.

Operators are written in capitals (``and`` is a word to search for); full-width
forms (``（`` ``）`` ``＂`` ``：`` ``！`` ``－`` ``ＡＮＤ``) work as their half-width
ones.  Text and terms are compared after NFKC folding (full-width letters and
digits are their half-width ones) and case folding; white space runs count as
one space, and a line break or space *between two Chinese characters* is
ignored, as PDF extraction often leaves one inside a word.

A query that cannot be read (an unclosed parenthesis or quote, an operator with
no term on one side, an unknown field) raises :class:`QueryError`, a
:class:`~policyquant.errors.ValidationError` whose message shows the query with
a caret under the position.

.. rubric:: Why pyparsing

The query is parsed with pyparsing (already installed with matplotlib), not
with luqum, the Lucene-syntax parser on PyPI: luqum reads ``&&``, ``||`` and
``!`` as words, joins side-by-side terms by an "unknown operation", reports an
unclosed parenthesis as "at the end" rather than where it opened, and builds on
ply, whose last release was in 2018.  With pyparsing the grammar (some thirty
lines) states the precedence and the operator spellings directly, every
node keeps its position, and nothing of the text is ever evaluated.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime
from typing import Any

import attrs
import numpy as np
import pandas as pd

from .._language import LEVEL_LABELS, interface_language, resolve_language
from .._terminal import _width
from .._text import closest, format_choices, normalize_name
from ..errors import InputTypeError, ValidationError
from ..results import FrameResult
from ._frame import documents_frame

__all__ = [
    "DEFAULT_FIELDS",
    "MAX_QUERY_DEPTH",
    "MAX_QUERY_LENGTH",
    "STEPS",
    "Query",
    "QueryError",
    "Selection",
    "SelectionRecords",
    "parse_query",
    "select",
]

#: The columns a term without a field is searched in.
DEFAULT_FIELDS = ("title", "text")

#: The longest query accepted, in characters.
MAX_QUERY_LENGTH = 10_000

#: The deepest nesting of parentheses accepted (each level is a few frames of the parser's stack).
MAX_QUERY_DEPTH = 32

#: The steps of a selection, in the order they are applied.
STEPS = ("query", "duplicate", "period", "level", "form", "exclude")

#: Columns holding a document's issue date, level and form, in the order looked for.
_DATE_COLUMNS = ("issue_date", "date")
_LEVEL_COLUMNS = ("level",)
_FORM_COLUMNS = ("form",)

#: Field names in Chinese, as database search boxes label them.
_FIELD_ALIASES = {"标题": "title", "题名": "title", "全文": "text", "正文": "text"}

# CJK characters: ideographs, kana, hangul and compatibility ideographs.
_CJK_RANGES = "\u2e80-\u2fdf\u3040-\u30ff\u3100-\u312f\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
_CJK = re.compile(f"[{_CJK_RANGES}]")
# A letter or digit of a script written with spaces between words (not CJK): what a word boundary is between.
_LATIN_WORD = f"[^\\W{_CJK_RANGES}]"

# One character for one: full-width ASCII forms, curly quotes and every kind of space read as
# their plain forms, so that positions in the text parsed are positions in the query as typed.
_PLAIN = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_PLAIN.update({ord("\u201c"): '"', ord("\u201d"): '"', ord("\u3000"): " "})

_OPERATOR_WORDS = ("AND", "OR", "NOT")


# -- The query ---------------------------------------------------------------------------


class QueryError(ValidationError):
    """A query that cannot be read: the message shows the query with a caret under the position.

    Attributes
    ----------
    query : str
        The query as given.
    offset : int
        Zero-based position in ``query`` of the part at fault.
    reason : str
        What is wrong there.

    Examples
    --------
    >>> from policyquant.documents import parse_query
    >>> try:
    ...     parse_query("人工智能 AND (生成式 OR 大模型")
    ... except QueryError as error:
    ...     print(error)
    ...     print(error.offset)
    query: '(' at column 10 is never closed
        人工智能 AND (生成式 OR 大模型
                     ^
      expected: a ')' after it
    9
    """

    def __init__(self, reason: str, *, query: str, offset: int, expected: str | None = None) -> None:
        offset = max(0, min(offset, len(query)))
        summary = f"query: {reason.format(column=offset + 1)}"
        super().__init__(
            summary,
            [{"column": "query", "value": query, "problem": summary[len("query: ") :], "expected": expected}],
        )
        self.query = query
        self.offset = offset
        self.reason = summary[len("query: ") :]
        # The line holding the offset, with a caret under it (wide characters take two columns).
        start = query.rfind("\n", 0, offset) + 1
        end = query.find("\n", offset)
        line = query[start : end if end >= 0 else len(query)].replace("\t", " ").replace("\r", " ")
        pointer = " " * _width(line[: offset - start]) + "^"
        message = f"{summary}\n    {line}\n    {pointer}"
        if expected:
            message += f"\n  expected: {expected}"
        self.args = (message,)

    def __str__(self) -> str:
        return str(self.args[0])


@attrs.frozen
class Term:
    """A term or phrase of a query, as written, with the field it is searched in.

    Attributes
    ----------
    text : str
        The term, or the phrase without its quotes, as typed.
    field : str or None
        The column searched (``title``, ``text`` ...); None for every column of ``fields=``.
    phrase : bool
        Whether it was written in quotes.
    start, end : int
        Its position in the query (quotes and field included).
    field_start : int
        Where its field prefix starts (``start`` when it has none).
    """

    text: str
    field: str | None = None
    phrase: bool = False
    start: int = 0
    end: int = 0
    field_start: int = 0

    def __str__(self) -> str:
        body = f'"{self.text}"' if self.phrase else self.text
        return f"{self.field}:{body}" if self.field else body


@attrs.frozen
class Not:
    """NOT of a part of a query."""

    child: Any

    def __str__(self) -> str:
        inner = str(self.child)
        # NOT NOT a would read back as a (a run of NOTs keeps its parity): the parentheses keep both.
        return f"NOT ({inner})" if isinstance(self.child, (And, Or, Not)) else f"NOT {inner}"


@attrs.frozen
class And:
    """All of the parts of a query."""

    children: tuple[Any, ...]

    def __str__(self) -> str:
        return " AND ".join(f"({c})" if isinstance(c, Or) else str(c) for c in self.children)


@attrs.frozen
class Or:
    """Any of the parts of a query."""

    children: tuple[Any, ...]

    def __str__(self) -> str:
        return " OR ".join(str(c) for c in self.children)


def _with_field(node: Any, field: str, field_start: int) -> Any:
    """``node`` with ``field`` given to each of its terms that has none (``title:(a OR b)``)."""
    if isinstance(node, Term):
        if node.field is not None:
            return node
        return attrs.evolve(node, field=field, field_start=field_start)
    if isinstance(node, Not):
        return Not(_with_field(node.child, field, field_start))
    return type(node)(tuple(_with_field(c, field, field_start) for c in node.children))


def _terms(node: Any, negated: bool = False) -> Iterator[tuple[Term, bool]]:
    """Every term of ``node`` with whether it is under an odd number of NOTs."""
    if isinstance(node, Term):
        yield node, negated
    elif isinstance(node, Not):
        yield from _terms(node.child, not negated)
    else:
        for child in node.children:
            yield from _terms(child, negated)


@functools.cache
def _grammar() -> Any:
    import pyparsing as pp

    def at(kind: str, pattern: str) -> Any:
        return pp.Regex(pattern).set_name(kind)

    boundary = r"(?=[\s()\"]|$)"
    and_ = at("AND", rf"(?:AND|&&){boundary}")
    or_ = at("OR", rf"(?:OR|\|\|){boundary}")
    not_ = at("NOT", rf"NOT{boundary}|!|-(?=[^\s)])")
    keyword = at("operator", rf"(?:AND|OR|NOT){boundary}|&&|\|\|")
    field = at("field", r"(?:[A-Za-z_][\w.]*|[\u4e00-\u9fff]+):(?=[^\s)])")
    phrase = at("phrase", r'"[^"]*"')
    word = at("term", r'[^\s()"!+\-][^\s()"]*')
    expression = pp.Forward()
    group = pp.Suppress("(") + expression + pp.Suppress(")")

    def make_word(text: str, loc: int, tokens: Any) -> Term:
        value = tokens[0]
        if re.fullmatch(r"(?:[A-Za-z_][\w.]*|[\u4e00-\u9fff]+):", value):
            raise pp.ParseFatalException(text, loc, "field")
        return Term(value, start=loc, end=loc + len(value), field_start=loc)

    def make_phrase(text: str, loc: int, tokens: Any) -> Term:
        value = tokens[0]
        return Term(value[1:-1], phrase=True, start=loc, end=loc + len(value), field_start=loc)

    word.set_parse_action(make_word)
    phrase.set_parse_action(make_phrase)
    operand = phrase | (~keyword + word) | group

    def make_field(text: str, loc: int, tokens: Any) -> Any:
        if len(tokens) == 1:
            return tokens[0]
        name = tokens[0][:-1]
        name = _FIELD_ALIASES.get(name, name)
        return _with_field(tokens[1], name, loc)

    atom = (pp.Opt(field) + operand).set_parse_action(make_field)

    def make_not(tokens: Any) -> Any:
        # NOT NOT a is a: a run of NOTs keeps its parity only, so that no chain of them deepens the tree.
        node = tokens[-1]
        return Not(node) if (len(tokens) - 1) % 2 else node

    unary = (pp.ZeroOrMore(not_) + atom).set_parse_action(make_not)

    def combine(kind: type) -> Any:
        def action(tokens: Any) -> Any:
            nodes = tuple(t for t in tokens if not isinstance(t, str))
            return nodes[0] if len(nodes) == 1 else kind(nodes)

        return action

    conjunction = (unary + pp.ZeroOrMore(pp.Opt(and_) + unary)).set_parse_action(combine(And))
    disjunction = (conjunction + pp.ZeroOrMore(or_ + conjunction)).set_parse_action(combine(Or))
    expression <<= disjunction
    return expression + pp.StringEnd()


_SPACE = re.compile(r"\s")


def _plain(text: str) -> str:
    """``text`` with full-width forms, curly quotes and spaces in their plain forms, one character for one."""
    return _SPACE.sub(" ", text.translate(_PLAIN))


def _check_balance(query: str, plain: str) -> None:
    """Quotes closed, parentheses balanced and not nested too deeply: each fault at its position."""
    opened: list[int] = []
    quote = -1
    for position, character in enumerate(plain):
        if quote >= 0:
            if character == '"':
                quote = -1
            continue
        if character == '"':
            quote = position
        elif character == "(":
            opened.append(position)
            if len(opened) > MAX_QUERY_DEPTH:
                raise QueryError(
                    f"parentheses nested more than {MAX_QUERY_DEPTH} deep at column {{column}}",
                    query=query,
                    offset=position,
                )
        elif character == ")":
            if not opened:
                raise QueryError(
                    "')' at column {column} closes no '('",
                    query=query,
                    offset=position,
                    expected="a '(' before it",
                )
            opened.pop()
    if quote >= 0:
        raise QueryError(
            "the quote at column {column} is never closed", query=query, offset=quote, expected='a closing "'
        )
    if opened:
        raise QueryError(
            "'(' at column {column} is never closed",
            query=query,
            offset=opened[-1],
            expected="a ')' after it",
        )


_OPERATOR_AT = re.compile(r'(AND|OR|NOT)(?=[\s()"]|$)|&&|\|\||!|-|\+')
_BINARY_AT = re.compile(r'(AND|OR)(?=[\s()"]|$)|&&|\|\|')
_LAST_OPERATOR = re.compile(r"(?:^|[\s(])(AND|OR|NOT|&&|\|\||!|-)$")


def _syntax_error(query: str, plain: str, loc: int, fatal: bool) -> QueryError:
    """The fault pyparsing stopped at, said as a researcher would see it."""
    loc = min(loc, len(plain))
    while loc < len(plain) and plain[loc] == " ":
        loc += 1
    rest = plain[loc:]
    if fatal:
        name = rest.split(":", 1)[0]
        return QueryError(
            f"the field {name}: at column {{column}} has no term right after the colon",
            query=query,
            offset=loc,
            expected=f'{name}:term, {name}:"a phrase" or {name}:(…), with no space after the colon',
        )
    before = plain[:loc].rstrip()
    after_term = (
        bool(before) and not before.endswith("(") and _OPERATOR_AT.fullmatch(before.split(" ")[-1]) is None
    )
    operator = _OPERATOR_AT.match(rest)
    if operator is not None:
        sign = operator.group(0)
        end = loc + len(sign)
        following = plain[end:].lstrip()
        if (
            sign not in "+-"
            and following
            and not following.startswith(")")
            and not _BINARY_AT.match(following)
        ):
            # A term does follow: the fault is in it (e.g. inside its parentheses); read from there on.
            found = _fault(" " * end + plain[end:])
            if found is not None:
                return _syntax_error(query, " " * end + plain[end:], *found)
        if sign == "+":
            return QueryError(
                "'+' at column {column}: terms are all required already",
                query=query,
                offset=loc,
                expected="the term without '+' (terms side by side, or joined by AND, are all required)",
            )
        if sign == "-":
            return QueryError(
                "'-' at column {column} is not written against a term",
                query=query,
                offset=loc,
                expected="-term with no space, or NOT term",
            )
        if sign in ("NOT", "!"):
            return QueryError(
                f"{sign} at column {{column}} has no term after it",
                query=query,
                offset=loc,
                expected="a term",
            )
        where = "after" if after_term else "before"
        return QueryError(
            f"{sign} at column {{column}} has no term {where} it",
            query=query,
            offset=loc,
            expected=f"a term on each side of {sign}",
        )
    if not rest or rest.startswith(")"):
        if before.endswith("("):
            return QueryError(
                "the parentheses at column {column} are empty",
                query=query,
                offset=len(before) - 1,
                expected="a term",
            )
        last = _LAST_OPERATOR.search(before)
        if last is not None:
            return QueryError(
                f"{last.group(1)} at column {{column}} has no term after it",
                query=query,
                offset=last.start(1),
                expected="a term",
            )
        return QueryError("a term is expected at column {column}", query=query, offset=loc, expected="a term")
    if rest.startswith("("):
        # The fault is inside the parentheses: read them alone, blanked around so that positions stay.
        inner = _inside(plain, loc)
        found = None if inner is None else _fault(inner)
        if found is not None:
            return _syntax_error(query, inner, *found)  # type: ignore[arg-type]
    return QueryError(
        f"unexpected {rest.split(' ', 1)[0]!r} at column {{column}}",
        query=query,
        offset=loc,
        expected="a term",
    )


def _fault(plain: str) -> tuple[int, bool] | None:
    """Where pyparsing stops reading ``plain`` and whether it stopped for good; None if it reads."""
    import pyparsing as pp

    try:
        _grammar().parse_string(plain, parse_all=True)
    except pp.ParseFatalException as error:
        return error.loc, True
    except pp.ParseBaseException as error:
        return error.loc, False
    return None


def _inside(plain: str, loc: int) -> str | None:
    """The text inside the parenthesis opened at ``loc``, everything else blanked; None if it is empty."""
    depth = 0
    quoted = False
    for position in range(loc, len(plain)):
        character = plain[position]
        if character == '"':
            quoted = not quoted
        elif not quoted and character == "(":
            depth += 1
        elif not quoted and character == ")":
            depth -= 1
            if depth == 0:
                inner = plain[loc + 1 : position]
                return " " * (loc + 1) + inner if inner.strip() else None
    return None


@attrs.frozen(repr=False, eq=False)
class Query:
    """A parsed query: what :func:`parse_query` returns and :func:`select` takes.

    Attributes
    ----------
    text : str
        The query as given.
    tree : Term, Not, And or Or
        The parsed query.

    Examples
    --------
    >>> from policyquant.documents import parse_query
    >>> query = parse_query("title:(AI OR 人工智能) 生成式 -区块链")
    >>> print(query)
    (title:AI OR title:人工智能) AND 生成式 AND NOT 区块链
    >>> [str(term) for term in query.terms]
    ['title:AI', 'title:人工智能', '生成式', '区块链']
    """

    text: str
    tree: Any

    @property
    def terms(self) -> tuple[Term, ...]:
        """Every term and phrase of the query, in the order written."""
        return tuple(term for term, _ in _terms(self.tree))

    def __str__(self) -> str:
        return str(self.tree)

    def __repr__(self) -> str:
        return f"Query({str(self)!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Query) and self.tree == other.tree

    def __hash__(self) -> int:
        return hash(self.tree)

    def matches(self, documents: Any, *, fields: Sequence[str] = DEFAULT_FIELDS) -> pd.Series:
        """Whether each document matches the query: a boolean Series in the documents' order, by ``doc_id``.

        Parameters
        ----------
        documents : DocumentSet or pandas.DataFrame
            As in :func:`select`.
        fields : sequence of str, default ("title", "text")
            The columns a term without a field is searched in.

        Returns
        -------
        pandas.Series
            Booleans indexed by ``doc_id``.

        Examples
        --------
        >>> import pandas as pd
        >>> from policyquant.documents import parse_query
        >>> documents = pd.DataFrame({"doc_id": ["D1", "D2"], "title": ["", ""],
        ...                           "text": ["生成式人工智能服务", "区块链信息服务"]})
        >>> parse_query("人工智能 OR 区块链").matches(documents).tolist()
        [True, True]
        >>> parse_query("服务 NOT 区块链").matches(documents).tolist()
        [True, False]
        """
        frame = documents_frame(documents, "documents", ("doc_id",))
        fields = _check_fields(frame, fields)
        matcher = _Matcher(frame, fields, self)
        return pd.Series(
            matcher.evaluate(self.tree), index=pd.Index(frame["doc_id"].astype(str), name="doc_id")
        )


def parse_query(text: str | Query) -> Query:
    """Parse a search query: terms, "phrases", AND, OR, NOT, parentheses and field prefixes.

    The language is described in :mod:`policyquant.documents.selection`: terms
    side by side are joined by AND; NOT binds tighter than AND and AND than OR;
    ``&&``, ``||``, ``!`` and ``-term`` are accepted for AND, OR and NOT;
    ``title:`` and ``text:`` (``标题:``, ``全文:``) search one column.

    Parameters
    ----------
    text : str or Query
        The query (a Query is returned as it is).

    Returns
    -------
    Query
        The parsed query; ``str()`` of it writes it out with every operator
        and the parentheses its precedence implies.

    Raises
    ------
    QueryError
        A :class:`~policyquant.errors.ValidationError` for a query that cannot
        be read: an unclosed parenthesis or quote, a ``)`` with no ``(``, an
        operator with no term on one side, ``+term``, an empty query, a query
        longer than :data:`MAX_QUERY_LENGTH` or nested deeper than
        :data:`MAX_QUERY_DEPTH`.  The message shows the query with a caret
        under the position; ``offset`` holds it.

    Examples
    --------
    >>> from policyquant.documents import parse_query
    >>> print(parse_query('人工智能 AND ("生成式" OR 大模型) NOT 区块链'))
    人工智能 AND ("生成式" OR 大模型) AND NOT 区块链
    >>> print(parse_query("AI || 人工智能 && !区块链"))
    AI OR 人工智能 AND NOT 区块链
    >>> parse_query("人工智能 AND")
    Traceback (most recent call last):
    ...
    policyquant.documents.selection.QueryError: query: AND at column 6 has no term after it
        人工智能 AND
                 ^
      expected: a term on each side of AND
    """
    import pyparsing as pp

    if isinstance(text, Query):
        return text
    if not isinstance(text, str):
        raise InputTypeError(
            f"query must be text such as '人工智能 AND 治理', got {type(text).__name__}",
            [{"column": "query", "value": repr(text), "problem": "not text", "expected": "a query as text"}],
        )
    if len(text) > MAX_QUERY_LENGTH:
        raise QueryError(
            f"the query is {len(text):,} characters long; at most {MAX_QUERY_LENGTH:,} are accepted "
            "(the excess starts at column {column})",
            query=text[: MAX_QUERY_LENGTH + 20],
            offset=MAX_QUERY_LENGTH,
        )
    plain = _plain(text)
    if not plain.strip():
        raise QueryError("the query is empty", query=text, offset=0, expected="a term, e.g. 人工智能")
    _check_balance(text, plain)
    try:
        parsed = _grammar().parse_string(plain, parse_all=True)
    except pp.ParseBaseException as error:
        raise _syntax_error(text, plain, error.loc, isinstance(error, pp.ParseFatalException)) from None
    except RecursionError:
        raise QueryError("the query is nested too deeply", query=text, offset=0) from None
    query = Query(text, parsed[0])
    for term in query.terms:
        _term_pattern(term, text)
    return query


# -- Matching ----------------------------------------------------------------------------


def _fold(values: pd.Series) -> pd.Series:
    """Text as terms are compared with it: NFKC, case folded, one space per run, none between CJK characters."""
    text = values.astype(object).where(values.notna(), "").astype(str)
    try:
        import pyarrow as pa
        import pyarrow.compute as pc
    except ImportError:  # pragma: no cover - pyarrow comes with the parquet and test extras
        text = text.str.normalize("NFKC").str.casefold().str.replace(r"\s+", " ", regex=True)
    else:
        # Arrow normalises 28 MB of text in a fifth of a second; pandas' str.normalize takes 3 s.
        folded = pc.utf8_normalize(pa.array(text.to_numpy(dtype=object), pa.string()), "NFKC")
        folded = pc.replace_substring_regex(folded, r"[\s\x{85}\x{2028}\x{2029}]+", " ")
        text = pd.Series(pd.array(folded, dtype="str"), index=text.index).str.casefold()
    return text.str.replace(_CJK_SPACE, "", regex=True)


_CJK_SPACE = re.compile(f"(?<=[{_CJK_RANGES}]) (?=[{_CJK_RANGES}])")


def _fold_term(text: str) -> str:
    """One term folded as :func:`_fold` folds the text it is searched in."""
    folded = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).casefold()
    return _CJK_SPACE.sub("", folded).strip()


def _term_pattern(term: Term, query: str) -> str:
    """The regular expression a term stands for (its text is escaped: nothing of it is a pattern)."""
    folded = _fold_term(term.text)
    if not folded or (not term.phrase and not folded.strip("*?")):
        raise QueryError(
            "the term at column {column} has nothing to search for",
            query=query,
            offset=term.start,
            expected="a word, a phrase or a Chinese term",
        )
    if term.phrase:
        body = re.escape(folded)
    else:
        body = "".join("\\w*" if c == "*" else "\\w" if c == "?" else re.escape(c) for c in folded)
    core = folded.strip("*?") if not term.phrase else folded
    left = f"(?<!{_LATIN_WORD})" if re.match(_LATIN_WORD, core[:1]) and folded[:1] not in "*?" else ""
    right = f"(?!{_LATIN_WORD})" if re.match(_LATIN_WORD, core[-1:]) and folded[-1:] not in "*?" else ""
    return left + body + right


def _check_fields(frame: pd.DataFrame, fields: Any) -> tuple[str, ...]:
    if isinstance(fields, str):
        fields = (fields,)
    if not isinstance(fields, Iterable) or isinstance(fields, Mapping):
        raise InputTypeError(
            f"fields must be column names such as ('title', 'text'), got {type(fields).__name__}",
            [{"column": "fields", "value": repr(fields), "problem": "not a list of column names"}],
        )
    fields = tuple(fields)
    if fields == DEFAULT_FIELDS:
        # The default searches what the documents have: a table without titles searches the text.
        present = tuple(f for f in fields if f in frame.columns)
        if present:
            return present
    missing = [f for f in fields if f not in frame.columns]
    if missing or not fields:
        raise ValidationError(
            f"documents: fields= names {'no column' if not fields else 'a column the documents do not have'}",
            [
                {
                    "column": str(f),
                    "problem": "no such column of the documents",
                    "expected": format_choices(map(str, frame.columns)),
                    "suggestions": ", ".join(closest(str(f), map(str, frame.columns))) or None,
                }
                for f in (missing or ["(none)"])
            ],
        )
    return fields


class _Matcher:
    """Evaluates a query over all documents at once: one vectorised search per distinct term."""

    def __init__(
        self,
        frame: pd.DataFrame,
        fields: tuple[str, ...],
        query: Query,
        folded: dict[str, pd.Series] | None = None,
    ) -> None:
        self.frame = frame
        self.fields = fields
        self.query = query
        self.folded: dict[str, pd.Series] = {} if folded is None else folded
        self.masks: dict[tuple[str | None, str], np.ndarray] = {}
        columns = [str(c) for c in frame.columns]
        for term in query.terms:
            if term.field is not None and term.field not in frame.columns:
                raise QueryError(
                    f"the field {term.field}: at column {{column}} is not a column of the documents",
                    query=query.text,
                    offset=term.field_start,
                    expected=f"one of {format_choices(columns)}"
                    + (
                        f" (closest: {', '.join(closest(term.field, columns))})"
                        if closest(term.field, columns)
                        else ""
                    ),
                )

    def _column(self, name: str) -> pd.Series:
        if name not in self.folded:
            self.folded[name] = _fold(self.frame[name])
        return self.folded[name]

    def term(self, term: Term) -> np.ndarray:
        pattern = _term_pattern(term, self.query.text)
        key = (term.field, pattern)
        if key not in self.masks:
            columns = (term.field,) if term.field is not None else self.fields
            found = np.zeros(len(self.frame), dtype=bool)
            for column in columns:
                found |= self._column(column).str.contains(pattern, regex=True).to_numpy(dtype=bool)
            self.masks[key] = found
        return self.masks[key]

    def evaluate(self, node: Any) -> np.ndarray:
        if isinstance(node, Term):
            return self.term(node)
        if isinstance(node, Not):
            return ~self.evaluate(node.child)
        parts = [self.evaluate(child) for child in node.children]
        return np.logical_and.reduce(parts) if isinstance(node, And) else np.logical_or.reduce(parts)

    def matched(self) -> np.ndarray:
        """Per document, the terms found in it ("NOT term" for a term it is excluded by), joined by "; "."""
        labels: dict[str, np.ndarray] = {}
        for term, negated in _terms(self.query.tree):
            label = ("NOT " if negated else "") + str(term)
            labels.setdefault(label, self.term(term))
        if not labels:
            return np.full(len(self.frame), "", dtype=object)
        found = np.column_stack(list(labels.values())).astype(object)
        # True * "x; " is "x; " and False * it is "": a row sum joins the terms found, without a loop over rows.
        joined = (found * np.array([f"{label}; " for label in labels], dtype=object)).sum(axis=1)
        return pd.Series(joined, dtype=object).str[:-2].to_numpy(dtype=object)


# -- The screening principles -----------------------------------------------------------


def _column_for(frame: pd.DataFrame, candidates: tuple[str, ...], what: str, argument: str) -> str:
    for name in candidates:
        if name in frame.columns:
            return name
    names = " or ".join(repr(c) for c in candidates)
    raise ValidationError(
        f"documents: {argument}= needs the {what} of each document, in a column {names}, and there is none; "
        f"run policyquant.extract_metadata(documents) first, which finds it in each text, or add the column",
        [
            {
                "column": candidates[0],
                "problem": "missing column",
                "expected": f"the {what} of each document (policyquant.extract_metadata finds it)",
            }
        ],
    )


def _bound(value: Any, end: bool, argument: str) -> pd.Timestamp | None:
    """The first (or last) moment of a period's start (or end): ``"2017-07"`` starts 1 July, ends 31 July."""
    if value is None:
        return None
    try:
        if isinstance(value, pd.Period):
            period = value
        elif isinstance(value, (datetime, pd.Timestamp)):
            stamp = pd.Timestamp(value)
            if stamp.tzinfo is not None:
                stamp = stamp.tz_localize(None)
            if stamp != stamp.normalize():
                return stamp
            period = stamp.to_period("D")
        elif isinstance(value, date):
            period = pd.Period(value, freq="D")
        elif isinstance(value, str) and value.strip():
            period = pd.Period(value.strip())
        elif isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_)) and 1 <= value <= 9999:
            # A year as a number (2017): True and False are no years, nor is 0 or 20170.
            period = pd.Period(year=int(value), freq="Y")
        else:
            raise TypeError
    except (TypeError, ValueError, OverflowError):
        raise ValidationError(
            f"period: cannot read {value!r} as a date",
            [
                {
                    "column": argument,
                    "value": repr(value),
                    "problem": "not a date, month or year",
                    "expected": "'2017', '2017-07', '2017-07-01', a year as a number (2017), a date or a pandas Period",
                }
            ],
        ) from None
    return period.end_time if end else period.start_time


def _period_bounds(period: Any) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    if isinstance(period, pd.Period):
        return _bound(period, False, "period"), _bound(period, True, "period")
    if isinstance(period, str) and "/" in period:
        period = tuple(part.strip() or None for part in period.split("/", 1))
    if isinstance(period, (str, int, np.integer)) and not isinstance(period, (bool, np.bool_)):
        return _bound(period, False, "period"), _bound(period, True, "period")
    if not isinstance(period, Sequence) or isinstance(period, str) or len(period) != 2:
        raise ValidationError(
            f"period must be (start, end), e.g. ('2017-07', '2025-06'), or a pandas Period; got {period!r}",
            [
                {
                    "column": "period",
                    "value": repr(period),
                    "problem": "not a period",
                    "expected": "(start, end) of dates, months or years; None for an open end",
                }
            ],
        )
    start, end = _bound(period[0], False, "period start"), _bound(period[1], True, "period end")
    if start is None and end is None:
        raise ValidationError("period: give a start, an end or both (None, None selects nothing to screen)")
    if start is not None and end is not None and start > end:
        raise ValidationError(
            f"period: the start {start.date()} is after the end {end.date()}",
            [
                {
                    "column": "period",
                    "value": repr(period),
                    "problem": "start after end",
                    "expected": "start <= end",
                }
            ],
        )
    return start, end


_CHINESE_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")


def _dates(values: pd.Series) -> pd.Series:
    """Dates of a column of dates or texts (``2021-11-25``, ``2021/11/25``, ``2021年11月25日``); NaT where unreadable."""
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        stamps = pd.Series(values.to_numpy(), index=values.index)
        if getattr(values.dt, "tz", None) is not None:
            stamps = values.dt.tz_localize(None)
        return stamps.astype("datetime64[ns]")
    objects = values.astype(object)
    kinds = objects.map(type)
    is_text = kinds.isin([str])
    text = objects.where(is_text, "").astype(str).str.normalize("NFKC").str.strip()
    text = text.str.replace(_CHINESE_DATE, r"\1-\2-\3", regex=True).str.replace(r"[/.]", "-", regex=True)
    parsed = pd.to_datetime(text.where(is_text & (text != ""), None), errors="coerce", format="ISO8601")
    # Dates and timestamps as objects; a number is no date (it would read as nanoseconds since 1970).
    others = objects.where(kinds.isin([date, datetime, pd.Timestamp, np.datetime64]), None)
    if others.notna().any():
        converted = pd.to_datetime(others, errors="coerce", utc=True).dt.tz_localize(None)
        parsed = parsed.where(is_text, converted)
    if getattr(parsed.dt, "tz", None) is not None:
        parsed = parsed.dt.tz_localize(None)
    return parsed.astype("datetime64[ns]")


#: Spellings of the administrative levels -> their keys (the level labels of both languages, and a few more).
_LEVEL_NAMES = {
    **{normalize_name(key): key for key in LEVEL_LABELS["en"]},
    **{normalize_name(label): key for labels in LEVEL_LABELS.values() for key, label in labels.items()},
    "central": "national",
    "中央": "national",
    "国家": "national",
    "省": "provincial",
    "省级政府": "provincial",
    "市": "municipal",
    "县": "county",
}


def _level_keys(values: pd.Series) -> pd.Series:
    folded = values.astype(object).where(values.notna(), None)
    text = folded.dropna().astype(str).map(normalize_name)
    return text.map(lambda v: _LEVEL_NAMES.get(v, v)).reindex(values.index)


def _as_list(value: Any, argument: str, example: str) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, Iterable) or isinstance(value, Mapping):
        raise InputTypeError(
            f"{argument} must be text or a list of texts such as {example}, got {type(value).__name__}",
            [{"column": argument, "value": repr(value), "problem": "not a list", "expected": example}],
        )
    items = list(value)
    wrong = [v for v in items if not isinstance(v, str) or not v.strip()]
    if wrong or not items:
        raise ValidationError(
            f"{argument} must name at least one value, each as text ({example}); pass None to skip this step",
            [
                {"column": argument, "value": repr(v), "problem": "not a non-empty text"}
                for v in wrong or [items]
            ],
        )
    return items


def _exclusions(exclude: Any, ids: pd.Index) -> dict[str, str | None]:
    """``exclude`` as doc_id -> reason (None: the default reason); ids not among the documents refused."""
    if isinstance(exclude, Mapping):
        pairs = [(str(k), v) for k, v in exclude.items()]
    elif isinstance(exclude, str):
        pairs = [(exclude, None)]
    elif isinstance(exclude, Iterable):
        pairs = [(str(k), None) for k in exclude]
    else:
        raise InputTypeError(
            f"exclude must map doc_id to a reason, or list doc_ids; got {type(exclude).__name__}",
            [{"column": "exclude", "value": repr(exclude), "problem": "not a mapping or list of doc_ids"}],
        )
    problems = []
    for key, reason in pairs:
        if reason is not None and (not isinstance(reason, str) or not reason.strip()):
            problems.append(
                {
                    "column": "exclude",
                    "value": key,
                    "problem": f"the reason {reason!r} is not a text",
                    "expected": "why it is excluded, e.g. 'duplicate of D3'",
                }
            )
    unknown = [key for key, _ in pairs if key not in ids]
    known = list(map(str, ids))
    if unknown:
        from ..corpus import _unpadded

        # A list kept in Excel turns 007 into 7 (or 7.0): the id it was is the first suggestion.
        by_unpadded: dict[str, list[str]] = {}
        for doc_id in known:
            by_unpadded.setdefault(_unpadded(doc_id), []).append(doc_id)
    for key in unknown:
        near = [*by_unpadded.get(_unpadded(key), []), *closest(key, known)]
        problems.append(
            {
                "column": "exclude",
                "value": key,
                "problem": "not a doc_id of the documents",
                "expected": "a doc_id of the documents",
                "suggestions": ", ".join(list(dict.fromkeys(near))[:3]) or None,
            }
        )
    if problems:
        raise ValidationError("exclude: some entries cannot be applied", problems)
    return {key: (reason.strip() if isinstance(reason, str) else None) for key, reason in pairs}


# -- Words --------------------------------------------------------------------------------

#: Names of the steps and reasons by language ({arg}: the value a reason is about).
_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "step": "Step",
        "reason": "Reason",
        "documents": "Documents",
        "doc_id": "Document",
        "title": "Title",
        "included": "Included",
        "detail": "Value",
        "matched": "Terms found",
        "step:searched": "Searched",
        "step:query": "Query",
        "step:found": "Found",
        "step:duplicate": "Duplicates",
        "step:period": "Period",
        "step:level": "Level",
        "step:form": "Document form",
        "step:exclude": "Exclusion list",
        "step:included": "Included",
        "all": "all documents given",
        "no_match": "does not match the query",
        "found": "found by the query",
        "no_query": "every document (no query)",
        "duplicate": "same text as another document",
        "before": "issued before {arg}",
        "after": "issued after {arg}",
        "no_date": "no issue date",
        "bad_date": "issue date not readable",
        "level": "level not selected: {arg}",
        "no_level": "no level",
        "form": "form not selected: {arg}",
        "no_form": "no document form",
        "researcher": "excluded by the researcher",
        "given": "{arg}",
        "none": "none excluded",
        "kept": "included in the sample",
        "yes": "yes",
        "no": "no",
        "same_as": "same text as {arg}",
        "title_flow": "Selection of documents",
        "box_searched": "Documents searched\n(n = {n})",
        "box_found": "Found by the query\n(n = {n})",
        "box_screened": "Screened\n(n = {n})",
        "box_included": "Included in the sample\n(n = {n})",
        "box_no_match": "Not found by the query\n(n = {n})",
        "box_excluded": "Excluded (n = {n})",
        "line": "{step}: {reason} ({n})",
        "summary": "Selection: {searched} documents searched, {found} found, {included} included",
        "criteria:query": "Query",
        "criteria:fields": "Searched in",
        "criteria:duplicates": "Duplicates",
        "criteria:period": "Period",
        "criteria:level": "Levels",
        "criteria:form": "Document forms",
        "criteria:exclude": "Exclusion list",
        "no_query_value": "none (every document)",
        "duplicates_value": "texts repeating another document's are excluded",
        "open_start": "any time",
        "open_end": "today",
        "listed": "{n} document(s), each with its reason",
        "sample": "Sample selection",
        "sample_caption": "Documents searched, found, excluded at each step and included",
        "excluded_caption": "Documents excluded after the query, with the step and reason",
        "flow_caption": "Flow of documents through the selection",
    },
    "zh": {
        "step": "步骤",
        "reason": "原因",
        "documents": "文件数",
        "doc_id": "文件编号",
        "title": "标题",
        "included": "是否纳入",
        "detail": "依据",
        "matched": "命中检索词",
        "step:searched": "检索范围",
        "step:query": "检索式",
        "step:found": "检索所得",
        "step:duplicate": "重复文件",
        "step:period": "发布时间",
        "step:level": "发文层级",
        "step:form": "文件形式",
        "step:exclude": "人工剔除",
        "step:included": "纳入样本",
        "all": "全部文件",
        "no_match": "不符合检索式",
        "found": "符合检索式",
        "no_query": "全部文件（未设检索式）",
        "duplicate": "与另一文件文本相同",
        "before": "发布于 {arg} 之前",
        "after": "发布于 {arg} 之后",
        "no_date": "无发布日期",
        "bad_date": "发布日期无法识别",
        "level": "层级不在范围内：{arg}",
        "no_level": "无发文层级",
        "form": "文件形式不在范围内：{arg}",
        "no_form": "无文件形式",
        "researcher": "研究者剔除",
        "given": "{arg}",
        "none": "无",
        "kept": "纳入样本",
        "yes": "是",
        "no": "否",
        "same_as": "与 {arg} 文本相同",
        "title_flow": "政策文件筛选流程",
        "box_searched": "检索范围内的文件\n（n = {n}）",
        "box_found": "符合检索式的文件\n（n = {n}）",
        "box_screened": "进入筛选的文件\n（n = {n}）",
        "box_included": "纳入样本的文件\n（n = {n}）",
        "box_no_match": "不符合检索式\n（n = {n}）",
        "box_excluded": "剔除（n = {n}）",
        "line": "{step}：{reason}（{n}）",
        "summary": "样本筛选：检索范围 {searched} 份，符合检索式 {found} 份，纳入 {included} 份",
        "criteria:query": "检索式",
        "criteria:fields": "检索字段",
        "criteria:duplicates": "重复文件",
        "criteria:period": "发布时间",
        "criteria:level": "发文层级",
        "criteria:form": "文件形式",
        "criteria:exclude": "人工剔除",
        "no_query_value": "无（全部文件）",
        "duplicates_value": "文本与另一文件相同者剔除",
        "open_start": "不限",
        "open_end": "至今",
        "listed": "{n} 份文件（各附原因）",
        "sample": "样本筛选",
        "sample_caption": "检索范围、检索所得、各步骤剔除及纳入的文件数",
        "excluded_caption": "检索所得但被剔除的文件及其步骤与原因",
        "flow_caption": "政策文件筛选流程",
    },
}

#: The order reasons are listed in within a step.
_REASON_ORDER = (
    "no_match",
    "duplicate",
    "before",
    "after",
    "no_date",
    "bad_date",
    "level",
    "no_level",
    "form",
    "no_form",
    "given",
    "researcher",
)


def _word(key: str, language: str | None, **values: Any) -> str:
    return _WORDS[interface_language(language)][key].format(**values)


def _reason_text(key: str, arg: str, language: str | None) -> str:
    if key == "level" and arg:
        from .._language import level_label

        arg = level_label(arg, language) if interface_language(language) == "zh" else arg
    return _word(key, language, arg=arg)


def _reason_texts(keys: pd.DataFrame, language: str | None) -> np.ndarray:
    """The reason of each row of ``keys`` (``reason_key``, ``reason_arg``) in ``language``, worded once per distinct reason."""
    pairs = keys[["reason_key", "reason_arg"]].astype(object)
    distinct = pairs.drop_duplicates()
    words = [_reason_text(k, a, language) for k, a in distinct.itertuples(index=False, name=None)]
    texts = distinct.assign(text=words)
    return pairs.merge(texts, how="left", on=["reason_key", "reason_arg"])["text"].to_numpy(dtype=object)


# -- The result --------------------------------------------------------------------------


class SelectionRecords(FrameResult):
    """Every document of a selection, with the step that included or excluded it and why.

    :meth:`to_frame` is indexed by ``doc_id``, with columns ``title``, ``included`` (bool),
    ``step`` (where it was decided: ``query``, ``duplicate``, ``period``,
    ``level``, ``form``, ``exclude``, or ``included``), ``reason`` (as in the
    selection table), ``detail`` (the document's value the reason is about: its
    issue date, level, form, the document it duplicates) and ``matched`` (the
    query's terms found in it; ``NOT term`` for a term that excludes it).

    Examples
    --------
    >>> import pandas as pd
    >>> from policyquant.documents import select
    >>> documents = pd.DataFrame({"doc_id": ["D1", "D2"], "title": ["", ""],
    ...                           "text": ["生成式人工智能服务", "区块链信息服务"]})
    >>> records = select(documents, "人工智能").records
    >>> records.to_frame()[["included", "step", "reason"]]
            included      step                    reason
    doc_id
    D1          True  included    included in the sample
    D2         False     query  does not match the query
    >>> frame = records.to_frame(language="zh")
    >>> frame.index.name, frame.columns.tolist()
    ('文件编号', ['标题', '是否纳入', '步骤', '原因', '依据', '命中检索词'])
    """

    def __init__(self, frame: pd.DataFrame, keys: pd.DataFrame) -> None:
        super().__init__(frame)
        self._keys = keys

    def to_frame(self, language: str | None = None) -> pd.DataFrame:
        """The records: keys and English reasons by default; headers, steps and reasons in ``language`` with one.

        Parameters
        ----------
        language : str, optional
            ``"en"`` or ``"zh"`` (as everywhere in the package).

        Returns
        -------
        pandas.DataFrame
            A copy, one row per document in the order given, indexed by
            ``doc_id`` (as text).
        """
        language = resolve_language(language)
        frame = self.frame.copy()
        if language is None:
            return frame.set_index("doc_id")
        words = _WORDS[language]
        frame["step"] = (
            self._keys["step"].map({s: words[f"step:{s}"] for s in (*STEPS, "included")}).to_numpy()
        )
        frame["reason"] = _reason_texts(self._keys, language)
        duplicate = self._keys["reason_key"].to_numpy() == "duplicate"
        same_as = words["same_as"].split("{arg}")
        frame.loc[duplicate, "detail"] = same_as[0] + self._keys["reason_arg"][duplicate] + same_as[1]
        frame["included"] = np.where(frame["included"].to_numpy(dtype=bool), words["yes"], words["no"])
        return frame.rename(columns={c: words[c] for c in frame.columns if c in words}).set_index(
            words["doc_id"]
        )


class Selection(FrameResult):
    """The outcome of :func:`select`: the selection table, every document's record, the kept documents.

    ``to_frame()`` is the selection table, one row per step and reason,
    indexed by ``step``, with columns ``reason`` and ``documents`` (a count): first the
    documents ``searched``, then those the ``query`` does not match and those
    ``found``; then, for each step applied in turn (``duplicate``, ``period``,
    ``level``, ``form``, ``exclude``), the documents it excluded by reason
    (``none excluded``, 0, when it excluded none); last the documents
    ``included``.  The documents found are the sum of the exclusions after
    them and the documents included.  ``to_frame(language="zh")`` (or ``"en"``)
    gives the same table with headers, steps and reasons in that language;
    ``save`` writes it (``.csv``, ``.xlsx``, ``.md``, ``.tex``, ``.html``,
    ``.docx``).

    Attributes
    ----------
    records : SelectionRecords
        One row per document given, in the order given, with the step that
        decided it and why.
    kept : pandas.DataFrame
        The included documents: their rows of the documents table, every
        column, in the order given; what :func:`policyquant.segment` takes next.
    query : Query or None
        The query (None: every document was found).
    period : tuple of pandas.Timestamp or None
        The first and last moment of the period (either None for an open end).
    levels, forms : tuple of str or None
        The levels and forms admitted.
    exclude : dict
        doc_id -> reason of the exclusion list.

    Examples
    --------
    >>> import pandas as pd
    >>> from policyquant.documents import select
    >>> documents = pd.DataFrame({
    ...     "doc_id": ["D1", "D2", "D3", "D4"],
    ...     "title": ["生成式人工智能服务管理暂行办法", "关于区块链的通知", "人工智能产业发展规划", "人工智能伦理指引"],
    ...     "text": ["第一条……", "第二条……", "第三条……", "第四条……"],
    ...     "issue_date": ["2023-07-10", "2019-01-10", "2016-05-01", "2024-02-01"],
    ... })
    >>> selection = select(documents, "人工智能", period=("2017-07", "2025-06"), exclude={"D4": "not formally published"})
    >>> selection.to_frame()
                                 reason  documents
    step
    searched        all documents given          4
    query      does not match the query          1
    found            found by the query          3
    duplicate             none excluded          0
    period     issued before 2017-07-01          1
    exclude      not formally published          1
    included     included in the sample          1
    >>> selection.kept["doc_id"].tolist()
    ['D1']
    """

    def __init__(
        self,
        table: pd.DataFrame,
        table_keys: pd.DataFrame,
        records: SelectionRecords,
        kept: pd.DataFrame,
        *,
        query: Query | None,
        period: tuple[pd.Timestamp | None, pd.Timestamp | None] | None,
        levels: tuple[str, ...] | None,
        forms: tuple[str, ...] | None,
        exclude: dict[str, str | None],
        fields: tuple[str, ...] = DEFAULT_FIELDS,
        duplicates: bool = True,
    ) -> None:
        super().__init__(table, decimals=0)
        self.fields = fields
        self.duplicates = duplicates
        self._table_keys = table_keys
        self.records = records
        self.kept = kept
        self.query = query
        self.period = period
        self.levels = levels
        self.forms = forms
        self.exclude = exclude

    def counts(self) -> dict[str, int]:
        """Documents searched, found, excluded at each step applied, and included.

        Returns
        -------
        dict of str to int
            ``searched``, ``found``, then each step applied (``duplicate``,
            ``period`` ...) with the documents it excluded, and ``included``.

        Examples
        --------
        >>> import pandas as pd
        >>> from policyquant.documents import select
        >>> documents = pd.DataFrame({"doc_id": ["D1", "D2"], "text": ["人工智能", "区块链"]})
        >>> select(documents, "人工智能").counts()
        {'searched': 2, 'found': 1, 'duplicate': 0, 'included': 1}
        """
        keys = self._table_keys
        out: dict[str, int] = {}
        for step, count in zip(keys["step"], self.frame["documents"], strict=True):
            if step == "query":
                continue
            out[step] = out.get(step, 0) + int(count)
        return out

    def to_frame(self, language: str | None = None) -> pd.DataFrame:
        """The selection table: keys and English reasons by default; labelled in ``language`` with one.

        Parameters
        ----------
        language : str, optional
            ``"en"`` or ``"zh"`` (as everywhere in the package): headers,
            steps and reasons in that language.

        Returns
        -------
        pandas.DataFrame
            Indexed by ``step``, with columns ``reason`` and ``documents``; a copy.
        """
        language = resolve_language(language)
        frame = self.frame.copy()
        if language is None:
            return frame.set_index("step")
        words = _WORDS[language]
        keys = self._table_keys
        frame["step"] = [words[f"step:{s}"] for s in keys["step"]]
        frame["reason"] = _reason_texts(keys, language)
        return frame.rename(columns={c: words[c] for c in frame.columns}).set_index(words["step"])

    def summary(self, language: str | None = None) -> str:
        """One line: documents searched, found and included.

        Parameters
        ----------
        language : str, optional
            ``"en"`` or ``"zh"``.

        Returns
        -------
        str

        Examples
        --------
        >>> import pandas as pd
        >>> from policyquant.documents import select
        >>> documents = pd.DataFrame({"doc_id": ["D1", "D2"], "text": ["人工智能", "区块链"]})
        >>> select(documents, "人工智能").summary(language="zh")
        '样本筛选：检索范围 2 份，符合检索式 1 份，纳入 1 份'
        """
        counts = self.counts()
        return _word(
            "summary",
            language,
            searched=counts["searched"],
            found=counts["found"],
            included=counts["included"],
        )

    def criteria(self, language: str | None = None) -> list[tuple[str, str]]:
        """The selection's criteria as (label, value) pairs, for a methods section.

        Parameters
        ----------
        language : str, optional
            ``"en"`` or ``"zh"``.

        Returns
        -------
        list of (str, str)
            The query, the columns searched, then each principle applied.

        Examples
        --------
        >>> import pandas as pd
        >>> from policyquant.documents import select
        >>> documents = pd.DataFrame({"doc_id": ["D1"], "text": ["人工智能"], "issue_date": ["2023-07-10"]})
        >>> select(documents, "人工智能 AI", period=("2017-07", "2025-06")).criteria()
        [('Query', '人工智能 AND AI'), ('Searched in', 'text'), ('Duplicates', "texts repeating another document's are excluded"), ('Period', '2017-07-01 – 2025-06-30')]
        """
        words = _WORDS[interface_language(language)]
        comma = "、" if interface_language(language) == "zh" else ", "
        out = [
            (words["criteria:query"], str(self.query) if self.query is not None else words["no_query_value"]),
        ]
        if self.query is not None:
            out.append((words["criteria:fields"], comma.join(self.fields)))
        if self.duplicates:
            out.append((words["criteria:duplicates"], words["duplicates_value"]))
        if self.period is not None:
            start, end = self.period
            out.append(
                (
                    words["criteria:period"],
                    f"{start.date() if start is not None else words['open_start']} – "
                    f"{end.date() if end is not None else words['open_end']}",
                )
            )
        if self.levels is not None:
            from .._language import level_label

            out.append(
                (
                    words["criteria:level"],
                    comma.join(level_label(k, language) if language else k for k in self.levels),
                )
            )
        if self.forms is not None:
            out.append((words["criteria:form"], comma.join(self.forms)))
        if self.exclude:
            out.append((words["criteria:exclude"], words["listed"].format(n=len(self.exclude))))
        return out

    def flow_figure(self, **options: Any) -> Any:
        """The PRISMA-style flow diagram: :func:`policyquant.plotting.selection_flow` of this selection.

        Parameters
        ----------
        **options
            ``language``, ``ax``, ``font``, ``title``, as that function takes them.

        Returns
        -------
        matplotlib.figure.Figure

        Examples
        --------
        >>> import matplotlib.pyplot as plt
        >>> import pandas as pd
        >>> from policyquant.documents import select
        >>> documents = pd.DataFrame({"doc_id": ["D1", "D2"], "text": ["人工智能", "区块链"]})
        >>> fig = select(documents, "人工智能").flow_figure(language="zh")
        >>> plt.close(fig)
        """
        from ..plotting import selection_flow

        return selection_flow(self, **options)

    def _lines(self, language: str | None) -> list[tuple[str, str, int]]:
        """(step label, reason, count) of every exclusion after the query, for the flow diagram."""
        keys = self._table_keys
        words = _WORDS[interface_language(language)]
        lines = []
        for step, key, arg, count in zip(
            keys["step"], keys["reason_key"], keys["reason_arg"], self.frame["documents"], strict=True
        ):
            if step in STEPS[1:] and count > 0:
                lines.append((words[f"step:{step}"], _reason_text(key, arg, language), int(count)))
        return lines

    def __repr__(self) -> str:
        from .._terminal import fit_table

        frame = self.to_frame(language="en")
        return f"{self.summary()}\n{fit_table(frame)}"

    def __str__(self) -> str:
        return repr(self)


# -- select -------------------------------------------------------------------------------


def select(
    documents: Any,
    query: str | Query | None,
    *,
    fields: Sequence[str] = DEFAULT_FIELDS,
    period: Any = None,
    level: str | Iterable[str] | None = None,
    forms: Iterable[str] | None = None,
    exclude: Mapping[str, str] | Iterable[str] | None = None,
    duplicates: bool = True,
) -> Selection:
    """Select the sample of a study: the documents a query finds and the screening principles admit.

    Each document is decided at the first step it fails, in this order, and
    its record says which and why:

    1. ``query``: the query does not match it (see
       :mod:`policyquant.documents.selection` for the language; terms side by
       side are joined by AND).
    2. ``duplicate`` (``duplicates=True``): its text is the text of another
       document found (after folding width, case and white space); the one
       with the smallest ``doc_id`` stays, as in the ``duplicate_of`` column
       of :func:`policyquant.read_documents`.
    3. ``period``: issued before the start or after the end, or its issue date
       is missing or unreadable.
    4. ``level``: its administrative level is not one of ``level``, or missing.
    5. ``form``: its document form is not one of ``forms``, or missing.
    6. ``exclude``: listed by the researcher, with the reason given (not
       formally published, not relevant on reading ...).

    A document whose value for a principle is missing is **excluded** at that
    principle, with the reason "no issue date", "no level" or "no document
    form": a principle the sample is defined by cannot admit a document it
    cannot check.  Fill the value (or leave the principle out) to admit it.

    Parameters
    ----------
    documents : DocumentSet or pandas.DataFrame
        What :func:`policyquant.read_documents` returns, or a DataFrame with
        ``doc_id`` and ``text`` (and ``title``); the principles read the
        columns ``issue_date`` (or ``date``), ``level`` and ``form``, as
        :func:`policyquant.extract_metadata` adds them.
    query : str, Query or None
        The search query; None finds every document (screening only).
    fields : sequence of str, default ("title", "text")
        The columns a term without a field prefix is searched in (a table with
        no ``title`` searches its ``text``).
    period : (start, end), str or pandas.Period, optional
        The period documents were issued in, both ends included: ``("2017-07",
        "2025-06")`` is 1 July 2017 to 30 June 2025; ``("2017-07-01",
        "2025-06-30")``, years (``"2017"`` or the number ``2017``), dates,
        Timestamps and Periods work too, and None for an open end; ``"2023"``,
        ``2023`` or ``pd.Period("2023")`` is one year.
    level : str or list of str, optional
        The administrative levels admitted: ``national``, ``provincial``,
        ``municipal``, ``county`` (or ``国家级``, ``省级`` ..., folded to those keys
        on both sides); other values of the ``level`` column are matched as
        written.
    forms : list of str, optional
        The document forms (文件形式) admitted, e.g. ``["条例", "办法", "规定",
        "意见", "通知"]``.  A form admits the forms that end with it: ``办法``
        admits ``暂行办法`` and ``管理办法``, ``意见`` admits ``实施意见``.
    exclude : mapping of doc_id to reason, or list of doc_ids, optional
        Documents the researcher excludes, with why (``{"D7": "duplicate of
        D3", "D9": "not formally published"}``); a list gives the reason
        "excluded by the researcher".
    duplicates : bool, default True
        Exclude documents whose text repeats another found document's.

    Returns
    -------
    Selection
        The selection table (``to_frame()``, in English or Chinese), every
        document's record (``records``), the included documents (``kept``) and
        the flow diagram (``flow_figure()``).

    Raises
    ------
    QueryError
        For a query that cannot be read (the message points at the position)
        or a field prefix that is not a column of the documents.
    ValidationError
        For documents without ``doc_id`` or ``text``, repeated or missing
        doc_ids, a principle whose column the documents lack (the message
        names the column and :func:`policyquant.extract_metadata`), a period
        that cannot be read, a level that is neither a known level nor in the
        documents, an empty list of forms, or an ``exclude`` entry that names
        no document.

    Examples
    --------
    >>> import pandas as pd
    >>> from policyquant.documents import select
    >>> documents = pd.DataFrame({
    ...     "doc_id": ["N1", "N2", "P1", "P2"],
    ...     "title": ["生成式人工智能服务管理暂行办法", "网络数据安全管理条例",
    ...               "上海市促进人工智能产业发展条例", "某市人工智能应用通知"],
    ...     "text": ["为了促进生成式人工智能健康发展……", "为了规范网络数据处理活动……",
    ...              "为了促进人工智能产业高质量发展……", "推进人工智能应用……"],
    ...     "issue_date": ["2023-07-10", "2024-09-24", "2022-09-22", "2024-03-01"],
    ...     "level": ["national", "national", "provincial", "municipal"],
    ... })
    >>> selection = select(documents, "人工智能 OR AI", period=("2017-07", "2025-06"),
    ...                    level=["national", "provincial"])
    >>> selection.records.to_frame()[["step", "reason"]]
                step                         reason
    doc_id
    N1      included         included in the sample
    N2         query       does not match the query
    P1      included         included in the sample
    P2         level  level not selected: municipal
    >>> selection.to_frame(language="zh")
                  原因  文件数
    步骤
    检索范围        全部文件    4
    检索式       不符合检索式    1
    检索所得       符合检索式    3
    重复文件           无    0
    发布时间           无    0
    发文层级  层级不在范围内：市级    1
    纳入样本        纳入样本    2
    """
    frame = documents_frame(documents, "documents", ("doc_id", "text"))
    ids = _check_ids(frame)
    parsed = None if query is None else parse_query(query)
    fields = _check_fields(frame, fields)
    n = len(frame)
    undecided = np.ones(n, dtype=bool)
    step = np.full(n, "included", dtype=object)
    reason_key = np.full(n, "kept", dtype=object)
    reason_arg = np.full(n, "", dtype=object)
    detail = np.full(n, "", dtype=object)
    applied: list[str] = []

    def decide(name: str, failing: np.ndarray, key: np.ndarray | str, arg: Any = "", value: Any = "") -> None:
        hit = undecided & failing
        step[hit] = name
        reason_key[hit] = key[hit] if isinstance(key, np.ndarray) else key
        reason_arg[hit] = arg[hit] if isinstance(arg, np.ndarray) else arg
        detail[hit] = value[hit] if isinstance(value, np.ndarray) else value
        undecided[hit] = False

    matched = np.full(n, "", dtype=object)
    folded: dict[str, pd.Series] = {}
    if parsed is not None:
        matcher = _Matcher(frame, fields, parsed, folded)
        found = matcher.evaluate(parsed.tree)
        matched = matcher.matched()
        decide("query", ~found, "no_match")
    found_count = int(undecided.sum())
    level_keys = form_keys = None
    bounds = None
    if period is not None:
        bounds = _period_bounds(period)
        date_column = _column_for(frame, _DATE_COLUMNS, "issue date", "period")
    if level is not None:
        level_column = _column_for(frame, _LEVEL_COLUMNS, "administrative level", "level")
        level_keys = _check_levels(
            _as_list(level, "level", "'national' or ['national', 'provincial']"), frame[level_column]
        )
    if forms is not None:
        form_column = _column_for(frame, _FORM_COLUMNS, "document form (文件形式)", "forms")
        form_keys = tuple(normalize_name(f) for f in _as_list(forms, "forms", "['条例', '办法', '意见']"))
    listed = _exclusions(exclude, pd.Index(ids)) if exclude is not None else {}

    if duplicates:
        applied.append("duplicate")
        if "text" not in folded:
            folded["text"] = _fold(frame["text"])
        copies = _duplicates(folded["text"], ids, undecided)
        has_copy = copies != ""
        same_as = ("same text as " + pd.Series(copies, dtype=object)).to_numpy(dtype=object)
        decide("duplicate", has_copy, "duplicate", copies, same_as)
    if bounds is not None:
        applied.append("period")
        start, end = bounds
        raw = frame[date_column]
        dates = _dates(raw)
        stamps = dates.to_numpy(dtype="datetime64[ns]")
        missing = raw.isna().to_numpy() | (raw.astype(object).astype(str).str.strip() == "").to_numpy()
        unreadable = np.isnat(stamps) & ~missing
        shown = dates.dt.strftime("%Y-%m-%d").to_numpy(dtype=object, na_value="")
        decide("period", missing, "no_date")
        decide("period", unreadable, "bad_date", "", raw.astype(object).astype(str).to_numpy(dtype=object))
        if start is not None:
            decide(
                "period",
                ~np.isnat(stamps) & (stamps < start.to_datetime64()),
                "before",
                str(start.date()),
                shown,
            )
        if end is not None:
            decide(
                "period", ~np.isnat(stamps) & (stamps > end.to_datetime64()), "after", str(end.date()), shown
            )
    if level_keys is not None:
        applied.append("level")
        keys = _level_keys(frame[level_column])
        values = keys.to_numpy(dtype=object, na_value="")
        absent = keys.isna().to_numpy() | (values == "")
        decide("level", absent, "no_level")
        shown = frame[level_column].astype(object).where(keys.notna(), "").astype(str).to_numpy(dtype=object)
        decide("level", ~keys.isin(level_keys).to_numpy(), "level", values, shown)
    if form_keys is not None:
        applied.append("form")
        raw = frame[form_column]
        text = raw.astype(object).where(raw.notna(), "").astype(str).map(normalize_name)
        absent = (text == "").to_numpy()
        admitted = np.zeros(n, dtype=bool)
        for form in form_keys:
            admitted |= text.str.endswith(form).to_numpy(dtype=bool)
        values = raw.astype(object).where(raw.notna(), "").astype(str).str.strip().to_numpy(dtype=object)
        decide("form", absent, "no_form")
        decide("form", ~admitted, "form", values, values)
    if exclude is not None:
        applied.append("exclude")
        is_listed = pd.Index(ids).isin(pd.Index(list(listed), dtype=object))
        given = pd.Series({k: r or "" for k, r in listed.items()}, dtype=object).reindex(ids).fillna("")
        arg = given.to_numpy(dtype=object)
        key = np.where(arg != "", "given", "researcher").astype(object)
        decide("exclude", is_listed, key, arg)

    keys = pd.DataFrame({"step": step, "reason_key": reason_key, "reason_arg": reason_arg})
    titles = frame["title"] if "title" in frame.columns else pd.Series("", index=frame.index)
    included = step == "included"
    english = _reason_texts(keys, None)
    records = pd.DataFrame(
        {
            "doc_id": ids,
            "title": titles.astype(object).where(titles.notna(), "").astype(str).to_numpy(dtype=object),
            "included": included,
            "step": step,
            "reason": english,
            "detail": detail,
            "matched": matched,
        }
    )
    table, table_keys = _table(keys, n, found_count, parsed is not None, applied)
    kept = frame.loc[included].copy()
    return Selection(
        table,
        table_keys,
        SelectionRecords(records, keys),
        kept,
        query=parsed,
        period=bounds,
        levels=level_keys,
        forms=form_keys,
        exclude=listed,
        fields=fields,
        duplicates=bool(duplicates),
    )


def _check_ids(frame: pd.DataFrame) -> np.ndarray:
    raw = frame["doc_id"]
    ids = raw.astype(object).where(raw.notna(), None)
    blank = ids.isna() | (ids.astype(str).str.strip() == "")
    text = ids.astype(str).to_numpy(dtype=object)
    repeated = pd.Series(text).duplicated(keep=False).to_numpy() & ~blank.to_numpy()
    if blank.any() or repeated.any():
        rows = np.flatnonzero(blank.to_numpy() | repeated)
        raise ValidationError(
            f"documents: {int(blank.sum())} missing and {int(repeated.sum())} repeated doc_id(s); "
            "each document needs its own doc_id",
            [
                {
                    "row": int(r) + 1,
                    "column": "doc_id",
                    "value": None if blank.iloc[r] else text[r],
                    "problem": "missing doc_id" if blank.iloc[r] else "doc_id used by another document",
                    "expected": "a doc_id of its own",
                }
                for r in rows
            ],
        )
    return text


def _check_levels(levels: list[str], column: pd.Series) -> tuple[str, ...]:
    keys = [_LEVEL_NAMES.get(normalize_name(v), normalize_name(v)) for v in levels]
    present = set(_level_keys(column).dropna())
    known = set(_LEVEL_NAMES.values()) | present
    unknown = [(v, k) for v, k in zip(levels, keys, strict=True) if k not in known]
    if unknown:
        choices = sorted(known)
        raise ValidationError(
            "level: not an administrative level of the documents",
            [
                {
                    "column": "level",
                    "value": value,
                    "problem": "neither a known level nor a value of the documents' level column",
                    "expected": format_choices(choices),
                    "suggestions": ", ".join(closest(value, choices)) or None,
                }
                for value, _ in unknown
            ],
        )
    return tuple(dict.fromkeys(keys))


def _duplicates(folded: pd.Series, ids: np.ndarray, undecided: np.ndarray) -> np.ndarray:
    """Per document found, the doc_id of the copy kept when its folded text repeats another's ("" otherwise)."""
    text = folded.str.replace(" ", "", regex=False).to_numpy(dtype=object)
    table = pd.DataFrame({"id": ids, "text": text, "row": np.arange(len(ids))})
    # The copy kept is the smallest doc_id, whatever the rows' order.
    candidates = table[undecided & (text != "")].sort_values("id", kind="stable")
    first = candidates.groupby("text", sort=False)["id"].transform("first")
    copy = (first != candidates["id"]).to_numpy(dtype=bool)
    out = np.full(len(ids), "", dtype=object)
    out[candidates["row"].to_numpy()[copy]] = first.to_numpy(dtype=object)[copy]
    return out


def _table(
    keys: pd.DataFrame, n: int, found: int, has_query: bool, applied: list[str]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The selection table (counts by step and reason) and its keys, as :class:`Selection` holds them."""
    rows: list[tuple[str, str, str, int]] = [("searched", "all", "", n)]
    if has_query:
        rows.append(("query", "no_match", "", n - found))
        rows.append(("found", "found", "", found))
    else:
        rows.append(("found", "no_query", "", found))
    counted = keys[keys["step"].isin(applied)]
    grouped = counted.groupby(["step", "reason_key", "reason_arg"], sort=False).size()
    for name in applied:
        mine = [(k, a, int(c)) for (s, k, a), c in grouped.items() if s == name]
        mine.sort(
            key=lambda item: (
                _REASON_ORDER.index(item[0]) if item[0] in _REASON_ORDER else 99,
                -item[2],
                item[1],
            )
        )
        if name == "duplicate" and mine:
            mine = [("duplicate", "", sum(c for _, _, c in mine))]
        if mine:
            rows.extend((name, k, a, c) for k, a, c in mine)
        else:
            rows.append((name, "none", "", 0))
    rows.append(("included", "kept", "", int((keys["step"] == "included").sum())))
    table_keys = pd.DataFrame(rows, columns=["step", "reason_key", "reason_arg", "documents"])
    table = pd.DataFrame(
        {
            "step": table_keys["step"].to_numpy(dtype=object),
            "reason": _reason_texts(table_keys, None),
            "documents": table_keys["documents"].to_numpy(dtype=np.int64),
        }
    )
    return table, table_keys[["step", "reason_key", "reason_arg"]]
