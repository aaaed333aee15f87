"""High-precision references for the vector activations (softmax family, GLU family).

Every reference works on the exact binary value of each float64 input
(``mp.mpf(float)`` and ``Fraction(float)`` are exact) and never calls
actloss. Parameters are taken as their float64 values.

* softmax, log_softmax, softmin and their Jacobians: mpmath at ``PREC``
  bits, written so that nothing cancels: 1 - s_i is formed as
  sum_{j != i} e_j / D, log s_i as (x_i - x_max)/T - log D.
* sparsemax: exact rational arithmetic (fractions), so the support and every
  p_i are exact; ``is_simplex_projection`` checks the optimality conditions
  of the Euclidean projection onto the simplex independently.
* GLU gates: sigmoid, relu, gelu (exact and tanh), swish, with derivatives.

Rows holding +-inf or NaN follow the documented conventions: a +inf entry
takes all the mass, several +inf share it equally, -inf entries get 0; a row
of only -inf, or with a NaN, is NaN throughout.

``ulp_error`` is the accuracy measure of the test suite: ulps of the float64
nearest the exact value, and |y - ref| / 2**-1022 * 4 where the exact value
is subnormal or underflows (so the absolute bound 2**-1022 maps to 4).
"""

from __future__ import annotations

import functools
import math
from fractions import Fraction

import mpmath
from mpmath import mp

PREC = 256
TINY = 2.0**-1022
ULP_MAX = 2.0**971


def mpf(x) -> mpmath.mpf:
    return mp.mpf(float(x))


# ---------------------------------------------------------------------------
# accuracy measure
# ---------------------------------------------------------------------------

def _to_mpf(ref):
    if isinstance(ref, Fraction):
        with mp.workprec(PREC):
            return mp.mpf(ref.numerator) / ref.denominator
    return ref


def ulp_error(y: float, ref) -> float:
    """|y - ref| in ulps of the float64 nearest ref (see the module docstring)."""
    ref = _to_mpf(ref)
    y = float(y)
    if mpmath.isnan(ref):
        return 0.0 if math.isnan(y) else math.inf
    if math.isnan(y):
        return math.inf
    with mp.workprec(PREC):
        rf = float(ref)
        if math.isinf(y) or math.isinf(rf):
            return 0.0 if y == rf else math.inf
        if abs(ref) < TINY:
            return float(abs(mpf(y) - ref) / TINY) * 4.0
        return float(abs(mpf(y) - ref) / math.ulp(abs(rf)))


def abs_error(y: float, ref) -> float:
    ref = _to_mpf(ref)
    y = float(y)
    if math.isnan(y) or math.isinf(y) or mpmath.isinf(ref) or mpmath.isnan(ref):
        both_nan = math.isnan(y) and mpmath.isnan(ref)
        return 0.0 if both_nan or y == ref else math.inf
    with mp.workprec(PREC):
        return float(abs(mpf(y) - ref))


# ---------------------------------------------------------------------------
# softmax family
# ---------------------------------------------------------------------------

NAN = mp.nan


def _row_kind(x):
    if any(math.isnan(v) for v in x):
        return "nan"
    if any(v == math.inf for v in x):
        return "pinf"
    if all(v == -math.inf for v in x):
        return "nan"
    return "regular"


def _soft_parts(x, T):
    """d_i = (x_i - max)/T, e_i = exp(d_i), D = sum e, others_i = D - e_i (no cancellation)."""
    T = mpf(T)
    fin = [v for v in x if math.isfinite(v)]
    xm = mpf(max(fin))
    d = [(mpf(v) - xm) / T if math.isfinite(v) else -mp.inf for v in x]
    e = [mp.exp(di) if di != -mp.inf else mp.mpf(0) for di in d]
    D = mp.fsum(e)
    others = [mp.fsum(e[:i] + e[i + 1:]) for i in range(len(e))]
    return d, e, D, others


