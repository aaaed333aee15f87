"""Accuracy and properties of the vector activations (softmax family, GLU family).

Bound (product specification): every component of every value and Jacobian
within 4 ulp of the exactly rounded result where that result is a normal
float64, absolute error <= 2**-1022 where it is subnormal or underflows
(``reference_vector.ulp_error`` maps that to 4 as well).

Exact cancellations: the derivatives of the GELU gates (zero near b = -0.752)
and of the swish gate (zero at beta b = -1.2785) cancel to a zero, e.g.
g'(b) = Phi(b) + b phi(b). Within 1e-3 of that zero the Jacobian entry
a * g'(b) may instead be within 4 * 2**-52 * |a| (the row's scale) in
absolute terms. No other entry of any Jacobian needs that allowance: the
softmax family forms 1 - s_i without cancellation.

References (``reference_vector``) evaluate the exact binary value of each
input with mpmath at 256 bits, or with exact rationals (sparsemax).

Run ``python tests/test_vector.py`` for a table of the largest errors.
"""

from __future__ import annotations

import math
import sys
import time
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from mpmath import mp

import reference_vector as R
from actloss import _vector as V
from actloss.errors import ShapeError
from actloss.registry import load

pytestmark = pytest.mark.filterwarnings("error")

BOUND = 4.0
NEAR_ZERO_ABS = 4.0 * 2.0**-52
NEAR_ZERO_WINDOW = 1e-3
TEMPERATURES = (1.0, 0.3, 7.5)
EXTREME_TEMPERATURES = (1e-300, 1e300, 2.0**-1070, 3.0e-5, 7e-322, 1.2345e-310)

SOFT = {
    # name: (value kernel, Jacobian kernel, value reference, Jacobian reference)
    "softmax": (V.softmax, V.softmax_grad, R.softmax, R.softmax_jac),
    "log_softmax": (V.log_softmax, V.log_softmax_grad, R.log_softmax, R.log_softmax_jac),
    "softmin": (V.softmin, V.softmin_grad, R.softmin, R.softmin_jac),
    "sparsemax": (V.sparsemax, V.sparsemax_grad, R.sparsemax, R.sparsemax_jac),
}

# GLU configurations: (kernel name, gate kind for the reference, parameters)
GLU = [
    ("glu", "sigmoid", {}),
    ("reglu", "relu", {}),
    ("geglu", "gelu", {}),
    ("geglu", "gelu", {"approximate": "tanh"}),
    ("swiglu", "silu", {}),
    ("swiglu", "silu", {"beta": 1.702}),
    ("swiglu", "silu", {"beta": -0.5}),
    ("swiglu", "silu", {"beta": 0.0}),
]


def _gid(cfg):
    name, _, kw = cfg
    return name + "".join(f"-{k}={v}" for k, v in kw.items())


# ---------------------------------------------------------------------------
# the vectors
# ---------------------------------------------------------------------------

SPECIAL_VECTORS = [
    [0.0],
    [-3.5],
    [1e300],
    [0.0, 0.0],
    [1.0, 0.0],
    [0.5, -0.5],  # sparsemax: the second entry sits exactly on the support boundary
    [1.0, 2e-300],  # sparsemax: p_2 = 1e-300, a cancellation down to 300 digits
    [2e-300, 1.0, 0.0],
    [1.0, 1.0 - 2.0**-53, 1.0 - 2.0**-52],
    [1.0, 1.0, -1.0],  # ties for the maximum
    [5.0, 5.0, 5.0, 5.0],
    [0.0, -700.0],
    [0.0, -745.5, -750.0],
    [700.0, 0.0, -700.0, -1400.0, -2100.0],
    [1e308, -1e308, 1e308],
    [1.7e308, 1.7e308 * (1 - 2.0**-52)],
    [-1.7e308, 1.7e308],
    [1e300, 1e300 * (1 + 2.0**-52), -1e300],
    [1e-300, -1e-300, 3e-300],
    [5e-324, 0.0, -5e-324],
    [1e-320, 3e-321, -2e-321, 0.0],
    [1.5e-310, -2.5e-310, 1e-311],
    [1.0, 2.0**-1074],
    [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8],
    [3.0, 2.0, 1.0, 0.0],  # integers: sparsemax support tests that are exactly 0
    [1.0, 0.0, 0.0, 0.0, 0.0],
    [1.0] + [2.0**-60] * 5,  # a tie block just inside the support: p = 2**-60 / 6
    [1.0] + [-(2.0**-60)] * 3,  # ... and just outside
    [-np.inf, 0.0, 1.0],
    [-np.inf, 2.0],
    [np.inf, 0.0],
    [np.inf, np.inf, -np.inf, 3.0],
    [np.inf, -np.inf],
    [-np.inf, -np.inf],
    [np.nan, 1.0],
    [np.inf, np.nan, 0.0],
]

