"""mpmath references for the losses, from their mathematical definitions.

Every reference takes the exact binary values of the float64 inputs
(``mpf(float)`` is exact) and evaluates the textbook definition at ``PREC``
bits; parameters are their float64 values. Nothing here calls actloss or
repeats its rearrangements: log-sum-exp is just log(Σ exp), 1 - cos is just
1 - dot/(|a||b|), and the precision is high enough that the cancellations
those forms suffer in float64 do not matter.

* ``unit_loss(name, prm, p, t)``: the loss of one unit (one element for
  elementwise losses: p and t are mpf; one sample for row losses: p is a
  list, t a list or a class index).
* ``denominator(name, prm, units)``: what PyTorch's 'mean' divides by.
* ``derivative(f, x, lo, hi)``: df/dx by central differences at PREC bits
  with a step of |x|·2**-300 (one-sided at the ends of the domain [lo, hi]);
  returns (value, is_kink): a kink is where the one-sided differences differ.
"""

from __future__ import annotations

import math

import mpmath
from mpmath import mp

PREC = 3600
STEP = mp.mpf(2) ** -300
ZERO_STEP = mp.mpf(2) ** -1400


def mpf(x) -> mpmath.mpf:
    return mp.mpf(float(x))


def sig(x):
    return 1 / (1 + mp.exp(-x))


def xlogy(a, b):
    return mp.mpf(0) if a == 0 else a * mp.log(b)


def signed(t: float, all_targets) -> float:
    """Labels: -1/1 as given; 0/1 mapped to -1/1 (when every target is 0 or 1)."""
    if all(v in (-1.0, 1.0) for v in all_targets):
        return t
    return 2 * t - 1


def unit_loss(name, prm, p, t, labels=None):
    """The loss of one unit (see the module docstring)."""
    if name in ("mse", "l2"):
        return (p - t) ** 2
    if name == "l1":
        return abs(p - t)
    if name == "huber":
        r, d = abs(p - t), mpf(prm["delta"])
        return r * r / 2 if r < d else d * (r - d / 2)
    if name == "smooth_l1":
        r, b = abs(p - t), mpf(prm["beta"])
        if b == 0:
            return r
        return r * r / (2 * b) if r < b else r - b / 2
    if name == "log_cosh":
        return mp.log(mp.cosh(p - t))
    if name == "gaussian_nll":
        v = mpf(max(prm["var"], prm["eps"]))
        out = (mp.log(v) + (p - t) ** 2 / v) / 2
        return out + (mp.log(2 * mp.pi) / 2 if prm["full"] else 0)
    if name == "poisson_nll":
        if prm["log_input"]:
            out = mp.exp(p) - t * p
        else:
            out = p - xlogy(t, p + mpf(prm["eps"]))
        if prm["full"] and t > 1:
            out += t * mp.log(t) - t + mp.log(2 * mp.pi * t) / 2
        return out
    if name in ("hinge", "squared_hinge"):
        m = max(mp.mpf(0), 1 - mpf(labels) * p)
        return m if name == "hinge" else m * m
    if name == "soft_margin":
        return mp.log(1 + mp.exp(-mpf(labels) * p))
    if name == "quantile":
        r, tau = t - p, mpf(prm["tau"])
        return max(tau * r, (tau - 1) * r)
    if name in ("bce", "focal"):
        if prm["logits"]:
            q, q1 = sig(p), sig(-p)
        else:
            q, q1 = p, 1 - p
        if name == "bce":
            pw = mpf(prm.get("pos_weight_c", 1.0))
            return -(pw * xlogy(t, q) + xlogy(1 - t, q1))
        ce = -(xlogy(t, q) + xlogy(1 - t, q1))
        u = t * q1 + (1 - t) * q  # 1 - p_t
        a = mpf(prm["alpha"])
        at = a * t + (1 - a) * (1 - t) if prm["alpha"] >= 0 else 1
        g = mpf(prm["gamma"])
        mod = (u ** g) if g != 0 else 1
        return at * ce * mod
    if prm.get("normalize") and name in ("ce", "kl", "js"):
        # --normalize: each row divided by its (exact) sum and rounded to float64; the loss is that of
        # the rounded rows, its gradient goes through the division (d n_j/d x_i = (δ_ij - n_j)/Σx)
        def rounded(row):  # as float64 does it: the correctly rounded sum (math.fsum), one division
            s = math.fsum(float(v) for v in row)
            return [mpf(float(v) / s) for v in row]

        if name != "ce" or not prm.get("logits"):
            p = _normalized_with_gradient(p, rounded)
        if not isinstance(t, int):
            t = rounded(t)
        return unit_loss(name, {**prm, "normalize": False}, p, t, labels)
    if name in ("ce", "nll"):
        c = len(p)
        w = [mpf(v) for v in (prm.get("weight") or [1.0] * c)]
        if name == "nll":
            logp = p
        elif prm["logits"]:
            lse = mp.log(mp.fsum(mp.exp(z) for z in p))
            logp = [z - lse for z in p]
        else:
            logp = [mp.log(v) if v > 0 else mp.ninf for v in p]
        eps = mpf(prm.get("label_smoothing", 0.0))
        if isinstance(t, int):
            if t == prm.get("ignore_index", -100):
                return mp.mpf(0)
            out = -w[t] * logp[t]
            if eps:
                out = (1 - eps) * out - eps / c * mp.fsum(wc * lp for wc, lp in zip(w, logp))
            return out
        tt = [(1 - eps) * tc + eps / c for tc in t]
        return -mp.fsum(0 if tc == 0 else wc * tc * lp for wc, tc, lp in zip(w, tt, logp))
    if name == "kl":
        return mp.fsum(0 if tc == 0 else (mp.inf if pc == 0 else tc * mp.log(tc / pc)) for pc, tc in zip(p, t))
    if name == "js":
        m = [(pc + tc) / 2 for pc, tc in zip(p, t)]
        kt = mp.fsum(0 if tc == 0 else tc * mp.log(tc / mc) for tc, mc in zip(t, m))
        kp = mp.fsum(0 if pc == 0 else pc * mp.log(pc / mc) for pc, mc in zip(p, m))
        return (kt + kp) / 2
    if name == "cosine":
        dot = mp.fsum(a * b for a, b in zip(p, t))
        return 1 - dot / (mp.sqrt(mp.fsum(a * a for a in p)) * mp.sqrt(mp.fsum(b * b for b in t)))
    if name == "multilabel_soft_margin":
        c = len(p)
        w = [mpf(v) for v in (prm.get("weight") or [1.0] * c)]
        terms = [-(w_ * (tc * mp.log(sig(x)) + (1 - tc) * mp.log(sig(-x)))) for w_, tc, x in zip(w, t, p)]
        return mp.fsum(terms) / c
    if name == "multi_margin":
        c = len(p)
        w = [mpf(v) for v in (prm.get("weight") or [1.0] * c)]
        marg, pw = mpf(prm["margin"]), int(prm["p"])
        terms = [max(mp.mpf(0), marg - p[t] + p[i]) ** pw for i in range(c) if i != t]
        return w[t] * mp.fsum(terms) / c
    if name == "dice":
        s = mpf(prm["smooth"])
        inter = mp.fsum(a * b for a, b in zip(p, t))
        return 1 - (2 * inter + s) / (mp.fsum(p) + mp.fsum(t) + s)
    raise KeyError(name)


