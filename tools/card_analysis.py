"""Compute the cards' analysis of every elementwise activation and write actloss/data/analysis.json.

    python tools/card_analysis.py            # all functions (a few minutes)
    python tools/card_analysis.py gelu relu  # recompute some, keep the rest of the file

Everything here comes from the mathematical definitions, evaluated with mpmath
(arbitrary precision) or with exact rationals (``fractions.Fraction``) for the
rational pieces; nothing is taken from actloss's kernels. Each function is
analysed at its default parameters.

For each function the file holds:

- ``extrema``: strict local extrema, ``{"kind": "minimum" | "maximum", "x", "value"}``:
  the zeros of f' where its sign changes, found on a grid over [-L, L] (L = 16;
  beyond it every function here is monotonic and convex or concave towards its
  asymptote) and refined by bisection to 1e-40; ``value`` is f at the refined
  zero, rounded to float64 once.
- ``inflection_points``: the x where f'' changes sign, inside a smooth piece (a
  zero of f'') or at a breakpoint of the definition (softsign at 0).
- ``max_slope``: the supremum of |f'| (the Lipschitz constant) over the one-sided
  limits at the breakpoints, the critical points of f' (the inflection points)
  and the limits at +-inf. ``x`` is the point nearest 0 where |f'| attains the
  supremum or approaches it from one side (hardswish: 1.5 as x -> 3 from below),
  null when it is approached only at +-inf; ``intervals`` lists the open
  intervals on which |f'| equals the supremum (null for an infinite end).
- ``limits``: f at -inf and at +inf (a number, or "-inf"/"inf").
- ``saturation``: for bfloat16, float16, float8_e4m3fn and float8_e5m2,
  ``{"low": x or null, "high": x or null}``. ``high`` is the smallest value x of
  the format such that for every value y >= x of the format, f(y) correctly
  rounded to the format equals the upper asymptote a(y) correctly rounded
  (1 for sigmoid, x for gelu, x - 1 for tanhshrink, ...); ``low`` the largest x
  with the same property for every y <= x and the lower asymptote. null when no
  value qualifies (squareplus never rounds to 0 from below) or when f has no
  asymptote distinct from itself on that side (identity). Rounding is to
  nearest, ties to even, with the formats' subnormals; overflow gives inf
  (NaN in float8_e4m3fn, which has no inf), and equal overflows count as equal.
  Every value of the format from the largest finite one down to the answer is
  checked, none skipped. Transcendental values are evaluated at increasing
  precision until two precisions agree far from a rounding boundary (they are
  never exactly on one: a transcendental function at a nonzero dyadic is not
  dyadic); rational pieces are rounded exactly.
"""

from __future__ import annotations

import json
import math
import sys
from fractions import Fraction
from pathlib import Path

import mpmath
from mpmath import mp, mpf

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "actloss" / "data" / "analysis.json"

L = 16
GRID = 3200  # grid cells over [-L, L] for the sign scans

# ---------------------------------------------------------------------------
# the formats: precision p (significand bits with the implicit one), smallest normal exponent, max
# ---------------------------------------------------------------------------

FORMATS = {
    "bfloat16": {"p": 8, "emin": -126, "max": (2 - Fraction(1, 2**7)) * 2**127, "inf": True},
    "float16": {"p": 11, "emin": -14, "max": Fraction(65504), "inf": True},
    "float8_e4m3fn": {"p": 4, "emin": -6, "max": Fraction(448), "inf": False},
    "float8_e5m2": {"p": 3, "emin": -14, "max": Fraction(57344), "inf": True},
}


def format_values(fmt) -> list[Fraction]:
    """Every non-negative finite value of the format, ascending (0 first)."""
    p, emin, top = fmt["p"], fmt["emin"], fmt["max"]
    out = [Fraction(0)]
    step = Fraction(2) ** (emin - p + 1)
    out += [k * step for k in range(1, 2 ** (p - 1))]  # subnormals
    e = emin
    while True:
        base = Fraction(2) ** e
        for k in range(2 ** (p - 1)):
            v = base * (1 + Fraction(k, 2 ** (p - 1)))
            if v > top:
                return out
            out.append(v)
        e += 1


