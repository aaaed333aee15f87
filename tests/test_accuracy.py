"""Accuracy of every elementwise activation, its derivative and its second derivative against mpmath.

Bound (product specification): within 4 ulp of the exactly rounded result
where that result is a normal float64; absolute error <= 2**-1022 where it is
subnormal or underflows; within 1e-3 of a zero of a derivative an absolute
error of 4*2**-52 is accepted (near a zero of the second derivative likewise).  See ``reference.score``.

Every elementwise record of the registry is checked automatically (default
parameters and the non-default sets listed in ``reference.REFERENCES``) on a
grid covering |x| from 5e-324 to 1.8e308, the exp over/underflow regions near
+-700, the subnormal tail of GELU near -37.5, kinks and their float
neighbours, the zeros of the derivatives, +-0, +-inf and NaN.  Kernels are
evaluated once per grid (vectorised); references are cached per session.

Run ``python tests/test_accuracy.py`` for a table of the largest errors.
"""

from __future__ import annotations

import functools
import math
import re
import sys

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from mpmath import mp

from actloss import cards
from actloss.registry import load
from reference import (
    NEAR_ZERO_WINDOW,
    PREC,
    REFERENCES,
    evaluate,
    mpf,
    score,
    ulp_error,
)

pytestmark = pytest.mark.filterwarnings("error")

BOUND = 4.0

RECORDS = [r for r in load() if r.shape == "elementwise"]
NAMES = [r.name for r in RECORDS]


def _record(name):
    return load().get(name)


def _configs():
    out = []
    for rec in RECORDS:
        ref = REFERENCES.get(rec.name)
        out.append((rec.name, ()))
        for ps in (ref.param_sets if ref else ()):
            out.append((rec.name, tuple(sorted(ps.items()))))
    return out


CONFIGS = _configs()


def _cid(cfg):
    name, ps = cfg
    return name + "".join(f"-{k}={v}" for k, v in ps)


# ---------------------------------------------------------------------------
# grid
# ---------------------------------------------------------------------------

_BASE_MAGNITUDES = (
    5e-324, 1e-320, 1e-310, 2.0**-1022, 1e-300, 1e-200, 1e-160, 1e-150, 1e-100, 1e-50, 1e-20, 1e-16, 1e-10,
    1e-8, 1e-6, 1e-5, 1e-4, 1e-3, 0.01, 0.1, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 2.5, 3.0, 5.0, 10.0, 20.0, 30.0,
    36.0, 37.0, 37.5, 38.0, 40.0, 50.0, 100.0, 354.0, 372.0, 700.0, 708.0, 709.0, 709.78, 710.0, 744.0, 745.0,
    745.2, 746.0, 750.0, 800.0, 1000.0, 1e4, 1e5, 1e8, 1e10, 1e16, 1e20, 1e50, 1e100, 1e150, 1e154, 1e155,
    1e200, 1e300, 1e308, 1.7976931348623157e308,
)


def _neighbours(x, steps=3):
    out = [x]
    lo = hi = x
    for _ in range(steps):
        lo = np.nextafter(lo, -np.inf)
        hi = np.nextafter(hi, np.inf)
        out += [lo, hi]
    return out


@functools.lru_cache(maxsize=None)
def _deriv_zeros(name, ps, which="derivative"):
    """Zeros of the reference derivative (or of the second derivative), refined to PREC bits."""
    ref = REFERENCES[name]
    params = dict(_record(name).bind(dict(ps)))
    fn, guesses = (ref.second, ref.zeros2) if which == "second" else (ref.derivative, ref.zeros)
    zs = []
    for z0 in guesses(**params):
        p = {k: (mpf(v) if isinstance(v, float) else v) for k, v in params.items()}
        with mp.workprec(PREC):  # solved for z / z0 near 1: the zero may lie anywhere in the float range
            scale = abs(fn(mp.mpf(0), **p)) or 1 if which == "second" else 1  # f''(0) != 0 where f'' has zeros
            zs.append(mp.findroot(lambda t: fn(t * z0, **p) / scale, mp.mpf(1)) * z0)
    return tuple(zs)


