"""Loss kernels: the loss and dL/dpred side by side.

Each loss is one ``_NAME_parts(pred, target, **params)`` function that checks
the inputs and returns a :class:`Parts`: the per-item losses (one per element
for elementwise losses, one per sample for losses over the last axis), what
'mean' divides their sum by, the conventions that were applied (for captions
and JSON), and a closure for the gradient of the summed loss. The kernels the
registry calls, ``NAME(pred, target, reduction=..., **params)`` and
``NAME_grad(...)``, reduce those parts; ``@loss_kernel("NAME")`` on the parts function makes them.

Contract (tested against mpmath and PyTorch):

* shapes are checked, never broadcast; errors name both shapes and the fix;
* probabilities are checked (in [0, 1], rows summing to 1 within 1e-6) and
  the error says to pass logits=True when they look like raw scores;
* log(0) is honest: -log(0) = inf, never clamped; 0·log 0 = 0;
* raw scores go through log-sum-exp / log-sigmoid, so logits of ±1000 give
  exact results; sums are taken with ``math.fsum``;
* gradients are closed forms of the same reduction; with 'none' each item's
  own gradient (the gradient of the sum).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from actloss import _decimal as X
from actloss._kernels import sigmoid, softplus  # the exact activation kernels
from actloss._dd import add_dd as _ddadd, div_dd_pair as _dd_div, mul_dd as _ddmul, square, sum_rows, two_prod, two_prod_scaled
from actloss._dd import two_sum
from actloss._vector import _exp_dd
from actloss.errors import InputError, ShapeError, arg

TOLERANCE = 1e-6  # how far a probability row may sum from 1
LOG2 = math.log(2.0)
HALF_LOG_2PI = 0.5 * math.log(2.0 * math.pi)

LOGITS_HINT = f"pass {arg('logits', True)} if these are raw scores"
PI = X.Decimal("3.14159265358979323846264338327950288419716939937510582097494459230781640628620899863")
HALF_LOG_2PI_DD = (HALF_LOG_2PI, float((X.Decimal(2) * PI).ln() / 2 - X.Decimal(HALF_LOG_2PI)))


@dataclass
class Parts:
    """One loss evaluated on one batch, before reduction."""

    items: np.ndarray  # per element (shape of pred) or per sample (pred without its last axis)
    per: str  # "element" or "sample"
    denominator: float  # what 'mean' divides the sum of the items by
    grad_sum: Callable[[], np.ndarray]  # d(sum of items)/dpred, shape of pred
    conventions: list[str] = field(default_factory=list)
    mean_note: str = ""  # how 'mean' divides when it is not by the count
    lo: np.ndarray | None = None  # items + lo: the items to twice the precision, for exact sums

    @property
    def count(self) -> int:
        return int(self.items.size)


#: kernel name -> its parts function; filled by @loss_kernel
PARTS: dict[str, Callable[..., Parts]] = {}


def _pair(name: str):
    def value(pred, target, reduction=None, **params):
        return reduce(parts(name, pred, target, **params), reduction or _default_reduction(name))

    def grad(pred, target, reduction=None, **params):
        return gradient(parts(name, pred, target, **params), reduction or _default_reduction(name))

    value.__name__, grad.__name__ = name, name + "_grad"
    value.__doc__ = f"The {name} loss of pred and target, reduced ('mean', 'sum' or 'none'; default: the record's)."
    grad.__doc__ = f"d {name}/d pred for the reduction, the shape of pred."
    return value, grad


def _default_reduction(name: str) -> str:
    from actloss.registry import get

    return get(name).defaults()["reduction"]


def loss_kernel(*names: str):
    """Register a parts function as the kernels of ``names``: NAME(pred, target, reduction, **params)
    and NAME_grad beside it in this module, as the registry's ``kernel="actloss._losses:NAME"`` names them."""

    def register(fn: Callable[..., Parts]) -> Callable[..., Parts]:
        for name in names:
            if name in PARTS:
                raise RuntimeError(f"loss kernel {name!r} is registered twice")
            PARTS[name] = fn
            globals()[name], globals()[name + "_grad"] = _pair(name)
        return fn

    return register


# ---------------------------------------------------------------------------
# reduction
# ---------------------------------------------------------------------------

def _total(items: np.ndarray, lo: np.ndarray | None = None) -> float:
    """The correctly rounded sum (math.fsum) of the items (and of their low parts)."""
    flat = items.ravel()
    if np.isfinite(flat).all():
        if lo is not None:
            return math.fsum(flat.tolist() + np.ravel(lo).tolist())
        return math.fsum(flat.tolist())
    return float(np.sum(flat))


def reduce(parts: Parts, reduction: str):
    """The loss for 'mean', 'sum' or 'none' (the per-item array)."""
    if reduction == "none":
        return parts.items + 0.0  # a copy, and no -0.0
    with np.errstate(all="ignore"):
        total = _total(parts.items, parts.lo)
    if reduction == "sum":
        return np.float64(total) + 0.0
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.float64(total) / np.float64(parts.denominator) + 0.0


def gradient(parts: Parts, reduction: str) -> np.ndarray:
    """dL/dpred for the reduction (for 'none': each item's own gradient)."""
    with np.errstate(all="ignore"):
        g = parts.grad_sum() + 0.0  # no -0.0
        if reduction in ("mean", "batchmean"):
            g = g / np.float64(parts.denominator)
    return g


def reduction_text(parts: Parts, reduction: str) -> str:
    """'mean over 4 samples', 'sum over 6 elements', 'per sample, no reduction'."""
    n = parts.count
    what = parts.per + ("" if n == 1 else "s")
    if reduction == "none":
        return f"per {parts.per}, no reduction"
    if reduction == "sum":
        return f"sum over {n} {what}"
    text = f"mean over {n} {what}"
    if reduction == "batchmean":
        text += " (batchmean)"
    if parts.mean_note:
        text += f" {parts.mean_note}"
    return text


# ---------------------------------------------------------------------------
# input checks
# ---------------------------------------------------------------------------

def _arr(a) -> np.ndarray:
    return np.asarray(a, dtype=np.float64)


def shape_text(shape) -> str:
    return str(tuple(int(s) for s in shape))


def _nonempty(pred: np.ndarray, target: np.ndarray) -> None:
    if pred.size == 0:
        raise InputError("pred is empty: give at least one number")
    if target.size == 0:
        raise InputError("target is empty: give at least one number")


def _same_shape(pred, target) -> tuple[np.ndarray, np.ndarray]:
    pred, target = _arr(pred), _arr(target)
    if pred.shape != target.shape:
        raise ShapeError(
            f"expected pred and target of the same shape, got {shape_text(pred.shape)} and {shape_text(target.shape)}"
        )
    _nonempty(pred, target)
    return pred, target


def _vectors(pred, target, name: str) -> tuple[np.ndarray, np.ndarray]:
    pred, target = _same_shape(pred, target)
    if pred.ndim == 0:
        raise ShapeError(f"{name} compares vectors along the last axis: give pred and target as lists such as 0.2,0.8, got single numbers")
    return pred, target


def _num(v: float) -> str:
    return repr(float(v)) if not float(v).is_integer() or abs(v) >= 1e16 else str(int(v))


def _where(a: np.ndarray, flat_index: int) -> str:
    """'row 2' (1-based, rows of the last axis) or 'element 3' for 1-D/scalar data."""
    if a.ndim >= 2:
        return f"row {flat_index // a.shape[-1] + 1}"
    return f"element {flat_index + 1}"


def _in_unit_interval(a: np.ndarray, name: str, hint: str) -> None:
    bad = ~((a >= 0.0) & (a <= 1.0))
    if bad.any():
        i = int(np.flatnonzero(bad.ravel())[0])
        v = a.ravel()[i]
        where = f" ({_where(a, i)})" if a.size > 1 else ""
        if math.isnan(v):
            raise InputError(f"{name} holds nan{where}: probabilities must be numbers in [0, 1]")
        raise InputError(f"{name} holds {_num(v)}{where}, outside [0, 1]; {hint}")


def _rows_sum_to_one(a: np.ndarray, name: str, hint: str, normalizable: bool = False) -> None:
    sums = a.sum(axis=-1)
    bad = np.abs(sums - 1.0) > TOLERANCE
    if bad.any():
        i = int(np.flatnonzero(np.atleast_1d(bad).ravel())[0])
        s = float(np.atleast_1d(sums).ravel()[i])
        fix = f"; {arg('normalize', True)} divides each row by its sum" if normalizable else ""
        if a.ndim >= 2:
            raise InputError(f"{name} rows must sum to 1 (row {i + 1} sums to {s:.7g}{fix}); {hint}")
        raise InputError(f"{name} must sum to 1 (it sums to {s:.7g}{fix}); {hint}")


def _distribution(a: np.ndarray, name: str, hint: str, normalizable: bool = False) -> None:
    _in_unit_interval(a, name, hint)
    _rows_sum_to_one(a, name, hint, normalizable)


# ---------------------------------------------------------------------------
# numerics
# ---------------------------------------------------------------------------

