"""Accuracy of every loss, value and gradient, every reduction, against mpmath.

Bound (the product specification, as for the activations): every loss value
and every gradient element within 4 ulp of the exactly rounded result where
that result is a normal float64, absolute error <= 2**-1022 where it is
subnormal (``reference.ulp_error``). 'sum' and 'mean' are compared with the
exact sum (and exact denominator) of the exact items, so a reduction that
loses digits fails here too.

The cases are generated here, aimed at the places where float64 formulas
break: near-parallel and near-antiparallel vectors, probabilities down to
1e-300 and up to 1 - 2**-53, logits to ±1000, residuals from 1e-300 to
±1e300, soft targets (including targets equal to the rounded prediction,
where the gradient cancels), label smoothing, class weights, and the roots
where two terms of a loss cancel (poisson_nll's exp(x) = t·x, gaussian_nll's
r²/v = -log v). References are the definitions in ``loss_reference``;
gradients are their high-precision central differences. Points within the
step of a kink are left to the convention tests.

``python tests/test_loss_accuracy.py`` prints the worst ulp per loss;
``--runslow`` adds a denser random sweep.
"""

from __future__ import annotations

import math
import zlib
import sys
from dataclasses import dataclass, field

import numpy as np
import pytest
from mpmath import mp

import loss_reference as R
from actloss import registry
from reference import ulp_error

BOUND = 4.0
ROW_LOSSES = {"ce", "nll", "kl", "js", "cosine", "multilabel_soft_margin", "multi_margin", "dice"}
PROB_PRED = {"kl", "js"}  # pred is a distribution


@dataclass
class Case:
    name: str
    params: dict
    pred: np.ndarray
    target: np.ndarray
    tag: str = ""


@dataclass
class Worst:
    value: dict = field(default_factory=lambda: {"none": 0.0, "sum": 0.0, "mean": 0.0})
    grad: dict = field(default_factory=lambda: {"sum": 0.0, "mean": 0.0})
    where: dict = field(default_factory=dict)
    kinks: int = 0

    def note(self, kind, red, err, case, detail=""):
        table = self.value if kind == "value" else self.grad
        if err > table[red] or (math.isnan(err) and not math.isnan(table[red])):
            table[red] = err
            self.where[(kind, red)] = f"{case.tag or case.params} pred={case.pred.tolist()!r} target={case.target.tolist()!r} {detail}"

    def failures(self):
        out = []
        for kind, table in (("value", self.value), ("grad", self.grad)):
            for red, err in table.items():
                if not err <= BOUND:
                    out.append(f"{kind} {red}: {err:.3g} ulp at {self.where.get((kind, red))}")
        return out


# ---------------------------------------------------------------------------
# evaluation
# ---------------------------------------------------------------------------

def _domain(case):
    name, prm = case.name, case.params
    if name in PROB_PRED or (name in ("bce", "focal", "ce") and not prm.get("logits")):
        return 0.0, 1.0
    if name == "poisson_nll" and not prm.get("log_input", True):
        return 0.0, None
    if name == "nll":
        return None, 0.0
    return None, None