@functools.lru_cache(maxsize=None)
def grid(name, ps):
    """The float64 inputs checked for one function and parameter set."""
    rec = _record(name)
    params = dict(rec.bind(dict(ps)))
    ref = REFERENCES[name]
    rng = np.random.default_rng(20261127)
    pts = [0.0, -0.0]
    mags = list(_BASE_MAGNITUDES)
    mags += list(10.0 ** np.linspace(-300, 300, 61) * rng.uniform(1, 10, 61))
    for v in params.values():
        if isinstance(v, float) and v != 0.0:
            a = abs(v)
            for c in (1e-3, 0.5, 1.0, 2.0, 20.0, 37.0, 40.0, 700.0, 708.0, 745.0, 750.0):
                mags += [c / a, c * a]
    for m in mags:
        if np.isfinite(m):
            pts += [m, -m]
    pts += list(rng.uniform(-10, 10, 240))
    pts += list(rng.uniform(-2, 2, 120))
    pts += list(rng.uniform(-45, 45, 120))
    for lo, hi in ((690.0, 760.0), (-760.0, -690.0), (-40.0, -34.0), (350.0, 380.0), (-380.0, -350.0)):
        pts += list(rng.uniform(lo, hi, 40))
    for kx, _ in rec.kink_points(dict(ps)):
        pts += _neighbours(kx, 3) + [kx + d for d in (-1e-9, 1e-9, -1e-3, 1e-3)]
    for z in _deriv_zeros(name, ps) + _deriv_zeros(name, ps, "second"):
        zf = float(z)
        pts += _neighbours(zf, 3)
        for d in (1e-12, 1e-8, 1e-5, 1e-4, 9.99e-4, 1.001e-3, 2e-3, 5e-3, 0.01, 0.03, 0.1, 0.2, 0.3, 0.5):
            pts += [zf - d, zf + d]
        pts += list(zf + rng.uniform(-0.6, 0.6, 60))
    for x in ref.points(**params):
        pts += _neighbours(float(x), 1)
    x = np.array(pts, dtype=np.float64)
    x = x[np.isfinite(x)]
    return np.unique(x)  # sorted; 0.0 and -0.0 collapse: _grid adds -0.0 back

def _grid(name, ps):
    x = grid(name, ps)
    return np.concatenate([x, [-0.0]])


@functools.lru_cache(maxsize=None)
def _reference_values(name, ps, which):
    rec = _record(name)
    params = dict(rec.bind(dict(ps)))
    fn = getattr(REFERENCES[name], which)
    return tuple(evaluate(fn, float(x), params) for x in _grid(name, ps))


def _near_zero_mask(name, ps, x, which="derivative"):
    zs = _deriv_zeros(name, ps, which)
    mask = np.zeros(x.shape, dtype=bool)
    for z in zs:
        with np.errstate(over="ignore"):
            mask |= np.abs(x - float(z)) <= NEAR_ZERO_WINDOW
    return mask


def kernel(rec, which):
    """The record's function for 'value', 'derivative' or 'second' (f'')."""
    if which == "value":
        return rec.value
    if which == "second":
        return functools.partial(rec.derivative, order=2)
    return rec.derivative


def _scores(name, ps, which):
    rec = _record(name)
    x = _grid(name, ps)
    fn = kernel(rec, which)
    y = np.asarray(fn(x, **dict(ps)), dtype=np.float64)
    assert y.shape == x.shape and y.dtype == np.float64
    refs = _reference_values(name, ps, which)
    near = _near_zero_mask(name, ps, x, which) if which != "value" else np.zeros(x.shape, bool)
    s = np.array([score(yi, r, bool(n)) for yi, r, n in zip(y, refs, near)])
    return x, y, refs, s, near


def _report(x, y, refs, s, k=8):
    idx = np.argsort(-s)[:k]
    return "\n".join(
        f"  x={x[i]!r}: got {y[i]!r}, exact {mp.nstr(refs[i], 17)}, error {s[i]:.3g}" for i in idx if s[i] > 0
    )


