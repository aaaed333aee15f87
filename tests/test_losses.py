"""Loss kernels against mpmath at high precision; gradients against high-precision finite differences.

The mpmath references below are written from the definitions (PyTorch's
conventions for weights, label smoothing and reductions), independently of
the kernels' rearrangements for accuracy.
"""

from __future__ import annotations

import math
import subprocess
import sys

import mpmath as mp
import numpy as np
import pytest

from actloss import _losses, registry
from actloss.errors import InputError, ParameterError, ShapeError

mp.mp.prec = 320
H = mp.mpf("1e-40")  # finite-difference step at 320 bits: truncation ~1e-80, rounding ~1e-56

LOSSES = registry.load().names("loss")


def M(x) -> mp.mpf:
    return mp.mpf(float(x))


def sig(x):
    return 1 / (1 + mp.exp(-x))


def xlogy(a, b):
    return mp.mpf(0) if a == 0 else a * mp.log(b)


# ---------------------------------------------------------------------------
# references: the loss per item (element or sample), from the definitions
# ---------------------------------------------------------------------------

def _labels(t):
    return t if all(v in (-1, 1) for v in t) else [2 * v - 1 for v in t]


def ref_elementwise(name, p, t, prm):
    """Per-element losses of flat mp lists p and t."""
    if name in ("hinge", "squared_hinge"):
        y = _labels([float(v) for v in t])
        m = [max(mp.mpf(0), 1 - M(yi) * pi) for yi, pi in zip(y, p)]
        return m if name == "hinge" else [v * v for v in m]
    out = []
    for pi, ti in zip(p, t):
        r = pi - ti
        if name in ("mse", "l2"):
            v = r * r
        elif name == "l1":
            v = abs(r)
        elif name == "huber":
            d = M(prm["delta"])
            v = r * r / 2 if abs(r) < d else d * (abs(r) - d / 2)
        elif name == "smooth_l1":
            b = M(prm["beta"])
            v = abs(r) if b == 0 else (r * r / (2 * b) if abs(r) < b else abs(r) - b / 2)
        elif name == "log_cosh":
            v = mp.log(mp.cosh(r))
        elif name == "gaussian_nll":
            var = M(max(prm["var"], prm["eps"]))
            v = (mp.log(var) + r * r / var) / 2 + (mp.log(2 * mp.pi) / 2 if prm["full"] else 0)
        elif name == "poisson_nll":
            v = mp.exp(pi) - ti * pi if prm["log_input"] else pi - ti * mp.log(pi + M(prm["eps"]))
            if prm["full"] and ti > 1:
                v += ti * mp.log(ti) - ti + mp.log(2 * mp.pi * ti) / 2
        elif name in ("bce", "focal"):
            q = sig(pi) if prm["logits"] else pi
            ce = -(xlogy(ti, q) + xlogy(1 - ti, 1 - q))
            if name == "bce":
                v = ce
            else:
                pt = q * ti + (1 - q) * (1 - ti)
                a = M(prm["alpha"])
                at = a * ti + (1 - a) * (1 - ti) if prm["alpha"] >= 0 else 1
                v = at * ce * (1 - pt) ** M(prm["gamma"])
        else:
            raise KeyError(name)
        out.append(v)
    return out


