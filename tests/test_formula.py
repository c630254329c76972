"""Tests of policyquant.formula: correct, vectorised arithmetic and the rejection of anything else."""

from __future__ import annotations

import ast
import contextlib
import os
import pickle
import re
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

import policyquant as pq
from policyquant.formula import FUNCTIONS, MAX_FORMULA_LENGTH, Formula, check_formula

VARIABLES = ("DA", "AS", "MI")


# --------------------------------------------------------------------------
# Audit events: parsing a formula may compile source to an AST, nothing else.

_RECORDERS: list[list[str]] = []


def _audit_hook(event: str, args: tuple) -> None:
    for recorder in _RECORDERS:
        recorder.append(event)


sys.addaudithook(_audit_hook)


@contextlib.contextmanager
def audited() -> Iterator[list[str]]:
    """Record the audit events (imports, opens, exec, os.system, ...) raised inside the block."""
    events: list[str] = []
    _RECORDERS.append(events)
    try:
        yield events
    finally:
        _RECORDERS.remove(events)


def test_audit_recorder_sees_side_effects(tmp_path):
    # The recorder used below would notice real side effects.
    with audited() as events:
        (tmp_path / "probe").write_text("x")
        os.listdir(tmp_path)
    assert "open" in events
    assert "os.listdir" in events


# --------------------------------------------------------------------------
# Valid formulas.


def ape() -> Formula:
    return Formula("DA * (AS + MI)", variables=VARIABLES)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 + 2 * 3", 7.0),
        ("(1 + 2) * 3", 9.0),
        ("10 - 4 - 3", 3.0),
        ("2 * 3 ** 2", 18.0),
        ("2 ** 3 ** 2", 512.0),
        ("(2 ** 3) ** 2", 64.0),
        ("-3 ** 2", -9.0),
        ("(-3) ** 2", 9.0),
        ("2 ** -1", 0.5),
        ("- -4", 4.0),
        ("+4", 4.0),
        ("-(1 + 2) * 2", -6.0),
        ("7 / 2", 3.5),
        ("1 / 4 * 2", 0.5),
        ("12 / 3 / 2", 2.0),
        ("1.5e1 + 0.5", 15.5),
        ("1_000 + 1", 1001.0),
        ("0x10", 16.0),
        ("min(3, 1, 2)", 1.0),
        ("max(3, 1, 2)", 3.0),
        ("min(-1, -2)", -2.0),
        ("abs(-2.5)", 2.5),
        ("sqrt(16)", 4.0),
        ("exp(0)", 1.0),
        ("log(1)", 0.0),
        ("log(exp(2))", 2.0),
        ("max(1, min(5, 3)) * -2", -6.0),
        ("  1 + 1  ", 2.0),
        ("1 + 1  # a comment", 2.0),
        ("((((((2))))))", 2.0),
    ],
)
def test_constant_formulas(text, expected):
    result = Formula(text, variables=()).evaluate({})
    assert isinstance(result, np.ndarray)
    assert result.dtype == np.float64
    assert result.shape == ()
    assert result == pytest.approx(expected, rel=1e-15, abs=0)


@pytest.mark.parametrize(
    ("text", "reference"),
    [
        ("DA * (AS + MI)", lambda d, a, m: d * (a + m)),
        ("DA * AS + MI", lambda d, a, m: d * a + m),
        ("DA + AS * MI", lambda d, a, m: d + a * m),
        ("DA - AS - MI", lambda d, a, m: (d - a) - m),
        ("DA / AS / MI", lambda d, a, m: (d / a) / m),
        ("DA ** 2 - AS", lambda d, a, m: d**2 - a),
        ("-DA ** 2", lambda d, a, m: -(d**2)),
        ("-DA + AS", lambda d, a, m: (-d) + a),
        ("min(DA, AS, MI)", lambda d, a, m: np.minimum(np.minimum(d, a), m)),
        ("max(DA, AS) - min(AS, MI)", lambda d, a, m: np.maximum(d, a) - np.minimum(a, m)),
        ("abs(DA - AS)", lambda d, a, m: np.abs(d - a)),
        ("sqrt(DA * AS)", lambda d, a, m: np.sqrt(d * a)),
        ("log(DA) + exp(-MI)", lambda d, a, m: np.log(d) + np.exp(-m)),
    ],
)
def test_vectorised_evaluation_over_large_arrays(text, reference):
    rng = np.random.default_rng(20260101)
    size = 100_000
    values = {key: rng.uniform(0.5, 5.0, size) for key in VARIABLES}
    result = Formula(text, variables=VARIABLES).evaluate(values)
    assert result.shape == (size,)
    assert result.dtype == np.float64
    np.testing.assert_allclose(result, reference(values["DA"], values["AS"], values["MI"]), rtol=1e-14)


