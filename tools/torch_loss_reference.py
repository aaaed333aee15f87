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
