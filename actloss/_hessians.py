"""Second derivatives of the losses with respect to pred: ``NAME_grad2(pred, target, reduction, **params)``.

The registry finds them beside the loss kernels (``actloss._losses`` imports
them at its end). There are second derivatives for every elementwise loss
(mse, l1, l2, huber, smooth_l1, log_cosh, gaussian_nll, poisson_nll, hinge,
squared_hinge, bce, focal, quantile, soft_margin), for multilabel_soft_margin
and for ce; nll, kl, js, cosine, multi_margin and dice have none.

For elementwise losses the Hessian is diagonal and the kernels return its
diagonal, the shape of pred; multilabel_soft_margin's Hessian is diagonal too
(w_c sigma(x) sigma(-x)/C per element). For ``ce`` the Hessian is block
diagonal with one C x C block per sample (per position for (N, C, d1, ...),
whose entries between positions are 0), returned with shape ``pred.shape +
(C,)``: with raw scores (``--logits``) S (diag(p) - p p^T), p = softmax(pred)
and S the sum of the sample's target coefficients (1 for a class index without
weights or smoothing); with probabilities diag(A / p^2); with probabilities and
``normalize`` diag(A / a^2) - (S / s^2) 1 1^T, s the row sum of pred.

Reductions as for the gradient: 'sum' the second derivative of the summed
loss, 'mean' that divided by what 'mean' divides by, 'none' each item's own.
Inputs are checked by the loss's own ``_NAME_parts``. Each per-item second
derivative is formed as a double-double where it is a quotient or product, and
the reduction's division is the one final rounding. Where terms of opposite
signs cancel (focal, whose second derivative has zeros; the diagonal of ce with
``normalize``) the double-double sum is checked against its terms and the
elements that lost their margin are recomputed exactly in decimal.

At kinks PyTorch's double backward: 0 for the piecewise-linear pieces (l1,
hinge, quantile at r = 0, huber and smooth_l1 at |r| = delta or beta), 2 for
squared_hinge at the margin (autograd through clamp(1 - y*pred, min=0)**2
passes the boundary). focal at 1 - p_t = 0 takes the one-sided limit (see
``_focal2``), where PyTorch's double backward gives NaN for some gamma.
"""

from __future__ import annotations

import numpy as np

from actloss import _kernels as K
from actloss import _losses as L
from actloss._dd import div_dd_dd, div_dd_pair, two_prod, two_prod_scaled, two_sum
from actloss.errors import ShapeError


def _finish(h, l, parts: L.Parts, reduction: str) -> np.ndarray:
    """The per-item second derivative h + l (a double-double), reduced with one rounding."""
    h = np.asarray(h, dtype=np.float64)
    l = np.broadcast_to(np.asarray(l, dtype=np.float64), h.shape)
    with np.errstate(all="ignore"):
        if reduction in ("mean", "batchmean"):
            d = np.float64(parts.denominator)
            q = div_dd_dd(h, l, d, 0.0)
            y = np.where(np.isfinite(h) & np.isfinite(q), q, h / d)
        else:
            y = np.where(np.isfinite(h), h + l, h)
    return y + 0.0  # no -0.0


def _inv(v: float) -> tuple[float, float]:
    """1/v as a double-double (v > 0 finite)."""
    r = 1.0 / v
    p, pe = two_prod(np.float64(r), np.float64(v))
    return r, float(((1.0 - p) - pe) / v)


def _scaled_over_square(nh, nl, sh, sl):
    """(q, r, k): (nh + nl)/(sh + sl)**2 = (q + r)·2**k, the mantissas (np.frexp, in [0.5, 1)) divided,
    so neither s**2 nor the quotient over- or underflows before the caller's ldexp."""
    ms, ks = np.frexp(sh)
    mn, kn = np.frexp(nh)
    msl = np.ldexp(sl, -ks)
    mnl = np.ldexp(nl, -kn)
    q, qe = two_prod(ms, ms)
    qe = qe + 2.0 * ms * msl
    h, l = div_dd_pair(mn, mnl, q, qe)
    return h, l, kn - 2 * ks


def _over_square(nh, nl, sh, sl):
    """(nh + nl)/(sh + sl)**2 for n >= 0, s > 0, rounded once (one ldexp of the rounded mantissa quotient)."""
    h, l, k = _scaled_over_square(nh, nl, sh, sl)
    return np.ldexp(h + np.where(np.isfinite(l), l, 0.0), k)