def ref_rows(name, P, T, prm):
    """Per-sample losses and the 'mean' denominator of 2-D mp lists (T: rows, or class indices)."""
    items = []
    den = mp.mpf(0)
    for prow, trow in zip(P, T):
        c = len(prow)
        if name in ("ce", "nll"):
            w = [M(v) for v in prm.get("weight") or [1.0] * c]
            if name == "nll":
                logp = prow
            elif prm["logits"]:
                lse = mp.log(mp.fsum(mp.exp(z) for z in prow))
                logp = [z - lse for z in prow]
            else:
                logp = [mp.log(v) if v > 0 else mp.ninf for v in prow]
            eps = M(prm.get("label_smoothing", 0.0))
            if isinstance(trow, int):  # class index: (1 - eps)·nll + eps/C·smooth, as PyTorch
                nll = -w[trow] * logp[trow]
                smooth = -mp.fsum(wc * lp for wc, lp in zip(w, logp)) if eps else 0
                items.append((1 - eps) * nll + eps / c * smooth)
                den += w[trow]
            else:  # probabilities: targets mixed with the uniform distribution
                tt = [(1 - eps) * tc + eps / c for tc in trow]
                items.append(-mp.fsum(0 if tc == 0 else wc * tc * lp for wc, tc, lp in zip(w, tt, logp)))
                den += 1
        elif name == "kl":
            items.append(mp.fsum(0 if tc == 0 else tc * mp.log(tc / pc) for pc, tc in zip(prow, trow)))
            den += 1
        elif name == "js":
            m = [(pc + tc) / 2 for pc, tc in zip(prow, trow)]
            kl_t = mp.fsum(0 if tc == 0 else tc * mp.log(tc / mc) for tc, mc in zip(trow, m))
            kl_p = mp.fsum(0 if pc == 0 else pc * mp.log(pc / mc) for pc, mc in zip(prow, m))
            items.append((kl_t + kl_p) / 2)
            den += 1
        elif name == "cosine":
            dot = mp.fsum(a * b for a, b in zip(prow, trow))
            items.append(1 - dot / (mp.sqrt(mp.fsum(a * a for a in prow)) * mp.sqrt(mp.fsum(b * b for b in trow))))
            den += 1
        else:
            raise KeyError(name)
    return items, den


PER_SAMPLE = {"ce", "nll", "kl", "js", "cosine"}


def ref_loss(name, pred, target, prm, reduction, override=None):
    """The reduced loss in mpmath; ``override`` = (flat index, mp value) replaces one pred entry."""
    pred = np.asarray(pred, dtype=np.float64)
    target = np.asarray(target, dtype=np.float64)
    flat = [M(v) for v in pred.reshape(-1)]
    if override is not None:
        flat[override[0]] = override[1]
    if name in PER_SAMPLE:
        c = pred.shape[-1]
        P = [flat[i : i + c] for i in range(0, len(flat), c)]
        if target.shape == pred.shape:
            T = [[M(v) for v in row] for row in target.reshape(-1, c)]
        else:
            T = [int(v) for v in target.reshape(-1)]
        items, den = ref_rows(name, P, T, prm)
    else:
        items = ref_elementwise(name, flat, [M(v) for v in target.reshape(-1)], prm)
        den = mp.mpf(len(items))
    if reduction == "none":
        return items
    total = mp.fsum(items)
    return total if reduction == "sum" else total / den


def ref_grad(name, pred, target, prm, reduction):
    """Central differences of the mpmath loss (of the sum for 'none'), one pred entry at a time."""
    red = "sum" if reduction == "none" else reduction
    pred = np.asarray(pred, dtype=np.float64)
    out = []
    for k, v in enumerate(pred.reshape(-1)):
        x = M(v)
        hi = ref_loss(name, pred, target, prm, red, (k, x + H))
        lo = ref_loss(name, pred, target, prm, red, (k, x - H))
        out.append((hi - lo) / (2 * H))
    return out


def close(got, want, rel=1e-14, abs_=0.0):
    got = float(got)
    want = mp.mpf(want)
    if mp.isinf(want):
        return got == float(want)
    return abs(mp.mpf(got) - want) <= rel * abs(want) + abs_


def check(name, pred, target, rel=1e-14, grad_rel=1e-13, **given):
    rec = registry.get(name)
    prm = rec.bind(given)
    for reduction in ("mean", "sum", "none"):
        got = rec.value(pred, target, **{**given, "reduction": reduction})
        want = ref_loss(name, pred, target, prm, reduction)
        if reduction == "none":
            assert np.shape(got) == _item_shape(name, pred)
            for g, w in zip(np.ravel(got), want):
                assert close(g, w, rel), (name, reduction, float(g), w)
        else:
            assert close(got, want, rel), (name, reduction, float(got), want)
        g = rec.derivative(pred, target, **{**given, "reduction": reduction})
        assert g.shape == np.shape(pred)
        want_g = ref_grad(name, pred, target, prm, reduction)
        scale = max(abs(w) for w in want_g)
        for a, b in zip(g.reshape(-1), want_g):
            assert close(a, b, grad_rel, abs_=1e-15 * scale), (name, reduction, float(a), b)


