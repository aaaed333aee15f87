"""High-precision mpmath references for the activation functions.

Every reference evaluates the mathematical definition on the exact binary
value of a float64 input (``mpf(float)`` is exact) at ``PREC`` bits or more;
parameters are taken as their float64 values.  Where the textbook formula
cancels catastrophically in the tails (1 - tanh(x)^2, 1 + tanh(v), x + sqrt(x^2
+ b) for x -> -inf, x - tanh(x) for tiny x) the reference uses an exact
identity or raises the working precision, so that every reference is correct
to far more than 53 bits; they never call actloss.

Public helpers, shared by the test modules:

* ``REFERENCES``: dict name -> ``Ref`` (value, derivative, zeros of the
  derivative, non-default parameter sets worth testing).  Extend it with
  ``REFERENCES[name] = Ref(...)``.
* ``mpf(x)``, ``evaluate(fn, x, params)``: exact conversion and evaluation at
  ``PREC`` bits.
* ``ulp_error(y, ref)``, ``score(y, ref, ...)``: the accuracy measure of the
  test-suite (ulps of the float64 nearest the exact value; absolute 2**-1022
  where the exact value is subnormal or underflows).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Mapping, Sequence

import mpmath
from mpmath import mp

PREC = 256
TINY = 2.0**-1022  # smallest normal float64
MAXF = 1.7976931348623157e308
ULP_MAX = 2.0**971  # spacing of the largest binade

Params = Mapping[str, object]
RefFn = Callable[..., "mpmath.mpf"]


def mpf(x: float) -> mpmath.mpf:
    """The exact value of a float64 as an mpf (infinities and NaN kept)."""
    return mp.mpf(float(x))


def evaluate(fn: RefFn, x: float, params: Params | None = None, prec: int = PREC) -> mpmath.mpf:
    """fn(mpf(x), **params) at ``prec`` bits (parameters as exact float64 values)."""
    p = {k: (mpf(v) if isinstance(v, float) else v) for k, v in (params or {}).items()}
    with mp.workprec(prec):
        return fn(mpf(x), **p)


# ---------------------------------------------------------------------------
# accuracy measure
# ---------------------------------------------------------------------------

def ulp_of(ref) -> float:
    """Spacing of the float64 nearest ref (2**971 beyond the largest float)."""
    r = abs(float(ref))
    if math.isinf(r):
        return ULP_MAX
    return math.ulp(r)


def ulp_error(y: float, ref) -> float:
    """|y - ref| in ulps of the float64 nearest ref.

    NaN reference: 0 if y is NaN else inf.  A reference that rounds to +-inf
    (overflow) accepts y == that infinity.  Where the exact value is subnormal
    or underflows the measure is |y - ref| / 2**-1022 * 4, so that the
    absolute bound 2**-1022 of the specification maps to 4 "ulp" like the rest.
    """
    y = float(y)
    if mpmath.isnan(ref):
        return 0.0 if math.isnan(y) else math.inf
    if math.isnan(y):
        return math.inf
    rf = float(ref)
    if math.isinf(y) or math.isinf(rf):
        if y == rf:
            return 0.0
        if math.isinf(y):
            return math.inf
    if abs(ref) < TINY:
        return float(abs(mpf(y) - ref) / TINY) * 4.0
    return float(abs(mpf(y) - ref) / ulp_of(ref))


def abs_error(y: float, ref) -> float:
    y = float(y)
    if math.isnan(y) or math.isinf(y) or mpmath.isinf(ref) or mpmath.isnan(ref):
        return 0.0 if (math.isnan(y) and mpmath.isnan(ref)) or y == float(ref) else math.inf
    return float(abs(mpf(y) - ref))


NEAR_ZERO_ABS = 4.0 * 2.0**-52  # accepted absolute error near a zero of a derivative
NEAR_ZERO_WINDOW = 1e-3


def score(y: float, ref, near_zero: bool = False) -> float:
    """The measure the suite bounds by 4: ulps, or (near a derivative zero)
    the smaller of the ulps and the absolute error in units of 2**-52."""
    e = ulp_error(y, ref)
    if near_zero:
        e = min(e, abs_error(y, ref) / 2.0**-52)
    return e


# ---------------------------------------------------------------------------
# building blocks
# ---------------------------------------------------------------------------

def _sigma(u):
    """Logistic 1/(1 + e^-u), no cancellation in either tail."""
    if u >= 0:
        return 1 / (1 + mp.exp(-u))
    e = mp.exp(u)
    return e / (1 + e)


def _erfc(z):
    """erfc, with the asymptotic series where mpmath's erfc cannot take the argument."""
    if z > 1e50:  # relative error of the two-term series ~ z**-4, far below 2**-PREC
        return mp.exp(-z * z) / (z * mp.sqrt(mp.pi)) * (1 - 1 / (2 * z * z) + 3 / (4 * z**4))
    if z < -1e50:
        return mp.mpf(2)
    return mp.erfc(z)


