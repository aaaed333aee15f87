"""Reference numbers for the losses from PyTorch (float64, CPU), run by hand.

    python tools/torch_loss_reference.py [OUT]   (default OUT: tests/data/torch_losses.json)

Needs torch (and optionally torchvision for the focal loss) in the running
Python; actloss itself is not imported. Each case records the actloss loss
name, its parameters and reduction, the inputs, the PyTorch expression it was
checked against, the value, and the gradient d loss/d pred from autograd
(the gradient of the sum for reduction 'none'). tests/test_torch_losses.py
compares actloss with these numbers without importing torch.

torchvision's sigmoid_focal_loss is pure Python; when the installed
torchvision's compiled ops do not load, its source file is executed on its own
(the usage-logging import replaced by a no-op), which is the same function.
"""

from __future__ import annotations

import datetime
import importlib.util
import json
import math
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
RNG = np.random.default_rng(2013)


def _focal_loss_fn():
    try:
        from torchvision.ops import sigmoid_focal_loss

        return sigmoid_focal_loss, "torchvision.ops.sigmoid_focal_loss"
    except Exception:  # noqa: BLE001 - the compiled ops of a mismatched build fail to register
        spec = importlib.util.find_spec("torchvision")
        if spec is None or not spec.submodule_search_locations:
            return None, None
        path = os.path.join(spec.submodule_search_locations[0], "ops", "focal_loss.py")
        src = open(path, encoding="utf-8").read().replace(
            "from ..utils import _log_api_usage_once", "_log_api_usage_once = lambda obj: None"
        )
        ns: dict = {}
        exec(compile(src, path, "exec"), ns)  # noqa: S102 - torchvision's own source
        return ns["sigmoid_focal_loss"], "torchvision.ops.sigmoid_focal_loss (source of torchvision/ops/focal_loss.py)"


FOCAL, FOCAL_NAME = _focal_loss_fn()


def _t(a, grad=False):
    return torch.tensor(np.asarray(a, dtype=np.float64), requires_grad=grad)


def _dist(n, c):
    x = RNG.uniform(0.05, 1.0, size=(n, c))
    return x / x.sum(axis=1, keepdims=True)


def _logit(p):
    return np.log(p) - np.log1p(-p)


CASES: list[dict] = []


def case(loss, pred, target, fn, expr, params=None, reductions=("mean", "sum", "none"), grad=True, index_target=False):
    """Run fn(pred_tensor, target_tensor, reduction) for each reduction and record value and gradient."""
    pred = np.asarray(pred, dtype=np.float64)
    target = np.asarray(target, dtype=np.float64)
    for reduction in reductions:
        p = _t(pred, grad=True)
        t = torch.tensor(target.astype(np.int64)) if index_target else _t(target)
        out = fn(p, t, reduction)
        entry = {
            "loss": loss,
            "params": params or {},
            "reduction": reduction,
            "torch": expr.replace("{reduction}", repr(reduction if loss != "kl" or reduction != "mean" else "batchmean")),
            "pred": pred.tolist(),
            "target": (target.astype(int) if index_target else target).tolist(),
            "value": out.detach().numpy().tolist(),
        }
        if grad:
            out.sum().backward()
            entry["grad"] = p.grad.numpy().tolist()
        CASES.append(entry)