def softmax(x, T=1.0):
    kind = _row_kind(x)
    if kind == "nan":
        return [NAN] * len(x)
    with mp.workprec(PREC):
        if kind == "pinf":
            c = sum(1 for v in x if v == math.inf)
            return [mp.mpf(1) / c if v == math.inf else mp.mpf(0) for v in x]
        _, e, D, _ = _soft_parts(x, T)
        return [ei / D for ei in e]


def log_softmax(x, T=1.0):
    kind = _row_kind(x)
    if kind == "nan":
        return [NAN] * len(x)
    with mp.workprec(PREC):
        if kind == "pinf":
            c = sum(1 for v in x if v == math.inf)
            return [-mp.log(c) if v == math.inf else -mp.inf for v in x]
        d, _, _, others = _soft_parts(x, T)
        L = mp.log1p(others[d.index(0)])  # log D = log1p(sum of the non-maximal terms)
        return [di - L for di in d]


def logsumexp(x, T=1.0):
    """[T·log Σ e^(x_i/T)]: +inf with a +inf entry, -inf for a row of only -inf, nan with a nan."""
    if any(math.isnan(v) for v in x):
        return [NAN]
    if all(v == -math.inf for v in x):
        return [-mp.inf]
    if any(v == math.inf for v in x):
        return [mp.inf]
    with mp.workprec(PREC):
        fin = [v for v in x if math.isfinite(v)]
        xm = mpf(max(fin))
        d, _, _, others = _soft_parts(x, T)
        return [xm + mpf(T) * mp.log1p(others[d.index(0)])]  # log D = log1p(the non-maximal terms)


def logsumexp_jac(x, T=1.0):
    """The 1 × n Jacobian: softmax(x/T)."""
    return [softmax(x, T)]


def softmin(x, T=1.0):
    return softmax([-v for v in x], T)


def softmax_jac(x, T=1.0):
    n = len(x)
    kind = _row_kind(x)
    if kind == "nan":
        return [[NAN] * n for _ in range(n)]
    with mp.workprec(PREC):
        Tm = mpf(T)
        if kind == "pinf":
            s = softmax(x, T)
            oms = [1 - si for si in s]
        else:
            _, e, D, others = _soft_parts(x, T)
            s = [ei / D for ei in e]
            oms = [o / D for o in others]
        return [[(s[i] * oms[i] if i == j else -s[i] * s[j]) / Tm for j in range(n)] for i in range(n)]


def log_softmax_jac(x, T=1.0):
    n = len(x)
    kind = _row_kind(x)
    if kind == "nan":
        return [[NAN] * n for _ in range(n)]
    with mp.workprec(PREC):
        Tm = mpf(T)
        if kind == "pinf":
            s = softmax(x, T)
            oms = [1 - si for si in s]
        else:
            _, e, D, others = _soft_parts(x, T)
            s = [ei / D for ei in e]
            oms = [o / D for o in others]
        return [[(oms[i] if i == j else -s[j]) / Tm for j in range(n)] for i in range(n)]


def softmin_jac(x, T=1.0):
    J = softmax_jac([-v for v in x], T)
    with mp.workprec(PREC):
        return [[-v for v in row] for row in J]


# ---------------------------------------------------------------------------
# sparsemax (exact rationals)
# ---------------------------------------------------------------------------

def sparsemax_exact(x, T=1.0):
    """(p, support) with p a list of Fractions (None entries for NaN rows)."""
    kind = _row_kind(x)
    if kind == "nan":
        return None, None
    if kind == "pinf":
        c = sum(1 for v in x if v == math.inf)
        supp = [v == math.inf for v in x]
        return [Fraction(1, c) if s else Fraction(0) for s in supp], supp
    Tf = Fraction(T)
    z = [Fraction(v) / Tf if math.isfinite(v) else None for v in x]
    zs = sorted((v for v in z if v is not None), reverse=True)
    K, acc, accK = 1, Fraction(0), Fraction(0)
    for k, v in enumerate(zs, start=1):
        acc += v
        if 1 + k * v > acc:
            K, accK = k, acc
    tau = (accK - 1) / K
    p = [max(v - tau, Fraction(0)) if v is not None else Fraction(0) for v in z]
    supp = [pi > 0 for pi in p]
    return p, supp