SCALES = (1.0, 10.0, 300.0, 700.0, 1500.0, 1e300, 1e-300, 1e-310, 5e307)


def random_vectors(seed=0, lengths=(1, 2, 3, 5, 8), per=3, scales=SCALES):
    rng = np.random.default_rng(seed)
    out = []
    for n in lengths:
        for scale in scales:
            for _ in range(per):
                out.append((rng.normal(size=n) * scale).tolist())
    # huge spreads: differences near +-700 and beyond, around a large offset
    for n in (2, 3, 6):
        for _ in range(per):
            base = rng.uniform(-1e4, 1e4)
            out.append((base - rng.uniform(0.0, 1600.0, size=n)).tolist())
    return out


VECTORS = SPECIAL_VECTORS + random_vectors()


def _batches(vectors):
    """Group by length so the kernels run vectorised (one call per length)."""
    by_len = {}
    for v in vectors:
        by_len.setdefault(len(v), []).append(v)
    return [np.array(vs, dtype=np.float64) for _, vs in sorted(by_len.items())]


def _scores_soft(name, T, vectors, jac):
    fn = SOFT[name][1 if jac else 0]
    ref = SOFT[name][3 if jac else 2]
    worst = []
    for batch in _batches(vectors):
        y = fn(batch, T)
        for row, out in zip(batch.tolist(), y):
            r = ref(row, T)
            if jac:
                pairs = [(out[i][j], r[i][j], (i, j)) for i in range(len(row)) for j in range(len(row))]
            else:
                pairs = [(out[i], r[i], i) for i in range(len(row))]
            for got, exact, where in pairs:
                worst.append((R.ulp_error(got, exact), row, where, float(got), exact))
    worst.sort(key=lambda w: -w[0])
    return worst


def _report(worst, k=5):
    lines = []
    for e, row, where, got, exact in worst[:k]:
        ex = mp.nstr(R._to_mpf(exact), 17)
        lines.append(f"  {e:.3g} ulp at {where} of {row!r}: got {got!r}, exact {ex}")
    return "\n".join(lines)


@pytest.mark.parametrize("T", TEMPERATURES)
@pytest.mark.parametrize("name", list(SOFT))
@pytest.mark.parametrize("jac", [False, True], ids=["value", "jacobian"])
def test_softmax_family_accuracy(name, T, jac):
    worst = _scores_soft(name, T, VECTORS, jac)
    assert worst[0][0] <= BOUND, f"{name} T={T}:\n" + _report(worst)


@pytest.mark.parametrize("T", EXTREME_TEMPERATURES)
@pytest.mark.parametrize("name", list(SOFT))
@pytest.mark.parametrize("jac", [False, True], ids=["value", "jacobian"])
def test_softmax_family_extreme_temperatures(name, T, jac):
    vectors = SPECIAL_VECTORS + random_vectors(seed=1, lengths=(2, 4), per=1)
    worst = _scores_soft(name, T, vectors, jac)
    assert worst[0][0] <= BOUND, f"{name} T={T}:\n" + _report(worst)


def test_every_vector_record_is_covered():
    names = {r.name for r in load() if r.shape in ("vector", "glu")}
    assert names == set(SOFT) | {g[0] for g in GLU} | {"logsumexp"}