def spacing(fmt, a: Fraction) -> Fraction:
    """The gap between consecutive format values around |a| (a < 2 max)."""
    p, emin = fmt["p"], fmt["emin"]
    if a < Fraction(2) ** emin:
        return Fraction(2) ** (emin - p + 1)
    e = math.floor(math.log2(a.numerator) - math.log2(a.denominator))
    # fix floating log2 near powers of two
    while Fraction(2) ** e > a:
        e -= 1
    while Fraction(2) ** (e + 1) <= a:
        e += 1
    return Fraction(2) ** (e - p + 1)


OVERFLOW_POS, OVERFLOW_NEG, NAN = "+overflow", "-overflow", "nan"


def round_exact(fmt, v: Fraction):
    """v rounded to nearest (ties to even) in the format: a Fraction, or an overflow marker."""
    if v == 0:
        return Fraction(0)
    a = abs(v)
    q = spacing(fmt, a)
    n, r = divmod(a, q)
    n = int(n)
    if 2 * r > q or (2 * r == q and n % 2 == 1):
        n += 1
    out = n * q
    top = fmt["max"]
    if out > top:
        # beyond max: the next value would be top + ulp(top); halfway rounds up to overflow
        if not fmt["inf"]:
            return NAN
        return OVERFLOW_POS if v > 0 else OVERFLOW_NEG
    return out if v > 0 else -out


_MIDS: dict[str, list[Fraction]] = {}


def _mids(fmt) -> list[Fraction]:
    """The rounding boundaries of the format's non-negative half: midpoints and the overflow edge."""
    key = repr(sorted((k, str(v)) for k, v in fmt.items()))
    if key not in _MIDS:
        vals = format_values(fmt)
        mids = [(a + b) / 2 for a, b in zip(vals[:-1], vals[1:])]
        mids.append(fmt["max"] + spacing(fmt, fmt["max"]) / 2)
        _MIDS[key] = mids
    return _MIDS[key]


def _boundary_distance(fmt, v: Fraction) -> Fraction:
    """Distance from v to the nearest rounding boundary (a midpoint between neighbours, or the overflow edge)."""
    import bisect

    a = abs(v)
    mids = _mids(fmt)
    i = bisect.bisect_left(mids, a)
    near = [mids[j] for j in (i - 1, i) if 0 <= j < len(mids)]
    return min(abs(a - m) for m in near)


class Exact:
    """Rational arithmetic: constants as Fractions; no transcendental functions."""

    exact = True

    @staticmethod
    def c(s):
        return Fraction(s)


class MP:
    """mpmath at the current precision."""

    exact = False

    @staticmethod
    def c(s):
        return mpf(s) if not isinstance(s, Fraction) else mpf(s.numerator) / s.denominator

    exp = staticmethod(mpmath.exp)
    expm1 = staticmethod(mpmath.expm1)
    log1p = staticmethod(mpmath.log1p)
    log = staticmethod(mpmath.log)
    tanh = staticmethod(mpmath.tanh)
    erf = staticmethod(mpmath.erf)
    erfc = staticmethod(mpmath.erfc)
    sqrt = staticmethod(mpmath.sqrt)


def to_mpf(x: Fraction):
    return mpf(x.numerator) / x.denominator


def mpf_to_fraction(v) -> Fraction:
    sign, man, exp, _ = mpmath.mpf(v)._mpf_
    out = Fraction(int(man)) * (Fraction(2) ** int(exp)) if man else Fraction(0)
    return -out if sign else out