def _item_shape(name, pred):
    s = np.shape(pred)
    return s[:-1] if name in PER_SAMPLE else s


RNG = np.random.default_rng(20261127)


def _dist(n, c):
    x = RNG.uniform(0.05, 1.0, size=(n, c))
    x = x / x.sum(axis=1, keepdims=True)
    return x


# ---------------------------------------------------------------------------
# every loss against mpmath, every reduction, value and gradient
# ---------------------------------------------------------------------------

REG_PRED = RNG.normal(size=(3, 4)) * 2
REG_TARGET = RNG.normal(size=(3, 4))


@pytest.mark.parametrize("name, params", [
    ("mse", {}), ("l1", {}), ("l2", {}), ("huber", {}), ("huber", {"delta": 0.7}),
    ("smooth_l1", {}), ("smooth_l1", {"beta": 0.4}), ("smooth_l1", {"beta": 0}),
    ("log_cosh", {}), ("gaussian_nll", {}), ("gaussian_nll", {"var": 0.3, "full": True}),
    ("poisson_nll", {}), ("poisson_nll", {"full": True}),
])
def test_regression_losses(name, params):
    target = np.abs(REG_TARGET) * 2 if name == "poisson_nll" else REG_TARGET
    check(name, REG_PRED, target, **params)


def test_poisson_rate_input():
    pred = RNG.uniform(0.1, 4.0, size=6)
    target = np.array([0.0, 1.0, 2.0, 3.0, 5.0, 7.0])
    check("poisson_nll", pred, target, log_input=False, full=True)


@pytest.mark.parametrize("name", ["hinge", "squared_hinge"])
@pytest.mark.parametrize("labels", [[-1, 1, 1, -1, 1, -1], [0, 1, 1, 0, 1, 0]])
def test_margin_losses(name, labels):
    pred = np.array([0.3, -0.4, 2.5, -1.7, 0.9, 0.2])
    check(name, pred, np.array(labels, dtype=float))


@pytest.mark.parametrize("logits", [False, True])
def test_bce(logits):
    p = RNG.uniform(0.02, 0.98, size=(2, 3))
    pred = np.log(p) - np.log1p(-p) if logits else p
    target = np.array([[1.0, 0.0, 1.0], [0.3, 0.0, 0.75]])
    check("bce", pred, target, logits=logits)


@pytest.mark.parametrize("params", [{}, {"gamma": 0.5, "alpha": 0.6}, {"gamma": 0, "alpha": -1}, {"gamma": 3.0, "alpha": 1.0}])
@pytest.mark.parametrize("logits", [False, True])
def test_focal(params, logits):
    p = np.array([0.1, 0.45, 0.7, 0.93, 0.35, 0.6])
    pred = np.log(p) - np.log1p(-p) if logits else p
    target = np.array([1.0, 0.0, 1.0, 0.0, 0.4, 1.0])
    check("focal", pred, target, logits=logits, **params)


@pytest.mark.parametrize("logits", [False, True])
@pytest.mark.parametrize("params", [{}, {"label_smoothing": 0.1}, {"weight": (0.5, 2.0, 1.0, 3.0)},
                                    {"weight": (0.5, 2.0, 1.0, 3.0), "label_smoothing": 0.2}])
def test_ce_class_indices(logits, params):
    probs = _dist(3, 4)
    pred = np.log(probs) + 1.5 if logits else probs
    check("ce", pred, np.array([2.0, 0.0, 3.0]), logits=logits, **params)


