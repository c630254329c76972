"""The dictionary coder: suggest instruments and objectives from the words a clause uses.

A :class:`Dictionary` lists, per instrument key and per objective key of a
framework, the terms that suggest it.  It is read from TOML::

    [dictionary]
    framework = "wang2026"

    [instrument.standards_and_norms]
    terms = ["标准", "规范", "standard*", "re:制定.{0,8}标准"]
    regex = ["(完善|健全).{0,8}规则"]

    [objectives.rights_protection]
    terms = ["个人信息", "privacy"]

Matching rules, the same for every term:

* a literal term matches case-insensitively; a term with a Chinese (CJK)
  character matches anywhere (Chinese has no spaces between words), any
  other term only as a whole word (not inside a longer word of Latin
  letters or digits: ``tax`` does not match ``taxonomy``);
* ``*`` in a term matches any run of Latin letters and digits (``standard*``:
  ``standards``, ``standardised``) or, in a Chinese term, up to 10 characters
  within a sentence (``发布*信息``: ``发布相关信息``);
* a term starting with ``re:`` and every item of ``regex`` is a regular
  expression (Python syntax, case-insensitive), used as written.

Every pattern is compiled when the dictionary is built: a key that is not a
key (or a label, or an alias) of the framework, or an invalid regular
expression, is a :class:`~policyquant.errors.ValidationError` naming the
entry, the closest key or the position in the expression.  So is a term
that would match every clause (a glob of only ``*``, an expression that can
match no characters, such as ``\\b`` or ``(?=.)``), and a term written twice
in one entry (after stripping spaces and ignoring case), which would count
twice in the score.  Matching is one alternation of the literal and glob terms
per entry over every unit, and each regular expression on its own (so that its
groups, back-references and inline flags mean what they mean alone), then one
pass per literal term over the units its entry matched, for the evidence;
literal and glob terms run on pyarrow's RE2 in compiled code (the same
patterns, and the same matches, as Python's :mod:`re`), regular expressions
on Python's :mod:`re`.  A unit matches an entry exactly when at least one of
its terms, alone, matches it.  The ``wang2026`` starter dictionary suggests
codes for about 15,000 clauses a second (articles of national laws, one core).
"""

from __future__ import annotations

import json
import os
import re
import sys
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .._text import closest, format_choices
from ..errors import ReadError, UnknownCategoryError, ValidationError
from ..model import Framework
from ..plugins import get_framework, get_registry
from ._base import Coder, Suggestions, units_frame

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

__all__ = ["Dictionary", "DictionaryEntry", "dictionary_coder"]

#: The TOML tables of a dictionary's entries, by the field they code.
_TABLES = {"instrument": "instrument", "instruments": "instrument", "objective": "objectives", "objectives": "objectives"}
_PARTS = {"instrument": "instrument", "objectives": "objective"}