def _Phi(x):
    return _erfc(-x / mp.sqrt(2)) / 2


def _phi(x):
    return mp.exp(-x * x / 2) / mp.sqrt(2 * mp.pi)


def _softplus(u):
    """log(1 + e^u), exact form on both sides."""
    if u > 0:
        return u + mp.log1p(mp.exp(-u))
    return mp.log1p(mp.exp(u))


# ---------------------------------------------------------------------------
# the references
# ---------------------------------------------------------------------------

@dataclass
class Ref:
    """Reference value f(x, **params) and derivative f'(x, **params) on mpf.

    zeros:      approximate zeros of the derivative (refined by the tests with
                mpmath.findroot); within NEAR_ZERO_WINDOW of them the absolute
                error bound NEAR_ZERO_ABS is accepted.
    param_sets: non-default parameter sets the suite also checks.
    points:     extra inputs worth checking for this function (tails etc.).
    second:     the second derivative f''(x, **params) (``add_second`` below).
    zeros2:     approximate zeros of f'' (refined like ``zeros``; the same absolute bound near them).
    """

    value: RefFn
    derivative: RefFn
    zeros: Callable[..., Sequence[float]] = lambda **p: ()
    param_sets: Sequence[Mapping[str, object]] = ()
    points: Callable[..., Sequence[float]] = lambda **p: ()
    second: RefFn | None = None
    zeros2: Callable[..., Sequence[float]] = lambda **p: ()


REFERENCES: dict[str, Ref] = {}


def register(name: str, value: RefFn, derivative: RefFn, **kw) -> Ref:
    REFERENCES[name] = ref = Ref(value, derivative, **kw)
    return ref


def _step(cond, a, b):
    return a if cond else b


Z = mp.mpf(0)

# --- sigmoid-like ---------------------------------------------------------
register("sigmoid", lambda x: _sigma(x), lambda x: _sigma(x) * _sigma(-x),
         points=lambda: (40.0, -40.0, 709.0, -709.0, 745.0, -745.0, 36.7, 37.5))
register("tanh", lambda x: mp.tanh(x), lambda x: mp.sech(x) ** 2,
         points=lambda: (20.0, -20.0, 0.5, 0.549306, 354.0, 355.0, 372.0, 373.0, 19.06))
register("softsign", lambda x: x / (1 + abs(x)), lambda x: 1 / (1 + abs(x)) ** 2,
         points=lambda: (1e300, -1e300, 1e154, 1e155, 1.3e154, 1e16, 9007199254740993.0))
register("hardsigmoid",
         lambda x: Z if x <= -3 else (mp.mpf(1) if x >= 3 else x / 6 + mp.mpf(1) / 2),
         lambda x: mp.mpf(1) / 6 if -3 < x < 3 else Z)
register("log_sigmoid", lambda x: -_softplus(-x), lambda x: _sigma(-x),
         points=lambda: (-745.0, 745.0, 36.0, 37.0, 710.0, -710.0))
register("sparse_sigmoid",
         lambda x: Z if x <= -1 else (mp.mpf(1) if x >= 1 else (x + 1) / 2),
         lambda x: mp.mpf(1) / 2 if -1 < x < 1 else Z)