@pytest.mark.parametrize("logits", [False, True])
@pytest.mark.parametrize("params", [{}, {"label_smoothing": 0.15}, {"weight": (0.5, 2.0, 1.0)}])
def test_ce_distributions(logits, params):
    probs = _dist(2, 3)
    pred = np.log(probs) - 0.5 if logits else probs
    target = np.array([[0.0, 1.0, 0.0], [0.2, 0.5, 0.3]])
    check("ce", pred, target, logits=logits, **params)


def test_ce_single_sample_and_nd():
    check("ce", np.array([0.2, 0.5, 0.3]), np.array(1.0))
    rows = _dist(4, 3)
    idx = np.array([0.0, 2.0, 1.0, 1.0])
    check("ce", rows, idx)
    # PyTorch's layout (N, C, d1): the same four samples as N = 2, d1 = 2, classes on axis 1
    nd = np.ascontiguousarray(np.moveaxis(rows.reshape(2, 2, 3), -1, 1))
    for logits in (False, True):
        for red in ("none", "mean", "sum"):
            a = _losses.ce(nd, idx.reshape(2, 2), reduction=red, logits=logits)
            b = _losses.ce(rows, idx, reduction=red, logits=logits)
            assert np.array_equal(np.ravel(a), np.ravel(b))
            ga = _losses.ce_grad(nd, idx.reshape(2, 2), reduction=red, logits=logits)
            gb = _losses.ce_grad(rows, idx, reduction=red, logits=logits)
            assert ga.shape == nd.shape and np.array_equal(np.moveaxis(ga, 1, -1).reshape(4, 3), gb)


@pytest.mark.parametrize("params", [{}, {"weight": (1.0, 0.25, 4.0)}])
def test_nll(params):
    pred = np.log(_dist(3, 3))
    check("nll", pred, np.array([1.0, 2.0, 0.0]), **params)


@pytest.mark.parametrize("name", ["kl", "js"])
def test_divergences(name):
    pred, target = _dist(3, 4), _dist(3, 4)
    target[1] = [0.0, 0.5, 0.25, 0.25]
    check(name, pred, target)


def test_cosine():
    check("cosine", RNG.normal(size=(3, 5)), RNG.normal(size=(3, 5)))


def test_every_loss_is_tested_here():
    tested = {"mse", "l1", "l2", "huber", "smooth_l1", "log_cosh", "gaussian_nll", "poisson_nll", "hinge",
              "squared_hinge", "bce", "focal", "ce", "nll", "kl", "js", "cosine"}
    # against mpmath in tests/test_loss_accuracy.py only, with their conventions below
    swept = {"quantile", "soft_margin", "multilabel_soft_margin", "multi_margin", "dice"}
    assert set(LOSSES) == tested | swept


def test_new_loss_conventions():
    # quantile: r = y - ŷ; the tie splits the gradient as torch.maximum does
    assert _losses.quantile([0.0, 2.0, 1.0], [1.0, 1.0, 1.0], reduction="none", tau=0.9).tolist() == [0.9, 0.09999999999999998, 0.0]
    assert _losses.quantile_grad([0.0, 2.0, 1.0], [1.0, 1.0, 1.0], reduction="sum", tau=0.9).tolist() == [-0.9, 0.09999999999999998, -0.4]
    # soft_margin maps 0/1 labels like hinge; at margin 0 it is log 2
    assert _losses.soft_margin([0.0], [0.0]) == math.log(2.0)
    # multi_margin: PyTorch's sum over the wrong classes divided by C, weight of the true class
    v = _losses.multi_margin([[0.1, 0.2, 0.4, 0.8]], [3.0])
    assert abs(v - (0.3 + 0.4 + 0.6) / 4) < 1e-15
    assert _losses.multi_margin_grad([[0.0, 1.0]], [1.0]).tolist() == [[0.0, 0.0]]  # violation exactly 0: gradient 0
    # dice with the default smooth 1: an empty prediction of an empty mask scores 0
    assert _losses.dice([[0.0, 0.0]], [[0.0, 0.0]]) == 0.0
    assert math.isnan(_losses.dice([[0.0, 0.0]], [[0.0, 0.0]], smooth=0.0))


# ---------------------------------------------------------------------------
# the hard conventions
# ---------------------------------------------------------------------------