class Perturbed(list):
    """pred's row with one entry moved by the derivative step; ``base`` is the row as given."""

    def __init__(self, base):
        super().__init__(base)
        self.base = list(base)


def _normalized_with_gradient(p, rounded):
    """fl(p_j/Σp) plus the first-order change of p_j/Σp: a perturbation of p (the derivative
    step) moves the normalized entries as the exact quotients do, from their rounded values."""
    base = getattr(p, "base", None)
    if base is None:
        return rounded(p)
    s = mp.fsum(p)
    exact = [v / s for v in p]
    s0 = mp.fsum(base)
    r0 = rounded(base)
    return [r + (e - b / s0) for r, e, b in zip(r0, exact, base)]


def derivative(f, x, lo=None, hi=None):
    """(df/dx at x, is_kink), central differences at PREC bits (see module docstring)."""
    h = (abs(x) if x != 0 else ZERO_STEP) * STEP
    f0 = f(x)
    if (lo is not None and x - h < lo) or (hi is not None and x + h > hi):
        # one-sided at the end of the domain; a kink if a much smaller step disagrees
        s = 1 if lo is not None and x - h < lo else -1
        d1 = (f(x + s * h) - f0) / (s * h)
        h2 = h * mp.mpf(2) ** -100
        d2 = (f(x + s * h2) - f0) / (s * h2)
        if mp.isfinite(d1) and abs(d1 - d2) > abs(d2) * mp.mpf(2) ** -90:
            return d2, True
        return d1, False
    fp, fm = f(x + h), f(x - h)
    if mp.isinf(f0) or mp.isnan(f0):
        return (fp - fm) / (2 * h), False
    forward, backward = (fp - f0) / h, (f0 - fm) / h
    scale = max(abs(forward), abs(backward))
    kink = scale > 0 and abs(forward - backward) > scale * mp.mpf(2) ** -150
    return (fp - fm) / (2 * h), bool(kink)
