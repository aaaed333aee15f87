"""Elementwise activation kernels: value, derivative and second derivative side by side
(``NAME``, ``NAME_grad``, ``NAME_grad2``).

Every kernel takes a float64 array (any shape) and keyword parameters and
returns a float64 array of the same shape. Contract (tests/test_accuracy.py,
against mpmath at 256 bits), for f, f' and f'' alike:

* within 4 ulp of the exactly rounded result for every float64 input where
  that result is normal; absolute error <= 2**-1022 where it is subnormal or
  underflows; within 1e-3 of a zero of a derivative, absolute error <= 4*2**-52;
* no NaN from finite input, no warnings, +-inf give the limits, NaN propagates;
* derivatives at kinks follow PyTorch autograd, second derivatives its double
  backward (stated on each record); zeros carry PyTorch's sign (relu(-0.0) = -0.0).

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
  mish', gelu-tanh', and silu'', mish'', gelu-tanh'') a polynomial in the
  distance to the zero, fitted offline with mpmath (tools/root_polynomials.py),
  gives full relative accuracy.
"""

from __future__ import annotations

import functools
import math

import numpy as np

from actloss._dd import add_dd as _dda, div_dd, div_dd_dd, fast_two_sum, mul_dd as _ddm, square, two_prod, two_prod_const
from actloss._dd import two_prod_scaled, two_sum
from actloss.constants import (  # each stated once, with its source
    GELU_TANH_C,
    INV_LN2,
    INV_SQRT2,
    INV_SQRT_2PI,
    LN2_HI,
    LN2_LO,
    QUICK_GELU_BETA,
    SELU_ALPHA,
    SELU_SCALE,
    SELU_SCALE_ALPHA,
    SQRT_2_OVER_PI,
    TWO_OVER_PI,
    TWO_OVER_SQRT_PI,
)

SELU_LA = SELU_SCALE_ALPHA  # lambda*alpha, exact
GELU_C = GELU_TANH_C


def _arr(x):
    return np.asarray(x, dtype=np.float64)


def _keep_nan(x, y):
    """NaN in -> NaN out (derivatives built from comparisons would lose it)."""
    nan = np.isnan(x)
    if nan.any():
        y = np.where(nan, np.nan, y)
    return y


def _signed_zero(x, y):
    """A zero result takes the sign of x (+-0 in, +-0 out; -0.0 where x < 0 underflows), as
    PyTorch's x * sigma(x)-like functions give it."""
    return np.where(y == 0, x * 0.0, y)


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
# second derivatives: shared pieces
# ---------------------------------------------------------------------------

def _zero2(x):
    """f'' of a piecewise-linear function: 0 wherever it exists (PyTorch's double backward at the kinks)."""
    x = _arr(x)
    return _keep_nan(x, np.zeros_like(x))


def _inv_dd(h, l):
    """1/(h + l) as a double-double (h > 0)."""
    r = 1.0 / h
    p, pe = _two_prod_safe(r, h)
    return r, (((1.0 - p) - pe) - r * l) / h


def _cube_1p(e):
    """(1 + e)**3 as a double-double, 0 <= e <= 1."""
    s, t = fast_two_sum(1.0, e)
    s2, s2l = two_prod(s, s)
    s2l = s2l + 2.0 * s * t
    return _ddm(s2, s2l, s, t)


def _sigmoid2_abs(ah, al, c=1.0):
    """c e (1 - e)/(1 + e)**3 with e = exp(-a), a = ah + al >= 0 (-sigma''(a) for c = 1):

    e and 1 - e = -expm1(-a) are each within half an ulp (ah exact, al to first order),
    their product and the cube of 1 + e are double-doubles: one rounding at the end.
    Beyond a = 700 (where e is subnormal, but c e may not be) c exp(-a) itself.
    """
    e0 = np.exp(-ah)
    e = e0 - e0 * al
    em = -np.expm1(-ah) + e0 * al
    nh, nl = two_prod(e, em)
    if c != 1.0:
        nh, nl = _ddm(nh, nl, c, 0.0)
    y = div_dd_dd(nh, nl, *_cube_1p(e))
    deep = ah > 700.0
    if deep.any():
        y[deep] = _exp_mul(np.float64(c), -ah[deep], -al[deep])
    return y

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


@_blockwise
def sigmoid_grad2(x):
    """sigma''(x) = sigma(x) sigma(-x) (sigma(-x) - sigma(x)) = -sign(x) e (1 - e)/(1 + e)**3, e = exp(-|x|)."""
    with np.errstate(all="ignore"):
        x = _arr(x)
        a = np.abs(x)
        r = _sigmoid2_abs(a, np.zeros_like(a))
        return np.where(x > 0, -r, r)



def tanh(x):
    with np.errstate(all="ignore"):
        return np.tanh(_arr(x))