def _keep_nan(a, y):
    return np.where(np.isnan(a), np.nan, y)


# ---------------------------------------------------------------------------
# elementwise losses: the diagonal of the Hessian
# ---------------------------------------------------------------------------

def _residual(pred, target):
    """r = pred - target as a double-double (rh, rl): decisions and functions of r see the exact residual."""
    with np.errstate(all="ignore"):
        rh, rl = two_sum(np.asarray(pred, dtype=np.float64), -np.asarray(target, dtype=np.float64))
    return rh, np.where(np.isfinite(rl), rl, 0.0)


def _inside(rh, rl, c):
    """|rh + rl| < c exactly."""
    a = np.abs(rh)
    return (a < c) | ((a == c) & (rh * rl < 0))


def _const(pred, target, c):
    r = np.asarray(pred, dtype=np.float64) - np.asarray(target, dtype=np.float64)
    return _keep_nan(r, np.full(r.shape, c)), 0.0


def _mse2(pred, target, parts):
    return _const(pred, target, 2.0)


def _l1_2(pred, target, parts):
    return _const(pred, target, 0.0)  # 0 at r = 0 too (PyTorch's double backward of abs)


def _huber2(pred, target, parts, delta=1.0):
    rh, rl = _residual(pred, target)
    return _keep_nan(rh, np.where(_inside(rh, rl, delta), 1.0, 0.0)), 0.0


def _smooth_l1_2(pred, target, parts, beta=1.0):
    rh, rl = _residual(pred, target)
    if beta == 0.0:
        return _keep_nan(rh, np.zeros_like(rh)), 0.0
    h, l = _inv(beta)
    inside = _inside(rh, rl, beta)
    return _keep_nan(rh, np.where(inside, h, 0.0)), np.where(inside, l, 0.0)


def _log_cosh2(pred, target, parts):
    """sech(r)**2 at the exact residual: sech^2(rh + rl) = sech^2(rh) (1 - 2 tanh(rh) rl)."""
    rh, rl = _residual(pred, target)
    y = K.tanh_grad(rh)
    with np.errstate(all="ignore"):
        return y, -2.0 * y * np.tanh(rh) * rl


def _gaussian_nll2(pred, target, parts, var=1.0, full=False, eps=1e-6):
    r = np.asarray(pred, dtype=np.float64) - np.asarray(target, dtype=np.float64)
    h, l = _inv(max(var, eps))
    return _keep_nan(r, np.full(r.shape, h)), np.full(r.shape, l)


def _poisson_nll2(pred, target, parts, log_input=True, full=False, eps=1e-8):
    pred = np.asarray(pred, dtype=np.float64)
    target = np.asarray(target, dtype=np.float64)
    with np.errstate(all="ignore"):
        if log_input:
            return np.exp(pred), 0.0  # d2/dx2 (e^x - t x)
        # d2/dp2 (p - t log(p + eps)) = t/(p + eps)^2, p + eps never rounded
        s, sl = two_sum(pred, np.float64(eps))
        y = _over_square(target, 0.0, s, sl)
        y = np.where(target == 0, 0.0, np.where(s == 0, np.inf, np.where(np.isinf(s), 0.0, y)))
        return _keep_nan(pred, y), 0.0


def _hinge2(pred, target, parts):
    return _const(pred, target, 0.0)


def _squared_hinge2(pred, target, parts):
    pred = np.asarray(pred, dtype=np.float64)
    y, _ = L._signed_labels(np.asarray(target, dtype=np.float64), "squared_hinge")
    return _keep_nan(pred, np.where(y * pred <= 1.0, 2.0, 0.0)), 0.0


