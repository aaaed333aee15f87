"""High-precision definitions of the activations, for correct rounding.

The float64 kernels are within a few ulp of exact; rounded into a narrower
format that settles the result except when the exact value may lie on the
other side of a rounding boundary (a midpoint between two representable
values, the overflow threshold). Those rare elements are decided here: each
function is its mathematical definition evaluated with mpmath at the working
precision the caller sets (``mp.workprec``). Imported only for those cases.

Naming follows the kernels: the record with ``kernel="actloss._kernels:gelu"``
is defined here by ``gelu(x, **params)`` and ``gelu_grad(x, **params)``
(a second derivative would be ``gelu_grad2``). ``x`` is an mpf holding the
exact input; parameters arrive as the float64 (or text) values the record
binds and are taken exactly. Derivatives at kinks follow the kernels
(PyTorch's autograd convention). Vector functions take a row (a list of
mpf) and return a list of mpf (the Jacobian row-major); the caller checks
each value against a second evaluation at higher precision, so a definition
that cancels is caught rather than trusted.
"""

from __future__ import annotations

from mpmath import mp

from actloss.constants import GELU_TANH_C, QUICK_GELU_BETA, SELU_ALPHA, SELU_SCALE

ONE = mp.mpf(1)
ZERO = mp.mpf(0)
HALF = mp.mpf(1) / 2


def _p(v):
    """A parameter as an exact mpf (floats are exact binary values)."""
    return mp.mpf(v) if isinstance(v, (int, float)) else v


def _sigma(u):
    if u >= 0:
        return 1 / (1 + mp.exp(-u))
    e = mp.exp(u)
    return e / (1 + e)


def _softplus(u):
    if u > 0:
        return u + mp.log1p(mp.exp(-u))
    return mp.log1p(mp.exp(u))


def _erfc(z):
    if z > 10**40:  # beyond what mpmath's erfc takes: the asymptotic series, far below 2**-prec
        return mp.exp(-z * z) / (z * mp.sqrt(mp.pi)) * (1 - 1 / (2 * z * z) + 3 / (4 * z**4))
    return mp.erfc(z)


def _Phi(x):
    return _erfc(-x / mp.sqrt(2)) / 2


def _phi(x):
    return mp.exp(-x * x / 2) / mp.sqrt(2 * mp.pi)


# --- sigmoid-like -----------------------------------------------------------
def sigmoid(x):
    return _sigma(x)


def sigmoid_grad(x):
    return _sigma(x) * _sigma(-x)


def tanh(x):
    return mp.tanh(x)


def tanh_grad(x):
    return mp.sech(x) ** 2


def softsign(x):
    return x / (1 + abs(x))


def softsign_grad(x):
    return 1 / (1 + abs(x)) ** 2


def hardsigmoid(x):
    if x <= -3:
        return ZERO
    if x >= 3:
        return ONE
    return x / 6 + HALF


def hardsigmoid_grad(x):
    return ONE / 6 if -3 < x < 3 else ZERO


def log_sigmoid(x):
    return -_softplus(-x)


def log_sigmoid_grad(x):
    return _sigma(-x)


def sparse_sigmoid(x):
    if x <= -1:
        return ZERO
    if x >= 1:
        return ONE
    return (x + 1) / 2


def sparse_sigmoid_grad(x):
    return HALF if -1 < x < 1 else ZERO


# --- ReLU family --------------------------------------------------------------
def relu(x):
    return x if x > 0 else ZERO


def relu_grad(x):
    return ONE if x > 0 else ZERO


def relu6(x):
    return min(max(x, ZERO), mp.mpf(6))


def relu6_grad(x):
    return ONE if 0 < x < 6 else ZERO


def leaky_relu(x, alpha):
    return x if x > 0 else _p(alpha) * x


def leaky_relu_grad(x, alpha):
    return ONE if x > 0 else _p(alpha)


prelu = leaky_relu
prelu_grad = leaky_relu_grad