#: A character of a CJK script: a term containing one matches without word boundaries.
_CJK = re.compile(r"[\u2e80-\u2fdf\u3040-\u30ff\u3100-\u31bf\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
#: Latin letters and digits (real characters, not escapes: the same class in Python's re and RE2).
_LETTERS = "A-Za-z0-9\u00c0-\u024f"
#: What `*` stands for: a run of Latin letters and digits, or a stretch of a Chinese sentence.
_GLOB_LATIN = f"[{_LETTERS}]*"
_GLOB_CJK = "[^\t\n\v\f\r \u00a0\u3000，。；;,.!?！？、：:]{0,10}"
#: Word boundaries for Latin-script terms, by Latin letters and digits only ("AI" matches in
#: "使用AI技术"), written without look-behind so that pyarrow's RE2 runs the same pattern.
_BEFORE = f"(?:^|[^{_LETTERS}])"
_AFTER = f"(?:$|[^{_LETTERS}])"
_FLAGS = re.IGNORECASE


def _term_regex(term: str) -> str:
    """The regular expression of a literal or glob term (see the module's rules).

    The same text is a valid pattern, with the same matches, for Python's :mod:`re` and for
    RE2 (pyarrow's ``match_substring_regex``): escaped literals, explicit character classes.
    """
    cjk = _CJK.search(term) is not None
    body = (_GLOB_CJK if cjk else _GLOB_LATIN).join(re.escape(part) for part in term.split("*"))
    if cjk:
        return body
    before = _BEFORE if re.match(f"[{_LETTERS}]", term) else ""
    after = _AFTER if re.search(f"[{_LETTERS}*]$", term) else ""
    return f"{before}{body}{after}"


#: Texts a user's regular expression is tried on: one that matches no characters in them (``\\b``,
#: ``(?=.)``, ``x*``) would code clauses by position, not by what they say.
_EMPTY_PROBES = ("", "a", "中文 text")


def _empty_match(compiled: re.Pattern[str]) -> str | None:
    """Where the expression matches no characters in a probe text, described for a message; else None."""
    for probe in _EMPTY_PROBES:
        for found in compiled.finditer(probe):
            if found.start() == found.end():
                return f"a match of no characters at position {found.start()} of {probe!r}"
    return None


def _arrow_compute() -> Any:
    """pyarrow.compute, or None without pyarrow (the terms then run on Python's re)."""
    try:
        import pyarrow.compute as pc
    except ImportError:  # pragma: no cover - pandas is installed with pyarrow in practice
        return None
    return pc


class DictionaryEntry:
    """One entry of a :class:`Dictionary`: the terms of one code of one field.

    Attributes
    ----------
    field : str
        ``"instrument"`` or ``"objectives"``.
    key : str
        The framework's key of the instrument or objective.
    terms : tuple of str
        The terms as written (a regular expression with its ``re:`` prefix).
    patterns : tuple of re.Pattern
        One compiled pattern per term.  A unit matches the entry when at
        least one of them matches it on its own: each regular expression is
        matched by itself, so that its groups, back-references and inline
        flags mean what they mean alone.
    pattern : re.Pattern or None
        The alternation of every term, when joining them keeps each term's
        matches (no regular expression with groups or global inline flags
        such as ``(?x)``); else None.  Matching does not use it.
    """

    def __init__(self, field: str, key: str, terms: Sequence[str], patterns: Sequence[re.Pattern[str]]) -> None:
        self.field = field
        self.key = key
        self.terms = tuple(terms)
        self.patterns = tuple(patterns)
        #: Literal and glob terms (engine-neutral patterns without groups, run by RE2 in compiled
        #: code when pyarrow is there) apart from the user's regular expressions (Python's re, one
        #: by one: joined, a back-reference would point at another term's group and a global flag
        #: would land mid-pattern).
        self.literal = tuple(not t.startswith("re:") for t in self.terms)
        literal = [p.pattern for p, flag in zip(self.patterns, self.literal, strict=True) if flag]
        self.literal_pattern = "|".join(f"(?:{p})" for p in literal) or None

    @property
    def pattern(self) -> re.Pattern[str] | None:
        """The alternation of every term, or None when it would not match as the terms do alone."""
        plain = re.compile("", _FLAGS).flags
        if any(p.groups or p.flags != plain for p in self.patterns):
            return None
        return re.compile("|".join(f"(?:{p.pattern})" for p in self.patterns), _FLAGS)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, DictionaryEntry):
            return NotImplemented
        return (self.field, self.key, self.terms) == (other.field, other.key, other.terms)

    def __hash__(self) -> int:
        return hash((self.field, self.key, self.terms))

    def __repr__(self) -> str:
        return f"DictionaryEntry({self.field!r}, {self.key!r}, terms={len(self.terms)})"


def _line_of(text: str | None, needle: str, after: str | None = None) -> str:
    """Where ``needle`` first appears in the TOML text (past ``after``), as ' (line N)', for messages."""
    if not text:
        return ""
    start = text.find(after) if after else 0
    position = text.find(needle, max(start, 0))
    return f" (line {text.count(chr(10), 0, position) + 1})" if position >= 0 else ""