# ---------------------------------------------------------------------------
# tests
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("name", NAMES)
def test_every_elementwise_record_has_a_reference(name):
    assert name in REFERENCES, f"{name} has no reference row in tests/reference.py"


@pytest.mark.parametrize("name", NAMES)
def test_every_elementwise_record_has_a_second_derivative_reference(name):
    assert REFERENCES[name].second is not None, f"{name} has no second derivative in tests/reference.py"
    assert _record(name).has_second_derivative()


@pytest.mark.parametrize("cfg", CONFIGS, ids=_cid)
@pytest.mark.parametrize("which", ["value", "derivative", "second"])
def test_accuracy(cfg, which):
    name, ps = cfg
    x, y, refs, s, _ = _scores(name, ps, which)
    bad = s > BOUND
    assert not bad.any(), f"{which} of {_cid(cfg)}: {bad.sum()} of {x.size} points beyond {BOUND} ulp\n" + _report(
        x, y, refs, s
    )


@pytest.mark.parametrize("cfg", CONFIGS, ids=_cid)
def test_special_values(cfg):
    name, ps = cfg
    rec = _record(name)
    params = dict(rec.bind(dict(ps)))
    ref = REFERENCES[name]
    x = np.array([np.nan, np.inf, -np.inf])
    for which in ("value", "derivative", "second"):
        fn = kernel(rec, which)
        y = np.asarray(fn(x, **dict(ps)))
        assert np.isnan(y[0]), f"{which}(nan) = {y[0]!r}"
        for xi, yi in zip((1, -1), y[1:]):
            big = xi * mp.mpf(2) ** 3000  # the limit, reached far beyond the float range
            with mp.workprec(PREC):
                lim = getattr(ref, which)(big, **{k: (mpf(v) if isinstance(v, float) else v) for k, v in params.items()})
            assert ulp_error(yi, lim) <= BOUND, f"{which}({xi * math.inf}) = {yi!r}, limit {mp.nstr(lim, 17)}"
        # scalars and any shape
        y0 = np.asarray(fn(np.float64(0.5), **dict(ps)))
        assert y0.shape == ()
        y2 = np.asarray(fn(np.full((2, 3), 0.5), **dict(ps)))
        assert y2.shape == (2, 3) and np.all(y2 == y0)
        assert np.asarray(fn(np.zeros((0,)), **dict(ps))).shape == (0,)


KINK_CONFIGS = [c for c in CONFIGS if _record(c[0]).kinks is not None]


@pytest.mark.parametrize("cfg", KINK_CONFIGS, ids=_cid)
def test_kinks(cfg):
    name, ps = cfg
    rec = _record(name)
    for kx, dydx in rec.kink_points(dict(ps)):
        got = rec.derivative(np.array([kx]), **dict(ps))[0]
        assert got == dydx, f"{name}'({kx!r}) = {got!r}, the record states {dydx!r}"
        got = rec.derivative(kx, **dict(ps))
        assert float(got) == dydx


# The kernels evaluate cancelling derivatives near their zeros by fitted polynomials
# (tools/root_polynomials.py); the tables must tile their range and be centred on the
# true zero (as a double-double), or the relative accuracy near the zero is lost.
ROOT_TABLES = [("_GELU_ROOT", "gelu", ()), ("_GELU_TANH_ROOT", "gelu", (("approximate", "tanh"),)),
               ("_SILU_ROOT", "silu", ()), ("_MISH_ROOT", "mish", ())]


@pytest.mark.parametrize("table, name, ps", ROOT_TABLES, ids=[t[0] for t in ROOT_TABLES])
def test_zero_polynomials_sit_on_the_zero(table, name, ps):
    from actloss import _kernels

    pieces = getattr(_kernels, table).pieces
    for (_, hi, *_), (lo, *_) in zip(pieces, pieces[1:]):
        assert hi == lo, f"{table}: gap or overlap at {hi!r}"
    (z,) = _deriv_zeros(name, ps)
    roots = [(lo, hi, ch, cl) for lo, hi, ch, cl, root, _ in pieces if root]
    assert len(roots) == 1
    lo, hi, ch, cl = roots[0]
    assert lo < z < hi
    with mp.workprec(PREC):
        assert abs(mpf(ch) + mpf(cl) - z) <= abs(z) * mp.mpf(2) ** -104, (ch, cl, mp.nstr(z, 40))


