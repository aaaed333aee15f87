"""Loss kernels: the loss and dL/dpred side by side.

Each loss is one ``_NAME_parts(pred, target, **params)`` function that checks
the inputs and returns a :class:`Parts`: the per-item losses (one per element
for elementwise losses, one per sample for losses over the last axis), what
'mean' divides their sum by, the conventions that were applied (for captions
and JSON), and a closure for the gradient of the summed loss. The kernels the
registry calls, ``NAME(pred, target, reduction=..., **params)`` and
``NAME_grad(...)``, reduce those parts.

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

from actloss.errors import InputError, ShapeError, arg

TOLERANCE = 1e-6  # how far a probability row may sum from 1
LOG2 = math.log(2.0)
HALF_LOG_2PI = 0.5 * math.log(2.0 * math.pi)

LOGITS_HINT = f"pass {arg('logits', True)} if these are raw scores"


@dataclass
class Parts:
    """One loss evaluated on one batch, before reduction."""

    items: np.ndarray  # per element (shape of pred) or per sample (pred without its last axis)
    per: str  # "element" or "sample"
    denominator: float  # what 'mean' divides the sum of the items by
    grad_sum: Callable[[], np.ndarray]  # d(sum of items)/dpred, shape of pred
    conventions: list[str] = field(default_factory=list)
    mean_note: str = ""  # how 'mean' divides when it is not by the count

    @property
    def count(self) -> int:
        return int(self.items.size)


# ---------------------------------------------------------------------------
# reduction
# ---------------------------------------------------------------------------

def _total(items: np.ndarray) -> float:
    flat = items.ravel()
    if np.isfinite(flat).all():
        return math.fsum(flat.tolist())
    return float(np.sum(flat))


def reduce(parts: Parts, reduction: str):
    """The loss for 'mean', 'sum' or 'none' (the per-item array)."""
    if reduction == "none":
        return parts.items + 0.0  # a copy, and no -0.0
    with np.errstate(all="ignore"):
        total = _total(parts.items)
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


def _rows_sum_to_one(a: np.ndarray, name: str, hint: str) -> None:
    sums = a.sum(axis=-1)
    bad = np.abs(sums - 1.0) > TOLERANCE
    if bad.any():
        i = int(np.flatnonzero(np.atleast_1d(bad).ravel())[0])
        s = float(np.atleast_1d(sums).ravel()[i])
        if a.ndim >= 2:
            raise InputError(f"{name} rows must sum to 1 (row {i + 1} sums to {s:.7g}); {hint}")
        raise InputError(f"{name} must sum to 1 (it sums to {s:.7g}); {hint}")


def _distribution(a: np.ndarray, name: str, hint: str) -> None:
    _in_unit_interval(a, name, hint)
    _rows_sum_to_one(a, name, hint)


# ---------------------------------------------------------------------------
# numerics
# ---------------------------------------------------------------------------

def softplus(x: np.ndarray) -> np.ndarray:
    """log(1 + e^x) without overflow, exact in both tails."""
    with np.errstate(over="ignore"):
        return np.maximum(x, 0.0) + np.log1p(np.exp(-np.abs(x)))


def sigmoid(x: np.ndarray) -> np.ndarray:
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _times(c: np.ndarray, v: np.ndarray) -> np.ndarray:
    """c·v with 0·(±inf) = 0 (the 0·log 0 = 0 convention)."""
    with np.errstate(invalid="ignore"):
        return np.where(c == 0, 0.0, c * v)


def _ratio(c: np.ndarray, p: np.ndarray) -> np.ndarray:
    """c/p with 0/0 = 0 and c/0 = inf (for c > 0)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(c == 0, 0.0, c / p)