@_blockwise
def tanh_grad(x):
    with np.errstate(all="ignore"):
        x = _arr(x)
        return 4.0 * _over_1p_sq(np.exp(-2.0 * np.abs(x)))


@_blockwise
def tanh_grad2(x):
    """tanh''(x) = -2 tanh(x) sech(x)**2 = -8 sign(x) e (1 - e)/(1 + e)**3, e = exp(-2|x|)
    (-0.0 at +0 and +0.0 at -0, as PyTorch)."""
    with np.errstate(all="ignore"):
        x = _arr(x)
        a = 2.0 * np.abs(x)
        r = _sigmoid2_abs(a, np.zeros_like(a), 8.0)
        return -np.copysign(r, x)



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
def softsign_grad2(x):
    """softsign''(x) = -2 sign(x)/(1 + |x|)**3; -0.0 at +-0 (PyTorch: autograd's sign(0) = 0)."""
    with np.errstate(all="ignore"):
        x = _arr(x)
        s, t = two_sum(1.0, np.abs(x))
        rh, rl = _inv_dd(s, t)
        r2h, r2l = _ddm(rh, rl, rh, rl)
        r3h, r3l = _ddm(r2h, r2l, rh, rl)
        r3 = 2.0 * (r3h + r3l)
        y = np.where(x > 0, -r3, np.where(x < 0, r3, -0.0))
        return _keep_nan(x, _limits(x, y, 0.0, -0.0))



@_blockwise
def log_sigmoid(x):
    with np.errstate(all="ignore"):
        x = _arr(x)
        y = np.minimum(x, 0.0) - np.log1p(np.exp(-np.abs(x)))
        return _limits(x, y, -np.inf, 0.0)


def log_sigmoid_grad(x):
    """(log σ)'(x) = σ(−x)."""
    return sigmoid(-_arr(x))


def log_sigmoid_grad2(x):
    """(log sigma)''(x) = -sigma(x) sigma(-x) = -sigma'(x)."""
    return -sigmoid_grad(x)



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
        y = _signed_zero(x, y)  # silu(-0.0) = -0.0, as PyTorch
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


# s''(u) = sigma'(u) (2 - u tanh(u/2)), s(u) = u sigma(u), near its zero (in a = |u|)
# zero 2.39935728051546766783274; largest relative error of the fits 6.45e-20
_SILU_ROOT2 = _Pieces((
    (1.9493572805154677, 2.1893572805154675, 2.0693359375, 0.0, False, (
        -2.0556477357663873e-06, 8.23208027142212e-06, -7.637582619901291e-06,
        -5.5847160627981364e-05, 0.00026278163582517486, -0.00035265451501073636,
        -0.0011778635714226825, 0.006559570090871337, -0.010482317255479982,
        -0.014852172344258443, 0.09572268375088074, -0.14871066517743697,
        0.03928629338581629,
    )),
    (2.1893572805154675, 2.6093572805154674, 2.3993572805154675, 1.8464872855353363e-16, True, (
        3.112089594338615e-07, -1.1917712973922118e-06, 1.2463412462433375e-06,
        8.432447875925422e-06, -4.745074755187352e-05, 9.64405911055292e-05,
        0.00011513070201968769, -0.001366369691213328, 0.0038628167768299166,
        -0.0018366701447629725, -0.022487259234225326, 0.07629586548655085,
        -0.09153052016419229,
    )),
    (2.6093572805154674, 2.8493572805154677, 2.7294921875, 0.0, False, (
        -1.1594170098529895e-06, 7.318458721760684e-06, -1.908182433922921e-05,
        -1.289819008055639e-06, 0.00022192391393852676, -0.0009273271427359161,
        0.0015518396669742761, 0.0025099213614514157, -0.021621541704559856,
        0.053982043879328694, -0.04857300855542565, -0.0227194985910329,
    )),
))


@_blockwise
def silu_grad2(x, beta=1.0):
    """f''(x) = beta s''(u), u = beta x, s(u) = u sigma(u); s'' is even:
    s''(a) = e ((2 - a) + e (2 + a))/(1 + e)**3 with a = |u|, e = exp(-a). (2 - a) and the
    products are double-doubles, so only e's rounding enters, damped by e; near the zero of
    s'' (a = 2.3994) the polynomial _SILU_ROOT2 takes over."""
    with np.errstate(all="ignore"):
        x = _arr(x)
        if beta == 0:
            return _keep_nan(x, np.zeros_like(x))
        uh, ul = _scaled(beta, x)
        neg = uh < 0
        ah, al = np.where(neg, -uh, uh), np.where(neg, -ul, ul)
        e0 = np.exp(-ah)
        e = e0 - e0 * al
        mh, ml = two_sum(2.0, -ah)  # 2 - a
        ml = ml - al
        ph, pl = two_sum(2.0, ah)  # 2 + a
        pl = pl + al
        qh, ql = _ddm(e, 0.0, ph, pl)
        ch, cl = _dda(mh, ml, qh, ql)
        nh, nl = _ddm(e, 0.0, ch, cl)
        nh, nl = _ddm(nh, nl, np.float64(beta), 0.0)
        y = div_dd_dd(nh, nl, *_cube_1p(e))
        deep = ah > 700.0
        if deep.any():
            bh, bl = _ddm(mh[deep], ml[deep], np.float64(beta), 0.0)
            y[deep] = _exp_mul(bh, -ah[deep], -al[deep] + np.where(bh != 0, bl / bh, 0.0))
        i = np.flatnonzero(_SILU_ROOT2.mask(ah))
        if i.size:
            y[i] = beta * _SILU_ROOT2(ah.take(i), al.take(i))
        return _keep_nan(x, _limits(x, y, 0.0, 0.0))



