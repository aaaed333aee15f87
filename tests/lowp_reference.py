"""Correctly rounded references in the low-precision formats, sharing no code with actloss.

The exact value comes from ``tests/reference.py`` (mpmath); the rounding is
done here on exact rationals (``fractions.Fraction``), with the parameters of
each format read from ml_dtypes (``finfo`` and the behaviour of its casts),
not from actloss's own format table.

``reference_bits(name, order, fmt, xs)`` gives, for float64 inputs that are
values of the format, the bit patterns of the correctly rounded f(x) (order
0) or f'(x) (order 1) at the default parameters. Zeros are returned as +0
(the sign of an exact zero is a convention, not a rounding).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

import ml_dtypes
import mpmath
import numpy as np

from reference import REFERENCES, evaluate

NAMES = {
    "bfloat16": ml_dtypes.bfloat16, "float16": np.float16, "float32": np.float32,
    "float8_e4m3fn": ml_dtypes.float8_e4m3fn, "float8_e5m2": ml_dtypes.float8_e5m2,
}


@dataclass(frozen=True)
class Spec:
    name: str
    dtype: np.dtype
    p: int  # significand bits with the implicit one
    emin: int
    max: Fraction
    has_inf: bool
    uint: np.dtype


@lru_cache(maxsize=None)
def spec(name: str) -> Spec:
    t = NAMES[name]
    fi = ml_dtypes.finfo(t)
    has_inf = bool(np.isinf(np.array([np.inf], np.float32).astype(t)[0]))
    bits = np.dtype(t).itemsize * 8
    uint = {8: np.uint8, 16: np.uint16, 32: np.uint32}[bits]
    return Spec(name, np.dtype(t), int(fi.nmant) + 1, int(fi.minexp), Fraction(float(fi.max)), has_inf, np.dtype(uint))


def round_fraction(v: Fraction, s: Spec) -> float:
    """v rounded to nearest (ties to even) in the format; overflow per the format (inf or NaN)."""
    if v == 0:
        return 0.0
    sign = -1 if v < 0 else 1
    a = abs(v)
    e = a.numerator.bit_length() - a.denominator.bit_length()
    while Fraction(2) ** e > a:
        e -= 1
    while Fraction(2) ** (e + 1) <= a:
        e += 1
    q = Fraction(2) ** (max(e, s.emin) - s.p + 1)
    n = a / q
    f = n.numerator // n.denominator
    rem = n - f
    if rem > Fraction(1, 2) or (rem == Fraction(1, 2) and f % 2 == 1):
        f += 1
    r = f * q
    if r > s.max:
        return sign * math.inf if s.has_inf else math.nan
    return sign * float(r)


def _round_scaled(a: int, exp: int, s: Spec, err: int = 0) -> tuple[int, int] | None:
    """a * 2**exp (a > 0) rounded: (integer significand n, quantum exponent Q), value n * 2**Q.

    ``err``: the uncertainty of ``a`` in its own units; None when a midpoint lies within it.
    """
    e = a.bit_length() - 1 + exp  # 2**e <= value < 2**(e+1)
    q = max(e, s.emin) - s.p + 1
    if e < s.emin - s.p - 1:  # below half the smallest subnormal: zero (and no huge shifts)
        return 0, q
    if e > 4096:  # far beyond any format's range: overflow
        return 1, e
    shift = q - exp
    if shift <= 0:
        return (a << -shift), q  # exact: an integer number of quanta
    n, rem = a >> shift, a & ((1 << shift) - 1)
    half = 1 << (shift - 1)
    if abs(rem - half) <= err:
        if err:
            return None
    if rem > half or (rem == half and n % 2 == 1):
        n += 1
    return n, q


def _value(n: int, q: int, sign: int, s: Spec) -> float:
    r = Fraction(n) * Fraction(2) ** q
    if r > s.max:
        return sign * math.inf if s.has_inf else math.nan
    return sign * float(r)


def round_mpf(fn, x: float, params, s: Spec) -> float:
    """The correctly rounded fn(x): Ziv's test in exact integers, a tie if still undecided at 2048 bits.

    The error bound 2**-(prec - 40) leaves 40 bits for cancellation in a definition.
    """
    v = None
    for prec in (100, 300, 2048):
        v = evaluate(fn, x, params, prec=prec)
        if mpmath.isnan(v):
            return math.nan
        if mpmath.isinf(v):
            return float(v) if s.has_inf else math.nan
        if v == 0:
            return 0.0
        man, exp = v.man_exp
        sign = -1 if v < 0 else 1
        a = abs(int(man))
        # a has at most prec bits; scale it up so the error bound is a whole number of units
        a, exp = a << 64, exp - 64
        err = (a >> (prec - 40)) + 1
        got = _round_scaled(a, exp, s, err)
        if got is not None:
            return _value(*got, sign, s)
    man, exp = v.man_exp
    return _value(*_round_scaled(abs(int(man)), int(exp), s), -1 if v < 0 else 1, s)


def to_bits(values: np.ndarray, s: Spec) -> np.ndarray:
    """Bit patterns of representable float64 values (exact casts), zeros made +0, one NaN pattern."""
    v = np.where(values == 0, 0.0, values)
    out = v.astype(s.dtype).view(s.uint).copy()
    nan_bits = np.array([np.nan]).astype(s.dtype).view(s.uint)[0]
    out[np.isnan(v)] = nan_bits
    return out


def reference_values(name: str, order: int, fmt: str, xs, params=None) -> np.ndarray:
    ref = REFERENCES[name]
    fn = (ref.value, ref.derivative, ref.second)[order]
    s = spec(fmt)
    out = np.empty(len(xs))
    for i, x in enumerate(xs):
        x = float(x)
        if math.isnan(x):
            out[i] = math.nan
        elif math.isinf(x):
            out[i] = math.nan  # limits are checked elsewhere; see inputs()
        else:
            out[i] = round_mpf(fn, x, params or {}, s)
    return out


def reference_bits(name: str, order: int, fmt: str, xs, params=None) -> np.ndarray:
    return to_bits(reference_values(name, order, fmt, xs, params), spec(fmt))


def finite_values(fmt: str) -> np.ndarray:
    """Every finite value of an 8- or 16-bit format, as float64, in bit-pattern order."""
    s = spec(fmt)
    codes = np.arange(1 << (8 * s.dtype.itemsize), dtype=np.uint64).astype(s.uint)
    with np.errstate(invalid="ignore"):
        v = codes.view(s.dtype).astype(np.float64)
    return v[np.isfinite(v)]


def product_bits(values: np.ndarray, fmt: str) -> np.ndarray:
    return to_bits(np.asarray(values, dtype=np.float64), spec(fmt))


def round_any(v, s: Spec) -> float:
    """Round a Fraction (exact) or a 256-bit mpf (taken as exact: its error is ~2**-250) into the format."""
    if isinstance(v, Fraction):
        return round_fraction(v, s)
    if mpmath.isnan(v):
        return math.nan
    if mpmath.isinf(v):
        return float(v) if s.has_inf else math.nan
    if v == 0:
        return 0.0
    man, exp = v.man_exp
    return _value(*_round_scaled(abs(int(man)), int(exp), s), -1 if v < 0 else 1, s)
