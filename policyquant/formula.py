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
import warnings
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import attrs
import numpy as np

from .errors import FormulaError

__all__ = ["FUNCTIONS", "MAX_FORMULA_LENGTH", "Formula"]

#: The longest formula text accepted, in characters.
MAX_FORMULA_LENGTH = 1000


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


def _compile_source(text: str, variables: tuple[str, ...]) -> tuple[_Evaluator, frozenset[str]]:
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
    used: set[str] = set()

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
            return lambda env: constant
        if isinstance(node, ast.Name):
            if node.id not in allowed:
                if node.id in FUNCTIONS:
                    raise reject(node, f"the function {node.id!r} must be called")
                raise reject(node, f"unknown name {node.id!r}")
            used.add(node.id)
            name = node.id
            return lambda env: env[name]
        if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
            op = _BINARY[type(node.op)]
            left, right = build(node.left, depth + 1), build(node.right, depth + 1)
            return lambda env: op(left(env), right(env))
        if isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
            uop = _UNARY[type(node.op)]
            operand = build(node.operand, depth + 1)
            return lambda env: uop(operand(env))
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
            return lambda env: function(*(arg(env) for arg in arguments))
        raise reject(node, f"{_describe(node)} not allowed")

    return build(tree.body), frozenset(used)


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

    def __attrs_post_init__(self) -> None:
        evaluator, names = _compile_source(self.text, self.variables)
        object.__setattr__(self, "_evaluator", evaluator)
        object.__setattr__(self, "names", names)

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


def check_formula(text: str, variables: Iterable[str]) -> Formula:
    """Parse ``text`` as a formula over ``variables``, raising on anything unsafe.

    A convenience for validating user input without keeping the result.

    Examples
    --------
    >>> check_formula("a ** 2 + 1", ["a"]).names
    frozenset({'a'})
    """
    return Formula(text, variables=tuple(variables))