def _bce2(pred, target, parts, logits=False, pos_weight=None):
    pred = np.asarray(pred, dtype=np.float64)
    target = np.asarray(target, dtype=np.float64)
    if logits and pos_weight is not None:
        # (w·t + 1 - t)·sigma(x) sigma(-x), the factor carried as a double-double
        w = np.broadcast_to(np.asarray(pos_weight, dtype=np.float64).reshape(-1), pred.shape) if pred.ndim else float(np.ravel(pos_weight)[0])
        fh, fl = two_prod(w, target)
        oh, ol = two_sum(1.0, -target)
        gh, gl = two_sum(fh, oh)
        gl = gl + (fl + ol)
        s = K.sigmoid_grad(pred)
        h, l = two_prod(gh, s)
        return h, l + gl * s
    if logits:
        return K.sigmoid_grad(pred), 0.0  # sigma(x) sigma(-x), whatever the target
    with np.errstate(all="ignore"):
        # t/p^2 + (1 - t)/(1 - p)^2, 1 - p and 1 - t carried exactly
        qh, ql = two_sum(1.0, -pred)
        uh, ul = two_sum(1.0, -target)
        a = _over_square(target, 0.0, pred, 0.0)
        b = _over_square(uh, ul, qh, ql)
        a = np.where(target == 0, 0.0, np.where(pred == 0, np.inf, a))
        b = np.where(uh == 0, 0.0, np.where(qh == 0, np.inf, b))
        s, e = two_sum(a, b)
        return _keep_nan(pred, s), np.where(np.isfinite(s), e, 0.0)


def _quantile2(pred, target, parts, tau=0.5):
    return _const(pred, target, 0.0)  # 0 at r = 0 too (autograd's double backward of the pinball loss)


def _soft_margin2(pred, target, parts):
    """sigma(-y x) sigma(y x) = sigma(x) sigma(-x) for y = +-1, whatever the label."""
    return K.sigmoid_grad(np.asarray(pred, dtype=np.float64)), 0.0


ELEMENTWISE = {
    "mse": _mse2, "l2": _mse2, "l1": _l1_2, "huber": _huber2, "smooth_l1": _smooth_l1_2,
    "log_cosh": _log_cosh2, "gaussian_nll": _gaussian_nll2, "poisson_nll": _poisson_nll2,
    "hinge": _hinge2, "squared_hinge": _squared_hinge2, "bce": _bce2,
    "quantile": _quantile2, "soft_margin": _soft_margin2,
}


def _elementwise_pair(name: str, default_reduction: str = "mean"):
    def grad2(pred, target, reduction=default_reduction, **params):
        parts = L.parts(name, pred, target, **params)  # checks the inputs as the loss does
        params.pop("reduction", None)
        with np.errstate(all="ignore"):  # inf and nan are results here, not warnings
            h, l = ELEMENTWISE[name](pred, target, parts, **params)
        return _finish(h, l, parts, reduction)

    grad2.__name__ = name + "_grad2"
    grad2.__doc__ = f"d2 {name}/d pred2 elementwise (the Hessian diagonal) for the reduction, the shape of pred."
    return grad2


mse_grad2 = _elementwise_pair("mse")
l2_grad2 = _elementwise_pair("l2", "sum")
l1_grad2 = _elementwise_pair("l1")
huber_grad2 = _elementwise_pair("huber")
smooth_l1_grad2 = _elementwise_pair("smooth_l1")
log_cosh_grad2 = _elementwise_pair("log_cosh")
gaussian_nll_grad2 = _elementwise_pair("gaussian_nll")
poisson_nll_grad2 = _elementwise_pair("poisson_nll")
hinge_grad2 = _elementwise_pair("hinge")
squared_hinge_grad2 = _elementwise_pair("squared_hinge")
bce_grad2 = _elementwise_pair("bce")
quantile_grad2 = _elementwise_pair("quantile")
soft_margin_grad2 = _elementwise_pair("soft_margin")


def multilabel_soft_margin_grad2(pred, target, reduction="mean", weight=None):
    """d2/d pred2 of multilabel_soft_margin, the shape of pred: the Hessian is diagonal, w_c sigma(x) sigma(-x)/C
    per element (the loss of a sample is the mean over its C classes), whatever the target; 'mean' divides
    by the number of samples, 'none' gives each sample's own."""
    parts = L.parts("multilabel_soft_margin", pred, target, weight=weight)
    pred = np.asarray(pred, dtype=np.float64)
    c = pred.shape[-1]
    w = L._weights(weight, c)
    with np.errstate(all="ignore"):
        s = K.sigmoid_grad(pred)
        h, l = (s, np.zeros_like(s)) if w is None else two_prod_scaled(w, s)
        l = np.where(np.isfinite(l), l, 0.0)
        # the division by C exact as a double-double, the reduction's division the one rounding
        h, l = div_dd_pair(h, l, np.float64(c), np.float64(0.0))
        l = np.where(np.isfinite(l), l, 0.0)
        return _finish(h, l, parts, reduction)