def test_ce_logits_of_1000_are_exact():
    ce = registry.get("ce")
    pred = np.array([[1000.0, -1000.0], [-1000.0, 1000.0]])
    assert ce.value(pred, [0, 0], logits=True, reduction="none").tolist() == [0.0, 2000.0]
    assert float(ce.value(pred, [0, 0], logits=True)) == 1000.0
    assert ce.derivative(pred, [0, 0], logits=True).tolist() == [[0.0, 0.0], [-0.5, 0.5]]
    # the gradient of the true class is -(1 - softmax) without cancellation
    g = ce.derivative([[40.0, 0.0]], [0], logits=True)
    assert close(g[0, 0], -sig(mp.mpf(-40)), 1e-15) and close(g[0, 1], sig(mp.mpf(-40)), 1e-15)


def test_ce_logits_gradient_is_softmax_minus_onehot_over_n():
    z = np.array([[2.0, -1.0, 0.5], [0.1, 0.2, 0.3]])
    g = registry.get("ce").derivative(z, [0, 2], logits=True)
    sm = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    assert np.allclose(g, (sm - np.eye(3)[[0, 2]]) / 2, rtol=1e-14, atol=0)


def test_log_zero_is_infinite_not_clamped():
    ce, bce = registry.get("ce"), registry.get("bce")
    assert ce.value([[0.0, 1.0]], [0]) == math.inf
    assert ce.derivative([[0.0, 1.0]], [0]).tolist() == [[-math.inf, 0.0]]
    assert bce.value([0.0], [1.0]) == math.inf
    # 0·log 0 = 0: a zero probability on a zero-target class costs nothing
    assert ce.value([[0.0, 1.0]], [1]) == 0.0
    assert bce.value([0.0, 1.0], [0.0, 1.0]) == 0.0
    assert registry.get("kl").value([[0.5, 0.5]], [[1.0, 0.0]]) == math.log(2.0)
    assert registry.get("kl").value([[1.0, 0.0]], [[0.5, 0.5]]) == math.inf


def test_bce_logits_tails():
    bce = registry.get("bce")
    got = bce.value([40.0, -40.0, 800.0, -800.0], [1.0, 0.0, 0.0, 1.0], logits=True, reduction="none")
    want = [mp.log1p(mp.exp(-40)), mp.log1p(mp.exp(-40)), 800, 800]
    assert all(close(a, b, 1e-15) for a, b in zip(got, want))
    g = bce.derivative([40.0, -40.0], [1.0, 0.0], logits=True, reduction="sum")
    assert close(g[0], -sig(mp.mpf(-40)), 1e-15) and close(g[1], sig(mp.mpf(-40)), 1e-15)


def test_pytorch_weighted_mean_conventions():
    ce = registry.get("ce")
    p = [[0.7, 0.2, 0.1], [0.1, 0.8, 0.1]]
    w = "1,3,1"
    # class indices: weighted sum / sum of the targets' weights
    assert close(ce.value(p, [0, 1], weight=w), (-mp.log(M(0.7)) - 3 * mp.log(M(0.8))) / 4)
    # the same targets as one-hot distributions: divided by the number of samples
    assert close(ce.value(p, np.eye(3)[[0, 1]], weight=w), (-mp.log(M(0.7)) - 3 * mp.log(M(0.8))) / 2)


def test_kl_batchmean_is_mean_over_samples():
    kl = registry.get("kl")
    pred, target = _dist(4, 3), _dist(4, 3)
    assert kl.value(pred, target, reduction="batchmean") == kl.value(pred, target)
    per = kl.value(pred, target, reduction="none")
    assert per.shape == (4,)
    assert close(kl.value(pred, target), mp.fsum(M(v) for v in per) / 4, 1e-15)


