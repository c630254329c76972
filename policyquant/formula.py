"""Safe arithmetic formulas over named columns.

Declarative frameworks state how a score is computed as text, for example
``"DA * (AS + MI)"``.  Such text comes from users and from plugin files, so it
is never handed to :func:`eval`.  Instead :class:`Formula` parses it with
:mod:`ast`, accepts only a small whitelist of syntax and compiles the tree into
numpy operations that run vectorised over whole columns.

What a formula may contain:

* numbers (integers and decimals);
* the names of the variables it is declared over (for a scale, its dimension
  keys);
* the operators ``+ - * / **``, unary ``-`` and ``+``, and parentheses;
* calls of the functions in :data:`FUNCTIONS` (``min``, ``max``, ``abs``,
  ``sqrt``, ``log``, ``exp``) with positional arguments.

Anything else (attribute access, subscripts, other calls, lambdas,
comprehensions, strings, comparisons, keywords) raises
:class:`~policyquant.errors.FormulaError` naming the offending part.
"""

from __future__ import annotations

import ast
import math
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

import attrs
import numpy as np

from .errors import FormulaError

__all__ = ["FUNCTIONS", "MAX_COMBINATIONS", "MAX_FORMULA_LENGTH", "Formula", "FormulaRange"]

#: The longest formula text accepted, in characters.
MAX_FORMULA_LENGTH = 1000

#: The most combinations of values that one part of a formula may have when it
#: cannot be split into parts over separate variables: :meth:`Formula.range`
#: evaluates such a part at every combination, and refuses the formula past
#: this many rather than approximate its range.
MAX_COMBINATIONS = 1 << 24

#: A part with up to this many combinations is evaluated at once and its
#: distinct values kept; a larger one is evaluated in chunks of this size.
_SET_LIMIT = 1 << 20


def _reduce(ufunc: np.ufunc) -> Callable[..., np.ndarray]:
    def apply(*arrays: np.ndarray) -> np.ndarray:
        return ufunc.reduce(np.broadcast_arrays(*arrays))

    return apply


#: Functions a formula may call: name -> (implementation, fewest and most
#: arguments; ``None`` for no upper bound).
FUNCTIONS: Mapping[str, tuple[Callable[..., np.ndarray], int, int | None]] = {
    "min": (_reduce(np.minimum), 2, None),
    "max": (_reduce(np.maximum), 2, None),
    "abs": (np.abs, 1, 1),
    "sqrt": (np.sqrt, 1, 1),
    "log": (np.log, 1, 1),
    "exp": (np.exp, 1, 1),
}

_BINARY = {
    ast.Add: np.add,
    ast.Sub: np.subtract,
    ast.Mult: np.multiply,
    ast.Div: np.true_divide,
    ast.Pow: np.power,
}
_UNARY = {ast.USub: np.negative, ast.UAdd: np.positive}

_Evaluator = Callable[[Mapping[str, np.ndarray]], np.ndarray]

_NODE_NAMES = {
    ast.Attribute: "attribute access",
    ast.Subscript: "subscripts",
    ast.Lambda: "lambdas",
    ast.ListComp: "comprehensions",
    ast.SetComp: "comprehensions",
    ast.DictComp: "comprehensions",
    ast.GeneratorExp: "comprehensions",
    ast.Compare: "comparisons",
    ast.BoolOp: "boolean operators",
    ast.IfExp: "conditional expressions",
    ast.List: "lists",
    ast.Tuple: "tuples",
    ast.Dict: "dicts",
    ast.Set: "sets",
    ast.NamedExpr: "assignments",
    ast.Starred: "starred arguments",
    ast.JoinedStr: "strings",
    ast.Await: "await",
    ast.Yield: "yield",
    ast.YieldFrom: "yield",
}


def _describe(node: ast.AST) -> str:
    if isinstance(node, ast.Constant):
        return f"constants of type {type(node.value).__name__}"
    if isinstance(node, (ast.BinOp, ast.UnaryOp)):
        return f"the operator {type(node.op).__name__}"
    return _NODE_NAMES.get(type(node), type(node).__name__)