@pytest.mark.parametrize(
    "name, params, which, x, printed",
    [
        ("gelu", {}, "value", -10.0, -7.619853e-23),
        ("sigmoid", {}, "derivative", 40.0, 4.2483543e-18),
        ("tanh", {}, "derivative", 20.0, 1.6993417e-17),
        ("tanhshrink", {}, "value", 1e-6, 3.3333333e-19),
    ],
)
def test_documented_tails(name, params, which, x, printed):
    rec = _record(name)
    fn = rec.value if which == "value" else rec.derivative
    y = float(fn(np.array([x]), **params)[0])
    assert y == pytest.approx(printed, rel=1e-7)
    exact = evaluate(getattr(REFERENCES[name], which), x, rec.bind(params))
    assert ulp_error(y, exact) <= BOUND


# ---------------------------------------------------------------------------
# properties (hypothesis)
# ---------------------------------------------------------------------------

SMOOTH_EVERYWHERE = {"sigmoid", "tanh", "log_sigmoid", "gelu", "quick_gelu", "silu", "mish", "softplus",
                     "squareplus", "tanhshrink", "identity", "softsign"}


def _kinks_of(name, ps):
    rec = _record(name)
    ks = [k for k, _ in rec.kink_points(dict(ps))]
    if name == "softsign":
        ks.append(0.0)  # C1 only: the second derivative jumps at 0
    return ks


TINY_DERIVATIVE = mp.mpf(2) ** -1100  # far below the float64 range: 0 to float64


def central_difference(f, x, slope):
    """f'(x) by a central difference, at a precision high enough for the step.

    The step is 2**-100 of the scale |x| (2**-1000 at 0): the truncation error
    (about h**2 times the third derivative) is far below 2**-100 relative wherever f varies on a scale
    above |x| * 2**-40. The working precision is raised so that the
    cancellation in f(x + h) - f(x - h) still leaves 120 bits (``slope`` is the
    expected size of f'(x)).
    """
    xm = mpf(x)
    with mp.workprec(PREC):
        scale = max(abs(xm), mp.mpf(2) ** -1000)
        h = scale * mp.mpf(2) ** -100
        ratio = abs(f(xm)) / (scale * max(abs(slope), TINY_DERIVATIVE))
    extra = int(mp.log(ratio, 2)) if ratio > 1 else 0
    with mp.workprec(PREC + 120 + extra):
        return (f(xm + h) - f(xm - h)) / (2 * h)


@pytest.mark.parametrize("order", [1, 2])
@pytest.mark.parametrize("cfg", CONFIGS, ids=_cid)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(x=st.one_of(st.floats(-60.0, 60.0), st.floats(-1e6, 1e6), st.floats(allow_nan=False, allow_infinity=False)))
def test_derivative_matches_finite_difference(cfg, order, x):
    """The reference f' (order 1) or f'' (order 2) agrees with a high-precision central difference
    of the reference one order below (the derivative references are not taken on trust), and our
    derivative of that order is within the bound of it."""
    name, ps = cfg
    assume(all(abs(x - k) > 1e-6 * max(1.0, abs(k)) for k in _kinks_of(name, ps)))
    rec = _record(name)
    params = dict(rec.bind(dict(ps)))
    ref = REFERENCES[name]
    p = {k: (mpf(v) if isinstance(v, float) else v) for k, v in params.items()}
    exact, below = (ref.derivative, ref.value) if order == 1 else (ref.second, ref.derivative)
    an = evaluate(exact, x, params)
    fd = central_difference(lambda t: below(t, **p), x, an)
    if not (abs(an) < TINY_DERIVATIVE and abs(fd) < TINY_DERIVATIVE):
        assert abs(fd - an) <= mp.mpf(2) ** -90 * abs(an), (x, mp.nstr(fd, 20), mp.nstr(an, 20))
    zeros = _deriv_zeros(name, ps) if order == 1 else _deriv_zeros(name, ps, "second")
    near = any(abs(x - float(z)) <= NEAR_ZERO_WINDOW for z in zeros)
    got = float(rec.derivative(np.array([x]), order=order, **dict(ps))[0])
    assert score(got, an, near) <= BOUND, (x, got, mp.nstr(an, 17))