def _units(case, prm):
    """[(flat pred indices, loss(list of mp pred values) -> mp, weight for the mean)]."""
    name = case.name
    pred, target = case.pred, case.target
    flat_t = target.reshape(-1).tolist()
    if name not in ROW_LOSSES:
        labels = None
        out = []
        for k, t in enumerate(flat_t):
            if name in ("hinge", "squared_hinge", "soft_margin"):
                labels = R.signed(t, flat_t)
            if name == "bce" and prm.get("pos_weight") is not None:
                pw = prm["pos_weight"]
                prm_k = {**prm, "pos_weight_c": pw[k % len(pw)] if len(pw) > 1 else pw[0]}
            else:
                prm_k = prm
            out.append(([k], (lambda ps, t=R.mpf(t), lab=labels, q=prm_k: R.unit_loss(name, q, ps[0], t, lab)), 1))
        return out
    # PyTorch's layout (N, C, d1, ...) for ce and nll: the rows are along axis 1
    axis = 1 if (name in ("ce", "nll") and pred.ndim >= 3) else pred.ndim - 1
    c = pred.shape[axis]
    flat_index = np.moveaxis(np.arange(pred.size).reshape(pred.shape), axis, -1).reshape(-1, c)
    if target.shape == pred.shape:
        trows = [[R.mpf(v) for v in row] for row in np.moveaxis(target, axis, -1).reshape(-1, c).tolist()]
    else:
        trows = [int(v) for v in target.reshape(-1).tolist()]
    out = []
    for i, t in enumerate(trows):
        idx = flat_index[i].tolist()
        if isinstance(t, int) and name in ("ce", "nll"):
            ignored = t == prm.get("ignore_index", -100)
            wts = prm.get("weight")
            den = 0 if ignored else (R.mpf(wts[t]) if wts is not None else 1)
        else:
            den = 1
        out.append((idx, (lambda ps, t=t: R.unit_loss(name, prm, ps, t)), den))
    return out


def measure(case: Case, worst: Worst) -> None:
    rec = registry.get(case.name)
    prm = rec.bind(case.params)
    pred, target = case.pred, case.target
    kw = dict(case.params)
    items = np.asarray(rec.value(pred, target, reduction="none", **kw), dtype=np.float64).reshape(-1)
    total = float(rec.value(pred, target, reduction="sum", **kw))
    mean = float(rec.value(pred, target, reduction="mean", **kw))
    g_sum = np.asarray(rec.derivative(pred, target, reduction="sum", **kw)).reshape(-1)
    g_mean = np.asarray(rec.derivative(pred, target, reduction="mean", **kw)).reshape(-1)
    flat = [R.mpf(v) for v in pred.reshape(-1).tolist()]
    lo, hi = _domain(case)
    with mp.workprec(R.PREC):
        units = _units(case, prm)
        refs, den = [], mp.mpf(0)
        grads = [None] * len(flat)
        for idx, fn, w in units:
            ps = [flat[i] for i in idx]
            refs.append(fn(ps))
            den += w
            for j, i in enumerate(idx):
                if not mp.isfinite(ps[j]):
                    continue

                def f(x, j=j, ps=ps):
                    q = R.Perturbed(ps)
                    q[j] = x
                    return fn(q)

                d, kink = R.derivative(f, ps[j], R.mpf(lo) if lo is not None else None, R.mpf(hi) if hi is not None else None)
                if kink:
                    worst.kinks += 1
                elif not mp.isnan(d):  # nan: the loss is infinite around x (another entry of the row)
                    grads[i] = d
        for k, (got, want) in enumerate(zip(items.tolist(), refs)):
            worst.note("value", "none", ulp_error(got, want), case, f"item {k}: {got!r} vs {mp.nstr(want, 20)}")
        exact = mp.fsum(refs)
        worst.note("value", "sum", ulp_error(total, exact), case, f"{total!r} vs {mp.nstr(exact, 20)}")
        if den > 0:
            worst.note("value", "mean", ulp_error(mean, exact / den), case, f"{mean!r} vs {mp.nstr(exact / den, 20)}")
        for i, d in enumerate(grads):
            if d is None:
                continue
            worst.note("grad", "sum", ulp_error(g_sum[i], d), case, f"element {i}: {g_sum[i]!r} vs {mp.nstr(d, 20)}")
            if den > 0:
                worst.note("grad", "mean", ulp_error(g_mean[i], d / den), case, f"element {i}: {g_mean[i]!r} vs {mp.nstr(d / den, 20)}")


# ---------------------------------------------------------------------------
# hard cases
# ---------------------------------------------------------------------------

def A(x):
    return np.asarray(x, dtype=np.float64)


