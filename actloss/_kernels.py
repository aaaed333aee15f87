"""Elementwise activation kernels: value and derivative side by side.

Every kernel takes a float64 array (any shape) and keyword parameters and
returns a float64 array of the same shape. Contract (tests/test_accuracy.py,
against mpmath at 256 bits):

* within 4 ulp of the exactly rounded result for every float64 input where
  that result is normal; absolute error <= 2**-1022 where it is subnormal or
  underflows; within 1e-3 of a zero of a derivative, absolute error <= 4*2**-52;
* no NaN from finite input, no warnings, +-inf give the limits, NaN propagates;
* derivatives at kinks follow PyTorch autograd (stated on each record).

Techniques:

* branch on the sign so exp never overflows; every sigmoid-like quantity is
  written in e = exp(-|u|) <= 1, and the denominators 1 + e and (1 + e)**2 are
  carried as double-doubles (``_inv_1p``, ``_over_1p_sq``);
* scaled arguments (beta*x, x/alpha, x/sqrt(2), the cubic of the tanh GELU)
  are double-doubles (hi, lo); lo enters as exp(hi + lo) = exp(hi)*(1 + lo),
  which keeps the far tails (|u| ~ 700) exact;
* products c*exp(u) whose exp(u) alone would be subnormal (while the product
  is normal) are formed by ``_exp_mul`` with a single rounding at the end;
* GELU uses a vectorised port of the fdlibm erf/erfc rational approximations,
  with exp(-x*x/2) taken from the exact double-double x*x;
* near the zero of a derivative with a cancelling formula (gelu', silu',
  mish', gelu-tanh') a polynomial in the distance to the zero, fitted offline
  with mpmath (tools/root_polynomials.py), gives full relative accuracy.
"""

from __future__ import annotations

import functools
import math

import numpy as np

from actloss._dd import div_dd, div_dd_dd, fast_two_sum, square, two_prod, two_prod_const, two_prod_scaled, two_sum

# double-double constants (hi, lo)
INV_SQRT2 = (0.7071067811865476, -4.833646656726457e-17)
SQRT_2_OVER_PI = (0.7978845608028654, -4.98465440455546e-17)
INV_SQRT_2PI = (0.3989422804014327, -2.49232720227773e-17)
TWO_OVER_SQRT_PI = (1.1283791670955126, 1.533545961316588e-17)

# ln 2 split so that k * LN2_HI is exact for |k| < 2**21 (fdlibm's split)
LN2_HI = 6.93147180369123816490e-01
LN2_LO = 1.90821492927058770002e-10
INV_LN2 = 1.4426950408889634

# SELU constants (Klambauer et al. 2017), as PyTorch's float64 values
SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946
SELU_LA = two_prod(np.float64(SELU_SCALE), np.float64(SELU_ALPHA))  # lambda*alpha, exact

GELU_C = 0.044715  # the float constant of the tanh approximation, as every implementation uses it


def _arr(x):
    return np.asarray(x, dtype=np.float64)


def _keep_nan(x, y):
    """NaN in -> NaN out (derivatives built from comparisons would lose it)."""
    nan = np.isnan(x)
    if nan.any():
        y = np.where(nan, np.nan, y)
    return y


def _limits(x, y, at_neg_inf, at_pos_inf):
    """Set the values at -inf and +inf to the function's limits."""
    inf = np.isinf(x)
    if inf.any():
        y = np.where(inf, np.where(x > 0, at_pos_inf, at_neg_inf), y)
    return y


_BLOCK = 8192  # elements per block: the temporaries (64 KiB) stay in cache and below malloc's trim threshold


def _blockwise(fn):
    """Run a kernel block by block over large inputs (same results, several times faster
    than one pass over arrays that do not fit in cache), with floating-point warnings off."""

    @functools.wraps(fn)
    def kernel(x, *args, **kw):
        x = _arr(x)
        flat = x.reshape(-1)  # kernels see 1-D arrays
        with np.errstate(all="ignore"):
            if flat.size <= _BLOCK:
                return fn(flat, *args, **kw).reshape(x.shape)
            out = np.empty(flat.shape, dtype=np.float64)
            for i in range(0, flat.size, _BLOCK):
                out[i:i + _BLOCK] = fn(flat[i:i + _BLOCK], *args, **kw)
            return out.reshape(x.shape)

    return kernel


def _is_pow2(c):
    return c != 0.0 and math.isfinite(c) and math.frexp(c)[0] in (0.5, -0.5)


_SATURATED = 2e4  # |u| beyond: exp(-|u|) * 2**1024 underflows, every sigmoid-like result is saturated


def _scaled(beta, x):
    """u = beta * x as a double-double (hi, lo), hi clipped to +-_SATURATED (lo = 0 there)."""
    if beta == 1.0:
        hi, lo = x, np.zeros_like(x)
    elif _is_pow2(beta):
        hi, lo = beta * x, np.zeros_like(x)
    else:
        hi, lo = two_prod_scaled(x, np.float64(beta))
    sat = ~(np.abs(hi) < _SATURATED)
    if sat.any():
        hi = np.where(sat, np.clip(hi, -_SATURATED, _SATURATED), hi)  # NaN stays NaN
        lo = np.where(sat, 0.0, lo)
    return hi, lo


def _exp_mul(c, h, l):
    """c * exp(h + l) with a single rounding at the end.

    exp(h) is formed directly where h >= -700; below, exp(h) would be
    subnormal (or 0) while c * exp(h) may still be normal, so the exponent is
    split off: h + l = r - k ln2 with r in (-ln2, 0], and the result is
    ldexp(mant(c) * exp(r), exp(c) - k). Valid for h <= 709 and |l| << 1.
    """
    c, h, l = np.broadcast_arrays(_arr(c), _arr(h), _arr(l))
    e = np.exp(h)
    p, pe = _two_prod_safe(c, e)  # c e exactly: the only roundings are exp's and the last one
    y = p + (pe + p * l)
    deep = h < -700.0
    if deep.any():
        hd = h[deep]
        ld = np.where(hd < -20000.0, 0.0, l[deep])
        hd = np.maximum(hd, -20000.0)  # exp(-20000) * 2**1024 is 0 already
        k = np.floor(hd * -INV_LN2)
        r = hd + k * LN2_HI  # exact: k*LN2_HI has <= 47 bits and cancels hd (Sterbenz)
        rl = ld + k * LN2_LO  # up to ~2e-7: not first-order small
        m = np.exp(r)
        m = m + m * np.expm1(rl)
        mc, ec = np.frexp(c[deep])
        y[deep] = np.ldexp(mc * m, ec - k.astype(np.int64))
    return y