def sparsemax(x, T=1.0):
    p, _ = sparsemax_exact(x, T)
    if p is None:
        return [NAN] * len(x)
    return p


def sparsemax_jac(x, T=1.0):
    n = len(x)
    p, supp = sparsemax_exact(x, T)
    if p is None:
        return [[NAN] * n for _ in range(n)]
    K = sum(supp)
    Tf = Fraction(T)
    return [[((1 if i == j else 0) - Fraction(1, K)) / Tf if supp[i] and supp[j] else Fraction(0)
             for j in range(n)] for i in range(n)]


def is_simplex_projection(z, p) -> bool:
    """Optimality conditions of argmin ||p - z||^2 over the simplex (exact rationals):
    p >= 0, sum p = 1, and one tau with p_i = z_i - tau where p_i > 0, z_i <= tau where p_i = 0."""
    if any(pi < 0 for pi in p) or sum(p) != 1:
        return False
    pos = [i for i, pi in enumerate(p) if pi > 0]
    if not pos:
        return False
    tau = z[pos[0]] - p[pos[0]]
    return all((z[i] - tau == p[i]) if p[i] > 0 else (z[i] <= tau) for i in range(len(z)))


# ---------------------------------------------------------------------------
# GLU gates
# ---------------------------------------------------------------------------

GELU_C = 0.044715


def _sigma(u):
    if u >= 0:
        return 1 / (1 + mp.exp(-u))
    e = mp.exp(u)
    return e / (1 + e)


def _dsigma(u):
    e = mp.exp(-abs(u))
    return e / (1 + e) ** 2


def _erfc(z):
    if z > 1e50:
        return mp.exp(-z * z) / (z * mp.sqrt(mp.pi)) * (1 - 1 / (2 * z * z) + 3 / (4 * z**4))
    if z < -1e50:
        return mp.mpf(2)
    return mp.erfc(z)


def _Phi(b):
    return _erfc(-b / mp.sqrt(2)) / 2


def _phi(b):
    return mp.exp(-b * b / 2) / mp.sqrt(2 * mp.pi)


def _tanh_arg(b):
    """2u(b) = 2 sqrt(2/pi) (b + c b^3) and its derivative."""
    c = mpf(GELU_C)
    k = 2 * mp.sqrt(2 / mp.pi)
    return k * (b + c * b**3), k * (1 + 3 * c * b * b)


def gate(kind, b, **kw):
    """(g(b), g'(b)) as mpf for a float b (limits at +-inf, NaN for NaN)."""
    return _gate(kind, float(b), tuple(sorted(kw.items())))


@functools.lru_cache(maxsize=None)
def _gate(kind, b, items):
    kw = dict(items)
    if math.isnan(b):
        return NAN, NAN
    with mp.workprec(PREC):
        if math.isinf(b):
            return _gate_limit(kind, b, **kw)
        B = mpf(b)
        if kind == "sigmoid":
            return _sigma(B), _dsigma(B)
        if kind == "relu":
            return (B if B > 0 else mp.mpf(0)), (mp.mpf(1) if B > 0 else mp.mpf(0))
        if kind == "silu":
            t = mpf(kw.get("beta", 1.0)) * B
            s = _sigma(t)
            return B * s, s + t * _dsigma(t)
        if kind == "gelu" and kw.get("approximate", "none") == "tanh":
            v, dv = _tanh_arg(B)
            return B * _sigma(v), _sigma(v) + B * _dsigma(v) * dv
        if kind == "gelu":
            return B * _Phi(B), _Phi(B) + B * _phi(B)
    raise ValueError(kind)


