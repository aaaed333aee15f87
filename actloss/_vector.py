"""Vector kernels: the softmax family and the GLU family, value beside Jacobian.

Inputs are float64 arrays of shape (..., n); each row along the last axis is
one vector. Values keep that shape (GLU halves the last axis); derivatives
are Jacobians of shape (..., n_out, n) with J[..., i, j] = d out_i / d x_j.

Accuracy contract (tested against mpmath on the exact binary inputs): every
component of every value and Jacobian is within 4 ulp (in practice half an
ulp plus a hair; the exact-GELU gate adds the error of the elementwise
kernel) of the exactly rounded result where that result is a normal
float64, and within 2**-1022 where it is subnormal or underflows. No
floating-point warnings escape.

Softmax family (softmax, log_softmax, softmin, sparsemax; z = x / T)
--------------------------------------------------------------------
* Differences d_i = (x_i - x_max) / T are carried as double-doubles: the
  subtraction is exact (two_sum), the division by T keeps its residual, and
  rows with |x| >= 2**960 are scaled by 2**-128 first so nothing overflows
  that the exact result does not.
* exp(d_i) is evaluated as 2**k * (m_hi + m_lo): reduction by ln2/64 with a
  Cody-Waite constant, a 64-entry double-double table of 2**(j/64) and a
  short polynomial, so each term is good to ~2**-65 relative and the
  exponent k is kept apart (no premature underflow: s_j / T and
  s_i * s_j / T are normal whenever the exact values are).
* The row sum leaves out the maximum (exactly 1) and is a double-double
  pairwise two_sum tree (all terms >= 0, so no cancellation); D = 1 + rest.
* Every output is formed in double-double and rounded once: s_i = E_i / D,
  1 - s_i = (D - E_i) / D (= rest / D at the maximum), the Jacobian entries
  s_i * s_j / T and s_i * (1 - s_i) / T, and log_softmax d_i - log D with
  log D refined by one Newton step on the double-double exp.
* Limits: a +inf entry takes all the mass, several +inf share it equally,
  -inf entries get 0 (log_softmax: -inf). The Jacobian of such a row is the
  formula evaluated at that limiting distribution. A row of only -inf, or
  any NaN in a row, gives NaN for the whole row (value and Jacobian).

Sparsemax is the Euclidean projection of z = x / T onto the probability
simplex: p_i = max(z_i - tau, 0). With y_j = x_max - x_j >= 0 (exact
double-doubles) the support S (size K) is the largest prefix of the sorted
y with T + sum_{j<=k} y_j - k * y_k > 0, and for i in S

    p_i = (T + sum_{j in S} y_j - K * y_i) / (K * T),

whose numerator cancels near the support boundary. It is evaluated in
double-double with a rigorous error bound (cumulative sums are corrected
by their exact two_sum residuals); the sign tests and the numerators whose
bound is not small enough are redone exactly (math.fsum, fractions), so the
support is determined exactly and p_i is correctly rounded up to about
half an ulp. Entries with p_i == 0 exactly are outside the support: at a
support boundary (a kink) the Jacobian is that of the smaller support,
(delta_ij - 1/|S|) / T for i, j in S and 0 elsewhere.

GLU family (glu, reglu, geglu, swiglu)
--------------------------------------
One layout for all four, as PyTorch's F.glu: the last axis is split in
halves x = [a, b] (a: value half, b: gate half) and out = a * act(b); an odd
length raises ShapeError. The Jacobian has d out_i/d a_i = act(b_i) and
d out_i/d b_i = a_i act'(b_i), zeros elsewhere.

The products are rounded once and never under- or overflow where the exact
result does not (a = 1e300 times a gate of 1e-340 is still exact): the
sigmoid, swish (b sigma(beta b)) and tanh-GELU (b sigma(2u(b))) gates are
evaluated here as 2**k * (double-double), with sigma(t) and sigma(-t) from
one exp(-|t|) and the derivative factors sigma(t) (1 + w sigma(-t)) in
double-double, so they keep their relative accuracy until within ~1e-4
of the zero of the derivative (absolute error there ~2**-67 |a|). The
exact GELU gate (erfc) and ReLU come from the elementwise kernels; below
b = -35 the GELU gate is rewritten as exp(-b^2/2) times its erfc asymptotic
series, and for |b| < 2**-900 as b / 2, both with the exponent kept apart.
Infinite or NaN inputs follow IEEE products of the limits (inf * 0 is NaN).
"""

from __future__ import annotations

import math
from decimal import Decimal, localcontext

import numpy as np

from actloss import _kernels as K
from actloss._dd import div_dd_pair, fast_two_sum, mul_dd, split, sum_rows, two_prod, two_sum
from actloss.constants import GELU_TANH_C, INV_SQRT_2PI, LN2_HI, LN2_LO, SQRT_2_OVER_PI
from actloss.errors import ShapeError

# ---------------------------------------------------------------------------
# double-double helpers
# ---------------------------------------------------------------------------


# the double-double pieces are actloss._dd's (one implementation for every kernel module)
_fast_two_sum = fast_two_sum
_dd_div = div_dd_pair
_dd_mul = mul_dd


