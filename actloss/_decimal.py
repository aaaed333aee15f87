"""Exact decimal fallback for the few loss elements where a float64 formula cancels.

The loss kernels compute every element with float64 (or double-double)
arithmetic and mark the elements whose error bound is not small against the
result: where two terms of nearly equal size cancel (poisson_nll's exp(x) - t·x
near its roots, gaussian_nll's log v + r²/v, softmax - y for a soft target
close to the softmax). Those elements, rare in practice, are recomputed here
with ``decimal`` at ``DIGITS`` significant digits from the exact binary values
of the inputs (``Decimal(float)`` is exact) and rounded once to float64
(``float(Decimal)`` rounds correctly). 60 digits leave over 130 bits after a
cancellation of 60 bits, far beyond what float64 inputs can produce except at
an exact zero, which Decimal returns exactly.
"""

from __future__ import annotations

from decimal import Decimal, localcontext
from typing import Callable

import numpy as np

DIGITS = 60
MAX_DIGITS = 1920


def D(x: float) -> Decimal:
    return Decimal(float(x))


def _value(fn, args, digits):
    with localcontext() as ctx:
        ctx.prec = digits
        return +fn(*args)


def exact_value(fn: Callable[..., Decimal], *args: Decimal) -> Decimal:
    """fn(*args) to at least 20 correct digits: the precision doubles (from DIGITS up to
    MAX_DIGITS) until two precisions agree, so a cancellation deeper than DIGITS
    (exp(-1e-300) - 1) is still resolved; an exact zero stays zero."""
    # enough digits that 1 - x, x + y of the inputs are exact (x = 1e-300 needs 300 more)
    tiny = [-a.adjusted() for a in args if a.is_finite() and a != 0]
    digits = min(MAX_DIGITS, DIGITS + max([0] + tiny))
    prev = _value(fn, args, digits)
    while digits < MAX_DIGITS:
        digits *= 2
        cur = _value(fn, args, digits)
        if not cur.is_finite() or (cur != 0 and prev != 0 and abs(cur - prev) <= abs(cur) * Decimal(10) ** -22):
            return cur
        prev = cur
    return prev


def refine(out: np.ndarray, mask: np.ndarray, fn: Callable[..., Decimal], *arrays: np.ndarray,
           lo: np.ndarray | None = None) -> np.ndarray:
    """out with out[i] = float(fn(D(a[i]) for a in arrays)) where mask[i] (arrays broadcast to out's shape).

    With ``lo`` (an array of out's shape, changed in place) lo[i] receives the rounding error, so
    that out + lo carries the exact value on to an exact sum.
    """
    if np.ndim(out) == 0:  # a single number: refine it as a 1-element array
        lo1 = None if lo is None else np.reshape(lo, (1,))
        one = refine(np.reshape(out, (1,)), np.reshape(mask, (1,)), fn, *(np.reshape(a, (1,)) for a in arrays), lo=lo1)
        if lo is not None and np.ndim(lo) == 0 and lo1 is not None:
            lo[...] = lo1[0]
        return one.reshape(())
    mask = np.broadcast_to(mask, out.shape)
    if not mask.any():
        return out
    out = np.array(out, dtype=np.float64)
    arrays = [np.broadcast_to(np.asarray(a, dtype=np.float64), out.shape) for a in arrays]
    for i in zip(*np.nonzero(mask)):
        v = exact_value(fn, *(D(a[i]) for a in arrays))
        out[i] = float(v)
        if lo is not None:
            lo[i] = float(v - Decimal(out[i])) if v.is_finite() and np.isfinite(out[i]) else 0.0
    return out


def log(x: Decimal) -> Decimal:
    return x.ln()


def exp(x: Decimal) -> Decimal:
    return x.exp()