def test_integer_inputs_are_evaluated_as_floats():
    result = ape().evaluate({"DA": np.array([5, 3, 1]), "AS": [5, 3, 1], "MI": (5, 1, 1)})
    assert result.dtype == np.float64
    assert result.tolist() == [50.0, 12.0, 2.0]
    # no integer overflow: the arithmetic is done in floats
    big = Formula("a ** 3", variables="a").evaluate({"a": np.array([2**40], dtype=np.int64)})
    assert big.tolist() == [float(2**120)]


def test_scalars_broadcast_against_arrays():
    column = np.arange(100_000, dtype=np.float64)
    result = ape().evaluate({"DA": 2, "AS": column, "MI": 1.0})
    assert result.shape == (100_000,)
    np.testing.assert_array_equal(result, 2 * (column + 1))
    grid = ape().evaluate({"DA": np.array([[1.0], [2.0]]), "AS": np.array([1.0, 3.0, 5.0]), "MI": 0})
    np.testing.assert_array_equal(grid, [[1, 3, 5], [2, 6, 10]])
    assert ape().evaluate({"DA": 5, "AS": 5, "MI": 5}).shape == ()


def test_min_and_max_broadcast_their_arguments():
    result = Formula("max(a, 2, b)", variables="ab").evaluate({"a": np.array([1.0, 5.0, 0.0]), "b": 0})
    np.testing.assert_array_equal(result, [2.0, 5.0, 2.0])
    result = Formula("min(a, b)", variables="ab").evaluate({"a": [[1.0], [4.0]], "b": [2.0, 3.0]})
    np.testing.assert_array_equal(result, [[1.0, 1.0], [2.0, 3.0]])


def test_domain_errors_give_nan_and_inf_silently():
    formula = Formula("a / b + sqrt(c) + log(d)", variables="abcd")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert formula.evaluate({"a": 1, "b": 0, "c": 1, "d": 1}) == np.inf
        assert np.isnan(formula.evaluate({"a": 1, "b": 1, "c": -1, "d": 1}))
        assert formula.evaluate({"a": 1, "b": 1, "c": 1, "d": 0}) == -np.inf
        assert np.isnan(Formula("0 / 0", variables=()).evaluate({}))


@pytest.mark.parametrize(
    "text", ["9**9**9", "9 ** 9 ** 9 ** 9", "(9 ** 9) ** (9 ** 9)", "10 ** 400", "1e400"]
)
def test_huge_powers_overflow_to_inf(text):
    # Constants are floats, so these overflow to inf instead of building enormous integers.
    result = Formula(text, variables=()).evaluate({})
    assert result == np.inf


def test_integer_literal_beyond_float_range():
    text = "1" + "0" * 400
    assert Formula(text, variables=()).evaluate({}) == np.inf


def test_names_records_the_variables_used():
    assert ape().names == frozenset(VARIABLES)
    assert Formula("DA * 2", variables=VARIABLES).names == frozenset({"DA"})
    assert Formula("3", variables=VARIABLES).names == frozenset()
    assert Formula("a + b", variables="abc").variables == ("a", "b", "c")
    # a constant formula needs no values
    assert Formula("DA * 0 + 1", variables=VARIABLES).evaluate({"DA": 3}) == 1.0