# --- ReLU family ------------------------------------------------------------
register("relu", lambda x: x if x > 0 else Z, lambda x: mp.mpf(1) if x > 0 else Z)
register("squared_relu", lambda x: x * x if x > 0 else Z, lambda x: 2 * x if x > 0 else Z,
         points=lambda: (1.3e154, 1.35e154, 1.4e154, 1e-160, 1e-170))
def _softcap(x, cap=30.0):
    """c·tanh(x/c) with the bits to keep c - c·tanh(x/c) ~ 2c·e^(-2|x/c|) (30 - 1e-710 is not 30)."""
    c = mp.mpf(cap)
    u = x / c
    if abs(u) > 2000:  # c·(1 - 2e^(-2|u|)) to first order: just inside ±c, at the bits that show it
        with mp.workprec(8200):
            return mp.sign(u) * (c - 2 * c * mp.exp(-2 * abs(u)) if abs(u) < 2800 else c - c * mp.mpf(2) ** -8000)
    with mp.workprec(max(mp.prec, int(abs(u) * 3) + 64)):
        return c * mp.tanh(u)


register("softcap", _softcap, lambda x, cap=30.0: mp.sech(x / cap) ** 2,
         points=lambda **p: (600.0, -600.0, 30.0, 1e4, 1e5, 11000.0, 1e-300),
         param_sets=({"cap": 50.0}, {"cap": 1.0}, {"cap": 0.1}, {"cap": 1e-3}))
register("relu6", lambda x: min(max(x, Z), mp.mpf(6)), lambda x: mp.mpf(1) if 0 < x < 6 else Z)


def _leaky(x, alpha):
    return x if x > 0 else (Z if alpha == 0 else alpha * x)


register("leaky_relu", _leaky, lambda x, alpha: mp.mpf(1) if x > 0 else alpha,
         param_sets=({"alpha": 0.2}, {"alpha": 0.0}, {"alpha": -0.5}, {"alpha": 3.0}, {"alpha": 1e300}))
register("prelu", _leaky, lambda x, alpha: mp.mpf(1) if x > 0 else alpha,
         param_sets=({"alpha": 0.1},))
register("rrelu", lambda x, lower, upper: _leaky(x, (lower + upper) / 2),
         lambda x, lower, upper: mp.mpf(1) if x > 0 else (lower + upper) / 2,
         param_sets=({"lower": 0.1, "upper": 0.3}, {"lower": 0.2, "upper": 0.2}, {"lower": 1e308, "upper": 1.5e308},
                     {"lower": -1.5e308, "upper": -1e308}))


def _elu(x, alpha):
    if x > 0:
        return x
    return Z if alpha == 0 else alpha * mp.expm1(x)


register("elu", _elu, lambda x, alpha: mp.mpf(1) if x > 0 else alpha * mp.exp(x),
         param_sets=({"alpha": 0.3}, {"alpha": 2.5}, {"alpha": -1.0}, {"alpha": 0.0}, {"alpha": 1e300}),
         points=lambda **p: (-745.0, -708.0, -37.0, -1e-300, -1e-20))

_SELU_ALPHA = mpf(1.6732632423543772848170429916717)  # the float64 constants
_SELU_SCALE = mpf(1.0507009873554804934193349852946)
register("selu",
         lambda x: _SELU_SCALE * x if x > 0 else _SELU_SCALE * _SELU_ALPHA * mp.expm1(x),
         lambda x: _SELU_SCALE if x > 0 else _SELU_SCALE * _SELU_ALPHA * mp.exp(x),
         points=lambda: (-745.0, -708.0, -1e-300, 1.7e308, -1e-20))
register("celu", lambda x, alpha: x if x > 0 else alpha * mp.expm1(x / alpha),
         lambda x, alpha: mp.mpf(1) if x > 0 else mp.exp(x / alpha),
         param_sets=({"alpha": 0.5}, {"alpha": 2.5}, {"alpha": 0.3}, {"alpha": 1e-300}, {"alpha": 1e300}),
         points=lambda **p: (-745.0, -708.0, -372.0, -1e-300, -1e-20, -2e300))
