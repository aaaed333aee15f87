"""Error-free transformations (double-double pieces) on numpy arrays.

Used where a rounded argument would be amplified: exp(u) for |u| near 700
turns the 0.5 ulp rounding of u into ~350 ulp of the result unless the
rounding error of u is carried along and applied as exp(u_hi) * (1 + u_lo).

All functions are elementwise and exact for finite inputs whose magnitudes
stay below ~1e300 (Veltkamp splitting multiplies by 2**27 + 1).
"""

from __future__ import annotations

import numpy as np

_SPLITTER = 134217729.0  # 2**27 + 1


def split(a):
    """a == hi + lo with hi holding the top 26 bits (Veltkamp)."""
    t = _SPLITTER * a
    hi = t - (t - a)
    return hi, a - hi


def two_sum(a, b):
    """s + err == a + b exactly (Knuth)."""
    s = a + b
    bb = s - a
    err = (a - (s - bb)) + (b - bb)
    return s, err


def two_prod(a, b):
    """p + err == a * b exactly (Dekker), barring overflow/underflow."""
    p = a * b
    ah, al = split(a)
    bh, bl = split(b)
    err = ((ah * bh - p) + ah * bl + al * bh) + al * bl
    return p, err


def mul_dd_const(x, c_hi, c_lo):
    """x * (c_hi + c_lo) as a double-double (hi, lo)."""
    p, e = two_prod(x, c_hi)
    return p, e + x * c_lo


def div_dd(x, d):
    """x / d as a double-double (hi, lo): hi = fl(x/d), lo its residual / d."""
    q = x / d
    p, e = two_prod(q, d)
    return q, ((x - p) - e) / d


def fast_two_sum(a, b):
    """s + err == a + b exactly, provided |a| >= |b| (or a == 0)."""
    s = a + b
    return s, b - (s - a)


def two_prod_scaled(a, b):
    """a * b as (hi, lo) for any finite a, b: the pieces are scaled to [0.5, 1)
    first (np.frexp), so no splitting overflows; lo is exact unless a*b
    under- or overflows."""
    ma, ea = np.frexp(a)
    mb, eb = np.frexp(b)
    _, e = two_prod(ma, mb)
    return a * b, np.ldexp(e, ea + eb)


def div_dd_dd(ah, al, bh, bl):
    """(ah + al) / (bh + bl) rounded to a double (~0.5 ulp beyond the inputs' own errors).

    Where the correction is not finite (q or bh beyond ~1e300, where splitting
    overflows) the plain quotient ah/bh is returned.
    """
    q = ah / bh
    p, pe = two_prod(q, bh)
    r = ((((ah - p) - pe) + al) - q * bl) / bh
    return q + np.where(np.isfinite(r), r, 0.0)


def square(a):
    """a*a as an exact double-double (one split instead of two)."""
    p = a * a
    ah, al = split(a)
    return p, ((ah * ah - p) + 2.0 * ah * al) + al * al


def two_prod_const(a, c):
    """a*c as an exact double-double for a constant float c (split once, here)."""
    ch, cl = split(np.float64(c))
    p = a * c
    ah, al = split(a)
    return p, ((ah * ch - p) + ah * cl + al * ch) + al * cl


def div_dd_pair(ah, al, bh, bl):
    """(ah + al) / (bh + bl) as a double-double (q, r), relative error ~2**-104 (div_dd_dd rounds it)."""
    q = ah / bh
    p, pe = two_prod(q, bh)
    r = ((ah - p) - pe + al) - q * bl
    return q, r / bh


def mul_dd(ah, al, bh, bl):
    """(ah + al)(bh + bl) as a double-double (not renormalised)."""
    p, pe = two_prod(ah, bh)
    return p, pe + (ah * bl + al * bh)


def add_dd(ah, al, bh, bl):
    """(ah + al) + (bh + bl) as a double-double (not renormalised)."""
    s, se = two_sum(ah, bh)
    return s, se + (al + bl)


def sum_rows(h, l):
    """Sums along the last axis of double-doubles (h, l): a pairwise two_sum tree (log2(n) vector
    steps), each step's rounding errors carried in the low part; (sum, low part), not renormalised."""
    s, e = h, l
    while s.shape[-1] > 1:
        if s.shape[-1] % 2:
            pad = np.zeros(s.shape[:-1] + (1,))
            s = np.concatenate([s, pad], axis=-1)
            e = np.concatenate([e, pad], axis=-1)
        s, err = two_sum(s[..., 0::2], s[..., 1::2])
        e = (e[..., 0::2] + e[..., 1::2]) + err
    return s[..., 0], e[..., 0]