def test_missing_values_are_a_formula_error():
    with pytest.raises(
        pq.FormulaError, match=r"^formula 'DA \* \(AS \+ MI\)' needs values for AS, MI$"
    ) as info:
        ape().evaluate({"DA": 1, "unused": 2})
    assert info.value.formula == "DA * (AS + MI)"


def test_a_variable_may_shadow_a_function_name():
    formula = Formula("min(min, 1) + min", variables=["min"])
    assert formula.evaluate({"min": 3}) == 4.0
    assert formula.names == frozenset({"min"})


def test_equality_hash_str_and_pickle():
    a, b = ape(), Formula("DA * (AS + MI)", variables=list(VARIABLES))
    assert a == b
    assert hash(a) == hash(b)
    assert a != Formula("DA * (AS + MI)", variables=("DA", "AS", "MI", "X"))
    assert a != Formula("DA*(AS+MI)", variables=VARIABLES)
    assert a != "DA * (AS + MI)"
    assert str(a) == "DA * (AS + MI)"
    copy = pickle.loads(pickle.dumps(a))
    assert copy == a
    assert copy.names == a.names
    assert copy.evaluate({"DA": 2, "AS": 3, "MI": 1}) == 8.0


def test_check_formula():
    checked = check_formula("a ** 2 + 1", ["a"])
    assert isinstance(checked, Formula)
    assert checked.names == frozenset({"a"})
    with pytest.raises(pq.FormulaError, match="unknown name 'b'"):
        check_formula("a + b", iter(["a"]))


def test_functions_table():
    assert set(FUNCTIONS) == {"min", "max", "abs", "sqrt", "log", "exp"}
    assert FUNCTIONS["min"][1:] == (2, None)
    assert FUNCTIONS["sqrt"][1:] == (1, 1)


# --------------------------------------------------------------------------
# Rejections.