@pytest.mark.parametrize("T", TEMPERATURES + EXTREME_TEMPERATURES)
@pytest.mark.parametrize("jac", [False, True], ids=["value", "jacobian"])
def test_logsumexp_accuracy(T, jac):
    vectors = VECTORS + [[1e308, 1e308], [-1e308, 0.0], [1000.0, 1000.0, -math.inf], [-745.0, -745.0],
                         [5e-324, -5e-324], [1e300, -1e300, 3.0], [-math.inf] * 3, [math.inf, 0.0], [math.nan, 1.0]]
    worst = []
    for batch in _batches(vectors):
        y = (V.logsumexp_grad if jac else V.logsumexp)(batch, T)
        assert y.shape == (batch.shape[0], 1, batch.shape[1]) if jac else (batch.shape[0], 1)
        for row, out in zip(batch.tolist(), y):
            ref = (R.logsumexp_jac if jac else R.logsumexp)(row, T)
            flat_out = np.ravel(out).tolist()
            flat_ref = [v for r in ref for v in r] if jac else ref
            for i, (got, exact) in enumerate(zip(flat_out, flat_ref)):
                worst.append((R.ulp_error(got, exact), row, i, got, exact))
    worst.sort(key=lambda w: -w[0])
    assert worst[0][0] <= BOUND, f"logsumexp T={T}:\n" + _report(worst)


# ---------------------------------------------------------------------------
# special cases of the softmax family
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("T", TEMPERATURES)
def test_two_class_softmax_is_the_sigmoid_of_the_difference(T):
    rng = np.random.default_rng(3)
    a = np.concatenate([rng.normal(size=40) * 30, [0.0, 700.0, -745.0, 1e300]])
    b = np.concatenate([rng.normal(size=40) * 30, [0.0, -1.0, 3.0, -1e300]])
    s = V.softmax(np.stack([a, b], axis=-1), T)
    with mp.workprec(R.PREC):
        for ai, bi, (s0, s1) in zip(a, b, s):
            u = (R.mpf(ai) - R.mpf(bi)) / R.mpf(T)
            assert R.ulp_error(s0, R._sigma(u)) <= BOUND
            assert R.ulp_error(s1, R._sigma(-u)) <= BOUND


@pytest.mark.parametrize("T", TEMPERATURES)
def test_length_one(T):
    x = np.array([[-1e300], [0.0], [3.0], [1e-300]])
    assert (V.softmax(x, T) == 1.0).all()
    assert (V.softmin(x, T) == 1.0).all()
    assert (V.sparsemax(x, T) == 1.0).all()
    assert (V.log_softmax(x, T) == 0.0).all()
    for fn in (V.softmax_grad, V.softmin_grad, V.log_softmax_grad, V.sparsemax_grad):
        assert (fn(x, T) == 0.0).all()


def test_infinite_entries_take_the_limits():
    x = np.array([[np.inf, 0.0, -np.inf], [np.inf, np.inf, -np.inf], [-np.inf, 0.0, 0.0]])
    expect = np.array([[1.0, 0.0, 0.0], [0.5, 0.5, 0.0], [0.0, 0.5, 0.5]])
    for fn in (V.softmax, V.sparsemax):
        np.testing.assert_array_equal(fn(x), expect)
    np.testing.assert_array_equal(V.softmin(-x), expect)
    ls = V.log_softmax(x)
    np.testing.assert_array_equal(ls[0], [0.0, -np.inf, -np.inf])
    np.testing.assert_array_equal(ls[1], [-math.log(2), -math.log(2), -np.inf])
    np.testing.assert_array_equal(ls[2], [-np.inf, -math.log(2), -math.log(2)])
    # the Jacobian at the limiting distribution
    np.testing.assert_array_equal(V.softmax_grad(x)[0], np.zeros((3, 3)))
    np.testing.assert_array_equal(V.softmax_grad(x)[1][:2, :2], [[0.25, -0.25], [-0.25, 0.25]])
    np.testing.assert_array_equal(V.sparsemax_grad(x, 2.0)[1][:2, :2], [[0.25, -0.25], [-0.25, 0.25]])


def test_nan_rows_and_all_minus_inf_rows_are_nan():
    x = np.array([[np.nan, 1.0, 2.0], [np.inf, np.nan, 0.0], [-np.inf, -np.inf, -np.inf], [0.0, 1.0, 2.0]])
    for name, (fn, grad, _, _) in SOFT.items():
        # softmin of x is softmax of -x: its all-infinite row that has no limit is +inf
        xs = -x if name == "softmin" else x
        y, J = fn(xs), grad(xs)
        assert np.isnan(y[:3]).all() and np.isnan(J[:3]).all(), name
        assert np.isfinite(y[3]).all() and np.isfinite(J[3]).all(), name