def _inv_1p(e):
    """(1/(1+e), e/(1+e)) for 0 <= e <= 1, with 1 + e carried exactly."""
    s, t = fast_two_sum(1.0, e)
    r = 1.0 / s
    c = t * r
    q = e / s
    return r - r * c, q - q * c


def _div_1p_sq(nh, nl, e):
    """(nh + nl) / (1 + e)**2 for 0 <= e <= 1, with (1 + e)**2 carried as a double-double."""
    s, t = fast_two_sum(1.0, e)
    p, pe = two_prod(s, s)
    pe = pe + 2.0 * s * t
    return div_dd_dd(nh, nl, p, pe)


def _over_1p_sq(e):
    """e / (1 + e)**2 for 0 <= e <= 1."""
    return _div_1p_sq(e, 0.0, e)


def _ddm(ah, al, bh, bl):
    """(ah + al)(bh + bl) as a double-double (not renormalised)."""
    p, pe = two_prod(ah, bh)
    return p, pe + (ah * bl + al * bh)


def _dda(ah, al, bh, bl):
    """(ah + al) + (bh + bl) as a double-double (not renormalised)."""
    s, se = two_sum(ah, bh)
    return s, se + (al + bl)


def _two_prod_safe(a, b):
    """two_prod, falling back to (a*b, 0) where splitting a huge operand overflows."""
    p, pe = two_prod(a, b)
    return p, np.where(np.isfinite(pe), pe, 0.0)


def _sigmoid_like_grad(uh, ul, vh, vl, e, pos):
    """sigma(u) + v sigma(u) sigma(-u) for u = uh + ul, e = exp(-|u|), v = vh + vl:

    u >= 0: ((1 + e) + v e) / (1 + e)^2;  u < 0: e ((1 + v) + e) / (1 + e)^2,
    every sum and product carried as a double-double (v = u for SiLU, x w'(x) for the tanh GELU).
    """
    s, t = fast_two_sum(1.0, e)
    # u >= 0
    m, me = two_prod(vh, e)
    me = me + vl * e + t
    ph, pl = two_sum(s, m)
    pl = pl + me
    # u < 0
    b0, b0l = two_sum(1.0, vh)
    bh, bl = two_sum(b0, e)
    bl = bl + (b0l + vl)
    nh, nl = two_prod(e, bh)
    nl = nl + e * bl
    return _div_1p_sq(np.where(pos, ph, nh), np.where(pos, pl, nl), e)


def _x_sigmoid(x, e, pos):
    """x sigma(u) with e = exp(-|u|): x/(1 + e) for u >= 0, x e/(1 + e) for u < 0."""
    nh, nl = _two_prod_safe(x, np.where(pos, 1.0, e))
    s, t = fast_two_sum(1.0, e)
    return div_dd_dd(nh, nl, s, t)


def _exp_neg_abs(uh, ul):
    """e = exp(-|uh + ul|) to first order in ul, and the sign mask uh >= 0."""
    pos = uh >= 0
    e = np.exp(-np.abs(uh))
    return e - e * np.where(pos, ul, -ul), pos


def _horner(coefs, t):
    acc = np.full_like(t, coefs[0])
    for c in coefs[1:]:
        acc *= t
        acc += c
    return acc


# ---------------------------------------------------------------------------
# polynomials around the zeros of cancelling derivatives
# ---------------------------------------------------------------------------

class _Pieces:
    """A derivative f near its zero, from polynomials fitted offline with mpmath.

    Each piece (lo, hi, c_hi, c_lo, root, coefs) covers lo <= v < hi with
    t = v - (c_hi + c_lo): the piece holding the zero (root=True, c the zero
    as a double-double) gives f = t q(t), so f keeps full relative accuracy
    however close v is to the zero; the others give f = p(t) around a short
    midpoint c (v - c exact). Coefficients from the highest degree down.
    Generated by tools/root_polynomials.py.
    """

    def __init__(self, pieces):
        self.pieces = tuple(pieces)
        self.lo = self.pieces[0][0]
        self.hi = self.pieces[-1][1]
        self.bounds = np.array([p[0] for p in self.pieces[1:]])
        self.ch = np.array([p[2] for p in self.pieces])
        self.cl = np.array([p[3] for p in self.pieces])
        self.root = np.array([p[4] for p in self.pieces])
        deg = max(len(p[5]) for p in self.pieces)
        # one row per piece, zero-padded at the high-degree end; Horner runs over columns
        self.table = np.array([(0.0,) * (deg - len(p[5])) + tuple(p[5]) for p in self.pieces])

    def mask(self, v):
        return (v >= self.lo) & (v < self.hi)

    def __call__(self, vh, vl):
        i = np.searchsorted(self.bounds, vh, side="right")
        th, tl = two_sum(vh, -self.ch[i])
        t = th + ((tl + vl) - self.cl[i])
        c = self.table[i]
        p = c[:, 0].copy()
        for k in range(1, c.shape[1]):
            p *= t
            p += c[:, k]
        return np.where(self.root[i], t * p, p)


def _override(y, v, pieces, vh=None, vl=None):
    """Replace y (1-D) by the piecewise polynomials where v falls in their range."""
    i = np.flatnonzero(pieces.mask(v))
    if i.size:
        vh = v if vh is None else vh
        y[i] = pieces(vh.take(i), np.zeros(i.size) if vl is None else vl.take(i))
    return y


# ---------------------------------------------------------------------------
# sigmoid and friends
# ---------------------------------------------------------------------------

@_blockwise
def sigmoid(x):
    with np.errstate(all="ignore"):
        x = _arr(x)
        e = np.exp(-np.abs(x))
        r, q = _inv_1p(e)
        return np.where(x >= 0, r, q)


@_blockwise
def sigmoid_grad(x):
    with np.errstate(all="ignore"):
        x = _arr(x)
        return _over_1p_sq(np.exp(-np.abs(x)))


def tanh(x):
    with np.errstate(all="ignore"):
        return np.tanh(_arr(x))


@_blockwise
def tanh_grad(x):
    with np.errstate(all="ignore"):
        x = _arr(x)
        return 4.0 * _over_1p_sq(np.exp(-2.0 * np.abs(x)))


@_blockwise
def softsign(x):
    with np.errstate(all="ignore"):
        x = _arr(x)
        y = x / (1.0 + np.abs(x))
        return _limits(x, y, -1.0, 1.0)


@_blockwise
def softsign_grad(x):
    with np.errstate(all="ignore"):
        x = _arr(x)
        a = np.abs(x)
        big = a > 1e150  # 1/(1+a)**2 = a**-2 to the last bit
        ac = np.where(big, 1.0, a)
        s, t = two_sum(1.0, ac)
        p, pe = two_prod(s, s)
        pe = pe + 2.0 * s * t
        r = 1.0 / p
        y = r - r * (pe * r)
        return np.where(big, (1.0 / a) / a, y)


