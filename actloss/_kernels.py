"""Elementwise activation kernels: value and derivative side by side.

Every kernel takes a float64 array (any shape) and keyword parameters and
returns a float64 array of the same shape. Contract (tested against mpmath):

* within a few ulp of the exactly rounded result over the whole float64 range;
* no NaN from finite input, no warnings, +-inf give the limits, NaN propagates;
* derivatives at kinks follow PyTorch autograd (stated on each record).

Techniques: branch on the sign so exp never overflows, use expm1/log1p near
zero, rewrite cancelling differences (1 - tanh(x)**2 -> 4e/(1+e)**2), and
carry the rounding error of scaled arguments (beta*x, x/alpha, x/sqrt(2))
as a double-double so that the far tails stay exact.
"""

from __future__ import annotations

import math

import numpy as np

from actloss._dd import div_dd, mul_dd_const, two_prod, two_sum

# double-double constants (hi, lo)
INV_SQRT2 = (0.7071067811865476, -4.833646656726457e-17)
SQRT_2_OVER_PI = (0.7978845608028654, -4.98465440455546e-17)
INV_SQRT_2PI = (0.3989422804014327, -2.49232720227773e-17)
TWO_OVER_SQRT_PI = (1.1283791670955126, 1.533545961316588e-17)

# SELU constants (Klambauer et al. 2017), as PyTorch's float64 values
SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946


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


# ---------------------------------------------------------------------------
# sigmoid and friends
# ---------------------------------------------------------------------------

def _sigmoid_parts(u):
    """e = exp(-|u|) and sigma(u), computed without overflow."""
    e = np.exp(-np.abs(u))
    one_e = 1.0 + e
    s = np.where(u >= 0, 1.0 / one_e, e / one_e)
    return e, s


def _sigmoid_dd(hi, lo):
    """sigma(hi + lo) and sigma'(hi + lo) for a double-double argument."""
    e, s = _sigmoid_parts(hi)
    ds = e / ((1.0 + e) * (1.0 + e))
    return s + ds * lo, ds


def _scaled(beta, x, bound=800.0):
    """beta * x as a double-double, lo dropped where |beta*x| saturates everything."""
    hi = beta * x
    ok = np.abs(hi) < bound
    _, lo = two_prod(np.where(ok, x, 0.0), beta)
    return hi, np.where(ok, lo, 0.0)


def sigmoid(x):
    with np.errstate(all="ignore"):
        x = _arr(x)
        return _sigmoid_parts(x)[1]


def sigmoid_grad(x):
    with np.errstate(all="ignore"):
        x = _arr(x)
        e = np.exp(-np.abs(x))
        return e / ((1.0 + e) * (1.0 + e))


def tanh(x):
    with np.errstate(all="ignore"):
        return np.tanh(_arr(x))


def tanh_grad(x):
    with np.errstate(all="ignore"):
        x = _arr(x)
        e = np.exp(-2.0 * np.abs(x))
        return 4.0 * e / ((1.0 + e) * (1.0 + e))


def softsign(x):
    with np.errstate(all="ignore"):
        x = _arr(x)
        y = x / (1.0 + np.abs(x))
        return _limits(x, y, -1.0, 1.0)


def softsign_grad(x):
    with np.errstate(all="ignore"):
        x = _arr(x)
        r = 1.0 / (1.0 + np.abs(x))
        return r * r


def silu(x, beta=1.0):
    with np.errstate(all="ignore"):
        x = _arr(x)
        hi, lo = _scaled(beta, x)
        s, _ = _sigmoid_dd(hi, lo)
        y = x * s
        return _limits(x, y, -0.0 if beta > 0 else -np.inf, np.inf if beta > 0 else 0.0)


def silu_grad(x, beta=1.0):
    with np.errstate(all="ignore"):
        x = _arr(x)
        hi, lo = _scaled(beta, x)
        s, ds = _sigmoid_dd(hi, lo)
        # d/dx x*s(beta x) = s + beta*x*s'(beta x); s' = s(1-s) = ds
        y = s + (hi + lo) * ds
        y = np.where(np.isfinite(y), y, np.where(hi > 0, 1.0, 0.0))
        return _keep_nan(x, _limits(x, y, 0.0 if beta > 0 else 1.0, 1.0 if beta > 0 else 0.0))


def quick_gelu(x):
    return silu(x, beta=1.702)


def quick_gelu_grad(x):
    return silu_grad(x, beta=1.702)


def softplus(x, beta=1.0):
    with np.errstate(all="ignore"):
        x = _arr(x)
        hi, lo = _scaled(beta, x)
        e = np.exp(-np.abs(hi))
        l1p = np.log1p(e)
        # beta*x < 0: log1p(exp(u))/beta, corrected for lo by sigma(u)*lo
        neg = (l1p + (e / (1.0 + e)) * lo) / beta
        # beta*x >= 0: x + log1p(exp(-u))/beta (x exact, no division of u)
        pos = x + (l1p - lo / (1.0 + e) * e) / beta
        y = np.where(hi < 0, neg, pos)
        return _limits(x, y, 0.0, np.inf)