class Dictionary(Coder):
    """A coding dictionary: terms per instrument and objective, and the coder that applies them.

    Parameters
    ----------
    entries : mapping
        ``{"instrument": {key: terms, ...}, "objectives": {key: terms, ...}}``
        where ``terms`` is a list of terms or a mapping with ``terms`` and
        ``regex`` lists (as in the TOML file).  Keys may be the framework's
        keys, labels or aliases.
    framework : str or Framework, default "wang2026"
    fields : sequence of str, optional
        The fields to suggest; by default those with entries.
    title : str, optional
    source : str, optional
        Where the dictionary came from (a file name), for messages.

    Raises
    ------
    ValidationError
        For an unknown table or key (naming the entry and the closest key),
        ``terms`` or ``regex`` that is not a list, a term that is not text or
        is empty, an invalid regular expression (naming the entry and the
        position), a term that would match every clause (only ``*``, or an
        expression that matches no characters) or a term written twice in
        one entry.

    Examples
    --------
    >>> import pandas as pd
    >>> import policyquant as pq
    >>> dictionary = pq.coders.Dictionary.load('''
    ... [instrument.standards_and_norms]
    ... terms = ["标准", "standard*"]
    ... [instrument.talent_development]
    ... terms = ["人才", "re:train(ing|ed)"]
    ... [objectives.tech_innovation]
    ... terms = ["算法"]
    ... ''')
    >>> units = pd.DataFrame({"unit_id": ["N01-1-1", "N01-1-2", "N01-1-3"],
    ...                       "text": ["制定算法安全标准。", "Training AI talent to set Standards", "其他。"]})
    >>> found = dictionary.suggest(units)
    >>> found.frame[["unit_id", "field", "code", "score", "evidence"]]
       unit_id       field                 code  score             evidence
    0  N01-1-1  instrument  standards_and_norms    1.0                   标准
    1  N01-1-1  objectives      tech_innovation    1.0                   算法
    2  N01-1-2  instrument  standards_and_norms    0.5            standard*
    3  N01-1-2  instrument   talent_development    0.5  re:train(ing|ed)
    >>> found.problems[["unit_id", "field", "problem"]].to_numpy().tolist()
    [['N01-1-2', 'objectives', 'no suggestion'], ['N01-1-3', 'instrument', 'no suggestion'], ['N01-1-3', 'objectives', 'no suggestion']]
    """

    name = "dictionary"

    def __init__(
        self,
        entries: Mapping[str, Mapping[str, Any]],
        framework: str | Framework = "wang2026",
        *,
        fields: Sequence[str] | None = None,
        title: str | None = None,
        source: str | None = None,
        _text: str | None = None,
    ) -> None:
        framework = get_framework(framework)
        self.title = title
        self.source = source
        where = f"{source}: " if source else ""
        if not isinstance(entries, Mapping):
            raise ValidationError(f"{where}a dictionary is a mapping of tables, got {type(entries).__name__}")
        built: list[DictionaryEntry] = []
        for table, items in entries.items():
            field = _TABLES.get(str(table))
            if field is None:
                near = closest(str(table), ["instrument", "objectives"])
                raise ValidationError(
                    f"{where}unknown table [{table}]{_line_of(_text, f'[{table}')}; a dictionary has "
                    f"[instrument.<key>] and [objectives.<key>] entries"
                    + (f"; did you mean [{near[0]}.*]?" if near else "")
                )
            if not isinstance(items, Mapping):
                raise ValidationError(f"{where}[{table}] must be a table of entries such as [{table}.<key>]")
            part = _PARTS[field]
            keys = framework.instrument_keys if field == "instrument" else framework.objective_keys
            for name, spec in items.items():
                entry = f"[{table}.{name}]"
                try:
                    key = framework.resolve(part, name)
                except UnknownCategoryError:
                    near = closest(str(name), keys)
                    raise ValidationError(
                        f"{where}entry {entry}{_line_of(_text, entry)}: framework {framework.name!r} has no "
                        f"{part} {name!r}; "
                        + (f"closest key: {near[0]!r}" if near else f"keys: {format_choices(keys)}")
                    ) from None
                built.append(self._entry(field, key, spec, entry, where, _text))
        seen: dict[tuple[str, str], DictionaryEntry] = {}
        for entry in built:
            if (entry.field, entry.key) in seen:
                raise ValidationError(
                    f"{where}two entries name {entry.field} {entry.key!r} (by its key, label or alias); "
                    "merge their terms into one entry"
                )
            seen[(entry.field, entry.key)] = entry
        # Entries in the framework's order, so that ties and columns never depend on the file's order.
        order = {("instrument", k): i for i, k in enumerate(framework.instrument_keys)}
        order.update({("objectives", k): 100_000 + i for i, k in enumerate(framework.objective_keys)})
        self.entries = tuple(sorted(built, key=lambda e: order[(e.field, e.key)]))
        if fields is None:
            fields = [f for f in ("instrument", "objectives") if any(e.field == f for e in self.entries)] or [
                "instrument"
            ]
        super().__init__(framework, fields=fields)
        for field in self.fields:
            if field not in ("instrument", "objectives"):
                raise ValidationError(f"a dictionary suggests instruments and objectives, not {field!r}")

    @staticmethod
    def _entry(field: str, key: str, spec: Any, entry: str, where: str, text: str | None) -> DictionaryEntry:
        if isinstance(spec, str) or not isinstance(spec, Mapping | Sequence):
            raise ValidationError(
                f"{where}entry {entry}: expected a list of terms or a table with terms = [...] and "
                f"regex = [...], got {spec!r}"
            )
        if isinstance(spec, Mapping):
            unknown = [k for k in spec if k not in ("terms", "regex")]
            if unknown:
                near = closest(str(unknown[0]), ["terms", "regex"])
                raise ValidationError(
                    f"{where}entry {entry}: unknown setting {unknown[0]!r}; expected terms or regex"
                    + (f" (did you mean {near[0]!r}?)" if near else "")
                )
            for setting in ("terms", "regex"):
                value = spec.get(setting, [])
                # A string is a Sequence too: list("标准") would silently be the terms 标 and 准.
                if isinstance(value, str) or not isinstance(value, Sequence):
                    raise ValidationError(
                        f"{where}entry {entry}{_line_of(text, setting, entry)}: {setting} must be a list such as "
                        f"{setting} = [{json.dumps(value if isinstance(value, str) else '标准', ensure_ascii=False)}], "
                        f"got {value!r}"
                    )
            terms = list(spec.get("terms", [])) + [f"re:{r}" if isinstance(r, str) else r for r in spec.get("regex", [])]
        else:
            terms = list(spec)
        if not terms:
            raise ValidationError(f"{where}entry {entry}: no terms")
        patterns = []
        #: Each term's text after the matcher's normalisation, with its number: a term written twice.
        seen: dict[tuple[bool, str], int] = {}
        for number, term in enumerate(terms, start=1):
            if not isinstance(term, str) or not term.strip() or term.strip() == "re:":
                raise ValidationError(
                    f"{where}entry {entry}, term {number}: expected non-empty text, got {term!r}"
                )
            if term.startswith("re:"):
                expression = term[3:]
                try:
                    compiled = re.compile(expression, _FLAGS)
                except re.error as error:
                    raise ValidationError(
                        f"{where}entry {entry}{_line_of(text, expression)}, term {number}: invalid regular "
                        f"expression {expression!r}: {error.msg} at position {error.pos}"
                    ) from None
                empty = _empty_match(compiled)
                if empty is not None:
                    raise ValidationError(
                        f"{where}entry {entry}{_line_of(text, expression)}, term {number}: the regular expression "
                        f"{expression!r} matches empty text ({empty}), so it would match almost every clause; "
                        "write an expression that matches at least one character"
                    )
                same = (False, expression)
            else:
                if not term.replace("*", "").strip():
                    raise ValidationError(
                        f"{where}entry {entry}, term {number}: the term {term!r} is made only of '*' (any run of "
                        "letters), so it would match every clause; write at least one letter of the words to match"
                    )
                compiled = re.compile(_term_regex(term.strip()), _FLAGS)
                # The matcher strips terms and ignores case: "Tax " and "tax" are one term.
                same = (True, term.strip().lower())
            if same in seen:
                # Refused, not merged: a term written twice is a slip (a copy, or two lists merged) that
                # would count twice in the score; the user decides which line to keep.
                first = seen[same]
                raise ValidationError(
                    f"{where}entry {entry}{_line_of(text, entry)}, term {number}: {term!r} repeats term {first} "
                    f"({terms[first - 1]!r}) of the same entry; a term written twice would count twice in the "
                    "score: remove one"
                )
            seen[same] = number
            patterns.append(compiled)
        return DictionaryEntry(field, key, terms, patterns)

    # Reading ------------------------------------------------------------------

    @classmethod
    def from_toml(cls, path: str | os.PathLike[str], framework: str | Framework | None = None, **options: Any) -> Dictionary:
        """Read a dictionary from a TOML file.

        Parameters
        ----------
        path : path-like
            Also an :mod:`importlib.resources` file.
        framework : str or Framework, optional
            By default the file's ``[dictionary] framework``, else ``"wang2026"``.
        **options
            ``fields=`` (see :class:`Dictionary`).

        Raises
        ------
        ReadError
            If the file cannot be read or is not valid TOML (with the line).
        ValidationError
            See :class:`Dictionary`.

        Examples
        --------
        >>> import policyquant as pq
        >>> from importlib.resources import files
        >>> path = files("policyquant.frameworks") / "data" / "wang2026_dictionary.toml"
        >>> pq.coders.Dictionary.from_toml(path)
        <Dictionary 'wang2026 starter dictionary': framework 'wang2026', 16 instrument and 4 objective entries>
        """
        name = os.fspath(path) if isinstance(path, os.PathLike | str) else str(path)
        try:
            # utf-8-sig: Windows Notepad saves UTF-8 with a byte-order mark, which TOML refuses.
            source = path if hasattr(path, "read_text") else Path(path)
            text = source.read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise ReadError(f"{name}: no such dictionary file") from None
        except UnicodeDecodeError as error:
            raise ReadError(f"{name}: not UTF-8 text (byte {error.start}); save the dictionary as UTF-8") from None
        except OSError as error:
            raise ReadError(f"{name}: cannot read the dictionary: {error.strerror or error}") from None
        return cls._from_text(text, Path(name).name, framework, **options)

    @classmethod
    def load(cls, source: str | os.PathLike[str], framework: str | Framework | None = None, **options: Any) -> Dictionary:
        """Read a dictionary from a TOML file or from TOML text.

        Text with a line break or a ``[`` is TOML; anything else is a path.

        Examples
        --------
        >>> import policyquant as pq
        >>> pq.coders.Dictionary.load('[instrument.pilots_and_demonstrations]\\nterms = ["试点"]').entries
        (DictionaryEntry('instrument', 'pilots_and_demonstrations', terms=1),)
        """
        if isinstance(source, str) and ("\n" in source or "[" in source):
            return cls._from_text(source, None, framework, **options)
        return cls.from_toml(source, framework, **options)

    @classmethod
    def _from_text(cls, text: str, source: str | None, framework: str | Framework | None, **options: Any) -> Dictionary:
        where = source or "the dictionary"
        # TOML text read with encoding="utf-8" from a file saved with a byte-order mark keeps it.
        text = text.removeprefix("\ufeff")
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            raise ReadError(f"{where}: not valid TOML: {error}") from None
        header = data.pop("dictionary", {})
        if not isinstance(header, Mapping):
            raise ValidationError(f"{where}: [dictionary] must be a table (framework, title, version)")
        if framework is None:
            framework = header.get("framework", "wang2026")
        title = header.get("title")
        return cls(data, framework, title=title, source=source, _text=text, **options)

    @classmethod
    def starter(cls, framework: str | Framework = "wang2026", **options: Any) -> Dictionary:
        """The starter dictionary a framework's plugin ships (hook ``policyquant_register_dictionaries``).

        Raises
        ------
        ValidationError
            If no plugin ships one for this framework.

        Examples
        --------
        >>> import policyquant as pq
        >>> starter = pq.coders.Dictionary.starter("wang2026")
        >>> len(starter.entries), starter.source
        (20, 'wang2026_dictionary.toml')
        """
        framework = get_framework(framework)
        found = get_registry().dictionary_source(framework.name)
        if found is None:
            raise ValidationError(
                f"no plugin ships a dictionary for framework {framework.name!r}; write one "
                "(see Dictionary) and load it with Dictionary.from_toml(path)"
            )
        source, _plugin = found
        if isinstance(source, Dictionary):
            if source.framework.name != framework.name:
                raise ValidationError(
                    f"the dictionary registered for {framework.name!r} is for framework {source.framework.name!r}"
                )
            return source
        if isinstance(source, str) and ("\n" in source or "[" in source):
            return cls._from_text(source, None, framework, **options)
        return cls.from_toml(source, framework, **options)

    # Coding -------------------------------------------------------------------

    def _match(self, texts: pd.Series) -> tuple[list[DictionaryEntry], np.ndarray, np.ndarray, np.ndarray]:
        """Per entry of the coder's fields: which units match, how many terms, and which terms (evidence)."""
        entries = [e for e in self.entries if e.field in self.fields]
        count = len(texts)
        hits = np.zeros((len(entries), count), dtype=bool)
        matched = np.zeros((len(entries), count), dtype=np.int64)
        evidence = np.empty((len(entries), count), dtype=object)
        values = texts.astype(object)
        pc = _arrow_compute()
        arrow = None
        if pc is not None:
            import pyarrow as pa

            arrow = pa.array(values.to_numpy(dtype=object), type=pa.large_string(), from_pandas=True)
        with warnings.catch_warnings():
            # A user's expression may have groups: only whether it matches counts here.
            warnings.filterwarnings("ignore", "This pattern is interpreted as a regular expression", UserWarning)
            for position, entry in enumerate(entries):
                self._match_entry(position, entry, values, arrow, pc, hits, matched, evidence)
        return entries, hits, matched, evidence

    @staticmethod
    def _contains(values: pd.Series, arrow: Any, pc: Any, pattern: str | re.Pattern[str], literal: bool) -> np.ndarray:
        """Which texts the pattern matches: RE2 in compiled code for a literal term, else Python's re."""
        if literal and arrow is not None:
            try:
                found = pc.match_substring_regex(arrow, pattern, ignore_case=True)
            except (ValueError, NotImplementedError):  # pyarrow.ArrowInvalid: a pattern RE2 refuses
                pass
            else:
                return pc.fill_null(found, False).to_numpy(zero_copy_only=False)
        compiled = pattern if isinstance(pattern, re.Pattern) else re.compile(pattern, _FLAGS)
        return values.str.contains(compiled, regex=True, na=False).to_numpy(dtype=bool)

    def _match_entry(
        self,
        position: int,
        entry: DictionaryEntry,
        values: pd.Series,
        arrow: Any,
        pc: Any,
        hits: np.ndarray,
        matched: np.ndarray,
        evidence: np.ndarray,
    ) -> None:
        hit = np.zeros(len(values), dtype=bool)
        if entry.literal_pattern is not None:
            hit |= self._contains(values, arrow, pc, entry.literal_pattern, True)
        # Each regular expression alone (see DictionaryEntry); its result is also its evidence.
        alone = {
            number: self._contains(values, arrow, pc, pattern, False)
            for number, (pattern, literal) in enumerate(zip(entry.patterns, entry.literal, strict=True))
            if not literal
        }
        for found in alone.values():
            hit |= found
        hits[position] = hit
        rows = np.flatnonzero(hit)
        if not len(rows):
            return
        # The evidence: each literal term once more, on the units the entry matched only.
        subset = values.iloc[rows]
        subset_arrow = arrow.take(rows) if arrow is not None else None
        words = np.full(len(rows), "", dtype=object)
        for number, (term, pattern, literal) in enumerate(zip(entry.terms, entry.patterns, entry.literal, strict=True)):
            if literal:
                found = self._contains(subset, subset_arrow, pc, pattern.pattern, True)
            else:
                found = alone[number][rows]
            matched[position, rows[found]] += 1
            words[found] = np.where(words[found] == "", term, words[found] + "; " + term)
        evidence[position, rows] = words

    def suggest(self, units: Any, top: int = 3) -> Suggestions:
        """Suggest codes from the terms each unit contains, with the matched terms as evidence.

        ``score`` is the share of the unit's matched terms (for that field)
        that belong to the suggested code: 1.0 when only one code's terms
        matched.  It is a heuristic, not a probability.  ``top`` limits the
        instruments suggested per unit; every objective whose terms matched
        is suggested (and chosen: a clause can serve several objectives).

        Parameters
        ----------
        units : Corpus, Segmentation or DataFrame
            See :func:`policyquant.coders.units_frame`.
        top : int, default 3

        Returns
        -------
        Suggestions
        """
        if not isinstance(top, int | np.integer) or isinstance(top, bool) or top < 1:
            raise ValidationError(f"top must be a whole number of at least 1, got {top!r}")
        frame = units_frame(units, function="suggest")
        entries, hits, matched, evidence = self._match(frame["text"])
        unit_pos, entry_pos = np.nonzero(hits.T)
        fields = np.array([e.field for e in entries], dtype=object)
        keys = np.array([e.key for e in entries], dtype=object)
        rows = pd.DataFrame(
            {
                "unit_id": frame["unit_id"].to_numpy()[unit_pos],
                "field": fields[entry_pos] if len(entries) else np.array([], dtype=object),
                "code": keys[entry_pos] if len(entries) else np.array([], dtype=object),
                "terms": matched[entry_pos, unit_pos].astype(np.float64),
                "evidence": evidence[entry_pos, unit_pos],
                "_order": entry_pos,
            }
        )
        totals = rows.groupby(["unit_id", "field"], sort=False)["terms"].transform("sum")
        rows["score"] = (rows["terms"] / totals).round(6)
        rows = rows.sort_values(["unit_id", "field", "score", "_order"], ascending=[True, True, False, True], kind="stable")
        rows["rank"] = rows.groupby(["unit_id", "field"], sort=False).cumcount() + 1
        keep = (rows["field"] == "objectives").to_numpy() | (rows["rank"] <= top).to_numpy()
        rows = rows[keep].drop(columns=["terms", "_order"])
        rows["chosen"] = (rows["field"] == "objectives").to_numpy() | (rows["rank"] == 1).to_numpy()
        empty = frame["text"].str.strip() == ""
        problems = pd.DataFrame(
            {
                "unit_id": np.repeat(frame.loc[empty, "unit_id"].to_numpy(), len(self.fields)),
                "field": np.tile(np.array(self.fields, dtype=object), int(empty.sum())),
                "problem": "no text",
                "message": "the unit has no text to match",
            }
        )
        return Suggestions.build(
            rows,
            coder=self.name,
            framework=self.framework,
            unit_ids=frame["unit_id"],
            fields=self.fields,
            problems=problems,
        )

    def to_frame(self) -> pd.DataFrame:
        """The dictionary as a table: one row per term (``field``, ``code``, ``term``).

        Examples
        --------
        >>> import policyquant as pq
        >>> pq.coders.Dictionary.starter().to_frame().head(2)
                field                 code term
        0  instrument  standards_and_norms   标准
        1  instrument  standards_and_norms   规范
        """
        return pd.DataFrame(
            [(e.field, e.key, t) for e in self.entries for t in e.terms], columns=["field", "code", "term"]
        )

    def __repr__(self) -> str:
        counts = {f: sum(e.field == f for e in self.entries) for f in ("instrument", "objectives")}
        label = repr(self.title) if self.title else "(untitled)"
        return (
            f"<Dictionary {label}: framework {self.framework.name!r}, "
            f"{counts['instrument']} instrument and {counts['objectives']} objective entries>"
        )


def dictionary_coder(
    framework: str | Framework = "wang2026",
    dictionary: Dictionary | str | os.PathLike[str] | Mapping[str, Any] | None = None,
    **options: Any,
) -> Dictionary:
    """The factory of the ``"dictionary"`` coder (``get_coder("dictionary", ...)``).

    Parameters
    ----------
    framework : str or Framework
    dictionary : Dictionary, path, TOML text or mapping, optional
        By default the framework's starter dictionary.
    **options
        ``fields=``.

    Examples
    --------
    >>> import policyquant as pq
    >>> pq.coders.get_coder("dictionary", dictionary='[instrument.infrastructure]\\nterms = ["算力"]').entries
    (DictionaryEntry('instrument', 'infrastructure', terms=1),)
    """
    framework = get_framework(framework)
    if dictionary is None:
        return Dictionary.starter(framework, **options)
    if isinstance(dictionary, Dictionary):
        if dictionary.framework.name != framework.name:
            raise ValidationError(
                f"the dictionary is for framework {dictionary.framework.name!r}, not {framework.name!r}"
            )
        return dictionary
    if isinstance(dictionary, Mapping):
        return Dictionary(dictionary, framework, **options)
    return Dictionary.load(dictionary, framework, **options)