@_blockwise
def log_sigmoid(x):
    with np.errstate(all="ignore"):
        x = _arr(x)
        y = np.minimum(x, 0.0) - np.log1p(np.exp(-np.abs(x)))
        return _limits(x, y, -np.inf, 0.0)


def log_sigmoid_grad(x):
    """(log σ)'(x) = σ(−x)."""
    return sigmoid(-_arr(x))


# ---------------------------------------------------------------------------
# SiLU / swish, quick GELU, softplus, mish
# ---------------------------------------------------------------------------

# d/du [u sigma(u)] = sigma(u) (1 + u sigma(-u)) vanishes at u0 = -1.27846...
# zero -1.278464542761073795109359; largest relative error of the fits 1.07e-19
_SILU_ROOT = _Pieces((
    (-1.4884645427610739, -1.0684645427610737, -1.2784645427610737, -1.0946994183093437e-16, True, (
        8.467466828367339e-07, 2.3414204289624396e-06, -2.941904032527766e-06,
        -2.973328392137465e-05, -4.090536162015212e-05, 0.00018570723672481763,
        0.0007985218820872578, 0.000126627410170072, -0.006606589138358061,
        -0.015222655223188523, 0.018874814223782316, 0.1466487969969469,
        0.2178117057198001,
    )),
))


@_blockwise
def silu(x, beta=1.0):
    with np.errstate(all="ignore"):
        x = _arr(x)
        uh, ul = _scaled(beta, x)
        e, pos = _exp_neg_abs(uh, ul)
        y = _x_sigmoid(x, e, pos)
        deep = uh < -700.0
        if deep.any():
            y[deep] = _exp_mul(x[deep], uh[deep], ul[deep])
        at_neg = -0.0 if beta > 0 else (-np.inf if beta < 0 else -np.inf)
        at_pos = np.inf if beta >= 0 else 0.0
        return _keep_nan(x, _limits(x, y, at_neg, at_pos))


@_blockwise
def silu_grad(x, beta=1.0):
    """g(u) = sigma(u) + u sigma(u) sigma(-u) at u = beta*x.

    u >= 0 (e = exp(-u)): ((1 + e) + u e) / (1 + e)**2;
    u <  0 (e = exp(u)):  e ((1 + u) + e) / (1 + e)**2, whose bracket cancels
    only near the zero u0 (where 1 + u is exact), covered by the root polynomial.
    """
    with np.errstate(all="ignore"):
        x = _arr(x)
        uh, ul = _scaled(beta, x)
        e, pos = _exp_neg_abs(uh, ul)
        y = _sigmoid_like_grad(uh, ul, uh, ul, e, pos)
        deep = uh < -700.0
        if deep.any():
            y[deep] = _exp_mul((1.0 + uh[deep]) + ul[deep], uh[deep], ul[deep])
        y = _override(y, uh, _SILU_ROOT, uh, ul)
        if beta == 0:
            y = np.full_like(x, 0.5)
        lim_neg, lim_pos = (0.0, 1.0) if beta > 0 else ((1.0, 0.0) if beta < 0 else (0.5, 0.5))
        return _keep_nan(x, _limits(x, y, lim_neg, lim_pos))


QUICK_GELU_BETA = 1.702


def quick_gelu(x):
    return silu(x, beta=QUICK_GELU_BETA)


def quick_gelu_grad(x):
    return silu_grad(x, beta=QUICK_GELU_BETA)


@_blockwise
def softplus(x, beta=1.0):
    with np.errstate(all="ignore"):
        x = _arr(x)
        hi, lo = _scaled(beta, x)
        e = np.exp(-np.abs(hi))
        l1p = np.log1p(e)
        r, q = _inv_1p(e)
        # beta*x < 0: log1p(exp(u))/beta, corrected for lo by sigma(u)*lo
        neg = (l1p + q * lo) / beta
        # beta*x >= 0: x + log1p(exp(-u))/beta (x exact, no division of u)
        pos = x + (l1p - q * lo) / beta
        y = np.where(hi < 0, neg, pos)
        deep = hi < -700.0
        if deep.any():  # log1p(e) = e to the last bit; e itself would be subnormal
            y[deep] = _exp_mul(np.float64(1.0 / beta), hi[deep], lo[deep])
        return _limits(x, y, 0.0, np.inf)


@_blockwise
def softplus_grad(x, beta=1.0):
    with np.errstate(all="ignore"):
        x = _arr(x)
        hi, lo = _scaled(beta, x)
        e, pos = _exp_neg_abs(hi, lo)
        r, q = _inv_1p(e)
        return np.where(pos, r, q)


# zero -1.192431214515495212137588; largest relative error of the fits 1.84e-19
_MISH_ROOT = _Pieces((
    (-1.4024312145154951, -0.9824312145154952, -1.1924312145154952, -4.8484829848031044e-17, True, (
        2.9120825389615577e-06, 1.1061018287987433e-06, -1.7299451182713005e-05,
        -5.583878120643669e-05, -4.196149085904086e-05, 0.0002541296599164062,
        0.000989818102051216, 0.001092405536379968, -0.0033606849270227065,
        -0.01582112656169985, -0.02027182271668425, 0.04190782104360978,
        0.20473126408010586, 0.2669479140495345,
    )),
))


def _mish_neg_parts(e):
    """For x <= 0, e = exp(x): n = e(2 + e) = (1 + e)^2 - 1 and d = n + 2, as double-doubles."""
    a2, b2 = fast_two_sum(2.0, e)
    n, ne = two_prod(e, a2)
    ne = ne + e * b2
    d, dl = two_sum(2.0, n)
    return n, ne, d, dl + ne


@_blockwise
def mish(x):
    """x tanh(softplus(x)); tanh(log(1 + e^x)) = n/(n + 2) with n = e^x (2 + e^x) (x <= 0)
    and = 1 - 2e^2/(1 + 2e + 2e^2) with e = e^-x (x > 0)."""
    with np.errstate(all="ignore"):
        x = _arr(x)
        neg = x <= 0
        # x <= 0: x n / (n + 2), numerator and denominator as double-doubles
        e = np.exp(np.minimum(x, 0.0))
        n, ne, d, dl = _mish_neg_parts(e)
        xn, xne = _two_prod_safe(x, n)
        y_neg = div_dd_dd(xn, xne + x * ne, d, dl)
        # x > 0
        ep = np.exp(-np.maximum(x, 0.0))
        e2 = 2.0 * ep * ep
        y_pos = x - x * (e2 / ((1.0 + 2.0 * ep) + e2))
        y = np.where(neg, y_neg, y_pos)
        deep = x < -700.0
        if deep.any():
            y[deep] = _exp_mul(x[deep], x[deep], 0.0)
        return _keep_nan(x, _limits(x, y, -0.0, np.inf))


