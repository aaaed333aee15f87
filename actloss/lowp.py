"""Low-precision formats: rounding into them, correctly rounded results, printing.

A format is named as ml_dtypes and PyTorch name it (``bfloat16``,
``float8_e4m3fn``, ...) or by a short alias (``bf16``, ``e4m3``). Nothing
here imports ml_dtypes until a format other than float64 is asked for, and
mpmath is imported only to settle a hard case.

Rounding (:func:`round_to`) is done on the float64 values themselves, exactly:
the quantum of each value's binade is a power of two, ``x / quantum`` is exact
and ``np.rint`` rounds it to nearest, ties to even, in one step. ml_dtypes'
own float64 -> bfloat16/float8 cast is never used for that: before ml_dtypes
0.7 it rounded twice (through float32), and one rounding here does not depend
on the version installed.

Long inputs of 8- and 16-bit formats are evaluated once per bit pattern and
looked up (see :func:`rounded_result`). Tiny inputs where f(x) ≈ a1·x is a
midpoint are settled by the series at 0 (:func:`_near_origin`), losses by
their exact definitions (:func:`round_loss`, ``actloss._exact_losses``).

Correct rounding (:func:`correctly_rounded`): the float64 kernels are within
4 ulp of exact (an absolute ``4 * 2**-52`` next to the zeros of some
derivatives). Rounding the float64 result settles the answer unless the
exact value could lie on the other side of a rounding boundary of the target
format (a midpoint between two neighbours, or the overflow threshold): both
ends of the error interval are rounded, and where they differ the element is
a hard case, evaluated with mpmath (``actloss._exact``) at increasing
precision until its rounding is certain. An exact midpoint (a tie, possible
for rational functions such as (x + 1)/2) rounds to even.

Zeros: a result whose magnitude is below 2**-1000 rounds to zero in every
format offered; its sign is the float64 kernel's (an exact zero keeps the
convention of the kernel, which follows PyTorch).
"""

from __future__ import annotations

import importlib
import math
from typing import Any, Callable, Mapping, Sequence

import numpy as np

from actloss._dd import two_prod
from actloss.errors import ParameterError

__all__ = [
    "FORMATS", "Format", "get_format", "format_names", "round_to", "to_dtype", "correctly_rounded",
    "evaluate", "quantity", "rounded_result", "round_loss", "shortest", "bits_of", "from_bits", "all_values",
]


class Format:
    """A binary floating-point format (immutable; equal by name).

    precision: significand bits, the implicit one included (bfloat16: 8).
    emin:      exponent of the smallest normal value (2**emin).
    max:       the largest finite value.
    overflow:  what a finite value beyond the range rounds to: "inf", "nan"
               (float8_e4m3fn, which has no infinity) or "saturate" (the MX
               formats, which have neither).
    digits:    significant decimal digits that always round-trip.
    module:    where the numpy scalar type lives.

    A plain class rather than a dataclass: a command in a low-precision format
    imports this module, and generating a dataclass's methods costs more start-up
    than the whole rest of it.
    """

    __slots__ = ("name", "bits", "precision", "emin", "max", "overflow", "digits", "aliases", "module")
    name: str
    bits: int
    precision: int
    emin: int
    max: float
    overflow: str
    digits: int
    aliases: tuple[str, ...]
    module: str

    def __init__(self, name: str, bits: int, precision: int, emin: int, max: float, overflow: str, digits: int,
                 aliases: tuple[str, ...] = (), module: str = "ml_dtypes") -> None:
        for k, v in zip(self.__slots__, (name, bits, precision, emin, max, overflow, digits, aliases, module)):
            object.__setattr__(self, k, v)

    def __setattr__(self, key: str, value: Any) -> None:
        raise AttributeError(f"a Format is immutable: cannot set {key}")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Format) and other.name == self.name

    def __hash__(self) -> int:
        return hash(self.name)

    def __repr__(self) -> str:
        return f"Format({self.name!r})"

    @property
    def has_inf(self) -> bool:
        return self.overflow == "inf"

    @property
    def has_nan(self) -> bool:
        return self.overflow != "saturate"

    @property
    def smallest_subnormal(self) -> float:
        return math.ldexp(1.0, self.emin - self.precision + 1)

    @property
    def smallest_normal(self) -> float:
        return math.ldexp(1.0, self.emin)

    @property
    def dtype(self) -> np.dtype:
        """The numpy dtype (an ml_dtypes type for bfloat16, float8 and the MX formats)."""
        mod = importlib.import_module(self.module)
        return np.dtype(getattr(mod, self.name))

    @property
    def uint(self) -> np.dtype:
        """The unsigned integer type of the format's width (its bit patterns)."""
        return np.dtype({64: np.uint64, 32: np.uint32, 16: np.uint16}.get(self.bits, np.uint8))

    def describe(self) -> str:
        over = {"inf": "overflow gives inf", "nan": "no inf: overflow gives NaN",
                "saturate": "no inf or NaN: overflow saturates"}[self.overflow]
        return (f"{self.name}: {self.bits} bits, {self.precision}-bit significand, "
                f"largest {self.max:g}, smallest normal 2^{self.emin}, {over}")


