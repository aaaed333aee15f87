"""actloss follows PyTorch's conventions: defaults, derivatives at kinks, and agreement at ordinary points.

The reference numbers were produced by tools/torch_reference.py with torch 2.13.0 (CPU, float64,
autograd) and are committed in tests/data/torch_activations.json; this test does not import torch.
Exactness is tested against mpmath elsewhere: PyTorch is the reference for conventions only.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from actloss import registry

DATA = json.loads((Path(__file__).parent / "data" / "torch_activations.json").read_text())

# At the ordinary points PyTorch is within a few ulp of the truth except where its own formula cancels
# (listed below); the largest relative difference otherwise measured with torch 2.13 is 7e-15 (gelu(-3)).
# 1e-12 leaves room for that and still catches any difference of definition.
REL = 1e-12


def _case_id(case):
    extra = ",".join(f"{k}={v}" for k, v in case["params"].items())
    return f"{case['name']}({extra})"


CASES = DATA["elementwise"]

# Derivatives where PyTorch's own float64 arithmetic loses digits (actloss is checked against mpmath there),
# with the relative difference measured against torch 2.13: autograd's tanh' is 1 - tanh(x)^2 and sigmoid'
# is s*(1 - s), which cancel for large x (tanh'(10): 9.0e-9, sigmoid'(10): 9.7e-13); hardsigmoid's backward
# multiplies by a float32 1/6 (2.98e-8 at every point of the slope).
TORCH_INEXACT = {("tanh", 10.0): 1e-7, ("sigmoid", 10.0): 1e-11, ("hardsigmoid", None): 1e-7}


def test_reference_file_provenance():
    head = DATA["header"]
    assert head["torch"].startswith("2.13.0") and "torch_reference.py" in head["generated_by"]


def test_every_torch_activation_is_covered():
    reg = registry.load()
    covered = {c["name"] for c in CASES} | {v["name"] for v in DATA["vector"]}
    has_torch = {r.name for r in reg if r.kind == "activation" and not r.equivalents.get("torch", "none").startswith("none")}
    assert has_torch - covered == set()


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_derivative_at_kinks_is_pytorchs(case):
    record = registry.get(case["name"])
    x = np.array(case["x"])
    ours = record.derivative(x, **case["params"])
    for k in case["kinks"]:
        i = case["x"].index(k)
        assert ours[i] == case["dy"][i], f"{case['name']}'({k}) = {ours[i]}, PyTorch {case['dy'][i]}"
    stated = dict(record.kink_points(case["params"]))
    for k in case["kinks"]:
        assert stated[k] == case["dy"][case["x"].index(k)], "the record states the convention it follows"


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_values_and_derivatives_agree_with_pytorch(case):
    record = registry.get(case["name"])
    x = np.array(case["x"])
    for ours, theirs, is_grad in (
        (record.value(x, **case["params"]), case["y"], False),
        (record.derivative(x, **case["params"]), case["dy"], True),
    ):
        for xi, a, b in zip(case["x"], ours.tolist(), theirs):
            if case["name"] == "softplus" and xi * case["params"]["beta"] > 20:
                # PyTorch returns x once beta*x > 20 (its threshold); actloss is exact there
                assert abs(a - b) <= 1e-8 * abs(b)
                continue
            inexact = TORCH_INEXACT.get((case["name"], xi), TORCH_INEXACT.get((case["name"], None)))
            rel = inexact if is_grad and inexact else REL
            assert math.isclose(a, b, rel_tol=rel, abs_tol=1e-300), (case["name"], xi, a, b)


@pytest.mark.parametrize("vec", DATA["vector"], ids=lambda v: f"{v['name']}{v['x']}")
def test_vector_functions_and_jacobians_agree_with_pytorch(vec):
    record = registry.get(vec["name"])
    x = np.array(vec["x"])
    np.testing.assert_allclose(record.value(x), vec["y"], rtol=REL, atol=1e-300)
    np.testing.assert_allclose(record.derivative(x), vec["jacobian"], rtol=REL, atol=1e-15)


@pytest.mark.parametrize("key", sorted(DATA["defaults"]))
def test_defaults_are_pytorchs(key):
    name, param = key.split(".")
    assert registry.get(name).defaults()[param] == DATA["defaults"][key]


@pytest.mark.parametrize("label", sorted(DATA["tails"]))
def test_tails_where_pytorch_is_inexact_are_exact_here(label):
    """The recorded tails: torch differs from the correctly rounded value, actloss is within 2 ulp of it."""
    tail = DATA["tails"][label]
    name = label.split("(")[0].rstrip("'")
    record = registry.get(name)
    fn = record.derivative if label.split("(")[0].endswith("'") else record.value
    ours = float(fn(np.array([tail["x"]]))[0])
    assert tail["torch"] != tail["exact"]
    assert abs(ours - tail["exact"]) <= 2 * math.ulp(tail["exact"]), (label, ours, tail["exact"])


# ---------------------------------------------------------------------------
# signed zeros and second derivatives (double backward)
# ---------------------------------------------------------------------------

def _sign(v):
    return math.copysign(1.0, v)


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_signed_zeros_are_pytorchs(case):
    """f(+-0), f'(+-0) and f''(+-0) with PyTorch's signs: relu(-0.0) = -0.0, tanhshrink(-0.0) = +0.0, ..."""
    record = registry.get(case["name"])
    zeros = case["signed_zeros"]
    x = np.array(zeros["x"])
    assert [_sign(v) for v in x] == [1.0, -1.0]
    for which, fn in (("y", record.value), ("dy", record.derivative),
                      ("d2y", lambda x, **p: record.derivative(x, order=2, **p))):
        if zeros[which] is None:  # no double backward in torch (hardsigmoid): see the next tests
            continue
        ours = fn(x, **case["params"]).tolist()
        for xi, a, b in zip(zeros["x"], ours, zeros[which]):
            # the values are compared in the tests above (hardsigmoid' is a float32 1/6 in torch); here the signs
            same = (a == 0.0) == (b == 0.0) and _sign(a) == _sign(b) and math.isclose(a, b, rel_tol=1e-7)
            assert same, f"{case['name']} {which}({xi!r}): ours {a!r}, PyTorch {b!r}"


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_zero_results_carry_pytorchs_sign(case):
    """Wherever PyTorch's value or derivative is a zero, actloss's is the same zero (softshrink(-0.5) = -0.0)."""
    record = registry.get(case["name"])
    x = np.array(case["x"])
    for which, fn in (("y", record.value), ("dy", record.derivative)):
        ours = fn(x, **case["params"]).tolist()
        for xi, a, b in zip(case["x"], ours, case[which]):
            if b == 0.0 and a != 0.0:  # torch flushed a subnormal result (celu(-5e-324) = -0.0): actloss is exact
                assert abs(a) < 2.0**-1022 and _sign(a) == _sign(b), (case["name"], which, xi, a, b)
            elif b == 0.0:
                assert _sign(a) == _sign(b), f"{case['name']} {which}({xi!r}): ours {a!r}, PyTorch {b!r}"


@pytest.mark.parametrize("case", [c for c in CASES if c["kinks"]], ids=_case_id)
def test_second_derivative_at_kinks_is_pytorchs(case):
    """relu'' = 0 everywhere, elu''(0) = 0, hardswish''(+-3) = 0, hardtanh'' = 0: PyTorch's double backward,
    and the record states it (Function.kink_points2)."""
    record = registry.get(case["name"])
    x = np.array(case["x"])
    ours = record.derivative(x, order=2, **case["params"])
    stated = dict(record.kink_points2(case["params"]))
    assert sorted(stated) == sorted(case["kinks"])
    for k in case["kinks"]:
        i = case["x"].index(k)
        if case["d2y"] is None:
            assert ours[i] == stated[k] == 0.0
            continue
        assert ours[i] == case["d2y"][i] == stated[k], f"{case['name']}''({k}) = {ours[i]}, PyTorch {case['d2y'][i]}"


def test_hardsigmoid_has_no_double_backward_in_pytorch_and_the_card_says_so():
    (case,) = [c for c in CASES if c["name"] == "hardsigmoid"]
    assert case["d2y"] is None and "not implemented" in case["d2y_error"]
    record = registry.get("hardsigmoid")
    assert "no double backward" in record.kink_note
    x = np.array([-3.0, np.nextafter(-3.0, 0), 0.0, 2.5, 3.0, 4.0])
    assert (record.derivative(x, order=2) == 0.0).all()  # the one-sided limits at +-3, and 0 between


# Where PyTorch's double backward cancels in float64 (actloss is within 1 ulp of mpmath at each), with the
# relative difference measured against torch 2.13 at x = 10: tanh'' and tanhshrink'' 9.0e-9 (1 - tanh^2),
# mish'' 1.2e-8, quick_gelu'' 1.4e-9 (1 - sigma), the tanh GELU's f'' 1.7e-2 (-6.37e-35 against the exact
# -6.26e-35: 1 - tanh(w) is formed before it is multiplied out).
TORCH_INEXACT2 = {("tanh", 10.0): 1e-7, ("tanhshrink", 10.0): 1e-7, ("mish", 10.0): 1e-7,
                  ("quick_gelu", 10.0): 1e-8, ("gelu", 10.0): 0.05}


@pytest.mark.parametrize("case", [c for c in CASES if c["d2y"] is not None], ids=_case_id)
def test_second_derivatives_agree_with_pytorch(case):
    record = registry.get(case["name"])
    x = np.array(case["x"])
    ours = record.derivative(x, order=2, **case["params"]).tolist()
    for xi, a, b in zip(case["x"], ours, case["d2y"]):
        if case["name"] == "softplus" and xi * case["params"]["beta"] >= 20:
            assert b == 0.0 and abs(a) < 1e-8  # PyTorch's double backward is that of x from beta*x = 20 on
            continue
        rel = TORCH_INEXACT2.get((case["name"], xi), REL)
        assert math.isclose(a, b, rel_tol=rel, abs_tol=1e-300), (case["name"], xi, a, b)