def test_kl_js_cosine_are_accurate_when_nearly_equal():
    pred = np.array([[0.3, 0.3, 0.4]])
    target = np.array([[0.3 + 1e-9, 0.3, 0.4 - 1e-9]])
    for name in ("kl", "js"):
        want = ref_loss(name, pred, target, {}, "mean")
        assert close(registry.get(name).value(pred, target), want, 1e-12), name
    a = np.array([[1.0, 2.0, 3.0]])
    b = np.array([[1.0, 2.0, 3.0 + 1e-7]])
    assert close(registry.get("cosine").value(a, b), ref_loss("cosine", a, b, {}, "mean"), 1e-8)


def test_log_cosh_tails():
    lc = registry.get("log_cosh")
    x = np.array([1e-10, 1e-3, 0.5, 0.999, 1.0, 30.0, 1000.0, -1e6])
    got = lc.value(x, np.zeros_like(x), reduction="none")
    for g, v in zip(got, x):
        want = mp.log(mp.cosh(M(v)))
        assert close(g, want, 4e-16), (v, float(g), want)


def test_limits_and_identities():
    r = registry.get
    x, y = REG_PRED, REG_TARGET
    assert r("smooth_l1").value(x, y, beta=0) == r("l1").value(x, y)
    assert close(r("l2").value(x, y), mp.fsum(M(v) for v in ((x - y) ** 2).ravel()), 1e-15)
    assert r("l2").value(x, y, reduction="mean") == r("mse").value(x, y)
    p = np.array([0.2, 0.7, 0.9])
    t = np.array([1.0, 0.0, 1.0])
    at = 0.25 * t + 0.75 * (1 - t)
    assert np.allclose(r("focal").value(p, t, gamma=0, reduction="none"), at * r("bce").value(p, t, reduction="none"), rtol=1e-15)
    z = RNG.normal(size=(3, 4))
    lp = _losses.log_softmax(z)
    assert close(r("nll").value(lp, [1, 0, 3]), ref_loss("ce", z, [1, 0, 3], {"logits": True}, "mean"), 1e-14)


def test_hinge_at_margin_one_follows_pytorch_clamp():
    # torch.clamp(1 - y*pred, min=0) passes the gradient where 1 - y*pred == 0 exactly
    g = _losses.hinge_grad(np.array([1.0, -1.0, 1.0, 0.5]), np.array([1.0, -1.0, -1.0, 1.0]))
    assert g.tolist() == [-0.25, 0.25, 0.25, -0.25]
    assert _losses.hinge_grad(np.array([1.0000000000000002]), np.array([1.0])).tolist() == [0.0]
    # squared hinge: the gradient -2y·max(m, 0) is 0 there either way
    assert _losses.squared_hinge_grad(np.array([1.0]), np.array([1.0])).tolist() == [0.0]


def test_hinge_maps_zero_one_labels():
    h = registry.get("hinge")
    pred = [0.5, -2.0, 3.0]
    assert h.value(pred, [1, 0, 0], reduction="none").tolist() == h.value(pred, [1, -1, -1], reduction="none").tolist()
    assert _losses.parts("hinge", pred, [1, 0, 0]).conventions == ["labels {0, 1} mapped to {-1, 1}"]