def _mish_grad_neg(x):
    """mish'(x) for x <= 0, e = e^x: e B / (n + 2)^2 with B = 4(1 + x) + e ((6 + 4x) + e (4 + e))."""
    e = np.exp(x)
    n, ne, d, dl = _mish_neg_parts(e)
    p, pe = two_prod(d, d)
    pe += 2.0 * d * dl
    fh, fl = two_sum(4.0, e)  # 4 + e
    gh, gl = two_prod(e, fh)  # e (4 + e)
    gl += e * fl
    c0, c0l = two_sum(6.0, 4.0 * x)
    ch, cl = two_sum(c0, gh)  # C
    cl += c0l + gl
    eh, el = two_prod(e, ch)  # e C
    el += e * cl
    a0, a0l = two_sum(1.0, x)  # 1 + x
    bh, bl = two_sum(4.0 * a0, eh)  # B
    bl += 4.0 * a0l + el
    nh, nl = two_prod(e, bh)
    return div_dd_dd(nh, nl + e * bl, p, pe)


def _mish_grad_pos(x):
    """mish'(x) for x > 0, e = e^-x: ((1 + 2e) w + 4x e^2 (1 + e)) / w^2, w = 1 + 2e + 2e^2."""
    xp = np.minimum(x, 800.0)  # beyond, 4 x e^2 has underflowed long before
    ep = np.exp(-xp)
    a = two_sum(1.0, 2.0 * ep)  # 1 + 2e
    e2 = two_prod(2.0 * ep, ep)  # 2e^2
    w = _dda(*a, *e2)
    k = _ddm(*_ddm(2.0 * xp, 0.0, *e2), *two_sum(1.0, ep))  # 4x e^2 (1 + e)
    return div_dd_dd(*_dda(*_ddm(*a, *w), *k), *_ddm(*w, *w))


@_blockwise
def mish_grad(x):
    """x is exact, so carrying B, e B and (n + 2)^2 (x <= 0) as double-doubles leaves only
    the rounding of e; B cancels only near the zero, covered by _MISH_ROOT."""
    y = np.empty_like(x)
    win = _MISH_ROOT.mask(x)
    i = np.flatnonzero((x <= 0) & (x >= -700.0) & ~win)
    if i.size:
        y[i] = _mish_grad_neg(x.take(i))
    i = np.flatnonzero(~(x <= 0))  # NaN included
    if i.size:
        y[i] = _mish_grad_pos(x.take(i))
    i = np.flatnonzero(x < -700.0)
    if i.size:
        xd = x.take(i)
        y[i] = _exp_mul(1.0 + xd, xd, 0.0)
    i = np.flatnonzero(win)
    if i.size:
        y[i] = _MISH_ROOT(x.take(i), np.zeros(i.size))
    return _keep_nan(x, _limits(x, y, 0.0, 1.0))


# ---------------------------------------------------------------------------
# GELU
# ---------------------------------------------------------------------------
# erf/erfc rational approximations from fdlibm s_erf.c:
#   Copyright (C) 1993 by Sun Microsystems, Inc. All rights reserved.
#   Developed at SunPro, a Sun Microsystems, Inc. business.
#   Permission to use, copy, modify, and distribute this
#   software is freely granted, provided that this notice
#   is preserved.
# Coefficients lowest degree first; the denominators' constant term is 1.

_ERX = 8.45062911510467529297e-01
_PP = (1.28379167095512558561e-01, -3.25042107247001499370e-01, -2.84817495755985104766e-02,
       -5.77027029648944159157e-03, -2.37630166566501626084e-05)
_QQ = (1.0, 3.97917223959155352819e-01, 6.50222499887672944485e-02, 5.08130628187576562776e-03,
       1.32494738004321644526e-04, -3.96022827877536812320e-06)
_PA = (-2.36211856075265944077e-03, 4.14856118683748331666e-01, -3.72207876035701323847e-01,
       3.18346619901161753674e-01, -1.10894694282396677476e-01, 3.54783043256182359371e-02,
       -2.16637559486879084300e-03)
_QA = (1.0, 1.06420880400844228286e-01, 5.40397917702171048937e-01, 7.18286544141962662868e-02,
       1.26171219808761642112e-01, 1.36370839120290507362e-02, 1.19844998467991074170e-02)
_RA = (-9.86494403484714822705e-03, -6.93858572707181764372e-01, -1.05586262253232909814e+01,
       -6.23753324503260060396e+01, -1.62396669462573470355e+02, -1.84605092906711035994e+02,
       -8.12874355063065934246e+01, -9.81432934416914548592e+00)
_SA = (1.0, 1.96512716674392571292e+01, 1.37657754143519042600e+02, 4.34565877475229228821e+02,
       6.45387271733267880336e+02, 4.29008140027567833386e+02, 1.08635005541779435134e+02,
       6.57024977031928170135e+00, -6.04244152148580987438e-02)
_RB = (-9.86494292470009928597e-03, -7.99283237680523006574e-01, -1.77579549177547519889e+01,
       -1.60636384855821916062e+02, -6.37566443368389627722e+02, -1.02509513161107724954e+03,
       -4.83519191608651397019e+02)
_SB = (1.0, 3.03380607434824582924e+01, 3.25792512996573918826e+02, 1.53672958608443695994e+03,
       3.19985821950859553908e+03, 2.55305040643316442583e+03, 4.74528541206955367215e+02,
       -2.24409524465858183362e+01)


def _rat(num, den, t):
    return _horner(num[::-1], t) / _horner(den[::-1], t)


_GELU_BIG = 40.0  # |x| beyond: gelu(x) = max(x, 0) and gelu'(x) = [x > 0] to the last bit