def quick_gelu(x):
    return silu(x, beta=QUICK_GELU_BETA)


def quick_gelu_grad(x):
    return silu_grad(x, beta=QUICK_GELU_BETA)


def quick_gelu_grad2(x):
    return silu_grad2(x, beta=QUICK_GELU_BETA)



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


@_blockwise
def softplus_grad2(x, beta=1.0):
    """softplus''(x) = beta sigma'(beta x) = beta e/(1 + e)**2, e = exp(-|beta x|), one rounding."""
    with np.errstate(all="ignore"):
        x = _arr(x)
        hi, lo = _scaled(beta, x)
        e, pos = _exp_neg_abs(hi, lo)
        nh, nl = _two_prod_safe(np.float64(beta), e)
        y = _div_1p_sq(nh, nl, e)
        deep = np.abs(hi) > 700.0
        if deep.any():
            y[deep] = _exp_mul(np.float64(beta), -np.abs(hi[deep]), np.where(hi[deep] < 0, lo[deep], -lo[deep]))
        return _keep_nan(x, _limits(x, y, 0.0, 0.0))



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
        y = _signed_zero(x, y)  # mish(-0.0) = -0.0, as PyTorch
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


# mish'' near its two zeros
# zero -2.256376396360793120005749; largest relative error of the fits 6.4e-20
_MISH_ROOT2_NEG = _Pieces((
    (-2.706376396360793, -2.466376396360793, -2.5859375, 0.0, False, (
        1.399003653720743e-06, 3.907670783194199e-06, 5.153817875548605e-06,
        -1.3991191379309668e-05, -0.00012175728497434154, -0.0004593470465778882,
        -0.0010296853572196436, -0.0005197650694116817, 0.006568863696673361,
        0.030221471209852777, 0.06523206525525319, 0.055030119839722974,
        -0.026376353647657533,
    )),
    (-2.466376396360793, -2.046376396360793, -2.256376396360793, -1.0703174875019247e-16, True, (
        -3.33734612018664e-07, -2.1300099859032054e-07, 2.197521709676297e-06,
        1.1647692928046055e-05, 3.223848799355898e-05, 3.9783291616744284e-05,
        -0.00010538381905825505, -0.0007927886718144256, -0.0024800681093358943,
        -0.003860493935192921, 0.003354052659335868, 0.037361895610237304,
        0.09898193805255845, 0.1087544107316427,
    )),
    (-2.046376396360793, -1.806376396360793, -1.9267578125, 0.0, False, (
        -4.806924424862261e-06, 1.1522449643985828e-05, 8.245025957695592e-05,
        0.00022774227996601718, 0.0002492562391553354, -0.0007254289824356322,
        -0.004407064045332528, -0.010687192508482409, -0.008101072863121533,
        0.03546911347069511, 0.1362245345132309, 0.18637222152351426,
        0.04796077284368137,
    )),
))
# zero 1.490571179485428459294419; largest relative error of the fits 1.12e-19
_MISH_ROOT2_POS = _Pieces((
    (0.9405711794854285, 1.2405711794854284, 1.0908203125, 0.0, False, (
        -0.00016480655203719849, 0.0001622251735766157, 0.0005665952972409107,
        -0.0014529195230112222, -0.0006759516036656155, 0.007072042989297269,
        -0.005811213652965433, -0.02110385372591192, 0.04635605714882732,
        0.021347579480214034, -0.17079600787260366, 0.12007104846056854,
        0.27445310737305556, -0.4689651072349112, 0.13993209937803483,
    )),
    (1.2405711794854284, 1.7405711794854284, 1.4905711794854284, 7.126036715834263e-17, True, (
        -1.1346323612053463e-05, 1.0120008732702964e-05, 4.339927223250024e-05,
        -0.00013723717266699508, 4.585185871984618e-05, 0.0006082733311873357,
        -0.001401309713265628, -0.0002685219308091724, 0.007002748871037282,
        -0.011535248882998377, -0.00893224429208861, 0.05998888116275334,
        -0.06665173991852781, -0.07970735516542528, 0.28127277803034306,
        -0.23069451159746054,
    )),
    (1.7405711794854284, 2.0405711794854287, 1.890625, 0.0, False, (
        3.144533046795593e-05, -0.00010702847156847019, 9.483108303906566e-05,
        0.00036932480654196205, -0.0014704822489842177, 0.0016980291409714463,
        0.0033674181198521283, -0.016079130623249647, 0.021522341876933315,
        0.0173754209004734, -0.10842028330592718, 0.1548578128198873,
        -0.05409572581489273, -0.05352142954050478,
    )),
))