UNSAFE = [
    ("__import__('os').system('echo pwned')", "calls are allowed only to the listed functions"),
    ("__import__('os')", "calls are allowed only to the listed functions"),
    ("__import__", "unknown name '__import__'"),
    ("__builtins__", "unknown name '__builtins__'"),
    ("DA.__class__", "attribute access not allowed"),
    ("DA.real + 1", "attribute access not allowed"),
    ("(lambda: 1)()", "calls are allowed only to the listed functions"),
    ("lambda: 1", "lambdas not allowed"),
    ("[x for x in ()]", "comprehensions not allowed"),
    ("{x for x in ()}", "comprehensions not allowed"),
    ("{x: 1 for x in ()}", "comprehensions not allowed"),
    ("sum(x for x in (DA,))", "calls are allowed only to the listed functions"),
    ("min(x for x in (DA,))", "min() takes at least 2 argument(s), got 1"),
    ("max(DA, (x for x in (DA,)))", "comprehensions not allowed"),
    ("open('x')", "calls are allowed only to the listed functions"),
    ("eval('1')", "calls are allowed only to the listed functions"),
    ("exec('1')", "calls are allowed only to the listed functions"),
    ("compile('1', '', 'eval')", "calls are allowed only to the listed functions"),
    ("getattr(DA, 'real')", "calls are allowed only to the listed functions"),
    ("globals()", "calls are allowed only to the listed functions"),
    ("breakpoint()", "calls are allowed only to the listed functions"),
    ("().__class__.__bases__[0]", "subscripts not allowed"),
    ("().__class__.__bases__[0].__subclasses__()", "calls are allowed only to the listed functions"),
    ("().__class__", "attribute access not allowed"),
    ("DA[0]", "subscripts not allowed"),
    ("'DA'", "constants of type str not allowed"),
    ("b'DA'", "constants of type bytes not allowed"),
    ("f'{DA}'", "strings not allowed"),
    ("None", "constants of type NoneType not allowed"),
    ("True + 1", "constants of type bool not allowed"),
    ("...", "constants of type ellipsis not allowed"),
    ("1j", "constants of type complex not allowed"),
    ("DA < AS", "comparisons not allowed"),
    ("DA == AS", "comparisons not allowed"),
    ("DA if AS else MI", "conditional expressions not allowed"),
    ("DA and AS", "boolean operators not allowed"),
    ("not DA", "the operator Not not allowed"),
    ("~DA", "the operator Invert not allowed"),
    ("DA // AS", "the operator FloorDiv not allowed"),
    ("DA % AS", "the operator Mod not allowed"),
    ("DA @ AS", "the operator MatMult not allowed"),
    ("DA << 1", "the operator LShift not allowed"),
    ("DA | AS", "the operator BitOr not allowed"),
    ("(DA := 1)", "assignments not allowed"),
    ("max(DA, AS, key=MI)", "keyword arguments are not allowed"),
    ("max(DA, **AS)", "keyword arguments are not allowed"),
    ("max(*DA, AS)", "starred arguments not allowed"),
    ("[DA, AS]", "lists not allowed"),
    ("(DA, AS)", "tuples not allowed"),
    ("{DA, AS}", "sets not allowed"),
    ("{DA: AS}", "dicts not allowed"),
    ("(yield DA)", "yield not allowed"),
    ("await DA", "await not allowed"),
    ("DA + foo", "unknown name 'foo'"),
    ("da * (as_ + mi)", "unknown name 'da'"),
    ("min", "the function 'min' must be called"),
    ("sqrt + 1", "the function 'sqrt' must be called"),
    ("min(DA)", r"min() takes at least 2 argument(s), got 1"),
    ("max()", r"max() takes at least 2 argument(s), got 0"),
    ("abs()", r"abs() takes 1 argument(s), got 0"),
    ("abs(DA, AS)", r"abs() takes 1 argument(s), got 2"),
    ("sqrt(DA, AS)", r"sqrt() takes 1 argument(s), got 2"),
    ("log(DA, 10)", r"log() takes 1 argument(s), got 2"),
    ("exp()", r"exp() takes 1 argument(s), got 0"),
    ("pow(DA, 2)", "calls are allowed only to the listed functions"),
    ("DA.__add__(AS)", "calls are allowed only to the listed functions"),
    ("min(DA, AS).real", "attribute access not allowed"),
]


@pytest.mark.parametrize(("text", "why"), UNSAFE, ids=[text for text, _ in UNSAFE])
def test_unsafe_formula_is_rejected_naming_the_part(text, why):
    with audited() as events, pytest.raises(pq.FormulaError) as info:
        Formula(text, variables=VARIABLES)
    error = info.value
    message = str(error)
    assert message.startswith(f"formula {text!r}: {why}"), message
    assert "A formula may use numbers, the names AS, DA, MI" in message
    assert error.formula == text
    assert error.part is not None and error.part in text
    assert error.offset is not None and text[error.offset :].startswith(error.part)
    assert f"at column {error.offset + 1}: {error.part!r}" in message
    assert set(events) <= {"compile"}, events


@pytest.mark.parametrize(
    ("text", "part", "offset"),
    [
        ("DA + AS.real", "AS.real", 5),
        ("DA + foo", "foo", 5),
        ("DA * 'x'", "'x'", 5),
        ("min(DA)", "min(DA)", 0),
        ("max(DA, AS, key=MI)", "max(DA, AS, key=MI)", 0),
        ("DA + (x := 1)", "x := 1", 6),
        ("  DA.x", "DA.x", 0),
    ],
)
def test_rejection_part_and_offset(text, part, offset):
    with pytest.raises(pq.FormulaError) as info:
        Formula(text, variables=VARIABLES)
    assert (info.value.part, info.value.offset) == (part, offset)