def test_shapes_and_batches():
    rng = np.random.default_rng(5)
    x = rng.normal(size=(2, 3, 4))
    for name, (fn, grad, _, _) in SOFT.items():
        assert fn(x).shape == (2, 3, 4)
        assert grad(x).shape == (2, 3, 4, 4)
        np.testing.assert_array_equal(fn(x)[1, 2], fn(x[1, 2]))
        np.testing.assert_array_equal(grad(x)[1, 2], grad(x[1, 2]))
        assert fn(3.0).shape == (1,)
        assert fn(np.zeros((2, 0))).shape == (2, 0)
        assert grad(np.zeros((2, 0))).shape == (2, 0, 0)
    # many rows: the row chunks give the same as one row at a time
    big = rng.normal(size=(5000, 7)) * 50
    for name, (fn, grad, _, _) in SOFT.items():
        y = fn(big, 0.3)
        for i in (0, 1234, 4999):
            np.testing.assert_array_equal(y[i], fn(big[i], 0.3))


def test_no_floating_point_exceptions_escape():
    x = np.array([[1e308, -1e308, 5e-324], [np.inf, -np.inf, np.nan], [-745.0, 0.0, 709.0]])
    g = np.array([[1e308, -1e300, 1e-310, np.inf, -1e4, 5e-324, np.nan, -40.0]])
    with np.errstate(all="raise"):
        for fn, grad, _, _ in SOFT.values():
            for T in (1.0, 1e-300, 1e300):
                fn(x, T)
                grad(x, T)
        for name, _, kw in GLU:
            getattr(V, name)(g, **kw)
            getattr(V, name + "_grad")(g, **kw)


# ---------------------------------------------------------------------------
# sparsemax near the support boundary
# ---------------------------------------------------------------------------

def _boundary_vectors(seed=0, count=60):
    """Vectors with one entry within an ulp of the threshold tau of the others."""
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(count):
        k = int(rng.integers(1, 5))
        head = sorted((rng.normal(size=k) * 0.3).tolist(), reverse=True)
        tau = (sum(Fraction(v) for v in head) - 1) / k
        if head[-1] <= tau:
            continue
        c = float(tau)
        for t in (c, math.nextafter(c, -math.inf), math.nextafter(c, math.inf)):
            tail = (rng.normal(size=int(rng.integers(0, 3))) - 3.0).tolist()
            out.append(head + [t] + tail)
    return out


@pytest.mark.parametrize("T", TEMPERATURES)
def test_sparsemax_near_the_support_boundary(T):
    vectors = [[v * T for v in row] for row in _boundary_vectors()] if T != 1.0 else _boundary_vectors()
    for jac in (False, True):
        worst = _scores_soft("sparsemax", T, vectors, jac)
        assert worst[0][0] <= BOUND, _report(worst)


def test_sparsemax_support_is_exact_at_the_boundary():
    # [0.5, -0.5]: tau = -0.5, p = [1, 0]; the second entry is outside the support
    np.testing.assert_array_equal(V.sparsemax([0.5, -0.5]), [1.0, 0.0])
    np.testing.assert_array_equal(V.sparsemax_grad([0.5, -0.5]), [[0.0, 0.0], [0.0, 0.0]])
    # one ulp closer: both are in, p_2 = (1 - y_2) / 2 with y_2 = 1 - 2**-54
    x = [0.5, math.nextafter(-0.5, 1.0)]
    p = V.sparsemax(x)
    assert p[1] == 2.0**-55 and p[0] == 1.0 - 2.0**-55
    np.testing.assert_array_equal(V.sparsemax_grad(x), [[0.5, -0.5], [-0.5, 0.5]])


def test_sparsemax_ties_at_the_boundary_stay_fast():
    # every support test and every numerator needs the exact fallback here
    n = 3000
    for x in ([1.0] + [0.0] * n, [1.0] + [2.0**-60] * n, [float(i % 7) for i in range(n)]):
        t = time.perf_counter()
        p = V.sparsemax(np.array(x))
        V.sparsemax_grad(np.array(x[:400]))
        assert time.perf_counter() - t < 2.0
        assert abs(math.fsum(p.tolist()) - 1.0) <= 4 * 2.0**-53
    p = V.sparsemax(np.array([1.0] + [2.0**-60] * n))
    assert (p[1:] == 2.0**-60 / (n + 1)).all()


# ---------------------------------------------------------------------------
# GLU family
# ---------------------------------------------------------------------------