@pytest.mark.parametrize("cfg", KINK_CONFIGS, ids=_cid)
def test_second_derivative_at_kinks(cfg):
    name, ps = cfg
    rec = _record(name)
    for kx, d2 in rec.kink_points2(dict(ps)):
        got = rec.derivative(np.array([kx]), order=2, **dict(ps))[0]
        assert got == d2, f"{name}''({kx!r}) = {got!r}, the record states {d2!r}"


def test_order_is_checked():
    from actloss.errors import ParameterError

    with pytest.raises(ParameterError, match="order must be 1 or 2"):
        _record("gelu").derivative(np.array([1.0]), order=3)
    with pytest.raises(ParameterError, match="softmax has no second derivative"):
        _record("softmax").derivative(np.array([1.0, 2.0]), order=2)


# The tanh GELU is defined with the float64 nearest 0.044715 (actloss.constants.GELU_TANH_C), as PyTorch,
# JAX and TensorFlow evaluate it; its far tail is exact because the cubic argument is a double-double.
# Against the decimal 0.044715 (2.2e-18 larger) the tail differs by 2 sqrt(2/pi) 2.2e-18 x^3 in the
# exponent: 5 ulp at x = -6, 295 ulp at x = -21.12. Both are shown here.
GELU_TANH_TAIL = [-6.0, -10.0, -15.0, -20.0, -21.0, -21.12, -21.2]


@pytest.mark.parametrize("x", GELU_TANH_TAIL)
@pytest.mark.parametrize("which", ["value", "derivative", "second"])
def test_gelu_tanh_far_tail_is_exact(x, which):
    rec = _record("gelu")
    y = float(kernel(rec, which)(np.array([x]), approximate="tanh")[0])
    exact = evaluate(getattr(REFERENCES["gelu"], which), x, {"approximate": "tanh"})
    assert y != 0.0 and ulp_error(y, exact) <= 1.0, (x, y, mp.nstr(exact, 17))


def test_gelu_tanh_far_tail_against_the_decimal_constant():
    """What the float64 constant changes: with c = 0.044715 exactly, x = -6 and x = -21.12 are 5 and 295
    ulp away from actloss's (and PyTorch's) function."""
    rec = _record("gelu")
    errs = {}
    for x in (-6.0, -21.12):
        y = float(rec.value(np.array([x]), approximate="tanh")[0])
        with mp.workprec(PREC):
            c = mp.mpf("0.044715")  # the decimal, read at PREC bits
            xm = mpf(x)
            w = 2 * mp.sqrt(2 / mp.pi) * (xm + c * xm**3)
            errs[x] = ulp_error(y, xm / (1 + mp.exp(-w)))
    assert 4 < errs[-6.0] < 6 and 250 < errs[-21.12] < 350, errs


@pytest.mark.parametrize("which", ["value", "derivative", "second"])
def test_gelu_tanh_tail_sweep(which):
    """4000 points of the far tail (x from -22.5, where the value underflows, to -3) and the mirror
    tail of f' and f'' (x to 22.5): within the bound of mpmath (measured: value 1.9, f′ 1.9, f″ 2.3 ulp)."""
    rec = _record("gelu")
    rng = np.random.default_rng(11)
    x = np.concatenate([rng.uniform(-22.5, -3.0, 3000), rng.uniform(3.0, 22.5, 1000)])
    y = kernel(rec, which)(x, approximate="tanh")
    fr = getattr(REFERENCES["gelu"], which)
    refs = [evaluate(fr, float(xi), {"approximate": "tanh"}) for xi in x]
    s = np.array([ulp_error(a, b) for a, b in zip(y, refs)])
    assert s.max() <= BOUND, _report(x, y, refs, s)