register("threshold", lambda x, threshold, value: x if x > threshold else value,
         lambda x, threshold, value: mp.mpf(1) if x > threshold else Z,
         param_sets=({"threshold": 1.0, "value": -2.0}, {"threshold": -0.5, "value": 3.0},
                     {"threshold": 1e300, "value": -1e300}))

# --- smooth ReLU-likes --------------------------------------------------------
_GELU_C = mpf(0.044715)  # the float constant, as every implementation uses it


def _gelu_v(x):
    """2v with v = sqrt(2/pi)(x + c x^3): 0.5(1 + tanh v) = sigma(2v)."""
    return 2 * mp.sqrt(2 / mp.pi) * (x + _GELU_C * x**3)


def _gelu(x, approximate="none"):
    if approximate == "tanh":
        return x * _sigma(_gelu_v(x))
    return x * _Phi(x)


def _gelu_grad(x, approximate="none"):
    if approximate == "tanh":
        w = _gelu_v(x)
        dw = 2 * mp.sqrt(2 / mp.pi) * (1 + 3 * _GELU_C * x * x)
        return _sigma(w) + x * _sigma(w) * _sigma(-w) * dw
    return _Phi(x) + x * _phi(x)


register("gelu", _gelu, _gelu_grad,
         zeros=lambda approximate="none": (-0.7517916243,) if approximate == "none" else (-0.7528,),
         param_sets=({"approximate": "tanh"},),
         points=lambda approximate="none": (-10.0, -37.5, -38.0, -38.5, -38.6, -39.0, -40.0, -1e5, 1e5,
                                            -26.0, -27.0, -5.657, -1.768, -1.192, -0.3535, 8.3, 12.0, -6.0))


def _silu(x, beta):
    return x * _sigma(beta * x)


def _silu_grad(x, beta):
    u = beta * x
    return _sigma(u) + u * _sigma(u) * _sigma(-u)


_SILU_U0 = -1.2784645427610738  # zero of d/du [u sigma(u)]


def _silu_zeros(beta):
    return (_SILU_U0 / float(beta),) if beta != 0 else ()


register("silu", _silu, _silu_grad, zeros=_silu_zeros,
         param_sets=({"beta": 2.5}, {"beta": 0.3}, {"beta": 1.702}, {"beta": -1.5}, {"beta": 0.0}, {"beta": 1e-5},
                     {"beta": 1e5}, {"beta": 1e-300}, {"beta": -1e300}),
         points=lambda beta=1.0: (-745.0, -709.0, -40.0, -37.0, 745.0, -750.0))
_QG = mpf(1.702)
register("quick_gelu", lambda x: _silu(x, _QG), lambda x: _silu_grad(x, _QG),
         zeros=lambda: (_SILU_U0 / 1.702,),
         points=lambda: (-440.0, -437.0, -438.0, -416.0, -21.7, -22.0, 440.0))


def _mish(x):
    return x * mp.tanh(_softplus(x))


def _mish_grad(x):
    sp = _softplus(x)
    return mp.tanh(sp) + x * mp.sech(sp) ** 2 * _sigma(x)


register("mish", _mish, _mish_grad, zeros=lambda: (-1.1923730,),
         points=lambda: (-745.0, -709.0, -40.0, -37.0, 20.0, 40.0, 745.0, -750.0, -1.0, -0.5))


def _softplus_b(x, beta):
    return _softplus(beta * x) / beta


register("softplus", _softplus_b, lambda x, beta: _sigma(beta * x),
         param_sets=({"beta": 0.5}, {"beta": 3.0}, {"beta": 0.1}, {"beta": 1e-3}, {"beta": 1e3}, {"beta": 1e-300},
                     {"beta": 1e300}),
         points=lambda beta=1.0: (-745.0, -709.0, -40.0, 20.0, 40.0, 745.0, -750.0, 1e300, -1e300))


def _squareplus(x, b):
    h = mp.sqrt(x * x + b)
    return (x + h) / 2 if x >= 0 else b / (2 * (h - x))