def _div_float(h, l, t):
    """(h + l) / t rounded once (to ~0.5 ulp), t a positive float."""
    q = h / t
    p, pe = two_prod(q, t)
    return q + ((h - p) - pe + l) / t


# ---------------------------------------------------------------------------
# exp(h + l) = 2**k * (m_hi + m_lo), good to ~2**-65 relative
# ---------------------------------------------------------------------------

_LN2_HI = LN2_HI  # 0x1.62e42fee00000p-1: 21 trailing zero bits
_LN2_LO = LN2_LO
_C_HI = _LN2_HI / 64.0
_C_LO = _LN2_LO / 64.0
_INV_C = 64.0 / math.log(2.0)
_EXP_FLOOR = -2.0e4  # exp below this underflows even against 2**1024 * 2**1024; |n| < 2**21 keeps n*_C_HI exact


def _pow2_table():
    hi, lo = [], []
    with localcontext() as ctx:
        ctx.prec = 60
        ln2 = Decimal(2).ln()
        for j in range(64):
            v = (ln2 * j / 64).exp()
            h = float(v)
            hi.append(h)
            lo.append(float(v - Decimal(h)))
    return np.array(hi), np.array(lo)


_T_HI, _T_LO = _pow2_table()

# 1/k! for k = 2..7: expm1(r) - r for |r| <= ln2/128 to 2e-23
_EXPM1_COEF = tuple(1.0 / math.factorial(k) for k in range(7, 1, -1))


def _exp_dd(h, l):
    """exp(h + l) for finite h in [-2e4, 700] and |l| << 1: (m_hi, m_lo, k) with
    the value 2**k * (m_hi + m_lo), m_hi in [0.99, 2.03), k an int64 array."""
    nf = np.rint(h * _INV_C)
    r, re_ = two_sum(h - nf * _C_HI, -nf * _C_LO)  # h - nf*_C_HI is exact
    rl = re_ + l
    poly = _EXPM1_COEF[0]
    for c in _EXPM1_COEF[1:]:
        poly = poly * r + c
    # exp(r + rl) - 1 = r + plo, |r| <= ln2/128
    q2 = r * r * poly
    plo = q2 + (1.0 + (r + q2)) * rl
    n = nf.astype(np.int64)
    j = n & 63
    th = _T_HI[j]
    tl = _T_LO[j]
    ph, pe = two_prod(th, r)
    s, se = _fast_two_sum(th, ph)
    lo = se + ((pe + th * plo) + tl * ((1.0 + r) + plo))
    mh, ml = _fast_two_sum(s, lo)
    return mh, ml, n >> 6


def _ldexp(x, k):
    return np.ldexp(x, k)


# ---------------------------------------------------------------------------
# plumbing: inputs, row chunks
# ---------------------------------------------------------------------------

_CHUNK = 1 << 15  # elements per chunk (cache-sized working set)


def _arr(x):
    x = np.asarray(x, dtype=np.float64)
    if x.ndim == 0:
        x = x.reshape(1)
    return x


def _rows(x):
    n = x.shape[-1]
    return x.reshape(-1, n), n