def _gate_limit(kind, b, **kw):
    pos = b > 0
    if kind == "sigmoid":
        return mp.mpf(1 if pos else 0), mp.mpf(0)
    if kind == "relu":
        return (mp.inf if pos else mp.mpf(0)), mp.mpf(1 if pos else 0)
    if kind == "silu":
        beta = kw.get("beta", 1.0)
        if beta == 0:
            return (mp.inf if pos else -mp.inf), mp.mpf(0.5)
        up = (beta > 0) == pos
        return (mpf(b) if up else mp.mpf(0)), mp.mpf(1 if up else 0)
    if kind == "gelu":
        return (mp.inf if pos else mp.mpf(0)), mp.mpf(1 if pos else 0)
    raise ValueError(kind)


def glu_gate_zero(kind, **kw):
    """The zero of g' in the middle of the range (None if g' has none)."""
    with mp.workprec(PREC):
        if kind == "silu":
            beta = kw.get("beta", 1.0)
            if beta == 0:
                return None
            root = mp.findroot(lambda t: _sigma(t) + t * _dsigma(t), -1.28)
            return float(root / mpf(beta))
        if kind == "gelu":
            if kw.get("approximate", "none") == "tanh":
                def f(b):
                    v, dv = _tanh_arg(b)
                    return _sigma(v) + b * _dsigma(v) * dv
            else:
                def f(b):
                    return _Phi(b) + b * _phi(b)
            return float(mp.findroot(f, -0.75))
    return None


def glu_value(kind, x, **kw):
    """out_i = a_i g(b_i) for one vector x = [a, b]."""
    m = len(x) // 2
    out = []
    for a, b in zip(x[:m], x[m:]):
        g, _ = gate(kind, b, **kw)
        with mp.workprec(PREC):
            out.append(_times(a, g))
    return out


def _times(a, g):
    if math.isnan(a) or mpmath.isnan(g):
        return NAN
    if math.isinf(a):
        if g == 0:
            return NAN
        return mp.inf if (a > 0) == (g > 0) else -mp.inf
    if mpmath.isinf(g):
        if a == 0:
            return NAN
        return mp.inf if (a > 0) == (g > 0) else -mp.inf
    return mpf(a) * g


def glu_jac(kind, x, **kw):
    """Jacobian (m x 2m) of one vector: J[i][i] = g(b_i), J[i][m+i] = a_i g'(b_i)."""
    m = len(x) // 2
    J = [[mp.mpf(0)] * (2 * m) for _ in range(m)]
    for i, (a, b) in enumerate(zip(x[:m], x[m:])):
        g, dg = gate(kind, b, **kw)
        with mp.workprec(PREC):
            J[i][i] = g
            J[i][m + i] = _times(a, dg)
    return J


# ---------------------------------------------------------------------------
# finite differences of the references (high precision)
# ---------------------------------------------------------------------------

def fd_jacobian(fn, x, h_rel=mp.mpf(2) ** -80, prec=PREC * 2):
    """Central differences of a reference fn(list of mpf-able) -> list, at high precision.

    The references take floats; this helper evaluates them on mpf inputs by
    temporarily treating the shifted point as exact (mpf arithmetic throughout).
    """
    n = len(x)
    with mp.workprec(prec):
        X = [mpf(v) for v in x]
        scale = max([abs(v) for v in X] + [mp.mpf(1)])
        h = h_rel * scale
        cols = []
        for j in range(n):
            xp = list(X)
            xm = list(X)
            xp[j] += h
            xm[j] -= h
            fp, fm = fn(xp), fn(xm)
            cols.append([(a - b) / (2 * h) for a, b in zip(fp, fm)])
        return [[cols[j][i] for j in range(n)] for i in range(len(cols[0]))]


def softmax_mp(X, T):
    """softmax of mpf inputs (for finite differences)."""
    T = mp.mpf(T)
    m = max(X)
    e = [mp.exp((v - m) / T) for v in X]
    D = mp.fsum(e)
    return [v / D for v in e]


def log_softmax_mp(X, T):
    T = mp.mpf(T)
    m = max(X)
    d = [(v - m) / T for v in X]
    L = mp.log(mp.fsum(mp.exp(v) for v in d))
    return [v - L for v in d]