def _squareplus_grad(x, b):
    h = mp.sqrt(x * x + b)
    return (1 + x / h) / 2 if x >= 0 else b / (2 * h * (h - x))


register("squareplus", _squareplus, _squareplus_grad,
         param_sets=({"b": 1.0}, {"b": 0.3}, {"b": 1e-300}, {"b": 1e300}, {"b": 5e-324}, {"b": 1.7e308}),
         points=lambda b=4.0: (1e150, -1e150, 1e154, -1e154, 1.5e154, -1.5e154, 1e300, -1e300, -1e200, 1e-170))
register("sparse_plus",
         lambda x: Z if x <= -1 else (x if x >= 1 else (x + 1) ** 2 / 4),
         lambda x: Z if x <= -1 else (mp.mpf(1) if x >= 1 else (x + 1) / 2))

# --- hard and shrink functions -------------------------------------------------
register("hardtanh", lambda x, min_val, max_val: min(max(x, min_val), max_val),
         lambda x, min_val, max_val: mp.mpf(1) if min_val < x < max_val else Z,
         param_sets=({"min_val": -2.0, "max_val": 3.0}, {"min_val": 0.1, "max_val": 0.7},
                     {"min_val": -1e300, "max_val": 1e-300}))
register("hardswish",
         lambda x: Z if x <= -3 else (x if x >= 3 else x * (x + 3) / 6),
         lambda x: Z if x <= -3 else (mp.mpf(1) if x >= 3 else (2 * x + 3) / 6),
         points=lambda: (-1.5, -2.9999999999999996, -1e-300, 2.9999999999999996))


def _tanhshrink(x):
    # x - tanh(x) ~ x^3/3 cancels ~2*log2(1/|x|) bits: raise the precision to match
    extra = 0 if x == 0 else max(0, -2 * int(mp.floor(mp.log(abs(x), 2)))) + 16
    with mp.extraprec(extra):
        return +(x - mp.tanh(x))


register("tanhshrink", _tanhshrink, lambda x: mp.tanh(x) ** 2,
         points=lambda: (1e-6, -1e-6, 1e-300, 2.0, 1.9999999999999998, 0.5, 1.0, 3.0, 19.0, 1e-150, 1e-160))


def _softshrink(x, lambd):
    if x > lambd:
        return x - lambd
    if x < -lambd:
        return x + lambd
    return Z


register("softshrink", _softshrink, lambda x, lambd: mp.mpf(1) if abs(x) > lambd else Z,
         param_sets=({"lambd": 1.5}, {"lambd": 0.0}, {"lambd": 1e-300}, {"lambd": 1e300}))
register("hardshrink", lambda x, lambd: x if abs(x) > lambd else Z,
         lambda x, lambd: mp.mpf(1) if abs(x) > lambd else Z,
         param_sets=({"lambd": 1.5}, {"lambd": 0.0}))
register("identity", lambda x: x, lambda x: mp.mpf(1))


# ---------------------------------------------------------------------------
# second derivatives, from the definitions by the chain and product rules
# ---------------------------------------------------------------------------
# At kinks the value PyTorch's double backward gives (0 for every piecewise-linear
# piece, elu''(0) = selu''(0) = celu''(0) = 0, hardswish''(+-3) = 0, softsign''(0) = 0);
# hardsigmoid has no double backward in PyTorch: its one-sided limits, 0.

def add_second(name: str, second: RefFn, zeros2=None) -> None:
    REFERENCES[name].second = second
    if zeros2 is not None:
        REFERENCES[name].zeros2 = zeros2


def _sigma1(u):
    """sigma'(u) = sigma(u) sigma(-u)."""
    return _sigma(u) * _sigma(-u)


def _sigma2(u):
    """sigma''(u) = sigma'(u) (1 - 2 sigma(u)), with 1 - 2 sigma(u) = -tanh(u/2) (no cancellation)."""
    return -_sigma1(u) * mp.tanh(u / 2)


_ZERO2 = lambda x, **p: Z  # noqa: E731