GATE_B = np.concatenate([
    np.random.default_rng(7).normal(size=60) * 3,
    np.random.default_rng(8).uniform(-800, 800, 40),
    -np.random.default_rng(9).uniform(20, 60, 60),
    -np.random.default_rng(10).uniform(690, 760, 20),
    [0.0, -0.0, 1e-300, -1e-300, 5e-324, 1e300, -1e300, 1.7e308, -1.7e308, np.inf, -np.inf, np.nan,
     -35.0, -37.5, -40.0, -700.0, -700.1, -745.0, -800.0, -1400.0, -1e4, -0.7517915246935645,
     -1.2784645427610738, 2.557],
])
GATE_A = np.array([1.0, -1e300, 1e300, 1e-300, 3.0, 1.7e308, -2.5e-310, 0.0, np.inf, np.nan])


def _glu_scores(cfg, a, b):
    name, kind, kw = cfg
    A = np.repeat(a, b.size)
    B = np.tile(b, a.size)
    x = np.stack([A, B], axis=-1)
    val = getattr(V, name)(x, **kw)[:, 0]
    jac = getattr(V, name + "_grad")(x, **kw)
    zero = R.glu_gate_zero(kind, **kw)
    worst = []
    for i in range(A.size):
        ai, bi = float(A[i]), float(B[i])
        rv = R.glu_value(kind, [ai, bi], **kw)[0]
        J = R.glu_jac(kind, [ai, bi], **kw)
        worst.append((R.ulp_error(val[i], rv), (ai, bi), "value", float(val[i]), rv))
        worst.append((R.ulp_error(jac[i, 0, 0], J[0][0]), (ai, bi), "d/da", float(jac[i, 0, 0]), J[0][0]))
        e = R.ulp_error(jac[i, 0, 1], J[0][1])
        near = zero is not None and abs(bi - zero) < NEAR_ZERO_WINDOW * max(1.0, abs(zero))
        if near and math.isfinite(ai) and ai != 0:
            e = min(e, R.abs_error(jac[i, 0, 1], J[0][1]) / abs(ai) / NEAR_ZERO_ABS * BOUND)
        worst.append((e, (ai, bi), "d/db", float(jac[i, 0, 1]), J[0][1]))
    worst.sort(key=lambda w: -w[0])
    return worst


@pytest.mark.parametrize("cfg", GLU, ids=_gid)
def test_glu_accuracy(cfg):
    worst = _glu_scores(cfg, GATE_A, GATE_B)
    assert worst[0][0] <= BOUND, f"{_gid(cfg)}:\n" + _report(worst)


@pytest.mark.parametrize("name", ["glu", "reglu", "geglu", "swiglu"])
def test_glu_odd_length_raises(name):
    for n in (1, 3, 7):
        with pytest.raises(ShapeError, match=f"expected an even number of inputs per vector, got {n}"):
            getattr(V, name)(np.zeros(n))
        with pytest.raises(ShapeError, match=f"got {n}"):
            getattr(V, name + "_grad")(np.zeros((2, n)))


def test_glu_layout_is_first_half_times_gate_of_second_half():
    x = np.array([2.0, -3.0, 0.0, 100.0])  # a = [2, -3], b = [0, 100]
    np.testing.assert_array_equal(V.glu(x), [1.0, -3.0])
    np.testing.assert_array_equal(V.reglu(x), [0.0, -300.0])
    assert V.glu(np.zeros((4, 0))).shape == (4, 0)


def test_glu_nan_stays_in_its_component():
    x = np.array([np.nan, 1.0, 2.0, 0.5, 0.5, np.nan])  # a = [nan, 1, 2], b = [.5, .5, nan]
    for name, _, kw in GLU:
        y = getattr(V, name)(x, **kw)
        assert np.isnan(y[0]) and np.isfinite(y[1]) and np.isnan(y[2]), name
        J = getattr(V, name + "_grad")(x, **kw)
        assert np.isfinite(J[1]).all(), name
        assert np.isnan(J[2, 2]) and np.isnan(J[2, 5]), name


# ---------------------------------------------------------------------------
# property tests (hypothesis)
# ---------------------------------------------------------------------------

finite = st.floats(allow_nan=False, allow_infinity=False, width=64)
moderate = st.floats(min_value=-50.0, max_value=50.0, allow_nan=False, width=64)
any_temp = st.sampled_from(TEMPERATURES + (2.0, 1e-3, 1e3))
PROP = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _rows_of(elements, min_size=1, max_size=6):
    return st.lists(elements, min_size=min_size, max_size=max_size)