def _dd_lin(a, b, x):
    """a + b x as a double-double (a, b small integers, x a float array)."""
    ph, pl = two_prod(np.float64(b), x)
    sh, sl = two_sum(np.float64(a), ph)
    return sh, sl + pl


def _dd_poly_e(cs, e):
    """sum_k c_k e^k by Horner, c_k double-doubles, e exact: a double-double."""
    h, l = cs[-1]
    for ch, cl in cs[-2::-1]:
        h, l = _ddm(h, l, e, 0.0)
        h, l = _dda(h, l, ch, cl)
    return h, l


def _mish_grad2_neg(x):
    """x <= 0, e = e^x, n = e (2 + e): mish'' = 4 e P/(n + 2)**3 with
    P = (4 + 2x) + e (8 + 2x) + e^2 (6 - 3x) + e^3 (2 - 2x)."""
    e = np.exp(x)
    n, ne, d, dl = _mish_neg_parts(e)
    d2h, d2l = _ddm(d, dl, d, dl)
    d3h, d3l = _ddm(d2h, d2l, d, dl)
    ph, pl = _dd_poly_e([_dd_lin(4, 2, x), _dd_lin(8, 2, x), _dd_lin(6, -3, x), _dd_lin(2, -2, x)], e)
    nh, nl = _ddm(4.0 * e, 0.0, ph, pl)
    return div_dd_dd(nh, nl, d3h, d3l)


def _mish_grad2_pos(x):
    """x > 0, e = e^-x, w = 1 + 2e + 2e^2: mish'' = 4 e^2 Q/w**3 with
    Q = (2 - 2x) + e (6 - 3x) + e^2 (8 + 2x) + e^3 (4 + 2x)."""
    xp = np.minimum(x, 400.0)
    e = np.exp(-xp)
    a = two_sum(1.0, 2.0 * e)
    e2 = two_prod(2.0 * e, e)
    w = _dda(*a, *e2)
    w3 = _ddm(*_ddm(*w, *w), *w)
    qh, ql = _dd_poly_e([_dd_lin(2, -2, xp), _dd_lin(6, -3, xp), _dd_lin(8, 2, xp), _dd_lin(4, 2, xp)], e)
    nh, nl = _ddm(2.0 * e2[0], 2.0 * e2[1], qh, ql)
    return div_dd_dd(nh, nl, *w3)


@_blockwise
def mish_grad2(x):
    """mish'' from the two exact forms above; their sums of terms cancel only near the two
    zeros of mish'' (x = -2.21, 1.21), covered by the polynomials _MISH_ROOT2_NEG/_POS.
    Far out the leading terms: e^x (2 + x) below -700, 8 (1 - x) e^(-2x) above 350."""
    y = np.empty_like(x)
    i = np.flatnonzero(x <= 0)
    if i.size:
        y[i] = _mish_grad2_neg(x.take(i))
    i = np.flatnonzero(~(x <= 0))  # NaN included
    if i.size:
        y[i] = _mish_grad2_pos(x.take(i))
    i = np.flatnonzero(x < -700.0)
    if i.size:
        xd = np.maximum(x.take(i), -800.0)
        h, l = two_sum(2.0, xd)
        y[i] = _exp_mul(h, xd, np.where(h != 0, l / h, 0.0))
    i = np.flatnonzero((x > 350.0) & (x < 400.0))
    if i.size:
        xd = x.take(i)
        h, l = two_sum(1.0, -xd)
        y[i] = _exp_mul(8.0 * h, -2.0 * xd, l / h)
    y = np.where(x >= 400.0, -0.0, y)
    for table in (_MISH_ROOT2_NEG, _MISH_ROOT2_POS):
        i = np.flatnonzero(table.mask(x))
        if i.size:
            y[i] = table(x.take(i), np.zeros(i.size))
    return _keep_nan(x, _limits(x, y, 0.0, 0.0))



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