# ---------------------------------------------------------------------------
# ce: one C x C block per sample
# ---------------------------------------------------------------------------

def _ce_coefficients(pred, target, label_smoothing, weight, ignore_index=-100, normalize=False):
    """The ce kernel's coefficients for pred with the class axis last: (A, Al) as a double-double with
    loss_n = -sum_c A[n, c] log p[n, c] (class weights, label smoothing, ignored samples, and soft targets
    divided by their row sums with ``normalize``, as the loss takes them)."""
    c = pred.shape[-1]
    w = L._weights(weight, c)
    if target.shape == pred.shape[:-1]:
        kind = "indices"
        target, keep = L._class_indices(pred, target, "ce", int(ignore_index))
    else:
        kind = "distributions"
        if normalize:
            target, _ = L._normalized(target)
        keep = np.ones(pred.shape[:-1], dtype=bool)
    return L._coefficients(pred.shape, target, kind, w, label_smoothing, keep)


def _over_square_dd(nh, nl, sh, sl):
    """(nh + nl)/(sh + sl)**2 as a double-double for n >= 0, s > 0."""
    h, l, k = _scaled_over_square(nh, nl, sh, sl)
    return np.ldexp(h, k), np.ldexp(l, k)


def _row_sums_exact(a):
    """Each row's sum along the last axis as a double-double (math.fsum, then the exact remainder)."""
    import math

    flat = a.reshape(-1, a.shape[-1]).tolist()
    hi = [math.fsum(r) for r in flat]
    lo = [math.fsum(r + [-h]) if math.isfinite(h) else 0.0 for r, h in zip(flat, hi)]
    shape = a.shape[:-1] + (1,)
    return np.array(hi).reshape(shape), np.array(lo).reshape(shape)


def _normalized_block_exact(Ah, Al, a, Sh, Sl, sh, sl):
    return (Ah + Al) / (a * a) - (Sh + Sl) / ((sh + sl) * (sh + sl))


#: a C x C block per sample is formed with about this many temporaries of its size (double-doubles)
_TEMPORARIES = 8


def _refuse_too_large(entries_of_pred: int, c: int) -> None:
    """Per-sample Hessians that cannot be formed in memory are refused before anything is allocated."""
    from actloss.registry import _memory_limit

    entries = float(entries_of_pred) * float(c)
    if entries * 8 * _TEMPORARIES > _memory_limit():
        samples = entries_of_pred // max(c, 1)
        raise ShapeError(
            f"the second derivatives of ce for {samples:,} sample{'s' if samples != 1 else ''} of {c:,} classes are "
            f"{entries:.3g} entries ({entries * 8 / 2**30:,.1f} GiB, and several times that while they are formed), "
            "more than this machine's memory can hold; give fewer samples at a time"
        )