def _max(precision: int, emax: int, top_code_is_nan: bool = False) -> float:
    frac = 1.0 - math.ldexp(1.0, -(precision - 1)) * (2 if top_code_is_nan else 1)
    return math.ldexp(1.0 + frac, emax)


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("float64", 64, 53, -1022, _max(53, 1023), "inf", 17, ("f64", "fp64", "double"), "numpy"),
        Format("float32", 32, 24, -126, _max(24, 127), "inf", 9, ("f32", "fp32", "single", "float"), "numpy"),
        Format("float16", 16, 11, -14, _max(11, 15), "inf", 5, ("f16", "fp16", "half"), "numpy"),
        Format("bfloat16", 16, 8, -126, _max(8, 127), "inf", 4, ("bf16",)),
        # e4m3fn: the all-ones code is NaN, so the largest value is 1.110b * 2**8 = 448
        Format("float8_e4m3fn", 8, 4, -6, _max(4, 8, True), "nan", 3, ("e4m3", "e4m3fn", "fp8_e4m3", "float8_e4m3")),
        Format("float8_e5m2", 8, 3, -14, _max(3, 15), "inf", 3, ("e5m2", "fp8_e5m2")),
        Format("float6_e2m3fn", 6, 4, 0, _max(4, 2), "saturate", 2, ("e2m3", "fp6_e2m3")),
        Format("float6_e3m2fn", 6, 3, -2, _max(3, 4), "saturate", 2, ("e3m2", "fp6_e3m2")),
        Format("float4_e2m1fn", 4, 2, 0, _max(2, 2), "saturate", 2, ("e2m1", "fp4", "fp4_e2m1")),
    )
}

_KEYS = {k: f.name for f in FORMATS.values() for k in (f.name,) + f.aliases}


def format_names() -> list[str]:
    return list(FORMATS)


def get_format(spec: Any) -> Format:
    """A Format from a name, an alias, a numpy dtype or scalar type; ParameterError if unknown."""
    if isinstance(spec, Format):
        return spec
    if spec is None:
        return FORMATS["float64"]
    if isinstance(spec, str):
        key = spec.strip().lower().replace("-", "_")
        key = {"torch.bfloat16": "bfloat16"}.get(key, key).removeprefix("torch.")
        name = _KEYS.get(key)
        if name is None:
            raise ParameterError(
                f"--dtype must be one of {', '.join(FORMATS)} (or bf16, fp16, fp32, e4m3, e5m2), got {spec!r}"
            )
        return FORMATS[name]
    try:
        name = np.dtype(spec).name
    except TypeError:
        raise ParameterError(f"not a floating-point format: {spec!r}") from None
    if name in FORMATS:
        return FORMATS[name]
    raise ParameterError(f"no format for dtype {name}; use one of {', '.join(FORMATS)}")


# ---------------------------------------------------------------------------
# rounding float64 values into a format, exactly
# ---------------------------------------------------------------------------

def round_to(x: Any, fmt: Any, saturate: bool = False) -> np.ndarray:
    """float64 values rounded to the nearest value of ``fmt`` (ties to even), as float64.

    One rounding, however the value was made: overflow gives inf, NaN
    (float8_e4m3fn) or the largest value (``saturate``, and always for the MX
    formats, which have neither); ±inf stay ±inf where the format has them;
    the sign of a zero is kept (a tiny negative value becomes -0.0).
    """
    fmt = get_format(fmt)
    shape = np.shape(x)
    x = np.ascontiguousarray(x, dtype=np.float64).reshape(-1)
    if fmt.name == "float64":
        return x.copy().reshape(shape)
    # the normal range of the format: round the bit pattern (carries run into the exponent)
    shift = np.uint64(53 - fmt.precision)
    bits = x.view(np.uint64)
    mag = bits & _MAG
    r = mag >> shift  # in place from here: a long input is rounded in a few passes
    r &= _ONE  # the last kept bit: ties go to even
    r += mag
    r += (_ONE << (shift - _ONE)) - _ONE
    r &= ~((_ONE << shift) - _ONE)
    r |= bits & _SIGN
    out = r.view(np.float64)
    special = _outside_normal(mag, fmt)
    if special.any():
        idx = np.flatnonzero(special)
        out[idx] = _round_slow(x[idx], fmt, saturate)
    if fmt.overflow == "saturate" and np.isnan(out).any():
        raise ParameterError(f"{fmt.name} has no NaN to hold an undefined result; use a format that has one")
    return out.reshape(shape)


def _outside_normal(mag: np.ndarray, fmt: Format) -> np.ndarray:
    """Where float64 magnitude bits lie outside the format's normal range: zeros and values below it,
    values above its largest, NaN and inf (those the bit-pattern rounding leaves to the long way).
    Two comparisons in place; consumes ``mag``."""
    mag -= _ONE  # zero wraps round to the largest pattern: counted with the values above
    special = mag < _bits_of(fmt.smallest_normal) - _ONE
    special |= mag >= _bits_of(fmt.max)
    return special


_MAG = np.uint64(0x7FFF_FFFF_FFFF_FFFF)
_INF_BITS = np.uint64(0x7FF0_0000_0000_0000)
_SIGN = np.uint64(0x8000_0000_0000_0000)
_ONE = np.uint64(1)


def _bits_of(v: float) -> np.uint64:
    return np.array([v], dtype=np.float64).view(np.uint64)[0]


def _round_slow(x: np.ndarray, fmt: Format, saturate: bool) -> np.ndarray:
    """round_to on any values (subnormals of the format, overflow, inf, NaN), by the binade's quantum."""
    with np.errstate(invalid="ignore", over="ignore"):
        ax = np.abs(x)
        _, e = np.frexp(ax)
        q = np.maximum(e.astype(np.int32) - 1, fmt.emin) - (fmt.precision - 1)
        r = np.ldexp(np.rint(np.ldexp(ax, -q)), q)
        over = r > fmt.max
        if over.any():
            finite = np.isfinite(ax)
            if saturate or fmt.overflow == "saturate":
                r = np.where(over & (finite | (not fmt.has_inf)), fmt.max, r)
            elif fmt.overflow == "nan":
                r = np.where(over, np.nan, r)
            else:
                r = np.where(over, np.inf, r)
        return np.copysign(r, x)