def round_value(fmt, fn, x: Fraction, rational: bool):
    """fn(x) correctly rounded to the format."""
    if rational:
        v = fn(x, Exact)
        if not isinstance(v, (Fraction, int)):
            raise TypeError(f"{fn.__name__} gave {v!r}, not an exact rational")
        return round_exact(fmt, Fraction(v))
    prev = None
    # a value within e^(-2|x|) of a rounding boundary (tanhshrink(x) = x - 1 + 2e^(-2x) for large x, where
    # x - 1 is a midpoint of the float16 grid for 2048 <= x < 4096) needs about 2.9|x| bits
    for prec in (96 * 2**k for k in range(12)):
        with mp.workprec(prec):
            y = fn(to_mpf(x), MP)
            # far below half the smallest subnormal or far beyond the overflow edge: the rounding is
            # certain, and the exact value would be a Fraction with an astronomical exponent
            if y == 0 or mpmath.mag(y) < fmt["emin"] - fmt["p"] - 8:
                return Fraction(0)
            if mpmath.mag(y) > mpmath.mag(to_mpf(fmt["max"])) + 8:
                return round_exact(fmt, Fraction(2 * fmt["max"]) * (1 if y > 0 else -1))
            v = mpf_to_fraction(y)
        if prev is not None:
            err = abs(v - prev) * 4 + abs(v) * Fraction(1, 2**(prec // 2))
            if round_exact(fmt, v) == round_exact(fmt, prev) and _boundary_distance(fmt, v) > err:
                return round_exact(fmt, v)
        prev = v
    raise RuntimeError(f"cannot round {fn.__name__}({x}) in {fmt}: within 2^-{prec} of a rounding boundary")


def saturation(spec, fmt, side: str):
    """The smallest x (high) or largest x (low) from which f rounds like its asymptote; None if none."""
    asym = spec.get(side)
    if asym is None:
        return None
    values = format_values(fmt)
    if side == "high":
        scan = [v for v in reversed(values)] + [-v for v in values[1:]]  # max ... 0 ... -max
    else:
        scan = [-v for v in reversed(values)] + values[1:]
    f = spec["f"]
    rational = spec.get("rational", False)
    asym_rational = spec.get(side + "_rational", True)
    last = None
    for x in scan:
        fx = round_value(fmt, f, x, rational)
        ax = round_value(fmt, asym, x, asym_rational)
        if fx != ax:
            break
        last = x
    return None if last is None else float(last)


# ---------------------------------------------------------------------------
# the functions, at their default parameters
# ---------------------------------------------------------------------------

def _sigmoid(x, K):
    return 1 / (1 + K.exp(-x)) if x >= 0 else K.exp(x) / (1 + K.exp(x))


SELU_L = "1.0507009873554804934193349852946"
SELU_A = "1.6732632423543772848170429916717"


def _softplus(x, K):
    return x + K.log1p(K.exp(-x)) if x > 0 else K.log1p(K.exp(x))


def _gelu(x, K):
    return x * K.erfc(-x / K.sqrt(2)) / 2


def _silu(beta):
    def f(x, K):
        return x * _sigmoid(K.c(beta) * x, K)

    return f


def _mish(x, K):
    return x * K.tanh(_softplus(x, K))


def _leaky(alpha):
    def f(x, K):
        return x if x >= 0 else K.c(alpha) * x

    return f


def _linear(alpha):
    def f(x, K):
        return K.c(alpha) * x

    return f


def _const(c):
    def f(x, K):
        return K.c(c)

    return f


def _shift(c):
    def f(x, K):
        return x + K.c(c)

    return f


def _x(x, K):
    return x


def _clip(x, lo, hi):
    return Fraction(lo) if x < lo else (Fraction(hi) if x > hi else x)


SPECS = {
    "sigmoid": {"f": _sigmoid, "low": _const(0), "high": _const(1)},
    "tanh": {"f": lambda x, K: K.tanh(x), "low": _const(-1), "high": _const(1)},
    "softsign": {"f": lambda x, K: x / (1 + abs(x)), "rational": True, "breaks": (0,),
                 "low": _const(-1), "high": _const(1)},
    "hardsigmoid": {"f": lambda x, K: _clip(x / 6 + K.c(Fraction(1, 2)), 0, 1), "rational": True, "breaks": (-3, 3),
                    "low": _const(0), "high": _const(1)},
    "log_sigmoid": {"f": lambda x, K: -_softplus(-x, K), "low": _x, "high": _const(0)},
    "sparse_sigmoid": {"f": lambda x, K: (_clip(x, -1, 1) + 1) / 2, "rational": True, "breaks": (-1, 1),
                       "low": _const(0), "high": _const(1)},
    "relu": {"f": lambda x, K: x if x > 0 else K.c(0), "rational": True, "breaks": (0,), "low": _const(0), "high": _x},
    "squared_relu": {"f": lambda x, K: x * x if x > 0 else K.c(0), "rational": True, "breaks": (0,), "low": _const(0),
                     "high": None, "slope_high": mpmath.inf},  # no asymptote above: f' = 2x, no Lipschitz bound
    "softcap": {"f": lambda x, K: K.c(30) * K.tanh(x / K.c(30)), "low": _const(-30), "high": _const(30)},
    "relu6": {"f": lambda x, K: _clip(x, 0, 6), "rational": True, "breaks": (0, 6), "low": _const(0), "high": _const(6)},
    "leaky_relu": {"f": _leaky("0.01"), "rational": True, "breaks": (0,), "low": _linear("0.01"), "high": _x},
    "prelu": {"f": _leaky("0.25"), "rational": True, "breaks": (0,), "low": _linear("0.25"), "high": _x},
    "rrelu": {"f": _leaky(Fraction(11, 48)), "rational": True, "breaks": (0,), "low": _linear(Fraction(11, 48)),
              "high": _x},
    "elu": {"f": lambda x, K: x if x > 0 else K.expm1(x), "breaks": (0,), "low": _const(-1), "high": _x},
    "selu": {"f": lambda x, K: K.c(SELU_L) * x if x > 0 else K.c(SELU_L) * K.c(SELU_A) * K.expm1(x), "breaks": (0,),
             "low": lambda x, K: -K.c(SELU_L) * K.c(SELU_A), "high": _linear(SELU_L), "low_rational": False,
             "high_rational": False},
    "celu": {"f": lambda x, K: x if x > 0 else K.expm1(x), "breaks": (0,), "low": _const(-1), "high": _x},
    "threshold": {"f": lambda x, K: x if x > 0 else K.c(0), "rational": True, "breaks": (0,), "low": _const(0),
                  "high": _x},
    "gelu": {"f": _gelu, "low": _const(0), "high": _x},
    "quick_gelu": {"f": _silu("1.702"), "low": _const(0), "high": _x},
    "silu": {"f": _silu(1), "low": _const(0), "high": _x},
    "mish": {"f": _mish, "low": _const(0), "high": _x},
    "softplus": {"f": _softplus, "low": _const(0), "high": _x},
    # x < 0: b / (2 (sqrt(x^2 + b) - x)) is the same number without cancellation
    "squareplus": {"f": lambda x, K: (x + K.sqrt(x * x + 4)) / 2 if x >= 0 else 2 / (K.sqrt(x * x + 4) - x),
                   "low": _const(0), "high": _x},
    "sparse_plus": {"f": lambda x, K: K.c(0) if x <= -1 else (x if x >= 1 else (x + 1) * (x + 1) / 4),
                    "rational": True, "breaks": (-1, 1), "low": _const(0), "high": _x},
    "hardtanh": {"f": lambda x, K: _clip(x, -1, 1), "rational": True, "breaks": (-1, 1), "low": _const(-1),
                 "high": _const(1)},
    "hardswish": {"f": lambda x, K: x * _clip(x + 3, 0, 6) / 6, "rational": True, "breaks": (-3, 3),
                  "low": _const(0), "high": _x},
    "tanhshrink": {"f": lambda x, K: x - K.tanh(x), "low": _shift(1), "high": _shift(-1)},
    "softshrink": {"f": lambda x, K: x - K.c(Fraction(1, 2)) if x > Fraction(1, 2) else
                   (x + K.c(Fraction(1, 2)) if x < -Fraction(1, 2) else K.c(0)),
                   "rational": True, "breaks": (-0.5, 0.5), "low": _shift(Fraction(1, 2)), "high": _shift(Fraction(-1, 2))},
    "hardshrink": {"f": lambda x, K: x if abs(x) > Fraction(1, 2) else K.c(0), "rational": True, "breaks": (-0.5, 0.5),
                   "low": _x, "high": _x},
    # identity is its own asymptote: no saturation
    "identity": {"f": _x, "rational": True, "low": None, "high": None, "slope_low": 1, "slope_high": 1},
}

# slopes of the asymptotes (f' at -inf and +inf) and f at +-inf, from the asymptotes' forms
for _name, _spec in SPECS.items():
    for _side in ("low", "high"):
        a = _spec.get(_side)
        if a is None:
            continue
        with mp.workdps(40):
            s = (a(mpf(3), MP) - a(mpf(1), MP)) / 2
        _spec.setdefault("slope_" + _side, s)


# ---------------------------------------------------------------------------
# calculus on the smooth pieces
# ---------------------------------------------------------------------------

DPS = 60


def fm(spec, x):
    return spec["f"](x, MP)


def d(spec, x, n):
    """f^(n)(x) by mpmath's numerical differentiation (x away from the breakpoints)."""
    return mpmath.diff(lambda t: fm(spec, t), x, n)


def pieces(spec):
    breaks = sorted(mpf(b) for b in spec.get("breaks", ()))
    edges = [mpf(-L)] + [b for b in breaks if -L < b < L] + [mpf(L)]
    return list(zip(edges[:-1], edges[1:]))


def one_sided(spec, b, side, n):
    """The limit of f^(n) at breakpoint b from the left (-1) or the right (+1)."""
    delta = mpf(10) ** -25
    return mpmath.diff(lambda t: fm(spec, t), b + side * delta, n, h=mpf(10) ** -35)


def sign(v, tol):
    return 0 if abs(v) < tol else (1 if v > 0 else -1)


def bisect(g, a, b, sa):
    for _ in range(160):
        m = (a + b) / 2
        sm = sign(g(m), mpf(10) ** -50)
        if sm == 0:
            break
        if sm == sa:
            a = m
        else:
            b = m
        if b - a < mpf(10) ** -42:
            m = (a + b) / 2
            break
    # a root at 0 (odd functions) is 0, not the last midpoint of the bisection
    return mpf(0) if abs(m) < mpf(10) ** -30 else m


def sign_changes(spec, n):
    """The x where f^(n) changes sign: zeros inside the pieces, and breakpoints where the sign flips."""
    out = []
    tol = mpf(10) ** -30
    for a, b in pieces(spec):
        k = max(4, int(GRID * (b - a) / (2 * L)))
        xs = [a + (b - a) * (i + mpf(1) / 2) / k for i in range(k)]  # cell centres: never on a breakpoint
        prev_x, prev_s = None, 0
        for x in xs:
            s = sign(d(spec, x, n), tol)
            if s == 0:
                continue
            if prev_s and s != prev_s:
                out.append(bisect(lambda t: d(spec, t, n), prev_x, x, prev_s))
            prev_x, prev_s = x, s
    for b in spec.get("breaks", ()):
        b = mpf(b)
        if -L < b < L:
            left, right = sign(one_sided(spec, b, -1, n), tol), sign(one_sided(spec, b, 1, n), tol)
            if left and right and left != right:
                out.append(b)
    return sorted(out)


def f64(v) -> float:
    return float(mpf(v))


def analyse(name: str) -> dict:
    spec = SPECS[name]
    mp.dps = DPS
    extrema = []
    for x in sign_changes(spec, 1):
        left = d(spec, x - mpf(10) ** -20, 1) if x not in [mpf(b) for b in spec.get("breaks", ())] else one_sided(spec, x, -1, 1)
        extrema.append({"kind": "minimum" if left < 0 else "maximum", "x": f64(x), "value": f64(fm(spec, x))})
    inflections = sign_changes(spec, 2)

    # max slope: candidates (x, |f'|, attained-on-interval)
    cands = []
    for x in inflections:
        if x in [mpf(b) for b in spec.get("breaks", ())]:
            cands += [(x, abs(one_sided(spec, x, s, 1))) for s in (-1, 1)]
        else:
            cands.append((x, abs(d(spec, x, 1))))
    for b in spec.get("breaks", ()):
        cands += [(mpf(b), abs(one_sided(spec, mpf(b), s, 1))) for s in (-1, 1)]
    at_inf = [abs(mpf(spec["slope_low"])), abs(mpf(spec["slope_high"]))]
    finite_best = max((v for _, v in cands), default=mpf(0))
    # a safety net: no grid point is steeper than the candidates and the limits
    grid_best = mpf(0)
    flat_intervals = []
    breaks = [mpf(b) for b in spec.get("breaks", ())]
    edges = [mpf("-inf")] + sorted(breaks) + [mpf("inf")]
    for lo, hi in zip(edges[:-1], edges[1:]):
        a, b = max(lo, mpf(-L)), min(hi, mpf(L))
        xs = [a + (b - a) * (i + mpf(1) / 2) / 200 for i in range(200)]
        vals = [abs(d(spec, x, 1)) for x in xs]
        grid_best = max(grid_best, max(vals))
        if max(vals) - min(vals) < mpf(10) ** -30:
            flat_intervals.append((lo, hi, vals[0]))
            cands.append((a, vals[0]))
    sup = max([finite_best, grid_best] + at_inf + [v for *_, v in flat_intervals])
    tol = mpf(10) ** -25
    if grid_best > max([finite_best] + at_inf + [v for *_, v in flat_intervals]) + mpf(10) ** -12:
        raise RuntimeError(f"{name}: a grid point is steeper than every candidate")
    intervals = [[None if lo == mpf("-inf") else f64(lo), None if hi == mpf("inf") else f64(hi)]
                 for lo, hi, v in flat_intervals if abs(v - sup) < tol]
    points = [x for x, v in cands if abs(v - sup) < tol and not any(
        (lo < x < hi) for lo, hi, _ in flat_intervals)]
    for lo, hi, v in flat_intervals:
        if abs(v - sup) < tol:
            points += [e for e in (lo, hi) if mpmath.isfinite(e)]
            if lo < 0 < hi:
                points.append(mpf(0))
    if points:
        best = min(points, key=lambda x: (abs(x), -x))
        max_slope = {"x": f64(best), "value": f64(sup)}
    else:
        max_slope = {"x": None, "value": f64(sup) if mpmath.isfinite(sup) else "inf"}  # "inf": no Lipschitz bound
    if intervals:
        max_slope["intervals"] = intervals

    def limit(side):
        s = mpf(spec["slope_" + side])
        if s != 0:
            return ("inf" if s > 0 else "-inf") if side == "high" else ("-inf" if s > 0 else "inf")
        a = spec.get(side)
        return f64(a(mpf(0), MP))

    sat = {}
    for fname, fmt in FORMATS.items():
        sat[fname] = {"low": saturation(spec, fmt, "low"), "high": saturation(spec, fmt, "high")}
    return {
        "extrema": extrema,
        "inflection_points": [f64(x) for x in inflections],
        "max_slope": max_slope,
        "limits": {"-inf": limit("low"), "inf": limit("high")},
        "saturation": sat,
    }


def main(argv: list[str]) -> int:
    names = argv or list(SPECS)
    data = json.loads(OUT.read_text(encoding="utf-8")) if argv and OUT.exists() else {}
    for name in names:
        if name not in SPECS:
            print(f"unknown function {name!r}; known: {', '.join(SPECS)}", file=sys.stderr)
            return 2
        data[name] = analyse(name)
        print(name, json.dumps(data[name]), file=sys.stderr)
    data = {name: data[name] for name in SPECS if name in data}
    OUT.parent.mkdir(parents=True, exist_ok=True)
    tmp = OUT.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    tmp.replace(OUT)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