# the tanh GELU's f'' near its zero (in a = |x|)
# zero 1.418504008790828360191012; largest relative error of the fits 1.69e-19
_GELU_TANH_ROOT2 = _Pieces((
    (0.9685040087908283, 1.2085040087908283, 1.0888671875, 0.0, False, (
        9.880765116043692e-05, -0.00011625680255805188, -0.0005259249585654131,
        0.00104276502309243, 0.0024568839753943547, -0.008325459983995547,
        -0.0066586980338313225, 0.05176406359138382, -0.018080731455199086,
        -0.20184405752950435, 0.24479779662611573, 0.3197020557995923,
        -0.6712573793805651, 0.1801549011020127,
    )),
    (1.2085040087908283, 1.6285040087908285, 1.4185040087908283, 8.553562981044113e-17, True, (
        4.640506490287235e-06, -2.860016665956493e-05, 6.15491211654335e-06,
        0.00017616071500518686, -0.00026173810708699137, -0.0007514187749698047,
        0.0026434611563961106, 0.0007632000902063231, -0.01671150756094366,
        0.02003536116291869, 0.05675054097516209, -0.1610948169321357,
        -0.008168951883944816, 0.432081111593848, -0.4095488174124191,
    )),
    (1.6285040087908285, 1.8685040087908285, 1.748046875, 0.0, False, (
        3.3755790390612224e-05, 0.00021972048024001398, -0.0006380904933200166,
        -0.00014084149502706432, 0.004350705478246985, -0.008091017262144737,
        -0.010376067540072417, 0.06287837614952917, -0.054183463239268606,
        -0.15103878851895738, 0.3415896783329456, -0.14682332053773228,
        -0.08999338924800936,
    )),
))


def _gelu_exact_grad2(x):
    """gelu''(x) = phi(x) (2 - x^2): 2 - x^2 exact as a double-double, then
    exp(-x^2/2) (1/sqrt(2 pi)) (2 - x^2) with a single rounding (_exp_mul)."""
    xc = np.clip(x, -40.0, 40.0)  # beyond, |gelu''| < 1e-340
    p, pe = square(xc)
    dh, dl = two_sum(2.0, -p)
    dl = dl - pe
    ch, cl = _ddm(dh, dl, *INV_SQRT_2PI)
    eh, el = _half_sq(xc)
    y = _exp_mul(ch, eh, el + np.where(ch != 0, cl / ch, 0.0))
    return np.where(np.abs(x) > 40.0, -0.0, y)


def _gelu_tanh_grad2(x):
    """f(x) = x sigma(w), w = 2k(x + c x^3), k = sqrt(2/pi); f'' is even. For a = |x|, e = exp(-w):
    f'' = sigma'(w) (2w' + x w'' + x w'^2 sigma''(w)/sigma'(w))
        = e ((A - D) + e (A + D))/(1 + e)^3, A = 4k (1 + 6c a^2), D = 4k^2 a (1 + 3c a^2)^2,
    A and D as double-doubles; near the zero of f'' (a = 1.4) the polynomial _GELU_TANH_ROOT2."""
    a = np.minimum(np.abs(x), 50.0)
    wh, wl, _, _ = _gelu_tanh_w(a)
    e0 = np.exp(-wh)
    e = e0 - e0 * wl
    x2h, x2l = square(a)
    c3h, c3l = two_prod(np.float64(3.0), np.float64(GELU_C))
    c6h, c6l = 2.0 * c3h, 2.0 * c3l
    t3 = _dda(1.0, 0.0, *_ddm(x2h, x2l, c3h, c3l))  # 1 + 3c a^2
    t6 = _dda(1.0, 0.0, *_ddm(x2h, x2l, c6h, c6l))  # 1 + 6c a^2
    A = _ddm(4.0 * SQRT_2_OVER_PI[0], 4.0 * SQRT_2_OVER_PI[1], *t6)
    D = _ddm(*_ddm(4.0 * TWO_OVER_PI[0], 4.0 * TWO_OVER_PI[1], a, 0.0), *_ddm(*t3, *t3))
    mh, ml = _dda(*A, -D[0], -D[1])
    ph, pl = _dda(*A, *D)
    bh, bl = _dda(mh, ml, *_ddm(e, 0.0, ph, pl))
    nh, nl = _ddm(e, 0.0, bh, bl)
    y = div_dd_dd(nh, nl, *_cube_1p(e))
    deep = wh > 700.0
    if deep.any():
        md, mld = mh[deep], ml[deep]
        y[deep] = _exp_mul(md, -wh[deep], -wl[deep] + mld / md)
    i = np.flatnonzero(_GELU_TANH_ROOT2.mask(a))
    if i.size:
        y[i] = _GELU_TANH_ROOT2(a.take(i), np.zeros(i.size))
    return y



@_blockwise
def gelu(x, approximate="none"):
    with np.errstate(all="ignore"):
        x = _arr(x)
        y = _gelu_tanh(x) if approximate == "tanh" else _gelu_exact(x)
        y = _signed_zero(x, y)  # gelu(-0.0) = -0.0 and -0.0 where the far tail underflows, as PyTorch
        return _keep_nan(x, _limits(x, y, -0.0, np.inf))


@_blockwise
def gelu_grad(x, approximate="none"):
    with np.errstate(all="ignore"):
        x = _arr(x)
        y = _gelu_tanh_grad(x) if approximate == "tanh" else _gelu_exact_grad(x)
        return _keep_nan(x, _limits(x, y, 0.0, 1.0))