def _Phi_near(x, a, zh, e2):
    """Phi(x) for z = |x|/sqrt(2) < 1.25: fdlibm erf/erfc at zh = fl(z), corrected to first
    order for the rounding error zl of z (erf(zh + zl) = erf(zh) + zl 2/sqrt(pi) exp(-z^2)).

    e2 ~ exp(-z^2) (only used for that correction).
    """
    _, zl = two_prod_const(a, INV_SQRT2[0])
    corr = (zl + a * INV_SQRT2[1]) * (TWO_OVER_SQRT_PI[0] * e2)
    neg = x < 0
    phi = np.empty_like(x)
    i = np.flatnonzero(zh < 0.84375)
    if i.size:  # erf(z) = z + z*y
        z, c, ng = zh.take(i), corr.take(i), neg.take(i)
        zy = z * _rat(_PP, _QQ, z * z)
        erfc = np.where(z < 0.25, 1.0 - (z + zy), 0.5 - ((z - 0.5) + zy))
        phi[i] = np.where(ng, 0.5 * (erfc - c), 0.5 + 0.5 * ((z + zy) + c))
    i = np.flatnonzero(zh >= 0.84375)
    if i.size:  # erf(z) = erx + P/Q(z - 1)
        pq = _rat(_PA, _QA, zh.take(i) - 1.0) + corr.take(i)
        phi[i] = np.where(neg.take(i), 0.5 * ((1.0 - _ERX) - pq), 0.5 * ((1.0 + _ERX) + pq))
    return phi


def _erfc_log_tail(zh):
    """c = -0.5625 + R/S(1/z^2) as a double-double: erfc(z) = exp(-z^2 + c)/z, z >= 1.25."""
    s = 1.0 / (zh * zh)
    rs = np.empty_like(zh)
    i = np.flatnonzero(zh < 2.857142857142857)
    if i.size:
        rs[i] = _rat(_RA, _SA, s.take(i))
    i = np.flatnonzero(zh >= 2.857142857142857)
    if i.size:
        rs[i] = _rat(_RB, _SB, s.take(i))
    return two_sum(-0.5625, rs)


def _half_sq(a):
    """-a*a/2 as an exact double-double."""
    p, pe = square(a)
    return -0.5 * p, -0.5 * pe


def _gelu_regions(x, exclude=None):
    """Index arrays of near (|x|/sqrt2 < 1.25, NaN included), far (up to |x| = 40) and big |x|."""
    a = np.abs(x)
    zh = a * INV_SQRT2[0]  # z = |x|/sqrt(2) rounded; its error is corrected where it matters
    tail = zh >= 1.25
    near = ~tail
    far = tail & (a <= _GELU_BIG)
    if exclude is not None:
        near &= ~exclude
        far &= ~exclude
    return a, zh, np.flatnonzero(near), np.flatnonzero(far), np.flatnonzero(a > _GELU_BIG)


def _gelu_exact(x):
    y = np.empty_like(x)
    a, zh, near, far, big = _gelu_regions(x)
    if near.size:
        xn, zn = x.take(near), zh.take(near)
        y[near] = xn * _Phi_near(xn, a.take(near), zn, np.exp(-zn * zn))
    if far.size:
        # x Phi(x) = max(x, 0) - |x| Phi(-|x|),  |x| Phi(-|x|) = exp(-x^2/2 + c)/sqrt(2)
        xf, af = x.take(far), a.take(far)
        ch, cl = _erfc_log_tail(zh.take(far))
        eh, el = _half_sq(af)
        th, tl = two_sum(eh, ch)
        tl += (el + cl) + INV_SQRT2[1] / INV_SQRT2[0]
        tail = _exp_mul(INV_SQRT2[0], th, tl)
        y[far] = np.where(xf < 0, -tail, xf - tail)
    if big.size:
        xb = x.take(big)
        y[big] = np.where(xb > 0, xb, -0.0)
    return y


# zero -0.7517915246935644574579049; largest relative error of the fits 2.02e-19
_GELU_ROOT = _Pieces((
    (-1.8017915246935645, -1.6517915246935644, -1.7265625, 0.0, False, (
        -9.018645656042222e-05, 0.0003799437784359019, 0.0014414233295779973,
        -0.0007848942113344814, -0.011594889484589225, -0.013733716377216426,
        0.03817344235617265, 0.1195302020847245, 0.07905129884134503,
        -0.08815911522183228, -0.11303427723103666,
    )),
    (-1.6517915246935644, -1.4517915246935644, -1.5517578125, 0.0, False, (
        -3.976530375308495e-05, -0.00018193684050088675, 0.0001391083848774945,
        0.0018715885549668329, 0.0015760508750792886, -0.011172798219072775,
        -0.02592686309507975, 0.02081001055028179, 0.14077492600092772,
        0.14783589125568183, -0.04882466372996215, -0.12535782603769713,
    )),
    (-1.4517915246935644, -1.2517915246935645, -1.3515625, 0.0, False, (
        -0.0002303790980743813, -0.00028911471367271596, 0.0017513500595189066,
        0.0045809155717534, -0.006836786016904661, -0.03716758630749867,
        -0.011202905054191225, 0.14537805359482636, 0.23505212521601523,
        0.02773243810327553, -0.1280534068209595,
    )),
    (-1.2517915246935645, -1.0517915246935645, -1.1513671875, 0.0, False, (
        5.149223533038152e-05, -0.00017394701204809178, -0.0007143322398768794,
        0.0008304264781213069, 0.006751551915846695, 0.0012765632074639042,
        -0.04081436705794419, -0.0510483488998371, 0.1207009521118584,
        0.3165572677732146, 0.13865555945799451, -0.11194493355616629,
    )),
    (-1.0517915246935645, -0.8517915246935645, -0.9521484375, 0.0, False, (
        8.865855003148954e-05, -1.5029473397523536e-05, -0.0009171236812097666,
        -0.0006798795669378751, 0.006920471670097515, 0.011091094746292617,
        -0.03344759097048079, -0.08901368675109593, 0.06440803203474248,
        0.3733876041482451, 0.2772245262671851, -0.07089730101863229,
    )),
    (-0.8517915246935645, -0.6517915246935645, -0.7517915246935645, 1.4956759177009883e-17, True, (
        -1.1201395750896905e-05, 8.592734525129281e-05, 0.0001863396001607609,
        -0.0007448242283400444, -0.0022395380673160973, 0.004539228365593178,
        0.01942167983818729, -0.014771522148212625, -0.1140082332972217,
        -0.018199676398671115, 0.388284982990552, 0.4314939923140469,
    )),
    (-0.6517915246935645, -0.5217915246935645, -0.5869140625, 0.0, False, (
        0.000312844241940582, -0.0003231964269251386, -0.003058393226517343,
        0.000976203345813309, 0.02270902077521724, 0.006408009490822346,
        -0.11768045743482441, -0.0955628464144392, 0.36025072251746254,
        0.5559648229625219, 0.08153177628293767,
    )),
    (-0.5217915246935645, -0.3917915246935645, -0.45703125, 0.0, False, (
        0.00035122462507710046, 0.00011493399412983429, -0.003185370066519171,
        -0.002312167502379984, 0.02211177977188352, 0.024067047840535222,
        -0.10775988933139652, -0.15462209490618667, 0.31134119674100647,
        0.643692061827199, 0.15957678914781387,
    )),
    (-0.3917915246935645, -0.29179152469356445, -0.341796875, 0.0, False, (
        0.0003282474488058573, 0.0005117465703789239, -0.0028579773502087047,
        -0.005129498408356264, 0.019090087882857855, 0.03844189681557653,
        -0.08965149411114366, -0.20043796956653995, 0.24972778221752476,
        0.7086511121179048, 0.23763146632637355,
    )),
    (-0.29179152469356445, -0.1917915246935644, -0.2421875, 0.0, False, (
        0.0008115943281522997, -0.00225860345898662, -0.007186637485042726,
        0.014768557057877713, 0.04863137557201741, -0.06786087511660308,
        -0.23198612421316256, 0.18490112141018636, 0.752100903917985,
        0.3104910375939964,
    )),
))