add_second("sigmoid", _sigma2)
add_second("tanh", lambda x: -2 * mp.tanh(x) * mp.sech(x) ** 2)
add_second("softsign", lambda x: Z if x == 0 else -2 * mp.sign(x) / (1 + abs(x)) ** 3)
add_second("hardsigmoid", _ZERO2)
add_second("log_sigmoid", lambda x: -_sigma1(x))
add_second("sparse_sigmoid", _ZERO2)
for _name in ("relu", "relu6", "leaky_relu", "prelu", "rrelu", "threshold", "hardtanh", "softshrink", "hardshrink",
              "identity"):
    add_second(_name, _ZERO2)
add_second("elu", lambda x, alpha: alpha * mp.exp(x) if x < 0 else Z)
add_second("selu", lambda x: _SELU_SCALE * _SELU_ALPHA * mp.exp(x) if x < 0 else Z)
add_second("celu", lambda x, alpha: mp.exp(x / alpha) / alpha if x < 0 else Z)


def _gelu_second(x, approximate="none"):
    if approximate == "tanh":  # f = x sigma(w): f'' = 2 sigma'(w) w' + x (sigma''(w) w'^2 + sigma'(w) w'')
        k = mp.sqrt(2 / mp.pi)
        w = _gelu_v(x)
        dw = 2 * k * (1 + 3 * _GELU_C * x * x)
        d2w = 12 * k * _GELU_C * x
        return 2 * _sigma1(w) * dw + x * (_sigma2(w) * dw**2 + _sigma1(w) * d2w)
    return _phi(x) * (2 - x * x)  # (Phi + x phi)' = 2 phi - x^2 phi


add_second("gelu", _gelu_second,
           zeros2=lambda approximate="none": (-1.4142135623730951, 1.4142135623730951) if approximate == "none"
           else (-1.4185, 1.4185))


def _silu_second(x, beta):
    u = beta * x  # f = u sigma(u)/beta: f'' = beta (2 sigma'(u) + u sigma''(u))
    return beta * (2 * _sigma1(u) + u * _sigma2(u))


_SILU_U2 = 2.3993572805154676  # zero of d2/du2 [u sigma(u)]


def _silu_zeros2(beta):
    return (-_SILU_U2 / float(beta), _SILU_U2 / float(beta)) if beta != 0 else ()


add_second("silu", _silu_second, zeros2=_silu_zeros2)
add_second("quick_gelu", lambda x: _silu_second(x, _QG), zeros2=lambda: (-_SILU_U2 / 1.702, _SILU_U2 / 1.702))


def _mish_second(x):
    """f = x t, t = tanh(s), s = softplus(x): f'' = 2t' + x t'', t' = sech^2(s) sigma(x),
    t'' = sech^2(s) (sigma'(x) - 2 tanh(s) sigma(x)^2)."""
    sp = _softplus(x)
    sech2 = mp.sech(sp) ** 2
    t1 = sech2 * _sigma(x)
    t2 = sech2 * (_sigma1(x) - 2 * mp.tanh(sp) * _sigma(x) ** 2)
    return 2 * t1 + x * t2


add_second("mish", _mish_second, zeros2=lambda: (-2.2564, 1.4906))
add_second("softplus", lambda x, beta: beta * _sigma1(beta * x))


def _squareplus_second(x, b):
    h = mp.sqrt(x * x + b)  # ((1 + x/h)/2)' = (1/h - x^2/h^3)/2 = b/(2 h^3)
    return b / (2 * h**3)


add_second("squareplus", _squareplus_second)
add_second("sparse_plus", lambda x: mp.mpf(1) / 2 if -1 < x < 1 else Z)
add_second("hardswish", lambda x: mp.mpf(1) / 3 if -3 < x < 3 else Z)
add_second("tanhshrink", lambda x: 2 * mp.tanh(x) * mp.sech(x) ** 2)
add_second("squared_relu", lambda x, **p: mp.mpf(2) if x > 0 else Z)  # 0 at the kink, as relu'(0) = 0
add_second("softcap", lambda x, cap=30.0: -2 * mp.tanh(x / cap) * mp.sech(x / cap) ** 2 / cap,
           zeros2=lambda **p: (0.0,))