@_blockwise
def gelu_grad2(x, approximate="none"):
    with np.errstate(all="ignore"):
        x = _arr(x)
        y = _gelu_tanh_grad2(x) if approximate == "tanh" else _gelu_exact_grad2(x)
        return _keep_nan(x, _limits(x, y, 0.0, 0.0))



# ---------------------------------------------------------------------------
# ReLU family
# ---------------------------------------------------------------------------

def relu(x):
    """max(x, 0), with relu(-0.0) = -0.0 as PyTorch (x passes unless x < 0; NaN passes)."""
    x = _arr(x)
    return np.where(x < 0, 0.0, x)


def relu_grad(x):
    x = _arr(x)
    return _keep_nan(x, (x > 0).astype(np.float64))


def relu_grad2(x):
    return _zero2(x)



def leaky_relu(x, alpha=0.01):
    x = _arr(x)
    with np.errstate(all="ignore"):
        neg = alpha * x if alpha != 0 else np.where(np.isnan(x), x, 0.0)
        return np.where(x > 0, x, neg)


def leaky_relu_grad(x, alpha=0.01):
    x = _arr(x)
    return _keep_nan(x, np.where(x > 0, 1.0, alpha))


def leaky_relu_grad2(x, alpha=0.01):
    return _zero2(x)



def prelu(x, alpha=0.25):
    return leaky_relu(x, alpha)


def prelu_grad(x, alpha=0.25):
    return leaky_relu_grad(x, alpha)


def prelu_grad2(x, alpha=0.25):
    return _zero2(x)



def _rrelu_slope(lower, upper):
    """(lower + upper)/2 rounded once, also where lower + upper overflows."""
    s = (lower + upper) / 2.0
    return s if math.isfinite(s) else lower / 2.0 + upper / 2.0


def rrelu(x, lower=1.0 / 8.0, upper=1.0 / 3.0):
    return leaky_relu(x, _rrelu_slope(lower, upper))


def rrelu_grad(x, lower=1.0 / 8.0, upper=1.0 / 3.0):
    return leaky_relu_grad(x, _rrelu_slope(lower, upper))


def rrelu_grad2(x, lower=1.0 / 8.0, upper=1.0 / 3.0):
    return _zero2(x)



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
def elu_grad2(x, alpha=1.0):
    """alpha e^x for x < 0, 0 for x >= 0 (elu''(0) = 0, as PyTorch's double backward)."""
    x = _arr(x)
    with np.errstate(all="ignore"):
        return _keep_nan(x, np.where(x < 0, _exp_mul(np.float64(alpha), np.minimum(x, 0.0), 0.0), 0.0))



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


@_blockwise
def selu_grad2(x):
    """lambda alpha e^x for x < 0, 0 for x >= 0 (selu''(0) = 0, as PyTorch)."""
    x = _arr(x)
    with np.errstate(all="ignore"):
        y = _exp_mul(np.float64(SELU_LA[0]), np.minimum(x, 0.0), SELU_LA[1] / SELU_LA[0])
        return _keep_nan(x, np.where(x < 0, y, 0.0))



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


@_blockwise
def celu_grad2(x, alpha=1.0):
    """e^(x/alpha)/alpha for x < 0, 0 for x >= 0 (celu''(0) = 0, as PyTorch).

    alpha = m 2^k: e^u/alpha = (1/m) exp(u - k ln 2), with u = x/alpha and 1/m as
    double-doubles and the exponent shift exact, so the result is normal (and exact)
    wherever it is, however small alpha makes u."""
    x = _arr(x)
    with np.errstate(all="ignore"):
        m, k = math.frexp(alpha)
        xn = np.where(x < 0, x, 0.0)
        xn = np.maximum(xn, (-800.0 + min(k, 0) * LN2_HI) * alpha)  # the result underflows below
        uh, ul = div_dd(np.ldexp(xn, -k), m)
        ul = np.where(np.isfinite(ul), ul, 0.0)
        ch, cl = _inv_dd(np.float64(m), 0.0)
        sh, sl = two_sum(uh, -k * LN2_HI)
        sh, sl = fast_two_sum(sh, (sl + ul - k * LN2_LO) + cl / ch)  # |sl| << 1: exp(sl) = 1 + sl
        y = _exp_mul(ch, sh, sl)
        return _keep_nan(x, np.where(x < 0, y, 0.0))



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


def hardtanh_grad2(x, min_val=-1.0, max_val=1.0):
    return _zero2(x)



def relu6(x):
    return hardtanh(x, 0.0, 6.0)


def relu6_grad(x):
    return hardtanh_grad(x, 0.0, 6.0)


def relu6_grad2(x):
    return _zero2(x)



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


def hardsigmoid_grad2(x):
    """0 everywhere: PyTorch has no double backward for hardsigmoid; at +-3 both one-sided limits are 0."""
    return _zero2(x)



