"""actloss grad --order 2: second derivatives on the command line (in-process, tests/cli.py), and in Python."""

from __future__ import annotations

import json

import numpy as np
import pytest

from actloss.registry import get
from cli import invoke


def _floats(text):
    return [float(v) for v in text.split()]


def test_order_2_prints_the_second_derivative():
    r = invoke("grad", "--order", "2", "gelu", "--", "0", "1", "-3")
    assert r.code == 0, r.err
    assert _floats(r.out) == get("gelu").derivative(np.array([0.0, 1.0, -3.0]), order=2).tolist()


def test_order_1_is_todays_grad():
    a = invoke("grad", "--order", "1", "sigmoid", "--", "40")
    b = invoke("grad", "sigmoid", "--", "40")
    assert a.code == b.code == 0 and a.out == b.out == "4.248354255291589e-18\n"


@pytest.mark.parametrize("spelling", [("--order", "2"), ("--order=2",)])
def test_spellings_and_parameters(spelling):
    r = invoke("grad", "elu", *spelling, "--alpha", "0.5", "--", "-1", "0", "1")
    assert r.code == 0, r.err
    assert _floats(r.out) == get("elu").derivative(np.array([-1.0, 0.0, 1.0]), order=2, alpha=0.5).tolist()
    assert _floats(r.out)[1:] == [0.0, 0.0]  # elu''(0) = 0, as PyTorch


def test_stdin_and_csv_and_json():
    r = invoke("grad", "--order", "2", "tanh", "silu", "--format", "csv", stdin="-1\n0.5\n")
    assert r.code == 0, r.err
    assert r.out.splitlines()[0] == "x,tanh'',silu''"
    r = invoke("grad", "--order", "2", "softplus", "--format", "json", "--", "0")
    obj = json.loads(r.out)
    assert obj["quantity"] == "second derivative" and obj["y"] == [0.25]
    r = invoke("grad", "--order", "2", "tanh", stdin="0.5\n-2\n")  # the streaming path
    assert _floats(r.out) == get("tanh").derivative(np.array([0.5, -2.0]), order=2).tolist()


@pytest.mark.parametrize("args, message", [
    (("grad", "--order", "3", "gelu", "--", "1"), "--order must be one of 1, 2"),
    (("eval", "--order", "2", "gelu", "--", "1"), "unknown option --order"),
    (("grad", "--order", "2", "softmax", "--", "1", "2"), "softmax has no second derivative"),
    (("grad", "--order", "2", "kl", "--pred", "0.5,0.5", "--target", "0.5,0.5"), "use --order 1"),
    (("loss", "mse", "--order", "2", "--pred", "1", "--target", "2"), "unknown option --order"),
])
def test_errors_are_one_line_exit_2(args, message):
    r = invoke(*args)
    assert r.code == 2 and r.out == ""
    assert len(r.err.strip().splitlines()) == 1 and message in r.err, r.err


def test_loss_hessian_diagonal():
    r = invoke("grad", "--order", "2", "bce", "--pred", "0.2,0.9", "--target", "0.3,1", "--reduction", "sum")
    assert r.code == 0, r.err
    assert _floats(r.out) == get("bce").derivative([0.2, 0.9], [0.3, 1.0], order=2, reduction="sum").tolist()
    r = invoke("grad", "--order", "2", "mse", "--pred", "0.5,2", "--target", "1,2", "--format", "json")
    obj = json.loads(r.out)
    assert obj["quantity"] == "hessian_diagonal" and obj["second_derivative"] == [1.0, 1.0]


def test_ce_logits_per_sample_hessian():
    r = invoke("grad", "--order", "2", "ce", "--logits", "--pred", "2,-1,0.5;0,0,0", "--target", "0,1")
    assert r.code == 0, r.err
    blocks = [b for b in r.out.split("\n\n")]
    assert len(blocks) == 2
    want = get("ce").derivative([[2, -1, 0.5], [0, 0, 0]], [0, 1], order=2, logits=True)
    for block, h in zip(blocks, want):
        assert [_floats(line) for line in block.strip().splitlines()] == h.tolist()
    r = invoke("grad", "--order", "2", "ce", "--logits", "--pred", "2,-1,0.5", "--target", "0", "--format", "csv")
    lines = r.out.splitlines()
    assert lines[0] == "sample,pred_0,pred_1,pred_2,target,row,d2_0,d2_1,d2_2" and len(lines) == 4
    r = invoke("grad", "--order", "2", "ce", "--logits", "--pred", "[[2,-1,0.5]]", "--target", "0", "--format", "json")
    obj = json.loads(r.out)
    assert obj["quantity"] == "hessian" and np.asarray(obj["second_derivative"]).shape == (1, 3, 3)


def test_python_api_forwards_order():
    import actloss as al

    assert al.gelu.grad(1.0, order=2) == get("gelu").derivative(np.array([1.0]), order=2)[0]
    assert al.silu.grad([0.0], order=2, beta=2.0).tolist() == [1.0]  # beta/2 at 0
    h = al.ce.grad([[2.0, -1.0, 0.5]], [0], logits=True, order=2)
    assert h.shape == (1, 3, 3)
    with pytest.raises(al.ParameterError, match="order must be 1 or 2"):
        al.relu.grad(1.0, order=0)