def rrelu(x, lower, upper):
    return leaky_relu(x, (_p(lower) + _p(upper)) / 2)


def rrelu_grad(x, lower, upper):
    return leaky_relu_grad(x, (_p(lower) + _p(upper)) / 2)


def elu(x, alpha):
    return x if x > 0 else _p(alpha) * mp.expm1(x)


def elu_grad(x, alpha):
    return ONE if x > 0 else _p(alpha) * mp.exp(x)


_SELU_ALPHA = mp.mpf(SELU_ALPHA)  # the float64 constants of the kernels, exactly
_SELU_SCALE = mp.mpf(SELU_SCALE)


def selu(x):
    return _SELU_SCALE * (x if x > 0 else _SELU_ALPHA * mp.expm1(x))


def selu_grad(x):
    return _SELU_SCALE * (ONE if x > 0 else _SELU_ALPHA * mp.exp(x))


def celu(x, alpha):
    return x if x > 0 else _p(alpha) * mp.expm1(x / _p(alpha))


def celu_grad(x, alpha):
    return ONE if x > 0 else mp.exp(x / _p(alpha))


def threshold(x, threshold, value):
    return x if x > _p(threshold) else _p(value)


def threshold_grad(x, threshold, value):
    return ONE if x > _p(threshold) else ZERO


# --- smooth ReLU-likes ----------------------------------------------------------
_GELU_C = mp.mpf(GELU_TANH_C)  # the float constant of the tanh approximation


def _gelu_w(x):
    return 2 * mp.sqrt(2 / mp.pi) * (x + _GELU_C * x**3)


def gelu(x, approximate="none"):
    if approximate == "tanh":
        return x * _sigma(_gelu_w(x))
    return x * _Phi(x)


def gelu_grad(x, approximate="none"):
    if approximate == "tanh":
        w = _gelu_w(x)
        dw = 2 * mp.sqrt(2 / mp.pi) * (1 + 3 * _GELU_C * x * x)
        return _sigma(w) + x * _sigma(w) * _sigma(-w) * dw
    return _Phi(x) + x * _phi(x)


def silu(x, beta=1.0):
    return x * _sigma(_p(beta) * x)


def silu_grad(x, beta=1.0):
    u = _p(beta) * x
    return _sigma(u) + u * _sigma(u) * _sigma(-u)


_QUICK = mp.mpf(QUICK_GELU_BETA)


def quick_gelu(x):
    return silu(x, _QUICK)


def quick_gelu_grad(x):
    return silu_grad(x, _QUICK)


def mish(x):
    return x * mp.tanh(_softplus(x))


def mish_grad(x):
    sp = _softplus(x)
    return mp.tanh(sp) + x * mp.sech(sp) ** 2 * _sigma(x)


def softplus(x, beta=1.0):
    b = _p(beta)
    return _softplus(b * x) / b


def softplus_grad(x, beta=1.0):
    return _sigma(_p(beta) * x)


def squareplus(x, b=4.0):
    b = _p(b)
    h = mp.sqrt(x * x + b)
    return (x + h) / 2 if x >= 0 else b / (2 * (h - x))


def squareplus_grad(x, b=4.0):
    b = _p(b)
    h = mp.sqrt(x * x + b)
    return (1 + x / h) / 2 if x >= 0 else b / (2 * h * (h - x))


def sparse_plus(x):
    if x <= -1:
        return ZERO
    if x >= 1:
        return x
    return (x + 1) ** 2 / 4


def sparse_plus_grad(x):
    if x <= -1:
        return ZERO
    if x >= 1:
        return ONE
    return (x + 1) / 2


# --- hard and shrink functions ----------------------------------------------------
def hardtanh(x, min_val=-1.0, max_val=1.0):
    return min(max(x, _p(min_val)), _p(max_val))


def hardtanh_grad(x, min_val=-1.0, max_val=1.0):
    return ONE if _p(min_val) < x < _p(max_val) else ZERO