def ce_grad2(pred, target, reduction="mean", logits=False, label_smoothing=0.0, weight=None, ignore_index=-100,
             normalize=False):
    """The per-sample (per-position) Hessian of ce with respect to pred, shape pred.shape + (C,).

    pred (C,) or (N, C): H[n, i, j] = d2 L/d pred[n, i] d pred[n, j]; (N, C, d1, ...), classes on axis 1
    as in PyTorch: H[n, i, d..., j] = d2 L/d pred[n, i, d...] d pred[n, j, d...] (the entries between
    different positions d are 0 and not returned). A[n, c] are the loss's coefficients, loss_n =
    -sum_c A[n, c] log p[n, c], and S their sum per sample (1 for a class index without weights or smoothing).

    --logits: S (diag(p) - p p^T), p = softmax(pred); each entry p_i (1 - p_i) or -p_i p_j (1 - p from the
    log-softmax, never 1 minus a rounded p) times S is a double-double, divided once for 'mean'.
    Probabilities: diag(A / p^2). Probabilities with ``normalize`` (loss -sum_i A_i log(a_i / s), s = sum_j a_j
    exact): diag(A / a^2) - (S / s^2) 1 1^T, a full block; each entry a double-double, recomputed exactly
    in decimal where the diagonal's two terms cancel.
    """
    shape = np.shape(pred)
    if shape:  # classes on the last axis of (C,) and (N, C), on axis 1 of (N, C, d1, ...)
        _refuse_too_large(int(np.prod(shape, dtype=np.float64)), shape[0] if len(shape) == 1 else shape[1])
    parts = L.parts("ce", pred, target, logits=logits, label_smoothing=label_smoothing, weight=weight,
                    ignore_index=ignore_index, normalize=normalize)
    pred = np.asarray(pred, dtype=np.float64)
    target = np.asarray(target, dtype=np.float64)
    pred, target, _, c, _ = L._class_axis_last(pred, target, "ce")
    A, Al = _ce_coefficients(pred, target, label_smoothing, weight, ignore_index, normalize)
    eye = np.eye(c, dtype=bool)
    with np.errstate(all="ignore"):
        Sh, Sl = L._row_sum_dd(A, Al)
        Sh, Sl = Sh[..., None, None], Sl[..., None, None]
        if logits:
            _, p, one_minus_p = L.softmax_parts(pred)
            pi, pj = p[..., :, None], p[..., None, :]
            qi = one_minus_p[..., :, None]
            h, l = two_prod(pi, np.where(eye, qi, -pj))
            sh, sl = L._ddmul(h, l, *np.broadcast_arrays(Sh, Sl))
            sh = np.where(np.isnan(pred).any(axis=-1)[..., None, None], np.nan, sh)  # a NaN logit: a NaN block
        elif not normalize:
            d = _over_square(A, Al, pred, 0.0)
            d = np.where(A == 0, 0.0, np.where(pred == 0, np.inf, d))
            sh, sl = np.where(eye, d[..., :, None], 0.0), 0.0
        else:
            s_h, s_l = _row_sums_exact(pred)
            oh, ol = _over_square_dd(Sh[..., 0], Sl[..., 0], s_h, s_l)  # S/s^2 per sample
            oh = np.where(Sh[..., 0] == 0, 0.0, oh)
            ol = np.where(Sh[..., 0] == 0, 0.0, ol)
            dh, dl = _over_square_dd(A, Al, np.where(pred == 0, 1.0, pred), 0.0)  # A_i/a_i^2
            dh = np.where(A == 0, 0.0, np.where(pred == 0, np.inf, dh))
            dl = np.where((A == 0) | (pred == 0), 0.0, dl)
            gh, gl = L._dd_sub_pair(dh, dl, oh, ol)
            gl = np.where(np.isfinite(gh), gl, 0.0)
            redo = L._cancels(gh, dh, oh) & (A != 0) & (pred != 0)
            lo = np.array(gl)
            gh = L.X.refine(gh, redo, _normalized_block_exact, A, Al, pred, Sh[..., 0], Sl[..., 0], s_h, s_l, lo=lo)
            off_h = np.broadcast_to(-oh[..., None], gh.shape + (c,))
            off_l = np.broadcast_to(-ol[..., None], gh.shape + (c,))
            sh = np.where(eye, gh[..., :, None], off_h)
            sl = np.where(eye, lo[..., :, None], off_l)
        H = _finish(sh, sl, parts, reduction)
    if H.ndim > 3:  # (N, d..., C, C) -> (N, C, d..., C)
        H = np.moveaxis(H, -2, 1)
    return H


# ---------------------------------------------------------------------------
# focal: FL = a_t u^g CE, u = 1 - p_t = t q + (1 - t) p
# ---------------------------------------------------------------------------

def _log1p_dd(eh, el):
    """log(1 + e) as a double-double for -1/2 <= e <= 1, relative ~2**-63: the series below |e| < 2**-10
    (seven terms, the first two in double-double), else log of the double-double 1 + e."""
    with np.errstate(all="ignore"):
        small = np.abs(eh) < 2.0**-10
        e = np.where(small, eh, 0.0)
        s2h, s2l = two_prod(e, e)
        rest = e * e * e * (1.0 / 3.0 - e * (0.25 - e * (0.2 - e * (1.0 / 6.0 - e / 7.0))))
        sh, sl = two_sum(e, -0.5 * s2h)
        sl = sl + (np.where(small, el, 0.0) * (1.0 - e) - 0.5 * s2l + rest)
        dh, dl = two_sum(1.0, np.where(small, 0.0, eh))
        dl = dl + np.where(small, 0.0, el)
        Lh, Ll = L._log2(np.where(small, 1.0, dh), np.where(small, 0.0, dl))
        return np.where(small, sh, Lh), np.where(small, sl, Ll)