@PROP
@given(_rows_of(finite), any_temp)
def test_distributions_sum_to_one(x, T):
    for fn in (V.softmax, V.softmin, V.sparsemax):
        y = fn(np.array(x), T)
        assert ((y >= 0.0) & (y <= 1.0)).all()
        assert abs(math.fsum(y.tolist()) - 1.0) <= 4 * 2.0**-53, (fn.__name__, x, T, y)


@PROP
@given(_rows_of(finite), any_temp)
def test_log_softmax_is_the_log_of_softmax(x, T):
    y = V.log_softmax(np.array(x), T)
    s = R.softmax(x, T)
    with mp.workprec(R.PREC):
        for yi, si, li in zip(y, s, R.log_softmax(x, T)):
            if si > 0 and 1 - si < mp.mpf(2) ** (80 - R.PREC):
                # log(s) of an s this close to 1 needs more digits than s carries
                # (log s = -(1 - s) to first order): use the log1p form of the reference
                ref = li
            else:
                ref = mp.log(si) if si > 0 else -mp.inf
            assert R.ulp_error(yi, ref) <= BOUND


@PROP
@given(_rows_of(finite), any_temp)
def test_softmax_values_property(x, T):
    for name in ("softmax", "log_softmax", "softmin"):
        worst = _scores_soft(name, T, [x], jac=False)
        assert worst[0][0] <= BOUND, _report(worst)


@PROP
@given(_rows_of(st.one_of(moderate, finite), max_size=7), any_temp)
def test_sparsemax_is_the_euclidean_projection(x, T):
    p_exact, supp = R.sparsemax_exact(x, T)
    z = [Fraction(v) / Fraction(T) for v in x]
    assert R.is_simplex_projection(z, p_exact)
    got = V.sparsemax(np.array(x), T)
    for g, e in zip(got, p_exact):
        assert R.ulp_error(g, e) <= BOUND, (x, T, got)
    J = V.sparsemax_grad(np.array(x), T)
    assert ((J != 0).any(axis=0) <= np.array(supp)).all()
    worst = _scores_soft("sparsemax", T, [x], jac=True)
    assert worst[0][0] <= BOUND, _report(worst)


@PROP
@given(_rows_of(moderate, min_size=1, max_size=4), st.sampled_from(TEMPERATURES))
def test_jacobians_match_finite_differences_of_the_reference(x, T):
    X = np.array(x)
    # f(x + h) - f(x - h) cancels down to 2 h J: carry enough bits for the smallest entry
    tiny = min(abs(v) for row in R.softmax_jac(x, T) for v in row if v != 0) if len(x) > 1 else 1
    prec = 2 * R.PREC + max(0, int(-mp.log(tiny, 2)))
    cases = (("softmax", R.softmax_mp, V.softmax_grad, 1),
             ("log_softmax", R.log_softmax_mp, V.log_softmax_grad, 1),
             ("softmin", R.softmax_mp, V.softmin_grad, -1))
    for name, mp_fn, kernel, sign in cases:
        fd = R.fd_jacobian(lambda v: mp_fn([sign * w for w in v], mp.mpf(T)), x, prec=prec)
        J = kernel(X, T)
        for i in range(len(x)):
            for j in range(len(x)):
                assert R.ulp_error(J[i, j], fd[i][j]) <= BOUND, (name, x, T, i, j)


@PROP
@given(_rows_of(moderate, min_size=1, max_size=5), st.sampled_from(TEMPERATURES))
def test_sparsemax_jacobian_matches_exact_differences(x, T):
    p, supp = R.sparsemax_exact(x, T)
    assume(all(pi != 0 or not s for pi, s in zip(p, supp)))
    z = [Fraction(v) / Fraction(T) for v in x]
    tau = (sum(zi for zi, s in zip(z, supp) if s) - 1) / sum(bool(s) for s in supp)
    assume(all(zi != tau for zi, s in zip(z, supp) if not s))  # on the support's edge sparsemax has a kink
    h = Fraction(1, 2**200)
    J = V.sparsemax_grad(np.array(x), T)
    for j in range(len(x)):
        up = _sparse_at([Fraction(v) for v in x], j, h, T)
        dn = _sparse_at([Fraction(v) for v in x], j, -h, T)
        for i in range(len(x)):
            fd = (up[i] - dn[i]) / (2 * h)
            assert R.ulp_error(J[i, j], fd) <= BOUND, (x, T, i, j)