def payloads(target: Path) -> list[str]:
    path = str(target)
    return [
        f"__import__('os').system('touch {path}')",
        f"__import__('pathlib').Path('{path}').touch()",
        f"open('{path}', 'w')",
        f"exec(\"open('{path}', 'w')\")",
        f"eval(\"open('{path}', 'w')\")",
        f"(lambda: __import__('os').system('touch {path}'))()",
        f"[__import__('os').system('touch {path}') for _ in (1,)]",
        f"DA if __import__('os').system('touch {path}') else AS",
        f"min(DA, __import__('os').system('touch {path}'))",
        f"max(DA, AS, key=__import__('os').system('touch {path}'))",
        f"DA + open('{path}', 'w').write('x')",
        f"().__class__.__bases__[0].__subclasses__()[0]('{path}')",
        f"f\"{{__import__('os').system('touch {path}')}}\"",
    ]


def test_unsafe_formulas_have_no_side_effect(tmp_path):
    target = tmp_path / "pwned"
    for text in payloads(target):
        with audited() as events, pytest.raises(pq.FormulaError):
            Formula(text, variables=VARIABLES)
        with audited() as scale_events, pytest.raises(pq.FormulaError):
            pq.FormulaScale([pq.Dimension("DA", "A", [pq.Level(1, "one")])], text)
        assert set(events) | set(scale_events) <= {"compile"}, (text, events, scale_events)
        assert not target.exists(), text
    assert list(tmp_path.iterdir()) == []


def test_unsafe_formula_in_a_scale_gives_no_object(tmp_path):
    target = tmp_path / "pwned"
    dims = [pq.Dimension("DA", "A", [pq.Level(1, "one"), pq.Level(2, "two")])]
    with pytest.raises(pq.FormulaError, match="calls are allowed only to the listed functions"):
        pq.FormulaScale(dims, f"DA * __import__('os').system('touch {target}')")
    assert not target.exists()


@pytest.mark.parametrize("text", ["", " ", "   \n\t  ", "\u3000"])
def test_empty_formula_is_rejected(text):
    with pytest.raises(pq.FormulaError, match=r"^a formula must not be empty$") as info:
        Formula(text, variables=VARIABLES)
    assert info.value.formula == text


@pytest.mark.parametrize("text", [None, 3, 2.5, b"DA", ["DA"], ("DA",)])
def test_non_string_formula_is_rejected(text):
    expected = f"a formula must be text, not {type(text).__name__}"
    with pytest.raises(pq.FormulaError, match=f"^{expected}$") as info:
        Formula(text, variables=VARIABLES)
    assert info.value.formula == repr(text)


def test_too_long_formula_is_rejected():
    assert MAX_FORMULA_LENGTH == 1000
    longest = " " * (MAX_FORMULA_LENGTH - 2) + "DA"
    assert Formula(longest, variables=VARIABLES).evaluate({"DA": 4}) == 4.0
    too_long = longest + " "
    expected = (
        f"formula is {MAX_FORMULA_LENGTH + 1} characters long; at most {MAX_FORMULA_LENGTH} are allowed"
    )
    with pytest.raises(pq.FormulaError, match=f"^{expected}$") as info:
        Formula(too_long, variables=VARIABLES)
    assert info.value.formula == too_long[:50] + "..."
    with pytest.raises(pq.FormulaError, match="characters long"):
        Formula("DA+" * 400 + "DA", variables=VARIABLES)


def test_nested_parentheses():
    # parentheses that create no nodes are fine up to the parser's own limit
    assert Formula("(" * 150 + "DA" + ")" * 150, variables=VARIABLES).evaluate({"DA": 2}) == 2.0
    with pytest.raises(pq.FormulaError, match="is not a valid expression: too many nested parentheses"):
        Formula("(" * 250 + "DA" + ")" * 250, variables=VARIABLES)