@attrs.frozen
class _Part:
    """A compiled part of a formula's tree: how to evaluate it and the names it uses."""

    evaluate: _Evaluator
    names: frozenset[str]


def _compile_source(text: str, variables: tuple[str, ...]) -> tuple[ast.expr, dict[ast.AST, _Part]]:
    if not isinstance(text, str):
        raise FormulaError(f"a formula must be text, not {type(text).__name__}", formula=repr(text))
    if not text.strip():
        raise FormulaError("a formula must not be empty", formula=text)
    if len(text) > MAX_FORMULA_LENGTH:
        raise FormulaError(
            f"formula is {len(text)} characters long; at most {MAX_FORMULA_LENGTH} are allowed",
            formula=text[:50] + "...",
        )
    source = text.strip()
    try:
        with warnings.catch_warnings():
            # Odd text such as "1in" makes the parser warn before it fails; the error says it all.
            warnings.simplefilter("ignore", SyntaxWarning)
            tree = ast.parse(source, mode="eval")
    except SyntaxError as error:
        offset = min(max((error.offset or 1) - 1, 0), len(source))
        raise FormulaError(
            f"formula {source!r} is not a valid expression: {error.msg} at column {offset + 1}",
            formula=source,
            offset=offset,
        ) from None
    except (RecursionError, MemoryError, ValueError) as error:
        raise FormulaError(f"formula {source!r} cannot be parsed: {error}", formula=source) from None
    allowed = set(variables)
    # Every part of the tree is kept with its evaluator, so that bounds can be
    # found part by part (see Formula.range).
    parts: dict[ast.AST, _Part] = {}

    def reject(node: ast.AST, why: str) -> FormulaError:
        part = ast.get_source_segment(source, node) or type(node).__name__
        offset = getattr(node, "col_offset", None)
        if offset is not None:
            # ast counts UTF-8 bytes; report characters, so that Chinese names line up.
            offset = len(source.encode("utf-8")[:offset].decode("utf-8", errors="ignore"))
        where = f" at column {offset + 1}" if offset is not None else ""
        return FormulaError(
            f"formula {source!r}: {why}{where}: {part!r}. A formula may use numbers, "
            f"the names {', '.join(sorted(allowed)) or '(none)'}, the operators + - * / **, "
            f"parentheses and the functions {', '.join(FUNCTIONS)}",
            formula=source,
            part=part,
            offset=offset,
        )

    evaluators: dict[ast.AST, _Evaluator] = {}

    def keep(node: ast.AST, evaluator: _Evaluator) -> _Evaluator:
        evaluators[node] = evaluator
        return evaluator

    def build(node: ast.AST, depth: int = 0) -> _Evaluator:
        if depth > 600:
            raise reject(node, "the formula is nested too deeply")
        if isinstance(node, ast.Constant):
            value = node.value
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise reject(node, f"{_describe(node)} not allowed")
            # Constants become floats: a huge integer power then overflows to inf
            # instead of making Python compute an enormous integer.
            try:
                constant = np.float64(value)
            except OverflowError:
                constant = np.float64(np.inf)
            return keep(node, lambda env: constant)
        if isinstance(node, ast.Name):
            if node.id not in allowed:
                if node.id in FUNCTIONS:
                    raise reject(node, f"the function {node.id!r} must be called")
                raise reject(node, f"unknown name {node.id!r}")
            name = node.id
            return keep(node, lambda env: env[name])
        if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
            op = _BINARY[type(node.op)]
            left, right = build(node.left, depth + 1), build(node.right, depth + 1)
            return keep(node, lambda env: op(left(env), right(env)))
        if isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
            uop = _UNARY[type(node.op)]
            operand = build(node.operand, depth + 1)
            return keep(node, lambda env: uop(operand(env)))
        if isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
                raise reject(node, "calls are allowed only to the listed functions")
            if node.keywords:
                raise reject(node, "keyword arguments are not allowed")
            function, fewest, most = FUNCTIONS[node.func.id]
            count = len(node.args)
            if count < fewest or (most is not None and count > most):
                expected = str(fewest) if most == fewest else f"at least {fewest}"
                raise reject(node, f"{node.func.id}() takes {expected} argument(s), got {count}")
            arguments = [build(arg, depth + 1) for arg in node.args]
            return keep(node, lambda env: function(*(arg(env) for arg in arguments)))
        raise reject(node, f"{_describe(node)} not allowed")

    build(tree.body)
    # Names per part, children before parents, without recursing: deep trees are allowed.
    order: list[ast.AST] = []
    stack: list[ast.AST] = [tree.body]
    while stack:
        node = stack.pop()
        order.append(node)
        stack.extend(child for child in ast.iter_child_nodes(node) if child in evaluators)
    for node in reversed(order):
        names = frozenset([node.id]) if isinstance(node, ast.Name) else frozenset()
        for child in ast.iter_child_nodes(node):
            if child in parts:
                names |= parts[child].names
        parts[node] = _Part(evaluators[node], names)
    return tree.body, parts