def _sparse_at(xf, j, h, T):
    """Exact sparsemax at a rational point (x with x_j shifted by h)."""
    z = [v / Fraction(T) for v in xf]
    z[j] += h / Fraction(T)
    zs = sorted(z, reverse=True)
    K, acc, accK = 1, Fraction(0), Fraction(0)
    for k, v in enumerate(zs, start=1):
        acc += v
        if 1 + k * v > acc:
            K, accK = k, acc
    tau = (accK - 1) / K
    return [max(v - tau, Fraction(0)) for v in z]


@PROP
@given(st.lists(st.tuples(finite, st.one_of(moderate, finite)), min_size=1, max_size=4), st.sampled_from(GLU))
def test_glu_jacobian_structure(pairs, cfg):
    name, _, kw = cfg
    a = [p[0] for p in pairs]
    b = [p[1] for p in pairs]
    m = len(a)
    x = np.array(a + b)
    J = getattr(V, name + "_grad")(x, **kw)
    assert J.shape == (m, 2 * m)
    mask = np.zeros((m, 2 * m), dtype=bool)
    mask[np.arange(m), np.arange(m)] = True
    mask[np.arange(m), m + np.arange(m)] = True
    assert (J[~mask] == 0).all()
    # d out_i / d a_i is the gate itself: the value of [1, b_i]
    gate = getattr(V, name)(np.array([1.0] * m + b), **kw)
    np.testing.assert_array_equal(J[np.arange(m), np.arange(m)], gate)
    for i in range(m):
        worst = _glu_scores(cfg, np.array([a[i]]), np.array([b[i]]))
        assert worst[0][0] <= BOUND, _report(worst)


# ---------------------------------------------------------------------------
# opt-in sweeps
# ---------------------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("T", TEMPERATURES + EXTREME_TEMPERATURES)
@pytest.mark.parametrize("name", list(SOFT))
def test_softmax_family_sweep(name, T):
    vectors = random_vectors(seed=11, lengths=(2, 3, 4, 7, 16, 33), per=6)
    vectors += _boundary_vectors(seed=12, count=200)
    for jac in (False, True):
        worst = _scores_soft(name, T, vectors, jac)
        assert worst[0][0] <= BOUND, f"{name} T={T}:\n" + _report(worst)


@pytest.mark.slow
@pytest.mark.parametrize("cfg", GLU, ids=_gid)
def test_glu_sweep(cfg):
    rng = np.random.default_rng(13)
    b = np.concatenate([rng.normal(size=400) * 4, rng.uniform(-900, 900, 400), -rng.uniform(15, 70, 400),
                        -np.exp(rng.uniform(-700, 700, 200))])
    a = np.concatenate([[1.0, -1.0], np.exp(rng.uniform(-700, 700, 6)) * rng.choice([-1, 1], 6)])
    worst = _glu_scores(cfg, a, b)
    assert worst[0][0] <= BOUND, f"{_gid(cfg)}:\n" + _report(worst)


@pytest.mark.slow
def test_softmax_speed():
    x = np.random.default_rng(0).normal(size=(100_000, 10)) * 5
    V.softmax(x[:10])
    t = time.perf_counter()
    V.softmax(x)
    assert time.perf_counter() - t < 1.0


# ---------------------------------------------------------------------------
# table of the largest errors
# ---------------------------------------------------------------------------

def accuracy_table():
    vectors = VECTORS + _boundary_vectors()
    print(f"{'function':28} {'value max ulp':>14} {'Jacobian max ulp':>17}")
    for name in SOFT:
        for T in TEMPERATURES + EXTREME_TEMPERATURES:
            v = _scores_soft(name, T, vectors, False)[0][0]
            j = _scores_soft(name, T, vectors, True)[0][0]
            print(f"{name + f' T={T:g}':28} {v:14.3f} {j:17.3f}")
    for cfg in GLU:
        worst = _glu_scores(cfg, GATE_A, GATE_B)
        v = max(w[0] for w in worst if w[2] == "value")
        j = max(w[0] for w in worst if w[2] != "value")
        print(f"{_gid(cfg):28} {v:14.3f} {j:17.3f}")


if __name__ == "__main__":
    sys.path.insert(0, ".")
    accuracy_table()