def _condition(text, params):
    """Evaluate a record's 'for α ≥ 0' / 'when v ≤ t' style condition."""
    if text is True:
        return True
    if text is False or not isinstance(text, str):
        return False
    m = re.fullmatch(r"(?:for|when)\s+(.+)", text.strip())
    if not m:
        return False
    expr = _symbols(m.group(1))
    try:
        return bool(eval(expr, {"__builtins__": {}}, dict(params)))
    except Exception:
        return False


_SYMBOLS = {"α": "alpha", "β": "beta", "λ": "lambd", "≥": ">=", "≤": "<=", "−": "-", "v": "value", "t": "threshold"}


def _symbols(text):
    out = text
    for k, v in _SYMBOLS.items():
        if len(k) == 1 and k.isalpha() and k.isascii():
            out = re.sub(rf"\b{k}\b", v, out)
        else:
            out = out.replace(k, v)
    return out


_finite = st.floats(allow_nan=False, allow_infinity=True)


def _claims_monotonic(cfg):
    name, ps = cfg
    rec = _record(name)
    return _condition(rec.properties.get("monotonic"), dict(rec.bind(dict(ps))))


MONOTONIC_CONFIGS = [c for c in CONFIGS if _claims_monotonic(c)]


@pytest.mark.parametrize("cfg", MONOTONIC_CONFIGS, ids=_cid)
@settings(max_examples=40, deadline=None)
@given(xs=st.lists(st.one_of(_finite, st.floats(-50.0, 50.0)), min_size=2, max_size=30))
def test_monotonic_where_claimed(cfg, xs):
    """Non-decreasing on sorted inputs. Two results each within BOUND ulp of a
    non-decreasing function can be out of order by up to 2*BOUND ulp (where a
    formula switches branch, say), so that much is tolerated; anything more is
    a wrong claim or a broken kernel."""
    name, ps = cfg
    rec = _record(name)
    x = np.sort(np.array(xs, dtype=np.float64))
    y = rec.value(x, **dict(ps))
    a, b = y[:-1], y[1:]
    finite = np.isfinite(a) & np.isfinite(b)
    with np.errstate(over="ignore"):  # the spacing of the largest float is 2**971, reported as inf
        slack = np.where(finite, 2 * BOUND * np.spacing(np.maximum(np.abs(a), np.abs(b))), 0.0)
    with np.errstate(over="ignore"):
        drop = np.where(finite, a, 0.0) - np.where(finite, b, 0.0)
    ok = (b >= a) | (finite & (drop <= slack))
    assert ok.all(), [(xi, yi) for xi, yi in zip(x, y)]


def _parse_range(text, params):
    """[(lo, hi, approx)] pieces of a record's range text, or None if unparseable."""
    text = text.split(" for ")[0] if " for " in text else text
    if " = (" in text:  # "(-λα, inf) = (-1.7580993408473768, inf)": use the numeric form
        text = text.split(" = ", 1)[1]
    pieces = []
    env = {"inf": math.inf, **{k: v for k, v in params.items() if isinstance(v, float)}}
    for part in text.split("∪"):
        part = part.strip()
        approx = "≈" in part
        part = part.replace("≈", "").replace(" ", "")
        m = re.fullmatch(r"([\[(])(.+),(.+)([\])])", part)
        if m:
            lo_s, hi_s = m.group(2), m.group(3)
        else:
            m = re.fullmatch(r"\{(.+)\}", part)
            if not m:
                return None
            lo_s = hi_s = m.group(1)
        try:
            lo = float(eval(_symbols(lo_s), {"__builtins__": {}}, env))
            hi = float(eval(_symbols(hi_s), {"__builtins__": {}}, env))
        except Exception:
            return None
        pieces.append((lo, hi, approx))
    return pieces