@attrs.frozen(eq=False)
class Formula:
    """A parsed, safe arithmetic formula over named variables.

    Parameters
    ----------
    text : str
        The formula, for example ``"DA * (AS + MI)"``.
    variables : iterable of str
        The names the formula may refer to.  A name outside this set is an
        error.

    Attributes
    ----------
    names : frozenset of str
        The variables the formula actually uses.

    Raises
    ------
    FormulaError
        If the text is not a whitelisted arithmetic expression, naming the
        offending part and its column.

    Examples
    --------
    >>> from policyquant.formula import Formula
    >>> ape = Formula("DA * (AS + MI)", variables=["DA", "AS", "MI"])
    >>> ape.evaluate({"DA": [5, 1], "AS": [5, 1], "MI": [5, 1]})
    array([50.,  2.])
    >>> sorted(ape.names)
    ['AS', 'DA', 'MI']

    Anything beyond arithmetic is rejected before it can run:

    >>> Formula("DA.__class__", variables=["DA"])
    Traceback (most recent call last):
    ...
    policyquant.errors.FormulaError: formula 'DA.__class__': attribute access not allowed at column 1: 'DA.__class__'. ...
    """

    text: str = attrs.field()
    variables: tuple[str, ...] = attrs.field(converter=lambda names: tuple(names))
    _evaluator: _Evaluator = attrs.field(init=False, repr=False)
    names: frozenset[str] = attrs.field(init=False, repr=False)
    _tree: ast.expr = attrs.field(init=False, repr=False)
    _parts: dict[ast.AST, _Part] = attrs.field(init=False, repr=False)

    def __attrs_post_init__(self) -> None:
        tree, parts = _compile_source(self.text, self.variables)
        object.__setattr__(self, "_tree", tree)
        object.__setattr__(self, "_parts", parts)
        object.__setattr__(self, "_evaluator", parts[tree].evaluate)
        object.__setattr__(self, "names", parts[tree].names)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Formula):
            return NotImplemented
        return (self.text, self.variables) == (other.text, other.variables)

    def __hash__(self) -> int:
        return hash((Formula, self.text, self.variables))

    def __str__(self) -> str:
        return self.text

    def __getstate__(self) -> dict[str, Any]:
        return {"text": self.text, "variables": self.variables}

    def __setstate__(self, state: dict[str, Any]) -> None:
        object.__setattr__(self, "text", state["text"])
        object.__setattr__(self, "variables", state["variables"])
        self.__attrs_post_init__()

    def evaluate(self, values: Mapping[str, Any]) -> np.ndarray:
        """Evaluate the formula over arrays of values.

        Parameters
        ----------
        values : mapping of str to array-like
            One array (or scalar) per variable the formula uses; arrays
            broadcast against each other.

        Returns
        -------
        numpy.ndarray
            The formula's value, as floats.

        Raises
        ------
        FormulaError
            If a variable the formula uses is missing from ``values``.

        Examples
        --------
        >>> Formula("max(a, b) - 1", variables="ab").evaluate({"a": [1, 4], "b": [3, 2]})
        array([2., 3.])
        """
        missing = sorted(self.names - set(values))
        if missing:
            raise FormulaError(
                f"formula {self.text!r} needs values for {', '.join(missing)}",
                formula=self.text,
            )
        env = {name: np.asarray(values[name], dtype=np.float64) for name in self.names}
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            result = self._evaluator(env)
        return np.asarray(result, dtype=np.float64)

    def range(self, levels: Mapping[str, Iterable[Any]]) -> FormulaRange:
        """The exact lowest and highest values over every combination of ``levels``.

        Exact whatever the number of combinations: parts of the formula over
        separate variables (``1 / (A - 2) + B``: ``1 / (A - 2)`` and ``B``)
        are evaluated separately at every combination of their own variables
        and their distinct values combined; a part that cannot be split is
        evaluated at every combination, in chunks.  Where a value is not finite
        (a division by zero, the root or logarithm of a negative number, an
        overflow), the result says where.

        Parameters
        ----------
        levels : mapping of str to iterable of numbers
            The values each variable the formula uses can take.

        Returns
        -------
        FormulaRange

        Raises
        ------
        FormulaError
            If a variable has no values, or a part that cannot be split has
            more than :data:`MAX_COMBINATIONS` combinations of values.

        Examples
        --------
        >>> f = Formula("abs(a - 2) * b", variables="ab")
        >>> found = f.range({"a": [1, 2, 4], "b": [1, 3]})
        >>> found.low, found.high, found.high_at
        (0.0, 6.0, {'a': 4, 'b': 3})
        >>> found = Formula("1 / (a - 2) + b", variables="ab").range({"a": [1, 2, 4], "b": [1, 3]})
        >>> found.finite, found.undefined, found.undefined_at
        (False, inf, {'a': 2, 'b': 1})
        """
        return _Analysis(self, levels).run()