# ---------------------------------------------------------------------------
# errors: one line, naming shapes and the fix
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("name, pred, target, params, error, text", [
    ("mse", [[1, 2, 3], [4, 5, 6]], [1, 2], {}, ShapeError, "expected pred and target of the same shape, got (2, 3) and (2,)"),
    ("ce", [[0.1, 0.9], [0.5, 0.2]], [1, 0], {}, InputError, "pred rows must sum to 1 (row 2 sums to 0.7; --normalize divides each row by its sum); pass --logits if these are raw scores"),
    ("ce", [[2.0, -1.0]], [0], {}, InputError, "pred holds 2 (row 1), outside [0, 1]; pass --logits if these are raw scores"),
    ("ce", [[0.1, 0.9], [0.5, 0.5]], [1, 0, 1], {}, ShapeError, "expected target class indices of shape (2,) or class probabilities of shape (2, 2), got (3,)"),
    ("ce", [[0.1, 0.9]], [2], {}, InputError, "target class index 2 is out of range for 2 classes (valid: 0 to 1)"),
    ("ce", [[0.1, 0.9]], [0.5], {}, InputError, "target 0.5 is not a class index"),
    ("ce", [[0.1, 0.9]], [[0.5, 0.6]], {}, InputError, "target rows must sum to 1 (row 1 sums to 1.1; --normalize divides each row by its sum)"),
    ("ce", [0.1, 0.9], 1, {"weight": "1,2,3"}, ShapeError, "--weight has 3 numbers but pred has 2 classes"),
    ("ce", 0.5, 1, {}, ShapeError, "for one binary probability use bce"),
    ("bce", [1.5], [1], {}, InputError, "pred holds 1.5, outside [0, 1]; pass --logits if these are raw scores"),
    ("bce", [0.5], [2], {}, InputError, "target holds 2, outside [0, 1]"),
    ("nll", [[0.1, 0.9]], [1], {}, InputError, "nll takes log-probabilities"),
    ("nll", [[-0.1, -0.2]], [1], {}, InputError, "exp(row 1 of pred) sums to"),
    ("nll", [[-0.5, -0.9]], [[0.0, 1.0]], {}, ShapeError, "for class probabilities use ce"),
    ("kl", [0.5, 0.5], [0.9, 0.2], {}, InputError, "target must sum to 1 (it sums to 1.1; --normalize divides each row by its sum)"),
    ("kl", 0.5, 0.5, {}, ShapeError, "kl compares vectors along the last axis"),
    ("hinge", [1.0, 2.0], [0.5, 1.0], {}, InputError, "hinge labels must be -1 or 1"),
    ("hinge", [1.0, 2.0], [-1.0, 0.0], {}, InputError, "mixes -1 and 0 labels"),
    ("cosine", [0.0, 0.0], [1.0, 1.0], {}, InputError, "pred is a zero vector"),
    ("poisson_nll", [1.0], [-1.0], {}, InputError, "poisson_nll targets are counts"),
    ("poisson_nll", [-1.0], [1.0], {"log_input": False}, InputError, "takes rates (≥ 0), got -1 in pred"),
    ("mse", [], [], {}, InputError, "pred is empty"),
])
def test_errors_name_shapes_and_fixes(name, pred, target, params, error, text):
    with pytest.raises(error) as info:
        registry.get(name).value(pred, target, **params)
    msg = info.value.cli_message()
    assert text in msg and "\n" not in msg
    assert "--" not in str(info.value)  # the library speaks Python: logits=True, weight


@pytest.mark.parametrize("name, params, text", [
    ("focal", {"alpha": -0.5}, "--alpha must be in [0, 1], or -1"),
    ("focal", {"gamma": -1}, "--gamma must be in [0, inf)"),
    ("ce", {"logits": "maybe"}, "--logits is a switch"),
    ("ce", {"label_smoothing": 1.5}, "--label-smoothing must be in [0, 1]"),
    ("ce", {"weight": "1,-2"}, "--weight must be in [0, inf)"),
    ("ce", {"reduction": "batchmean"}, "--reduction must be one of mean, sum, none"),
    ("huber", {"delta": 0}, "--delta must be in (0, inf)"),
    ("mse", {"delta": 1}, "mse does not take --delta; it takes --reduction"),
])
def test_parameter_errors(name, params, text):
    with pytest.raises(ParameterError, match=None) as info:
        registry.get(name).value([0.5, 0.5], [0.5, 0.5], **params)
    assert text in info.value.cli_message()
    assert text.replace("--", "").replace("-", "_").split(" ")[0] in str(info.value)
    assert "--" not in str(info.value)