@pytest.mark.parametrize("cfg", CONFIGS, ids=_cid)
@settings(max_examples=40, deadline=None)
@given(xs=st.lists(st.one_of(_finite, st.floats(-50.0, 50.0)), min_size=1, max_size=30))
def test_range_where_claimed(cfg, xs):
    name, ps = cfg
    rec = _record(name)
    params = dict(rec.bind(dict(ps)))
    text = cards.range_text(rec)  # the computed extrema and limits filled in
    if " for " in text and not _condition("for " + text.split(" for ", 1)[1], params):
        return
    if name in ("elu", "celu") and params.get("alpha", 1.0) < 0:
        return
    pieces = _parse_range(text, params)
    assert pieces is not None, f"cannot read the range {text!r} of {name}"
    x = np.array(xs, dtype=np.float64)
    y = rec.value(x, **dict(ps))
    for xi, yi in zip(x, y):
        ok = False
        for lo, hi, approx in pieces:
            # a computed bound is the exact one rounded: the kernels are within 4 ulp of it
            tol = 1e-3 * max(1.0, abs(lo)) if approx else 4 * math.ulp(lo)
            if lo - tol <= yi <= hi + (1e-3 * max(1.0, abs(hi)) if approx else 4 * math.ulp(hi)):
                ok = True
        assert ok, f"{name}({xi!r}) = {yi!r} outside {text!r}"


# ---------------------------------------------------------------------------
# the opt-in exhaustive sweep
# ---------------------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("cfg", CONFIGS, ids=_cid)
@pytest.mark.parametrize("which", ["value", "derivative", "second"])
def test_accuracy_sweep(cfg, which):
    name, ps = cfg
    rec = _record(name)
    params = dict(rec.bind(dict(ps)))
    ref = REFERENCES[name]
    rng = np.random.default_rng(7)
    n = 4000
    x = np.concatenate([
        rng.uniform(-12, 12, n),
        rng.uniform(-800, 800, n // 4),
        np.exp(rng.uniform(-745, 709, n // 2)) * rng.choice([-1.0, 1.0], n // 2),
    ])
    zs = _deriv_zeros(name, ps, "second" if which == "second" else "derivative")
    for z in zs:
        x = np.concatenate([x, float(z) + rng.uniform(-0.5, 0.5, n // 4)])
    fn = kernel(rec, which)
    y = fn(x, **dict(ps))
    fr = getattr(ref, which)
    refs = [evaluate(fr, float(xi), params) for xi in x]
    near = np.zeros(x.shape, bool)
    if which != "value":
        for z in zs:
            with np.errstate(over="ignore"):
                near |= np.abs(x - float(z)) <= NEAR_ZERO_WINDOW
    s = np.array([score(a, b, bool(c)) for a, b, c in zip(y, refs, near)])
    assert not (s > BOUND).any(), _report(x, y, refs, s)


# ---------------------------------------------------------------------------
# table of the largest errors: python tests/test_accuracy.py [names...]
# ---------------------------------------------------------------------------

def accuracy_table(names=None):
    rows = []
    for cfg in CONFIGS:
        name, ps = cfg
        if names and name not in names:
            continue
        row = [_cid(cfg)]
        for which in ("value", "derivative", "second"):
            x, y, refs, s, near = _scores(name, ps, which)
            u = np.array([ulp_error(a, b) for a, b in zip(y, refs)])
            far = ~near
            i = int(np.argmax(np.where(far, u, -1)))
            row.append(f"{u[i]:7.3f} (x={x[i]:.6g})")
            row.append(f"{s.max():.3f}")
        rows.append(row)
    w = max(len(r[0]) for r in rows)
    print(f"{'function':{w}}  {'value max ulp':24} score  {'f′ max ulp (outside zero windows)':24} score  "
          f"{'f″ max ulp (outside zero windows)':24} score")
    for r in rows:
        print(f"{r[0]:{w}}  {r[1]:24} {r[2]:5}  {r[3]:24} {r[4]:5}  {r[5]:24} {r[6]:5}")


if __name__ == "__main__":
    accuracy_table(sys.argv[1:] or None)