def softmax_parts(z: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """log softmax, softmax and 1 - softmax over the last axis (log-sum-exp: exact for logits of ±1000).

    1 - p is computed without cancellation for the largest entry (the sum of the others).
    """
    m = np.max(z, axis=-1, keepdims=True)
    with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
        shifted = z - np.where(np.isfinite(m), m, 0.0)
        e = np.exp(shifted)
        # one term of the sum is exactly 1 (the maximum): add it with log1p
        top = np.argmax(z, axis=-1)[..., None]
        np.put_along_axis(e, top, 0.0, axis=-1)
        s = np.sum(e, axis=-1, keepdims=True)
        logp = shifted - np.log1p(s)
        np.put_along_axis(e, top, 1.0, axis=-1)
        p = e / (1.0 + s)
        one_minus = 1.0 - p
        np.put_along_axis(one_minus, top, s / (1.0 + s), axis=-1)
    return logp, p, one_minus


def log_softmax(z: np.ndarray) -> np.ndarray:
    return softmax_parts(z)[0]


# ---------------------------------------------------------------------------
# regression losses (elementwise)
# ---------------------------------------------------------------------------

def _residual(pred, target):
    pred, target = _same_shape(pred, target)
    with np.errstate(invalid="ignore"):
        return pred, target, pred - target


def _mse_parts(pred, target):
    pred, target, r = _residual(pred, target)
    return Parts(r * r, "element", r.size, lambda: 2.0 * r, ["squared error"])


def _l1_parts(pred, target):
    pred, target, r = _residual(pred, target)
    return Parts(np.abs(r), "element", r.size, lambda: np.sign(r), ["absolute error"])


def _huber_parts(pred, target, delta=1.0):
    pred, target, r = _residual(pred, target)
    a = np.abs(r)
    items = np.where(a < delta, 0.5 * r * r, delta * (a - 0.5 * delta))
    return Parts(items, "element", r.size, lambda: np.clip(r, -delta, delta), [])


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


def _log_cosh_parts(pred, target):
    pred, target, r = _residual(pred, target)
    return Parts(_log_cosh(r), "element", r.size, lambda: np.tanh(r), [])


def _gaussian_nll_parts(pred, target, var=1.0, full=False, eps=1e-6):
    pred, target, r = _residual(pred, target)
    v = max(var, eps)
    items = 0.5 * (math.log(v) + r * r / v)
    if full:
        items = items + HALF_LOG_2PI
    conventions = [f"variance {_num(v)}" + (f" (var clamped to eps {_num(eps)})" if v != var else "")]
    if full:
        conventions.append("with the constant ½·log 2π")
    return Parts(items, "element", r.size, lambda: r / v, conventions)


def _poisson_nll_parts(pred, target, log_input=True, full=False, eps=1e-8):
    pred, target = _same_shape(pred, target)
    bad = ~(target >= 0)
    if bad.any():
        v = target.ravel()[int(np.flatnonzero(bad.ravel())[0])]
        raise InputError(f"poisson_nll targets are counts (≥ 0), got {_num(v)} in target")
    if log_input:
        with np.errstate(over="ignore", invalid="ignore"):
            rate = np.exp(pred)
            items = rate - _times(target, pred)
        grad = lambda: rate - target  # noqa: E731
        conventions = ["pred is the log rate (log input)"]
    else:
        bad = ~(pred >= 0)
        if bad.any():
            v = pred.ravel()[int(np.flatnonzero(bad.ravel())[0])]
            raise InputError(
                f"poisson_nll with {arg('log_input', False)} takes rates (≥ 0), got {_num(v)} in pred; "
                f"pass {arg('log_input', True)} if these are log rates"
            )
        with np.errstate(divide="ignore"):
            items = pred - _times(target, np.log(pred + eps))
        grad = lambda: 1.0 - _ratio(target, pred + eps)  # noqa: E731
        conventions = [f"pred is the rate, log(pred + {_num(eps)})"]
    if full:
        with np.errstate(divide="ignore", invalid="ignore"):
            stirling = target * np.log(target) - target + 0.5 * np.log(2.0 * math.pi * target)
        items = items + np.where(target > 1, stirling, 0.0)
        conventions.append("with Stirling's term for targets > 1")
    return Parts(items, "element", pred.size, grad, conventions)


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


def _hinge_parts(pred, target):
    pred, target = _same_shape(pred, target)
    y, labels = _signed_labels(target, "hinge")
    m = 1.0 - y * pred
    return Parts(np.maximum(m, 0.0), "element", pred.size, lambda: np.where(m > 0, -y, 0.0), [labels])


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


def _bce_parts(pred, target, logits=False):
    pred, target = _binary_inputs(pred, target, logits, "bce")
    items, p, q = _bce_terms(pred, target, logits)

    def grad():
        if logits:
            # sigma(x) - t, written so that t = 0 or 1 never cancels
            return np.where(pred >= 0, (1.0 - target) - q, p - target)
        with np.errstate(divide="ignore", invalid="ignore"):
            inner = (pred - target) / (pred * q)
            edge = -_ratio(target, pred) + _ratio(1.0 - target, q)
        return np.where((pred > 0) & (pred < 1), inner, edge)

    return Parts(items, "element", pred.size, grad, ["logits (raw scores)" if logits else "probabilities"])


def _focal_parts(pred, target, gamma=2.0, alpha=0.25, logits=False):
    pred, target = _binary_inputs(pred, target, logits, "focal")
    ce, p, q = _bce_terms(pred, target, logits)
    u = target * q + (1.0 - target) * p  # 1 - p_t, a sum of non-negative terms
    mod = u**gamma
    a = alpha * target + (1.0 - alpha) * (1.0 - target) if alpha >= 0 else np.ones_like(target)
    items = a * _times(mod, ce)
    conventions = ["logits (raw scores)" if logits else "probabilities"]
    if alpha < 0:
        conventions.append("no alpha weighting")

    def grad():
        with np.errstate(divide="ignore", invalid="ignore"):
            # d ce/d input and d(1 - p_t)/d input, for logits x or probabilities p
            if logits:
                dce = np.where(pred >= 0, (1.0 - target) - q, p - target)
                du = (1.0 - 2.0 * target) * p * q
            else:
                inner = (pred - target) / (pred * q)
                edge = -_ratio(target, pred) + _ratio(1.0 - target, q)
                dce = np.where((pred > 0) & (pred < 1), inner, edge)
                du = 1.0 - 2.0 * target
            dmod = np.where(u == 0, 0.0, gamma * u ** (gamma - 1.0)) if gamma != 0 else np.zeros_like(u)
            return a * (_times(mod, dce) + _times(dmod * du, ce))

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


def _class_indices(pred: np.ndarray, target: np.ndarray, name: str) -> np.ndarray:
    c = pred.shape[-1]
    ok = np.isfinite(target) & (target == np.round(target))
    if not ok.all():
        v = target.ravel()[int(np.flatnonzero(~ok.ravel())[0])]
        raise InputError(
            f"target {_num(v)} is not a class index: a target of shape {shape_text(target.shape)} holds class indices "
            f"0 to {c - 1}; give class probabilities of shape {shape_text(pred.shape)} for soft labels"
        )
    bad = (target < 0) | (target >= c)
    if bad.any():
        v = target.ravel()[int(np.flatnonzero(bad.ravel())[0])]
        raise InputError(f"target class index {_num(v)} is out of range for {c} classes (valid: 0 to {c - 1})")
    return target.astype(np.int64)


def _target_kind(pred: np.ndarray, target: np.ndarray, name: str, allow_distributions: bool = True) -> str:
    if pred.ndim == 0:
        raise ShapeError(
            f"{name} needs pred with a class axis (its last axis), got a single number; "
            "for one binary probability use bce"
        )
    if target.shape == pred.shape[:-1]:
        return "indices"
    if allow_distributions and target.shape == pred.shape:
        return "distributions"
    idx = shape_text(pred.shape[:-1])
    if allow_distributions:
        raise ShapeError(
            f"pred has shape {shape_text(pred.shape)}: expected target class indices of shape {idx} "
            f"or class probabilities of shape {shape_text(pred.shape)}, got {shape_text(target.shape)}"
        )
    raise ShapeError(
        f"pred has shape {shape_text(pred.shape)}: expected target class indices of shape {idx}, "
        f"got {shape_text(target.shape)}; for class probabilities use ce"
    )


def _weights_text(w: np.ndarray) -> str:
    return "class weights " + ", ".join(_num(v) for v in w.tolist())


def _ce_like(logp, target, kind, w, smoothing, grad_of_logp):
    """Shared by ce and nll: coefficients A with loss_n = -sum_c A[n, c]·log p[n, c]."""
    c = logp.shape[-1]
    w_row = np.ones(c) if w is None else w
    mean_note = ""
    if kind == "indices":
        idx = target
        onehot = np.zeros(logp.shape)
        np.put_along_axis(onehot, idx[..., None], 1.0, axis=-1)
        wy = w_row[idx]
        A = (1.0 - smoothing) * wy[..., None] * onehot
        if smoothing:
            A = A + (smoothing / c) * w_row
        denominator = math.fsum(np.ravel(wy).tolist()) if w is not None else float(idx.size)
        if w is not None:
            mean_note = f"(divided by the sum of their class weights, {_num(denominator)})"
    else:
        A = w_row * ((1.0 - smoothing) * target + smoothing / c)
        denominator = float(target.size // c)
    items = -np.sum(_times(A, logp), axis=-1)
    return items, denominator, mean_note, (lambda: grad_of_logp(A))


def _ce_parts(pred, target, logits=False, label_smoothing=0.0, weight=None):
    pred, target = _arr(pred), _arr(target)
    _nonempty(pred, target)
    kind = _target_kind(pred, target, "ce")
    w = _weights(weight, pred.shape[-1])
    if kind == "indices":
        target = _class_indices(pred, target, "ce")
    else:
        _distribution(target, "target", f"class-probability targets are distributions; or give class indices of shape {shape_text(pred.shape[:-1])}")
    if logits:
        logp, p, one_minus_p = softmax_parts(pred)

        def grad_of_logp(A):
            # softmax·ΣA − A = p·(ΣA − A) − A·(1 − p): exact for one-hot A at the true class
            rest = np.sum(A, axis=-1, keepdims=True) - A
            return _times(rest, p) - _times(A, one_minus_p)
    else:
        _distribution(pred, "pred", LOGITS_HINT)
        with np.errstate(divide="ignore"):
            logp = np.log(pred)

        def grad_of_logp(A):
            return 0.0 - _ratio(A, pred)

    items, denominator, note, grad = _ce_like(logp, target, kind, w, label_smoothing, grad_of_logp)
    conventions = ["logits (raw scores)" if logits else "probabilities",
                   "class indices" if kind == "indices" else "class probabilities"]
    if label_smoothing:
        conventions.append(f"label smoothing {_num(label_smoothing)}")
    if w is not None:
        conventions.append(_weights_text(w))
    return Parts(items, "sample", denominator, grad, conventions, note)


def _nll_parts(pred, target, weight=None):
    pred, target = _arr(pred), _arr(target)
    _nonempty(pred, target)
    _target_kind(pred, target, "nll", allow_distributions=False)
    w = _weights(weight, pred.shape[-1])
    target = _class_indices(pred, target, "nll")
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
    items, denominator, note, grad = _ce_like(pred, target, "indices", w, 0.0, lambda A: -A)
    conventions = ["log-probabilities", "class indices"]
    if w is not None:
        conventions.append(_weights_text(w))
    return Parts(items, "sample", denominator, grad, conventions, note)


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


def _kl_items(target: np.ndarray, pred: np.ndarray) -> np.ndarray:
    """sum_c t log(t/p) per row, as sum p·phi(t/p - 1) + sum (t - p) (non-negative terms, exact sums)."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        y = (target - pred) / pred
        terms = pred * _phi(y)
        # ratios beyond float range: t·log(t/p) - t + p from the logs
        huge = ~(np.abs(y) < 1e300)
        if huge.any():
            terms = np.where(huge, _times(target, np.log(target) - np.log(pred)) - target + pred, terms)
        terms = np.where(pred == 0, np.where(target == 0, 0.0, np.inf), terms)
    t2 = terms.reshape(-1, terms.shape[-1])
    tt = target.reshape(-1, terms.shape[-1])
    pp = pred.reshape(-1, terms.shape[-1])
    out = np.empty(t2.shape[0])
    for i in range(t2.shape[0]):
        row = t2[i]
        if not np.isfinite(row).all():
            out[i] = np.inf
        else:
            out[i] = math.fsum(row.tolist() + tt[i].tolist() + (-pp[i]).tolist())
    return out.reshape(terms.shape[:-1])


def _kl_parts(pred, target):
    pred, target = _vectors(pred, target, "kl")
    _distribution(pred, "pred", "kl compares two probability distributions (apply softmax to raw scores first)")
    _distribution(target, "target", "kl compares two probability distributions")
    items = _kl_items(target, pred)
    return Parts(items, "sample", float(items.size), lambda: 0.0 - _ratio(target, pred),
                 ["KL(target ‖ pred)", "probability distributions"])


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


def _js_parts(pred, target):
    pred, target = _vectors(pred, target, "js")
    _distribution(pred, "pred", "js compares two probability distributions (apply softmax to raw scores first)")
    _distribution(target, "target", "js compares two probability distributions")
    s = pred + target
    with np.errstate(divide="ignore", invalid="ignore"):
        x = np.where(s == 0, 0.0, (target - pred) / s)
    terms = 0.25 * s * _js_g(x)
    items = np.array([math.fsum(r.tolist()) for r in terms.reshape(-1, terms.shape[-1])]).reshape(terms.shape[:-1])

    def grad():
        # dJS/dq_i = ½·log(2q_i / (p_i + q_i)); ½·log 2 where both are 0
        with np.errstate(divide="ignore", invalid="ignore"):
            g = 0.5 * np.log1p(-x)
        return np.where(s == 0, 0.5 * LOG2, g)

    return Parts(items, "sample", float(items.size), grad, ["natural log (nats)", "probability distributions"])


def _unit(v: np.ndarray, name: str) -> tuple[np.ndarray, np.ndarray]:
    """v / |v| along the last axis (scaled first, so no overflow) and |v|."""
    m = np.max(np.abs(v), axis=-1, keepdims=True)
    zero = ~(m > 0)
    if zero.any():
        i = int(np.flatnonzero(zero.ravel())[0])
        where = f" (row {i + 1})" if v.ndim >= 2 else ""
        raise InputError(f"{name} is a zero vector{where}: the cosine similarity is undefined")
    s = v / m
    n = np.sqrt(np.sum(s * s, axis=-1, keepdims=True))
    return s / n, n * m


def _cosine_parts(pred, target):
    pred, target = _vectors(pred, target, "cosine")
    bad = ~np.isfinite(pred) | ~np.isfinite(target)
    if bad.any():
        raise InputError("cosine needs finite numbers in pred and target")
    pu, pn = _unit(pred, "pred")
    tu, _ = _unit(target, "target")
    d = pu - tu
    items = 0.5 * np.sum(d * d, axis=-1)  # 1 - cos, without cancellation near cos = 1

    def grad():
        # -(t̂ - cos·p̂)/|p| with t̂ - cos·p̂ = -d + (1 - cos)·p̂, d = p̂ - t̂
        return (d - items[..., None] * pu) / pn

    return Parts(items, "sample", float(items.size), grad, ["1 − cosine similarity over the last axis"])


# ---------------------------------------------------------------------------
# the kernels the registry calls: NAME(pred, target, reduction, **params), NAME_grad(...)
# ---------------------------------------------------------------------------

PARTS: dict[str, Callable[..., Parts]] = {
    "mse": _mse_parts, "l1": _l1_parts, "l2": _mse_parts, "huber": _huber_parts,
    "smooth_l1": _smooth_l1_parts, "log_cosh": _log_cosh_parts, "gaussian_nll": _gaussian_nll_parts,
    "poisson_nll": _poisson_nll_parts, "hinge": _hinge_parts, "squared_hinge": _squared_hinge_parts,
    "bce": _bce_parts, "focal": _focal_parts, "ce": _ce_parts, "nll": _nll_parts,
    "kl": _kl_parts, "js": _js_parts, "cosine": _cosine_parts,
}


def parts(name: str, pred, target, **params) -> Parts:
    """The unreduced loss of kernel ``name`` (``reduction`` in params is ignored)."""
    params.pop("reduction", None)
    with np.errstate(all="ignore"):  # inf and nan are results here, not warnings
        return PARTS[name](pred, target, **params)


def _pair(name: str, default_reduction: str = "mean"):
    def value(pred, target, reduction=default_reduction, **params):
        return reduce(parts(name, pred, target, **params), reduction)

    def grad(pred, target, reduction=default_reduction, **params):
        return gradient(parts(name, pred, target, **params), reduction)

    value.__name__, grad.__name__ = name, name + "_grad"
    value.__doc__ = f"The {name} loss of pred and target, reduced ('mean', 'sum' or 'none')."
    grad.__doc__ = f"d {name}/d pred for the reduction, the shape of pred."
    return value, grad


mse, mse_grad = _pair("mse")
l1, l1_grad = _pair("l1")
l2, l2_grad = _pair("l2", "sum")
huber, huber_grad = _pair("huber")
smooth_l1, smooth_l1_grad = _pair("smooth_l1")
log_cosh, log_cosh_grad = _pair("log_cosh")
gaussian_nll, gaussian_nll_grad = _pair("gaussian_nll")
poisson_nll, poisson_nll_grad = _pair("poisson_nll")
hinge, hinge_grad = _pair("hinge")
squared_hinge, squared_hinge_grad = _pair("squared_hinge")
bce, bce_grad = _pair("bce")
focal, focal_grad = _pair("focal")
ce, ce_grad = _pair("ce")
nll, nll_grad = _pair("nll")
kl, kl_grad = _pair("kl")
js, js_grad = _pair("js")
cosine, cosine_grad = _pair("cosine")


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


# ---------------------------------------------------------------------------
# second derivatives with respect to pred (NAME_grad2), kept in their own module
# ---------------------------------------------------------------------------

from actloss._hessians import (  # noqa: E402,F401  (the registry finds them here; they need the above)
    bce_grad2, ce_grad2, gaussian_nll_grad2, hinge_grad2, huber_grad2, l1_grad2, l2_grad2, log_cosh_grad2,
    mse_grad2, poisson_nll_grad2, smooth_l1_grad2, squared_hinge_grad2,
)