def _chunked(x2, per_row, fn, out):
    """Apply fn(rows) -> array to row chunks of x2, writing into out."""
    rows = x2.shape[0]
    step = max(1, _CHUNK // max(per_row, 1))
    for start in range(0, rows, step):
        out[start:start + step] = fn(x2[start:start + step])
    return out


def _row_kinds(x):
    """Masks per row: NaN rows, rows holding +inf, rows of only -inf, regular rows."""
    nan = np.isnan(x).any(axis=-1)
    pinf = np.isposinf(x)
    has_pinf = pinf.any(axis=-1) & ~nan
    all_ninf = np.isneginf(x).all(axis=-1) & ~nan
    regular = ~(nan | has_pinf | all_ninf)
    return regular, has_pinf, pinf


# ---------------------------------------------------------------------------
# softmax family core (2-D chunks of rows)
# ---------------------------------------------------------------------------

_BIG = 2.0**960
_TINY_T = 2.0**-900
_DOWN = 2.0**-128
_UP = 2.0**128


def _diffs(x, T):
    """d = (x - x_max) / T as a double-double for regular rows (-inf kept as -inf).

    Returns (dh, dl, is_max) with is_max marking the first maximum of each row.
    """
    fin = np.isfinite(x)
    xf = np.where(fin, x, -np.inf)
    imax = np.argmax(xf, axis=-1)[:, None]
    xm = np.take_along_axis(xf, imax, axis=-1)
    xm = np.where(np.isfinite(xm), xm, 0.0)
    xc = np.where(fin, x, xm)
    big = np.abs(xc).max(axis=-1, keepdims=True) >= _BIG
    anybig = bool(big.any())
    if anybig:
        sc = np.where(big, _DOWN, 1.0)
        xc = xc * sc
        xm = xm * sc
    dh, dl = two_sum(xc, -xm)
    if T != 1.0:
        q = dh / T
        # residual dh - q T, exact: scaled by 2**-128 where q is near overflow,
        # and everything by 2**600 for a tiny T (no subnormal products)
        up = 2.0**600 if T < _TINY_T else 1.0
        Tu = T * up
        s = np.where(np.abs(q) < 2.0**990, 1.0, _DOWN)
        p, pe = two_prod(q * s, Tu)
        dl = ((((dh * up) * s - p) - pe) + (dl * up) * s) / Tu / s
        dh = q
        dl = np.where(np.isfinite(q) & np.isfinite(dl), dl, 0.0)
    if anybig:
        up = np.where(big, _UP, 1.0)
        dh = dh * up
        dl = dl * up
        dl = np.where(np.isfinite(dh), dl, 0.0)
    dh = np.where(fin, dh, -np.inf)
    dl = np.where(fin, dl, 0.0)
    is_max = np.zeros(x.shape, dtype=bool)
    np.put_along_axis(is_max, imax, True, axis=-1)
    return dh, dl, is_max


def _exp_parts(dh, dl):
    """exp(d) for d <= 0 as 2**k * (mh + ml); 0 (k = 0) where d < _EXP_FLOOR or -inf."""
    zero = ~(dh >= _EXP_FLOOR)
    h = np.where(zero, 0.0, dh)
    l = np.where(zero, 0.0, dl)
    mh, ml, k = _exp_dd(h, l)
    mh = np.where(zero, 0.0, mh)
    ml = np.where(zero, 0.0, ml)
    k = np.where(zero, 0, k)
    return mh, ml, k


def _sum_dd(h, l):
    """Row sums of nonnegative double-doubles along the last axis (two_sum tree), renormalised, each
    kept as an axis of length 1."""
    s, e = sum_rows(h, l)
    return _fast_two_sum(s[..., None], e[..., None])


class _Soft:
    """Double-double pieces of one chunk of regular softmax rows."""

    def __init__(self, x, T):
        self.dh, self.dl, self.is_max = _diffs(x, T)
        self.mh, self.ml, self.k = _exp_parts(self.dh, self.dl)
        eh = _ldexp(self.mh, self.k)
        el = _ldexp(self.ml, self.k)
        self.eh, self.el = eh, el
        rh, rl = _sum_dd(np.where(self.is_max, 0.0, eh), np.where(self.is_max, 0.0, el))
        self.rh, self.rl = rh, rl
        dh, de = two_sum(1.0, rh)
        self.Dh, self.Dl = _fast_two_sum(dh, de + rl)

    def q(self):
        """s_i = 2**k_i * (qh + ql)."""
        return _dd_div(self.mh, self.ml, self.Dh, self.Dl)

    def w(self):
        """1 - s_i = (D - E_i) / D as a double-double (rest / D at the maximum)."""
        a, ae = two_sum(self.Dh, -self.eh)
        ol = (ae + self.Dl) - self.el
        oh = np.where(self.is_max, self.rh, a)
        ol = np.where(self.is_max, self.rl, ol)
        return _dd_div(oh, ol, self.Dh, self.Dl)

    def log_d(self):
        """log D as a double-double: log1p(rest) plus one Newton step."""
        lh = np.log1p(self.rh)
        mh, ml, k = _exp_dd(-lh, np.zeros_like(lh))
        ph, pl = _dd_mul(self.Dh, self.Dl, mh, ml)
        corr = (_ldexp(ph, k) - 1.0) + _ldexp(pl, k)
        return lh, corr


def _softmax_rows(x, T):
    st = _Soft(x, T)
    qh, ql = st.q()
    return _ldexp(qh + ql, st.k)


def _log_softmax_rows(x, T):
    st = _Soft(x, T)
    lh, ll = st.log_d()
    a, ae = two_sum(st.dh, -lh)
    y = a + ((ae + st.dl) - ll)
    return np.where(np.isneginf(st.dh), -np.inf, y)


def _split_T(T):
    tm, te = math.frexp(T)
    return tm, te


def _over_T(h, l, tm):
    """(h + l) / tm rounded once; exact scaling when tm is 1/2."""
    if tm == 0.5:
        return (h + l) * 2.0
    return _div_float(h, l, tm)


def _softmax_grad_rows(x, T):
    st = _Soft(x, T)
    qh, ql = st.q()
    wh, wl = st.w()
    tm, te = _split_T(T)
    k = st.k
    # off-diagonal: -s_i s_j / T
    ah, al = split(qh)
    qi, qj = qh[:, :, None], qh[:, None, :]
    p = qi * qj
    pe = ((ah[:, :, None] * ah[:, None, :] - p) + ah[:, :, None] * al[:, None, :]
          + al[:, :, None] * ah[:, None, :]) + al[:, :, None] * al[:, None, :]
    pl = pe + (qi * ql[:, None, :] + ql[:, :, None] * qj)
    jac = -_ldexp(_over_T(p, pl, tm), k[:, :, None] + k[:, None, :] - te)
    # diagonal: s_i (1 - s_i) / T
    dh, dl = _dd_mul(qh, ql, wh, wl)
    n = x.shape[-1]
    idx = np.arange(n)
    jac[:, idx, idx] = _ldexp(_over_T(dh, dl, tm), k - te)
    return jac


def _log_softmax_grad_rows(x, T):
    st = _Soft(x, T)
    qh, ql = st.q()
    wh, wl = st.w()
    tm, te = _split_T(T)
    s_over_t = _ldexp(_over_T(qh, ql, tm), st.k - te)
    n = x.shape[-1]
    jac = np.repeat(-s_over_t[:, None, :], n, axis=1)
    idx = np.arange(n)
    jac[:, idx, idx] = _ldexp(_over_T(wh, wl, tm), -te)
    return jac


# ----- limits of rows holding +inf -----------------------------------------

def _inf_limit(pinf):
    c = pinf.sum(axis=-1, keepdims=True).astype(np.float64)
    return pinf / c, c


def _inf_softmax(pinf, T):
    lim, _ = _inf_limit(pinf)
    return lim


def _inf_log_softmax(pinf, T):
    _, c = _inf_limit(pinf)
    return np.where(pinf, -np.log(c), -np.inf)


def _inf_softmax_grad(pinf, T):
    _, c = _inf_limit(pinf)
    c = c[:, :, None]
    both = pinf[:, :, None] & pinf[:, None, :]
    jac = np.where(both, -(1.0 / (c * c)) / T, 0.0)
    n = pinf.shape[-1]
    idx = np.arange(n)
    jac[:, idx, idx] = np.where(pinf, ((c[:, :, 0] - 1.0) / (c[:, :, 0] * c[:, :, 0])) / T, 0.0)
    return jac


def _inf_log_softmax_grad(pinf, T):
    _, c = _inf_limit(pinf)
    n = pinf.shape[-1]
    off = np.where(pinf, -(1.0 / c) / T, 0.0)
    jac = np.repeat(off[:, None, :], n, axis=1)
    idx = np.arange(n)
    jac[:, idx, idx] = np.where(pinf, ((c - 1.0) / c) / T, 1.0 / T)
    return jac


def _family(x, T, rows_fn, inf_fn, jac):
    """Evaluate a softmax-family kernel row-chunk by row-chunk, with the limits."""
    with np.errstate(all="ignore"):
        x = _arr(x)
        T = float(T)
        n = x.shape[-1]
        shape = x.shape + ((n,) if jac else ())
        if n == 0 or x.size == 0:
            return np.zeros(shape)
        x2, _ = _rows(x)
        out = np.empty((x2.shape[0],) + ((n, n) if jac else (n,)))

        def one(rows):
            regular, has_pinf, pinf = _row_kinds(rows)
            if regular.all():
                return rows_fn(rows, T)
            res = rows_fn(np.where(regular[:, None], rows, 0.0), T)
            if has_pinf.any():
                lim = inf_fn(pinf, T)
                m = has_pinf.reshape((-1,) + (1,) * (res.ndim - 1))
                res = np.where(m, lim, res)
            bad = ~(regular | has_pinf)
            if bad.any():
                res[bad] = np.nan
            return res

        _chunked(x2, n * n if jac else n, one, out)
        return out.reshape(shape)


def softmax(x, temperature=1.0):
    return _family(x, temperature, _softmax_rows, _inf_softmax, False)


def softmax_grad(x, temperature=1.0):
    return _family(x, temperature, _softmax_grad_rows, _inf_softmax_grad, True)


def softmin(x, temperature=1.0):
    return softmax(-_arr(x), temperature)


def softmin_grad(x, temperature=1.0):
    return -softmax_grad(-_arr(x), temperature)


def log_softmax(x, temperature=1.0):
    return _family(x, temperature, _log_softmax_rows, _inf_log_softmax, False)


def log_softmax_grad(x, temperature=1.0):
    return _family(x, temperature, _log_softmax_grad_rows, _inf_log_softmax_grad, True)


# ---------------------------------------------------------------------------
# sparsemax
# ---------------------------------------------------------------------------

_U2 = 2.0**-106


def _exact_dk_positive(Ts, sh, sl, kk):
    """Exact sign of T + sum_{j<=k} y_j - k y_k (k = kk + 1), by math.fsum."""
    m = np.float64(kk + 1)
    h1, e1 = two_prod(m, sh[kk])
    h2, e2 = two_prod(m, sl[kk])
    terms = [Ts] + sh[: kk + 1].tolist() + sl[: kk + 1].tolist()
    terms += [-float(h1), -float(e1), -float(h2), -float(e2)]
    return math.fsum(terms) > 0.0


def _sparse_support(x, T):
    """Support mask, its size K and the numerators N_i (double-double) of
    p_i = N_i / (K * T), for a chunk of regular rows; y and T scaled alike."""
    rows, n = x.shape
    fin = np.isfinite(x)
    xf = np.where(fin, x, -np.inf)
    xm = xf.max(axis=-1, keepdims=True)
    yh, yl = two_sum(xm, -np.where(fin, x, xm))
    # y_j > T: never in the support (T - y_j bounds the test quantity)
    cand = fin & np.isfinite(yh) & (yh <= T)
    sc = _DOWN if T > _BIG else (2.0**600 if T < _TINY_T else 1.0)
    Ts = T * sc
    yh = np.where(cand, yh * sc, 0.0)
    yl = np.where(cand, yl * sc, 0.0)
    order = np.argsort(np.where(cand, yh, np.inf), axis=-1, kind="stable")
    sh = np.take_along_axis(yh, order, axis=-1)
    sl = np.take_along_axis(yl, order, axis=-1)
    scand = np.take_along_axis(cand, order, axis=-1)
    # prefix sums P_k = c_k + sum of the exact residuals (telescoping)
    c = np.cumsum(sh, axis=-1)
    prev = np.concatenate([np.zeros((rows, 1)), c[:, :-1]], axis=-1)
    s, e = two_sum(prev, sh)
    delta = e + (s - c)
    pl = np.cumsum(delta + sl, axis=-1)
    k = np.arange(1, n + 1, dtype=np.float64)
    # D_k = T + P_k - k y_k
    kyh, kye = two_prod(k, sh)
    kyl = k * sl
    a, ae = two_sum(Ts, c)
    b, be = two_sum(a, -kyh)
    rest = ((ae + be) + pl) - (kye + kyl)
    dk = b + rest
    bound = (4.0 * (n * n + 8)) * _U2 * (Ts + c + kyh)
    pos = scand & (dk > bound)
    unsure = scand & ~pos & (dk >= -bound)
    if unsure.any():
        # the exact D_k decrease with k: binary search for the last positive one
        for r in np.nonzero(unsure.any(axis=-1))[0]:
            idx = np.nonzero(unsure[r])[0]
            a, b = int(idx[0]), int(idx[-1])
            last = a - 1
            while a <= b:
                mid = (a + b) // 2
                if _exact_dk_positive(Ts, sh[r], sl[r], mid):
                    last, a = mid, mid + 1
                else:
                    b = mid - 1
            lo, hi = int(idx[0]), int(idx[-1])
            pos[r, lo:hi + 1] = False
            pos[r, lo:last + 1] = True
    K = pos.sum(axis=-1, keepdims=True)
    Kf = K.astype(np.float64)
    # support in original order: rank < K
    rank = np.empty_like(order)
    np.put_along_axis(rank, order, np.arange(n)[None, :].repeat(rows, axis=0), axis=-1)
    supp = cand & (rank < K)
    # numerators N_i = T + P_K - K y_i
    PKh = np.take_along_axis(c, K - 1, axis=-1)
    PKl = np.take_along_axis(pl, K - 1, axis=-1)
    kyh, kye = two_prod(Kf, yh)
    kyl = Kf * yl
    a, ae = two_sum(Ts, PKh)
    b, be = two_sum(a, -kyh)
    rest = ((ae + be) + PKl) - (kye + kyl)
    nh, nl = _fast_two_sum(b, rest)
    bound = (4.0 * (n * n + 8)) * _U2 * (Ts + PKh + kyh)
    return dict(supp=supp, K=Kf, nh=nh, nl=nl, bound=bound, yh=yh, yl=yl, order=order, Ts=Ts)


def _sparsemax_rows(x, T):
    d = _sparse_support(x, T)
    supp, Kf, nh, nl, Ts = d["supp"], d["K"], d["nh"], d["nl"], d["Ts"]
    kth, ktl = two_prod(Kf, Ts)
    ph, pl = _dd_div(nh, nl, kth, ktl)
    p = np.where(supp, ph + pl, 0.0)
    # numerators whose error bound is not tiny against them: exactly, with fractions
    redo = supp & ~(np.abs(nh) * 2.0**-62 > d["bound"])
    if redo.any():
        from fractions import Fraction

        yh, yl = d["yh"], d["yl"]
        ts = Fraction(Ts)
        for r in np.nonzero(redo.any(axis=-1))[0]:
            members = np.nonzero(supp[r])[0]
            kk = len(members)
            total = ts + sum(map(Fraction, yh[r, members].tolist())) + sum(map(Fraction, yl[r, members].tolist()))
            den = kk * ts
            for i in np.nonzero(redo[r])[0]:
                y = Fraction(float(yh[r, i])) + Fraction(float(yl[r, i]))
                p[r, i] = float((total - kk * y) / den)
    return p


def _sparse_jac(supp, Kf, T, n):
    tm, te = _split_T(T)
    kth, ktl = two_prod(Kf, tm)
    inv_h, inv_l = _dd_div(np.ones_like(Kf), np.zeros_like(Kf), kth, ktl)
    off = -_ldexp(inv_h + inv_l, -te)
    dg_h, dg_l = _dd_div(Kf - 1.0, np.zeros_like(Kf), kth, ktl)
    diag = _ldexp(dg_h + dg_l, -te)
    both = supp[:, :, None] & supp[:, None, :]
    jac = np.where(both, off[:, :, None], 0.0)
    idx = np.arange(n)
    jac[:, idx, idx] = np.where(supp, diag, 0.0)
    return jac


def _sparsemax_grad_rows(x, T):
    d = _sparse_support(x, T)
    return _sparse_jac(d["supp"], d["K"], T, x.shape[-1])


def _inf_sparsemax_grad(pinf, T):
    c = pinf.sum(axis=-1, keepdims=True).astype(np.float64)
    return _sparse_jac(pinf, c, T, pinf.shape[-1])


def sparsemax(x, temperature=1.0):
    return _family(x, temperature, _sparsemax_rows, _inf_softmax, False)


def sparsemax_grad(x, temperature=1.0):
    return _family(x, temperature, _sparsemax_grad_rows, _inf_sparsemax_grad, True)


# ---------------------------------------------------------------------------
# GLU family
# ---------------------------------------------------------------------------

_INV_SQRT_2PI = INV_SQRT_2PI
_SQRT_2_OVER_PI = SQRT_2_OVER_PI
_GELU_C = GELU_TANH_C  # the float64 constant of the tanh approximation
_GELU_TAIL = -35.0  # below, the exact GELU gate uses the erfc asymptotic series
_TINY_B = 2.0**-900
# erfc asymptotic series: S(t) = 1 + sum_k (-1)^k (2k-1)!! t^k, t = 1/b^2 (b <= -35: 12 terms, < 1e-22)
_ERFC_SERIES = tuple((-1) ** k * math.prod(range(1, 2 * k, 2)) for k in range(12, 0, -1))


def _halves(x, name):
    x = _arr(x)
    n = x.shape[-1]
    if n % 2:
        raise ShapeError(
            f"{name} splits each vector into a value half and a gate half: "
            f"expected an even number of inputs per vector, got {n}"
        )
    return x[..., : n // 2], x[..., n // 2:]


def _two_prod_any(a, b):
    """a * b as a double-double for any finite a, b (split on frexp-scaled pieces)."""
    ma, ea = np.frexp(a)
    mb, eb = np.frexp(b)
    _, e = two_prod(ma, mb)
    return a * b, _ldexp(e, ea + eb)


def _mul_round(a, b, fh, fl, k):
    """a * b * (fh + fl) * 2**k rounded once, every exponent kept apart.

    a, b: floats (b may be None for 1); (fh, fl): a double-double; k: int64.
    IEEE semantics for infinities and NaN in a and b.
    """
    am, ae = np.frexp(a)
    e = ae.astype(np.int64) + k
    fm, fe = np.frexp(fh)
    e = e + fe
    flm = _ldexp(fl, -fe)
    if b is not None:
        bm, be = np.frexp(b)
        e = e + be
        ph, pe = two_prod(am, bm)
        vh, vl = _dd_mul(ph, pe, fm, flm)
    else:
        vh, vl = two_prod(am, fm)
        vl = vl + am * flm
    out = _ldexp(vh + vl, e)
    special = ~np.isfinite(a)
    if b is not None:
        special = special | ~np.isfinite(b)
    if special.any():
        # a or b infinite (or NaN): the sign of the product, IEEE style (inf * 0 is NaN)
        sign = np.sign(fh) if b is None else np.sign(fh) * b
        out = np.where(special, a * sign, out)
    return out


def _sigmoids(th, tl):
    """sigma(t) and sigma(-t) for the double-double t, each as (h, l, k):
    value 2**k * (h + l) with h + l in [0.5, 2.1) (zero never: exp is kept apart)."""
    far = ~(np.abs(th) < -_EXP_FLOOR)
    th = np.clip(th, _EXP_FLOOR, -_EXP_FLOOR)
    tl = np.where(far | ~np.isfinite(tl), 0.0, tl)
    neg = th < 0
    mh, ml, k = _exp_dd(-np.abs(th), np.where(neg, tl, -tl))  # E = exp(-|t|)
    eh, el = _ldexp(mh, k), _ldexp(ml, k)
    oh, oe = two_sum(1.0, eh)
    ol = oe + el  # 1 + E
    ih, il = _dd_div(np.ones_like(oh), np.zeros_like(oh), oh, ol)  # 1/(1+E)
    sh, sl = _dd_div(mh, ml, oh, ol)  # E/(1+E) / 2**k
    zero = np.zeros_like(k)
    pos = (np.where(neg, sh, ih), np.where(neg, sl, il), np.where(neg, k, zero))
    negt = (np.where(neg, ih, sh), np.where(neg, il, sl), np.where(neg, zero, k))
    return pos, negt


def _unscale(p):
    h, l, k = p
    return _ldexp(h, k), _ldexp(l, k)


def _scaled_dd_mul(p, q):
    h, l = _dd_mul(p[0], p[1], q[0], q[1])
    return h, l, p[2] + q[2]


def _one_plus_w_sigma(wh, wl, s_neg):
    """1 + w * sigma(-t) as a double-double (the derivative factors of swish and tanh GELU)."""
    sh, sl = _unscale(s_neg)
    big = ~(np.abs(wh) < 1e6)  # then w sigma(-t) is 0 or the product is 0 regardless
    wl = np.where(big, 0.0, wl)
    wh = np.clip(wh, -1e6, 1e6)
    ph, pl = _dd_mul(wh, wl, sh, sl)
    h, e = two_sum(1.0, ph)
    return h, e + pl


def _gelu_tanh_arg(bc):
    """2u = 2 sqrt(2/pi) (b + c b^3) and w = b * 2u'(b) as double-doubles (|b| <= 60)."""
    b2h, b2l = two_prod(bc, bc)
    b3h, b3e = two_prod(b2h, bc)
    b3l = b3e + b2l * bc
    ph, pe = two_prod(b3h, _GELU_C)
    pl = pe + b3l * _GELU_C
    sh, se = two_sum(bc, ph)
    sl = se + pl
    uh, ul = _dd_mul(sh, sl, *_SQRT_2_OVER_PI)
    # 2u'(b) = 2 sqrt(2/pi) (1 + 3 c b^2)
    c3h, c3e = two_prod(3.0, _GELU_C)  # 3c carried exactly
    ch, ce = two_prod(b2h, c3h)
    ce = ce + b2h * c3e + b2l * c3h
    vh, ve = two_sum(1.0, ch)
    vh, vl = _dd_mul(vh, ve + ce, *_SQRT_2_OVER_PI)
    wh, wl = _dd_mul(vh, vl, 2.0 * bc, np.zeros_like(bc))
    return 2.0 * uh, 2.0 * ul, wh, wl


def _swish_like(a, b, th, tl, wh, wl, which):
    """Gates of the form b * sigma(t) (swish: t = beta b, w = t; tanh GELU:
    t = 2u(b), w = b 2u'(b)); derivative sigma(t) (1 + w sigma(-t))."""
    s_pos, s_neg = _sigmoids(th, tl)
    if which == "value":
        return _mul_round(a, b, *s_pos)
    fh, fl = _one_plus_w_sigma(wh, wl, s_neg)
    h, l = _dd_mul(s_pos[0], s_pos[1], fh, fl)
    return _mul_round(a, None, h, l, s_pos[2])


def _gate_product(kind, a, b, which, kw):
    """a * g(b) (which="value") or a * g'(b) (which="grad"), rounded once."""
    fin = np.isfinite(b)
    bf = np.where(fin, b, 0.0)
    if kind == "sigmoid":
        s_pos, s_neg = _sigmoids(bf, np.zeros_like(bf))
        if which == "value":
            out = _mul_round(a, None, *s_pos)
        else:
            out = _mul_round(a, None, *_scaled_dd_mul(s_pos, s_neg))
        limit = (K.sigmoid if which == "value" else K.sigmoid_grad)(b)
    elif kind == "silu":
        beta = float(kw.get("beta", 1.0))
        th, tl = _two_prod_any(bf, np.float64(beta))
        out = _swish_like(a, bf, th, tl, th, tl, which)
        limit = (K.silu if which == "value" else K.silu_grad)(b, beta=beta)
    elif kind == "gelu_tanh":
        bc = np.clip(bf, -60.0, 60.0)  # beyond, sigma(2u) is 0 or 1 far below 2**-2000
        th, tl, wh, wl = _gelu_tanh_arg(bc)
        out = _swish_like(a, bf, th, tl, wh, wl, which)
        limit = (K.gelu if which == "value" else K.gelu_grad)(b, approximate="tanh")
    else:
        raise AssertionError(kind)
    if fin.all():
        return out
    return np.where(fin, out, a * limit)


# ----- the exact GELU gate: elementwise kernel, tails redone here -----------

def _scaled_product(a, lh, ll, rh, rl):
    """a * exp(lh + ll) * (rh + rl) rounded once, the exponents kept apart (lh <= 0)."""
    low = ~(lh >= _EXP_FLOOR)
    lh = np.where(low, _EXP_FLOOR, lh)
    ll = np.where(low | ~np.isfinite(ll), 0.0, ll)
    mh, ml, k = _exp_dd(lh, ll)
    ph, pl = _dd_mul(mh, ml, rh, rl)
    return _mul_round(a, None, ph, pl, k)


def _gelu_tail(b, which):
    """GELU below -35: Phi(b) = phi(b) S(1/b^2) / |b| (erfc asymptotic series).

    Returns (mask, (L_hi, L_lo), (R_hi, R_lo)) with the gate exp(L) * R there.
    """
    fin = np.isfinite(b)
    mask = fin & (b < _GELU_TAIL)
    bc = np.where(mask, np.maximum(b, -60.0), -40.0)  # below -60 everything is 0 anyway
    b2h, b2l = two_prod(bc, bc)
    lh, ll = -0.5 * b2h, -0.5 * b2l
    t = 1.0 / b2h
    q = _ERFC_SERIES[0]
    for c in _ERFC_SERIES[1:]:
        q = q * t + c  # q = sum_{k>=1} (-1)^k (2k-1)!! t^(k-1)
    sh, se = two_sum(1.0, t * q)  # S
    if which == "value":
        # gelu(b) = b Phi(b) = -phi(b) S
        rh, rl = _dd_mul(sh, se, -_INV_SQRT_2PI[0], -_INV_SQRT_2PI[1])
    else:
        # gelu'(b) = Phi(b) + b phi(b) = -phi(b) |b| (1 - t S)
        oh, oe = two_sum(1.0, -(t * sh))
        ch, cl = two_prod(-bc, _INV_SQRT_2PI[0])
        cl = cl - bc * _INV_SQRT_2PI[1]
        rh, rl = _dd_mul(ch, cl, oh, oe)
        rh, rl = -rh, -rl
    return mask, (lh, ll), (rh, rl)


def _gelu_product(a, b, which):
    """a * gelu(b) or a * gelu'(b): the elementwise kernel, with the ranges where
    its result under- or overflows against a redone (tail below -35, tiny b)."""
    g = (K.gelu if which == "value" else K.gelu_grad)(b, approximate="none")
    out = a * g
    mask, (lh, ll), (rh, rl) = _gelu_tail(b, which)
    if mask.any():
        out = np.where(mask, _scaled_product(a, lh, ll, rh, rl), out)
    if which == "value":
        small = np.abs(b) < _TINY_B  # gelu(b) = b/2 to far below an ulp
        if small.any():
            half = np.full_like(b, 0.5)
            out = np.where(small, _mul_round(a, b, half, np.zeros_like(b), np.zeros(b.shape, np.int64)), out)
    return out


# ----- the four GLU kernels ------------------------------------------------

_GATES = {"glu": "sigmoid", "reglu": "relu", "geglu": "gelu", "swiglu": "silu"}


def _kind(name, kw):
    kind = _GATES[name]
    if kind == "gelu" and kw.get("approximate", "none") == "tanh":
        return "gelu_tanh"
    return kind


def _product(kind, a, b, which, kw):
    if kind == "relu":
        return a * (K.relu(b) if which == "value" else K.relu_grad(b))
    if kind == "gelu":
        return _gelu_product(a, b, which)
    return _gate_product(kind, a, b, which, kw)


def _glu_value(x, name, **kw):
    a, b = _halves(x, name)
    with np.errstate(all="ignore"):
        return _product(_kind(name, kw), a, b, "value", kw)


def _glu_jac(x, name, **kw):
    a, b = _halves(x, name)
    kind = _kind(name, kw)
    m = a.shape[-1]
    with np.errstate(all="ignore"):
        jac = np.zeros(a.shape + (2 * m,), dtype=np.float64)
        idx = np.arange(m)
        jac[..., idx, idx] = _product(kind, np.ones_like(b), b, "value", kw)
        jac[..., idx, m + idx] = _product(kind, a, b, "grad", kw)
    return jac


def glu(x):
    return _glu_value(x, "glu")


def glu_grad(x):
    return _glu_jac(x, "glu")


def reglu(x):
    return _glu_value(x, "reglu")


def reglu_grad(x):
    return _glu_jac(x, "reglu")


def geglu(x, approximate="none"):
    return _glu_value(x, "geglu", approximate=approximate)


def geglu_grad(x, approximate="none"):
    return _glu_jac(x, "geglu", approximate=approximate)


def swiglu(x, beta=1.0):
    return _glu_value(x, "swiglu", beta=beta)


def swiglu_grad(x, beta=1.0):
    return _glu_jac(x, "swiglu", beta=beta)


# ---------------------------------------------------------------------------
# logsumexp: one number per vector, T·log Σ exp(x_i/T); its gradient is softmax(x/T)
# ---------------------------------------------------------------------------

def _logsumexp_rows(x, T):
    """x_max + T·log D with log D a double-double (the softmax pieces), rounded once."""
    st = _Soft(x, T)
    lh, ll = st.log_d()
    lh, ll = lh.reshape(-1), ll.reshape(-1)  # one per row
    fin = np.isfinite(x)
    xm = np.max(np.where(fin, x, -np.inf), axis=-1)
    if T == 1.0:
        th, tl = lh, ll
    else:
        th, tl = two_prod(np.full_like(lh, T), lh)
        tl = tl + T * ll
    s, e = two_sum(xm, th)
    y = s + (e + tl)
    return np.where(np.isfinite(y), y, xm + T * lh)


def logsumexp(x, temperature=1.0):
    """T·log Σ_i exp(x_i/T) over the last axis, shape (..., 1); +inf if any entry is +inf, -inf for a row
    of only -inf (as torch.logsumexp), nan for a row holding nan."""
    with np.errstate(all="ignore"):
        x = _arr(x)
        T = float(temperature)
        n = x.shape[-1]
        if n == 0 or x.size == 0:
            return np.full(x.shape[:-1] + (1,), -np.inf)
        x2, _ = _rows(x)
        out = np.empty(x2.shape[0])

        def one(rows):
            regular, has_pinf, _ = _row_kinds(rows)
            res = _logsumexp_rows(np.where(regular[:, None], rows, 0.0), T)
            all_ninf = np.isneginf(rows).all(axis=-1) & ~np.isnan(rows).any(axis=-1)
            return np.where(regular, res, np.where(has_pinf, np.inf, np.where(all_ninf, -np.inf, np.nan)))

        _chunked(x2, n, one, out)
        return out.reshape(x.shape[:-1] + (1,))


def logsumexp_grad(x, temperature=1.0):
    """The Jacobian (..., 1, n): the softmax of x/T (nan for a row of only -inf, as the softmax)."""
    return softmax(x, temperature)[..., None, :]