@_blockwise
def hardswish(x):
    x = _arr(x)
    with np.errstate(all="ignore"):
        xc = np.clip(x, -3.0, 3.0)
        s, t = two_sum(xc, 3.0)
        p, pe = two_prod(xc, s)
        y = _div6(p, pe + xc * t)
        # x relu6(x + 3)/6 as PyTorch evaluates it: -0.0 for x <= -3 and at -0.0
        y = np.where(x <= -3.0, -0.0, np.where(x >= 3.0, x, np.where(x == 0, x, y)))
    return _keep_nan(x, y)


@_blockwise
def hardswish_grad(x):
    x = _arr(x)
    with np.errstate(all="ignore"):
        xc = np.clip(x, -3.0, 3.0)
        y = _div6(*two_sum(2.0 * xc, 3.0))
        y = np.where(x <= -3.0, 0.0, np.where(x >= 3.0, 1.0, y))
    return _keep_nan(x, y)


def hardswish_grad2(x):
    """1/3 for -3 < x < 3, else 0 (hardswish''(+-3) = 0, as PyTorch's double backward)."""
    x = _arr(x)
    return _keep_nan(x, np.where((x > -3.0) & (x < 3.0), 1.0 / 3.0, 0.0))



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


def tanhshrink_grad2(x):
    """2 tanh(x) sech(x)**2 = -tanh''(x) (+0.0 at +0, -0.0 at -0, as PyTorch)."""
    return -tanh_grad2(x)



def softshrink(x, lambd=0.5):
    """x - lambd, x + lambd, or +0.0 in between, except that a zero keeps its sign
    (softshrink(-0.0) = -0.0, as relu). PyTorch 2.13 is not consistent here: its vectorised
    loop gives +0.0 throughout the dead zone (also for -0.0), its scalar loop (tensors under
    8 elements, and the tail of longer ones) x * 0, i.e. -0.0 for every negative x."""
    x = _arr(x)
    with np.errstate(all="ignore"):
        y = np.where(x > lambd, x - lambd, np.where(x < -lambd, x + lambd, np.where(x == 0, x, 0.0)))
    return _keep_nan(x, y)


def softshrink_grad(x, lambd=0.5):
    x = _arr(x)
    return _keep_nan(x, (np.abs(x) > lambd).astype(np.float64))


def softshrink_grad2(x, lambd=0.5):
    return _zero2(x)



def hardshrink(x, lambd=0.5):
    x = _arr(x)
    return _keep_nan(x, np.where(np.abs(x) > lambd, x, 0.0))


def hardshrink_grad(x, lambd=0.5):
    return softshrink_grad(x, lambd)


def hardshrink_grad2(x, lambd=0.5):
    return _zero2(x)



def threshold(x, threshold=0.0, value=0.0):
    x = _arr(x)
    return _keep_nan(x, np.where(x > threshold, x, value))


def threshold_grad(x, threshold=0.0, value=0.0):
    x = _arr(x)
    return _keep_nan(x, (x > threshold).astype(np.float64))


def threshold_grad2(x, threshold=0.0, value=0.0):
    return _zero2(x)



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
def squareplus_grad2(x, b=4.0):
    """b/(2 h^3), h = sqrt(x^2 + b). With b = mb 2^(2j) the arguments are scaled exactly to
    x' = x 2^-j, b' = mb (f''(x; b) = f''(x'; b')/2^j); h' = m 2^k is a double-double and
    f'' = (b'/(2 m^3)) 2^(-3k - j) is rounded once at the end (no intermediate under- or overflows)."""
    x = _arr(x)
    with np.errstate(all="ignore"):
        mb, kb = math.frexp(b)
        j = kb // 2
        bs = math.ldexp(mb, kb - 2 * j)  # in [0.5, 2)
        xs = np.ldexp(x, -j)
        big = ~(np.abs(xs) < 1e150)  # h' = |x'| to the last bit (inf and NaN included)
        hh, hl = _squareplus_h(np.where(big, 0.0, xs), bs)
        hh = np.where(big, np.abs(xs), hh)
        hl = np.where(big, 0.0, hl)
        m, k = np.frexp(hh)
        ml = np.ldexp(hl, -k)
        m2 = _ddm(m, ml, m, ml)
        m3h, m3l = _ddm(*m2, m, ml)
        q = div_dd_dd(np.float64(bs), 0.0, 2.0 * m3h, 2.0 * m3l)
        y = np.ldexp(q, -3 * k - j)
        y = np.where(np.isfinite(hh), y, 0.0)
        return _keep_nan(x, y)



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


def sparse_plus_grad2(x):
    """1/2 for -1 < x < 1, else 0 (0 at +-1, where the branches of sparse_plus' switch)."""
    x = _arr(x)
    return _keep_nan(x, np.where((x > -1.0) & (x < 1.0), 0.5, 0.0))