def check_formula(text: str, variables: Iterable[str]) -> Formula:
    """Parse ``text`` as a formula over ``variables``, raising on anything unsafe.

    A convenience for validating user input without keeping the result.

    Examples
    --------
    >>> check_formula("a ** 2 + 1", ["a"]).names
    frozenset({'a'})
    """
    return Formula(text, variables=tuple(variables))


@attrs.frozen
class FormulaRange:
    """The exact range of a formula over every combination of its variables' values.

    Returned by :meth:`Formula.range`.

    Attributes
    ----------
    low, high : float
        The lowest and highest values the formula takes; NaN when it is not
        finite at some combination.
    low_at, high_at : dict of str to number
        A combination of values (one per variable the formula uses) where the
        formula takes ``low`` and ``high``; empty when it is not finite.
    undefined : float or None
        A value that is not finite (``inf``, ``-inf`` or ``nan``) which the
        formula takes, if any.
    undefined_at : dict of str to number, or None
        A combination of values where it takes ``undefined``.

    Examples
    --------
    >>> found = Formula("a * b", variables="ab").range({"a": [-2, 1], "b": [3, 5]})
    >>> found.low, found.low_at, found.finite
    (-10.0, {'a': -2, 'b': 5}, True)
    """

    low: float
    high: float
    low_at: Mapping[str, Any]
    high_at: Mapping[str, Any]
    undefined: float | None = None
    undefined_at: Mapping[str, Any] | None = None

    @property
    def finite(self) -> bool:
        """Whether the formula is finite at every combination."""
        return self.undefined_at is None


# --------------------------------------------------------------------------
# Exact ranges.  A part's values are kept as a _Values: either every distinct
# value it takes ("set", compared by bit pattern, so that 0.0 and -0.0 stay
# apart as 1 / x tells them apart), or, when there are too many, only its
# lowest and highest ("range", every value then being finite), or one value
# that is not finite ("undefined"), each with a combination of level indices
# where the part takes it.  Parts over separate variables combine: a sum of
# two such parts takes exactly the sums of their values, and the IEEE
# operations + - * / sqrt abs min max are monotone in each argument, so their
# extremes over a product of ranges are found at the ranges' ends.