def _exp2(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """exp(x) as a double-double (hi, lo), relative error ~2**-65; inf above 709.78, 0 below -2e4."""
    xc = np.clip(np.where(np.isnan(x), 0.0, x), -2.0e4, 709.0)
    mh, ml, k = _exp_dd(xc, np.zeros_like(xc))
    big = x > 709.0
    hi, lo = np.ldexp(mh, k), np.ldexp(ml, k)
    if big.any():  # 709 < x: 2**k would overflow in the table form; exp(x - 1)·e
        e = np.exp(np.where(big, x, 0.0))
        hi, lo = np.where(big, e, hi), np.where(big, 0.0, lo)
    hi = np.where(np.isnan(x), np.nan, hi)
    return hi, lo


def _log2(s: np.ndarray, e: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """log(s + e) as a double-double for s > 0 normal-ish, |e| <= ulp(s): one Newton step on exp."""
    with np.errstate(all="ignore"):
        L = np.log(s)
        fin = np.isfinite(L) & (s > 0)
        Lc = np.where(fin, L, 0.0)
        mh, ml, k = _exp_dd(np.clip(-Lc, -2.0e4, 709.0), np.zeros_like(Lc))
        sm, sk = np.frexp(np.where(fin, s, 1.0))
        em = np.ldexp(np.where(fin, e, 0.0), -sk)
        p, pe = two_prod(sm, mh)
        # (s + e)·exp(-L) - 1 with s = sm·2**sk
        corr = (np.ldexp(p, k + sk) - 1.0) + np.ldexp(pe + sm * ml + em * mh, k + sk)
        return L, np.where(fin, corr, 0.0)


def _dd_sub(ah, al, bh, bl):
    """(ah + al) - (bh + bl) rounded once."""
    return _dd_sub_pair(ah, al, bh, bl)[0]


def _dd_sub_pair(ah, al, bh, bl):
    """(ah + al) - (bh + bl) as (rounded, its error)."""
    s, se = two_sum(ah, -bh)
    low = se + (al - bl)
    r = s + low
    return r, low - (r - s)


def _sigmoid_dd(x):
    """σ(x) and σ(-x) as double-doubles (ph, pl, qh, ql), ~2**-64 relative."""
    with np.errstate(all="ignore"):
        eh, el = _exp2(-np.abs(x))
        dh, dl = two_sum(1.0, eh)
        dl = dl + el
        rh, rl = _dd_div(np.ones_like(eh), np.zeros_like(eh), dh, dl)
        sh, sl = _dd_div(eh, el, dh, dl)
        pos = x >= 0
        return np.where(pos, rh, sh), np.where(pos, rl, sl), np.where(pos, sh, rh), np.where(pos, sl, rl)


def _sigmoid_minus(x, t):
    """σ(x) - t for logits x and targets t in [0, 1], without cancellation (exact fallback where σ(x) ≈ t)."""
    with np.errstate(all="ignore"):
        ph, pl, qh, ql = _sigmoid_dd(x)
        a, ae = two_sum(1.0, -t)
        pos = x >= 0
        g = np.where(pos, _dd_sub(a, ae, qh, ql), _dd_sub(ph, pl, t, 0.0))
        plain = np.where(pos, (1.0 - t) - sigmoid(-x), sigmoid(x) - t)
        g = np.where(np.isfinite(g), g, plain)
        fin = np.isfinite(x) & np.isfinite(t)
        return X.refine(g, _cancels(g, ph, t) & fin, lambda v, y: 1 / (1 + X.exp(-v)) - y, x, t)


def _dd_ratio(a, b):
    """a/b as a double-double for any finite a, b != 0 (the mantissas divided, so no product underflows)."""
    with np.errstate(all="ignore"):
        am, ae = np.frexp(a)
        bm, be = np.frexp(np.where(b == 0, 1.0, b))
        qh, ql = _dd_div(am, np.zeros_like(am), bm, np.zeros_like(bm))
        return np.ldexp(qh, ae - be), np.ldexp(ql, ae - be)


def _cancels(v, *terms, bits=8):
    """True where |v| is below 2**-bits of the largest term (the double-double result may have lost its margin)."""
    m = np.abs(terms[0])
    for t in terms[1:]:
        m = np.maximum(m, np.abs(t))
    with np.errstate(invalid="ignore"):
        return np.isfinite(m) & (np.abs(v) < np.ldexp(m, -bits))


def _times(c: np.ndarray, v: np.ndarray) -> np.ndarray:
    """c·v with 0·(±inf) = 0 (the 0·log 0 = 0 convention)."""
    with np.errstate(invalid="ignore"):
        return np.where(c == 0, 0.0, c * v)


def _ratio(c: np.ndarray, p: np.ndarray) -> np.ndarray:
    """c/p with 0/0 = 0 and c/0 = inf (for c > 0)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(c == 0, 0.0, c / p)


def softmax_parts(z: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """log softmax, softmax and 1 - softmax over the last axis, from the exact vector kernels
    (actloss._vector): 1 - p is the double-double (D - E_i)/D rounded once, never 1 minus a rounded p."""
    from actloss._vector import _Soft, _row_kinds, log_softmax as _log_softmax, softmax as _softmax

    z = _arr(z)
    logp, p = _log_softmax(z), _softmax(z)
    one_minus = 1.0 - p
    c = z.shape[-1]
    z2 = z.reshape(-1, c)
    with np.errstate(all="ignore"):
        regular, _, _ = _row_kinds(z2)
        if regular.any():
            st = _Soft(np.where(regular[:, None], z2, 0.0), 1.0)
            wh, wl = st.w()
            om = np.where(regular[:, None], wh + wl, one_minus.reshape(-1, c))
            one_minus = om.reshape(z.shape)
    return logp, p, one_minus


def log_softmax(z: np.ndarray) -> np.ndarray:
    """The exact log_softmax kernel over the last axis."""
    from actloss._vector import log_softmax as _log_softmax

    return _log_softmax(_arr(z))


# ---------------------------------------------------------------------------
# regression losses (elementwise)
# ---------------------------------------------------------------------------

def _residual(pred, target):
    pred, target = _same_shape(pred, target)
    with np.errstate(invalid="ignore"):
        return pred, target, pred - target


@loss_kernel("mse", "l2")
def _mse_parts(pred, target):
    pred, target, r = _residual(pred, target)
    return Parts(r * r, "element", r.size, lambda: 2.0 * r, ["squared error"])


@loss_kernel("l1")
def _l1_parts(pred, target):
    pred, target, r = _residual(pred, target)
    return Parts(np.abs(r), "element", r.size, lambda: np.sign(r), ["absolute error"])


@loss_kernel("huber")
def _huber_parts(pred, target, delta=1.0):
    pred, target, r = _residual(pred, target)
    a = np.abs(r)
    items = np.where(a < delta, 0.5 * r * r, delta * (a - 0.5 * delta))
    return Parts(items, "element", r.size, lambda: np.clip(r, -delta, delta), [])


@loss_kernel("smooth_l1")
def _smooth_l1_parts(pred, target, beta=1.0):
    pred, target, r = _residual(pred, target)
    a = np.abs(r)
    if beta == 0.0:
        return Parts(a, "element", r.size, lambda: np.sign(r), ["beta 0: absolute error"])
    items = np.where(a < beta, 0.5 * r * r / beta, a - 0.5 * beta)
    return Parts(items, "element", r.size, lambda: np.where(a < beta, r / beta, np.sign(r)), [])


def _log_cosh(r: np.ndarray) -> np.ndarray:
    a = np.abs(r)
    with np.errstate(over="ignore", invalid="ignore"):
        small = np.log1p(2.0 * np.sinh(0.5 * np.minimum(a, 1.0)) ** 2)
        large = a + np.log1p(np.exp(-2.0 * a)) - LOG2
    return np.where(a < 1.0, small, large)


@loss_kernel("log_cosh")
def _log_cosh_parts(pred, target):
    pred, target, r = _residual(pred, target)
    return Parts(_log_cosh(r), "element", r.size, lambda: np.tanh(r), [])


@loss_kernel("gaussian_nll")
def _gaussian_nll_parts(pred, target, var=1.0, full=False, eps=1e-6):
    pred, target, r = _residual(pred, target)
    v = max(var, eps)
    with np.errstate(all="ignore"):
        # ½(log v + r²/v) in double-double: r = pred - target exactly, r² exactly, log v to ~2**-65
        rh, rl = two_sum(pred, -target)
        qh, ql = square(rh)
        qh, ql = _dd_div(qh, ql + 2.0 * rh * rl, np.float64(v), np.float64(0.0))
        lh, ll = _log2(np.float64(v), np.float64(0.0))
        sh, sl = two_sum(qh, lh)
        sl = sl + (ql + ll)
        if full:
            sh, e = two_sum(sh, 2.0 * HALF_LOG_2PI_DD[0])
            sl = sl + (e + 2.0 * HALF_LOG_2PI_DD[1])
        dd = 0.5 * (sh + sl)
        plain = 0.5 * (math.log(v) + r * r / v) + (HALF_LOG_2PI if full else 0.0)
        items = np.where(np.isfinite(dd), dd, plain)
        const = 2.0 * HALF_LOG_2PI if full else 0.0
        dv = X.D(v)

        def exact(p, t):
            out = (dv.ln() + (p - t) ** 2 / dv) / 2
            return out + ((2 * PI).ln() / 2 if full else 0)

        lo = np.where(np.isfinite(dd), 0.5 * ((sh - 2.0 * dd) + sl), 0.0)
        items = X.refine(items, _cancels(sh + sl, qh, lh, const) & np.isfinite(r), exact, pred, target, lo=lo)
    conventions = [f"variance {_num(v)}" + (f" (var clamped to eps {_num(eps)})" if v != var else "")]
    if full:
        conventions.append("with the constant ½·log 2π")

    def grad():
        with np.errstate(all="ignore"):
            g = _dd_div(rh, rl, np.float64(v), np.float64(0.0))
            out = g[0] + g[1]
            return np.where(np.isfinite(out), out, r / v)

    return Parts(items, "element", r.size, grad, conventions, lo=lo)


@loss_kernel("poisson_nll")
def _poisson_nll_parts(pred, target, log_input=True, full=False, eps=1e-8):
    pred, target = _same_shape(pred, target)
    bad = ~(target >= 0)
    if bad.any():
        v = target.ravel()[int(np.flatnonzero(bad.ravel())[0])]
        raise InputError(f"poisson_nll targets are counts (≥ 0), got {_num(v)} in target")
    if log_input:
        with np.errstate(all="ignore"):
            rate = np.exp(pred)
            plain = rate - _times(target, pred)
            # exp(x) - t·x in double-double, exactly where the two cancel
            eh, el = _exp2(pred)
            ph, pl = two_prod_scaled(target, pred)
            dd, lo = _dd_sub_pair(eh, el, ph, pl)
            items = np.where(np.isfinite(dd), dd, plain)
            lo = np.where(np.isfinite(dd) & np.isfinite(lo), lo, 0.0)
            fin = np.isfinite(pred) & np.isfinite(target)
            items = X.refine(items, _cancels(dd, eh, ph) & fin, lambda x, t: X.exp(x) - t * x, pred, target, lo=lo)

        def grad():
            with np.errstate(all="ignore"):
                g = _dd_sub(eh, el, target, 0.0)
                g = np.where(np.isfinite(g), g, rate - target)
                return X.refine(g, _cancels(g, eh, target) & fin, lambda x, t: X.exp(x) - t, pred, target)

        conventions = ["pred is the log rate (log input)"]
    else:
        bad = ~(pred >= 0)
        if bad.any():
            v = pred.ravel()[int(np.flatnonzero(bad.ravel())[0])]
            raise InputError(
                f"poisson_nll with {arg('log_input', False)} takes rates (≥ 0), got {_num(v)} in pred; "
                f"pass {arg('log_input', True)} if these are log rates"
            )
        with np.errstate(all="ignore"):
            # log(pred + eps) of the exact sum (PyTorch rounds pred + eps first)
            sh, sl = two_sum(pred, np.float64(eps))
            lh, ll = _log2(sh, sl)
            plain = pred - _times(target, np.log(pred + eps))
            th, tl = two_prod_scaled(target, lh)
            dd, lo = _dd_sub_pair(pred, 0.0, th, tl + target * ll)
            ok = np.isfinite(dd) & (target != 0)
            items = np.where(ok, dd, plain)
            lo = np.where(ok & np.isfinite(lo), lo, 0.0)
            fin = np.isfinite(pred) & np.isfinite(target) & (sh > 0) & (target != 0)
            de = X.D(eps)
            items = X.refine(items, _cancels(dd, pred, th) & fin, lambda p, t: p - t * X.log(p + de), pred, target, lo=lo)

        def grad():
            with np.errstate(all="ignore"):
                qh, ql = _dd_div(target, np.zeros_like(target), sh, sl)
                g = _dd_sub(1.0, 0.0, qh, ql)
                g = np.where(np.isfinite(g) & (target != 0), g, 1.0 - _ratio(target, pred + eps))
                return X.refine(g, _cancels(g, 1.0, qh) & fin, lambda p, t: 1 - t / (p + de), pred, target)

        conventions = [f"pred is the rate, log(pred + {_num(eps)}) of the exact sum"]
    if full:
        with np.errstate(all="ignore"):
            # Stirling's t·log t - t + ½·log(2πt) in double-double, added to the double-double item
            big = target > 1
            tt = np.where(big, target, 2.0)
            sLh, sLl = _log2(tt, np.zeros_like(tt))
            s_ah, s_al = two_prod(tt, sLh)
            s_al = s_al + tt * sLl
            s_bh, s_bl = two_sum(s_ah, -tt)
            s_bl = s_bl + s_al
            s_ch, s_cl = two_sum(sLh, 2.0 * HALF_LOG_2PI_DD[0])
            s_cl = s_cl + (sLl + 2.0 * HALF_LOG_2PI_DD[1])
            st_h, st_l = two_sum(s_bh, 0.5 * s_ch)
            st_l = st_l + (s_bl + 0.5 * s_cl)
            st_h, st_l = np.where(big, st_h, 0.0), np.where(big, st_l, 0.0)
            total, err = two_sum(items, st_h)
            tl = err + (lo + st_l)
            value = total + tl
            ok = np.isfinite(value) & np.isfinite(tl)
            lo = np.where(ok, tl - (value - total), lo)
            items = np.where(ok, value, items + st_h)
            base = X.exp if log_input else None
            de = X.D(eps)

            def exact(x, t):
                core = base(x) - t * x if log_input else x - t * X.log(x + de)
                return core + (t * t.ln() - t + (2 * PI * t).ln() / 2 if t > 1 else 0)

            fin = np.isfinite(pred) & np.isfinite(target) & big
            items = X.refine(items, fin & _cancels(items, total, st_h), exact, pred, target, lo=lo)
        conventions.append("with Stirling's term for targets > 1")
    return Parts(items, "element", pred.size, grad, conventions, lo=lo)


# ---------------------------------------------------------------------------
# margin losses (labels -1/1)
# ---------------------------------------------------------------------------

def _signed_labels(target: np.ndarray, name: str) -> tuple[np.ndarray, str]:
    ok_pm = (target == 1) | (target == -1)
    if ok_pm.all():
        return target, "labels in {-1, 1}"
    ok_01 = (target == 0) | (target == 1)
    if ok_01.all():
        return np.where(target == 0, -1.0, 1.0), "labels {0, 1} mapped to {-1, 1}"
    if (ok_pm | ok_01).all():
        raise InputError(f"{name} target mixes -1 and 0 labels: use -1/1 or 0/1, not both")
    v = target.ravel()[int(np.flatnonzero(~(ok_pm | ok_01)).ravel()[0])]
    raise InputError(f"{name} labels must be -1 or 1 (0 or 1 are mapped to -1 and 1), got {_num(v)} in target")


@loss_kernel("hinge")
def _hinge_parts(pred, target):
    pred, target = _same_shape(pred, target)
    y, labels = _signed_labels(target, "hinge")
    m = 1.0 - y * pred
    # autograd through clamp(1 - y·ŷ, min=0) passes the gradient at the boundary: -y at margin exactly 1
    return Parts(np.maximum(m, 0.0), "element", pred.size, lambda: np.where(m >= 0, -y, 0.0), [labels])


@loss_kernel("squared_hinge")
def _squared_hinge_parts(pred, target):
    pred, target = _same_shape(pred, target)
    y, labels = _signed_labels(target, "squared_hinge")
    m = np.maximum(1.0 - y * pred, 0.0)
    return Parts(m * m, "element", pred.size, lambda: -2.0 * y * m, [labels])


# ---------------------------------------------------------------------------
# binary classification (elementwise): bce, focal
# ---------------------------------------------------------------------------

def _binary_inputs(pred, target, logits: bool, name: str):
    pred, target = _same_shape(pred, target)
    if not logits:
        _in_unit_interval(pred, "pred", LOGITS_HINT)
    _in_unit_interval(target, "target", f"{name} targets are labels 0/1 or probabilities")
    return pred, target


def _bce_terms(pred, target, logits: bool):
    """Per-element cross-entropy, p and q = 1 - p (accurate in both tails)."""
    if logits:
        items = _times(target, softplus(-pred)) + _times(1.0 - target, softplus(pred))
        p, q = sigmoid(pred), sigmoid(-pred)
    else:
        with np.errstate(divide="ignore"):
            items = -(_times(target, np.log(pred)) + _times(1.0 - target, np.log1p(-pred)))
        p, q = pred, 1.0 - pred
    return items, p, q


def _pos_weights(pos_weight, pred: np.ndarray, logits: bool) -> np.ndarray | None:
    if pos_weight is None:
        return None
    if not logits:
        raise InputError(f"{arg('pos_weight')} needs {arg('logits', True)} (PyTorch has it on BCEWithLogitsLoss only)")
    w = np.asarray(pos_weight, dtype=np.float64).reshape(-1)
    c = pred.shape[-1] if pred.ndim else 1
    if w.size not in (1, c):
        raise ShapeError(
            f"{arg('pos_weight')} has {w.size} numbers but pred has {c} classes (its last axis): give one weight per class, or one for all"
        )
    return np.broadcast_to(w, pred.shape) if pred.ndim else np.float64(w[0])


@loss_kernel("bce")
def _bce_parts(pred, target, logits=False, pos_weight=None):
    pred, target = _binary_inputs(pred, target, logits, "bce")
    pw = _pos_weights(pos_weight, pred, logits)
    items, p, q = _bce_terms(pred, target, logits)
    conventions = ["logits (raw scores)" if logits else "probabilities"]
    if pw is not None:
        with np.errstate(invalid="ignore"):
            items = _times(pw * target, softplus(-pred)) + _times(1.0 - target, softplus(pred))
        conventions.append("positive weights " + ", ".join(_num(v) for v in np.ravel(pos_weight).tolist()))

    def grad():
        if logits and pw is None:
            return _sigmoid_minus(pred, target)
        if logits:
            # (1 - t)·σ(x) - w·t·σ(-x) in double-double, exact where the two cancel
            with np.errstate(all="ignore"):
                ph, pl, qh, ql = _sigmoid_dd(pred)
                oh, ol = two_sum(1.0, -target)
                t1h, t1l = _ddmul(oh, ol, ph, pl)
                wth, wtl = two_prod(pw, target)
                t2h, t2l = _ddmul(wth, wtl, qh, ql)
                g = _dd_sub(t1h, t1l, t2h, t2l)
                fin = np.isfinite(pred) & np.isfinite(g)

                def exact(x, t, w):
                    return (1 - t) / (1 + (-x).exp()) - w * t / (1 + x.exp())

                return X.refine(g, fin & _cancels(g, t1h, t2h), exact, pred, target, pw)
        with np.errstate(divide="ignore", invalid="ignore"):
            inner = (pred - target) / (pred * q)
            edge = -_ratio(target, pred) + _ratio(1.0 - target, q)
        return np.where((pred > 0) & (pred < 1), inner, edge)

    return Parts(items, "element", pred.size, grad, conventions)


def _focal_grad_exact(gamma, alpha, logits):
    g = X.D(gamma)
    al = X.D(alpha)

    def fn(x, t):
        if logits:
            p = 1 / (1 + (-x).exp())
            q = 1 / (1 + x.exp())
            dce, dp = p - t, p * q
        else:
            p, q = x, 1 - x
            dce, dp = -t / p + (1 - t) / q, 1
        ce = -(t * p.ln() + (1 - t) * q.ln()) if (t != 0 and t != 1) else (-(q.ln()) if t == 0 else -(p.ln()))
        u = t * q + (1 - t) * p
        at = al * t + (1 - al) * (1 - t) if alpha >= 0 else 1
        return at * (g * u ** (g - 1) * (1 - 2 * t) * dp * ce + u**g * dce)

    return fn


@loss_kernel("focal")
def _focal_parts(pred, target, gamma=2.0, alpha=0.25, logits=False):
    pred, target = _binary_inputs(pred, target, logits, "focal")
    ce, p, q = _bce_terms(pred, target, logits)
    with np.errstate(all="ignore"):
        # every factor in double-double: 1 - t, 1 - p_t = t·q + (1 - t)·p, α_t, (1 - p_t)^γ
        oh, ol = two_sum(1.0, -target)
        if logits:
            ph, pl, qh, ql = _sigmoid_dd(pred)
            c1, c2 = softplus(-pred), softplus(pred)
        else:
            ph, pl = pred, np.zeros_like(pred)
            qh, ql = two_sum(1.0, -pred)
            c1, c2 = -np.log(pred), -np.log1p(-pred)
        uh, ul = _ddadd(*_ddmul(target, 0.0, qh, ql), *_ddmul(oh, ol, ph, pl))
        u = uh + ul
        ul = ul - (u - uh)
        uh = u
        mod = np.where(uh > 0, u**gamma * (1.0 + gamma * ul / np.where(uh > 0, u, 1.0)), u**gamma)
        if alpha >= 0:
            ah, al = _ddadd(*two_prod(np.float64(alpha), target), *_ddmul(np.float64(1.0 - alpha), 0.0, oh, ol))
        else:
            ah, al = np.ones_like(target), np.zeros_like(target)
        eh, el = _ddadd(*_ddmul(target, 0.0, c1, 0.0), *_ddmul(oh, ol, c2, 0.0))
        mh, ml = _ddmul(ah, al, mod, 0.0)
        vh, vl = _ddmul(mh, ml, eh, el)
        dd = vh + vl
        a = ah + al
        plain = a * np.where(np.isinf(ce) & (u > 0), np.inf, _times(u**gamma, ce))
        items = np.where(np.isfinite(dd) & np.isfinite(ce), dd, plain)
        # (1 - p_t)^γ may underflow to 0 while the cross-entropy is infinite: the loss is infinite
        items = np.where(np.isinf(ce) & (u > 0), np.inf, items)
    mod = np.where(np.isfinite(mod), mod, u**gamma)
    conventions = ["logits (raw scores)" if logits else "probabilities"]
    if alpha < 0:
        conventions.append("no alpha weighting")

    def grad():
        with np.errstate(divide="ignore", invalid="ignore"):
            # d ce/d input and d(1 - p_t)/d input, for logits x or probabilities p
            if logits:
                dce = _sigmoid_minus(pred, target)
                du = (1.0 - 2.0 * target) * p * q
            else:
                inner = (pred - target) / (pred * q)
                edge = -_ratio(target, pred) + _ratio(1.0 - target, q)
                dce = np.where((pred > 0) & (pred < 1), inner, edge)
                du = 1.0 - 2.0 * target
            dmod = np.where(u == 0, 0.0, gamma * u ** (gamma - 1.0)) if gamma != 0 else np.zeros_like(u)
            t1, t2 = _times(mod, dce), _times(dmod * du, ce)
            g = a * (t1 + t2)
            # the same in double-double: (1 - p_t)^γ = exp(γ·log u), γ·(1 - p_t)^γ/u·du·ce + (1 - p_t)^γ·dce
            if gamma != 0:
                Lh, Ll = _log2(np.where(uh > 0, uh, 1.0), np.where(uh > 0, ul, 0.0))
                gh, ge = two_prod(np.float64(gamma), Lh)
                xh = np.clip(gh, -2.0e4, 700.0)
                em, eml, ek = _exp_dd(xh, np.where(gh == xh, ge + gamma * Ll, 0.0))
                mdh, mdl = np.ldexp(em, ek), np.ldexp(eml, ek)
                rh, rl = _dd_div(mdh, mdl, np.where(uh > 0, uh, 1.0), np.where(uh > 0, ul, 0.0))
            else:
                mdh, mdl = np.ones_like(uh), np.zeros_like(uh)
                rh, rl = np.zeros_like(uh), np.zeros_like(uh)
                gh = np.zeros_like(uh)
            bh, bl = two_sum(1.0, -2.0 * target)
            if logits:
                duh, dul = _ddmul(bh, bl, *_ddmul(ph, pl, qh, ql))
            else:
                duh, dul = bh, bl
            s2h, s2l = _ddmul(*_ddmul(*_ddmul(rh, rl, duh, dul), eh, el), np.float64(gamma), 0.0)
            s1h, s1l = _ddmul(mdh, mdl, dce, 0.0)
            gsh, gsl = _ddadd(s1h, s1l, s2h, s2l)
            gdd = _ddmul(ah, al, gsh, gsl)
            gdd = gdd[0] + gdd[1]
            ok = np.isfinite(gdd) & (uh > 0) & np.isfinite(dce) & np.isfinite(eh) & (np.abs(gh) < 700.0)
            g = np.where(ok, gdd, g)
            # the two terms have opposite signs only for soft targets, and cancel at the optimum:
            # recompute exactly where the double-double sum has lost its margin (or was not formed)
            fin = np.isfinite(t1) & np.isfinite(t2) & (u > 0)
            opposite = np.sign(t1) * np.sign(t2) < 0
            redo = fin & opposite & (~ok | _cancels(gsh + gsl, s1h, s2h))
            g = X.refine(g, redo, _focal_grad_exact(gamma, alpha, logits), pred, target)
            # at p = 0 or 1 the cross-entropy's 1/p beats its log: the gradient is dce's infinity
            return np.where(np.isinf(dce) & (u > 0), a * dce, g)

    return Parts(items, "element", pred.size, grad, conventions)


# ---------------------------------------------------------------------------
# multi-class classification: ce, nll
# ---------------------------------------------------------------------------

def _weights(weight, n_classes: int) -> np.ndarray | None:
    if weight is None:
        return None
    w = np.asarray(weight, dtype=np.float64).reshape(-1)
    if w.size != n_classes:
        raise ShapeError(
            f"{arg('weight')} has {w.size} number{'s' if w.size != 1 else ''} but pred has {n_classes} classes "
            "(its last axis): give one weight per class"
        )
    return w


def _class_indices(pred: np.ndarray, target: np.ndarray, name: str, ignore_index: int | None = None):
    """Class indices as int64 (ignored ones replaced by 0) and the mask of the samples that count."""
    c = pred.shape[-1]
    ok = np.isfinite(target) & (target == np.round(target))
    if not ok.all():
        v = target.ravel()[int(np.flatnonzero(~ok.ravel())[0])]
        raise InputError(
            f"target {_num(v)} is not a class index: a target of shape {shape_text(target.shape)} holds class indices "
            f"0 to {c - 1}; give class probabilities of the shape of pred for soft labels"
        )
    keep = np.ones(target.shape, dtype=bool) if ignore_index is None else target != ignore_index
    bad = ((target < 0) | (target >= c)) & keep
    if bad.any():
        v = target.ravel()[int(np.flatnonzero(bad.ravel())[0])]
        skip = f"; targets equal to {arg('ignore_index')} ({ignore_index}) are skipped" if ignore_index is not None else ""
        raise InputError(f"target class index {_num(v)} is out of range for {c} classes (valid: 0 to {c - 1}){skip}")
    return np.where(keep, target, 0).astype(np.int64), keep


def _class_axis_last(pred: np.ndarray, target: np.ndarray, name: str, allow_distributions: bool = True):
    """PyTorch's layout: (C,), (N, C) or (N, C, d1, ...), the class axis 1 (0 for a single sample).

    Returns pred and target with the class axis moved last, the kind of target ('indices' or
    'distributions') and a function moving a gradient back to pred's layout.
    """
    if pred.ndim == 0:
        raise ShapeError(
            f"{name} needs pred with a class axis, got a single number; for one binary probability use bce"
        )
    axis = 1 if pred.ndim >= 2 else 0
    c = pred.shape[axis]
    idx_shape = pred.shape[:axis] + pred.shape[axis + 1:]
    if target.shape == idx_shape:
        kind = "indices"
    elif allow_distributions and target.shape == pred.shape:
        kind = "distributions"
    else:
        layout = "" if pred.ndim <= 2 else " (N, C, d1, ...: classes on axis 1)"
        got = shape_text(target.shape)
        if allow_distributions:
            raise ShapeError(
                f"pred has shape {shape_text(pred.shape)}{layout}: expected target class indices of shape "
                f"{shape_text(idx_shape)} or class probabilities of shape {shape_text(pred.shape)}, got {got}"
            )
        raise ShapeError(
            f"pred has shape {shape_text(pred.shape)}{layout}: expected target class indices of shape "
            f"{shape_text(idx_shape)}, got {got}; for class probabilities use ce"
        )
    if pred.ndim <= 2:
        return pred, target, kind, c, (lambda g: g)
    p = np.moveaxis(pred, 1, -1)
    t = np.moveaxis(target, 1, -1) if kind == "distributions" else target
    return p, t, kind, c, (lambda g: np.moveaxis(g, -1, 1))


def _target_kind(pred: np.ndarray, target: np.ndarray, name: str, allow_distributions: bool = True) -> str:
    return _class_axis_last(pred, target, name, allow_distributions)[2]


def _weights_text(w: np.ndarray) -> str:
    return "class weights " + ", ".join(_num(v) for v in w.tolist())


def _coefficients(shape, target, kind, w, smoothing, keep):
    """A (as a double-double) with loss_n = -Σ_c A[n, c]·log p[n, c]: PyTorch's weights and label smoothing,
    (1 - ε)·w_y·[c = y] + ε/C·w_c for class indices, w_c·((1 - ε)·t_c + ε/C) for distributions."""
    c = shape[-1]
    w_row = np.ones(c) if w is None else w
    oh, ol = two_sum(1.0, -np.float64(smoothing))
    eh, el = _dd_div(np.float64(smoothing), np.float64(0.0), np.float64(c), np.float64(0.0))
    if kind == "indices":
        onehot = np.zeros(shape)
        np.put_along_axis(onehot, target[..., None], 1.0, axis=-1)
        wy = w_row[target] * keep
        ah, al = _ddmul(oh, ol, wy, 0.0)
        Ah, Al = onehot * ah[..., None], onehot * al[..., None]
        if smoothing:
            sh, sl = _ddmul(eh, el, w_row, 0.0)
            Ah, Al = _ddadd(Ah, Al, sh * keep[..., None], sl * keep[..., None])
    else:
        th, tl = _ddmul(oh, ol, target, 0.0)
        th, tl = _ddadd(th, tl, eh, el)
        Ah, Al = _ddmul(th, tl, w_row, 0.0)
    A = Ah + Al
    return A, Al - (A - Ah)


def _cross_entropy(logp, A, Al):
    """-Σ_c A·log p per row, as (rounded, rounding error): non-negative terms, a double-double sum."""
    with np.errstate(all="ignore"):
        ph, pl = two_prod_scaled(A, logp)
        pl = pl + Al * logp
        fin = np.isfinite(ph) & np.isfinite(pl)
        th = np.where(A == 0, 0.0, np.where(fin, ph, A * logp))
        tl = np.where(fin & (A != 0), pl, 0.0)
        items, lo = _row_sum_dd(-th, -tl)
        lo = np.where(np.isfinite(items), lo, 0.0)
    return items, lo


def _mean_of(kind, A_shape, w, target, keep):
    if kind == "indices":
        if w is not None:
            den = math.fsum(np.ravel(w[target] * keep).tolist())
            return den, f"(divided by the sum of their class weights, {_num(den)})"
        n = int(np.count_nonzero(keep))
        if n != keep.size:
            return float(n), f"(the {n} not ignored)"
        return float(n), ""
    return float(int(np.prod(A_shape[:-1]))), ""


def _normalized(a: np.ndarray):
    """a divided by its row sums (math.fsum, correctly rounded; then one division), and the sums."""
    flat = a.reshape(-1, a.shape[-1])
    sums = np.array([math.fsum(r) for r in flat.tolist()]).reshape(a.shape[:-1] + (1,))
    with np.errstate(divide="ignore", invalid="ignore"):
        return a / sums, sums


def _through_normalize(g: np.ndarray, a: np.ndarray, sums: np.ndarray, g_lo: np.ndarray | None = None) -> np.ndarray:
    """The gradient w.r.t. a from the gradient g (+ g_lo) w.r.t. n = a/Σa: (g - Σ_j g_j·a_j/Σa)/Σa,
    the dot product exact (math.fsum of exact products) and the difference in double-double."""
    g_lo = np.zeros_like(g) if g_lo is None else g_lo
    with np.errstate(invalid="ignore"):
        c = g.shape[-1]
        flat_g, flat_l, flat_n = g.reshape(-1, c), g_lo.reshape(-1, c), a.reshape(-1, c)
        dh, dl = [], []
        for gr, lr, nr in zip(flat_g, flat_l, flat_n):
            if np.isfinite(gr).all():
                h, l = two_prod(gr, nr)
                pieces = h.tolist() + l.tolist() + (lr * nr).tolist()
                d = math.fsum(pieces)
                dh.append(d)
                dl.append(math.fsum(pieces + [-d]))
            else:
                dh.append(float(np.sum(gr * nr)))
                dl.append(0.0)
        shape = g.shape[:-1] + (1,)
        dot, dot_lo = _dd_div(np.array(dh).reshape(shape), np.array(dl).reshape(shape), sums, np.zeros_like(sums))
        diff = _dd_sub(g, g_lo, dot, dot_lo)
        return np.where(np.isfinite(diff), diff, g - dot) / sums


def _softmax_grad_term(z, A, Al, kind, target, w, smoothing, keep):
    """softmax(z)·ΣA - A, per entry: p·(ΣA - A) - A·(1 - p) in double-double from the exact softmax pieces,
    recomputed exactly (decimal) where the two products cancel (a soft target close to the softmax)."""
    from actloss._vector import _Soft, _row_kinds

    c = z.shape[-1]
    z2, A2, Al2 = z.reshape(-1, c), A.reshape(-1, c), Al.reshape(-1, c)
    with np.errstate(all="ignore"):
        SAh, SAl = _row_sum_dd(A2, Al2)
        Rh, Rl = two_sum(SAh[:, None], -A2)
        Rl = Rl + (SAl[:, None] - Al2)
        regular, _, _ = _row_kinds(z2)
        st = _Soft(np.where(regular[:, None], z2, 0.0), 1.0)
        qh, ql = st.q()
        wh, wl = st.w()
        t1h, t1l = _ddmul(qh, ql, Rh, Rl)
        t1h, t1l = np.ldexp(t1h, st.k), np.ldexp(t1l, st.k)
        t2h, t2l = _ddmul(A2, Al2, wh, wl)
        g = _dd_sub(t1h, t1l, t2h, t2l)
        # rows with ±inf or nan: the limits, as the softmax kernel gives them
        from actloss._vector import softmax as _softmax

        p = _softmax(z2)
        plain = _times(Rh, p) - _times(A2, 1.0 - p)
        g = np.where(regular[:, None] & np.isfinite(g), g, plain)
        cancel = _cancels(g, t1h, t2h) & regular[:, None]
    if cancel.any():
        t2 = target.reshape(-1) if kind == "indices" else target.reshape(-1, c)
        k2 = keep.reshape(-1)
        w_row = [X.D(v) for v in (np.ones(c) if w is None else w).tolist()]
        for r in np.flatnonzero(cancel.any(axis=1)):
            exact = _exact_softmax_term(z2[r], t2[r], kind, w_row, smoothing, bool(k2[r]))
            for i in np.flatnonzero(cancel[r]):
                g[r, i] = float(exact[i])
    return g.reshape(z.shape)


def _exact_softmax_term(z, t, kind, w, smoothing, keep):
    def fn():
        c = len(z)
        zs = [X.D(v) for v in z.tolist()]
        m = max(zs)
        e = [(v - m).exp() for v in zs]
        S = sum(e)
        eps = X.D(smoothing)
        if not keep:
            A = [X.Decimal(0)] * c
        elif kind == "indices":
            A = [eps / c * w[j] + ((1 - eps) * w[j] if j == int(t) else 0) for j in range(c)]
        else:
            A = [w[j] * ((1 - eps) * X.D(t[j]) + eps / c) for j in range(c)]
        SA = sum(A)
        return [e[j] / S * SA - A[j] for j in range(c)]

    from decimal import localcontext

    vals = [X.D(v) for v in np.ravel(z).tolist() + np.ravel(t).tolist()]
    tiny = [-v.adjusted() for v in vals if v.is_finite() and v != 0]
    with localcontext() as ctx:
        ctx.prec = min(X.MAX_DIGITS, 80 + 2 * max([0] + tiny))
        return fn()


@loss_kernel("ce")
def _ce_parts(pred, target, logits=False, label_smoothing=0.0, weight=None, ignore_index=-100, normalize=False):
    pred, target = _arr(pred), _arr(target)
    _nonempty(pred, target)
    pred, target, kind, c, back = _class_axis_last(pred, target, "ce")
    w = _weights(weight, c)
    keep = None
    if kind == "indices":
        target, keep = _class_indices(pred, target, "ce", int(ignore_index))
    else:
        if normalize:
            target, _ = _normalized(target)
        _distribution(target, "target", "class-probability targets are distributions; or give class indices of the "
                      "shape of pred without its class axis", normalizable=True)
        keep = np.ones(pred.shape[:-1], dtype=bool)
    sums = None
    if logits:
        from actloss._vector import log_softmax as _log_softmax

        logp = _log_softmax(pred)
    else:
        if normalize:
            raw = pred
            pred, sums = _normalized(pred)
        _distribution(pred, "pred", LOGITS_HINT, normalizable=True)
        with np.errstate(divide="ignore"):
            logp = np.log(pred)
    A, Al = _coefficients(pred.shape, target, kind, w, label_smoothing, keep)
    items, lo = _cross_entropy(logp, A, Al)
    denominator, note = _mean_of(kind, pred.shape, w, target, keep)

    def grad():
        with np.errstate(all="ignore"):
            if logits:
                g = _softmax_grad_term(pred, A, Al, kind, target, w, label_smoothing, keep)
            else:
                qh, ql = _dd_div(A, Al, pred, np.zeros_like(pred))
                g = np.where(A == 0, 0.0, 0.0 - (qh + ql))
                g = np.where((pred == 0) & (A > 0), -np.inf, g)
                if sums is not None:
                    g_lo = np.where(np.isfinite(g) & (A != 0), -((qh - (0.0 - g)) + ql), 0.0)
                    g = _through_normalize(g, raw, sums, g_lo)
        return back(g)

    conventions = ["logits (raw scores)" if logits else "probabilities",
                   "class indices" if kind == "indices" else "class probabilities"]
    if normalize and not logits:
        conventions.append("rows divided by their sums")
    if label_smoothing:
        conventions.append(f"label smoothing {_num(label_smoothing)}")
    if w is not None:
        conventions.append(_weights_text(w))
    if kind == "indices" and not keep.all():
        conventions.append(f"{keep.size - int(np.count_nonzero(keep))} ignored (target {int(ignore_index)})")
    return Parts(items, "sample", denominator, grad, conventions, note, lo=lo)


@loss_kernel("nll")
def _nll_parts(pred, target, weight=None, ignore_index=-100):
    pred, target = _arr(pred), _arr(target)
    _nonempty(pred, target)
    pred, target, kind, c, back = _class_axis_last(pred, target, "nll", allow_distributions=False)
    w = _weights(weight, c)
    target, keep = _class_indices(pred, target, "nll", int(ignore_index))
    hint = f"nll takes log-probabilities (log_softmax output); for probabilities use ce, for raw scores ce with {arg('logits', True)}"
    bad = ~(pred <= 0)
    if bad.any():
        i = int(np.flatnonzero(bad.ravel())[0])
        raise InputError(f"pred holds {_num(pred.ravel()[i])}, above 0: {hint}")
    sums = np.sum(np.exp(pred), axis=-1)
    off = np.abs(sums - 1.0) > TOLERANCE
    if off.any():
        i = int(np.flatnonzero(np.atleast_1d(off).ravel())[0])
        s = float(np.atleast_1d(sums).ravel()[i])
        where = f"row {i + 1} of pred" if pred.ndim >= 2 else "pred"
        raise InputError(f"exp({where}) sums to {s:.7g}, not 1: {hint}")
    A, Al = _coefficients(pred.shape, target, "indices", w, 0.0, keep)
    items, lo = _cross_entropy(pred, A, Al)
    denominator, note = _mean_of("indices", pred.shape, w, target, keep)
    conventions = ["log-probabilities", "class indices"]
    if w is not None:
        conventions.append(_weights_text(w))
    if not keep.all():
        conventions.append(f"{keep.size - int(np.count_nonzero(keep))} ignored (target {int(ignore_index)})")
    return Parts(items, "sample", denominator, lambda: back(0.0 - A), conventions, note, lo=lo)


# ---------------------------------------------------------------------------
# distributions and vectors: kl, js, cosine
# ---------------------------------------------------------------------------

def _phi(y: np.ndarray) -> np.ndarray:
    """(1 + y)·log(1 + y) - y, accurate near y = 0 (series) and exact at y = -1."""
    with np.errstate(divide="ignore", invalid="ignore"):
        direct = _times(1.0 + y, np.log1p(y)) - y
    small = np.abs(y) < 0.25
    if small.any():
        ys = np.where(small, y, 0.0)
        # sum_{k>=2} (-1)^k y^k / (k (k-1)), Horner from the top
        acc = np.zeros_like(ys)
        for k in range(28, 1, -1):
            acc = acc * ys + (-1.0) ** k / (k * (k - 1))
        direct = np.where(small, acc * ys * ys, direct)
    return direct


def _kl_pieces(target: np.ndarray, pred: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """sum_c t log(t/p) per row as exact sums of non-negative pieces t·log(t/p) - t + p:
    p·phi(t/p - 1) by its series where t ≈ p, t·log(t/p) - (t - p) in double-double elsewhere.
    Returns the rounded row sums and their rounding errors (for exact sums over rows)."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        y = (target - pred) / pred
        small = np.abs(y) < 0.25
        series = pred * _phi(np.where(small, y, 0.0))
        # t·log(t/p) - (t - p): log(t/p) = log(r) + r_lo/r, r = t/p as a double-double
        rh, rl = _dd_div(target, np.zeros_like(target), pred, np.zeros_like(pred))
        huge = ~(np.isfinite(rh) & (rh > 2.0**-1000) & (rh < 2.0**1000))
        Lh, Ll = _log2(np.where(huge, 1.0, rh), np.where(huge, 0.0, rl))  # log(t/p) as a double-double
        Lh = np.where(huge, np.log(target) - np.log(pred), Lh)
        Ll = np.where(huge, 0.0, Ll)
        th, tl = two_prod_scaled(target, Lh)
        tl = tl + target * Ll
        dh, dl = two_sum(target, -pred)
        a, ae = two_sum(th, -dh)
        b = ae + (tl - dl)
        hi = np.where(small, series, a)
        lo = np.where(small | ~np.isfinite(b), 0.0, b)
        hi = np.where(target == 0, pred, hi)  # 0·log 0 = 0: the piece is p
        lo = np.where(target == 0, 0.0, lo)
        hi = np.where((pred == 0) & (target != 0), np.inf, hi)
    c = hi.shape[-1]
    h2, l2 = hi.reshape(-1, c), lo.reshape(-1, c)
    t2, p2 = target.reshape(-1, c), pred.reshape(-1, c)
    out = np.empty(h2.shape[0])
    err = np.zeros(h2.shape[0])
    for i in range(h2.shape[0]):
        row = h2[i].tolist() + l2[i].tolist() + t2[i].tolist() + (-p2[i]).tolist()
        if not np.isfinite(h2[i]).all():
            out[i] = np.inf if not np.isnan(h2[i]).any() else np.nan
            continue
        out[i] = math.fsum(row)
        err[i] = math.fsum(row + [-out[i]])
    return out.reshape(hi.shape[:-1]), err.reshape(hi.shape[:-1])


def _kl_items(target: np.ndarray, pred: np.ndarray) -> np.ndarray:
    return _kl_pieces(target, pred)[0]


def _normalize_both(pred, target, normalize):
    """(normalized pred, normalized target, (raw pred, row sums of pred)) or the inputs as they are."""
    if not normalize:
        return pred, target, None
    pn, sums = _normalized(pred)
    tn, _ = _normalized(target)
    return pn, tn, (pred, sums)


@loss_kernel("kl")
def _kl_parts(pred, target, normalize=False):
    pred, target = _vectors(pred, target, "kl")
    pred, target, sums = _normalize_both(pred, target, normalize)
    _distribution(pred, "pred", "kl compares two probability distributions (apply softmax to raw scores first)", True)
    _distribution(target, "target", "kl compares two probability distributions", True)
    items, lo = _kl_pieces(target, pred)

    def grad():
        g = 0.0 - _ratio(target, pred)
        if sums is None:
            return g
        with np.errstate(all="ignore"):
            qh, ql = _dd_ratio(target, pred)
            g_lo = np.where(np.isfinite(g) & (target != 0), -((qh + g) + ql), 0.0)
        return _through_normalize(g, sums[0], sums[1], g_lo)

    conventions = ["KL(target ‖ pred)", "probability distributions"] + (["rows divided by their sums"] if normalize else [])
    return Parts(items, "sample", float(items.size), grad, conventions, lo=lo)


def _js_g(x: np.ndarray) -> np.ndarray:
    """(1 + x)·log(1 + x) + (1 - x)·log(1 - x) for |x| <= 1, without cancellation."""
    with np.errstate(divide="ignore", invalid="ignore"):
        out = 2.0 * x * np.arctanh(x) + np.log1p(-x * x)
    small = np.abs(x) < 0.5
    if small.any():
        xs = np.where(small, x, 0.0)
        x2 = xs * xs
        acc = np.zeros_like(xs)
        for k in range(40, 0, -1):  # sum_{k>=1} x^(2k) / (k (2k - 1))
            acc = acc * x2 + 1.0 / (k * (2 * k - 1))
        out = np.where(small, acc * x2, out)
    return np.where(np.abs(x) == 1.0, 2.0 * LOG2, out)


@loss_kernel("js")
def _js_parts(pred, target, normalize=False):
    pred, target = _vectors(pred, target, "js")
    pred, target, sums = _normalize_both(pred, target, normalize)
    _distribution(pred, "pred", "js compares two probability distributions (apply softmax to raw scores first)", True)
    _distribution(target, "target", "js compares two probability distributions", True)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        sh, sl = two_sum(pred, target)
        dh, dl = two_sum(target, -pred)
        zero = sh == 0
        xh, xl = _dd_div(dh, dl, np.where(zero, 1.0, sh), np.where(zero, 0.0, sl))
        x = np.where(zero, 0.0, xh + xl)  # (t - p)/(t + p) to ~1 ulp
        small = np.abs(x) < 0.5
        # |x| < 1/2: ¼·s·g(x), g by its series; elsewhere ½[t·log(2t/s) + p·log(2p/s)] (the two logs
        # differ in sign but the first is the larger by a factor of at least 2: no cancellation)
        series = 0.25 * sh * _js_g(np.where(small, x, 0.0))

        def half_log_ratio(a):
            """½·log(2a/s) from the double-double ratio 2a/s."""
            rh, rl = _dd_div(2.0 * a, np.zeros_like(a), np.where(zero, 1.0, sh), np.where(zero, 0.0, sl))
            return 0.5 * (np.log(rh) + rl / rh)

        lt, lp = half_log_ratio(target), half_log_ratio(pred)
        direct = _times(target, lt) + _times(pred, lp)
        terms = np.where(zero, 0.0, np.where(small, series, direct))
    items = np.array([math.fsum(r.tolist()) for r in terms.reshape(-1, terms.shape[-1])]).reshape(terms.shape[:-1])

    def grad():
        # dJS/dq_i = ½·log(2q_i / (p_i + q_i)) = ½·log1p(-x); ½·log 2 where both are 0
        with np.errstate(divide="ignore", invalid="ignore"):
            near = 0.5 * (np.log1p(-xh) - xl / (1.0 - xh))
            g = np.where(small, near, lp)
        g = np.where(zero, 0.5 * LOG2, g)
        return g if sums is None else _through_normalize(g, sums[0], sums[1])

    conventions = ["natural log (nats)", "probability distributions"] + (["rows divided by their sums"] if normalize else [])
    return Parts(items, "sample", float(items.size), grad, conventions)


def _row_sum_dd(h: np.ndarray, l: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sum along the last axis of double-doubles (h, l), as a double-double: a pairwise two_sum tree
    (log2(n) vector steps), each step's rounding errors carried in the low part."""
    h = np.asarray(h, dtype=np.float64)
    l = np.broadcast_to(np.asarray(l, dtype=np.float64), h.shape)
    with np.errstate(invalid="ignore", over="ignore"):
        sh, sl = sum_rows(h, l)
        r = sh + sl
        lo = sl - (r - sh)
        bad = ~np.isfinite(r)
        if bad.any():  # an infinite term: the plain sum (inf, or nan for inf - inf)
            r = np.where(bad, np.sum(h, axis=-1), r)
            lo = np.where(bad, 0.0, lo)
    return r, lo


def _unit(v: np.ndarray, name: str):
    """v/|v| along the last axis as double-doubles (uh, ul), and |v| (rows scaled by a power of 2 first)."""
    m = np.max(np.abs(v), axis=-1, keepdims=True)
    zero = ~(m > 0)
    if zero.any():
        i = int(np.flatnonzero(zero.ravel())[0])
        where = f" (row {i + 1})" if v.ndim >= 2 else ""
        raise InputError(f"{name} is a zero vector{where}: the cosine similarity is undefined")
    _, ex = np.frexp(m)
    s = np.ldexp(v, -ex)  # exact; the largest entry in [0.5, 1)
    qh, ql = square(s)
    nh, nl = _row_sum_dd(qh, ql)  # |s|² exactly to ~2**-106
    r = np.sqrt(nh)
    rr, rre = square(r)
    rl = ((nh - rr) - rre + nl) / (2.0 * r)  # |s| = r + rl
    uh, ul = _dd_div(s, np.zeros_like(s), r[..., None], rl[..., None])
    return uh, ul, np.ldexp(r + rl, ex[..., 0])


@loss_kernel("cosine")
def _cosine_parts(pred, target):
    pred, target = _vectors(pred, target, "cosine")
    bad = ~np.isfinite(pred) | ~np.isfinite(target)
    if bad.any():
        raise InputError("cosine needs finite numbers in pred and target")
    ph, pl, pn = _unit(pred, "pred")
    th, tl, _ = _unit(target, "target")
    # 1 - cos = ½|p̂ - t̂|², the unit vectors and their difference in double-double (no cancellation near cos = 1)
    dh, dl = two_sum(ph, -th)
    dl = dl + (pl - tl)
    d = dh + dl
    dl = dl - (d - dh)
    qh, ql = square(d)
    sh, sl = _row_sum_dd(qh, ql + 2.0 * d * dl)
    items = 0.5 * sh
    lo = 0.5 * sl

    def grad():
        # -(t̂ - cos·p̂)/|p| = (d - (1 - cos)·p̂)/|p| with d = p̂ - t̂ (cos > 0), and
        # = -(a - (1 + cos)·p̂)/|p| with a = p̂ + t̂, 1 + cos = ½|a|² (cos < 0): no cancellation either way
        g = (d - items[..., None] * ph) + (dl - items[..., None] * pl - lo[..., None] * ph)
        ah, al = two_sum(ph, th)
        al = al + (pl + tl)
        a = ah + al
        al = al - (a - ah)
        bh, bl = square(a)
        sh2, sl2 = _row_sum_dd(bh, bl + 2.0 * a * al)
        sig, sigl = 0.5 * sh2, 0.5 * sl2
        ga = -((a - sig[..., None] * ph) + (al - sig[..., None] * pl - sigl[..., None] * ph))
        return np.where((items > 1.0)[..., None], ga, g) / pn[..., None]

    return Parts(items, "sample", float(items.size), grad, ["1 − cosine similarity over the last axis"], lo=lo)


# ---------------------------------------------------------------------------
# quantile, soft margins, multi-margin, dice
# ---------------------------------------------------------------------------

@loss_kernel("quantile")
def _quantile_parts(pred, target, tau=0.5):
    pred, target = _same_shape(pred, target)
    with np.errstate(all="ignore"):
        rh, rl = two_sum(target, -pred)  # r = y - ŷ exactly
        r = rh + rl
        c = np.where(r >= 0, tau, tau - 1.0)
        ph, pl = two_prod_scaled(c, rh)
        items = ph + (pl + c * rl)
        items = np.where(np.isfinite(items), items, c * r)
        # dℓ/dŷ = -τ where y > ŷ, 1 - τ where y < ŷ; at a tie the mean of the two (autograd
        # through torch.maximum splits the gradient between equal arguments)
        g = np.where(r > 0, -tau, np.where(r < 0, 1.0 - tau, 0.5 - tau))
    return Parts(items, "element", pred.size, lambda: g, [f"τ = {_num(tau)}", "r = y − ŷ"])


@loss_kernel("soft_margin")
def _soft_margin_parts(pred, target):
    pred, target = _same_shape(pred, target)
    y, labels = _signed_labels(target, "soft_margin")
    z = -y * pred  # exact: y is ±1
    return Parts(softplus(z), "element", pred.size, lambda: -y * sigmoid(z), [labels])


@loss_kernel("multilabel_soft_margin")
def _multilabel_soft_margin_parts(pred, target, weight=None):
    pred, target = _vectors(pred, target, "multilabel_soft_margin")
    _in_unit_interval(target, "target", "multilabel_soft_margin targets are labels 0/1 (or probabilities), one per class")
    c = pred.shape[-1]
    w = _weights(weight, c)
    with np.errstate(all="ignore"):
        oh, ol = two_sum(1.0, -target)
        a, b = softplus(-pred), softplus(pred)
        th, tl = _ddadd(*_ddmul(target, 0.0, a, 0.0), *_ddmul(oh, ol, b, 0.0))
        if w is not None:
            th, tl = _ddmul(th, tl, w, 0.0)
        plain = _times(target, a) + _times(1.0 - target, b)
        fin = np.isfinite(th) & np.isfinite(tl)
        th, tl = np.where(fin, th, plain if w is None else plain * w), np.where(fin, tl, 0.0)
        sh, sl = _row_sum_dd(th, tl)
        items = (sh + sl) / c  # one rounding of the exact row sum, then the division
    conventions = ["labels per class, sigmoid of each logit", "mean over the classes"]
    if w is not None:
        conventions.append(_weights_text(w))

    def grad():
        g = _sigmoid_minus(pred, target) / c
        return g if w is None else g * w

    return Parts(items, "sample", float(items.size), grad, conventions)


@loss_kernel("multi_margin")
def _multi_margin_parts(pred, target, p=1, margin=1.0, weight=None):
    pred, target = _arr(pred), _arr(target)
    _nonempty(pred, target)
    pred, target, kind, c, back = _class_axis_last(pred, target, "multi_margin", allow_distributions=False)
    if pred.ndim > 2:
        raise ShapeError(f"multi_margin takes pred of shape (C,) or (N, C), got {shape_text(pred.shape)}")
    target, keep = _class_indices(pred, target, "multi_margin")
    w = _weights(weight, c)
    with np.errstate(all="ignore"):
        xy = np.take_along_axis(pred, target[..., None], axis=-1)
        # m_i = margin - x_y + x_i exactly as a double-double (three terms)
        ah, al = two_sum(np.float64(margin), -xy)
        mh, ml = two_sum(ah, pred)
        ml = ml + al
        m = mh + ml
        ml = ml - (m - mh)
        mh = m
        own = np.zeros(pred.shape, dtype=bool)
        np.put_along_axis(own, target[..., None], True, axis=-1)
        active = (mh > 0) & ~own
        if p == 1:
            th, tl = np.where(active, mh, 0.0), np.where(active, ml, 0.0)
        else:
            sq, sqe = square(mh)
            th, tl = np.where(active, sq, 0.0), np.where(active, sqe + 2.0 * mh * ml, 0.0)
        sh, sl = _row_sum_dd(th, tl)
        wy = np.ones(target.shape) if w is None else w[target]
        items = wy * ((sh + sl) / c)
    conventions = [f"p = {int(p)}", f"margin {_num(margin)}", "class indices"]
    if w is not None:
        conventions.append(_weights_text(w))

    def grad():
        with np.errstate(all="ignore"):
            # d/dx_i = w_y·p·m_i^(p-1)/C for the active i ≠ y; d/dx_y = minus their sum
            # (0 where m_i = 0 exactly, as PyTorch's kernel)
            gi = np.where(active, 1.0 if p == 1 else 2.0 * (mh + ml), 0.0) * (wy[..., None] / c)
            total = np.array([math.fsum(r) for r in gi.reshape(-1, c).tolist()]).reshape(gi.shape[:-1])
            g = np.where(own, -total[..., None], gi)
        return back(g)

    return Parts(items, "sample", float(items.size), grad, conventions)


@loss_kernel("dice")
def _dice_parts(pred, target, smooth=1.0):
    pred, target = _vectors(pred, target, "dice")
    _in_unit_interval(pred, "pred", "dice takes probabilities (apply sigmoid or softmax to raw scores first)")
    _in_unit_interval(target, "target", "dice targets are masks: labels 0/1 or probabilities")
    s = np.float64(smooth)
    with np.errstate(all="ignore"):
        # 1 - (2Σŷy + s)/(Σŷ + Σy + s) = Σ(ŷ + y - 2ŷy)/(Σŷ + Σy + s): the numerator is a sum of
        # non-negative terms ŷ(1 - y) + y(1 - ŷ), each in double-double, so perfect overlap does not cancel
        ph, pl = two_prod(pred, target)
        ah, al = two_sum(pred, target)
        nh, nl = two_sum(ah, -2.0 * ph)
        nl = nl + (al - 2.0 * pl)
        Nh, Nl = _row_sum_dd(nh, nl)
        Dh, Dl = _row_sum_dd(ah, al)
        Dh, e = two_sum(Dh, s)
        Dl = Dl + e
        qh, ql = _dd_div(Nh, Nl, Dh, Dl)
        items = np.where(Dh > 0, qh + ql, np.nan)

    def grad():
        with np.errstate(all="ignore"):
            # ∂ℓ/∂ŷ_i = ((1 - 2y_i)·D - N)/D²
            bh, bl = two_sum(1.0, -2.0 * target)
            t1h, t1l = _ddmul(bh, bl, Dh[..., None], Dl[..., None])
            g1 = _dd_sub(t1h, t1l, Nh[..., None], Nl[..., None])
            d2h, d2l = _ddmul(Dh, Dl, Dh, Dl)
            nh2, nl2 = _dd_sub_pair(t1h, t1l, Nh[..., None], Nl[..., None])
            qh2, ql2 = _dd_div(nh2, nl2, d2h[..., None], d2l[..., None])
            g = qh2 + ql2
            fin = np.isfinite(g) & (Dh[..., None] > 0)

            def exact_row(r):
                pr = [X.D(v) for v in pred.reshape(-1, pred.shape[-1])[r].tolist()]
                tr = [X.D(v) for v in target.reshape(-1, pred.shape[-1])[r].tolist()]
                D = sum(pr) + sum(tr) + X.D(smooth)
                N = sum(a + b - 2 * a * b for a, b in zip(pr, tr))
                return [((1 - 2 * b) * D - N) / (D * D) for b in tr]

            cancel = _cancels(g1, t1h, Nh[..., None]) & fin
            if cancel.any():
                g2 = g.reshape(-1, pred.shape[-1])
                c2 = cancel.reshape(-1, pred.shape[-1])
                from decimal import localcontext

                for r in np.flatnonzero(c2.any(axis=1)):
                    vals = [X.D(v) for v in pred.reshape(-1, pred.shape[-1])[r].tolist() + target.reshape(-1, pred.shape[-1])[r].tolist()]
                    tiny = [-v.adjusted() for v in vals if v != 0]
                    with localcontext() as ctx:
                        ctx.prec = min(X.MAX_DIGITS, 80 + 2 * max([0] + tiny))  # sums of tiny and unit entries stay exact
                        row = exact_row(r)
                    for i in np.flatnonzero(c2[r]):
                        g2[r, i] = float(row[i])
                g = g2.reshape(g.shape)
            return np.where(Dh[..., None] > 0, g, np.nan)

    return Parts(items, "sample", float(items.size), grad, [f"smooth {_num(smooth)}", "soft Dice over the last axis"])


# ---------------------------------------------------------------------------
# the kernels the registry calls, NAME(pred, target, reduction, **params) and NAME_grad(...), are made
# by @loss_kernel on each parts function
# ---------------------------------------------------------------------------

def parts(name: str, pred, target, **params) -> Parts:
    """The unreduced loss of kernel ``name`` (``reduction`` in params is ignored)."""
    params.pop("reduction", None)
    with np.errstate(all="ignore"):  # inf and nan are results here, not warnings
        return PARTS[name](pred, target, **params)




# ---------------------------------------------------------------------------
# plots: make(t, **params) -> (pred, target), one loss per t with reduction 'none'
# ---------------------------------------------------------------------------

def _col(t) -> np.ndarray:
    return np.asarray(t, dtype=np.float64).reshape(-1)


def _logit(t: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore"):
        return np.log(t) - np.log1p(-t)


def plot_residual(t, **params):
    """x = residual ŷ - y: pred = t, target = 0."""
    t = _col(t)
    return t, np.zeros_like(t)


def plot_margin(t, **params):
    """x = margin y·ŷ: pred = t, target = 1."""
    t = _col(t)
    return t, np.ones_like(t)


def plot_binary(t, logits=False, **params):
    """x = predicted probability of the true class (target 1)."""
    t = _col(t)
    return (_logit(t) if logits else t), np.ones_like(t)


def plot_categorical(t, logits=False, **params):
    """x = predicted probability of class 0 of two (target class 0)."""
    t = _col(t)
    with np.errstate(divide="ignore"):
        pred = np.column_stack([np.log(t), np.log1p(-t)]) if logits else np.column_stack([t, 1.0 - t])
    return pred, np.zeros(t.size)


def plot_log_probability(t, **params):
    """nll: x = probability of the true class, pred = its log-probabilities."""
    t = _col(t)
    with np.errstate(divide="ignore"):
        return np.column_stack([np.log(t), np.log1p(-t)]), np.zeros(t.size)


PLOT_TARGET = (0.8, 0.2)


def plot_distribution(t, **params):
    """kl, js: x = predicted probability of class 0; target (0.8, 0.2)."""
    t = _col(t)
    return np.column_stack([t, 1.0 - t]), np.tile(PLOT_TARGET, (t.size, 1))


def plot_cosine(t, **params):
    """x = cosine similarity c: pred = (c, sqrt(1 - c²)), target = (1, 0)."""
    t = np.clip(_col(t), -1.0, 1.0)
    return np.column_stack([t, np.sqrt(1.0 - t * t)]), np.tile((1.0, 0.0), (t.size, 1))


def plot_poisson(t, log_input=True, **params):
    """x = log rate; target count 2."""
    t = _col(t)
    return (t if log_input else np.exp(t)), np.full(t.size, 2.0)


def plot_multilabel(t, **params):
    """multilabel_soft_margin: x = the logit of one class whose label is 1."""
    t = _col(t)
    return t[:, None], np.ones((t.size, 1))


def plot_multi_margin(t, **params):
    """multi_margin: two classes, x = score of the true class minus the other's."""
    t = _col(t)
    return np.column_stack([t, np.zeros_like(t)]), np.zeros(t.size)


def plot_dice(t, **params):
    """dice: x = predicted probability of a one-pixel mask that is 1."""
    t = _col(t)
    return t[:, None], np.ones((t.size, 1))


# ---------------------------------------------------------------------------
# second derivatives with respect to pred (NAME_grad2), kept in their own module
# ---------------------------------------------------------------------------

from actloss._hessians import (  # noqa: E402,F401  (the registry finds them here; they need the above)
    bce_grad2, ce_grad2, focal_grad2, gaussian_nll_grad2, hinge_grad2, huber_grad2, l1_grad2, l2_grad2, log_cosh_grad2,
    mse_grad2, multilabel_soft_margin_grad2, poisson_nll_grad2, quantile_grad2, smooth_l1_grad2,
    soft_margin_grad2, squared_hinge_grad2,
)
