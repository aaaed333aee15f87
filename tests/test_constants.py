"""actloss.constants: each constant is what its comment says, checked against mpmath (never against itself)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from mpmath import mp

import actloss.constants as C

ROOT = Path(__file__).resolve().parent.parent


def _dd_exact(pair, value):
    """hi is the float64 nearest value and hi + lo within 2**-104 of it, relatively."""
    hi, lo = pair
    with mp.workprec(300):
        v = value()
        assert hi == float(v), (hi, mp.nstr(v, 30))
        assert abs(mp.mpf(hi) + mp.mpf(lo) - v) <= abs(v) * mp.mpf(2) ** -104


@pytest.mark.parametrize("name, value", [
    ("SQRT_2_OVER_PI", lambda: mp.sqrt(2 / mp.pi)),
    ("TWO_OVER_PI", lambda: 2 / mp.pi),
    ("INV_SQRT2", lambda: 1 / mp.sqrt(2)),
    ("INV_SQRT_2PI", lambda: 1 / mp.sqrt(2 * mp.pi)),
    ("TWO_OVER_SQRT_PI", lambda: 2 / mp.sqrt(mp.pi)),
])
def test_double_double_constants(name, value):
    _dd_exact(getattr(C, name), value)


def test_selu_constants_are_the_float64_of_the_papers_digits():
    with mp.workprec(300):
        assert C.SELU_ALPHA == float(mp.mpf("1.6732632423543772848170429916717"))
        assert C.SELU_SCALE == float(mp.mpf("1.0507009873554804934193349852946"))
        product = mp.mpf(C.SELU_SCALE) * mp.mpf(C.SELU_ALPHA)  # exact at 300 bits
        hi, lo = C.SELU_SCALE_ALPHA
        assert mp.mpf(hi) + mp.mpf(lo) == product


def test_gelu_tanh_constant_is_the_float64_nearest_the_decimal():
    with mp.workprec(300):
        d = mp.mpf("0.044715")
        assert C.GELU_TANH_C == float(d)
        assert mp.mpf("2.1e-18") < d - mp.mpf(C.GELU_TANH_C) < mp.mpf("2.3e-18")  # as the comment says


def test_ln2_split():
    with mp.workprec(300):
        assert abs(mp.mpf(C.LN2_HI) + mp.mpf(C.LN2_LO) - mp.log(2)) < mp.mpf(2) ** -85
    m, e = __import__("math").frexp(C.LN2_HI)
    assert (int(m * 2**53) & (2**21 - 1)) == 0, "k * LN2_HI exact for |k| < 2**21 needs 21 trailing zero bits"


def test_constants_import_no_numpy():
    tree = ast.parse((ROOT / "actloss" / "constants.py").read_text())
    imports = [n for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom))]
    assert all(getattr(n, "module", None) == "__future__" for n in imports)


# Each constant is stated once: no other module of the package spells its digits.
STATED_ONCE = ["SELU_ALPHA", "SELU_SCALE", "GELU_TANH_C", "QUICK_GELU_BETA", "SQRT_2_OVER_PI", "TWO_OVER_PI",
               "INV_SQRT2", "INV_SQRT_2PI", "TWO_OVER_SQRT_PI", "LN2_HI", "LN2_LO", "INV_LN2"]


@pytest.mark.parametrize("name", STATED_ONCE)
def test_stated_once(name):
    value = getattr(C, name)
    value = value[0] if isinstance(value, tuple) else value
    found = []
    for path in sorted((ROOT / "actloss").rglob("*.py")):
        if path.name == "constants.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Constant) and isinstance(node.value, float) and node.value == value:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not found, f"{name} is spelled out again (import it from actloss.constants): {found}"