TINY_TO_HUGE = (1e-300, 1e-200, 1e-100, 1e-20, 1e-8, 0.3, 0.999999, 1.0, 1.0000001, 3.0, 1e8, 1e100, 1e300)
PROBS = (0.0, 1e-300, 1e-100, 1e-20, 1e-17, 1e-16, 1e-8, 1e-3, 0.3, 0.5, 0.7, 0.999, 1 - 1e-8, 1 - 2.0**-53, 1.0)
LOGITS = (0.0, 1e-300, 1e-8, 0.5, 1.0, 5.0, 20.0, 36.0, 37.0, 40.0, 700.0, 710.0, 1000.0)


def _residual_pairs():
    out = []
    for t in (0.0, 1.0, -2.5, 1e-300, 7e100):
        for r in TINY_TO_HUGE:
            for s in (1.0, -1.0):
                out.append((t + s * r, t))
    out += [(1.0, np.nextafter(1.0, 2.0)), (0.5, 0.5), (-0.0, 0.0)]
    return out


def _batches(pairs, size=6):
    for i in range(0, len(pairs), size):
        chunk = pairs[i : i + size]
        yield A([p for p, _ in chunk]), A([t for _, t in chunk])


def _regression(name, params_list, extra_pairs=()):
    pairs = _residual_pairs() + list(extra_pairs)
    for prm in params_list:
        for p, t in _batches(pairs):
            yield Case(name, prm, p, t)


def _near(x, n=2):
    x = float(x)
    out, lo, hi = [x], x, x
    for _ in range(n):
        lo, hi = np.nextafter(lo, -np.inf), np.nextafter(hi, np.inf)
        out += [float(lo), float(hi)]
    return out


def gaussian_cases():
    for var in (1.0, 0.5, 1e-3, 3.0):
        v = max(var, 1e-6)
        extra = []
        if v < 1:
            with mp.workprec(200):
                root = float(mp.sqrt(-v * mp.log(v)))  # r²/v = -log v: the value cancels to 0
            extra = [(r, 0.0) for r in _near(root)] + [(1.0 + r, 1.0) for r in _near(root)]
        for full in (False, True):
            yield from _regression("gaussian_nll", [{"var": var, "full": full}], extra)


def poisson_cases():
    extra = []
    for t in (3.0, 10.0, 1e5):
        with mp.workprec(200):
            for x0 in (0.5, 2.0, 15.0):
                try:
                    root = float(mp.findroot(lambda x: mp.exp(x) - t * x, x0))
                except (ValueError, ZeroDivisionError):
                    continue
                if root > 0:
                    extra += [(x, t) for x in _near(root)]
    grid = [(x, t) for t in (0.0, 1.0, 2.0, 3.0, 1e5) for x in (-745.0, -700.0, -20.0, -1e-300, 0.0, 1e-20, 0.7, 1.0, 5.0, 700.0, 709.0)]
    for full in (False, True):
        for p, t in _batches(grid + extra):
            yield Case("poisson_nll", {"log_input": True, "full": full}, p, t)
    rates = [(p, t) for t in (0.0, 1.0, 2.0, 5.0) for p in (0.0, 1e-300, 1e-20, 1e-8, 1e-3, 0.5, 1.0, 1.462645, 1e5, 1e300)]
    for eps in (1e-8, 1e-3):
        for full in (False, True):
            for p, t in _batches(rates):
                yield Case("poisson_nll", {"log_input": False, "eps": eps, "full": full}, p, t)


def margin_cases(name):
    xs = [v for x in (1e-300, 1e-8, 0.5, 1.0, 2.0, 1e8, 1e300) for v in (x, -x)] + _near(1.0, 3)[1:] + _near(-1.0, 3)[1:] + [0.0]
    for labels in ((-1.0, 1.0), (0.0, 1.0)):
        pairs = [(x, lab) for x in xs for lab in labels]
        for p, t in _batches(pairs, 8):
            if labels == (0.0, 1.0) and not (t == 0).any():
                t = t.copy()
                t[0] = 0.0
            yield Case(name, {}, p, t)


