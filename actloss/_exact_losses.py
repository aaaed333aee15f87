"""Exact (mpmath) losses, to settle a low-precision rounding that float64 cannot decide.

A loss or its gradient computed in float64 (within 4 ulp) rounds correctly into
a low-precision format unless it lies within that error of a midpoint of the
format (``actloss.lowp.hard_cases``). For those few elements :func:`exact`
gives the value as an mpmath expression of the exact float64 inputs, to be
evaluated at rising precision (``actloss.lowp.settle_exact``).

Each loss is its textbook definition on one *unit*: an element (elementwise
losses) or a sample, a row along the class axis (the others). The inputs are
taken as the kernels take them: labels 0/1 mapped to -1/1 for the margin
losses, classes moved to the last axis for (N, C, d1, ...), positive weights
per class; the 'mean' divides by the kernel's own denominator (the element or
sample count, or the sum of the weights of the targets). A gradient entry is
the derivative of its unit's loss, by mpmath's differentiation at the working
precision. Under ``normalize`` the loss is that of the rows as the kernels
normalize them (divided by their sums in float64), and the gradient goes
through the exact division, as the kernels' gradient does.

Nothing here is imported unless a hard case occurs.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

ELEMENT = {"mse", "l2", "l1", "huber", "smooth_l1", "log_cosh", "gaussian_nll", "poisson_nll", "hinge",
           "squared_hinge", "bce", "focal", "quantile", "soft_margin"}
ROW = {"ce", "nll", "kl", "js", "cosine", "multilabel_soft_margin", "multi_margin", "dice"}


def _mp():
    import mpmath

    return mpmath


def _sig(x):
    mp = _mp().mp
    return 1 / (1 + mp.exp(-x)) if x >= 0 else mp.exp(x) / (1 + mp.exp(x))


def _xlogy(a, b):
    mp = _mp().mp
    return mp.mpf(0) if a == 0 else a * mp.log(b)


def _element(name: str, prm: dict, p, t, extra):
    """The loss of one element: p, t mpf; ``extra`` the element's label (-1/1) or positive weight."""
    mp = _mp().mp
    D = mp.mpf
    if name in ("mse", "l2"):
        return (p - t) ** 2
    if name == "l1":
        return abs(p - t)
    if name == "huber":
        r, d = abs(p - t), D(prm["delta"])
        return r * r / 2 if r < d else d * (r - d / 2)
    if name == "smooth_l1":
        r, b = abs(p - t), D(prm["beta"])
        return r if b == 0 else (r * r / (2 * b) if r < b else r - b / 2)
    if name == "log_cosh":
        r = abs(p - t)
        return r + mp.log1p(mp.exp(-2 * r)) - mp.log(2)
    if name == "gaussian_nll":
        v = D(max(prm["var"], prm["eps"]))
        return (mp.log(v) + (p - t) ** 2 / v) / 2 + (mp.log(2 * mp.pi) / 2 if prm["full"] else 0)
    if name == "poisson_nll":
        out = mp.exp(p) - t * p if prm["log_input"] else p - _xlogy(t, p + D(prm["eps"]))
        if prm["full"] and t > 1:
            out += t * mp.log(t) - t + mp.log(2 * mp.pi * t) / 2
        return out
    if name in ("hinge", "squared_hinge"):
        m = max(D(0), 1 - extra * p)
        return m if name == "hinge" else m * m
    if name == "soft_margin":
        z = -extra * p
        return z + mp.log1p(mp.exp(-z)) if z > 0 else mp.log1p(mp.exp(z))
    if name == "quantile":
        r, tau = t - p, D(prm["tau"])
        return max(tau * r, (tau - 1) * r)
    if prm["logits"]:
        q, q1 = _sig(p), _sig(-p)
        lq, lq1 = -_softplus(-p), -_softplus(p)
    else:
        q, q1 = p, 1 - p
        lq, lq1 = (mp.log(q) if q > 0 else -mp.inf), (mp.log1p(-p) if p < 1 else -mp.inf)
    if name == "bce":
        return -((extra * t * lq if t else 0) + ((1 - t) * lq1 if t != 1 else 0))
    ce = -((t * lq if t else 0) + ((1 - t) * lq1 if t != 1 else 0))
    u = t * q1 + (1 - t) * q  # 1 - p_t
    a = D(prm["alpha"])
    at = a * t + (1 - a) * (1 - t) if prm["alpha"] >= 0 else 1
    g = D(prm["gamma"])
    return at * ce * (u**g if g != 0 else 1)


def _softplus(x):
    mp = _mp().mp
    return x + mp.log1p(mp.exp(-x)) if x > 0 else mp.log1p(mp.exp(x))