def hardswish(x):
    if x <= -3:
        return ZERO
    if x >= 3:
        return x
    return x * (x + 3) / 6


def hardswish_grad(x):
    if x <= -3:
        return ZERO
    if x >= 3:
        return ONE
    return (2 * x + 3) / 6


def tanhshrink(x):
    if x == 0:
        return ZERO
    # x - tanh(x) ~ x^3/3 cancels about 2*log2(1/|x|) bits
    extra = max(0, -2 * int(mp.floor(mp.log(abs(x), 2)))) + 16
    with mp.extraprec(extra):
        return +(x - mp.tanh(x))


def tanhshrink_grad(x):
    return mp.tanh(x) ** 2


def softshrink(x, lambd=0.5):
    lam = _p(lambd)
    if x > lam:
        return x - lam
    if x < -lam:
        return x + lam
    return ZERO


def softshrink_grad(x, lambd=0.5):
    return ONE if abs(x) > _p(lambd) else ZERO


def hardshrink(x, lambd=0.5):
    return x if abs(x) > _p(lambd) else ZERO


def hardshrink_grad(x, lambd=0.5):
    return ONE if abs(x) > _p(lambd) else ZERO


def identity(x):
    return +x


def identity_grad(x):
    return ONE


#: Zeros of derivatives whose kernels are accurate there in absolute terms only
#: (4 * 2**-52 within 1e-3 of the zero): name -> params -> approximate zeros.
DERIVATIVE_ZEROS = {
    "gelu": lambda approximate="none": (-0.7517916243,) if approximate == "none" else (-0.7528,),
    "silu": lambda beta=1.0: (-1.2784645427610738 / beta,) if beta != 0 else (),
    "quick_gelu": lambda: (-1.2784645427610738 / QUICK_GELU_BETA,),
    "mish": lambda: (-1.1923730,),
}


#: The same for second derivatives (the kernels NAME_grad2 near the zeros of f'').
DERIVATIVE2_ZEROS = {
    "gelu": lambda approximate="none": (-1.4142135623730951, 1.4142135623730951) if approximate == "none"
    else (-1.4185, 1.4185),
    "silu": lambda beta=1.0: (-2.3993572805154676 / beta, 2.3993572805154676 / beta) if beta != 0 else (),
    "quick_gelu": lambda: (-2.3993572805154676 / QUICK_GELU_BETA, 2.3993572805154676 / QUICK_GELU_BETA),
    "mish": lambda: (-2.2564, 1.4906),
}


# --- vector functions (one row) ---------------------------------------------------
def _softmax_row(row, T):
    z = [v / _p(T) for v in row]
    m = max(z)
    e = [mp.exp(v - m) for v in z]
    s = mp.fsum(e)
    return [v / s for v in e]


def softmax(row, temperature=1.0):
    return _softmax_row(row, temperature)


def softmax_grad(row, temperature=1.0):
    s = _softmax_row(row, temperature)
    T = _p(temperature)
    return [s[i] * ((ONE if i == j else ZERO) - s[j]) / T for i in range(len(s)) for j in range(len(s))]


def softmin(row, temperature=1.0):
    return _softmax_row([-v for v in row], temperature)


def softmin_grad(row, temperature=1.0):
    return [-v for v in softmax_grad([-v for v in row], temperature)]


def log_softmax(row, temperature=1.0):
    z = [v / _p(temperature) for v in row]
    m = max(z)
    lse = m + mp.log(mp.fsum(mp.exp(v - m) for v in z))
    return [v - lse for v in z]


def log_softmax_grad(row, temperature=1.0):
    s = _softmax_row(row, temperature)
    T = _p(temperature)
    return [((ONE if i == j else ZERO) - s[j]) / T for i in range(len(s)) for j in range(len(s))]


def _sparse_support(row, T):
    z = sorted((v / _p(T) for v in row), reverse=True)
    k, total = 0, ZERO
    for i, v in enumerate(z, 1):
        if 1 + i * v > total + v:
            k, total = i, total + v
        else:
            break
    return (total - 1) / k, k