def _binary_pairs(logits):
    xs = [v for x in LOGITS for v in (x, -x)] if logits else list(PROBS)
    ts = [0.0, 1.0, 0.3, 1e-300, 1 - 2.0**-53]
    pairs = [(x, t) for x in xs for t in ts]
    # soft targets equal to (a neighbour of) the predicted probability: the gradient p - t cancels
    for x in xs:
        p = float(1 / (1 + mp.exp(-x))) if logits else x
        if 0.0 < p < 1.0:
            pairs += [(x, v) for v in _near(p, 1) if 0.0 <= v <= 1.0]
    return pairs


def bce_cases():
    for logits in (False, True):
        for p, t in _batches(_binary_pairs(logits)):
            yield Case("bce", {"logits": logits}, p, t)
    for p, t in _batches(_binary_pairs(True)):
        yield Case("bce", {"logits": True, "pos_weight": (3.0,)}, p, t, "pos_weight 3")
    pairs = _binary_pairs(True)
    pairs = pairs[: len(pairs) // 3 * 3]
    pred = A([x for x, _ in pairs]).reshape(-1, 3)
    target = A([t for _, t in pairs]).reshape(-1, 3)
    for i in range(0, pred.shape[0], 4):
        yield Case("bce", {"logits": True, "pos_weight": (0.5, 2.0, 10.0)}, pred[i : i + 4], target[i : i + 4], "pos_weight per class")


def focal_cases():
    for logits in (False, True):
        for prm in ({}, {"gamma": 0.5}, {"gamma": 1.0, "alpha": -1.0}, {"gamma": 0.0}, {"gamma": 3.0, "alpha": 0.75}):
            for p, t in _batches(_binary_pairs(logits), 8):
                yield Case("focal", {**prm, "logits": logits}, p, t)


def _softmax(z):
    z = np.asarray(z, dtype=np.float64)
    with mp.workprec(300):
        zs = [mp.mpf(float(v)) for v in z]
        m = max(zs)
        e = [mp.exp(v - m) for v in zs]
        s = mp.fsum(e)
        return [float(v / s) for v in e]


LOGIT_ROWS = (
    (0.0, 0.0, 0.0), (1.0, 2.0, 3.0), (1000.0, -1000.0, 0.0), (-1000.0, -1000.0, -999.0), (40.0, 0.0, -40.0),
    (1e-8, 0.0, -1e-8), (700.0, 0.0, 5.0), (-5.0, 30.0, 30.0), (0.5, -0.25, 0.125),
)
PROB_ROWS = (
    (1 / 3, 1 / 3, 1 / 3), (1e-300, 0.5, 0.5), (1e-17, 1 - 1e-17, 0.0), (2.0**-53, 1 - 2.0**-53, 0.0),
    (0.0, 1.0, 0.0), (0.7, 0.2, 0.1), (1e-100, 1e-8, 1 - 1e-8), (0.25, 0.25, 0.5),
)


def ce_cases():
    rng = np.random.default_rng(11)
    for logits in (False, True):
        rows = LOGIT_ROWS if logits else PROB_ROWS
        pred = A(rows)
        for prm in ({}, {"label_smoothing": 0.1}, {"weight": (1.0, 2.0, 0.5)}, {"label_smoothing": 0.2, "weight": (0.3, 1.0, 3.0)}):
            idx = A([i % 3 for i in range(len(rows))])
            yield Case("ce", {**prm, "logits": logits}, pred, idx, "indices")
            yield Case("ce", {**prm, "logits": logits}, pred, A([(i + 1) % 3 for i in range(len(rows))]), "indices")
            soft = rng.dirichlet([0.5, 0.5, 0.5], size=len(rows))
            yield Case("ce", {**prm, "logits": logits}, pred, soft, "soft targets")
            near = A([_softmax(r) for r in rows]) if logits else pred.copy()
            yield Case("ce", {**prm, "logits": logits}, pred, near, "target = rounded softmax(pred)")


def ce_option_cases():
    rng = np.random.default_rng(12)
    # ignore_index: the ignored samples count neither in the sum nor in the mean
    for logits in (False, True):
        pred = A(LOGIT_ROWS if logits else PROB_ROWS)
        idx = A([(i % 3) if i % 3 else -100 for i in range(len(pred))])
        for prm in ({}, {"weight": (1.0, 2.0, 0.5)}, {"label_smoothing": 0.1}):
            yield Case("ce", {**prm, "logits": logits}, pred, idx, "ignore_index -100")
        yield Case("ce", {"logits": logits, "ignore_index": 1}, pred, A([i % 3 for i in range(len(pred))]), "ignore_index 1")
    # PyTorch's layout (N, C, d1, d2): classes on axis 1
    z = rng.normal(size=(2, 3, 2, 2)) * 5
    yield Case("ce", {"logits": True}, z, A(rng.integers(0, 3, size=(2, 2, 2))), "(N, C, d1, d2)")
    yield Case("ce", {"logits": True, "label_smoothing": 0.1}, z, np.moveaxis(rng.dirichlet([1, 1, 1], size=(2, 2, 2)), -1, 1), "(N, C, d1, d2) soft")
    probs = np.moveaxis(rng.dirichlet([1, 1, 1], size=(2, 4)), -1, 1)
    yield Case("ce", {}, probs, A(rng.integers(0, 3, size=(2, 4))), "(N, C, d1) probabilities")
    # normalize: rows that sum to 1 only after rounding
    rough = A([[0.3333, 0.3333, 0.3333], [0.2, 0.2, 0.5], [1e-300, 0.5, 0.4999], [0.7, 0.2, 0.1]])
    yield Case("ce", {"normalize": True}, rough, A([0, 1, 2, 0]), "normalize")
    yield Case("ce", {"normalize": True}, rough, rough[::-1].copy(), "normalize soft")


def nll_cases():
    rows = [[math.log(v) if v > 0 else -math.inf for v in r] for r in PROB_ROWS if all(v > 0 for v in r)]
    rows += [[-1e-300, -690.7755278982137, -700.0]]
    pred = A(rows)
    for prm in ({}, {"weight": (1.0, 2.0, 0.5)}):
        for shift in (0, 1, 2):
            yield Case("nll", prm, pred, A([(i + shift) % 3 for i in range(len(rows))]))
        yield Case("nll", prm, pred, A([-100 if i % 2 else i % 3 for i in range(len(rows))]), "ignore_index -100")
    logp = np.log(np.moveaxis(np.random.default_rng(5).dirichlet([1, 1, 1], size=(2, 3)), -1, 1))
    yield Case("nll", {"ignore_index": 2}, logp, A([[0, 2, 1], [1, 1, 0]]), "(N, C, d1), ignore_index 2")


def distribution_cases(name):
    rough = A([[0.3333, 0.3333, 0.3333], [0.2, 0.2, 0.5], [1e-300, 0.5, 0.4999], [0.7, 0.2, 0.1]])
    yield Case(name, {"normalize": True}, rough, rough[::-1].copy(), "normalize")
    yield Case(name, {"normalize": True}, rough, rough * 1.0001, "normalize, nearly equal")
    rows = list(PROB_ROWS)
    pairs = [(a, b) for a in rows for b in rows]
    # nearly equal distributions
    for r in rows:
        r = list(r)
        k = int(np.argmax(r))
        q = list(r)
        q[k] = np.nextafter(r[k], 0.0)
        pairs.append((tuple(q), tuple(r)))
        pairs.append((tuple(r), tuple(q)))
    pairs += [((1e-300, 1 - 1e-16, 1e-16), (0.5, 0.25, 0.25)), ((1e-17, 0.5, 0.5), (0.3, 0.3, 0.4))]
    for i in range(0, len(pairs), 4):
        chunk = pairs[i : i + 4]
        yield Case(name, {}, A([p for p, _ in chunk]), A([t for _, t in chunk]))


def cosine_cases():
    pairs = [
        ((1.0, 1e-8, 0.0), (1.0, 0.0, 0.0)), ((1.0, 2.0, 3.0), (1.0, 2.0, 3.0000001)), ((1.0, 2.0, 3.0), (1.0, 2.0, 3.0)),
        ((-1.0, -1e-8, 0.0), (1.0, 0.0, 0.0)), ((-1.0, -2.0, -3.0), (1.0, 2.0, 3.0000001)), ((1.0, 0.0, 0.0), (0.0, 1.0, 0.0)),
        ((1e300, 1e300, 0.0), (1e-300, 1e-300, 1e-310)), ((1e-300, 2e-300, 0.0), (3.0, 6.0, 1e-10)),
        ((1.0, 1e-200, 1e-200), (1.0, 0.0, 0.0)), ((3.0, 4.0, 0.0), (6.0, 8.0, 0.0)), ((0.1, 0.2, 0.3), (0.3, 0.2, 0.1)),
    ]
    rng = np.random.default_rng(3)
    for _ in range(6):
        a = rng.normal(size=3)
        pairs.append((tuple(a), tuple(a * 2.0 + rng.normal(size=3) * 1e-9)))
        pairs.append((tuple(a), tuple(-a * 0.5 + rng.normal(size=3) * 1e-9)))
    for i in range(0, len(pairs), 4):
        chunk = pairs[i : i + 4]
        yield Case("cosine", {}, A([p for p, _ in chunk]), A([t for _, t in chunk]))


def quantile_cases():
    for tau in (0.5, 0.1, 0.9, 0.0, 1.0, 0.3):
        yield from _regression("quantile", [{"tau": tau}])


def multilabel_cases():
    rng = np.random.default_rng(21)
    xs = [v for x in LOGITS for v in (x, -x)]
    for weight in (None, (1.0, 3.0, 0.5)):
        prm = {} if weight is None else {"weight": weight}
        for i in range(0, len(xs) - 2, 3):
            pred = A([xs[i : i + 3], xs[i + 1 : i + 4][::-1]])
            target = A([[1.0, 0.0, 1.0], [0.0, 0.3, 1.0]])
            yield Case("multilabel_soft_margin", prm, pred, target)
        z = rng.normal(size=(4, 3)) * 3
        yield Case("multilabel_soft_margin", prm, z, A([[float(1 / (1 + mp.exp(-v))) for v in row] for row in z]), "target = σ(pred)")


def multi_margin_cases():
    rng = np.random.default_rng(22)
    rows = [(0.0, 0.0, 0.0), (1.0, 2.0, 3.0), (1e300, -1e300, 0.0), (0.5, -0.5, 0.25), (1.0, 0.0, 1e-300),
            (3.0, 2.0, 2.0000000000000004), (1e-8, 1.0, 0.99999999)]
    pred = A(rows)
    for prm in ({}, {"p": 2}, {"margin": 0.3}, {"margin": 2.5, "p": 2, "weight": (1.0, 2.0, 0.5)}):
        for shift in (0, 1, 2):
            yield Case("multi_margin", prm, pred, A([(i + shift) % 3 for i in range(len(rows))]))
        yield Case("multi_margin", prm, rng.normal(size=(5, 3)), A(rng.integers(0, 3, size=5)))


def dice_cases():
    rows = list(PROB_ROWS) + [(0.0, 0.0, 0.0), (1.0, 1.0, 1.0)]
    masks = [(1.0, 0.0, 0.0), (0.0, 1.0, 1.0), (0.0, 0.0, 0.0), (1.0, 1.0, 1.0), (0.3, 0.5, 0.2)]
    for smooth in (1.0, 0.0, 1e-5):
        for m in masks:
            pred = A(rows)
            target = A([m] * len(rows))
            if smooth == 0.0:  # 0/0 for an empty prediction of an empty mask: leave those rows out
                keep = (pred.sum(axis=1) + target.sum(axis=1)) > 0
                pred, target = pred[keep], target[keep]
            yield Case("dice", {"smooth": smooth}, pred, target)
        # a prediction equal to its soft mask: the gradient cancels
        yield Case("dice", {"smooth": smooth}, A(rows[:6]), A(rows[:6]), "pred = target")


GENERATORS = {
    "mse": lambda: _regression("mse", [{}]),
    "l2": lambda: _regression("l2", [{}]),
    "l1": lambda: _regression("l1", [{}]),
    "huber": lambda: _regression("huber", [{}, {"delta": 0.5}], [(v, 0.0) for v in _near(1.0) + _near(0.5)]),
    "smooth_l1": lambda: _regression("smooth_l1", [{}, {"beta": 0.5}, {"beta": 0.0}], [(v, 0.0) for v in _near(1.0) + _near(0.5)]),
    "log_cosh": lambda: _regression("log_cosh", [{}]),
    "gaussian_nll": gaussian_cases,
    "poisson_nll": poisson_cases,
    "hinge": lambda: margin_cases("hinge"),
    "squared_hinge": lambda: margin_cases("squared_hinge"),
    "bce": bce_cases,
    "focal": focal_cases,
    "ce": lambda: __import__("itertools").chain(ce_cases(), ce_option_cases()),
    "nll": nll_cases,
    "kl": lambda: distribution_cases("kl"),
    "js": lambda: distribution_cases("js"),
    "cosine": cosine_cases,
    "quantile": quantile_cases,
    "soft_margin": lambda: margin_cases("soft_margin"),
    "multilabel_soft_margin": multilabel_cases,
    "multi_margin": multi_margin_cases,
    "dice": dice_cases,
}


# ---------------------------------------------------------------------------
# the opt-in random sweep (--runslow): many more cases of the same kinds
# ---------------------------------------------------------------------------

def _logu(rng, lo, hi, size):
    return 10.0 ** rng.uniform(lo, hi, size=size)


def _dirichlet(rng, n, c):
    return rng.dirichlet([rng.choice([0.05, 0.5, 2.0])] * c, size=n)


def random_cases(name, seed, count=30):
    rng = np.random.default_rng(seed)
    for _ in range(count):
        n = 6
        if name in ("mse", "l1", "l2", "huber", "smooth_l1", "log_cosh", "gaussian_nll", "quantile"):
            t = rng.normal(size=n) * _logu(rng, -3, 3, n)
            r = rng.choice([-1.0, 1.0], size=n) * _logu(rng, -300, 150 if name in ("mse", "l2", "gaussian_nll") else 300, n)
            prm = {"huber": {"delta": float(rng.choice([1.0, 0.5, 3.0]))}, "smooth_l1": {"beta": float(rng.choice([1.0, 0.2]))},
                   "gaussian_nll": {"var": float(rng.choice([1.0, 0.5, 2.0])), "full": bool(rng.integers(2))},
                   "quantile": {"tau": float(rng.uniform())}}.get(name, {})
            yield Case(name, prm, t + r, t, "random")
        elif name == "poisson_nll":
            t = rng.integers(0, 20, size=n).astype(float)
            if rng.integers(2):
                yield Case(name, {"full": bool(rng.integers(2))}, rng.uniform(-40, 40, size=n), t, "random")
            else:
                yield Case(name, {"log_input": False, "eps": float(rng.choice([1e-8, 1e-3]))}, _logu(rng, -10, 10, n), t, "random")
        elif name in ("hinge", "squared_hinge", "soft_margin"):
            x = rng.choice([-1.0, 1.0], size=n) * _logu(rng, -10, 3 if name != "squared_hinge" else 100, n)
            yield Case(name, {}, x, rng.choice([-1.0, 1.0], size=n), "random")
        elif name in ("bce", "focal"):
            logits = bool(rng.integers(2))
            if logits:
                x = rng.choice([-1.0, 1.0], size=n) * _logu(rng, -8, 3, n)
            else:
                x = np.where(rng.integers(2, size=n) == 1, _logu(rng, -300, 0, n), 1.0 - _logu(rng, -16, 0, n))
            t = np.where(rng.integers(2, size=n) == 1, rng.uniform(size=n), rng.integers(0, 2, size=n).astype(float))
            prm = {"logits": logits}
            if name == "focal":
                prm.update(gamma=float(rng.choice([0.5, 1.0, 2.0, 3.0])), alpha=float(rng.choice([0.25, -1.0, 0.6])))
            yield Case(name, prm, x, t, "random")
        elif name in ("ce", "nll"):
            c = int(rng.integers(2, 6))
            if name == "nll":
                yield Case(name, {}, np.log(_dirichlet(rng, n, c) + 1e-300), rng.integers(0, c, size=n).astype(float), "random")
                continue
            logits = bool(rng.integers(2))
            pred = rng.normal(size=(n, c)) * _logu(rng, -2, 3, (n, 1)) if logits else _dirichlet(rng, n, c) + 1e-300
            if not logits:
                pred = pred / pred.sum(axis=1, keepdims=True)
            soft = bool(rng.integers(2))
            target = _dirichlet(rng, n, c) if soft else rng.integers(0, c, size=n).astype(float)
            prm = {"logits": logits, "label_smoothing": float(rng.choice([0.0, 0.1]))}
            yield Case(name, prm, pred, target, "random")
        elif name in ("kl", "js"):
            c = int(rng.integers(2, 6))
            p = _dirichlet(rng, n, c)
            t = _dirichlet(rng, n, c) if rng.integers(2) else p * (1 + rng.normal(size=p.shape) * 1e-9)
            t = t / t.sum(axis=1, keepdims=True)
            yield Case(name, {}, p, np.clip(t, 0.0, 1.0), "random")
        elif name == "cosine":
            a = rng.normal(size=(n, 3)) * _logu(rng, -100, 100, (n, 1))
            b = a * rng.choice([-1.0, 1.0], size=(n, 1)) + rng.normal(size=(n, 3)) * np.abs(a) * _logu(rng, -12, 0, (n, 1))
            yield Case(name, {}, a, b, "random")
        elif name == "multilabel_soft_margin":
            yield Case(name, {}, rng.normal(size=(n, 3)) * _logu(rng, -2, 2.5, (n, 1)), rng.integers(0, 2, size=(n, 3)).astype(float), "random")
        elif name == "multi_margin":
            yield Case(name, {"p": int(rng.integers(1, 3)), "margin": float(rng.choice([1.0, 0.5]))},
                       rng.normal(size=(n, 4)) * _logu(rng, -2, 2, (n, 1)), rng.integers(0, 4, size=n).astype(float), "random")
        elif name == "dice":
            yield Case(name, {"smooth": float(rng.choice([1.0, 1e-5]))}, rng.uniform(size=(n, 5)) ** 3,
                       np.where(rng.integers(2, size=(n, 5)) == 1, rng.uniform(size=(n, 5)), 0.0), "random")


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(GENERATORS))
def test_loss_accuracy_random(name):
    worst = Worst()
    for case in random_cases(name, seed=zlib.crc32(name.encode()), count=60):
        measure(case, worst)
    assert not worst.failures(), "\n".join(worst.failures())


def run(name) -> Worst:
    worst = Worst()
    for case in GENERATORS[name]():
        measure(case, worst)
    return worst


def test_every_loss_has_a_sweep():
    assert sorted(GENERATORS) == sorted(registry.load().names("loss"))


@pytest.mark.parametrize("name", sorted(GENERATORS))
def test_loss_accuracy(name):
    worst = run(name)
    assert not worst.failures(), "\n".join(worst.failures())


def table(names=None):
    rows = []
    for name in names or sorted(GENERATORS):
        w = run(name)
        rows.append((name, max(w.value.values()), max(w.grad.values()), w))
    return rows


if __name__ == "__main__":
    names = [a for a in sys.argv[1:] if not a.startswith("-")] or None
    for name, v, g, w in table(names):
        print(f"{name:24s} value {v:12.4g}  grad {g:12.4g}   ({', '.join(f'{k} {x:.3g}' for k, x in {**{'v-' + a: b for a, b in w.value.items()}, **{'g-' + a: b for a, b in w.grad.items()}}.items())})")
        if "-v" in sys.argv:
            for k, where in w.where.items():
                print("    ", k, where[:200], "...", where[-160:])
