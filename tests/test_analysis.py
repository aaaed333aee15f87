"""The cards' computed analysis (actloss/data/analysis.json) against mpmath and exact rounding.

The file is written by tools/card_analysis.py. Here every stated point is re-derived
from the mathematical definitions (the script's mpmath/Fraction definitions, not actloss's
kernels): an extremum is a zero of f' with the stated f there, an inflection point is a
sign change of f'', the steepest slope is |f'| there, and each saturation point is the
exact boundary: f rounds like its asymptote at it and not at the format value just before
it (checked for every function and format). ``--runslow`` reruns the whole script and
compares every number.
"""

from __future__ import annotations

import bisect
import importlib.util
import json
import math
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import mpmath
import pytest
from mpmath import mp, mpf

from actloss import analysis, cards, registry

ROOT = Path(__file__).resolve().parent.parent
REG = registry.load()
ELEMENTWISE = [r.name for r in REG if r.kind == "activation" and r.shape == "elementwise"]
DATA = analysis.load()


def _script():
    spec = importlib.util.spec_from_file_location("card_analysis", ROOT / "tools" / "card_analysis.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


CA = _script()


def d(name, x, n):
    spec = CA.SPECS[name]
    return mpmath.diff(lambda t: spec["f"](t, CA.MP), mpf(x), n)


def f(name, x):
    return CA.SPECS[name]["f"](mpf(x), CA.MP)


def test_every_elementwise_activation_and_nothing_else_has_an_analysis():
    assert sorted(DATA) == sorted(ELEMENTWISE)
    for r in REG:
        has = cards.analysis_of(r) is not None
        assert has == (r.name in ELEMENTWISE), r.name


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_entry_shape(name):
    e = DATA[name]
    assert set(e) == {"extrema", "inflection_points", "max_slope", "limits", "saturation"}
    assert set(e["saturation"]) == set(analysis.FORMATS)
    for ext in e["extrema"]:
        assert ext["kind"] in ("minimum", "maximum") and math.isfinite(ext["x"]) and math.isfinite(ext["value"])
    slope = e["max_slope"]["value"]
    assert slope == "inf" if name == "squared_relu" else slope > 0  # squared_relu' = 2x has no bound


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_extrema_and_inflections_recomputed(name):
    e = DATA[name]
    breaks = {float(b) for b in CA.SPECS[name].get("breaks", ())}
    with mp.workdps(50):
        for ext in e["extrema"]:
            x = ext["x"]
            # x is the float64 nearest the zero of f': f' is tiny there, and changes sign across it
            h = max(abs(x), 1.0) * 1e-9
            assert abs(d(name, x, 1)) < 1e-14, (name, x)
            left, right = d(name, x - h, 1), d(name, x + h, 1)
            assert (left < 0 < right) if ext["kind"] == "minimum" else (left > 0 > right), (name, ext)
            # the value is f at the exact zero, rounded once: within 1 ulp of f at the float64 x
            assert abs(ext["value"] - float(f(name, x))) <= math.ulp(ext["value"]), (name, ext)
        for x in e["inflection_points"]:
            h = 1e-6
            if x in breaks:
                lo, hi = d(name, x - h, 2), d(name, x + h, 2)
            else:
                assert abs(d(name, x, 2)) < 1e-12, (name, x)
                lo, hi = d(name, x - h, 2), d(name, x + h, 2)
            assert lo * hi < 0, (name, x)


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_max_slope_recomputed(name):
    s = DATA[name]["max_slope"]
    if s["value"] == "inf":  # no Lipschitz bound (squared_relu' = 2x): |f'| grows without limit in the tail
        assert s["x"] is None and abs(d(name, 1e8, 1)) > 1e8
        return
    with mp.workdps(50):
        grid = [mpf(i) / 64 for i in range(-16 * 64, 16 * 64 + 1)]
        breaks = {mpf(b) for b in CA.SPECS[name].get("breaks", ())}
        steepest = max(abs(d(name, x, 1)) for x in grid if x not in breaks)
        # no grid point is steeper than the stated supremum
        assert steepest <= s["value"] * (1 + 1e-12), (name, float(steepest))
        if s["x"] is None:
            # approached only at infinity: strictly below it on the grid, and reached in the tails
            assert steepest < s["value"]
            tail = max(abs(d(name, x, 1)) for x in (-1e8, 1e8))
            assert abs(tail - s["value"]) < 1e-9
        elif s.get("intervals"):
            for lo, hi in s["intervals"]:
                a = -50.0 if lo is None else lo
                b = 50.0 if hi is None else hi
                for t in (0.25, 0.5, 0.75):
                    x = a + (b - a) * t
                    assert abs(abs(d(name, x, 1)) - s["value"]) < 1e-12, (name, x)
        else:
            x = mpf(s["x"])
            near = [abs(d(name, x + sgn * mpf(10) ** -12, 1)) for sgn in (-1, 1)] + (
                [] if x in breaks else [abs(d(name, x, 1))])
            assert abs(max(near) - s["value"]) < 1e-9, (name, s, [float(v) for v in near])


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_limits(name):
    lim = DATA[name]["limits"]
    with mp.workdps(50):
        for key, x in (("-inf", -1e12), ("inf", 1e12)):
            v = lim[key]
            y = f(name, x)
            if math.isinf(v):
                assert (y > 40) if v > 0 else (y < -40), (name, key)
            else:
                assert abs(y - v) < 1e-9, (name, key, float(y))


_SIGNED: dict[str, list[Fraction]] = {}


def _neighbours(fmt_name: str, x: float):
    """The format values just below and just above x (x a value of the format)."""
    if fmt_name not in _SIGNED:
        vals = CA.format_values(CA.FORMATS[fmt_name])
        _SIGNED[fmt_name] = [-v for v in reversed(vals[1:])] + vals
    signed = _SIGNED[fmt_name]
    i = bisect.bisect_left(signed, Fraction(x))
    assert signed[i] == Fraction(x), f"{x} is not a {fmt_name} value"
    return (signed[i - 1] if i > 0 else None), (signed[i + 1] if i + 1 < len(signed) else None)


def _rounds_like_asymptote(name, fmt, x: Fraction, side: str) -> bool:
    spec = CA.SPECS[name]
    fx = CA.round_value(fmt, spec["f"], x, spec.get("rational", False))
    ax = CA.round_value(fmt, spec[side], x, spec.get(side + "_rational", True))
    return fx == ax


@pytest.mark.parametrize("fmt_name", analysis.FORMATS)
@pytest.mark.parametrize("name", ELEMENTWISE)
def test_saturation_points_are_the_exact_boundaries(name, fmt_name):
    fmt = CA.FORMATS[fmt_name]
    sat = DATA[name]["saturation"][fmt_name]
    spec = CA.SPECS[name]
    for side in ("high", "low"):
        x = sat[side]
        if spec.get(side) is None:
            assert x is None
            continue
        if x is None:
            # never: even the most extreme finite value does not round like the asymptote
            top = fmt["max"] if side == "high" else -fmt["max"]
            assert not _rounds_like_asymptote(name, fmt, top, side), (name, fmt_name, side)
            continue
        below, above = _neighbours(fmt_name, x)
        before = below if side == "high" else above  # the value just outside the saturated range
        inside = above if side == "high" else below
        assert _rounds_like_asymptote(name, fmt, Fraction(x), side), (name, fmt_name, side, x)
        if inside is not None:
            assert _rounds_like_asymptote(name, fmt, inside, side), (name, fmt_name, side, x)
        if before is not None:
            assert not _rounds_like_asymptote(name, fmt, before, side), (name, fmt_name, side, x)


def test_only_identity_never_saturates():
    """The cards say "f is its own asymptote" when no format saturates: true only of identity."""
    none = [n for n in ELEMENTWISE
            if all(v is None for fmt in analysis.FORMATS for v in DATA[n]["saturation"][fmt].values())]
    assert none == ["identity"]


def test_known_values():
    assert DATA["sigmoid"]["saturation"]["bfloat16"]["high"] == 6.25
    assert DATA["sigmoid"]["saturation"]["float16"]["high"] == 8.3203125
    q = analysis.minimum(DATA["quick_gelu"])
    assert q["value"] == pytest.approx(-0.16361019, abs=1e-8) and q["x"] == pytest.approx(-0.75115, abs=1e-5)


def test_extremum_agrees_with_the_kernels():
    """The kernels (within a few ulp of exact) give the same minima."""
    for name in ELEMENTWISE:
        for ext in DATA[name]["extrema"]:
            v = float(REG.get(name).value(ext["x"]))
            assert abs(v - ext["value"]) <= 4 * math.ulp(ext["value"]), name


def test_steepest_slope_agrees_with_the_kernels():
    """Where a smooth function attains its steepest slope at a point, the kernel's f' there is it."""
    for name in ELEMENTWISE:
        s = DATA[name]["max_slope"]
        if s["x"] is None or s.get("intervals") or CA.SPECS[name].get("breaks"):
            continue
        v = abs(float(REG.get(name).derivative(s["x"])))
        assert abs(v - s["value"]) <= 4 * math.ulp(s["value"]), name


def test_reading_the_analysis_needs_no_numpy():
    code = ("import sys, actloss.analysis as a; a.load(); import actloss.cards as c; "
            "from actloss import registry; c.range_text(registry.load().get('quick_gelu')); "
            "print('numpy' in sys.modules)")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert p.stdout.strip() == "False", p.stderr


def test_the_data_is_in_the_wheel_sources():
    # hatchling ships every file under the package directory: the data sits inside actloss/
    assert analysis.PATH.is_file() and analysis.PATH.parent.parent.name == "actloss"
    json.loads(analysis.PATH.read_text(encoding="utf-8"))


@pytest.mark.slow
@pytest.mark.parametrize("name", ELEMENTWISE)
def test_the_whole_analysis_recomputed(name):
    """Rerun the script's full computation (every saturation scan) and compare every number."""
    fresh = json.loads(json.dumps(CA.analyse(name)))
    stored = json.loads(analysis.PATH.read_text(encoding="utf-8"))[name]
    assert fresh == stored


def test_the_exact_rounding_agrees_with_numpy_float16():
    """The script's Fraction rounding, against numpy's float64 -> float16 conversion (correctly rounded):
    normal and subnormal values, exact ties (to even) and overflow."""
    import numpy as np

    fmt = CA.FORMATS["float16"]
    rng = np.random.default_rng(7)
    values = list(rng.standard_normal(2000) * 10.0 ** rng.integers(-9, 6, 2000))
    vals = CA.format_values(fmt)
    values += [float((a + b) / 2) for a, b in zip(vals[:-1:97], vals[1::97])]  # ties
    values += [65504.0, 65519.99, 65520.0, 1e6, 2.0 ** -25, 2.0 ** -24 * 1.5, 2.0 ** -26]
    for v in values + [-v for v in values]:
        got = CA.round_exact(fmt, Fraction(v))
        with np.errstate(over="ignore"):
            want = np.float16(v)
        if np.isinf(want):
            assert got == (CA.OVERFLOW_POS if v > 0 else CA.OVERFLOW_NEG), v
        else:
            assert got == Fraction(float(want)), v