def _softplus_dd(x):
    """softplus(x) = max(x, 0) + log1p(exp(-|x|)) as a double-double (finite x)."""
    eh, el = L._exp2(-np.abs(x))
    lh, ll = _log1p_dd(eh, el)
    sh, sl = two_sum(np.maximum(x, 0.0), lh)
    return sh, sl + ll


def _pow_dd(Lh, Ll, kh, kl):
    """exp((kh + kl)(Lh + Ll)) as a double-double, for the exponent above -2e4 and at most 700."""
    gh, ge = two_prod(kh, Lh)
    ge = ge + kh * Ll + kl * Lh
    xh = np.clip(gh, -2.0e4, 700.0)
    em, eml, ek = L._exp_dd(xh, np.where(gh == xh, ge, 0.0))
    return np.ldexp(em, ek), np.ldexp(eml, ek), np.abs(gh) < 700.0


def _dd(x):
    return x, np.zeros_like(x)


def _mul(*factors):
    """The product of double-doubles (pairs) and floats as a double-double."""
    h, l = factors[0] if isinstance(factors[0], tuple) else (factors[0], 0.0)
    for f in factors[1:]:
        fh, fl = f if isinstance(f, tuple) else (f, 0.0)
        h, l = L._ddmul(h, l, fh, fl)
    return h, l


def _sum(*terms):
    h, l = terms[0]
    for th, tl in terms[1:]:
        h, l = L._ddadd(h, l, th, tl)
    s = h + l
    return s, l - (s - h)


def _ln1p_exact(e):
    """ln(1 + e) in decimal, by its series where e is below 1e-8 (1 + e would round to 1)."""
    from decimal import getcontext

    if e == 0 or abs(e) >= L.X.Decimal("1e-8"):
        return (1 + e).ln()
    eps = abs(e) * L.X.Decimal(10) ** -(getcontext().prec + 2)
    total, term, k = e * 0, e, 1
    while abs(term) > eps:
        total += term / k
        k += 1
        term = -term * e
    return total


def _focal_grad2_exact(gamma, alpha, logits):
    """The definition of FL'' in decimal, for 0 < u and (probabilities) 0 < p < 1."""
    g = L.X.D(gamma)
    al = L.X.D(alpha)

    def fn(x, t):
        b = 1 - 2 * t
        if logits:
            p, q = 1 / (1 + (-x).exp()), 1 / (1 + x.exp())

            def sp(z):  # softplus
                return z + _ln1p_exact((-z).exp()) if z > 0 else _ln1p_exact(z.exp())

            ce = t * sp(-x) + (1 - t) * sp(x)
            du, d2u, dce, d2ce = b * p * q, b * p * q * (q - p), (1 - t) * p - t * q, p * q
        else:
            p, q = x, 1 - x
            ce = -(t * p.ln() if t != 0 else 0) - ((1 - t) * q.ln() if t != 1 else 0)
            du, d2u, dce, d2ce = b, 0, -t / p + (1 - t) / q, t / (p * p) + (1 - t) / (q * q)
        u = t * q + (1 - t) * p
        at = al * t + (1 - al) * (1 - t) if alpha >= 0 else 1
        return at * (g * (g - 1) * u ** (g - 2) * du * du * ce + g * u ** (g - 1) * (d2u * ce + 2 * du * dce)
                     + u**g * d2ce)

    return fn