def build() -> None:
    reg_p = RNG.normal(size=(3, 4)) * 2
    reg_t = RNG.normal(size=(3, 4))

    case("mse", reg_p, reg_t, lambda p, t, r: F.mse_loss(p, t, reduction=r), "F.mse_loss(pred, target, reduction={reduction})")
    case("l1", reg_p, reg_t, lambda p, t, r: F.l1_loss(p, t, reduction=r), "F.l1_loss(pred, target, reduction={reduction})")
    case("l2", reg_p, reg_t, lambda p, t, r: F.mse_loss(p, t, reduction=r), "F.mse_loss(pred, target, reduction={reduction})")
    for delta in (1.0, 0.7):
        case("huber", reg_p, reg_t, lambda p, t, r, d=delta: F.huber_loss(p, t, reduction=r, delta=d),
             f"F.huber_loss(pred, target, reduction={{reduction}}, delta={delta})", {"delta": delta})
    for beta in (1.0, 0.4, 0.0):
        case("smooth_l1", reg_p, reg_t, lambda p, t, r, b=beta: F.smooth_l1_loss(p, t, reduction=r, beta=b),
             f"F.smooth_l1_loss(pred, target, reduction={{reduction}}, beta={beta})", {"beta": beta})
    for var, full in ((1.0, False), (0.3, True)):
        case("gaussian_nll", reg_p, reg_t,
             lambda p, t, r, v=var, f=full: F.gaussian_nll_loss(p, t, torch.full_like(p, v), full=f, eps=1e-6, reduction=r),
             f"F.gaussian_nll_loss(pred, target, torch.full_like(pred, {var}), full={full}, reduction={{reduction}})",
             {"var": var, "full": full})
    counts = np.array([[0.0, 1.0, 2.0, 3.0], [5.0, 7.0, 0.0, 1.5], [4.0, 2.0, 9.0, 1.0]])
    for log_input, full in ((True, False), (True, True)):
        case("poisson_nll", reg_p / 2, counts,
             lambda p, t, r, li=log_input, f=full: F.poisson_nll_loss(p, t, log_input=li, full=f, reduction=r),
             f"F.poisson_nll_loss(pred, target, log_input={log_input}, full={full}, reduction={{reduction}})",
             {"log_input": log_input, "full": full})
    rates = RNG.uniform(0.1, 4.0, size=(3, 4))
    case("poisson_nll", rates, counts,
         lambda p, t, r: F.poisson_nll_loss(p, t, log_input=False, full=True, reduction=r),
         "F.poisson_nll_loss(pred, target, log_input=False, full=True, reduction={reduction})",
         {"log_input": False, "full": True})

    probs = RNG.uniform(0.02, 0.98, size=(2, 3))
    bin_t = np.array([[1.0, 0.0, 1.0], [0.3, 0.0, 0.75]])
    case("bce", probs, bin_t, lambda p, t, r: F.binary_cross_entropy(p, t, reduction=r),
         "F.binary_cross_entropy(pred, target, reduction={reduction})", {"logits": False})
    case("bce", _logit(probs), bin_t, lambda p, t, r: F.binary_cross_entropy_with_logits(p, t, reduction=r),
         "F.binary_cross_entropy_with_logits(pred, target, reduction={reduction})", {"logits": True})
    case("bce", np.array([40.0, -40.0, 700.0, -700.0]), np.array([1.0, 0.0, 0.0, 1.0]),
         lambda p, t, r: F.binary_cross_entropy_with_logits(p, t, reduction=r),
         "F.binary_cross_entropy_with_logits(pred, target, reduction={reduction})", {"logits": True})

    if FOCAL is not None:
        fp = np.array([0.1, 0.45, 0.7, 0.93, 0.35, 0.6])
        ft = np.array([1.0, 0.0, 1.0, 0.0, 0.4, 1.0])
        for gamma, alpha in ((2.0, 0.25), (0.5, 0.6), (3.0, -1.0)):
            case("focal", _logit(fp), ft, lambda p, t, r, g=gamma, a=alpha: FOCAL(p, t, alpha=a, gamma=g, reduction=r),
                 f"{FOCAL_NAME}(pred, target, alpha={alpha}, gamma={gamma}, reduction={{reduction}})",
                 {"logits": True, "gamma": gamma, "alpha": alpha})
            case("focal", fp, ft, lambda p, t, r, g=gamma, a=alpha: FOCAL(torch.logit(p), t, alpha=a, gamma=g, reduction=r),
                 f"{FOCAL_NAME}(torch.logit(pred), target, alpha={alpha}, gamma={gamma}, reduction={{reduction}})",
                 {"logits": False, "gamma": gamma, "alpha": alpha})

    # cross-entropy: logits through F.cross_entropy; probabilities through nll_loss(log p)
    z = np.log(_dist(3, 4)) + 1.5
    idx = np.array([2, 0, 3])
    weight = [0.5, 2.0, 1.0, 3.0]
    for smoothing, w in ((0.0, None), (0.1, None), (0.0, weight), (0.2, weight)):
        params = {"logits": True, "label_smoothing": smoothing, "weight": w}
        case("ce", z, idx,
             lambda p, t, r, s=smoothing, w=w: F.cross_entropy(p, t, weight=None if w is None else _t(w), label_smoothing=s, reduction=r),
             f"F.cross_entropy(pred, target, weight={w}, label_smoothing={smoothing}, reduction={{reduction}})",
             params, index_target=True)
    soft = np.array([[0.0, 1.0, 0.0], [0.2, 0.5, 0.3]])
    z3 = np.log(_dist(2, 3)) - 0.5
    for smoothing, w in ((0.0, None), (0.15, None), (0.0, [0.5, 2.0, 1.0])):
        case("ce", z3, soft,
             lambda p, t, r, s=smoothing, w=w: F.cross_entropy(p, t, weight=None if w is None else _t(w), label_smoothing=s, reduction=r),
             f"F.cross_entropy(pred, target_probabilities, weight={w}, label_smoothing={smoothing}, reduction={{reduction}})",
             {"logits": True, "label_smoothing": smoothing, "weight": w})
    case("ce", np.array([[1000.0, -1000.0], [-1000.0, 1000.0]]), np.array([0, 0]),
         lambda p, t, r: F.cross_entropy(p, t, reduction=r), "F.cross_entropy(pred, target, reduction={reduction})",
         {"logits": True}, index_target=True)
    p4 = _dist(3, 4)
    for w in (None, weight):
        case("ce", p4, idx,
             lambda p, t, r, w=w: F.nll_loss(torch.log(p), t, weight=None if w is None else _t(w), reduction=r),
             f"F.nll_loss(torch.log(pred), target, weight={w}, reduction={{reduction}})",
             {"logits": False, "weight": w}, index_target=True)
        case("nll", np.log(p4), idx,
             lambda p, t, r, w=w: F.nll_loss(p, t, weight=None if w is None else _t(w), reduction=r),
             f"F.nll_loss(pred, target, weight={w}, reduction={{reduction}})",
             {"weight": w}, index_target=True)

    # KL(target || pred): PyTorch's input is log pred; actloss's 'mean' is PyTorch's 'batchmean'
    kp, kt = _dist(3, 4), _dist(3, 4)
    kt[1] = [0.0, 0.5, 0.25, 0.25]

    def kl(p, t, r):
        if r == "none":
            return F.kl_div(torch.log(p), t, reduction="none").sum(-1)
        return F.kl_div(torch.log(p), t, reduction="batchmean" if r == "mean" else r)

    case("kl", kp, kt, kl, "F.kl_div(torch.log(pred), target, reduction={reduction}) ('none': summed over the last axis)")

    cp, ct = RNG.normal(size=(3, 5)) * 10, RNG.normal(size=(3, 5)) * 10

    def cosine(p, t, r):
        per = 1 - F.cosine_similarity(p, t, dim=-1)
        return per.mean() if r == "mean" else per.sum() if r == "sum" else per

    case("cosine", cp, ct, cosine, "1 - F.cosine_similarity(pred, target, dim=-1), reduced by {reduction}")
    case("cosine", cp, ct, lambda p, t, r: F.cosine_embedding_loss(p, t, torch.ones(p.shape[0]), reduction=r),
         "F.cosine_embedding_loss(pred, target, torch.ones(N), reduction={reduction})")

    build_options_and_new_losses()