# ---------------------------------------------------------------------------
# records: the contracts the cards and plots read
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("name", LOSSES)
def test_record_contract(name):
    rec = registry.get(name)
    assert rec.kind == "loss" and rec.shape == "loss"
    red = rec.param("reduction")
    assert red is not None and {"mean", "sum", "none"} <= set(red.choices)
    for lang in ("en", "zh"):
        assert rec.notes[lang]["pros"] and rec.notes[lang]["cons"], (name, lang)
    assert set(rec.equivalents) == {"torch", "jax", "keras"}
    assert all(rec.equivalents.values())
    if name in ("mse", "l1", "l2", "ce", "kl"):
        assert rec.corrections["en"] and len(rec.corrections["en"]) == len(rec.corrections["zh"])
    plot = rec.plot
    assert plot.x in ("probability", "residual", "margin") and plot.xlabel
    assert rec.per in ("element", "sample") and rec.properties["per"] == rec.per
    t = np.linspace(*rec.plot_range, 7)
    params = rec.bind({})
    pred, target = plot.make(t, **params)
    params["reduction"] = "none"
    y = rec.value(pred, target, **params)
    assert np.shape(y) == (7,)
    if "logits" in params:
        params["logits"] = True
        pred2, target2 = plot.make(t, **params)
        y2 = rec.value(pred2, target2, **params)
        inner = slice(1, -1)
        assert np.allclose(y[inner], y2[inner], rtol=1e-12)


def test_l2_card_states_optax_half():
    eq = registry.get("l2").equivalents["jax"]
    assert "half" in eq and "l2_loss" in eq
    assert "batchmean" in registry.get("kl").equivalents["torch"]


def test_latex_is_valid_mathtext():
    mathtext = pytest.importorskip("matplotlib.mathtext")
    parser = mathtext.MathTextParser("path")
    for name in LOSSES:
        rec = registry.get(name)
        for f in (rec.formula, rec.derivative_formula):
            for banned in (r"\begin", r"\text", r"\operatorname"):
                assert banned not in f.latex, name
            parser.parse(f"${f.latex}$")


def test_aliases():
    for alias, name in [("mae", "l1"), ("cross_entropy", "ce"), ("categorical_crossentropy", "ce"), ("kl_div", "kl"),
                        ("kld", "kl"), ("sse", "l2"), ("binary_cross_entropy", "bce"), ("MSE", "mse")]:
        assert registry.get(alias).name == name


def test_records_import_without_numpy():
    code = "import sys, actloss.losses, actloss.registry as r; r.load(); assert 'numpy' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_cancelling_cases_are_exact():
    # nearly parallel vectors: 1 - cos and its gradient without cancellation
    g = _losses.cosine_grad(np.array([[1.0, 1e-8, 0.0]]), np.array([[1.0, 0.0, 0.0]]))
    assert g[0, 0] == -1e-16
    assert _losses.cosine(np.array([[1.0, 2.0, 3.0]]), np.array([[1.0, 2.0, 3.0000001]])) == 1.2755101452419653e-16
    # js: finite gradient for a tiny predicted probability (½·log(2ŷ/(ŷ + y)))
    gj = _losses.js_grad(np.array([[1e-300, 1.0]]), np.array([[0.5, 0.5]]), reduction="sum")
    want = 0.5 * (math.log(2e-300) - math.log(0.5 + 1e-300))
    assert abs(gj[0, 0] - want) <= 4 * math.ulp(want)
    # poisson_nll on rates: log(ŷ + ε) of the exact sum, also for single numbers
    from fractions import Fraction

    gp = float(_losses.poisson_nll_grad(1.0, 1.0, log_input=False, eps=1e-8))
    e = Fraction(1e-8)
    assert gp == float(1 - 1 / (1 + e))  # 1 - y/(ŷ + ε) with ŷ + ε exact, correctly rounded


def test_every_loss_kernel_registers_itself():
    """@loss_kernel makes NAME and NAME_grad of every loss record's kernel, and nothing else."""
    from actloss import _losses

    kernels = {r.kernel.partition(":")[2] for r in registry.load() if r.kind == "loss"}
    assert set(_losses.PARTS) == kernels
    for name in kernels:
        assert callable(getattr(_losses, name)) and callable(getattr(_losses, name + "_grad"))
    assert _losses.l2([1.0, 2.0], [0.0, 0.0]) == 5.0  # the record's default reduction: sum
    assert _losses.mse([1.0, 2.0], [0.0, 0.0]) == 2.5