def _focal2(pred, target, parts, gamma=2.0, alpha=0.25, logits=False):
    """FL'' = a_t [g(g-1) u^(g-2) u'^2 CE + g u^(g-1) u'' CE + 2 g u^(g-1) u' CE' + u^g CE''].

    Every factor is a double-double (sigma and 1 - sigma from the exact kernel, u, CE from log1p, u^g from
    log and exp), the terms are summed in double-double, and where the sum has lost its margin (the terms
    have opposite signs; FL'' has zeros) or was not formed (tails, subnormal u) the element is recomputed
    exactly in decimal. With logits the terms are u^g [g(g-1) r^2 CE + g r (q - p) CE + 2 g r (p - t) + pq],
    r = u'/u = (1 - 2t) pq/u, |r| <= 1, so nothing overflows on the way.

    Limits where u = 1 - p_t = 0 (t = 1 and p = 1, or t = 0 and p = 0): with logits FL'' -> 0 (like
    u^(g+1)); with probabilities FL'' -> a_t g (g + 1) u^(g - 1), i.e. 0 for g > 1, 2 a_t for g = 1,
    +inf for 0 < g < 1, and a_t (bce'') for g = 0; probabilities at p = 0 or 1 with u > 0: +inf (t/p^2 or
    (1 - t)/q^2 beats the logs); logits of +-inf: 0; a_t = 0: 0 (the loss is 0). actloss returns these
    limits. PyTorch 2.13's double backward through torchvision's sigmoid_focal_loss formula (and the same
    with binary_cross_entropy for probabilities) gives NaN at u = 0 for 0 < g < 1 and 1 < g < 2 (0 * inf in
    pow's backward), 0 for g = 1 and g >= 2 (so 0, not 2 a_t, for probabilities at g = 1); in float64 it
    reaches u = 0 already from |x| > 36.7, where sigma(x) rounds to 1, while actloss keeps the exact tail.
    """
    pred = np.asarray(pred, dtype=np.float64)
    target = np.asarray(target, dtype=np.float64)
    x, t = pred.reshape(-1), target.reshape(-1)
    h, l = np.empty(x.shape), np.empty(x.shape)
    for i in range(0, max(x.size, 1), _BLOCK):  # block by block: the temporaries stay small
        bh, bl = _focal2_block(x[i:i + _BLOCK], t[i:i + _BLOCK], gamma, alpha, logits)
        h[i:i + _BLOCK], l[i:i + _BLOCK] = bh, bl
    return h.reshape(pred.shape), l.reshape(pred.shape)


_BLOCK = 8192