def _reduced(per, r):
    return per.mean() if r == "mean" else per.sum() if r == "sum" else per


def build_options_and_new_losses() -> None:
    # hinge at margin exactly 1: autograd through clamp passes the gradient at the boundary
    hp = np.array([1.0, -1.0, 0.5, 2.0, -0.25, 1.0])
    ht = np.array([1.0, -1.0, 1.0, -1.0, 1.0, -1.0])
    case("hinge", hp, ht, lambda p, t, r: _reduced(torch.clamp(1 - t * p, min=0), r),
         "torch.clamp(1 - target * pred, min=0) reduced by {reduction} (margins exactly 1 included)")
    case("squared_hinge", hp, ht, lambda p, t, r: _reduced(torch.clamp(1 - t * p, min=0) ** 2, r),
         "torch.clamp(1 - target * pred, min=0) ** 2 reduced by {reduction}")

    # ce and nll: ignore_index, and PyTorch's layout (N, C, d1, d2)
    z = RNG.normal(size=(4, 3)) * 2
    idx = np.array([0, -100, 2, 1])
    for smoothing, w in ((0.0, None), (0.1, None), (0.0, [0.5, 2.0, 1.0])):
        case("ce", z, idx,
             lambda p, t, r, s=smoothing, w=w: F.cross_entropy(p, t, weight=None if w is None else _t(w), label_smoothing=s, reduction=r),
             f"F.cross_entropy(pred, target, weight={w}, label_smoothing={smoothing}, reduction={{reduction}}) (ignore_index -100)",
             {"logits": True, "label_smoothing": smoothing, "weight": w}, index_target=True)
    case("ce", z, np.array([0, 1, 2, 1]), lambda p, t, r: F.cross_entropy(p, t, ignore_index=1, reduction=r),
         "F.cross_entropy(pred, target, ignore_index=1, reduction={reduction})", {"logits": True, "ignore_index": 1}, index_target=True)
    lp = np.log(_dist(4, 3))
    case("nll", lp, idx, lambda p, t, r: F.nll_loss(p, t, reduction=r), "F.nll_loss(pred, target, reduction={reduction}) (ignore_index -100)",
         index_target=True)
    znd = RNG.normal(size=(2, 3, 2, 2)) * 2
    ind = RNG.integers(0, 3, size=(2, 2, 2))
    ind[0, 1, 0] = -100
    case("ce", znd, ind, lambda p, t, r: F.cross_entropy(p, t, reduction=r),
         "F.cross_entropy(pred (N, C, d1, d2), target (N, d1, d2), reduction={reduction})", {"logits": True}, index_target=True)
    soft_nd = np.moveaxis(RNG.dirichlet([1.0, 1.0, 1.0], size=(2, 2, 2)), -1, 1)
    case("ce", znd, soft_nd, lambda p, t, r: F.cross_entropy(p, t, label_smoothing=0.1, reduction=r),
         "F.cross_entropy(pred (N, C, d1, d2), target probabilities (N, C, d1, d2), label_smoothing=0.1, reduction={reduction})",
         {"logits": True, "label_smoothing": 0.1})
    case("nll", np.log(np.moveaxis(RNG.dirichlet([1.0, 1.0, 1.0], size=(2, 4)), -1, 1)), RNG.integers(0, 3, size=(2, 4)),
         lambda p, t, r: F.nll_loss(p, t, reduction=r), "F.nll_loss(pred (N, C, d1), target (N, d1), reduction={reduction})",
         index_target=True)

    # bce with logits: pos_weight per class (last axis), and one for all
    bz = RNG.normal(size=(3, 4)) * 3
    bt = np.array([[1.0, 0.0, 1.0, 0.0], [0.0, 1.0, 1.0, 0.3], [1.0, 1.0, 0.0, 0.8]])
    for pw in ([0.5, 2.0, 1.0, 10.0], [3.0]):
        case("bce", bz, bt, lambda p, t, r, pw=pw: F.binary_cross_entropy_with_logits(p, t, pos_weight=_t(pw), reduction=r),
             f"F.binary_cross_entropy_with_logits(pred, target, pos_weight={pw}, reduction={{reduction}})",
             {"logits": True, "pos_weight": pw})

    # the new losses torch has
    sm_p = np.array([0.5, -2.0, 30.0, -40.0, 0.0, 1.5])  # torch computes log(1 + exp(-y·x)): inf below about -709
    sm_t = np.array([1.0, -1.0, -1.0, 1.0, 1.0, -1.0])
    case("soft_margin", sm_p, sm_t, lambda p, t, r: F.soft_margin_loss(p, t, reduction=r),
         "F.soft_margin_loss(pred, target, reduction={reduction})")
    ml_t = np.array([[1.0, 0.0, 1.0, 0.0], [0.0, 0.0, 1.0, 1.0], [1.0, 1.0, 1.0, 0.0]])
    for w in (None, [1.0, 2.0, 0.5, 3.0]):
        case("multilabel_soft_margin", bz, ml_t,
             lambda p, t, r, w=w: F.multilabel_soft_margin_loss(p, t, weight=None if w is None else _t(w), reduction=r),
             f"F.multilabel_soft_margin_loss(pred, target, weight={w}, reduction={{reduction}})", {"weight": w})
    mm_p = np.array([[0.1, 0.2, 0.4, 0.8], [1.0, 0.0, 0.0, 2.0], [0.3, -0.2, 1.5, 0.9]])
    mm_t = np.array([3, 0, 2])  # row 2: a violation exactly 0 (1 - 1 + 0)
    for p_, m_, w in ((1, 1.0, None), (2, 1.0, None), (1, 0.5, [1.0, 2.0, 0.5, 3.0]), (2, 2.0, [0.3, 1.0, 1.0, 2.0])):
        case("multi_margin", mm_p, mm_t,
             lambda p, t, r, p_=p_, m_=m_, w=w: F.multi_margin_loss(p, t, p=p_, margin=m_, weight=None if w is None else _t(w), reduction=r),
             f"F.multi_margin_loss(pred, target, p={p_}, margin={m_}, weight={w}, reduction={{reduction}})",
             {"p": p_, "margin": m_, "weight": w}, index_target=True)
    # quantile (no torch loss): the pinball formula through torch.maximum, ties included
    qp = np.array([0.0, 2.0, 1.0, -1.5, 3.0, 0.25])
    qt = np.array([1.0, 1.0, 1.0, -1.5, -2.0, 0.75])
    for tau in (0.5, 0.9, 0.1):
        case("quantile", qp, qt,
             lambda p, t, r, tau=tau: _reduced(torch.maximum(tau * (t - p), (tau - 1) * (t - p)), r),
             f"torch.maximum({tau} * (target - pred), ({tau} - 1) * (target - pred)) reduced by {{reduction}}", {"tau": tau})