def sparsemax(row, temperature=1.0):
    tau, _ = _sparse_support(row, temperature)
    return [max(v / _p(temperature) - tau, ZERO) for v in row]


def sparsemax_grad(row, temperature=1.0):
    tau, k = _sparse_support(row, temperature)
    T = _p(temperature)
    on = [v / T - tau > 0 for v in row]
    n = len(row)
    return [((ONE if i == j else ZERO) - ONE / k) / T if on[i] and on[j] else ZERO for i in range(n) for j in range(n)]


_GATES = {
    "glu": (lambda b, **p: sigmoid(b), lambda b, **p: sigmoid_grad(b)),
    "reglu": (lambda b, **p: relu(b), lambda b, **p: relu_grad(b)),
    "geglu": (gelu, gelu_grad),
    "swiglu": (silu, silu_grad),
}


def _glu(name, row, params, grad):
    m = len(row) // 2
    a, b = row[:m], row[m:]
    g, dg = _GATES[name]
    if not grad:
        return [a[i] * g(b[i], **params) for i in range(m)]
    out = []
    for i in range(m):
        line = [ZERO] * (2 * m)
        line[i] = g(b[i], **params)
        line[m + i] = a[i] * dg(b[i], **params)
        out.extend(line)
    return out


def glu(row):
    return _glu("glu", row, {}, False)


def glu_grad(row):
    return _glu("glu", row, {}, True)


def reglu(row):
    return _glu("reglu", row, {}, False)


def reglu_grad(row):
    return _glu("reglu", row, {}, True)


def geglu(row, approximate="none"):
    return _glu("geglu", row, {"approximate": approximate}, False)


def geglu_grad(row, approximate="none"):
    return _glu("geglu", row, {"approximate": approximate}, True)


def swiglu(row, beta=1.0):
    return _glu("swiglu", row, {"beta": beta}, False)


def swiglu_grad(row, beta=1.0):
    return _glu("swiglu", row, {"beta": beta}, True)


def squared_relu(x):
    return x * x if x > 0 else ZERO


def squared_relu_grad(x):
    return 2 * x if x > 0 else ZERO


def squared_relu_grad2(x):
    return mp.mpf(2) if x > 0 else ZERO


def softcap(x, cap=30.0):
    """c·tanh(x/c), with enough bits that c - c·tanh(x/c) ~ 2c·e^(-2|x/c|) is not lost (the value is
    returned at that precision, so a midpoint of a narrow format such as 30 in float8_e5m2 is decided)."""
    c = mp.mpf(cap)
    u = x / c
    if abs(u) > 2000:  # c·(1 - 2e^(-2|u|)) to first order: just inside ±c, at the bits that show it
        with mp.workprec(8200):
            return mp.sign(u) * (c - 2 * c * mp.exp(-2 * abs(u)) if abs(u) < 2800 else c - c * mp.mpf(2) ** -8000)
    with mp.workprec(max(mp.prec, int(abs(u) * 3) + 64)):
        return c * mp.tanh(u)


def softcap_grad(x, cap=30.0):
    return mp.sech(x / mp.mpf(cap)) ** 2


def logsumexp(row, temperature=1.0):
    """[T·log Σ exp(x_i/T)] for a row (a list of mpf)."""
    T = mp.mpf(temperature)
    m = max(row)
    return [m + T * mp.log(mp.fsum(mp.exp((v - m) / T) for v in row))]


def logsumexp_grad(row, temperature=1.0):
    """The 1 × n Jacobian, row-major: softmax(x/T)."""
    T = mp.mpf(temperature)
    m = max(row)
    e = [mp.exp((v - m) / T) for v in row]
    s = mp.fsum(e)
    return [v / s for v in e]


def softcap_grad2(x, cap=30.0):
    c = mp.mpf(cap)
    return -2 * mp.tanh(x / c) * mp.sech(x / c) ** 2 / c