def sparse_sigmoid(x):
    x = _arr(x)
    y = np.where(x <= -1.0, 0.0, np.where(x >= 1.0, 1.0, 0.5 * (x + 1.0)))
    return _keep_nan(x, y)


def sparse_sigmoid_grad(x):
    x = _arr(x)
    return _keep_nan(x, np.where((x > -1.0) & (x < 1.0), 0.5, 0.0))


def sparse_sigmoid_grad2(x):
    return _zero2(x)



def identity(x):
    return _arr(x).copy()


def identity_grad(x):
    x = _arr(x)
    return _keep_nan(x, np.ones_like(x))


def identity_grad2(x):
    return _zero2(x)


# ---------------------------------------------------------------------------
# squared_relu (Primer), softcap (Gemma 2)
# ---------------------------------------------------------------------------

@_blockwise
def squared_relu(x):
    """relu(x)²: one rounding of x·x; +0.0 for every x ≤ 0 (PyTorch: relu(-0.0)**2 = +0.0)."""
    r = np.where(x > 0, x, 0.0)
    return np.where(np.isnan(x), x, r * r)


@_blockwise
def squared_relu_grad(x):
    """2·relu(x) (exact); +0.0 for x ≤ 0 as autograd gives it."""
    return np.where(np.isnan(x), x, np.where(x > 0, 2.0 * x, 0.0))


def _softcap_u(x, cap):
    """u = x/cap as a double-double (exact division for a power-of-2 cap)."""
    c = np.float64(cap)
    uh = x / c
    if _is_pow2(cap):
        return uh, np.zeros_like(uh)
    p, pe = _two_prod_safe(uh, np.broadcast_to(c, uh.shape))
    ul = ((x - p) - pe) / c
    return uh, np.where(np.isfinite(ul), ul, 0.0)


@_blockwise
def softcap(x, cap=30.0):
    """cap·tanh(x/cap): tanh of the double-double quotient to first order, one rounding of the product."""
    uh, ul = _softcap_u(x, cap)
    t = np.tanh(uh)
    s2 = tanh_grad(uh)  # sech²(u_hi), exact kernel
    th = t
    tl = s2 * ul  # tanh(u_hi + u_lo) = tanh(u_hi) + sech²(u_hi)·u_lo + O(u_lo²)
    p, pe = _two_prod_safe(th, np.broadcast_to(np.float64(cap), th.shape))
    y = p + (pe + tl * cap)
    y = np.where(np.isfinite(y), y, cap * t)  # x = ±inf: ±cap; nan stays nan
    # |x/c| < 2**-26: c·tanh(x/c) = x - x·u²/3 to the last bit, without a subnormal x/c
    small = np.abs(uh) < 2.0**-26
    return np.where(x == 0, x, np.where(small, x - x * (uh * uh) / 3.0, y))  # softcap(-0.0) = -0.0, as PyTorch


@_blockwise
def softcap_grad(x, cap=30.0):
    """sech²(x/cap) = 1 − tanh²(x/cap), corrected for the rounding of x/cap: sech²(u_hi)·(1 − 2·tanh(u_hi)·u_lo)."""
    uh, ul = _softcap_u(x, cap)
    s2 = tanh_grad(uh)
    return np.where(np.isnan(x), x, s2 - s2 * (2.0 * np.tanh(uh) * ul))


@_blockwise
def squared_relu_grad2(x):
    """2 for x > 0, 0 for x ≤ 0 (the derivative of 2·relu(x), 0 at the kink as relu′(0) = 0)."""
    return np.where(np.isnan(x), x, np.where(x > 0, 2.0, 0.0))


@_blockwise
def softcap_grad2(x, cap=30.0):
    """-2·tanh(x/c)·sech²(x/c)/c, from the double-double quotient x/c."""
    uh, ul = _softcap_u(x, cap)
    t = np.tanh(uh)
    s2 = tanh_grad(uh)
    # tanh and sech² at u_hi + u_lo to first order
    t1 = t + s2 * ul
    s1 = s2 - s2 * (2.0 * t * ul)
    p, pe = two_prod(t1, np.ldexp(s1, 200))  # scaled: no subnormal product before the division by cap
    y = np.ldexp(-2.0 * (p + pe) / cap, -200)
    # |u| > 300: sech²(u) = 4·e^(-2|u|) is below the normal range while the result may not be:
    # -8·sign(u)/c·exp(-2|u|) with one rounding of the exponential's product
    deep = np.abs(uh) > 300.0
    if deep.any():
        sg = np.sign(uh[deep])
        y[deep] = _exp_mul(-8.0 * sg / cap, -2.0 * np.abs(uh[deep]), -2.0 * sg * ul[deep])
    y = np.where(t == 0, -2.0 * t, y)  # f''(±0) = ∓0, as PyTorch's double backward
    return np.where(np.isnan(x), x, np.where(np.isfinite(y), y, 0.0))