def main(argv: list[str]) -> None:
    out = argv[1] if len(argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "tests", "data", "torch_losses.json")
    build()
    try:
        from importlib.metadata import version

        tv = version("torchvision") if FOCAL is not None else None
    except Exception:  # noqa: BLE001
        tv = None
    doc = {
        "source": f"PyTorch {torch.__version__} on CPU in float64 (torch.nn.functional; focal: torchvision)",
        "torch": torch.__version__,
        "torchvision": tv,
        "command": "python tools/torch_loss_reference.py",
        "date": datetime.date.today().isoformat(),
        "note": "gradients are d loss/d pred from autograd; for reduction 'none' the gradient of the sum",
        "cases": CASES,
    }

    def clean(x):
        if isinstance(x, float) and not math.isfinite(x):
            return repr(x)
        if isinstance(x, list):
            return [clean(v) for v in x]
        if isinstance(x, dict):
            return {k: clean(v) for k, v in x.items()}
        return x

    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    doc = clean(doc)
    cases = doc.pop("cases")
    lines = ["{"] + [f" {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}," for k, v in doc.items()]
    lines += [' "cases": [', ",\n".join("  " + json.dumps(c) for c in cases), " ]", "}"]
    with open(out, "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")
    print(f"{len(CASES)} cases written to {out}")


if __name__ == "__main__":
    main(sys.argv)
