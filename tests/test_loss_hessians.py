"""Second derivatives of the losses with respect to pred against mpmath.

Elementwise losses: the diagonal of the Hessian (``derivative(pred, target, order=2)``), per reduction;
``ce``: one C x C block per sample, S (diag(p) - p p^T) with raw scores. The references below are the
second derivatives worked out from each loss's definition; ``test_references_are_second_derivatives``
checks them against mpmath's numerical differentiation of the definitions themselves. Bound: 4 ulp of the
exactly rounded result (absolute 2**-1022 below the normal range), as for the activations.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from mpmath import mp

from actloss.errors import ParameterError, ShapeError
from actloss.registry import get
from reference import PREC, mpf, ulp_error

BOUND = 4.0
Z = mp.mpf(0)


def _sig(u):
    return 1 / (1 + mp.exp(-u)) if u >= 0 else mp.exp(u) / (1 + mp.exp(u))


def _softplus(u):
    return u + mp.log1p(mp.exp(-u)) if u > 0 else mp.log1p(mp.exp(u))


# name -> (loss of one element (p, t, **params), its second derivative in p, parameter sets)
ELEMENTWISE = {
    "mse": (lambda p, t: (p - t) ** 2, lambda p, t: mp.mpf(2), [{}]),
    "l2": (lambda p, t: (p - t) ** 2, lambda p, t: mp.mpf(2), [{}]),
    "l1": (lambda p, t: abs(p - t), lambda p, t: Z, [{}]),
    "huber": (lambda p, t, delta: (p - t) ** 2 / 2 if abs(p - t) < delta else delta * (abs(p - t) - delta / 2),
              lambda p, t, delta: mp.mpf(1) if abs(p - t) < delta else Z, [{"delta": 1.0}, {"delta": 0.3}]),
    "smooth_l1": (lambda p, t, beta: (p - t) ** 2 / (2 * beta) if abs(p - t) < beta else abs(p - t) - beta / 2,
                  lambda p, t, beta: 1 / beta if abs(p - t) < beta else Z, [{"beta": 1.0}, {"beta": 0.3}]),
    "log_cosh": (lambda p, t: mp.log(mp.cosh(p - t)), lambda p, t: mp.sech(p - t) ** 2, [{}]),
    "gaussian_nll": (lambda p, t, var: (mp.log(var) + (p - t) ** 2 / var) / 2, lambda p, t, var: 1 / var,
                     [{"var": 1.0}, {"var": 0.3}, {"var": 7.0}]),
    "poisson_nll": (lambda p, t, log_input, eps: mp.exp(p) - t * p if log_input else p - t * mp.log(p + eps),
                    lambda p, t, log_input, eps: mp.exp(p) if log_input else (Z if t == 0 else t / (p + eps) ** 2),
                    [{"log_input": True, "eps": 1e-8}, {"log_input": False, "eps": 1e-8},
                     {"log_input": False, "eps": 1e-3}]),
    "hinge": (lambda p, t: max(Z, 1 - t * p), lambda p, t: Z, [{}]),
    "squared_hinge": (lambda p, t: max(Z, 1 - t * p) ** 2, lambda p, t: mp.mpf(2) if t * p <= 1 else Z, [{}]),
    "bce": (lambda p, t, logits: t * _softplus(-p) + (1 - t) * _softplus(p) if logits
            else -(t * mp.log(p) + (1 - t) * mp.log(1 - p)),
            lambda p, t, logits: _sig(p) * _sig(-p) if logits
            else (Z if t == 0 else t / p**2) + (Z if t == 1 else (1 - t) / (1 - p) ** 2),
            [{"logits": False}, {"logits": True}]),
    "quantile": (lambda p, t, tau: max(tau * (t - p), (tau - 1) * (t - p)), lambda p, t, tau: Z,
                 [{"tau": 0.5}, {"tau": 0.1}]),
    "soft_margin": (lambda p, t: _softplus(-(1 if t > 0 else -1) * p), lambda p, t: _sig(p) * _sig(-p), [{}]),
}


def _cases(name, params, rng):
    """pred, target arrays with the hard cases of each kind of loss."""
    n = 200
    if name in ("hinge", "squared_hinge"):
        pred = np.concatenate([rng.uniform(-3, 3, n), [1.0, -1.0, 0.0, 1e300, -1e-300]])
        target = rng.choice([-1.0, 1.0], pred.size)
        target[-5:-3] = [1.0, -1.0]  # margin exactly 1
        return pred, target
    if name == "bce" and not params["logits"]:
        pred = np.concatenate([rng.uniform(0, 1, n), [1e-300, 1e-16, 0.5, 1 - 2.0**-53, 0.999, 2.0**-1074]])
        target = np.concatenate([rng.uniform(0, 1, n // 2), rng.choice([0.0, 1.0], n - n // 2),
                                 [0.3, 1.0, 0.0, 0.7, 0.0, 1.0]])
        return pred, target
    if name == "soft_margin":
        pred = np.concatenate([rng.uniform(-40, 40, n), [-1000.0, 1000.0, 0.0, -745.0, 745.0, 36.7, -710.0, 1e-300]])
        return pred, rng.choice([-1.0, 1.0], pred.size)
    if name == "bce":
        pred = np.concatenate([rng.uniform(-40, 40, n), [-1000.0, 1000.0, 0.0, -745.0, 36.7, 710.0]])
        return pred, rng.uniform(0, 1, pred.size)
    if name == "poisson_nll" and not params["log_input"]:
        pred = np.concatenate([rng.uniform(0, 5, n), [0.0, 1e-300, 1.0, 1.462645, 1e300, 1e-9]])
        target = np.concatenate([rng.integers(0, 10, n).astype(float), [3.0, 2.0, 1.0, 4.0, 1e300, 0.0]])
        return pred, target
    if name == "poisson_nll":
        pred = np.concatenate([rng.uniform(-30, 30, n), [-745.0, -708.0, 709.0, 0.0, -1e300]])
        return pred, rng.integers(0, 10, pred.size).astype(float)
    pred = np.concatenate([rng.uniform(-5, 5, n), [1e300, -1e300, 1e-300, 0.0, 354.0, 700.0, 1.0, 0.3]])
    target = np.concatenate([rng.uniform(-5, 5, n), [0.0, 1e300, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]])
    return pred, target


def _params_id(params):
    return ",".join(f"{k}={v}" for k, v in params.items())


CONFIGS = [(name, ps) for name, (_, _, sets) in ELEMENTWISE.items() for ps in sets]


@pytest.mark.parametrize("reduction", ["sum", "mean", "none"])
@pytest.mark.parametrize("name, params", CONFIGS, ids=[f"{n}({_params_id(p)})" for n, p in CONFIGS])
def test_elementwise_loss_hessian_diagonal(name, params, reduction):
    rng = np.random.default_rng(hash((name, _params_id(params))) % 2**32)
    pred, target = _cases(name, params, rng)
    rec = get(name)
    got = rec.derivative(pred, target, order=2, reduction=reduction, **params)
    assert got.shape == pred.shape
    second = ELEMENTWISE[name][1]
    p = {k: (mpf(v) if isinstance(v, float) else v) for k, v in params.items()}
    n = 1 if reduction in ("sum", "none") else pred.size
    worst = (0.0, None)
    with mp.workprec(PREC):
        for a, x, t in zip(got.tolist(), pred.tolist(), target.tolist()):
            exact = second(mpf(x), mpf(t), **p) / n
            e = ulp_error(a, exact)
            if e > worst[0]:
                worst = (e, (x, t, a, mp.nstr(exact, 17)))
    assert worst[0] <= BOUND, worst


@pytest.mark.parametrize("name, params", CONFIGS, ids=[f"{n}({_params_id(p)})" for n, p in CONFIGS])
def test_references_are_second_derivatives(name, params):
    """The analytic references above against mpmath's numerical second derivative of the loss itself,
    at points away from kinks."""
    loss, second, _ = ELEMENTWISE[name]
    rng = np.random.default_rng(5)
    p = {k: (mpf(v) if isinstance(v, float) else v) for k, v in params.items()}
    pred, target = _cases(name, params, rng)
    with mp.workprec(200):
        for x, t in list(zip(pred.tolist(), target.tolist()))[:12]:
            xm, tm = mpf(x), mpf(t)
            num = mp.diff(lambda u: loss(u, tm, **p), xm, 2)
            assert abs(num - second(xm, tm, **p)) <= mp.mpf(10) ** -30 * max(1, abs(num)), (x, t, num)


MULTILABEL_CASES = [
    ([[0.0, 1.0, -2.0]], [[1.0, 0.0, 1.0]], None),
    ([[0.5, -3.0], [40.0, -40.0], [1000.0, -1000.0], [-745.0, 745.0], [36.7, 1e-300]],
     [[0.0, 1.0], [1.0, 1.0], [0.3, 0.7], [0.0, 0.0], [1.0, 0.5]], None),
    ([[0.5, -3.0, 2.0], [40.0, -40.0, 700.0], [-745.0, 1e-300, 3.0]],
     [[0.0, 1.0, 1.0], [1.0, 1.0, 0.0], [0.0, 0.2, 1.0]], (0.3, 2.0, 7.0)),
    ([0.25, -1.5, 20.0], [1.0, 0.0, 1.0], (1.0, 3.0, 0.1)),
]


@pytest.mark.parametrize("reduction", ["sum", "mean", "none"])
@pytest.mark.parametrize("pred, target, weight", MULTILABEL_CASES, ids=[str(i) for i in range(len(MULTILABEL_CASES))])
def test_multilabel_soft_margin_hessian_diagonal(pred, target, weight, reduction):
    """The loss of a sample is (1/C) sum_c w_c [t log sigma(x) + (1 - t) log sigma(-x)]: a diagonal Hessian
    w_c sigma(x) sigma(-x)/C; 'mean' over the samples."""
    got = get("multilabel_soft_margin").derivative(pred, target, order=2, reduction=reduction, weight=weight)
    x = np.asarray(pred, dtype=np.float64)
    assert got.shape == x.shape
    c = x.shape[-1]
    n = 1 if reduction != "mean" or x.ndim == 1 else x.shape[0]
    w = np.ones(c) if weight is None else np.asarray(weight)
    with mp.workprec(PREC):
        for idx in np.ndindex(x.shape):
            exact = mpf(w[idx[-1]]) * _sig(mpf(x[idx])) * _sig(-mpf(x[idx])) / c / n
            assert ulp_error(got[idx], exact) <= BOUND, (idx, got[idx], mp.nstr(exact, 17))


def test_multilabel_soft_margin_reference_is_the_second_derivative():
    w, t = [mp.mpf("0.3"), mp.mpf(2)], [mp.mpf("0.2"), mp.mpf(1)]

    def loss(a, b):
        return mp.fsum(wc * (tc * _softplus(-x) + (1 - tc) * _softplus(x)) for wc, tc, x in zip(w, t, (a, b))) / 2

    z = (mp.mpf("0.7"), mp.mpf(-2))
    with mp.workprec(200):
        for i in range(2):
            for j in range(2):
                order = tuple(int(k == i) + int(k == j) for k in range(2))
                want = w[i] * _sig(z[i]) * _sig(-z[i]) / 2 if i == j else 0
                assert abs(mp.diff(loss, z, order) - want) < mp.mpf(10) ** -30


# ---------------------------------------------------------------------------
# focal: FL = a_t u^g CE, u = 1 - p_t = t q + (1 - t) p
# ---------------------------------------------------------------------------

def _focal_pieces(x, t, logits):
    """p, q = 1 - p, CE and its first two derivatives, u and its first two, in forms that do not cancel
    (q never as 1 minus a rounded p, p - t as (1 - t) p - t q)."""
    if logits:
        p, q = _sig(x), _sig(-x)
        ce = t * _softplus(-x) + (1 - t) * _softplus(x)
        dce, d2ce = (1 - t) * p - t * q, p * q
        du, d2u = (1 - 2 * t) * p * q, (1 - 2 * t) * p * q * (q - p)
    else:
        p, q = x, mp.fsub(1, x, exact=True)
        ce = -(t * mp.log(p) if t != 0 else Z) - ((1 - t) * mp.log(q) if t != 1 else Z)
        dce, d2ce = -t / p + (1 - t) / q, t / p**2 + (1 - t) / q**2
        du, d2u = 1 - 2 * t, Z
    return p, q, ce, dce, d2ce, t * q + (1 - t) * p, du, d2u


def _alpha_t(t, alpha):
    return alpha * t + (1 - alpha) * (1 - t) if alpha >= 0 else mp.mpf(1)


def _focal_loss(x, t, gamma, alpha, logits):
    _, _, ce, _, _, u, _, _ = _focal_pieces(x, t, logits)
    return _alpha_t(t, alpha) * u**gamma * ce


def _focal_second(x, t, gamma, alpha, logits):
    """a_t [g(g-1) u^(g-2) u'^2 CE + g u^(g-1) u'' CE + 2 g u^(g-1) u' CE' + u^g CE''] (0 < u)."""
    _, _, ce, dce, d2ce, u, du, d2u = _focal_pieces(x, t, logits)
    g = gamma
    return _alpha_t(t, alpha) * (g * (g - 1) * u ** (g - 2) * du**2 * ce + g * u ** (g - 1) * (d2u * ce + 2 * du * dce)
                                 + u**g * d2ce)


FOCAL_CONFIGS = [(True, 2.0, 0.25), (True, 0.5, -1.0), (True, 1.0, 0.25), (True, 1.5, 0.7), (True, 3.7, -1.0),
                 (True, 0.0, 0.25), (False, 2.0, 0.25), (False, 0.5, -1.0), (False, 1.0, 0.25), (False, 1.5, 0.7),
                 (False, 3.7, -1.0), (False, 0.0, 0.25)]
FOCAL_IDS = [f"{'logits' if lg else 'probs'},gamma={g},alpha={a}" for lg, g, a in FOCAL_CONFIGS]


def _focal_cases(logits, rng):
    n = 60
    if logits:
        x = np.concatenate([rng.uniform(-12, 12, n), rng.uniform(-800, 800, 8),
                            [0.0, 36.7, -36.7, 700.0, -700.0, 709.0, -709.0, 745.0, -745.0, 1000.0, -1000.0, 1e-300]])
    else:
        x = np.concatenate([rng.uniform(0, 1, n), 10.0 ** rng.uniform(-300, -1, 6), 1 - 10.0 ** rng.uniform(-16, -1, 6),
                            [0.5, 1e-300, 2.0**-1074, 1 - 2.0**-53, 2.0**-53, 0.25]])
    t = np.concatenate([rng.uniform(0, 1, x.size // 3), rng.choice([0.0, 1.0], x.size - x.size // 3)])
    rng.shuffle(t)
    return x, t


def _focal_zeros(gamma, alpha, logits):
    """Points on both sides of every zero of FL'' (found with findroot on a sign change of the reference)
    for targets 1, 0 and two soft ones, at 1, 2 and 2**20 ulp from the float nearest the zero."""
    pts = []
    grid = np.linspace(-12, 12, 49) if logits else np.linspace(0.01, 0.99, 50)
    with mp.workprec(PREC):
        for t in (1.0, 0.0, 0.3, 0.85):
            tm = mpf(t)
            f = [_focal_second(mpf(v), tm, mpf(gamma), mpf(alpha), logits) for v in grid]
            for a, b, fa, fb in zip(grid[:-1], grid[1:], f[:-1], f[1:]):
                if fa * fb < 0:
                    z = float(mp.findroot(lambda v: _focal_second(v, tm, mpf(gamma), mpf(alpha), logits),
                                          (mpf(a), mpf(b)), solver="anderson"))
                    for k in (0, 1, 2, 2**20):
                        for d in (-1, 1):
                            pts.append((z + d * k * math.ulp(z), t))
    return pts


@pytest.mark.parametrize("reduction", ["none", "sum", "mean"])
@pytest.mark.parametrize("logits, gamma, alpha", FOCAL_CONFIGS, ids=FOCAL_IDS)
def test_focal_second_derivative(logits, gamma, alpha, reduction):
    rng = np.random.default_rng(int(gamma * 10) + 7 * logits)
    x, t = _focal_cases(logits, rng)
    zeros = _focal_zeros(gamma, alpha, logits) if reduction == "none" else []
    if zeros:
        x = np.concatenate([x, [z for z, _ in zeros]])
        t = np.concatenate([t, [v for _, v in zeros]])
    got = get("focal").derivative(x, t, order=2, reduction=reduction, gamma=gamma, alpha=alpha, logits=logits)
    assert got.shape == x.shape
    n = x.size if reduction == "mean" else 1
    worst = (0.0, None)
    with mp.workprec(PREC):
        for a, xv, tv in zip(got.tolist(), x.tolist(), t.tolist()):
            u = tv * (1 - xv) + (1 - tv) * xv if not logits else 1.0
            if not logits and (xv in (0.0, 1.0) or u == 0):
                continue  # the limits: test_focal_second_derivative_limits
            exact = _focal_second(mpf(xv), mpf(tv), mpf(gamma), mpf(alpha), logits) / n
            e = ulp_error(a, exact)
            if e > worst[0]:
                worst = (e, (xv, tv, a, mp.nstr(exact, 17)))
    assert worst[0] <= BOUND, worst


def test_focal_second_derivative_has_zeros_where_expected():
    """The sign changes exist (t = 1 with logits near CE = (2g + 1)/g for g = 2), so the points above
    straddle real zeros of FL''."""
    zs = _focal_zeros(2.0, 0.25, True)
    assert any(t == 1.0 and -3 < z < -2 for z, t in zs), zs


@pytest.mark.parametrize("logits, gamma, alpha", FOCAL_CONFIGS[:3] + FOCAL_CONFIGS[6:9], ids=FOCAL_IDS[:3] + FOCAL_IDS[6:9])
def test_focal_reference_is_the_second_derivative(logits, gamma, alpha):
    pts = [(-2.5, 1.0), (1.3, 0.0), (0.4, 0.3), (4.0, 0.85)] if logits else [(0.3, 1.0), (0.8, 0.0), (0.45, 0.3), (0.9, 0.85)]
    with mp.workprec(200):
        g, a = mpf(gamma), mpf(alpha)
        for x, t in pts:
            xm, tm = mpf(x), mpf(t)
            num = mp.diff(lambda v: _focal_loss(v, tm, g, a, logits), xm, 2)
            assert abs(num - _focal_second(xm, tm, g, a, logits)) <= mp.mpf(10) ** -30 * max(1, abs(num)), (x, t)


@pytest.mark.parametrize("gamma", [0.0, 0.5, 1.0, 2.0, 3.7])
def test_focal_second_derivative_limits(gamma):
    """Where u = 1 - p_t = 0 or p is 0 or 1 the second derivative is the one-sided limit: probabilities
    at u = 0 give a_t g (g + 1) u^(g - 1) -> 0 (g > 1), 2 a_t (g = 1), inf (0 < g < 1), a_t (g = 0), checked
    against the reference 2**-200 inside; p at 0 or 1 with u > 0: +inf (CE'' = t/p^2); logits with u = 0 or
    pred = +-inf: 0."""
    alpha = 0.25
    got = get("focal").derivative([1.0, 0.0, 0.0, 1.0, 0.0], [1.0, 0.0, 0.4, 0.4, 1.0], order=2, reduction="none",
                                  gamma=gamma, alpha=alpha)
    with mp.workprec(PREC):
        eps = mp.mpf(2) ** -200
        for a, (x, t) in zip(got.tolist()[:2], [(1 - eps, 1), (eps, 0)]):
            ref = _focal_second(x, mp.mpf(t), mpf(gamma), mpf(alpha), False)
            if 0 < gamma < 1:  # diverges like u^(g - 1)
                nearer = _focal_second(x + (-eps if t == 0 else eps) / 2, mp.mpf(t), mpf(gamma), mpf(alpha), False)
                assert a == math.inf and ref > 1e20 and nearer > ref
            else:
                assert abs(a - ref) <= 1e-15 * max(1, abs(ref)), (a, ref)
    assert got.tolist()[2:] == [math.inf] * 3
    lg = get("focal").derivative([1000.0, -1000.0, math.inf, -math.inf, 800.0], [1.0, 0.0, 0.3, 1.0, 1.0], order=2,
                                 reduction="none", gamma=gamma, alpha=alpha, logits=True)
    assert lg.tolist() == [0.0] * 5


def test_focal_second_derivative_nan_and_no_warnings():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        h = get("focal").derivative([np.nan, 0.5, 40.0], [1.0, 0.3, 1.0], order=2, reduction="none", logits=True,
                                    gamma=0.5)
        assert np.isnan(h[0]) and np.isfinite(h[1:]).all()
        m = get("focal").derivative([np.nan, 0.5], [1.0, 0.3], order=2, logits=True)  # 'mean'
        assert np.isnan(m[0]) and np.isfinite(m[1])
        p = get("focal").derivative([0.0, 1.0, 1e-300, 0.5], [0.0, 1.0, 0.0, 1.0], order=2, reduction="none", gamma=0.5)
        assert np.isinf(p[:2]).all() and np.isfinite(p[2:]).all()


def _ce_reference(z, A):
    """S (diag(p) - p p^T) for one sample, p = softmax(z), S = sum(A)."""
    m = max(z)
    e = [mp.exp(v - m) for v in z]
    s = mp.fsum(e)
    p = [v / s for v in e]
    S = mp.fsum(A)
    return [[S * (p[i] * (1 - p[i]) if i == j else -p[i] * p[j]) for j in range(len(z))] for i in range(len(z))]


CE_CASES = [
    ([[1.0, 2.0, 3.0]], [2], {}),
    ([[1.0, 2.0, 3.0], [0.5, -0.5, 0.0]], [0, 1], {}),
    ([[1000.0, -1000.0, 0.0]], [1], {}),
    ([[-1000.0, 0.0, 1000.0, 999.0]], [3], {}),
    ([[40.0, 0.0, -40.0]], [0], {}),
    ([[1.0, 2.0, 3.0]], [[0.2, 0.3, 0.5]], {}),
    ([[1.0, 2.0, 3.0]], [[0.2, 0.3, 0.5]], {"label_smoothing": 0.1}),
    ([[1.0, 2.0, 3.0], [3.0, 1.0, 2.0]], [1, 2], {"weight": (0.5, 2.0, 3.0)}),
    ([[1.0, 2.0, 3.0], [3.0, 1.0, 2.0]], [1, 2], {"weight": (0.5, 2.0, 3.0), "label_smoothing": 0.2}),
    ([[1e-300, 0.0]], [0], {}),
]


@pytest.mark.parametrize("reduction", ["sum", "mean", "none"])
@pytest.mark.parametrize("pred, target, params", CE_CASES, ids=[str(i) for i in range(len(CE_CASES))])
def test_ce_logits_per_sample_hessian(pred, target, params, reduction):
    rec = get("ce")
    got = rec.derivative(pred, target, order=2, logits=True, reduction=reduction, **params)
    z = np.asarray(pred, dtype=np.float64)
    assert got.shape == z.shape + (z.shape[-1],)
    np.testing.assert_array_equal(got, np.swapaxes(got, -1, -2))  # symmetric
    c = z.shape[-1]
    w = np.array(params["weight"]) if "weight" in params else np.ones(c)
    eps = params.get("label_smoothing", 0.0)
    t = np.asarray(target, dtype=np.float64)
    with mp.workprec(PREC):
        rows = []
        for n in range(z.shape[0]):
            if t.ndim == 1:  # class index: A = w_y ((1 - eps) onehot + eps/C) with the smoothing spread by w
                a = [mp.mpf(eps) / c * mpf(w[k]) for k in range(c)]
                a[int(t[n])] += (1 - mp.mpf(eps)) * mpf(w[int(t[n])])
            else:
                a = [mpf(w[k]) * ((1 - mp.mpf(eps)) * mpf(t[n, k]) + mp.mpf(eps) / c) for k in range(c)]
            rows.append((_ce_reference([mpf(v) for v in z[n]], a), a))
        if reduction == "mean":
            den = mp.fsum(mpf(w[int(k)]) for k in t) if (t.ndim == 1 and "weight" in params) else mp.mpf(z.shape[0])
        else:
            den = mp.mpf(1)
        for n, (H, _) in enumerate(rows):
            for i in range(c):
                for j in range(c):
                    e = ulp_error(got[n, i, j], H[i][j] / den)
                    assert e <= BOUND, (n, i, j, got[n, i, j], mp.nstr(H[i][j] / den, 17), e)


def test_ce_hessian_reference_is_the_second_derivative():
    z0 = [mp.mpf(1), mp.mpf(2), mp.mpf("0.5")]
    a = [mp.mpf(0), mp.mpf(1), mp.mpf(0)]

    def loss(*z):
        m = max(z)
        lse = m + mp.log(mp.fsum(mp.exp(v - m) for v in z))
        return -mp.fsum(ai * (zi - lse) for ai, zi in zip(a, z))

    with mp.workprec(200):
        H = _ce_reference(z0, a)
        for i in range(3):
            for j in range(3):
                order = tuple(int(k == i) + int(k == j) for k in range(3))
                assert abs(mp.diff(loss, tuple(z0), order) - H[i][j]) < mp.mpf(10) ** -30


def _ce_coeffs_mp(t, c, w=None, eps=0.0, normalize=False):
    """A for one sample (class index or a row of probabilities), exactly."""
    w = [mp.mpf(1)] * c if w is None else [mpf(v) for v in w]
    eps = mpf(eps)
    if np.ndim(t) == 0:
        a = [eps / c * w[k] for k in range(c)]
        a[int(t)] += (1 - eps) * w[int(t)]
        return a
    t = [mpf(v) for v in t]
    if normalize:
        s = mp.fsum(t)
        t = [v / s for v in t]
    return [w[k] * ((1 - eps) * t[k] + eps / c) for k in range(c)]


def _normalized_reference(a, A):
    """diag(A / a^2) - (S / s^2) 1 1^T for the loss -sum_i A_i log(a_i / s), s = sum_j a_j."""
    s, S = mp.fsum(a), mp.fsum(A)
    d = [Z if A[i] == 0 else (mp.inf if a[i] == 0 else A[i] / a[i] ** 2) for i in range(len(a))]
    return [[(d[i] if i == j else 0) - S / s**2 for j in range(len(a))] for i in range(len(a))]


def _check_block(got, H, den, where):
    for i in range(len(H)):
        for j in range(len(H)):
            e = ulp_error(got[i, j], H[i][j] / den)
            assert e <= BOUND, (where, i, j, got[i, j], mp.nstr(H[i][j] / den, 17), e)


@pytest.mark.parametrize("reduction", ["sum", "mean", "none"])
@pytest.mark.parametrize("logits", [True, False])
@pytest.mark.parametrize("soft", [False, True])
def test_ce_hessian_spatial_layout(logits, soft, reduction):
    """(N, C, d1, d2), classes on axis 1: H[n, i, d1, d2, j] is the block of position (n, d1, d2), and the
    result agrees with the (N', C) layout of the same positions."""
    rng = np.random.default_rng(11 + soft + 2 * logits)
    n, c, d1, d2 = 2, 3, 2, 3
    if logits:
        z = rng.normal(0, 3, (n, c, d1, d2))
        z[0, :, 0, 0] = [1000.0, -1000.0, 0.0]
    else:
        z = rng.dirichlet(np.ones(c), (n, d1, d2)).transpose(0, 3, 1, 2)
    if soft:
        t = rng.dirichlet(np.ones(c), (n, d1, d2)).transpose(0, 3, 1, 2)
    else:
        t = rng.integers(0, c, (n, d1, d2)).astype(float)
    params = {"weight": (0.5, 2.0, 3.0), "label_smoothing": 0.1}
    rec = get("ce")
    got = rec.derivative(z, t, order=2, logits=logits, reduction=reduction, **params)
    assert got.shape == z.shape + (c,)
    flat_z = np.moveaxis(z, 1, -1).reshape(-1, c)
    flat_t = np.moveaxis(t, 1, -1).reshape(-1, c) if soft else t.reshape(-1)
    flat = rec.derivative(flat_z, flat_t, order=2, logits=logits, reduction=reduction, **params)
    np.testing.assert_array_equal(np.moveaxis(got, 1, -2).reshape(-1, c, c), flat)
    with mp.workprec(PREC):
        if reduction == "mean":
            den = mp.mpf(flat_z.shape[0]) if soft else mp.fsum(mpf(params["weight"][int(k)]) for k in flat_t)
        else:
            den = mp.mpf(1)
        for m in range(flat_z.shape[0]):
            A = _ce_coeffs_mp(flat_t[m], c, params["weight"], params["label_smoothing"])
            zm = [mpf(v) for v in flat_z[m]]
            H = _ce_reference(zm, A) if logits else [[A[i] / zm[i] ** 2 if i == j else 0 for j in range(c)]
                                                      for i in range(c)]
            _check_block(np.moveaxis(got, 1, -2).reshape(-1, c, c)[m], H, den, m)


NORMALIZE_CASES = [
    ([[2.0, 3.0, 5.0]], [1], {}),
    ([[1.0, 1e-10]], [0], {}),  # A_0/a_0^2 = 1 against S/s^2 = 1/(1 + 1e-10)^2: the diagonal cancels
    ([[1.0, 2.0**-40, 3e-30]], [0], {}),
    ([[0.5, 0.25, 0.25], [7.0, 1e-300, 3.0]], [[0.5, 0.25, 0.25], [0.7, 0.0, 0.3]], {}),  # A_i/a_i^2 = S/s^2 exactly
    ([[3.0, 1.0, 0.0], [1e300, 1e300, 2e299]], [[0.2, 0.8, 0.0], [0.3, 0.3, 0.4]], {"weight": (0.5, 2.0, 3.0)}),
    ([[0.2, 0.3, 0.6], [4.0, 4.0, 1.0]], [2, 0], {"label_smoothing": 0.2, "weight": (1.0, 0.3, 2.0)}),
    ([[0.2, 0.3, 0.6], [4.0, 4.0, 1.0]], [2, 0], {"ignore_index": 0}),
    ([0.1, 0.7, 0.25], [0.2, 0.3, 0.5], {}),
]


@pytest.mark.parametrize("reduction", ["sum", "mean", "none"])
@pytest.mark.parametrize("pred, target, params", NORMALIZE_CASES, ids=[str(i) for i in range(len(NORMALIZE_CASES))])
def test_ce_normalized_probabilities_hessian(pred, target, params, reduction):
    rec = get("ce")
    got = rec.derivative(pred, target, order=2, normalize=True, reduction=reduction, **params)
    a = np.atleast_2d(np.asarray(pred, dtype=np.float64))
    t = np.asarray(target, dtype=np.float64)
    t = t.reshape(a.shape) if t.ndim == np.ndim(pred) else t.reshape(-1)
    c = a.shape[-1]
    got = got.reshape(-1, c, c)
    np.testing.assert_array_equal(got, np.swapaxes(got, -1, -2))
    keep = [True] * a.shape[0] if t.ndim == 2 else [int(v) != params.get("ignore_index", -100) for v in t]
    w = params.get("weight")
    with mp.workprec(PREC):
        if reduction == "mean":
            if t.ndim == 2:
                den = mp.mpf(a.shape[0])
            else:
                den = mp.fsum((mpf(w[int(v)]) if w else 1) for v, k in zip(t, keep) if k)
        else:
            den = mp.mpf(1)
        for m in range(a.shape[0]):
            A = _ce_coeffs_mp(t[m], c, w, params.get("label_smoothing", 0.0)) if keep[m] else [Z] * c
            H = _normalized_reference([mpf(v) for v in a[m]], A)
            if not keep[m]:
                assert (got[m] == 0).all()
            else:
                _check_block(got[m], H, den, m)


def test_ce_normalized_reference_is_the_second_derivative():
    A = [mp.mpf("0.2"), mp.mpf("0.5"), mp.mpf("0.3")]
    a0 = (mp.mpf(2), mp.mpf("0.5"), mp.mpf(3))

    def loss(*a):
        s = mp.fsum(a)
        return -mp.fsum(Ai * mp.log(ai / s) for Ai, ai in zip(A, a))

    with mp.workprec(200):
        H = _normalized_reference(list(a0), A)
        for i in range(3):
            for j in range(3):
                order = tuple(int(k == i) + int(k == j) for k in range(3))
                assert abs(mp.diff(loss, a0, order) - H[i][j]) < mp.mpf(10) ** -30


@pytest.mark.parametrize("target", [[[0.4, 0.6, 1.0]], [[2.0, 3.0, 5.0]], [[0.1, 0.1, 0.0]]])
def test_ce_logits_normalize_uses_the_normalized_target(target):
    """With soft targets that do not sum to 1, normalize divides them by their sum (as the loss does), so
    S = 1 in S (diag(p) - p p^T)."""
    z = [[1.0, -2.0, 0.5]]
    got = get("ce").derivative(z, target, order=2, logits=True, normalize=True, reduction="sum")
    with mp.workprec(PREC):
        H = _ce_reference([mpf(v) for v in z[0]], _ce_coeffs_mp(target[0], 3, normalize=True))
        _check_block(got[0], H, mp.mpf(1), 0)


def test_ce_with_probabilities_hessian_is_diagonal():
    p = np.array([[0.2, 0.3, 0.5]])
    got = get("ce").derivative(p, [1], order=2, reduction="sum")
    assert got.shape == (1, 3, 3)
    off = got[0] * (1 - np.eye(3))
    assert (off == 0).all() and got[0, 0, 0] == got[0, 2, 2] == 0.0
    with mp.workprec(PREC):
        assert ulp_error(got[0, 1, 1], 1 / mpf(0.3) ** 2) <= 1.0  # -log p: 1/p^2 at the target class


def test_l1_and_hinge_kinks_follow_pytorchs_double_backward():
    """l1''(0) = 0 (abs), huber'' and smooth_l1'' = 0 at |r| = delta, beta; squared_hinge'' = 2 at the
    margin (clamp passes the boundary): torch 2.13's double backward."""
    assert get("l1").derivative([0.0], [0.0], order=2, reduction="sum")[0] == 0.0
    assert get("huber").derivative([1.0, -1.0], [0.0, 0.0], order=2, reduction="sum").tolist() == [0.0, 0.0]
    assert get("smooth_l1").derivative([1.0], [0.0], order=2, reduction="sum")[0] == 0.0
    assert get("squared_hinge").derivative([1.0, 2.0], [1.0, 1.0], order=2, reduction="sum").tolist() == [2.0, 0.0]


@pytest.mark.parametrize("name", ["nll", "kl", "js", "cosine"])
def test_losses_without_a_second_derivative_say_so(name):
    with pytest.raises(ParameterError, match="has no second derivative"):
        get(name).derivative([[0.5, 0.5]], [[0.5, 0.5]], order=2)


def test_nan_propagates_and_no_warnings():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        h = get("ce").derivative([[np.nan, 0.0], [1.0, 2.0]], [0, 1], order=2, logits=True, reduction="none")
        assert np.isnan(h[0]).all() and np.isfinite(h[1]).all()
        g = get("huber").derivative([1e308, -1e308, np.nan], [-1e308, 1e308, 0.0], order=2, reduction="none")
        assert g[:2].tolist() == [0.0, 0.0] and np.isnan(g[2])
        assert np.isnan(get("bce").derivative([np.nan], [0.5], order=2, logits=True)[0])


def test_ce_hessians_too_large_are_refused_before_anything_is_computed():
    big = np.broadcast_to(np.zeros(1), (30000, 3000))  # no memory behind it: only a refusal can be quick
    with pytest.raises(ShapeError, match=r"30,000 samples of 3,000 classes .* give fewer samples"):
        get("ce").derivative(big, np.zeros(30000), logits=True, order=2)
    with pytest.raises(ShapeError, match="classes"):
        get("ce").derivative(np.broadcast_to(np.zeros(1), (10, 3000, 3000)), np.zeros((10, 3000)), logits=True, order=2)
