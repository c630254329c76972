"""Agreement between coders' corpora: one report per coded dimension, the disagreements, adjudication.

Each coder codes the same documents into a :class:`~policyquant.Corpus` of their
own.  :func:`agreement_report` aligns the coders' corpora on ``unit_id`` (and
``doc_id`` for document-level scores) and measures agreement on every coded
dimension: the instrument, each objective as present or absent, and each
score.  :func:`disagreements` lists what to adjudicate, and :func:`adjudicate`
builds the agreed corpus from the majority or from a decision sheet.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from os import PathLike
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import pandas as pd

from .._checks import require_coders, require_corpus
from .._i18n import _, catalogued, current_language, join_choices, pgettext, using_language
from .._text import format_choices
from ..corpus import NO_INSTRUMENT, NO_INSTRUMENT_ALIASES, NO_INSTRUMENT_NAMES, Corpus
from ..errors import ValidationError
from ..model import score_numbers
from ..results import AnalysisTable, TableResult

__all__ = [
    "AgreementReport",
    "DisagreementsResult",
    "adjudicate",
    "agreement_report",
    "coded_dimensions",
    "disagreements",
]


def _sheet_columns() -> dict[str, str]:
    return {
        "id": pgettext("adjudication sheet", "ID"),
        "doc_id": pgettext("adjudication sheet", "Document"),
        "text": pgettext("adjudication sheet", "Text"),
        "dimension": pgettext("adjudication sheet", "Coded dimension"),
        "decision": pgettext("adjudication sheet", "Decision"),
    }


#: Headers of the adjudication sheet in each language; :func:`adjudicate` reads any of them back.
_SHEET_COLUMNS: dict[str, dict[str, str]] = catalogued(_sheet_columns)


def _sheet_cells() -> dict[str, str]:
    return {"not_coded": pgettext("adjudication sheet", "not coded (none)")}


#: A cell of a coder who coded the unit ``none``, on a row of its objectives or scores, by language
#: (the sheet as computed holds ``none``): :func:`adjudicate` reads any of them back as ``none``.
_SHEET_CELLS: dict[str, dict[str, str]] = catalogued(_sheet_cells)

#: The header of a coder's memo column, by language (the sheet as computed uses the English one).
_MEMO_HEADERS = {"en": "{coder} memo", "zh": "{coder} 备注"}

#: How an objective's presence reads in a sheet, by language.
_PRESENT = {"en": ("Yes", "No"), "zh": ("是", "否")}

#: Words a decision on an objective may be written with, in any language: present or absent.
_YES = frozenset({"1", "1.0", "true", "yes", "y", "present", "是", "有", "对"})
_NO = frozenset({"0", "0.0", "false", "no", "n", "absent", "否", "无", "不是", "没有"})
#: Words for "the clause has no instrument" (``none``, ``无``, ``not coded (none)`` ...), casefolded: on an
#: objective's or a score's row, a decision that the clause has none of them (``无`` there reads as No).
_NOT_CODED_WORDS = frozenset(
    {alias.casefold() for alias in NO_INSTRUMENT_ALIASES}
    | {cells["not_coded"].casefold() for cells in _SHEET_CELLS.values()}
)


class DisagreementsResult(AnalysisTable):
    """The units and dimensions on which coders differ: the adjudication sheet.

    :meth:`to_frame` gives the sheet: the columns ``id`` (the unit_id, or the
    doc_id of a document-level score), ``doc_id``, ``text`` (the clause's
    text, or the document's title), ``dimension``, one per coder and an
    empty ``decision`` for the team to fill in, keys and codes as stored.
    When a coder wrote memos, each coder's column is followed by their memo
    on that unit (or document, for a document-level score):
    ``"<coder> memo"`` (``"<coder> 备注"`` in Chinese), shown as written, so
    that the adjudicator sees why each coder chose their code.  On the
    objective and score rows of a clause one coder coded ``none`` and another
    with an instrument, the ``none`` coder's cell holds ``none``, labelled
    ``not coded (none)`` (``未编码（无）``).
    ``to_frame(language=...)`` gives the same sheet for coders who read that
    language: headers (``编号``, ``文件``, ``文本``, ``编码维度``, ``裁决``),
    dimensions (``政策工具``) and each coder's code by its label
    (``标准规范``, ``是``, ``5（行政法规）``).  :meth:`save` writes either
    (``.xlsx`` for the coders to fill in; ``language=`` for the labelled
    sheet), and :func:`adjudicate` reads both back, filled in.  DataFrame
    access on the result is deprecated (see
    :class:`~policyquant.results.AnalysisTable`).

    Attributes
    ----------
    coders : tuple of str
        The coders' names, in the order of their columns.
    framework : Framework or None
        The coders' framework: the source of the labels.
    language : str or None
        The language :meth:`to_frame` labels the sheet in when given none
        (the ``language`` of :func:`disagreements`).

    Examples
    --------
    >>> import policyquant as pq
    >>> from policyquant.reliability import disagreements
    >>> corpus = pq.datasets.load_genai_china()
    >>> found = disagreements({"A": corpus, "B": corpus})
    >>> found.coders, len(found.to_frame())
    (('A', 'B'), 0)
    """

    function = "disagreements()"

    def __init__(
        self,
        frame: pd.DataFrame,
        coders: Sequence[str],
        framework: Any = None,
        language: str | None = None,
    ) -> None:
        from .._language import resolve_language

        # The sheet's row numbers are not a field: the labels come from the framework instead.
        super().__init__(frame, None, fields=(None,))
        self.coders = tuple(coders)
        self.framework = framework
        self.language = resolve_language(language)

    def to_frame(self, language: str | None = None) -> pd.DataFrame:
        """The sheet: keys and codes as stored, or labelled in a language for the coders.

        Parameters
        ----------
        language : str, optional
            A language code (``"en"``, ``"zh"``, ``"zh-CN"`` ...) to head
            the columns, name the dimensions and show each coder's code by
            its label in it; by default the language given to
            :func:`disagreements`, and without one the sheet as computed.
            The rows and columns are the same in every language.

        Returns
        -------
        pandas.DataFrame
            A copy: changing it leaves the result as it is.

        Raises
        ------
        ValidationError
            For a language policyquant has no labels in, or a coder named
            like one of the sheet's headers in any language (``Decision``,
            ``裁决``, ``id`` ..., in any case).

        Examples
        --------
        >>> import policyquant as pq
        >>> from policyquant.reliability import disagreements
        >>> corpus = pq.datasets.load_genai_china()
        >>> units = corpus.units.copy()
        >>> units.loc[1, "instrument"] = "infrastructure"
        >>> found = disagreements({"A": corpus, "B": pq.Corpus(corpus.documents, units)})
        >>> print(found.to_frame().drop(columns="text").to_string())
                id doc_id   dimension                    A               B decision
        0  N01-2-4    N01  instrument  standards_and_norms  infrastructure     None
        >>> print(found.to_frame(language="zh").drop(columns="文本").to_string())
                编号   文件  编码维度     A     B    裁决
        0  N01-2-4  N01  政策工具  标准规范  基础设施  None
        >>> found.to_frame(language="zh").loc[0, "文本"] == corpus.units.loc[1, "text"]
        True
        """
        from .._language import resolve_language

        code = self.language if language is None else resolve_language(language)
        if code is None:
            return self.frame.copy()
        return self._sheet(code)

    def _sheet(self, code: str) -> pd.DataFrame:
        from .._language import dimension_label

        headers = _SHEET_COLUMNS["zh" if code == "zh" else "en"]
        _refuse_sheet_names(self.coders)
        sheet = self.frame.copy()
        dimensions = sheet["dimension"].astype(object)
        names = dict.fromkeys(dimensions.tolist())
        labels = {
            name: dimension_label(self.framework, name, code) if self.framework is not None else name
            for name in names
        }
        sheet["dimension"] = dimensions.map(labels)
        not_coded = _SHEET_CELLS["zh" if code == "zh" else "en"]["not_coded"]
        for coder in self.coders:
            column = pd.Series(None, index=sheet.index, dtype=object)
            for name in names:
                chosen = (dimensions == name).to_numpy(dtype=bool)
                codes = _code_labels(self.framework, name, code)
                if name != "instrument":
                    # On an objective's or a score's row, "none" is the coder's instrument: nothing coded here.
                    codes[NO_INSTRUMENT] = not_coded
                column[chosen] = [
                    None if _blank(value) else codes.get(_code_key(value), str(value))
                    for value in self.frame.loc[chosen, coder].tolist()
                ]
            sheet[coder] = column
        memo = _MEMO_HEADERS["zh" if code == "zh" else "en"]
        renamed = {_MEMO_HEADERS["en"].format(coder=c): memo.format(coder=c) for c in self.coders}
        return sheet.rename(columns={**headers, **renamed})


def _blank(value: Any) -> bool:
    if value is None or value is pd.NA:
        return True
    if isinstance(value, float) and np.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def _code_key(value: Any) -> Any:
    """A coded value as the label tables have it: booleans as booleans, whole numbers as ints."""
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return int(value)
    return value


def _code_labels(framework: Any, dimension: str, code: str) -> dict[Any, str]:
    """Each code of a dimension and its label in ``code``: instruments by name, objectives yes or no, scores with their level."""
    from .._language import category_label, scale_dimension

    chinese = code == "zh"
    if dimension.startswith("objective:"):
        yes, no = _PRESENT["zh" if chinese else "en"]
        return {True: yes, False: no}
    if framework is None:
        return {}
    if dimension == "instrument":
        labels = {key: category_label(framework, "instrument", key, code) for key in framework.instrument_keys}
        return {**labels, NO_INSTRUMENT: NO_INSTRUMENT_NAMES["zh" if chinese else "en"]}
    scale = scale_dimension(framework, dimension)
    if scale is None:
        return {}
    return {
        int(level.score): (
            f"{level.score}（{level.label_in(code)}）" if chinese else f"{level.score} ({level.label_in(code)})"
        )
        for level in scale.levels
    }


@attrs.frozen
class _Dimension:
    """One coded dimension: how to read it from a corpus and at which level to measure it."""

    name: str
    unit: str  # "unit" or "document"
    level: str  # Krippendorff level
    order: tuple[Any, ...] | None  # the order of ordinal values


def coded_dimensions(corpus: Corpus) -> list[str]:
    """The dimensions a report measures for corpora under this corpus's framework.

    ``instrument``, one ``objective:<key>`` per objective (present or absent),
    and every dimension of the efficacy scale.

    Examples
    --------
    >>> import policyquant as pq
    >>> from policyquant.reliability import coded_dimensions
    >>> coded_dimensions(pq.datasets.load_genai_china())
    ['instrument', 'objective:rights_protection', 'objective:public_safety', 'objective:tech_innovation', 'objective:application_scenarios', 'DA', 'AS', 'MI']
    """
    return [d.name for d in _dimensions(require_corpus(corpus, "coded_dimensions"))]


def _dimensions(corpus: Corpus) -> list[_Dimension]:
    framework = corpus.framework
    found = []
    if framework.instruments and "instrument" in corpus.units.columns:
        found.append(_Dimension("instrument", "unit", "nominal", None))
    for key in framework.objective_keys:
        found.append(_Dimension(f"objective:{key}", "unit", "nominal", None))
    if framework.scale is not None:
        for dimension in framework.scale.dimensions:
            table = corpus.documents if dimension.unit == "document" else corpus.units
            if dimension.key in table.columns:
                found.append(
                    _Dimension(dimension.key, dimension.unit, "ordinal", tuple(sorted(dimension.scores)))
                )
    return found


def _categories(corpus: Corpus, dimension: _Dimension, coded_none: bool = False) -> tuple[Any, ...]:
    """Every category a dimension can take, used by the coders or not.

    ``none`` counts as an instrument category only when a coder used it (``coded_none``):
    a clause coded ``none`` is a value a coder chose, while a study in which no coder
    chose it keeps the framework's categories, and its AC1, as they were.
    """
    if dimension.order is not None:
        return tuple(float(v) for v in dimension.order)
    if dimension.name == "instrument":
        return (*corpus.framework.instrument_keys, NO_INSTRUMENT) if coded_none else corpus.framework.instrument_keys
    return (0.0, 1.0)


def _values(corpus: Corpus, dimension: _Dimension, none_as_missing: bool = False) -> pd.Series:
    """One coder's values of a dimension, indexed by unit_id (or doc_id).

    ``none_as_missing``: a clause the coder coded ``none`` has no objective value (rather than
    serving none), as adjudication reads it: the coder coded nothing there to weigh.
    """
    if dimension.unit == "document":
        documents = corpus.documents
        return pd.Series(
            documents[dimension.name].to_numpy(dtype=np.float64, na_value=np.nan),
            index=documents["doc_id"].astype(object),
        )
    units = corpus.units
    index = units["unit_id"].astype(object)
    # The clauses a coder coded ``none`` are coded too: instrument ``none``, serving no objective,
    # with no score (a score there is an error when the sheet is read).
    not_coded = pd.Index(corpus.not_coded["unit_id"].astype(object)) if "unit_id" in corpus.not_coded else None
    if dimension.name == "instrument":
        values = pd.Series(
            units["instrument"].astype(object).where(units["instrument"].notna(), None).to_numpy(),
            index=index,
        )
        if not_coded is not None and len(not_coded):
            values = pd.concat([values, pd.Series(NO_INSTRUMENT, index=not_coded, dtype=object)])
        return values
    if dimension.name.startswith("objective:"):
        key = dimension.name.split(":", 1)[1]
        codings = corpus.codings
        serving = codings.loc[(codings["objective"] == key).to_numpy(dtype=bool), "unit_id"]
        values = pd.Series(index.isin(set(serving)).to_numpy(dtype=np.float64), index=index)
        if not_coded is not None and len(not_coded) and not none_as_missing:
            values = pd.concat([values, pd.Series(0.0, index=not_coded)])
        return values
    return pd.Series(units[dimension.name].to_numpy(dtype=np.float64, na_value=np.nan), index=index)


def _sheet_header_keys() -> dict[str, str]:
    """Every header a decision sheet may head a column with, casefolded, and the column it names.

    The keys (``id``, ``decision`` ...) and their headers in every language (``Decision``,
    ``裁决`` ...): :func:`adjudicate` reads any of them as that column, whatever the sheet's language.
    """
    found = {key.casefold(): key for key in _SHEET_COLUMNS["en"]}
    for headers in _SHEET_COLUMNS.values():
        found.update({header.strip().casefold(): key for key, header in headers.items()})
    return found


def _refuse_sheet_names(coders: Iterable[str]) -> None:
    """Refuse a coder named like a column of the adjudication sheet, in any language.

    A sheet is read back whatever its language, each column found by its header
    stripped and casefolded: a coder's column headed ``Decision`` or ``裁决`` would
    be read as the decisions (or the ids, the dimensions ...), the coder's codes
    silently taken for the team's.
    """
    headers = _sheet_header_keys()
    clash = [str(name) for name in coders if str(name).strip().casefold() in headers]
    if clash:
        name = clash[0]
        shown = dict.fromkeys([*_SHEET_COLUMNS["en"], *(h for found in _SHEET_COLUMNS.values() for h in found.values())])
        raise ValidationError(
            f"a coder is named {name!r}, which reads as the {headers[name.strip().casefold()]!r} column of an "
            f"adjudication sheet (the headers {', '.join(shown)}, in any case, are the sheet's own); "
            f"rename the coder, e.g. to {f'coder {name.strip()}'!r}"
        )


def _check_coders(coders: Mapping[str, Corpus], function: str) -> dict[str, Corpus]:
    coders = require_coders(coders, function)
    if len(coders) < 2:
        raise ValidationError(f"agreement needs at least two coders, got {len(coders)}")
    frameworks = {corpus.framework.name for corpus in coders.values()}
    if len(frameworks) > 1:
        raise ValidationError(f"the coders used different frameworks: {', '.join(sorted(frameworks))}")
    # A dimension is compared only when every coder's corpus has it: a missing column is a
    # coding sheet that left the dimension out, not a coder who left every value blank.
    (first_name, first), *others = coders.items()
    expected = coded_dimensions(first)
    for name, corpus in others:
        found = coded_dimensions(corpus)
        for one, two, lacking in ((expected, found, name), (found, expected, first_name)):
            missing = [d for d in one if d not in two]
            if missing:
                having = first_name if lacking == name else name
                raise ValidationError(
                    f"coder {lacking!r} has no {missing[0]!r} column, which coder {having!r} coded; "
                    f"add the column to the corpus of {lacking!r} or remove it from that of {having!r}"
                )
    _refuse_unicode_twins(coders)
    return coders


def _refuse_unicode_twins(coders: Mapping[str, Corpus]) -> None:
    """Refuse ids that two coders spell in different Unicode normalization forms.

    ``é`` typed as one code point (NFC) by one coder and as ``e`` and a combining
    accent (NFD) by another looks the same but does not align: the clause would
    count as coded by one coder each, with no agreement to measure and nothing to
    disagree on.  Neither spelling is changed (normalising would alter an id):
    every such pair is reported with both spellings' code points.
    """
    from ..corpus import _escaped, _nfc

    problems = []
    for column, tables in (
        ("unit_id", {name: corpus.all_units() for name, corpus in coders.items()}),
        ("doc_id", {name: corpus.documents for name, corpus in coders.items()}),
    ):
        ids = pd.concat(
            [
                pd.DataFrame({"coder": name, "id": pd.unique(table[column].dropna().astype(object).to_numpy())})
                for name, table in tables.items()
                if column in table.columns
            ],
            ignore_index=True,
        )
        wide = ~ids["id"].astype("string[pyarrow]").str.isascii().to_numpy(dtype=bool, na_value=True)
        if not wide.any():
            # ASCII ids are in NFC already: no twins (the usual case).
            continue
        spelled = ids[wide].assign(key=ids.loc[wide, "id"].map(lambda value: _nfc(str(value))))
        # The first coder's spelling of each id is the one the others are compared with.
        first = spelled.drop_duplicates("key").set_index("key")
        other = spelled[spelled["id"].to_numpy() != spelled["key"].map(first["id"]).to_numpy()]
        for coder, twin, key in other[["coder", "id", "key"]].itertuples(index=False):
            owner, spelling = first.loc[key, "coder"], first.loc[key, "id"]
            problems.append(
                {
                    "column": column,
                    "value": twin,
                    "problem": f"coder {coder!r} has {column} {_escaped(twin)}, coder {owner!r} "
                    f"{_escaped(spelling)}: the same id in another Unicode normalization form",
                    "expected": "the same code points in every coder's corpus: save both as NFC",
                }
            )
    if problems:
        raise ValidationError(
            f"{len(problems)} id(s) are spelled in different Unicode normalization forms by different coders "
            "and would not align",
            problems,
        )


def _reliability_data(
    coders: Mapping[str, Corpus], dimension: _Dimension, none_as_missing: bool = False
) -> pd.DataFrame:
    """Coders x units (or documents) values of one dimension, aligned on ids."""
    series = {name: _values(corpus, dimension, none_as_missing) for name, corpus in coders.items()}
    ids = pd.Index(sorted(set().union(*(s.index for s in series.values()))), name="id")
    return pd.DataFrame({name: s.reindex(ids) for name, s in series.items()}).T


@attrs.frozen(eq=False)
class AgreementReport(TableResult):
    """Agreement of several coders on every coded dimension.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per dimension.  First the core columns of every reliability
        table: ``estimate`` (Krippendorff's alpha), ``ci_low`` and
        ``ci_high`` (its bootstrap interval, when asked for), ``units`` (coded
        by at least two coders) and ``coders``; then ``kappa`` (Cohen's for
        two coders, Fleiss' for more, over the units every coder coded),
        ``ac1`` (Gwet), ``percent_agreement``, ``unit`` (``"unit"`` or
        ``"document"``) and ``measurement`` (alpha's level of measurement).
    categories : pandas.DataFrame
        Per-category agreement of the instrument: for each instrument, how many
        values coders gave it (``n_values``) and the share of them matched by
        another coder's same value (``agreement``, from the coincidence matrix).
    coverage : pandas.DataFrame
        Units that not every coder coded: ``unit_id`` and ``coded_by`` (a
        clause coded ``none`` is coded, as alpha pairs it).
    coders : tuple of str
        The coders' names.
    framework : Framework or None
        The coders' framework: the source of the labels of
        ``to_frame(language=...)``.
    """

    table: pd.DataFrame
    categories: pd.DataFrame
    coverage: pd.DataFrame
    coders: tuple[str, ...]
    framework: Any = attrs.field(default=None, repr=False)

    def to_frame(self, language: str | None = None) -> pd.DataFrame:
        """The per-dimension table (:attr:`table`).

        Parameters
        ----------
        language : str, optional
            Label the dimensions (``"政策工具"``, ``"政策目标：公共安全与利益"``,
            a score by its dimension's name), the units and levels of
            measurement (``"条款"``, ``"定序"``) and head the columns in this
            language; by default the table as computed.  The values are the
            same in every language.

        Returns
        -------
        pandas.DataFrame
            The columns ``estimate`` (Krippendorff's alpha, headed ``α`` in
            a language), ``ci_low``, ``ci_high``, ``units``, ``coders``,
            ``kappa``, ``ac1``, ``percent_agreement``, ``unit`` and
            ``measurement``, indexed by ``dimension``.

        Examples
        --------
        >>> import policyquant as pq
        >>> from policyquant.reliability import agreement_report
        >>> corpus = pq.datasets.load_genai_china()
        >>> table = agreement_report({"A": corpus, "B": corpus}).to_frame(language="zh")
        >>> table.index.name, table.index[1], table.iloc[0, -2:].tolist(), table.columns[0]
        ('编码维度', '政策目标：法定权益保护', ['条款', '定类'], 'α')
        """
        from .._language import column_title, dimension_label, resolve_language, value_label

        code = resolve_language(language)
        if code is None:
            return self.table
        frame = self.table.copy()
        if self.framework is not None:
            frame.index = pd.Index(
                [dimension_label(self.framework, name, code) for name in frame.index],
                name=column_title("dimension", code),
            )
        else:
            frame.index.name = column_title("dimension", code)
        for column in ("unit", "measurement"):
            frame[column] = frame[column].map(lambda value: value_label(value, code))
        # The report's estimate is always Krippendorff's alpha: head it so.
        frame.columns = pd.Index(
            [column_title("alpha" if c == "estimate" else c, code, "reliability") for c in frame.columns]
        )
        return frame


def agreement_report(
    coders: Mapping[str, Corpus],
    bootstrap: int | None = None,
    ci: float = 0.95,
    seed: int | None = None,
) -> AgreementReport:
    """Measure how well coders agree on every coded dimension of their corpora.

    Parameters
    ----------
    coders : mapping of str to Corpus
        Each coder's corpus of the same documents, under the same framework.
    bootstrap : int, optional
        Resamples for a confidence interval of each alpha.
    ci : float, default 0.95
        The interval's coverage.
    seed : int, optional
        Seed of the bootstrap.

    Returns
    -------
    AgreementReport

    Raises
    ------
    ValidationError
        If fewer than two coders are given, the corpora use different
        frameworks, or no unit was coded by two coders; for an id (unit_id or
        doc_id) that two coders spell in different Unicode normalization
        forms (each pair named with both coders and both spellings' code
        points).

    Notes
    -----
    Alpha is measured at the nominal level for the instrument and the
    objectives (each objective as a present/absent decision per clause) and at
    the ordinal level for scores.  Units that only some coders coded take part
    with the values they have (alpha handles missing values); Cohen's and
    Fleiss' kappa use only the units every coder coded.  Such units are listed
    in :attr:`AgreementReport.coverage`, not dropped silently.

    Examples
    --------
    >>> import policyquant as pq
    >>> from policyquant.reliability import agreement_report
    >>> corpus = pq.datasets.load_genai_china()
    >>> report = agreement_report({"A": corpus, "B": corpus})
    >>> report.table.loc["instrument", ["estimate", "percent_agreement"]].tolist(), int(report.table.loc["instrument", "units"])
    ([1.0, 1.0], 670)
    """
    from . import coefficients

    coders = _check_coders(coders, "agreement_report")
    names = tuple(coders)
    first = next(iter(coders.values()))
    rows = {}
    category_rows = []
    for dimension in _dimensions(first):
        data = _reliability_data(coders, dimension)
        coded = data.notna().sum(axis=0)
        pairable = data.loc[:, coded >= 2]
        if pairable.shape[1] == 0:
            rows[dimension.name] = {"unit": dimension.unit, "measurement": dimension.level, "units": 0}
            continue
        alpha = coefficients.krippendorff_alpha(
            pairable, measurement=dimension.level, values=dimension.order, bootstrap=bootstrap, ci=ci, seed=seed
        )
        complete = pairable.loc[:, pairable.notna().all(axis=0)]
        kappa = np.nan
        if complete.shape[1] > 0:
            try:
                if len(names) == 2:
                    kappa = float(coefficients.cohen_kappa(complete.iloc[0], complete.iloc[1]))
                else:
                    kappa = float(coefficients.fleiss_kappa(complete))
            except ValidationError:
                kappa = np.nan
        row = {
            "estimate": float(alpha),
            "ci_low": alpha.ci[0] if getattr(alpha, "ci", None) is not None else np.nan,
            "ci_high": alpha.ci[1] if getattr(alpha, "ci", None) is not None else np.nan,
            "units": int(pairable.shape[1]),
            "kappa": kappa,
            # AC1 estimates category shares from every value, units coded once included (Gwet 2014),
            # over all the dimension's categories, used or not.
            "ac1": float(
                coefficients.gwet_ac1(
                    data.loc[:, coded >= 1],
                    values=_categories(first, dimension, any(len(c.not_coded) for c in coders.values())),
                )
            ),
            "percent_agreement": float(coefficients.percent_agreement(pairable)),
            "unit": dimension.unit,
            "measurement": dimension.level,
        }
        rows[dimension.name] = row
        if dimension.name == "instrument":
            coincidences = alpha.coincidences
            totals = coincidences.sum(axis=1)
            for category in coincidences.index:
                total = float(totals.loc[category])
                category_rows.append(
                    {
                        "category": category,
                        "n_values": round(total),
                        "agreement": float(coincidences.loc[category, category]) / total if total else np.nan,
                    }
                )
    # The core columns of every reliability table first (issue 18), then the report's own.
    columns = [
        "estimate",
        "ci_low",
        "ci_high",
        "units",
        "coders",
        "kappa",
        "ac1",
        "percent_agreement",
        "unit",
        "measurement",
    ]
    table = pd.DataFrame.from_dict(rows, orient="index").reindex(columns=columns)
    table.index.name = "dimension"
    table["units"] = table["units"].fillna(0).astype("int64")
    table["coders"] = np.int64(len(names))
    clause_level = table["unit"] == "unit"
    if (table.loc[clause_level, "units"] == 0).all():
        raise ValidationError("no clause was coded by two coders: check that the coders' unit_ids match")
    categories = pd.DataFrame(category_rows, columns=["category", "n_values", "agreement"]).set_index(
        "category"
    )
    categories["n_values"] = categories["n_values"].astype("int64")
    # In the framework's order, as every other table of instruments.
    order = [key for key in first.framework.instrument_keys if key in categories.index]
    categories = categories.reindex(order + [c for c in categories.index if c not in order])
    return AgreementReport(table, categories, _coverage(coders), names, first.framework)


def _coverage(coders: Mapping[str, Corpus]) -> pd.DataFrame:
    """Units that not every coder coded, with who coded them.

    A clause coded ``none`` is coded (its instrument is ``none``, and alpha pairs it so):
    it counts here as in every coefficient.
    """
    present = (
        pd.DataFrame(
            {
                name: pd.Series(True, index=pd.Index(corpus.all_units()["unit_id"].astype(object)))
                for name, corpus in coders.items()
            }
        )
        .fillna(False)
        .astype(bool)
    )
    partial = present[~present.all(axis=1)]
    coded_by = partial.apply(lambda row: ", ".join(c for c in partial.columns if row[c]), axis=1)
    return pd.DataFrame({"unit_id": partial.index, "coded_by": coded_by.to_numpy() if len(partial) else []})


def disagreements(
    coders: Mapping[str, Corpus],
    dimensions: Sequence[str] | None = None,
    *,
    language: str | None = None,
) -> DisagreementsResult:
    """Every unit and dimension on which the coders differ, with each coder's value.

    Parameters
    ----------
    coders : mapping of str to Corpus
    dimensions : list of str, optional
        Which dimensions to compare (see :func:`coded_dimensions`); all by default.
    language : str, optional
        Label the sheet for the coders in this language (``"en"``, ``"zh"``
        ...): :meth:`~DisagreementsResult.to_frame` and :meth:`~DisagreementsResult.save`
        then give the adjudication sheet, with each clause's text and the
        codes by their labels.  By default the sheet as computed.

    Returns
    -------
    DisagreementsResult
        Its :meth:`~DisagreementsResult.to_frame` is the adjudication sheet,
        one row per unit and dimension the coders differ on, with the columns
        ``id`` (the unit_id, or the doc_id for document-level scores),
        ``doc_id``, ``text`` (the clause's text, or the document's title),
        ``dimension``, one column per coder and an empty ``decision``, ready
        to fill in and pass to :func:`adjudicate`; ``to_frame(language=...)``
        labels it for the coders.  When any coder wrote memos (a ``memo``
        column of their units or documents), each coder's column is followed
        by ``"<coder> memo"`` (``"<coder> 备注"``): that coder's memo on the
        row's unit, or on the document for a document-level score, as
        written (on a clause the coder coded ``none`` too); :func:`adjudicate`
        never reads it as a decision.  A unit a coder did not code shows as missing
        for that coder and counts as a disagreement only if the others differ
        among themselves.  A clause that some coder coded ``none`` and another
        with an instrument shows, besides its ``instrument`` row, every row of
        its objectives and scores, agreed or not (what goes in if the decision
        is the instrument), the ``none`` coder's cell there holding ``none``
        (``not coded (none)``, ``未编码（无）`` in a labelled sheet), which
        :func:`adjudicate` reads back.  Before 0.1 this function returned that DataFrame
        itself; DataFrame access on the result still works, with a
        :class:`DeprecationWarning`.

    Raises
    ------
    ValidationError
        For an unknown dimension or language (naming the closest); a coder
        named like a column of the sheet in any language, stripped and in
        any case (``Decision``, ``DECISION``, ``裁决``, ``编号`` ...: the
        sheet would read that coder's codes as the decisions); coders who
        share no clause (an empty sheet would read as agreement); an id that
        two coders spell in different Unicode normalization forms.

    Examples
    --------
    >>> import policyquant as pq
    >>> from policyquant.reliability import disagreements
    >>> corpus = pq.datasets.load_genai_china()
    >>> units = corpus.units.copy()
    >>> units.loc[0, "AS"] = 1
    >>> other = pq.Corpus(corpus.documents, units)
    >>> disagreements({"A": corpus, "B": other}).to_frame().drop(columns="text")
            id doc_id dimension  A  B decision
    0  N01-2-2    N01        AS  5  1     None
    >>> sheet = disagreements({"A": corpus, "B": other}, language="en").to_frame()
    >>> sheet.columns.tolist()
    ['ID', 'Document', 'Text', 'Coded dimension', 'A', 'B', 'Decision']
    >>> sheet.loc[0, ["Coded dimension", "A", "B"]].tolist()
    ['Audience scope', '5 (All departments, fields or scenarios)', '1 (A single department, field or scenario)']
    """
    from .._language import resolve_language

    language = resolve_language(language)
    coders = _check_coders(coders, "disagreements")
    _refuse_sheet_names(coders)
    shared = pd.concat(
        [pd.Series(pd.unique(corpus.all_units()["unit_id"].astype(object).to_numpy())) for corpus in coders.values()],
        ignore_index=True,
    )
    if not shared.duplicated().any():
        # An empty sheet would read as perfect agreement: coders who share no clause compared nothing.
        raise ValidationError(
            f"no clause was coded by two coders ({', '.join(map(repr, coders))}): "
            "check that the coders' unit_ids match"
        )
    first = next(iter(coders.values()))
    known = {d.name: d for d in _dimensions(first)}
    if isinstance(dimensions, str):
        dimensions = [dimensions]
    wanted = list(known) if dimensions is None else list(dimensions)
    unknown = [d for d in wanted if d not in known]
    if unknown:
        raise ValidationError(
            f"unknown dimension(s) {', '.join(unknown)}; choose from {format_choices(known)}"
        )
    coded_none = _none_disputes(coders, known)
    pieces = []
    for name in wanted:
        # A clause's objectives and scores, on a clause some coder coded none: that coder coded none of them.
        under_instrument = coded_none is not None and name != "instrument" and known[name].unit == "unit"
        data = _reliability_data(coders, known[name], none_as_missing=under_instrument).T  # ids x coders
        counts = data.nunique(axis=1, dropna=True)
        shown = (counts > 1).to_numpy(dtype=bool)
        if under_instrument and len(coded_none):
            # Every objective and score of a clause disputed between none and an instrument is shown,
            # agreed or not: they are what goes in if the decision is the instrument.
            data = data.reindex(data.index.union(coded_none.index))
            shown = (counts.reindex(data.index, fill_value=0) > 1).to_numpy(dtype=bool) | data.index.isin(
                coded_none.index
            )
        differ = data[shown]
        if differ.empty:
            continue
        if known[name].level == "ordinal" or name.startswith("objective:"):
            differ = differ.astype("Int64")
        if name.startswith("objective:"):
            differ = differ.astype("boolean")
        differ = differ.astype(object)
        if under_instrument and len(coded_none):
            marked = coded_none.reindex(index=differ.index, columns=differ.columns, fill_value=False)
            differ = differ.mask(marked.to_numpy(dtype=bool), NO_INSTRUMENT)
        piece = differ.reset_index()
        piece.insert(1, "dimension", name)
        pieces.append(piece)
    columns = ["id", "dimension", *coders]
    frame = pd.concat(pieces, ignore_index=True)[columns] if pieces else pd.DataFrame(columns=columns)
    details = _details(coders, frame, known)
    frame.insert(1, "doc_id", details["doc_id"])
    frame.insert(2, "text", details["text"])
    _insert_memos(coders, frame, known)
    frame["decision"] = pd.Series([None] * len(frame), index=frame.index, dtype=object)
    return DisagreementsResult(frame, tuple(coders), first.framework, language)


def _none_disputes(coders: Mapping[str, Corpus], known: Mapping[str, _Dimension]) -> pd.DataFrame | None:
    """On each clause that some coder coded ``none`` and another with an instrument: who coded it ``none``.

    Clauses by coders, True for the ``none`` coders; None when the framework has no instruments.
    """
    if "instrument" not in known:
        return None
    data = _reliability_data(coders, known["instrument"]).T  # ids x coders
    none = (data == NO_INSTRUMENT).fillna(False).astype(bool)
    instrument = data.notna() & ~none
    return none[(none.any(axis=1) & instrument.any(axis=1)).to_numpy(dtype=bool)]


def _insert_memos(coders: Mapping[str, Corpus], frame: pd.DataFrame, known: Mapping[str, _Dimension]) -> None:
    """After each coder's column, their memo on the row's unit (or document): when any coder wrote one.

    Memos are the coder's own (each corpus's ``memo`` column): a unit-level row shows
    the unit's memo, a document-level row the document's.  A clause the coder coded
    ``none`` shows its memo too: why it holds no instrument is what the adjudicator weighs.
    """
    tables: dict[str, dict[str, pd.Series]] = {}
    for coder, corpus in coders.items():
        tables[coder] = {}
        for unit, table, key in (("unit", corpus.all_units(), "unit_id"), ("document", corpus.documents, "doc_id")):
            if "memo" in table.columns:
                kept = table.loc[table["memo"].notna().to_numpy(dtype=bool), [key, "memo"]]
                tables[coder][unit] = pd.Series(
                    kept["memo"].to_numpy(dtype=object), index=kept[key].to_numpy(dtype=object)
                )
    if not any(len(memos) for found in tables.values() for memos in found.values()):
        return
    headers = {c: [h.format(coder=c) for h in _MEMO_HEADERS.values()] for c in coders}
    taken = {*coders, "id", "doc_id", "text", "dimension", "decision"}
    taken |= {header for language in _SHEET_COLUMNS.values() for header in language.values()}
    clash = next((h for c in coders for h in headers[c] if h in taken), None)
    if clash is not None:
        raise ValidationError(
            f"a coder is named {clash!r}, as another coder's memo column of the adjudication sheet is; "
            "give the coders other names"
        )
    ids = frame["id"].astype(object)
    by_document = frame["dimension"].map(lambda name: known[name].unit == "document").astype(bool)
    for coder in coders:
        memo = pd.Series(None, index=frame.index, dtype=object)
        for unit, rows in (("unit", ~by_document), ("document", by_document)):
            table = tables[coder].get(unit)
            if table is not None and rows.any():
                memo[rows] = ids[rows].map(table).astype(object)
        memo = memo.where(memo.notna(), None)
        frame.insert(frame.columns.get_loc(coder) + 1, headers[coder][0], memo)


def _details(coders: Mapping[str, Corpus], frame: pd.DataFrame, known: Mapping[str, _Dimension]) -> pd.DataFrame:
    """The document and text of each row of a sheet: a clause's text, or a document's title."""
    # Every clause, those coded "none" too; a corpus read without texts has its rows' text missing.
    units = pd.concat(
        [corpus.all_units().reindex(columns=["unit_id", "doc_id", "text"]) for corpus in coders.values()]
    )
    units = units.drop_duplicates("unit_id").set_index(units.drop_duplicates("unit_id")["unit_id"].astype(object))
    documents = pd.concat(
        [corpus.documents.reindex(columns=["doc_id", "title"]) for corpus in coders.values()]
    ).drop_duplicates("doc_id")
    titles = pd.Series(documents["title"].astype(object).to_numpy(), index=documents["doc_id"].astype(object))
    ids = frame["id"].astype(object)
    by_document = frame["dimension"].map(lambda name: known[name].unit == "document").astype(bool)
    doc_id = ids.map(units["doc_id"].astype(object)).where(~by_document, ids)
    text = ids.map(units["text"].astype(object)).where(~by_document, ids.map(titles))
    return pd.DataFrame({"doc_id": doc_id.astype(object), "text": text.astype(object)}, index=frame.index)


def adjudicate(
    coders: Mapping[str, Corpus],
    decisions: pd.DataFrame | TableResult | str | PathLike[str] | None = None,
    rule: str = "majority",
    *,
    language: str | None = None,
) -> Corpus:
    """Build the agreed corpus: the coders' majority, with a decision sheet for the rest.

    Parameters
    ----------
    coders : mapping of str to Corpus
    decisions : pandas.DataFrame, DisagreementsResult or path, optional
        The decision sheet: rows ``id``, ``dimension``, ``decision`` (as
        :func:`disagreements` returns them, with a ``decision`` column filled
        in), or the adjudication sheet of ``to_frame(language=...)`` with its
        decision column (``Decision``, ``裁决``) filled in, headers,
        dimensions and decisions in English or Chinese (``政策工具``,
        ``标准规范``, ``是``, ``5（行政法规）``), as a DataFrame or as the
        ``.csv`` or ``.xlsx`` file (read with every cell as text).  A decision
        overrides the majority; a blank one leaves the row to the majority.
    rule : {"majority"}
        How to settle what the decisions do not: the value most coders gave.
    language : str, optional
        The language of the problems reported (``"en"``, ``"zh"`` ...; codes
        and dimensions named by their labels in it).  By default the
        caller's (English).

    Returns
    -------
    Corpus
        Every coder's documents and units (those coded ``none`` included):
        the first coder's, then those only a later coder has (a clause
        nobody else coded keeps that coder's values), with every adjudicated
        value set; a clause settled as
        ``none`` is in its :attr:`~policyquant.Corpus.not_coded`.  When
        coders wrote memos, its ``memo`` holds every coder's memo on the unit
        or document, each after the coder's name (``"Li: ...\\n\\nWang:
        ..."``), on clauses any coder coded ``none`` too: the agreed corpus is
        no single coder's, and no memo is dropped.  For the same reason it
        has no ``coder`` column (the attribution of a machine coder's
        :class:`~policyquant.coders.MachineCorpus`, or a coder's own), even
        when the first coder's corpus has one.  Memo columns of the sheet
        are never read as decisions.

    Raises
    ------
    ValidationError
        One error listing every problem at once, each naming the unit (or
        document) and the dimension, and the sheet's file, row and decision
        column when the sheet has a row for it: every unit and dimension
        where the coders tie and no decision settles it; a decision that
        contradicts the unit's settled instrument (see Notes); a code no
        coder gave (a clause every coder coded ``none`` decided to hold an
        instrument: each of its objectives and scores needs a decision).
        Before that, every problem of the sheet itself, at its file, row and
        column, with the expected values and the closest ones: decisions
        naming unknown dimensions; a decision that is no code of its
        dimension (an instrument not in the framework, a score not one of
        its levels, an objective not yes or no); two rows deciding one unit
        and dimension differently (rows that agree are fine); decisions
        naming units or documents that no coder coded.  Before that, a sheet
        without the columns it needs or with two columns read as one (such
        as ``decision`` and ``裁决``), a coder named like a column of the
        sheet, ids two coders spell in different Unicode normalization
        forms; a file that cannot be read.

    Notes
    -----
    A clause's instrument is settled first, by its decision or by the
    majority, and it settles the rest of the clause:

    * settled as ``none``, the clause has no objectives and no scores,
      whatever a coder who gave it an instrument coded: its objective and
      score rows need no decision, and a decision on them is ignored when it
      agrees (blank, ``No``/``否`` for an objective, ``none``/``无`` or the
      sheet's ``not coded (none)``/``未编码（无）``) and reported as a
      contradiction when it does not (an objective ``Yes``, a score);
    * settled as an instrument, its objectives and scores are the majority
      of the coders who coded it with an instrument (a coder who coded it
      ``none`` coded none of them), or the decisions; a decision of
      ``none`` there contradicts the instrument and is reported.

    :func:`disagreements` shows a clause disputed between ``none`` and an
    instrument with every objective and score row, the ``none`` coder's
    cells marked, so that these rows can be decided on the same sheet.

    Examples
    --------
    >>> import policyquant as pq
    >>> from policyquant.reliability import adjudicate, disagreements
    >>> corpus = pq.datasets.load_genai_china()
    >>> units = corpus.units.copy()
    >>> units.loc[0, "AS"] = 1
    >>> other = pq.Corpus(corpus.documents, units)
    >>> agreed = adjudicate({"A": corpus, "B": corpus, "C": other})
    >>> int(agreed.units.loc[0, "AS"])
    5

    A clause decided ``none`` needs no decision on its objectives and scores,
    and refuses one that gives it any:

    >>> units = corpus.all_units().astype({"instrument": object, "objectives": object})
    >>> units.loc[0, ["instrument", "objectives", "AS", "MI"]] = ["none", "", None, None]
    >>> coders = {"A": corpus, "B": pq.Corpus(corpus.documents, units)}
    >>> sheet = disagreements(coders).to_frame()
    >>> sheet["dimension"].tolist()[:3], sheet["B"].tolist()[:3]
    (['instrument', 'objective:rights_protection', 'objective:public_safety'], ['none', 'none', 'none'])
    >>> sheet.loc[0, "decision"] = "none"
    >>> adjudicate(coders, sheet).not_coded["unit_id"].tolist()
    ['N01-2-2']
    >>> sheet.loc[sheet["dimension"] == "AS", "decision"] = 5
    >>> adjudicate(coders, sheet)
    Traceback (most recent call last):
    ...
    policyquant.errors.ValidationError: 1 decision(s) contradict the instrument settled for their unit:
      - row 7, column 'decision', value 5: unit 'N01-2-2', dimension 'AS' (Audience scope): the unit's instrument is settled as none (decided on the sheet), so it has no objectives and no scores; expected a blank decision, or none
    """
    from .._language import resolve_language

    if rule != "majority":
        raise ValidationError(f"rule must be 'majority', got {rule!r}")
    requested = resolve_language(language)
    coders = _check_coders(coders, "adjudicate")
    if decisions is not None:
        # The sheet's columns are found by header: a coder's column could pass for one of them.
        _refuse_sheet_names(coders)
    first = next(iter(coders.values()))
    framework = first.framework
    known = {d.name: d for d in _dimensions(first)}
    if decisions is not None:
        coded = {
            "unit": pd.Index(pd.unique(pd.concat([c.all_units()["unit_id"].astype(object) for c in coders.values()]))),
            "document": pd.Index(pd.unique(pd.concat([c.documents["doc_id"].astype(object) for c in coders.values()]))),
        }
        sheet = _decisions(decisions, framework, known, coded)
    else:
        sheet = _Decisions({})
    # Every clause any coder coded (``none`` included: another coder may have coded them), and
    # every document they belong to: a clause only a later coder coded is no less the study's.
    documents, units = _every_coders_rows(coders)
    with using_language(requested):
        problems = _Unsettled(framework, sheet, known)
        clauses = pd.Index([], dtype=object)
        for name, dimension in known.items():
            # A clause's objectives and scores are weighed among the coders who gave it an instrument:
            # a coder who coded it none coded none of them (instrument comes first in ``known``).
            under_instrument = problems.instrument is not None and name != "instrument" and dimension.unit == "unit"
            data = _reliability_data(coders, dimension, none_as_missing=under_instrument).T  # ids x coders
            if under_instrument:
                data = data.reindex(clauses)
            majority, tied = _majority(data)
            settled_here = {unit: value for (unit, on), value in sheet.decided.items() if on == name}
            unknown = next((unit for unit in settled_here if unit not in data.index), None)
            if unknown is not None:
                raise ValidationError(f"a decision names {unknown!r}, which no coder coded")
            if under_instrument:
                settled_here = problems.check_decisions(name, settled_here)
                tied = tied.difference(problems.settled_none)
            for unit, value in settled_here.items():
                majority.loc[unit] = value
            tied = tied.difference(pd.Index(list(settled_here), dtype=object))
            problems.tie(name, dimension, data, tied)
            if name == "instrument":
                clauses = data.index
                problems.settle_instruments(data, majority.drop(tied), set(settled_here))
            elif under_instrument:
                problems.uncoded(name, data, set(settled_here))
            target = documents if dimension.unit == "document" else units
            id_column = "doc_id" if dimension.unit == "document" else "unit_id"
            values = majority.reindex(target[id_column].astype(object)).to_numpy()
            if name == "instrument":
                units["instrument"] = values
            elif name.startswith("objective:"):
                units[name] = pd.Series(values, dtype=object).map(_truthy).to_numpy()
            else:
                target[name] = values
        problems.raise_any()
    if "instrument" in known:
        # An agreed ``none`` carries no objective and no clause-level score, whatever a coder
        # who saw an instrument there gave it.
        none = (units["instrument"] == NO_INSTRUMENT).to_numpy(dtype=bool)
        if none.any():
            for name, dimension in known.items():
                if name.startswith("objective:"):
                    units.loc[none, name] = False
                elif name != "instrument" and dimension.unit == "unit":
                    units[name] = units[name].astype("float64")
                    units.loc[none, name] = np.nan
    objective_columns = [c for c in units.columns if c.startswith("objective:")]
    if objective_columns:
        keys = [c.split(":", 1)[1] for c in objective_columns]
        chosen = units[objective_columns].to_numpy(dtype=bool)
        units["objectives"] = ["; ".join(k for k, on in zip(keys, row, strict=True) if on) for row in chosen]
        units = units.drop(columns=objective_columns)
    documents = (
        documents.assign(issuers=documents["issuers"].map("; ".join)) if "issuers" in documents else documents
    )
    units, documents = _agreed_memos(coders, units, "unit_id"), _agreed_memos(coders, documents, "doc_id")
    # The agreed corpus is no single coder's: the first coder's attribution (a machine coder's ``coder``
    # column) would credit it with clauses the majority or the team settled.
    units = units.drop(columns=list(_ATTRIBUTION.intersection(units.columns)))
    documents = documents.drop(columns=list(_ATTRIBUTION.intersection(documents.columns)))
    return Corpus(documents, units, first.framework, language=requested)


#: Columns that attribute a row to the coder who coded it (:class:`~policyquant.coders.MachineCorpus`
#: writes ``coder``): no coder's in the agreed corpus.
_ATTRIBUTION = frozenset({"coder"})


def _every_coders_rows(coders: Mapping[str, Corpus]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The documents and every clause (``none`` ones included) of all the coders' corpora.

    The first coder's rows as they are, then, coder by coder, the clauses
    and documents none of the coders before had, as that coder has them: the
    agreed corpus leaves out no clause that any coder coded.
    """
    corpora = list(coders.values())
    documents, units = corpora[0].documents, corpora[0].all_units()
    for corpus in corpora[1:]:
        more_units = corpus.all_units()
        more_units = more_units[~more_units["unit_id"].isin(units["unit_id"])]
        more_documents = corpus.documents[~corpus.documents["doc_id"].isin(documents["doc_id"])]
        if len(more_units):
            units = pd.concat([units, more_units], ignore_index=True)
        if len(more_documents):
            documents = pd.concat([documents, more_documents], ignore_index=True)
    return documents, units


class _Unsettled:
    """What adjudication cannot settle, collected over every dimension and raised at once.

    Ties with no decision, codes no coder gave (a clause every coder coded ``none`` whose
    instrument is decided otherwise), and decisions that contradict the unit's settled
    instrument; each problem names the unit and the dimension, and the sheet's row and
    decision column when the sheet has the row.  Once the instrument is settled
    (:meth:`settle_instruments`) it also holds which clauses it settled as ``none``.
    """

    def __init__(self, framework: Any, sheet: _Decisions, known: Mapping[str, _Dimension]) -> None:
        self.framework = framework
        self.sheet = sheet
        # The settled instrument of each clause not settled as none; None without instruments.
        self.instrument: pd.Series | None = pd.Series(dtype=object) if "instrument" in known else None
        self.settled_none = pd.Index([], dtype=object)
        self.decided_instrument: set[str] = set()
        self.none_cells = pd.DataFrame()
        self.ties: list[dict[str, Any]] = []
        self.missing: list[dict[str, Any]] = []
        self.contradictions: list[dict[str, Any]] = []

    # What the instrument settles ------------------------------------------------------------

    def settle_instruments(self, data: pd.DataFrame, settled: pd.Series, decided: set[str]) -> None:
        """Record each clause's settled instrument (``settled``: the tied left out) and who coded it none."""
        settled = settled[settled.notna()]
        none = (settled.astype(object) == NO_INSTRUMENT).to_numpy(dtype=bool)
        self.instrument = settled[~none]
        self.settled_none = settled.index[none]
        self.decided_instrument = decided
        self.none_cells = (data == NO_INSTRUMENT).fillna(False).astype(bool)

    def check_decisions(self, name: str, chosen: dict[str, Any]) -> dict[str, Any]:
        """The decisions on an objective or score that stand: none on a clause settled none is moot.

        A decision that agrees with the clause's settled instrument (no objective, no score
        on a clause settled ``none``; a code on a clause with an instrument) is kept or, when
        moot, left out; one that contradicts it is a problem.
        """
        kept = {}
        moot = set(self.settled_none)
        for unit, value in chosen.items():
            says_none = isinstance(value, str) and value == NO_INSTRUMENT
            if unit in moot:
                if not (says_none or (name.startswith("objective:") and value is False)):
                    self._contradiction(name, unit, None)
                continue
            if says_none:
                if self.instrument is not None and unit in self.instrument.index:
                    self._contradiction(name, unit, self.instrument.loc[unit])
                # Otherwise the instrument itself is tied: that tie is the problem to report.
                continue
            kept[unit] = value
        return kept

    # Problems ---------------------------------------------------------------------------------

    def tie(self, name: str, dimension: _Dimension, data: pd.DataFrame, tied: pd.Index) -> None:
        """One problem per tied unit, with each coder's code."""
        language = current_language()
        separator = pgettext("list separator", ", ")
        for unit in tied:
            codes = []
            for coder, value in data.loc[unit].items():
                if _blank(value):
                    if not self._coded_none(unit, coder) or name == "instrument":
                        continue
                    value = NO_INSTRUMENT
                codes.append(_("{coder}: {code}").format(coder=coder, code=self._code(name, value, language)))
            self.ties.append(
                self._record(
                    name,
                    unit,
                    _("{where}: the coders tie ({codes})").format(
                        where=self._where(name, unit, dimension.unit), codes=separator.join(codes)
                    ),
                    _("a decision: {choices}").format(choices=self._choices(name)),
                )
            )

    def uncoded(self, name: str, data: pd.DataFrame, decided: set[str]) -> None:
        """A clause whose instrument is settled, though every coder coded it none: each of its codes needs a decision."""
        if self.instrument is None:
            return
        rows = data.reindex(self.instrument.index)
        bare = rows.index[rows.isna().all(axis=1).to_numpy(dtype=bool)]
        for unit in bare.difference(pd.Index(list(decided), dtype=object)):
            self.missing.append(
                self._record(
                    name,
                    unit,
                    _("{where}: its instrument is settled as {instrument} ({how}), but every coder coded it {none}, so no coder gave this code").format(
                        where=self._where(name, unit, "unit"),
                        instrument=self._code("instrument", self.instrument.loc[unit], current_language()),
                        how=self._how(unit),
                        none=self._none(),
                    ),
                    _("a decision: {choices}").format(choices=self._choices(name)),
                )
            )

    def raise_any(self) -> None:
        """Raise one ValidationError listing every problem found, if any."""
        parts = []
        if self.contradictions:
            parts.append(
                _("{count} decision(s) contradict the instrument settled for their unit").format(
                    count=len(self.contradictions)
                )
            )
        if self.ties:
            parts.append(_("{count} tie(s) among the coders need a decision").format(count=len(self.ties)))
        if self.missing:
            parts.append(_("{count} code(s) that no coder gave need a decision").format(count=len(self.missing)))
        if parts:
            raise ValidationError(
                pgettext("summary separator", "; ").join(parts), self.contradictions + self.ties + self.missing
            )

    # Wording ----------------------------------------------------------------------------------

    def _contradiction(self, name: str, unit: str, instrument: Any) -> None:
        language = current_language()
        where = self._where(name, unit, "unit")
        if instrument is None:
            problem = _("{where}: the unit's instrument is settled as {none} ({how}), so it has no objectives and no scores").format(
                where=where, none=self._none(), how=self._how(unit)
            )
            expected = _("a blank decision, or No") if name.startswith("objective:") else _("a blank decision, or {none}").format(none=self._none())
        else:
            problem = _("{where}: the decision says the unit has no instrument, but its instrument is settled as {instrument} ({how})").format(
                where=where, instrument=self._code("instrument", instrument, language), how=self._how(unit)
            )
            expected = _("{choices}; or decide the unit's instrument {none}").format(
                choices=self._choices(name), none=self._none()
            )
        self.contradictions.append(
            self._record(name, unit, problem, expected, self.sheet.written.get((unit, name)))
        )

    def _record(self, name: str, unit: str, problem: str, expected: str, value: Any = None) -> dict[str, Any]:
        """A problem, at the sheet's row and decision column when the sheet has a row for it."""
        row = self.sheet.rows.get((unit, name))
        return {
            "file": self.sheet.file if row is not None else None,
            "row": row,
            "column": self.sheet.column if row is not None else None,
            "value": value,
            "problem": problem,
            "expected": expected,
        }

    def _where(self, name: str, unit: str, level: str) -> str:
        from .._language import dimension_label

        label = dimension_label(self.framework, name, current_language())
        dimension = repr(name) if label == name else pgettext("dimension", "{key!r} ({label})").format(key=name, label=label)
        if level == "document":
            return _("document {document!r}, dimension {dimension}").format(document=unit, dimension=dimension)
        return _("unit {unit!r}, dimension {dimension}").format(unit=unit, dimension=dimension)

    def _how(self, unit: str) -> str:
        return _("decided on the sheet") if unit in self.decided_instrument else _("by the coders' majority")

    def _none(self) -> str:
        return NO_INSTRUMENT_NAMES.get(current_language(), NO_INSTRUMENT)

    def _coded_none(self, unit: str, coder: str) -> bool:
        cells = self.none_cells
        return unit in cells.index and coder in cells.columns and bool(cells.loc[unit, coder])

    def _code(self, name: str, value: Any, language: str) -> str:
        """A code as a message shows it: an instrument's or objective's label, a score's number."""
        if isinstance(value, str) and value == NO_INSTRUMENT:
            return self._none() if name == "instrument" else _SHEET_CELLS["zh" if language == "zh" else "en"]["not_coded"]
        if name == "instrument" or name.startswith("objective:"):
            labels = _code_labels(self.framework, name, language)
            return str(labels.get(_code_key(_truthy(value) if name.startswith("objective:") else value), value))
        key = _code_key(value)
        return str(key)

    def _choices(self, name: str) -> str:
        from .._language import scale_dimension

        if name == "instrument":
            return _("an instrument of the framework, or {none}").format(none=self._none())
        if name.startswith("objective:"):
            return _("yes or no")
        dimension = scale_dimension(self.framework, name)
        return join_choices([str(level.score) for level in dimension.levels]) if dimension is not None else name


def _agreed_memos(coders: Mapping[str, Corpus], table: pd.DataFrame, key: str) -> pd.DataFrame:
    """The agreed table's ``memo``: every coder's memo on the row, each after its coder's name.

    The agreed corpus is no single coder's work, so no coder's memos stand in it as its
    own; none is dropped either: ``"Li: ...\n\nWang: ..."``, coders in their order.
    """
    ids = table[key].astype(object)
    agreed = pd.Series(pd.NA, index=table.index, dtype="string")
    found = False
    for coder, corpus in coders.items():
        # A coder's clauses coded ``none`` carry memos too (why no instrument): all_units() holds them.
        own = corpus.all_units() if key == "unit_id" else corpus.documents
        if "memo" not in own.columns:
            continue
        found = True
        memos = pd.Series(own["memo"].to_numpy(dtype=object), index=own[key].to_numpy(dtype=object))
        memo = ids.map(memos[~memos.index.duplicated()]).astype("string")
        labelled = coder + ": " + memo
        agreed = agreed.where(memo.isna(), (agreed + "\n\n" + labelled).fillna(labelled))
    return table.assign(memo=agreed.to_numpy(dtype=object)) if found else table


def _read_sheet(path: Path) -> pd.DataFrame:
    """A filled-in sheet from a CSV or Excel file, every cell as text, rows numbered as a spreadsheet shows them."""
    from ..errors import ReadError

    suffix = path.suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm", ".xls"):
            sheet = pd.read_excel(path, dtype=str, keep_default_na=False, engine="calamine")
        elif suffix in (".csv", ".txt", ".tsv"):
            sheet = pd.read_csv(
                path, dtype=str, keep_default_na=False, encoding="utf-8-sig", sep="\t" if suffix == ".tsv" else ","
            )
        else:
            raise ReadError(f"{path}: a decision sheet is a .csv or .xlsx file, not {suffix or 'a file without suffix'!r}")
    except ReadError:
        raise
    except FileNotFoundError:
        raise ReadError(f"{path}: no such decision sheet") from None
    except Exception as error:  # noqa: BLE001 - pandas and calamine raise many kinds
        raise ReadError(f"{path}: not a readable decision sheet ({type(error).__name__}: {error})") from None
    return sheet


def _sheet_column(sheet: pd.DataFrame, key: str, source: str = "") -> Any:
    """The column of ``sheet`` that holds ``key`` (``decision``, ``Decision``, ``裁决`` ...), or None.

    Two columns that both read as ``key`` (``decision`` and ``裁决``) are refused: taking
    either would drop the other's decisions without a word.
    """
    headers = _sheet_header_keys()
    found = [column for column in sheet.columns if headers.get(str(column).strip().casefold()) == key]
    if len(found) > 1:
        raise ValidationError(
            f"{source}the decision sheet has {len(found)} columns that read as {key!r}: "
            f"{', '.join(repr(str(column)) for column in found)}; keep one of them (a coder's column "
            f"headed so is read as the sheet's own: rename it)"
        )
    return found[0] if found else None


def _decisions(
    decisions: pd.DataFrame | TableResult | str | PathLike[str],
    framework: Any,
    known: Mapping[str, _Dimension],
    ids: Mapping[str, pd.Index] | None = None,
) -> _Decisions:
    """The decisions of a filled-in sheet, by (id, dimension key), in the corpus's terms.

    ``ids``: the unit_ids (``"unit"``) and doc_ids (``"document"``) some coder coded; a
    decision naming another is reported at its row, with the closest ids.

    Headers, dimensions and decisions are read in any language a sheet is
    written in; an objective's decision is yes or no, a score's its number
    (``5``, ``5 (Administrative regulations)``, ``5（行政法规）`` or the level's
    label), an instrument's its key or label (an alias is left to the corpus
    to resolve).
    """
    from .._language import LANGUAGES, category_label, dimension_label, scale_dimension
    from .._text import closest, normalize_name

    instrument_names = framework.name_lookup("instrument") if "instrument" in known else {}

    source = ""
    if isinstance(decisions, str | PathLike):
        path = Path(decisions)
        source = f"{path}: "
        decisions = _read_sheet(path)
    elif isinstance(decisions, TableResult):
        decisions = decisions.to_frame()
    if not isinstance(decisions, pd.DataFrame):
        raise ValidationError(
            f"decisions must be a DataFrame, a disagreements() result or a .csv or .xlsx file, "
            f"got {type(decisions).__name__}"
        )
    columns = {key: _sheet_column(decisions, key, source) for key in ("id", "dimension", "decision")}
    missing = [key for key, column in columns.items() if column is None]
    if missing:
        raise ValidationError(
            f"{source}a decision sheet needs the columns id, dimension, decision "
            f"(or {', '.join(_SHEET_COLUMNS['en'][k] for k in ('id', 'dimension', 'decision'))}; "
            f"{', '.join(_SHEET_COLUMNS['zh'][k] for k in ('id', 'dimension', 'decision'))}); "
            f"missing: {', '.join(missing)}"
        )
    file = source.rstrip(": ") or None
    decision_column = columns["decision"]
    names: dict[str, str] = {}
    for name in known:
        names[name.casefold()] = name
        for code in LANGUAGES:
            names[dimension_label(framework, name, code).casefold()] = name
    rows = pd.Series(range(2, len(decisions) + 2), index=decisions.index)
    dimensions = decisions[columns["dimension"]].map(lambda v: names.get(str(v).strip().casefold()))
    bad = dimensions.isna().to_numpy(dtype=bool)
    if bad.any():
        choices = list(known)
        raise ValidationError(
            f"{source}decisions name unknown dimensions",
            [
                {
                    "file": file,
                    "row": int(rows.iloc[at]),
                    "column": str(columns["dimension"]),
                    "value": decisions[columns["dimension"]].iloc[at],
                    "problem": "unknown dimension",
                    "expected": "one of " + format_choices(known),
                    "suggestions": ", ".join(closest(str(decisions[columns["dimension"]].iloc[at]), choices))
                    or None,
                }
                for at in np.flatnonzero(bad)
            ],
        )
    problems = []
    conflicts: list[dict[str, Any]] = []
    decided: dict[tuple[str, str], Any] = {}
    decided_at: dict[tuple[str, str], int] = {}
    where: dict[tuple[str, str], int] = {}
    written: dict[tuple[str, str], Any] = {}
    labels: dict[str, dict[str, Any]] = {}
    for at, (unit, name, value) in enumerate(
        zip(decisions[columns["id"]].tolist(), dimensions.tolist(), decisions[decision_column].tolist(), strict=True)
    ):
        key = (str(unit).strip(), name)
        where.setdefault(key, int(rows.iloc[at]))
        if _blank(value):
            continue
        if name not in labels:
            labels[name] = _decision_words(framework, name, category_label, scale_dimension, LANGUAGES)
        words = labels[name]
        text = str(value).strip()
        if name.startswith("objective:"):
            if isinstance(value, bool | np.bool_):
                chosen: Any = bool(value)
            elif text.casefold() in _YES:
                chosen = True
            elif text.casefold() in _NO:
                chosen = False
            elif text.casefold() in _NOT_CODED_WORDS:
                # The cell of a coder who coded the clause none: no objective, as no instrument.
                chosen = NO_INSTRUMENT
            else:
                problems.append(
                    {
                        "file": file,
                        "row": int(rows.iloc[at]),
                        "column": str(decision_column),
                        "value": value,
                        "problem": f"not a decision on {name}",
                        "expected": "yes or no (是 or 否, true or false, 1 or 0), or none on a clause with no instrument",
                    }
                )
                continue
        else:
            chosen = words.get(text.casefold())
            if chosen is None and name == "instrument":
                # An alias of an instrument reads as the corpus reads it.
                chosen = instrument_names.get(normalize_name(text))
            if chosen is None and name != "instrument":
                # A score written as the corpus reads scores ("5.00", 5, "５"): the one rule for scores.
                number = float(score_numbers([value])[0][0])
                if number in set(words.values()):
                    chosen = number
            if chosen is None:
                problems.append(_not_a_decision(framework, name, value, file, int(rows.iloc[at]), decision_column))
                continue
        if key in decided and not _same_decision(decided[key], chosen):
            # Two rows deciding one unit and dimension differently: which one the team meant is theirs to say.
            conflicts.append(
                {
                    "file": file,
                    "row": int(rows.iloc[at]),
                    "column": str(decision_column),
                    "value": value,
                    "problem": f"a second decision on {key[0]!r}, dimension {name!r}: row {decided_at[key]} "
                    f"decides {written[key]!r}, this row {value!r}",
                    "expected": f"one decision per unit and dimension: rows {decided_at[key]} and "
                    f"{int(rows.iloc[at])} agreeing, or one of them left blank",
                }
            )
            continue
        decided.setdefault(key, chosen)
        written.setdefault(key, value)
        decided_at.setdefault(key, int(rows.iloc[at]))
    strangers = _unknown_ids(decided, decided_at, known, ids, file, str(columns["id"])) if ids is not None else []
    if problems or conflicts or strangers:
        parts = []
        if problems:
            parts.append(f"{len(problems)} decision(s) cannot be read")
        if conflicts:
            parts.append(f"{len(conflicts)} decision(s) conflict with another row's for the same unit and dimension")
        if strangers:
            parts.append(f"{len(strangers)} decision(s) name an id that no coder coded")
        raise ValidationError(f"{source}{'; '.join(parts)}", problems + conflicts + strangers)
    return _Decisions(decided, where, written, file, str(decision_column))


def _not_a_decision(framework: Any, name: str, value: Any, file: str | None, row: int, column: Any) -> dict[str, Any]:
    """The problem of a decision that is no instrument, or no level, of the framework: at the sheet's row."""
    from .._language import LANGUAGES, category_label, dimension_label, scale_dimension
    from .._text import closest

    if name == "instrument":
        labels = {
            category_label(framework, "instrument", key, code): key
            for key in framework.instrument_keys
            for code in LANGUAGES
        }
        near = dict.fromkeys(labels.get(m, m) for m in closest(str(value).strip(), [*framework.instrument_keys, *labels], n=6))
        return {
            "file": file,
            "row": row,
            "column": str(column),
            "value": value,
            "problem": "unknown instrument",
            "expected": "an instrument of the framework (its key or label), or none: one of "
            + format_choices(framework.instrument_keys),
            "suggestions": ", ".join(list(near)[:3]) or None,
        }
    dimension = scale_dimension(framework, name)
    levels = [str(level.score) for level in dimension.levels] if dimension is not None else []
    return {
        "file": file,
        "row": row,
        "column": str(column),
        "value": value,
        "problem": f"not a level of {name} ({dimension_label(framework, name, 'en')})",
        "expected": f"one of {', '.join(levels)} (a level's number or label), or none on a clause with no instrument",
    }


def _unknown_ids(
    decided: Mapping[tuple[str, str], Any],
    rows: Mapping[tuple[str, str], int],
    known: Mapping[str, _Dimension],
    ids: Mapping[str, pd.Index],
    file: str | None,
    column: str,
) -> list[dict[str, Any]]:
    """Every decision naming a unit (or a document) that no coder coded, at its row, with the closest ids."""
    from .._text import closest

    keys = list(decided)
    if not keys:
        return []
    frame = pd.DataFrame(keys, columns=["id", "dimension"])
    level = frame["dimension"].map(lambda name: known[name].unit)
    coded = np.zeros(len(frame), dtype=bool)
    for unit, found in ids.items():
        at = (level == unit).to_numpy(dtype=bool)
        coded[at] = frame.loc[at, "id"].isin(found).to_numpy(dtype=bool)
    problems = []
    for at in np.flatnonzero(~coded):
        unit, name = keys[at]
        document = known[name].unit == "document"
        near = closest(unit, ids.get("document" if document else "unit", pd.Index([])).tolist())
        problems.append(
            {
                "file": file,
                "row": rows[keys[at]],
                "column": column,
                "value": unit,
                "problem": f"no coder coded {'document' if document else 'unit'} {unit!r} (dimension {name!r})",
                "expected": f"a {'doc_id' if document else 'unit_id'} of the coders' corpora",
                "suggestions": ", ".join(near) or None,
            }
        )
    return problems


def _same_decision(one: Any, two: Any) -> bool:
    """Whether two decisions read from a sheet mean the same code (``5`` and ``5.0``; ``Yes`` and ``是``)."""
    if isinstance(one, str) and isinstance(two, str):
        return one.strip().casefold() == two.strip().casefold()
    if isinstance(one, str) or isinstance(two, str):
        return False
    try:
        return bool(one == two)
    except (TypeError, ValueError):
        return False


@attrs.frozen
class _Decisions:
    """A decision sheet as read: each decision by (id, dimension), and where the sheet holds each row."""

    decided: dict[tuple[str, str], Any]
    #: The spreadsheet row of each (id, dimension) of the sheet, decided or left blank.
    rows: dict[tuple[str, str], int] = attrs.Factory(dict)
    #: Each decision as the sheet wrote it.
    written: dict[tuple[str, str], Any] = attrs.Factory(dict)
    file: str | None = None
    column: str | None = None


def _decision_words(
    framework: Any, name: str, category_label: Any, scale_dimension: Any, languages: Sequence[str]
) -> dict[str, Any]:
    """What a decision on ``name`` may read (key, label in any language, "5 (label)") and the code it means."""
    words: dict[str, Any] = {}
    if name == "instrument":
        for key in framework.instrument_keys:
            words[key.casefold()] = key
            for code in languages:
                words[category_label(framework, "instrument", key, code).casefold()] = key
        for alias in _NOT_CODED_WORDS:
            words.setdefault(alias, NO_INSTRUMENT)
    elif not name.startswith("objective:"):
        dimension = scale_dimension(framework, name)
        for level in dimension.levels if dimension is not None else ():
            score = float(level.score)
            words[str(level.score)] = score
            words[f"{float(level.score)}"] = score
            for code in languages:
                label = level.label_in(code)
                words[label.casefold()] = score
                for form in (f"{level.score} ({label})", f"{level.score}（{label}）"):
                    words[form.casefold()] = score
        # The cell of a coder who coded the clause none: no score, as no instrument.
        for alias in _NOT_CODED_WORDS:
            words.setdefault(alias, NO_INSTRUMENT)
    return words


def _truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "present", "是")
    return bool(value) and not (isinstance(value, float) and np.isnan(value))


def _majority(data: pd.DataFrame) -> tuple[pd.Series, pd.Index]:
    """The most frequent non-missing value per row, and the rows where the top values tie."""
    long = data.stack().rename("value").reset_index()  # noqa: PD013 - long (id, coder) pairs
    long.columns = ["id", "coder", "value"]
    counts = long.groupby(["id", "value"], sort=False).size().rename("n").reset_index()
    top = counts.groupby("id")["n"].transform("max")
    best = counts[counts["n"] == top]
    tied = best["id"][best["id"].duplicated()].unique()
    majority = best.drop_duplicates("id").set_index("id")["value"].reindex(data.index)
    return majority.astype(object), pd.Index(tied)