def _gelu_exact_grad(x):
    y = np.empty_like(x)
    win = _GELU_ROOT.mask(x)
    a, zh, near, far, big = _gelu_regions(x, exclude=win)
    if near.size:
        xn = x.take(near)
        eh, el = _half_sq(xn)
        e2 = np.exp(eh)
        e2 += e2 * el  # exp(-x^2/2), also exp(-z^2)
        xe = xn * e2
        y[near] = _Phi_near(xn, a.take(near), zh.take(near), e2) + (xe * INV_SQRT_2PI[0] + xe * INV_SQRT_2PI[1])
    if far.size:
        # D(a) = gelu'(-a) = Phi(-a) - a phi(a) = exp(-a^2/2) (Q/(sqrt2 a) - a/sqrt(2 pi)),
        # Q = exp(c) = sqrt(pi) z e^(z^2) erfc(z); gelu'(a) = 1 - D(a).
        xf, af = x.take(far), a.take(far)
        ch, cl = _erfc_log_tail(zh.take(far))
        # the bracket as a double-double (gh, gl): only exp(c) is rounded before it cancels
        qv = np.exp(ch)
        qh, ql = two_prod_const(qv, INV_SQRT2[0])
        ql = ql + qv * INV_SQRT2[1] + qh * cl  # Q/sqrt2 = qv (1 + cl)/sqrt2
        t1 = qh / af
        p, pe = two_prod(t1, af)
        t1l = (((qh - p) - pe) + ql) / af
        m, me = two_prod_const(af, INV_SQRT_2PI[0])
        gh, gl = two_sum(t1, -m)
        gl = gl + (t1l - (me + af * INV_SQRT_2PI[1]))
        eh, el = _half_sq(af)
        d = _exp_mul(gh, eh, el + gl / gh)
        y[far] = np.where(xf < 0, d, 1.0 - d)
    if big.size:
        y[big] = np.where(x.take(big) > 0, 1.0, -0.0)
    i = np.flatnonzero(win)
    if i.size:
        y[i] = _GELU_ROOT(x.take(i), np.zeros(i.size))
    return y


def _gelu_tanh_w(x):
    """w = 2 sqrt(2/pi) (x + c x^3) and x w'(x) = 2 sqrt(2/pi) (x + 3c x^3), both double-doubles."""
    xc = np.clip(x, -50.0, 50.0)  # beyond, sigma(w) is 0 or 1 far below the last bit
    x2, x2e = two_prod(xc, xc)
    x3, x3e = two_prod(x2, xc)
    x3e = x3e + x2e * xc
    k2h, k2l = 2.0 * SQRT_2_OVER_PI[0], 2.0 * SQRT_2_OVER_PI[1]
    out = []
    for ch, cl in (two_prod(np.float64(GELU_C), np.float64(1.0)), two_prod(np.float64(3.0), np.float64(GELU_C))):
        p, pe = two_prod(x3, ch)
        pe = pe + x3e * ch + x3 * cl
        s, se = two_sum(xc, p)
        se = se + pe
        h, l = two_prod(s, k2h)
        l = l + s * k2l + se * k2h
        out += [h, l]
    return tuple(out)


# zero -0.7524614220710162604853412; largest relative error of the fits 1.25e-20
_GELU_TANH_ROOT = _Pieces((
    (-0.9624614220710163, -0.5424614220710162, -0.7524614220710163, 3.4358218314355225e-17, True, (
        2.363489925876519e-06, 5.757214519431576e-06, -1.594628851291385e-05,
        -3.4945544856933915e-05, 0.00012425212320662886, 0.0002639272833382614,
        -0.0009274420202317422, -0.0024227318394392074, 0.00526105925489611,
        0.019682309459773558, -0.01661932834305246, -0.11394448308095874,
        -0.015782853521848023, 0.38751844613578895, 0.4304000910248585,
    )),
))


def _gelu_tanh(x):
    x = _arr(x)
    wh, wl, _, _ = _gelu_tanh_w(x)
    e, pos = _exp_neg_abs(wh, wl)
    y = _x_sigmoid(x, e, pos)
    deep = wh < -700.0
    if deep.any():
        y[deep] = _exp_mul(x[deep], wh[deep], wl[deep])
    return y


def _gelu_tanh_grad(x):
    """sigma(w) + x sigma'(w) w': w >= 0: ((1 + e) + x w' e)/(1 + e)^2;
    w < 0: e ((1 + x w') + e)/(1 + e)^2, with e = exp(-|w|)."""
    x = _arr(x)
    wh, wl, dh, dl = _gelu_tanh_w(x)
    e, pos = _exp_neg_abs(wh, wl)
    y = _sigmoid_like_grad(wh, wl, dh, dl, e, pos)
    deep = wh < -700.0
    if deep.any():
        y[deep] = _exp_mul((1.0 + dh[deep]) + dl[deep], wh[deep], wl[deep])
    return _override(y, x, _GELU_TANH_ROOT)


@_blockwise
def gelu(x, approximate="none"):
    with np.errstate(all="ignore"):
        x = _arr(x)
        y = _gelu_tanh(x) if approximate == "tanh" else _gelu_exact(x)
        return _keep_nan(x, _limits(x, y, -0.0, np.inf))


@_blockwise
def gelu_grad(x, approximate="none"):
    with np.errstate(all="ignore"):
        x = _arr(x)
        y = _gelu_tanh_grad(x) if approximate == "tanh" else _gelu_exact_grad(x)
        return _keep_nan(x, _limits(x, y, 0.0, 1.0))


# ---------------------------------------------------------------------------
# ReLU family
# ---------------------------------------------------------------------------

def relu(x):
    return np.maximum(_arr(x), 0.0)


def relu_grad(x):
    x = _arr(x)
    return _keep_nan(x, (x > 0).astype(np.float64))