def _focal2_block(pred, target, gamma, alpha, logits):
    """_focal2 on 1-D arrays."""
    oh, ol = two_sum(1.0, -target)
    if alpha >= 0:
        ah, al = L._ddadd(*two_prod(np.float64(alpha), target), *L._ddmul(np.float64(1.0 - alpha), 0.0, oh, ol))
    else:
        ah, al = np.ones_like(target), np.zeros_like(target)
    if gamma == 0:  # a_t bce''
        h, l = _bce2(pred, target, None, logits=logits)
        h, l = L._ddmul(ah, al, h, l)
        y = np.where(np.isfinite(h), h, (ah + al) * h)
        return np.where(ah == 0, 0.0, y), np.where(np.isfinite(h) & (ah != 0), l, 0.0)
    fin = np.isfinite(pred)
    x = np.where(fin, pred, 0.0)
    if logits:
        ph, pl, qh, ql = L._sigmoid_dd(x)
    else:
        ph, pl = x, np.zeros_like(x)
        qh, ql = two_sum(1.0, -x)
    P, Q = (ph, pl), (qh, ql)
    uh, ul = L._ddadd(*L._ddmul(target, 0.0, qh, ql), *L._ddmul(oh, ol, ph, pl))
    u = uh + ul
    ul, uh = ul - (u - uh), u
    U = (uh, ul)
    B = two_sum(1.0, -2.0 * target)
    pos = uh > 0
    us = np.where(pos, uh, 1.0), np.where(pos, ul, 0.0)
    Lh, Ll = L._log2(*us)
    M0h, M0l, ok0 = _pow_dd(Lh, Ll, np.float64(gamma), 0.0)
    M0 = (M0h, M0l)
    G1 = _mul(np.float64(gamma), two_sum(np.float64(gamma), -1.0))  # g (g - 1)
    if logits:
        ce = L._ddadd(*_mul(target, _softplus_dd(-x)), *_mul((oh, ol), _softplus_dd(x)))
        PQ = _mul(P, Q)
        rh, rl = L._dd_div(*_mul(B, PQ), *us)
        R = (np.where(pos, rh, B[0]), np.where(pos, rl, 0.0))
        R = (np.where(np.isfinite(R[0]), R[0], 0.0), np.where(np.isfinite(R[1]), R[1], 0.0))
        QmP = L._dd_sub_pair(qh, ql, ph, pl)
        # p - t = (1 - t) p - t q: relative accuracy whatever t, cancelling only where sigma(x) = t
        TP, TQ = _mul((oh, ol), P), _mul(target, Q)
        PmT = L._dd_sub_pair(*TP, *TQ)
        t1 = _mul(G1, R, R, ce)
        t2 = _mul(np.float64(gamma), R, QmP, ce)
        t3 = _mul(2.0 * gamma, R, PmT)
        t4 = PQ
        s, sl = _sum(t1, t2, t3, t4)
        big = [t1[0], _mul(np.float64(gamma), R, ce)[0], _mul(2.0 * gamma, R, TP)[0], _mul(2.0 * gamma, R, TQ)[0], t4[0]]
        ok = ok0 & ~((PQ[0] < 2.0**-900) & (np.abs(x) < 760.0))  # lo parts subnormal: decimal
    else:
        inner = (x > 0) & (x < 1)
        xs = np.where(inner, x, 0.5)
        qs = (np.where(inner, qh, 0.5), np.where(inner, ql, 0.0))
        # log of the smaller of p and q directly, of the larger as log1p(-smaller): exact arguments
        hi_p = xs >= 0.5
        mh, ml = np.where(hi_p, qs[0], xs), np.where(hi_p, qs[1], 0.0)
        bh, bl = _log1p_dd(-mh, -ml)
        sh_, sl_ = L._log2(mh, ml)
        logp = (np.where(hi_p, bh, sh_), np.where(hi_p, bl, sl_))
        logq = (np.where(hi_p, sh_, bh), np.where(hi_p, sl_, bl))
        ce = L._ddadd(*_mul(-target, logp), *_mul((-oh, -ol), logq))
        M1h, M1l, ok1 = _pow_dd(Lh, Ll, *two_sum(np.float64(gamma), -1.0))
        M1 = (M1h, M1l)
        ceu = L._dd_div(*ce, *us)
        tp = L._dd_div(target, 0.0, xs, 0.0)
        tq = L._dd_div(oh, ol, *qs)
        t1 = _mul(G1, B, B, M1, ceu)
        t3a = _mul(-2.0 * gamma, B, M1, tp)
        t3b = _mul(2.0 * gamma, B, M1, tq)
        t4a = _mul(M0, L._dd_div(*tp, xs, 0.0))
        t4b = _mul(M0, L._dd_div(*tq, *qs))
        s, sl = _sum(t1, t3a, t3b, t4a, t4b)
        big = [t1[0], t3a[0], t3b[0], t4a[0], t4b[0]]
        ok = ok0 & ok1 & inner
    lost = L._cancels(s, *big)
    # the sum times u^g (logits) and a_t
    if logits:
        s, sl = _mul(M0, (s, sl))
    yh, yl = _mul((ah, al), (s, sl))
    y = yh + yl
    yl = yl - (y - yh)
    ok = ok & pos & fin & np.isfinite(y) & np.isfinite(yl) & (uh > 2.0**-960)
    redo = fin & pos & (~ok | lost)
    if not logits:
        redo &= (x > 0) & (x < 1)
    y = np.where(ok, y, 0.0)
    yl = np.where(ok, yl, 0.0)
    y = L.X.refine(y, redo, _focal_grad2_exact(gamma, alpha, logits), x, target, lo=yl)
    # limits: u = 0, and probabilities at 0 or 1 with u > 0 (CE'' = t/p^2 or (1 - t)/q^2 is infinite)
    if logits:
        y = np.where(fin & ~pos, 0.0, y)
        y = np.where(np.isinf(pred), 0.0, y)
    else:
        a0 = ah + al
        lim = a0 * (0.0 if gamma > 1 else 2.0 if gamma == 1 else np.inf)
        y = np.where(~pos, lim, y)
        y = np.where(pos & ((x == 0) | (x == 1)), np.inf, y)
    y = np.where(ah == 0, 0.0, y)  # a_t = 0: the loss is 0 identically
    yl = np.where(np.isfinite(y) & (y != 0) & (ok | redo), yl, 0.0)
    return _keep_nan(pred, y), yl


ELEMENTWISE["focal"] = _focal2
focal_grad2 = _elementwise_pair("focal")