def to_dtype(values: np.ndarray, fmt: Any) -> np.ndarray:
    """Values already representable in ``fmt`` (from :func:`round_to`) as an array of its dtype.

    The cast is exact because nothing is left to round.
    """
    fmt = get_format(fmt)
    values = np.asarray(values, dtype=np.float64)
    if fmt.name == "float64":
        return values
    return values.astype(fmt.dtype)


def bits_of(values: np.ndarray, fmt: Any) -> np.ndarray:
    """Bit patterns (unsigned integers of the format's width) of representable float64 values."""
    fmt = get_format(fmt)
    values = np.asarray(values, dtype=np.float64)
    with np.errstate(invalid="ignore", over="ignore"):
        if fmt.name == "bfloat16":  # the high half of the float32 (exact: nothing is left to round)
            return (np.ascontiguousarray(values.astype(np.float32)).view(np.uint32) >> np.uint32(16)).astype(np.uint16)
        if fmt.name == "float16":
            return np.ascontiguousarray(values.astype(np.float16)).view(np.uint16)
    return np.ascontiguousarray(to_dtype(values, fmt)).view(fmt.uint if fmt.bits >= 8 else np.uint8)


def from_bits(codes: np.ndarray, fmt: Any) -> np.ndarray:
    """The values (float64) of bit patterns of ``fmt``: the inverse of :func:`bits_of`."""
    fmt = get_format(fmt)
    codes = np.asarray(codes)
    with np.errstate(invalid="ignore"):
        if fmt.name == "bfloat16":
            return (codes.astype(np.uint32) << np.uint32(16)).view(np.float32).astype(np.float64)
        if fmt.name == "float16":
            return codes.astype(np.uint16).view(np.float16).astype(np.float64)
        return codes.astype(fmt.uint).view(fmt.dtype).astype(np.float64)


def all_values(fmt: Any) -> np.ndarray:
    """Every value of an 8- or 16-bit format, as float64, indexed by bit pattern (NaNs included)."""
    fmt = get_format(fmt)
    if fmt.bits > 16:
        raise ParameterError(f"{fmt.name} has too many values to list; sample it instead")
    n = 1 << (fmt.bits if fmt.bits in (8, 16) else 8)
    codes = np.arange(n, dtype=np.uint16 if n > 256 else np.uint8)
    if fmt.bits < 8:  # MX formats sit in the low bits of a byte
        codes = codes[: 1 << fmt.bits]
    with np.errstate(invalid="ignore"):
        return codes.view(fmt.dtype).astype(np.float64)


# ---------------------------------------------------------------------------
# correct rounding of function results
# ---------------------------------------------------------------------------

_REL_MARGIN = 16  # ulps of float64 allowed around a kernel result (the contract is 4)
_NEAR_ZERO_ABS = 2.0**-48  # around derivative zeros (the contract is 4 * 2**-52)
_NEAR_ZERO_WINDOW = 2e-3
_TINY = 2.0**-1000