def leaky_relu(x, alpha=0.01):
    x = _arr(x)
    with np.errstate(all="ignore"):
        neg = alpha * x if alpha != 0 else np.where(np.isnan(x), x, 0.0)
        return np.where(x > 0, x, neg)


def leaky_relu_grad(x, alpha=0.01):
    x = _arr(x)
    return _keep_nan(x, np.where(x > 0, 1.0, alpha))


def prelu(x, alpha=0.25):
    return leaky_relu(x, alpha)


def prelu_grad(x, alpha=0.25):
    return leaky_relu_grad(x, alpha)


def _rrelu_slope(lower, upper):
    """(lower + upper)/2 rounded once, also where lower + upper overflows."""
    s = (lower + upper) / 2.0
    return s if math.isfinite(s) else lower / 2.0 + upper / 2.0


def rrelu(x, lower=1.0 / 8.0, upper=1.0 / 3.0):
    return leaky_relu(x, _rrelu_slope(lower, upper))


def rrelu_grad(x, lower=1.0 / 8.0, upper=1.0 / 3.0):
    return leaky_relu_grad(x, _rrelu_slope(lower, upper))


@_blockwise
def elu(x, alpha=1.0):
    x = _arr(x)
    with np.errstate(all="ignore"):
        return np.where(x > 0, x, alpha * np.expm1(x))


@_blockwise
def elu_grad(x, alpha=1.0):
    x = _arr(x)
    with np.errstate(all="ignore"):
        # alpha e^x: normal for a large alpha even where e^x alone is subnormal
        return _keep_nan(x, np.where(x > 0, 1.0, _exp_mul(np.float64(alpha), np.minimum(x, 0.0), 0.0)))


@_blockwise
def selu(x):
    x = _arr(x)
    with np.errstate(all="ignore"):
        em1 = np.expm1(x)
        neg = SELU_LA[0] * em1 + SELU_LA[1] * em1
        return np.where(x > 0, SELU_SCALE * x, neg)


@_blockwise
def selu_grad(x):
    x = _arr(x)
    with np.errstate(all="ignore"):
        ex = np.exp(x)
        neg = SELU_LA[0] * ex + SELU_LA[1] * ex
        return _keep_nan(x, np.where(x > 0, SELU_SCALE, neg))


def _celu_u(x, alpha):
    """u = x/alpha (x <= 0) as a double-double, computed without overflow for any alpha > 0."""
    xn = np.where(x > 0, 0.0, x)
    if alpha == 1.0:
        return xn, np.zeros_like(xn)
    xn = np.maximum(xn, -800.0 * alpha)  # exp(u) = 0 below anyway
    m, k = math.frexp(alpha)
    uh, ul = div_dd(np.ldexp(xn, -k), m)  # scaled into [0.5, 1): no splitting overflows
    return uh, np.where(np.isfinite(ul), ul, 0.0)


@_blockwise
def celu(x, alpha=1.0):
    x = _arr(x)
    with np.errstate(all="ignore"):
        uh, ul = _celu_u(x, alpha)
        # |u| tiny: alpha*expm1(u) = x (1 + u/2 + u^2/6), no loss when u underflows
        tiny = np.abs(uh) < 2.0**-20
        em1 = np.expm1(uh)
        neg = alpha * (em1 + np.exp(uh) * ul)
        neg = np.where(tiny, x * (1.0 + uh * (0.5 + uh / 6.0)), neg)
        return np.where(x > 0, x, neg)


@_blockwise
def celu_grad(x, alpha=1.0):
    x = _arr(x)
    with np.errstate(all="ignore"):
        uh, ul = _celu_u(x, alpha)
        eu = np.exp(uh)
        return _keep_nan(x, np.where(x > 0, 1.0, eu + eu * ul))


# ---------------------------------------------------------------------------
# piecewise-linear and shrink functions
# ---------------------------------------------------------------------------

def _div6(h, l):
    """(h + l)/6 rounded once (h + l a double-double)."""
    q = h / 6.0
    p, pe = two_prod(q, np.float64(6.0))
    return q + (((h - p) - pe) + l) / 6.0


def hardtanh(x, min_val=-1.0, max_val=1.0):
    x = _arr(x)
    return np.where(np.isnan(x), x, np.clip(x, min_val, max_val))


def hardtanh_grad(x, min_val=-1.0, max_val=1.0):
    x = _arr(x)
    return _keep_nan(x, ((x > min_val) & (x < max_val)).astype(np.float64))


def relu6(x):
    return hardtanh(x, 0.0, 6.0)


def relu6_grad(x):
    return hardtanh_grad(x, 0.0, 6.0)


@_blockwise
def hardsigmoid(x):
    x = _arr(x)
    with np.errstate(all="ignore"):
        xc = np.clip(x, -3.0, 3.0)
        y = _div6(*two_sum(xc, 3.0))
        y = np.where(x <= -3.0, 0.0, np.where(x >= 3.0, 1.0, y))
    return _keep_nan(x, y)


def hardsigmoid_grad(x):
    x = _arr(x)
    return _keep_nan(x, np.where((x > -3.0) & (x < 3.0), 1.0 / 6.0, 0.0))


@_blockwise
def hardswish(x):
    x = _arr(x)
    with np.errstate(all="ignore"):
        xc = np.clip(x, -3.0, 3.0)
        s, t = two_sum(xc, 3.0)
        p, pe = two_prod(xc, s)
        y = _div6(p, pe + xc * t)
        y = np.where(x <= -3.0, 0.0, np.where(x >= 3.0, x, y))
    return _keep_nan(x, y)


@_blockwise
def hardswish_grad(x):
    x = _arr(x)
    with np.errstate(all="ignore"):
        xc = np.clip(x, -3.0, 3.0)
        y = _div6(*two_sum(2.0 * xc, 3.0))
        y = np.where(x <= -3.0, 0.0, np.where(x >= 3.0, 1.0, y))
    return _keep_nan(x, y)


# x cosh x - sinh x = x^3 P(x^2), P(y) = sum_k 2k/(2k+1)! y^(k-1) (1/3 kept as a double-double);
# cosh x - 1 = x^2 H(x^2), H(y) = sum_k y^k/(2k+2)!
_TS_P = tuple(2.0 * k / math.factorial(2 * k + 1) for k in range(2, 16))
_TS_H = tuple(1.0 / math.factorial(2 * k + 2) for k in range(0, 15))
_THIRD = (1.0 / 3.0, 1.850371707708594e-17)
_TS_SMALL = 2.0