def softplus_grad(x, beta=1.0):
    with np.errstate(all="ignore"):
        x = _arr(x)
        hi, lo = _scaled(beta, x)
        s, _ = _sigmoid_dd(hi, lo)
        return s


def log_sigmoid(x):
    with np.errstate(all="ignore"):
        x = _arr(x)
        y = np.minimum(x, 0.0) - np.log1p(np.exp(-np.abs(x)))
        return _limits(x, y, -np.inf, 0.0)


def log_sigmoid_grad(x):
    with np.errstate(all="ignore"):
        x = _arr(x)
        e = np.exp(-np.abs(x))
        return np.where(x >= 0, e / (1.0 + e), 1.0 / (1.0 + e))


def mish(x):
    with np.errstate(all="ignore"):
        x = _arr(x)
        t = _mish_t(x)
        return _limits(x, x * t, -0.0, np.inf)


def _mish_t(x):
    """tanh(softplus(x)) as a ratio of exponentials (no cancellation)."""
    e = np.exp(-np.abs(x))
    n = e * (e + 2.0)
    t_neg = n / (n + 2.0)
    t_pos = (1.0 + 2.0 * e) / (1.0 + 2.0 * e + 2.0 * e * e)
    return np.where(x <= 0, t_neg, t_pos)


def mish_grad(x):
    with np.errstate(all="ignore"):
        x = _arr(x)
        e = np.exp(-np.abs(x))
        t = _mish_t(x)
        one_e = 1.0 + e
        w_neg = one_e * one_e + 1.0
        g_neg = t + 4.0 * x * e * one_e / (w_neg * w_neg)
        w_pos = one_e * one_e + e * e
        g_pos = t + 4.0 * x * (e * e) * one_e / (w_pos * w_pos)
        y = np.where(x <= 0, g_neg, g_pos)
        y = np.where(np.isfinite(y), y, np.where(x > 0, 1.0, 0.0))
        return _keep_nan(x, y)


# ---------------------------------------------------------------------------
# GELU
# ---------------------------------------------------------------------------

_erfc = np.frompyfunc(math.erfc, 1, 1)


def _phi(x):
    """Standard normal density exp(-x^2/2)/sqrt(2 pi), x^2 carried exactly."""
    xc = np.clip(x, -60.0, 60.0)
    p, e = two_prod(xc, xc)
    g = np.exp(-0.5 * p) * (1.0 - 0.5 * e)
    return g * INV_SQRT_2PI[0] + g * INV_SQRT_2PI[1]


def _Phi(x):
    """Standard normal CDF 0.5*erfc(-x/sqrt 2), with x/sqrt 2 carried exactly."""
    xc = np.clip(x, -60.0, 60.0)
    zh, zl = mul_dd_const(xc, *INV_SQRT2)
    base = 0.5 * _erfc(-zh).astype(np.float64)
    # erfc(-(zh + zl)) = erfc(-zh) + zl * 2/sqrt(pi) * exp(-zh^2)
    corr = 0.5 * zl * TWO_OVER_SQRT_PI[0] * np.exp(-zh * zh)
    return base + corr


def _gelu_tanh_u(x):
    """2u = 2*sqrt(2/pi)*(x + 0.044715 x^3) as a double-double, and du/dx."""
    xc = np.clip(x, -50.0, 50.0)  # beyond, sigma(2u) is 0 or 1 to the last bit
    x2, x2e = two_prod(xc, xc)
    x3, x3e = two_prod(x2, xc)
    x3e = x3e + x2e * xc
    c = 0.044715  # the float constant, as every implementation uses it
    p, pe = two_prod(x3, c)
    pe = pe + x3e * c
    s, se = two_sum(xc, p)
    se = se + pe
    uh, ue = two_prod(s, SQRT_2_OVER_PI[0])
    ue = ue + s * SQRT_2_OVER_PI[1] + se * SQRT_2_OVER_PI[0]
    du = SQRT_2_OVER_PI[0] * (1.0 + 3.0 * c * x2)
    return 2.0 * uh, 2.0 * ue, du


def gelu(x, approximate="none"):
    with np.errstate(all="ignore"):
        x = _arr(x)
        if approximate == "tanh":
            uh, ul, _ = _gelu_tanh_u(x)
            s, _ = _sigmoid_dd(uh, ul)
            y = x * s
        else:
            y = x * _Phi(x)
        return _keep_nan(x, _limits(x, y, -0.0, np.inf))


def gelu_grad(x, approximate="none"):
    with np.errstate(all="ignore"):
        x = _arr(x)
        if approximate == "tanh":
            uh, ul, du = _gelu_tanh_u(x)
            s, ds = _sigmoid_dd(uh, ul)
            y = s + 2.0 * x * ds * du
        else:
            y = _Phi(x) + x * _phi(x)
        y = np.where(np.isfinite(y), y, np.where(x > 0, 1.0, 0.0))
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
        return np.where(x > 0, x, alpha * x)


