"""actloss agrees with PyTorch's loss functions to 1e-12 relative (values and gradients).

The reference numbers come from tools/torch_loss_reference.py, run by hand with
the PyTorch version named in the file's header; torch is not imported here.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from actloss import registry

DATA = json.loads((Path(__file__).parent / "data" / "torch_losses.json").read_text(encoding="utf-8"))
CASES = DATA["cases"]
REL = 1e-12


def _num(v):
    return float(v)  # numbers, or "inf" / "-inf" / "nan" spelled as strings


def _arr(a):
    return np.vectorize(_num, otypes=[float])(np.asarray(a, dtype=object)) if np.ndim(a) else np.float64(_num(a))


def agree(got, want) -> bool:
    got = np.asarray(got, dtype=np.float64)
    want = np.asarray(want, dtype=np.float64)
    if got.shape != want.shape:
        return False
    same_special = (got == want) | (np.isnan(got) & np.isnan(want))
    finite = np.isfinite(want)
    if not (same_special | finite).all():
        return False
    # relative agreement, with a floor at 1e-12 of the largest entry for entries that are (near) zero
    floor = REL * (np.max(np.abs(want[finite])) if finite.any() else 0.0) * 1e-3
    err = np.abs(got - want)
    return bool(np.all(same_special | (err <= REL * np.abs(want) + floor)))


def test_header_names_its_source():
    assert DATA["torch"].startswith("2.13.0")
    assert DATA["command"] and DATA["date"]
    assert len(CASES) > 50


def _id(case):
    p = ",".join(f"{k}={v}" for k, v in case["params"].items() if v not in (None, False, 0.0))
    return f"{case['loss']}[{p}]-{case['reduction']}"


@pytest.mark.parametrize("case", CASES, ids=[_id(c) for c in CASES])
def test_agrees_with_pytorch(case):
    rec = registry.get(case["loss"])
    params = {k: v for k, v in case["params"].items() if v is not None}
    pred, target = _arr(case["pred"]), _arr(case["target"])
    got = rec.value(pred, target, reduction=case["reduction"], **params)
    assert agree(got, _arr(case["value"])), (case["torch"], got, case["value"])
    if "grad" in case:
        g = rec.derivative(pred, target, reduction=case["reduction"], **params)
        assert agree(g, _arr(case["grad"])), (case["torch"], g.tolist(), case["grad"])


def test_every_loss_with_a_pytorch_function_is_covered():
    covered = {c["loss"] for c in CASES}
    with_torch = {r.name for r in registry.load() if r.kind == "loss" and not r.equivalents["torch"].startswith("none")}
    assert with_torch <= covered, with_torch - covered