@_blockwise
def tanhshrink(x):
    """x - tanh(x); for |x| < 2 as (x cosh x - sinh x)/cosh x from the two positive series
    (no cancellation), numerator and denominator as double-doubles."""
    x = _arr(x)
    with np.errstate(all="ignore"):
        small = np.abs(x) < _TS_SMALL
        xs = np.where(small, x, 0.0)
        x2, x2e = two_prod(xs, xs)
        x3, x3e = two_prod(x2, xs)
        x3e = x3e + x2e * xs
        ph, pl = fast_two_sum(_THIRD[0], x2 * _horner(_TS_P[::-1], x2))
        pl = pl + _THIRD[1]
        nh, nl = two_prod(x3, ph)
        nl = nl + (x3 * pl + x3e * ph)
        ch, cl = fast_two_sum(1.0, x2 * _horner(_TS_H[::-1], x2))
        series = div_dd_dd(nh, nl, ch, cl)
        y = np.where(small, series, x - np.tanh(x))
    return y


@_blockwise
def tanhshrink_grad(x):
    """tanh(x)^2; for |x| >= 1.32 as 1 - sech^2 (sech^2 <= 1/4, no amplification)."""
    x = _arr(x)
    with np.errstate(all="ignore"):
        t = np.tanh(x)
        far = 1.0 - 4.0 * _over_1p_sq(np.exp(-2.0 * np.abs(x)))
        return np.where(np.abs(x) >= 1.32, far, t * t)


def softshrink(x, lambd=0.5):
    x = _arr(x)
    with np.errstate(all="ignore"):
        y = np.where(x > lambd, x - lambd, np.where(x < -lambd, x + lambd, 0.0))
    return _keep_nan(x, y)


def softshrink_grad(x, lambd=0.5):
    x = _arr(x)
    return _keep_nan(x, (np.abs(x) > lambd).astype(np.float64))


def hardshrink(x, lambd=0.5):
    x = _arr(x)
    return _keep_nan(x, np.where(np.abs(x) > lambd, x, 0.0))


def hardshrink_grad(x, lambd=0.5):
    return softshrink_grad(x, lambd)


def threshold(x, threshold=0.0, value=0.0):
    x = _arr(x)
    return _keep_nan(x, np.where(x > threshold, x, value))


def threshold_grad(x, threshold=0.0, value=0.0):
    x = _arr(x)
    return _keep_nan(x, (x > threshold).astype(np.float64))


def _squareplus_h(x, b):
    """h = sqrt(x^2 + b) as a double-double (hh, hl), for any finite x and b > 0."""
    if b < 2.0**-900:  # x^2 + b would be formed from subnormals: scale by 2**600 (exact)
        big = np.abs(x) >= 2.0**400  # there h = |x| to the last bit
        hh, hl = _squareplus_h(np.where(big, 0.0, x) * 2.0**600, b * 2.0**600 * 2.0**600)
        return np.where(big, np.abs(x), hh * 2.0**-600), np.where(big, 0.0, hl * 2.0**-600)
    a = np.abs(x)
    ok = (a < 1e150) & (b < 1e290)
    xs = np.where(ok, x, 0.0)
    p, pe = two_prod(xs, xs)
    s, se = two_sum(p, np.float64(b))
    se = se + pe
    h0 = np.sqrt(s)
    q, qe = two_prod(h0, h0)
    hl = (((s - q) - qe) + se) / (2.0 * h0)
    hh = np.where(ok, h0, np.hypot(x, math.sqrt(b)))
    return hh, np.where(ok, hl, 0.0)


@_blockwise
def squareplus(x, b=4.0):
    """(x + h)/2 for x >= 0; b / (2 (h - x)) for x < 0 (no cancellation), h = sqrt(x^2 + b)."""
    x = _arr(x)
    with np.errstate(all="ignore"):
        a = np.abs(x)
        hh, hl = _squareplus_h(x, b)
        sh, sl = two_sum(0.5 * hh, 0.5 * a)  # (h + |x|)/2, halved first: no overflow
        sl = sl + 0.5 * hl
        pos = sh + sl
        q = (b / sh) * 0.25  # not (b/4)/sh: b/4 would lose the bits of a subnormal b
        neg = q - q * (sl / sh)
        y = np.where(x >= 0, pos, neg)
        return _limits(x, y, 0.0, np.inf)


@_blockwise
def squareplus_grad(x, b=4.0):
    """(1 + x/h)/2 for x >= 0; squareplus(x)/h for x < 0."""
    x = _arr(x)
    if b < 2.0**-900:  # f'(x; b) = f'(s x; s^2 b): scaled by s = 2**600, no intermediate is subnormal
        big = np.abs(x) >= 2.0**400  # f' is 1 (x > 0) or underflows to 0 there
        y = squareplus_grad(np.where(big, 0.0, x) * 2.0**600, b * 2.0**600 * 2.0**600)
        return np.where(big, np.where(x > 0, 1.0, 0.0), y)
    with np.errstate(all="ignore"):
        a = np.abs(x)
        hh, hl = _squareplus_h(x, b)
        r = a / hh
        r = r - r * (hl / hh)
        pos = 0.5 + 0.5 * r
        sh, sl = two_sum(0.5 * hh, 0.5 * a)
        sl = sl + 0.5 * hl
        q = (b / sh) * 0.25  # not (b/4)/sh: b/4 would lose the bits of a subnormal b
        v = q - q * (sl / sh)  # squareplus(x), x < 0
        neg = v / hh
        neg = neg - neg * (hl / hh)
        y = np.where(x >= 0, pos, neg)
        return _keep_nan(x, _limits(x, y, 0.0, 1.0))


@_blockwise
def sparse_plus(x):
    x = _arr(x)
    with np.errstate(all="ignore"):
        xc = np.clip(x, -1.0, 1.0)
        s, t = two_sum(xc, 1.0)
        p, pe = two_prod(s, s)
        sq = 0.25 * (p + (pe + 2.0 * s * t))
        y = np.where(x <= -1.0, 0.0, np.where(x >= 1.0, x, sq))
    return _keep_nan(x, y)


def sparse_plus_grad(x):
    x = _arr(x)
    y = np.where(x <= -1.0, 0.0, np.where(x >= 1.0, 1.0, 0.5 * (x + 1.0)))
    return _keep_nan(x, y)


def sparse_sigmoid(x):
    x = _arr(x)
    y = np.where(x <= -1.0, 0.0, np.where(x >= 1.0, 1.0, 0.5 * (x + 1.0)))
    return _keep_nan(x, y)


def sparse_sigmoid_grad(x):
    x = _arr(x)
    return _keep_nan(x, np.where((x > -1.0) & (x < 1.0), 0.5, 0.0))


def identity(x):
    return _arr(x).copy()


def identity_grad(x):
    x = _arr(x)
    return _keep_nan(x, np.ones_like(x))