def _row(name: str, prm: dict, p: list, t, w: list | None):
    """The loss of one sample: p a list of mpf, t a class index (int) or a list of mpf."""
    mp = _mp().mp
    D = mp.mpf
    c = len(p)
    w = w or [D(1)] * c
    if name in ("ce", "nll"):
        if name == "nll":
            logp = p
        elif prm["logits"]:
            top = max(p)
            lse = top + mp.log(mp.fsum(mp.exp(z - top) for z in p))
            logp = [z - lse for z in p]
        else:
            logp = [mp.log(v) if v > 0 else -mp.inf for v in p]
        eps = D(prm.get("label_smoothing", 0.0))
        if isinstance(t, int):
            if t == int(prm.get("ignore_index", -100)):
                return D(0)
            out = -w[t] * logp[t]
            if eps:
                out = (1 - eps) * out - eps / c * mp.fsum(wc * lp for wc, lp in zip(w, logp))
            return out
        tt = [(1 - eps) * tc + eps / c for tc in t]
        return -mp.fsum(0 if tc == 0 else wc * tc * lp for wc, tc, lp in zip(w, tt, logp))
    if name == "kl":
        return mp.fsum(0 if tc == 0 else (mp.inf if pc == 0 else tc * (mp.log(tc) - mp.log(pc))) for pc, tc in zip(p, t))
    if name == "js":
        m = [(pc + tc) / 2 for pc, tc in zip(p, t)]
        kt = mp.fsum(0 if tc == 0 else tc * mp.log(tc / mc) for tc, mc in zip(t, m))
        kp = mp.fsum(0 if pc == 0 else pc * mp.log(pc / mc) for pc, mc in zip(p, m))
        return (kt + kp) / 2
    if name == "cosine":
        dot = mp.fsum(a * b for a, b in zip(p, t))
        return 1 - dot / mp.sqrt(mp.fsum(a * a for a in p) * mp.fsum(b * b for b in t))
    if name == "multilabel_soft_margin":
        return mp.fsum(wc * (tc * _softplus(-x) + (1 - tc) * _softplus(x)) for wc, tc, x in zip(w, t, p)) / c
    if name == "multi_margin":
        marg, pw = D(prm["margin"]), int(prm["p"])
        return w[t] * mp.fsum(max(D(0), marg - p[t] + p[i]) ** pw for i in range(c) if i != t) / c
    if name == "dice":
        s = D(prm["smooth"])
        inter = mp.fsum(a * b for a, b in zip(p, t))
        return 1 - (2 * inter + s) / (mp.fsum(p) + mp.fsum(t) + s)
    raise KeyError(name)