def leaky_relu_grad(x, alpha=0.01):
    x = _arr(x)
    return _keep_nan(x, np.where(x > 0, 1.0, alpha))


def prelu(x, alpha=0.25):
    return leaky_relu(x, alpha)


def prelu_grad(x, alpha=0.25):
    return leaky_relu_grad(x, alpha)


def rrelu(x, lower=1.0 / 8.0, upper=1.0 / 3.0):
    return leaky_relu(x, (lower + upper) / 2.0)


def rrelu_grad(x, lower=1.0 / 8.0, upper=1.0 / 3.0):
    return leaky_relu_grad(x, (lower + upper) / 2.0)


def elu(x, alpha=1.0):
    x = _arr(x)
    with np.errstate(all="ignore"):
        return np.where(x > 0, x, alpha * np.expm1(x))


def elu_grad(x, alpha=1.0):
    x = _arr(x)
    with np.errstate(all="ignore"):
        return _keep_nan(x, np.where(x > 0, 1.0, alpha * np.exp(x)))


def selu(x):
    x = _arr(x)
    with np.errstate(all="ignore"):
        return np.where(x > 0, SELU_SCALE * x, (SELU_SCALE * SELU_ALPHA) * np.expm1(x))


def selu_grad(x):
    x = _arr(x)
    with np.errstate(all="ignore"):
        return _keep_nan(x, np.where(x > 0, SELU_SCALE, (SELU_SCALE * SELU_ALPHA) * np.exp(x)))


def celu(x, alpha=1.0):
    x = _arr(x)
    with np.errstate(all="ignore"):
        uh, ul = div_dd(np.where(x > 0, 0.0, np.maximum(x, -1e300)), alpha)
        neg = alpha * (np.expm1(uh) + np.exp(uh) * ul)
        return np.where(x > 0, x, neg)


def celu_grad(x, alpha=1.0):
    x = _arr(x)
    with np.errstate(all="ignore"):
        uh, ul = div_dd(np.where(x > 0, 0.0, np.maximum(x, -1e300)), alpha)
        eu = np.exp(uh)
        return _keep_nan(x, np.where(x > 0, 1.0, eu + eu * ul))


# ---------------------------------------------------------------------------
# piecewise-linear and shrink functions
# ---------------------------------------------------------------------------

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


def hardsigmoid(x):
    x = _arr(x)
    with np.errstate(all="ignore"):
        y = np.where(x <= -3.0, 0.0, np.where(x >= 3.0, 1.0, (x + 3.0) / 6.0))
    return _keep_nan(x, y)


def hardsigmoid_grad(x):
    x = _arr(x)
    return _keep_nan(x, np.where((x > -3.0) & (x < 3.0), 1.0 / 6.0, 0.0))


def hardswish(x):
    x = _arr(x)
    with np.errstate(all="ignore"):
        y = np.where(x <= -3.0, 0.0, np.where(x >= 3.0, x, x * (x + 3.0) / 6.0))
    return _keep_nan(x, y)


def hardswish_grad(x):
    x = _arr(x)
    with np.errstate(all="ignore"):
        y = np.where(x <= -3.0, 0.0, np.where(x >= 3.0, 1.0, (2.0 * x + 3.0) / 6.0))
    return _keep_nan(x, y)


# Taylor coefficients of x*cosh(x) - sinh(x) = sum_k 2k/(2k+1)! x^(2k+1)
_TS_COEF = tuple(2.0 * k / math.factorial(2 * k + 1) for k in range(1, 20))


def tanhshrink(x):
    x = _arr(x)
    with np.errstate(all="ignore"):
        small = np.abs(x) < 2.0
        xs = np.where(small, x, 0.0)
        x2 = xs * xs
        acc = np.zeros_like(xs)
        for c in reversed(_TS_COEF):
            acc = acc * x2 + c
        series = acc * x2 * xs / np.cosh(xs)
        y = np.where(small, series, x - np.tanh(x))
    return y


def tanhshrink_grad(x):
    x = _arr(x)
    with np.errstate(all="ignore"):
        t = np.tanh(x)
        return t * t


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
    ax = np.abs(x)
    return np.where(ax < 1e150, np.sqrt(x * x + b), ax)


def squareplus(x, b=4.0):
    x = _arr(x)
    with np.errstate(all="ignore"):
        h = _squareplus_h(x, b)
        y = np.where(x >= 0, (x + h) * 0.5, (0.5 * b) / (h - x))
        return _limits(x, y, 0.0, np.inf)


def squareplus_grad(x, b=4.0):
    x = _arr(x)
    with np.errstate(all="ignore"):
        h = _squareplus_h(x, b)
        y = np.where(x >= 0, 0.5 + 0.5 * (x / h), (0.5 * b) / (h * (h - x)))
        return _keep_nan(x, _limits(x, y, 0.0, 1.0))


def sparse_plus(x):
    x = _arr(x)
    with np.errstate(all="ignore"):
        y = np.where(x <= -1.0, 0.0, np.where(x >= 1.0, x, 0.25 * (x + 1.0) * (x + 1.0)))
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