def _same(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (a == b) | (np.isnan(a) & np.isnan(b))


def hard_cases(y: np.ndarray, fmt: Format, saturate: bool, abs_margin: np.ndarray | float = 0.0) -> np.ndarray:
    """Mask of elements whose float64 value ``y`` does not settle the rounding into ``fmt``.

    In the format's normal range: the bits below the format's last place are
    within the margin (16 ulp of float64) of one half. Elsewhere, and where an
    absolute margin applies, both ends of the error interval are rounded.
    """
    shape = np.shape(y)
    y = np.ascontiguousarray(y, dtype=np.float64).reshape(-1)
    shift = np.uint64(53 - fmt.precision)
    mag = y.view(np.uint64) & _MAG
    rem = (mag & ((_ONE << shift) - _ONE)).astype(np.int64)
    half = 1 << (int(shift) - 1)
    hard = (np.abs(rem - half) <= _REL_MARGIN) & (mag < _INF_BITS)
    # zeros and non-finite results round as they are (the exact value underflowed or overflowed float64)
    slow = ((mag < _bits_of(fmt.smallest_normal)) & (mag != 0)) | ((mag >= _bits_of(fmt.max)) & (mag < _INF_BITS))
    if np.ndim(abs_margin):
        slow |= np.asarray(abs_margin).reshape(-1) > 0
    elif abs_margin:
        slow[...] = True
    if slow.any():
        idx = np.flatnonzero(slow)
        ys = y[idx]
        am = np.asarray(abs_margin).reshape(-1)[idx] if np.ndim(abs_margin) else abs_margin
        with np.errstate(invalid="ignore", over="ignore"):
            ay = np.abs(ys)
            m = _REL_MARGIN * np.spacing(ay) + am
            lo = _round_slow(ys - m, fmt, saturate)
            hi = _round_slow(ys + m, fmt, saturate)
        hard[idx] = ~_same(lo, hi) & np.isfinite(ys) & (ay >= _TINY)
    return hard.reshape(shape)


def _mp():
    import mpmath

    return mpmath


def _round_mpf(v, fmt: Format, saturate: bool, sign_of_zero: float, prec: int | None) -> float | None:
    """The rounding of an mpf known to relative accuracy 2**-(prec - 24), or None if not yet certain.

    ``prec=None``: ``v`` is exact (ties to even). Done on the integer significand, so a value
    closer to a midpoint than float64 can resolve is still decided.
    """
    mpmath = _mp()
    if mpmath.isnan(v):
        return math.nan
    if mpmath.isinf(v):
        return float(round_to(float(v), fmt, saturate))
    if v == 0:
        return math.copysign(0.0, sign_of_zero)
    sign, man, exp, _ = v._mpf_  # the raw value: no rounding to the ambient precision
    negative = bool(sign)
    a, exp = int(man), int(exp)
    if prec is not None:  # room below the last bit for the error bound
        a, exp = a << 32, exp - 32
    e = a.bit_length() - 1 + exp  # 2**e <= |v| < 2**(e + 1)
    if e < fmt.emin - fmt.precision - 1:  # below half the smallest subnormal
        return -0.0 if negative else 0.0
    if e > 4096:
        r = 2 * fmt.max
    else:
        q = max(e, fmt.emin) - fmt.precision + 1
        shift = q - exp
        if shift <= 0:
            n = a << -shift
        else:
            n, rem = a >> shift, a & ((1 << shift) - 1)
            half = 1 << (shift - 1)
            if prec is not None and abs(rem - half) <= (a >> (prec - 24)) + 1:
                return None
            if rem > half or (rem == half and n & 1):
                n += 1
        r = math.ldexp(n, q) if n.bit_length() <= fmt.precision + 1 else 2 * fmt.max
    return float(round_to(-r if negative else r, fmt, saturate))


def settle_exact(fn: Callable[[], Any], fmt: Format, saturate: bool, sign_of_zero: float) -> float:
    """Round the value of ``fn()`` (an mpmath expression) into ``fmt`` exactly.

    ``fn`` is evaluated at rising precision; two evaluations that agree give
    the error bound (a definition that cancels shows it by disagreeing). If
    the value is still within 2**-2000 of a midpoint it is that midpoint (a
    tie), rounded to even.
    """
    mpmath = _mp()
    mp = mpmath.mp
    prev = None
    for prec in (80, 160, 400, 1200, 2400):
        with mp.workprec(prec):
            v = fn()
            v = v if isinstance(v, mpmath.mpf) else mp.mpf(v)
        if prev is not None and mpmath.isfinite(v) and v != 0:
            with mp.workprec(prec):
                diff = abs(v - prev)
                agree = diff <= abs(v) * mpmath.mpf(2) ** -(prev_prec - 30)
            if agree:
                r = _round_mpf(v, fmt, saturate, sign_of_zero, prev_prec)
                if r is not None:
                    return r
        elif prev is not None and (v == 0 and prev == 0 or not mpmath.isfinite(v)):
            return _round_mpf(v, fmt, saturate, sign_of_zero, prec) if v != 0 else math.copysign(0.0, sign_of_zero)
        prev, prev_prec = v, prec
    # within 2**-2000 of a midpoint: the midpoint itself (a tie), rounded to even
    return _round_mpf(v, fmt, saturate, sign_of_zero, None)


def _exact_module(record) -> tuple[Any, str]:
    _, _, fn = record.kernel.partition(":")
    return importlib.import_module("actloss._exact"), fn


def _abs_margin(record, which: str, x: np.ndarray, params: Mapping[str, Any]) -> np.ndarray | float:
    if which not in ("derivative", "derivative2") or record.shape != "elementwise":
        return 0.0
    mod, fn = _exact_module(record)
    zeros_of = (mod.DERIVATIVE_ZEROS if which == "derivative" else mod.DERIVATIVE2_ZEROS).get(fn)
    if zeros_of is None:
        return 0.0
    near = np.zeros(x.shape, dtype=bool)
    for z in zeros_of(**params):
        near |= np.abs(x - z) <= _NEAR_ZERO_WINDOW * max(1.0, abs(z))
    return np.where(near, _NEAR_ZERO_ABS, 0.0)


def correctly_rounded(record, which: str, x: np.ndarray, y: np.ndarray, params: Mapping[str, Any],
                      fmt: Format, saturate: bool = False) -> np.ndarray:
    """Round the float64 result ``y`` of ``record`` at inputs ``x`` into ``fmt`` correctly (as float64).

    which: "value" or "derivative" (``_grad`` in the exact module; "derivative2"
    would be ``_grad2``). Elementwise: ``y`` has the shape of ``x``. Vector and
    GLU functions: ``x`` is (..., n), ``y`` is (..., m) or (..., m, n); a hard
    element makes its whole row evaluated exactly.
    """
    out = round_to(y, fmt, saturate)
    hard = hard_cases(y, fmt, saturate, _abs_margin(record, which, x, params))
    if not hard.any():
        return out
    mod, fn = _exact_module(record)
    suffix = {"value": "", "derivative": "_grad", "derivative2": "_grad2"}[which]
    exact = getattr(mod, fn + suffix, None)
    if exact is None and which == "derivative2":
        exact = _numerical_second(getattr(mod, fn + "_grad"))
    if record.shape == "elementwise":
        near = _near_origin(record, which, exact, x, y, hard, params, fmt, saturate)
        if near is not None:
            done, values = near
            out[done] = values[done]
            hard = hard & ~done
    mpmath = _mp()
    if record.shape == "elementwise":
        for i in zip(*np.nonzero(hard)):
            xi = mpmath.mpf(float(x[i]))
            out[i] = settle_exact(lambda: exact(xi, **params), fmt, saturate, float(y[i]))
        return out
    n = x.shape[-1]
    x2 = x.reshape(-1, n)
    y2 = y.reshape(x2.shape[0], -1)
    hard2 = hard.reshape(y2.shape)
    out2 = out.reshape(y2.shape)
    for r in np.nonzero(hard2.any(axis=1))[0]:
        if not np.isfinite(x2[r]).all():  # limits: the kernel's conventions, nothing to settle
            continue
        row = [mpmath.mpf(float(v)) for v in x2[r]]
        for j in np.nonzero(hard2[r])[0]:
            out2[r, j] = settle_exact(lambda j=j: exact(row, **params)[j], fmt, saturate, float(y2[r, j]))
    return out2.reshape(y.shape)


# f(x) = a1·x + a2·x² + a3·x³ + a4·x⁴ + ... next to 0, per side: (function, which, parameters) -> series
_SERIES: dict[tuple, tuple[tuple[float, ...] | None, tuple[float, ...] | None]] = {}
_NEAR_ORIGIN = 2.0**-40  # the series decides where |x| is this far inside its first terms' reach


def _series_at_origin(record, which: str, exact: Callable[..., Any], params: Mapping[str, Any]):
    """(for x < 0, for x > 0): the coefficients (a1, a2, a3, a4) of f at 0 from that side, as float64,
    when f(0) = 0 and a1 is a float64 exactly (to 2**-100); else None for that side."""
    key = (record.name, which, repr(sorted(params.items())))
    if key in _SERIES:
        return _SERIES[key]
    mpmath = _mp()
    sides = []
    with mpmath.mp.workprec(320):
        try:
            f0 = exact(mpmath.mpf(0), **params)
        except (ValueError, ZeroDivisionError):
            f0 = None
        for direction in (-1, 1):
            if f0 is None or f0 != 0:
                sides.append(None)
                continue
            fn = lambda t: exact(t, **params)  # noqa: E731
            a = [mpmath.diff(fn, 0, n, direction=direction) / mpmath.factorial(n) for n in (1, 2, 3, 4)]
            a1 = float(a[0])
            # numerical derivatives: below 2**-80 a coefficient cannot be told from 0 (noise), so a1
            # must be above it, and the first coefficient after it too (it decides the side)
            noise = mpmath.mpf(2) ** -80
            if abs(a[0]) < noise or abs(a[0] - a1) > abs(a[0]) * mpmath.mpf(2) ** -100 or abs(a[1]) < noise:
                sides.append(None)
                continue
            sides.append((a1,) + tuple(float(c) if abs(c) >= noise else 0.0 for c in a[1:]))
    _SERIES[key] = (sides[0], sides[1])
    return _SERIES[key]


def _near_origin(record, which: str, exact: Callable[..., Any] | None, x: np.ndarray, y: np.ndarray,
                 hard: np.ndarray, params: Mapping[str, Any], fmt: Format, saturate: bool):
    """Settle hard cases at tiny inputs without mpmath per element: (mask settled, values) or None.

    Where f(0) = 0 and f'(0) = a1 is a float64 (x/2 for gelu and silu, x for
    tanh) and a2 is not 0, f(x) = a1·x + a2·x² + ... with a1·x exact in
    float64: the result rounds as a1·x does unless a1·x is a midpoint of the
    format (x/2 of an odd subnormal: half of all subnormal inputs), where it
    goes to the side of the sign of a2·x². Decided only where |x| < 2**-40
    and |a3·x| < 2**-40·|a2|, so the rest of the series cannot change the
    side; elsewhere mpmath settles each element.
    """
    if exact is None:
        return None
    small = hard & (np.abs(x) < _NEAR_ORIGIN) & (x != 0)
    if not small.any():
        return None
    series = _series_at_origin(record, which, exact, params)
    done = np.zeros(x.shape, dtype=bool)
    values = np.zeros(x.shape)
    for side, coeffs in zip((x < 0, x > 0), series):
        sel = small & side
        if coeffs is None or not sel.any():
            continue
        a1, a2, a3 = coeffs[:3]  # a2 is not 0 (_series_at_origin); a3 bounds how far it decides
        reach = _NEAR_ORIGIN * abs(a2) / abs(a3) if a3 else _NEAR_ORIGIN
        xs = x[sel]
        v, err = two_prod(np.float64(a1), xs)  # a1·x, exact where err is 0
        ok = (err == 0) & (np.abs(xs) < min(reach, _NEAR_ORIGIN)) & (np.abs(v) > 2.0**-1000)
        with np.errstate(invalid="ignore", over="ignore"):
            nudged = np.nextafter(v, np.sign(a2) * np.inf)  # the side of the midpoint a1·x: sign(a2·x²)
            r = np.where(_is_midpoint(v, fmt), round_to(nudged, fmt, saturate), round_to(v, fmt, saturate))
        idx = np.flatnonzero(sel)[ok]
        done.reshape(-1)[idx] = True
        values.reshape(-1)[idx] = r[ok]
    return done, values


def _is_midpoint(v: np.ndarray, fmt: Format) -> np.ndarray:
    """Whether each float64 ``v`` lies exactly halfway between two neighbouring values of ``fmt``."""
    av = np.abs(v)
    _, e = np.frexp(av)
    q = np.maximum(e.astype(np.int32) - 1, fmt.emin) - (fmt.precision - 1)
    t = np.ldexp(av, -q)
    return (t - np.floor(t)) == 0.5


def _numerical_second(grad: Callable[..., Any]) -> Callable[..., Any]:
    """f'' from the exact f' where ``actloss._exact`` defines no ``NAME_grad2``: mpmath's
    differentiation of f' at the working precision (checked, like every definition, by two
    evaluations at rising precision)."""

    def second(x, **params):
        mpmath = _mp()
        return mpmath.diff(lambda t: grad(t, **params), x)

    return second


def evaluate(record, which: str, x: Any, params: Mapping[str, Any] | None, dtype: Any,
             saturate: bool = False, *args: Any) -> np.ndarray:
    """``record``'s value or derivative at ``x`` rounded to ``dtype``, correctly, as an array of that dtype.

    ``x`` is first rounded to the format (as a tensor of that dtype holds it).
    Losses (``which`` "value" or "derivative" with ``args = (target,)``): both
    inputs are rounded to the format, the loss and its gradient are computed in
    float64 (within 4 ulp) and rounded once, and the few results within reach
    of a midpoint of the format are settled exactly (``actloss._exact_losses``),
    second derivatives too (but ce's with ``normalize`` on probabilities).
    """
    fmt = get_format(dtype)
    return to_dtype(rounded_result(record, which, x, params, fmt, saturate, *args), fmt)


def quantity(record, order: int) -> str:
    """What ``rounded_result`` evaluates for derivative order 0, 1 or 2 ("value", "derivative",
    "derivative2"); ParameterError where the record has no such derivative."""
    record.check_order(max(1, int(order)))
    return ("value", "derivative", "derivative2")[int(order)]


def rounded_result(record, which: str, x: Any, params: Mapping[str, Any] | None, dtype: Any,
                   saturate: bool = False, *args: Any, representable: bool = False) -> np.ndarray:
    """:func:`evaluate`'s values as float64 (each representable in the format).

    ``representable``: the caller knows every x is a value of the format already (not rounded again)."""
    fmt = get_format(dtype)
    params = record.bind(params or {})
    kernels = record._kernels()
    kernel = {"value": kernels[0], "derivative": kernels[1]}.get(which) or record._second()
    xa = np.asarray(x)
    in_format = representable or of_format(xa, fmt)
    if record.kind != "loss" and record.shape == "elementwise" and fmt.bits <= 16 and xa.size >= _BY_TABLE:
        # a long input of an 8- or 16-bit format: looked up by bit pattern (a float64 input rounded and
        # encoded in one pass where that is done without ml_dtypes)
        if fmt.name in ("bfloat16", "float16") and xa.dtype == np.float64 and not (in_format or saturate):
            codes = codes_of(xa.reshape(-1), fmt)
        else:
            xr = xa.astype(np.float64) if in_format else round_to(_as_float64(xa), fmt, saturate)
            codes = bits_of(xr.reshape(-1), fmt)
        return _by_table(record, which, kernel, codes, params, fmt, saturate).reshape(xa.shape)
    xr = xa.astype(np.float64) if in_format else round_to(_as_float64(xa), fmt, saturate)
    if record.kind == "loss":
        target = _as_float64(args[0])
        if target.shape == xr.shape:  # values, not class indices (which no rounding may move)
            target = round_to(target, fmt, saturate)
        y = np.asarray(kernel(xr, target, **params), dtype=np.float64)
        return round_loss(record, which, xr, target, params, y, fmt, saturate)
    y = np.asarray(kernel(xr, **params), dtype=np.float64)
    if fmt.name == "float64":
        return y
    return correctly_rounded(record, which, xr, y, params, fmt, saturate)


def round_loss(record, which: str, pred: np.ndarray, target: np.ndarray, params: Mapping[str, Any], y: Any,
               dtype: Any, saturate: bool = False) -> np.ndarray:
    """A loss kernel's float64 result ``y`` (``which``: "value" or "derivative", for the reduction in
    ``params``, or "derivative2") at the representable ``pred`` and ``target``, correctly rounded into
    the format: rounded once, and the results within reach of a midpoint settled exactly."""
    fmt = get_format(dtype)
    y = np.asarray(y, dtype=np.float64)
    out = round_to(y, fmt, saturate)
    if fmt.name != "float64" and which in ("value", "derivative", "derivative2"):
        hard = hard_cases(y, fmt, saturate)
        if hard.any():
            out = _settle_loss(record, which, pred, target, params, y, out, hard, fmt, saturate)
    return out


def _settle_loss(record, which: str, pred: np.ndarray, target: np.ndarray, params: Mapping[str, Any], y: np.ndarray,
                 out: np.ndarray, hard: np.ndarray, fmt: Format, saturate: bool) -> np.ndarray:
    """The hard elements of a loss or its gradient, settled exactly (``actloss._exact_losses``).

    A settled value is kept only if it is one of the two roundings the float64
    result's error allows (a definition that disagreed with the kernel's
    convention, at a kink, would not be); elsewhere, and where the module does
    not cover the case, the one rounding stays.
    """
    from actloss import _exact_losses as E
    from actloss import _losses as L

    reduction = params.get("reduction", "mean")
    parts = L.parts(record.name, pred, target, **params)
    out = np.array(out, dtype=np.float64)
    flat_out, flat_y = out.reshape(-1), np.asarray(y, dtype=np.float64).reshape(-1)
    for i in np.flatnonzero(np.asarray(hard).reshape(-1)):
        fn = E.exact(record, which, pred, target, dict(params), parts, reduction, int(i))
        if fn is None:
            return out
        v = settle_exact(fn, fmt, saturate, float(flat_y[i]))
        m = _REL_MARGIN * np.spacing(abs(flat_y[i]))
        with np.errstate(invalid="ignore", over="ignore"):
            allowed = _round_slow(np.array([flat_y[i] - m, flat_y[i] + m]), fmt, saturate)
        if v in allowed.tolist():
            flat_out[i] = v
    return out


_BY_TABLE = 4096  # from this many inputs of a 8- or 16-bit format on, results are looked up by bit pattern
_TABLES: dict[tuple, tuple[np.ndarray, np.ndarray]] = {}
_TABLES_KEPT = 16


def codes_of(x: np.ndarray, fmt: Format) -> np.ndarray:
    """The bit patterns of float64 ``x`` rounded into bfloat16 or float16 (nearest, ties to even; overflow
    to inf): ``bits_of(round_to(x, fmt), fmt)`` in one pass over the data.

    float16: numpy's conversion from float64, one correct rounding. bfloat16: the float64 bit pattern
    rounded at bit 45 as :func:`round_to` does, its exponent rebiased; values outside bfloat16's
    normal range (and zeros, inf, NaN) go the long way.
    """
    x = np.ascontiguousarray(x, dtype=np.float64)
    if fmt.name == "float16":
        with np.errstate(over="ignore", invalid="ignore"):
            return x.astype(np.float16).view(np.uint16)
    bits = x.view(np.uint64)
    mag = bits & _MAG
    r = mag >> np.uint64(45)
    r &= _ONE
    r += mag
    r += np.uint64((1 << 44) - 1)
    r >>= np.uint64(45)  # exponent (11 bits) and 7 fraction bits, rounded
    r -= np.uint64((1023 - 127) << 7)
    r |= (bits >> np.uint64(48)) & np.uint64(0x8000)
    codes = r.astype(np.uint16)
    special = _outside_normal(mag, fmt)
    if special.any():
        idx = np.flatnonzero(special)
        codes[idx] = bits_of(round_to(x[idx], fmt), fmt)
    return codes


def _by_table(record, which: str, kernel: Callable[..., Any], codes: np.ndarray, params: Mapping[str, Any],
              fmt: Format, saturate: bool) -> np.ndarray:
    """The correctly rounded results (float64, flat) at the inputs with bit patterns ``codes``, through a
    table by bit pattern.

    A format of 8 or 16 bits has at most 65,536 inputs: each is evaluated (and
    correctly rounded) once, the first time it is met, and a long input or a
    stream of blocks costs one lookup per element. The same results as the
    direct path, element for element.
    """
    key = (record.name, which, repr(sorted(params.items())), fmt.name, bool(saturate))
    entry = _TABLES.get(key)
    if entry is None:
        if len(_TABLES) >= _TABLES_KEPT:
            _TABLES.pop(next(iter(_TABLES)))
        size = 1 << (16 if fmt.bits == 16 else 8)
        entry = _TABLES[key] = (np.zeros(size), np.zeros(size, dtype=bool))
    table, filled = entry
    need = _unfilled(codes, filled)
    if need.size:
        vals = from_bits(need, fmt)
        y = np.asarray(kernel(vals, **params), dtype=np.float64)
        table[need] = correctly_rounded(record, which, vals, y, params, fmt, saturate)
        filled[need] = True
    return table[codes]


def of_format(a: np.ndarray, fmt: Format) -> bool:
    """Whether ``a`` is an array of the format's own dtype, whose values need no rounding (by name:
    an ml_dtypes array exists only once ml_dtypes is imported, and this never imports it)."""
    return fmt.name != "float64" and isinstance(a, np.ndarray) and a.dtype.name == fmt.name


def _as_float64(x: Any) -> np.ndarray:
    """Any array-like (including ml_dtypes arrays) as float64; the conversion is exact."""
    a = np.asarray(x)
    with np.errstate(invalid="ignore"):  # a signalling NaN widens to a NaN: nothing to warn about
        if a.dtype.kind not in "fiub" and a.dtype != object:
            return a.astype(np.float64)  # ml_dtypes types widen exactly
        return np.asarray(a, dtype=np.float64)


# ---------------------------------------------------------------------------
# printing: the shortest decimal that round-trips in the format
# ---------------------------------------------------------------------------

def _round_trip_ok(text: Sequence[str], values: np.ndarray, fmt: Format) -> np.ndarray:
    """Which decimals round (exactly, decimal -> format) back to ``values``."""
    parsed = np.array([float(t) for t in text])
    ok = _same(round_to(parsed, fmt), values)
    # parsing to float64 first is a second rounding: near a boundary decide with the exact decimal
    for i in np.nonzero(hard_cases(parsed, fmt, False))[0]:
        ok[i] = _exact_decimal_rounds_to(text[i], float(values[i]), fmt)
    return ok


def _quantum(v: float, fmt: Format) -> int:
    """Exponent of the spacing of ``fmt`` at the positive value ``v``."""
    return max(math.frexp(v)[1] - 1, fmt.emin) - fmt.precision + 1


def _exact_decimal_rounds_to(text: str, value: float, fmt: Format) -> bool:
    """Whether the decimal ``text`` (taken exactly) rounds to ``value`` in ``fmt`` (nonzero, finite)."""
    from fractions import Fraction

    d, v = Fraction(text), Fraction(value)
    if value < 0:
        d, v, value = -d, -v, -value
    qe = _quantum(value, fmt)
    q = Fraction(2) ** qe
    below = q / 2 if (math.frexp(value)[0] == 0.5 and math.frexp(value)[1] - 1 > fmt.emin) else q
    mid_up, mid_dn = v + q / 2, v - below / 2
    even = (v / q).numerator % 2 == 0
    if value == fmt.max and fmt.overflow == "saturate":
        mid_up = None
    if d == mid_dn or (mid_up is not None and d == mid_up):
        return even
    return mid_dn < d and (mid_up is None or d < mid_up)


def _neighbours(t: float, k: int) -> tuple[str, str]:
    """The k-significant-digit decimals just below and above t, nearest first, as Python writes them."""
    mant, _, exp = f"{abs(t):.{k - 1}e}".partition("e")
    m, e10 = int(mant.replace(".", "")), int(exp) - (k - 1)
    sign = "-" if t < 0 else ""
    near = float(f"{sign}{m}e{e10}")
    other = m + 1 if abs(near) < abs(t) else m - 1
    return repr(near), repr(float(f"{sign}{other}e{e10}"))


def shortest(values: Any, fmt: Any) -> list[str]:
    """For each value of the format, the shortest decimal that rounds back to it in that format.

    Written as Python writes floats (``0.5``, ``1.0``, ``3.39e+38``, ``nan``,
    ``inf``, ``-0.0``); float64 values get their ``repr``. Values must be
    representable (the result of :func:`round_to`).
    """
    fmt = get_format(fmt)
    v = np.asarray(values, dtype=np.float64).reshape(-1)
    if fmt.name == "float64":
        return [repr(float(t)) for t in v]
    keys, inverse = np.unique(v.view(np.int64), return_inverse=True)  # by bits: -0.0 is not 0.0
    uniq = keys.view(np.float64)
    result = [""] * len(uniq)
    todo = np.nonzero(np.isfinite(uniq) & (uniq != 0))[0]
    for i in np.nonzero(~np.isfinite(uniq) | (uniq == 0))[0]:
        result[i] = repr(float(uniq[i]))
    for k in range(1, 18):
        if not len(todo):
            break
        vals = uniq[todo]
        # the nearest k-digit decimal first (cheap), then the one on the other side of the value
        text = [repr(float("%.*g" % (k, t))) for t in vals.tolist()]
        done = _round_trip_ok(text, vals, fmt)
        for j in np.nonzero(done)[0]:
            result[todo[j]] = text[j]
        # the nearer decimal can fail while the farther one rounds back only where the spacing
        # changes: at a power of two (the neighbour below is twice as close)
        rest = np.nonzero(~done & (np.frexp(np.abs(vals))[0] == 0.5))[0]
        if len(rest):
            other = [_neighbours(float(t), k)[1] for t in vals[rest]]
            ok = _round_trip_ok(other, vals[rest], fmt)
            for pos, (j, good) in enumerate(zip(rest, ok)):
                if good:
                    result[todo[j]] = other[pos]
            done[rest[ok]] = True
        todo = todo[~done]
    return [result[i] for i in inverse.reshape(-1)]


def display(values: Any, fmt: Any) -> np.ndarray:
    """The float64 nearest each value's shortest round-trip decimal in ``fmt``.

    Printed by ``repr`` (or any shortest-float64 printer such as orjson) these
    give exactly the strings of :func:`shortest`, so an output layer made for
    float64 prints low-precision results unchanged. Same shape as ``values``.
    For 8- and 16-bit formats the answers are kept in a table by bit pattern,
    filled as values are met (a stream of chunks computes each value once).
    """
    fmt = get_format(fmt)
    v = np.asarray(values, dtype=np.float64)
    if fmt.name == "float64":
        return v
    if fmt.name == "float32":  # orjson writes float32 in its shortest round-trip digits; read back as float64
        import orjson

        flat = v.reshape(-1)
        finite = np.isfinite(flat)
        with np.errstate(invalid="ignore", over="ignore"):
            f32 = np.where(finite, flat, 0.0).astype(np.float32)
        out = np.array(orjson.loads(orjson.dumps(f32, option=orjson.OPT_SERIALIZE_NUMPY)), dtype=np.float64)
        out = np.where(finite, np.copysign(out, flat), flat)  # -0.0 kept, inf and NaN as they are
        return out.reshape(v.shape)
    if fmt.bits > 16:
        keys, inverse = np.unique(v.reshape(-1).view(np.int64), return_inverse=True)
        shown = np.array([float(t) for t in shortest(keys.view(np.float64), fmt)])
        return shown[inverse.reshape(-1)].reshape(v.shape)
    size = 1 << (16 if fmt.bits == 16 else 8)
    table, filled = _DISPLAY.setdefault(fmt.name, (np.zeros(size), np.zeros(size, dtype=bool)))
    codes = bits_of(v.reshape(-1), fmt).astype(np.intp)
    need = _unfilled(codes, filled)
    if need.size:
        vals = from_bits(need, fmt)
        table[need] = [float(t) for t in shortest(vals, fmt)]
        filled[need] = True
    return table[codes].reshape(v.shape)


_DISPLAY: dict[str, tuple[np.ndarray, np.ndarray]] = {}


def _unfilled(codes: np.ndarray, filled: np.ndarray) -> np.ndarray:
    """The distinct codes not yet in a table, ascending (one pass over the codes, no sort)."""
    if filled[codes].all():
        return codes[:0]
    met = np.zeros(filled.size, dtype=bool)
    met[codes] = True
    return np.flatnonzero(met & ~filled)