@attrs.frozen
class _Values:
    kind: str  # "set", "range" or "undefined"
    names: tuple[str, ...]
    values: np.ndarray
    where: np.ndarray  # one row of level indices per value, one column per name


class _TooManyError(Exception):
    def __init__(self, node: ast.AST, names: tuple[str, ...], count: int) -> None:
        super().__init__()
        self.node, self.names, self.count = node, names, count


def _distinct(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct values by bit pattern, and where each first occurs."""
    values = np.ascontiguousarray(values, dtype=np.float64)
    _, first = np.unique(values.view(np.int64), return_index=True)
    return values[first], first


def _undefined(names: tuple[str, ...], values: np.ndarray, where: np.ndarray) -> _Values | None:
    bad = np.flatnonzero(~np.isfinite(values))
    if not bad.size:
        return None
    return _Values("undefined", names, values[bad[:1]], where[bad[:1]])


def _extremes(names: tuple[str, ...], values: np.ndarray, where: np.ndarray) -> _Values:
    rows = [int(np.argmin(values)), int(np.argmax(values))]
    return _Values("range", names, values[rows], where[rows])


# Unary operations that IEEE arithmetic makes monotone: +1 non-decreasing, -1 non-increasing.
_MONOTONE = {"pos": 1, "sqrt": 1, "neg": -1}


class _Analysis:
    def __init__(self, formula: Formula, levels: Mapping[str, Iterable[Any]]) -> None:
        self.formula = formula
        self.parts = formula._parts
        missing = sorted(formula.names - set(levels))
        if missing:
            raise FormulaError(
                f"formula {formula.text!r} needs values for {', '.join(missing)}", formula=formula.text
            )
        self.given = {name: list(levels[name]) for name in formula.names}
        empty = sorted(name for name, values in self.given.items() if not values)
        if empty:
            raise FormulaError(
                f"formula {formula.text!r}: no values given for {', '.join(empty)}", formula=formula.text
            )
        self.levels = {name: np.asarray(values, dtype=np.float64) for name, values in self.given.items()}
        self.spent = 0

    def run(self) -> FormulaRange:
        try:
            found = self.summarize(self.formula._tree, 0)
        except _TooManyError as error:
            source = self.formula.text.strip()
            part = ast.get_source_segment(source, error.node) or source
            what = "the formula" if part == source else f"its part {part!r}"
            raise FormulaError(
                f"formula {self.formula.text!r} cannot be checked: {what} takes "
                f"{error.count:,} combinations of levels of {', '.join(error.names)} and cannot be "
                f"split into parts over separate dimensions; policyquant evaluates at most "
                f"{MAX_COMBINATIONS:,} combinations to find a formula's exact bounds and check that "
                "it is finite. Give the dimensions fewer levels, or write the formula as sums or "
                "products of parts that share no dimension",
                formula=self.formula.text,
                part=part,
            ) from None
        if found.kind == "set":
            found = _undefined(found.names, found.values, found.where) or _extremes(
                found.names, found.values, found.where
            )
        if found.kind == "undefined":
            return FormulaRange(np.nan, np.nan, {}, {}, float(found.values[0]), self.combination(found, 0))
        return FormulaRange(
            float(found.values[0]),
            float(found.values[1]),
            self.combination(found, 0),
            self.combination(found, 1),
        )

    def combination(self, found: _Values, row: int) -> dict[str, Any]:
        # In the formula's variable order, with the values as given (3, not 3.0).
        at = dict(zip(found.names, found.where[row].tolist(), strict=True))
        return {name: self.given[name][at[name]] for name in self.formula.variables if name in at}

    def count(self, names: tuple[str, ...]) -> int:
        return math.prod(len(self.levels[name]) for name in names)

    def blocks(self, node: ast.AST, names: tuple[str, ...]) -> Iterator[tuple[int, np.ndarray]]:
        """The part's values at every combination, in chunks: (first linear index, values).

        Combinations are numbered in C order over ``names``.  The trailing
        variables that fit in a chunk form one block, built once and tiled;
        the leading ones are repeated, so that no chunk needs a division per row.
        """
        shape = [len(self.levels[name]) for name in names]
        split, block = len(shape), 1
        while split and block * shape[split - 1] <= _SET_LIMIT:
            split -= 1
            block *= shape[split]
        inner = np.unravel_index(np.arange(block), shape[split:]) if split < len(shape) else ()
        inner_values = {name: self.levels[name][i] for name, i in zip(names[split:], inner, strict=True)}
        outer_shape = shape[:split]
        outer_count = math.prod(outer_shape)
        step = max(1, _SET_LIMIT // block)
        for first in range(0, outer_count, step):
            last = min(outer_count, first + step)
            outer = np.unravel_index(np.arange(first, last), outer_shape) if outer_shape else ()
            env = {
                name: np.repeat(self.levels[name][i], block) for name, i in zip(names, outer, strict=False)
            }
            env.update({name: np.tile(values, last - first) for name, values in inner_values.items()})
            with np.errstate(divide="ignore", invalid="ignore", over="ignore", under="ignore"):
                values = np.asarray(self.parts[node].evaluate(env), dtype=np.float64)
            yield first * block, np.ascontiguousarray(np.broadcast_to(values, ((last - first) * block,)))

    def at(self, names: tuple[str, ...], positions: np.ndarray) -> np.ndarray:
        """Level indices (one row per position, one column per name) of combinations by number."""
        if not names:
            return np.zeros((len(positions), 0), dtype=np.intp)
        shape = tuple(len(self.levels[name]) for name in names)
        return np.stack(np.unravel_index(positions, shape), axis=1)

    def summarize(self, node: ast.AST, depth: int) -> _Values:
        names = tuple(sorted(self.parts[node].names))
        count = self.count(names)
        if count <= _SET_LIMIT:
            _, values = next(self.blocks(node, names))
            values, first = _distinct(values)
            return _Values("set", names, values, self.at(names, first))
        children = self.children(node)
        # Deep chains of parts fall back to evaluation rather than exhaust the stack.
        if children is not None and depth < 150:
            combined = self.combine(node, [self.summarize(child, depth + 1) for child in children])
            if combined is not None:
                return combined
        if count > MAX_COMBINATIONS or self.spent + count > 2 * MAX_COMBINATIONS:
            raise _TooManyError(node, names, count)
        self.spent += count
        return self.chunks(node, names)

    def children(self, node: ast.AST) -> list[ast.AST] | None:
        """The parts of ``node`` if they use separate variables, else None."""
        if isinstance(node, ast.UnaryOp):
            return [node.operand]
        if isinstance(node, ast.BinOp):
            kids = [node.left, node.right]
        elif isinstance(node, ast.Call):
            kids = list(node.args)
        else:
            return None
        names = [self.parts[kid].names for kid in kids]
        if sum(map(len, names)) != len(frozenset().union(*names)):
            return None
        return kids

    def chunks(self, node: ast.AST, names: tuple[str, ...]) -> _Values:
        kept: tuple[np.ndarray, np.ndarray] | None = (np.empty(0), np.empty(0, dtype=np.intp))
        extremes: tuple[np.ndarray, np.ndarray] | None = None
        for start, chunk in self.blocks(node, names):
            values, positions = _distinct(chunk)
            positions += start
            if kept is not None:
                merged, first = _distinct(np.concatenate([kept[0], values]))
                positions = np.concatenate([kept[1], positions])[first]
                if len(merged) <= _SET_LIMIT:
                    kept = merged, positions
                    continue
                kept, values = None, merged
            bad = np.flatnonzero(~np.isfinite(values))
            if bad.size:
                return _Values("undefined", names, values[bad[:1]], self.at(names, positions[bad[:1]]))
            if extremes is not None:
                values = np.concatenate([extremes[0], values])
                positions = np.concatenate([extremes[1], positions])
            rows = [int(np.argmin(values)), int(np.argmax(values))]
            extremes = values[rows], positions[rows]
        if kept is not None:
            return _Values("set", names, kept[0], self.at(names, kept[1]))
        assert extremes is not None
        return _Values("range", names, extremes[0], self.at(names, extremes[1]))

    def combine(self, node: ast.AST, kids: list[_Values]) -> _Values | None:
        if isinstance(node, ast.UnaryOp):
            name = "neg" if isinstance(node.op, ast.USub) else "pos"
            return self.unary(_UNARY[type(node.op)], name, kids[0])
        if isinstance(node, ast.BinOp):
            return self.binary(_BINARY[type(node.op)], kids[0], kids[1])
        assert isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
        name = node.func.id
        if name in ("min", "max"):
            ufunc = np.minimum if name == "min" else np.maximum
            found: _Values | None = kids[0]
            for kid in kids[1:]:
                found = self.binary(ufunc, found, kid) if found is not None else None
            return found
        return self.unary(FUNCTIONS[name][0], name, kids[0])

    def unary(self, function: Callable[..., np.ndarray], name: str, kid: _Values) -> _Values | None:
        with np.errstate(divide="ignore", invalid="ignore", over="ignore", under="ignore"):
            if kid.kind == "set":
                values, first = _distinct(function(kid.values))
                return _Values("set", kid.names, values, kid.where[first])
            if kid.kind != "range":
                return None
            low, high = kid.values
            direction = _MONOTONE.get(name)
            if name == "abs":
                direction = 1 if low >= 0 else -1 if high <= 0 else None
            if direction is None:
                # log and exp are monotone in theory but not guaranteed to round monotonically.
                return None
            rows = [0, 1] if direction > 0 else [1, 0]
            values, where = np.asarray(function(kid.values[rows]), dtype=np.float64), kid.where[rows]
        return _undefined(kid.names, values, where) or _Values("range", kid.names, values, where)

    def binary(self, op: Callable[..., np.ndarray], left: _Values, right: _Values) -> _Values | None:
        names = left.names + right.names
        with np.errstate(divide="ignore", invalid="ignore", over="ignore", under="ignore"):
            if left.kind == right.kind == "set" and len(left.values) * len(right.values) <= _SET_LIMIT:
                values = np.ascontiguousarray(op(left.values[:, None], right.values[None, :]).ravel())
                _, first = np.unique(values.view(np.int64), return_index=True)
                i, j = np.divmod(first, len(right.values))
                return _Values(
                    "set", names, values[first], np.concatenate([left.where[i], right.where[j]], axis=1)
                )
            if op is np.power:
                return None
            lefts = self.ends(left, divisor=False)
            rights = self.ends(right, divisor=op is np.true_divide)
            if lefts is None or rights is None:
                return None
            i, j = (grid.ravel() for grid in np.meshgrid(np.arange(len(lefts[0])), np.arange(len(rights[0]))))
            values = np.asarray(op(lefts[0][i], rights[0][j]), dtype=np.float64)
            where = np.concatenate([lefts[1][i], rights[1][j]], axis=1)
        return _undefined(names, values, where) or _extremes(names, values, where)

    @staticmethod
    def ends(found: _Values, *, divisor: bool) -> tuple[np.ndarray, np.ndarray] | None:
        """The values of a part where a monotone operation has its extremes, with where it takes them."""
        if found.kind == "undefined":
            return None
        values = found.values
        if not np.isfinite(values).all():
            return None
        if found.kind == "range":
            if divisor and values[0] <= 0 <= values[1]:
                return None
            return values, found.where
        rows = [int(np.argmin(values)), int(np.argmax(values))]
        if divisor:
            if (values == 0).any():
                return None
            # Across zero, x / d is monotone on each side: the ends of each side count.
            negative, positive = np.flatnonzero(values < 0), np.flatnonzero(values > 0)
            if negative.size and positive.size:
                rows += [
                    int(negative[np.argmax(values[negative])]),
                    int(positive[np.argmin(values[positive])]),
                ]
        return values[rows], found.where[rows]