@pytest.mark.parametrize(
    "text",
    ["-" * 700 + "DA", "-" * (MAX_FORMULA_LENGTH - 1) + "1"],
    ids=["unary", "longest"],
)
def test_deeply_nested_formula_is_rejected(text):
    with pytest.raises(pq.FormulaError, match="the formula is nested too deeply") as info:
        Formula(text, variables=VARIABLES)
    assert info.value.part is not None
    assert info.value.offset is not None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("-" * 150 + "DA", 2.0),
        ("abs(" * 120 + "DA" + ")" * 120, 2.0),
        ("(DA*" * 105 + "1" + ")" * 105, 2.0**105),
        ("+".join(["DA"] * 300), 600.0),
    ],
    ids=["unary", "calls", "products", "long-sum"],
)
def test_deep_but_allowed_formulas_evaluate(text, expected):
    assert Formula(text, variables=VARIABLES).evaluate({"DA": 2.0}) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("1 +", "invalid syntax"),
        ("DA AS", "invalid syntax"),
        ("(DA", "'(' was never closed"),
        ("DA + )", "unmatched ')'"),
        ("DA = 1", "invalid syntax"),
        ("import os", "invalid syntax"),
        ("DA; AS", "invalid syntax"),
        ("DA $ AS", "invalid syntax"),
        ("1 +\n2", "invalid syntax"),
        ("DA\x00", "source code string cannot contain null bytes"),
    ],
)
def test_syntax_errors(text, reason):
    with pytest.raises(
        pq.FormulaError, match=rf"^formula {re.escape(repr(text))} is not a valid expression: "
    ) as info:
        Formula(text, variables=VARIABLES)
    error = info.value
    assert reason in str(error)
    assert error.formula == text
    assert error.part is None
    assert isinstance(error.offset, int)
    assert 0 <= error.offset <= len(text)
    assert str(error).endswith(f"at column {error.offset + 1}")


def test_syntax_error_offset_points_at_the_offending_character():
    with pytest.raises(pq.FormulaError) as info:
        Formula("DA + )", variables=VARIABLES)
    assert info.value.offset == 5
    assert info.value.formula[info.value.offset] == ")"


def test_unparseable_text_is_a_formula_error():
    with pytest.raises(pq.FormulaError, match=r"cannot be parsed: .*surrogates not allowed") as info:
        Formula("DA + \ud800", variables=VARIABLES)
    assert info.value.offset is None


def test_syntax_error_offset_with_leading_whitespace():
    with pytest.raises(pq.FormulaError) as info:
        Formula("   DA + )", variables=VARIABLES)
    error = info.value
    assert error.formula[error.offset] == ")"


def test_rejection_offset_counts_characters_not_bytes():
    with pytest.raises(pq.FormulaError) as info:
        Formula("权威 * x.y", variables=["权威", "x"])
    error = info.value
    assert error.part == "x.y"
    assert error.offset == 5
    assert error.formula[error.offset :] == "x.y"


# --------------------------------------------------------------------------
# No eval anywhere in policyquant.

_FORBIDDEN = {"eval", "exec", "compile"}


def _forbidden_calls(source: str, filename: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source, filename=filename)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id in _FORBIDDEN:
            found.append(f"{filename}:{node.lineno} {func.id}(")
        elif (
            isinstance(func, ast.Attribute)
            and func.attr in _FORBIDDEN
            and isinstance(func.value, ast.Name)
            and func.value.id in ("builtins", "__builtins__")
        ):
            found.append(f"{filename}:{node.lineno} {func.value.id}.{func.attr}(")
    return found


def test_forbidden_call_detector_works():
    assert _forbidden_calls("x = eval(text)\nre.compile('a')\nbuiltins.exec('1')", "probe.py") == [
        "probe.py:1 eval(",
        "probe.py:3 builtins.exec(",
    ]


def test_policyquant_never_calls_eval_exec_or_compile():
    package = Path(pq.__file__).parent
    modules = sorted(package.rglob("*.py"))
    names = {path.relative_to(package).as_posix() for path in modules}
    assert {"__init__.py", "formula.py", "model.py", "frameworks/howlett_ramesh.py"} <= names
    found = []
    for path in modules:
        found += _forbidden_calls(path.read_text(encoding="utf-8"), str(path.relative_to(package)))
    assert found == []