def exact(record, which: str, pred: np.ndarray, target: np.ndarray, params: dict, parts, reduction: str,
          flat_index: int) -> Callable[[], Any] | None:
    """An mpmath expression (a function of no arguments) for element ``flat_index`` of the kernel's
    result (the loss: a scalar, or per unit with 'none'; the gradient: the shape of pred), or None where
    this module does not cover the case."""
    name = record.name
    prm = dict(params)
    if name not in ELEMENT | ROW:
        return None
    mpmath = _mp()
    mp = mpmath.mp
    denominator = parts.denominator if reduction in ("mean", "batchmean") else 1.0
    if name in ELEMENT:
        p_all = np.asarray(pred, dtype=np.float64)
        t_all = np.broadcast_to(np.asarray(target, dtype=np.float64), p_all.shape)
        extra = np.ones(p_all.shape)
        if name in ("hinge", "squared_hinge", "soft_margin"):
            from actloss._losses import _signed_labels

            extra = _signed_labels(t_all, name)[0]
        elif name == "bce" and prm.get("pos_weight") is not None:
            from actloss._losses import _pos_weights

            extra = np.broadcast_to(_pos_weights(prm["pos_weight"], p_all, prm["logits"]), p_all.shape)
        pf, tf, ef = p_all.reshape(-1), t_all.reshape(-1), np.asarray(extra, dtype=np.float64).reshape(-1)

        def unit(i, at=None):
            return _element(name, prm, mp.mpf(float(pf[i])) if at is None else at, mp.mpf(float(tf[i])), mp.mpf(float(ef[i])))

        def grad(i):
            return mpmath.diff(lambda v: unit(i, v), mp.mpf(float(pf[i])))

        def grad2(k):  # the Hessian's diagonal, the shape of pred
            return mpmath.diff(lambda v: unit(k, v), mp.mpf(float(pf[k])), 2)

        units = range(pf.size)
    else:
        rows, targets, weights, index = _rows(name, pred, target, prm)
        # normalize: the loss is that of the rows divided by their sums in float64, as the kernels form
        # them; its gradient goes through the exact division (d n_k/d a_j = (δ_jk - n_k)/Σa)
        through = bool(prm.get("normalize")) and not (name == "ce" and prm.get("logits"))
        if prm.get("normalize"):
            from actloss._losses import _normalized

            raw = rows
            if through:
                rows = _normalized(rows)[0]
            if np.ndim(targets) == 2:
                targets = _normalized(np.asarray(targets, dtype=np.float64))[0]

        def unit(r, row=None):
            return _row(name, prm, rows_mpf(r) if row is None else row, target_of(r), weights)

        def rows_mpf(r):
            return [mp.mpf(float(v)) for v in rows[r]]

        def target_of(r):
            t = targets[r]
            return int(t) if np.ndim(t) == 0 else [mp.mpf(float(v)) for v in t]

        def grad(i):
            r, j = divmod(int(index[i]), rows.shape[1])
            row = rows_mpf(r)
            if through:  # the rounded rows moved as the exact quotients move
                a = [mp.mpf(float(v)) for v in raw[r]]
                s0 = mp.fsum(a)

                def f(v):
                    b = a[:j] + [v] + a[j + 1:]
                    s = mp.fsum(b)
                    return unit(r, [n + (bk / s - ak / s0) for n, bk, ak in zip(row, b, a)])

                return mpmath.diff(f, a[j])

            def f(v):
                return unit(r, row[:j] + [v] + row[j + 1:])

            return mpmath.diff(f, row[j])

        def grad2(k):
            """ce: entry k of the blocks, shape pred.shape + (C,); multilabel_soft_margin: the diagonal."""
            if name == "multilabel_soft_margin":
                r, j = divmod(int(index[k]), rows.shape[1])
                row = rows_mpf(r)
                return mpmath.diff(lambda v: unit(r, row[:j] + [v] + row[j + 1:]), row[j], 2)
            c = rows.shape[1]
            pos, j2 = divmod(k, c)
            r, j1 = divmod(int(index[pos]), c)
            row = rows_mpf(r)
            if j1 == j2:
                return mpmath.diff(lambda v: unit(r, row[:j1] + [v] + row[j1 + 1:]), row[j1], 2)

            def f(u, v):
                q = list(row)
                q[j1], q[j2] = u, v
                return unit(r, q)

            return mpmath.diff(f, (row[j1], row[j2]), (1, 1))

        units = range(rows.shape[0])
    d = mp.mpf(float(denominator))
    # differences and sums of the inputs exact at any working precision: add the span of their exponents
    span = _span(pred, target)
    if which == "value":
        if reduction == "none":
            return _wider(lambda: unit(flat_index), span)
        return _wider(lambda: mp.fsum(unit(u) for u in units) / d, span)
    if which == "derivative2":
        if name in ROW - {"ce", "multilabel_soft_margin"} or (prm.get("normalize") and not prm.get("logits")):
            return None  # no second derivative, or one of the exact quotient (the loss's own differs)
        return _wider(lambda: _real(grad2(flat_index)) / d, span)
    return _wider(lambda: _real(grad(flat_index)) / d, span)


def _real(v):
    """A derivative taken across the edge of the domain (log of a negative number) is undefined here:
    NaN, which settles nothing (such an element is infinite, never a hard case)."""
    mp = _mp().mp
    return v if isinstance(v, type(mp.mpf(0))) else mp.nan


def _span(*arrays) -> int:
    """Bits between the largest and the smallest nonzero finite input (and their 53-bit significands)."""
    exps = []
    for a in arrays:
        v = np.abs(np.asarray(a, dtype=np.float64)).reshape(-1)
        v = v[np.isfinite(v) & (v > 0)]
        if v.size:
            exps += [int(np.frexp(v.max())[1]), int(np.frexp(v.min())[1])]
    return (max(exps) - min(exps) + 110) if exps else 110


def _wider(fn: Callable[[], Any], bits: int) -> Callable[[], Any]:
    def at_more_precision():
        mp = _mp().mp
        with mp.extraprec(bits):
            v = fn()
        return +v  # rounded to the caller's precision

    return at_more_precision


def _rows(name: str, pred, target, prm: dict):
    """(rows (R, C), targets per row, class weights or None, map from pred's flat index to the row-major
    position in rows) as the kernels lay samples out."""
    mp = _mp().mp
    pred = np.asarray(pred, dtype=np.float64)
    target = np.asarray(target, dtype=np.float64)
    position = np.arange(pred.size).reshape(pred.shape)
    if name in ("ce", "nll", "multi_margin"):
        from actloss._losses import _class_axis_last

        p2, t2, kind, c, _ = _class_axis_last(pred, target, name)
        pos2 = np.moveaxis(position, 1, -1) if pred.ndim > 2 else position
        rows = p2.reshape(-1, c)
        targets = t2.reshape(-1) if kind == "indices" else t2.reshape(-1, c)
    else:
        rows = pred.reshape(-1, pred.shape[-1])
        targets = np.broadcast_to(target, pred.shape).reshape(-1, pred.shape[-1])
        pos2 = position
    index = np.empty(pred.size, dtype=np.int64)
    index[pos2.reshape(-1)] = np.arange(pred.size)
    w = prm.get("weight")
    weights = None if w is None else [mp.mpf(float(v)) for v in np.ravel(w)]
    return rows, targets, weights, index
