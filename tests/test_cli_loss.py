"""`actloss loss` and `actloss grad LOSS` as a user runs them: exact output, exit codes, one-line errors."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys

import mpmath as mp
import numpy as np
import pytest

from cli import invoke
from terminal import run_on_terminal

ACTLOSS = [sys.executable, "-m", "actloss"]
ENV = {**os.environ, "NO_COLOR": "1", "COLUMNS": "100"}


def run(*args, stdin=None, env=None, process=False):
    """(exit status, stdout, stderr): in this process, or in a real one where ``env`` or ``process`` asks."""
    if env is None and not process:
        r = invoke(*args, stdin=stdin or "")
        return r.code, r.out, r.err
    p = subprocess.run(ACTLOSS + list(args), input=stdin, capture_output=True, text=True, env=env or ENV, timeout=60)
    return p.returncode, p.stdout, p.stderr


def ok(*args, **kw) -> str:
    code, out, err = run(*args, **kw)
    assert (code, err) == (0, ""), err
    return out


def error(*args, **kw) -> str:
    code, out, err = run(*args, **kw)
    assert code == 2 and out == "", (code, out, err)
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("actloss: error: ") and "Traceback" not in err, err
    return lines[0][len("actloss: error: "):]


def near(text: str, want, ulps: int = 2) -> bool:
    got = float(text)
    want = float(want)
    return got == want or abs(got - want) <= ulps * math.ulp(want)


mp.mp.prec = 200


# ---------------------------------------------------------------------------
# values and formats
# ---------------------------------------------------------------------------

def test_mse_plain():
    assert ok("loss", "mse", "--pred", "0.5,2", "--target", "1,2") == "0.125\n"


def test_reductions_and_none_one_per_line():
    args = ["loss", "mse", "--pred", "[[0.5,2],[1,1]]", "--target", "0.5,1;1,3"]
    assert ok(*args) == "1.25\n"
    assert ok(*args, "--reduction", "sum") == "5.0\n"
    assert ok(*args, "--reduction=none") == "0.0\n1.0\n0.0\n4.0\n"
    assert ok("loss", "l2", "--pred", "1,2", "--target", "0,0") == "5.0\n"  # l2 sums by default
    assert ok("loss", "sse", "--pred", "1,2", "--target", "0,0", "--reduction", "mean") == "2.5\n"


def test_ce_probabilities_by_default():
    out = ok("loss", "ce", "--pred", "0.1,0.9;0.8,0.2", "--target", "1,0")
    assert near(out, -(mp.log(mp.mpf("0.9")) + mp.log(mp.mpf("0.8"))) / 2)
    none = ok("loss", "cross_entropy", "--pred", "[[0.1,0.9],[0.8,0.2]]", "--target", "[1,0]", "--reduction", "none")
    assert none == f"{-math.log(0.9)!r}\n{-math.log(0.8)!r}\n"


def test_ce_logits_of_1000_are_exact():
    args = ["--pred", "[[1000,-1000],[-1000,1000]]", "--target", "0,0", "--logits"]
    assert ok("loss", "ce", *args) == "1000.0\n"
    assert ok("loss", "ce", *args, "--reduction", "none") == "0.0\n2000.0\n"
    assert ok("grad", "ce", *args) == "0.0 0.0\n-0.5 0.5\n"


def test_grad_ce_logits_is_softmax_minus_onehot_over_n():
    out = ok("grad", "ce", "--logits", "--pred", "2,-1,0.5", "--target", "0")
    z = [mp.mpf(2), mp.mpf(-1), mp.mpf("0.5")]
    s = mp.fsum(mp.exp(v) for v in z)
    want = [mp.exp(v) / s - (1 if i == 0 else 0) for i, v in enumerate(z)]
    assert all(near(g, w) for g, w in zip(out.split(), want))
    assert len(out.splitlines()) == 3  # same shape as pred: one per line for a single vector


def test_logits_switch_forms():
    base = ["loss", "bce", "--pred", "0.25", "--target", "1"]
    assert ok(*base, "--logits=false") == ok(*base, "--no-logits") == ok(*base)
    assert near(ok(*base, "--logits"), mp.log1p(mp.exp(mp.mpf("-0.25"))))
    assert ok(*base, "--logits=true") == ok(*base, "--logits")


def test_kl_order_and_batchmean():
    args = ["--pred", "0.5,0.5;0.9,0.1", "--target", "0.9,0.1;0.5,0.5"]
    p = [[mp.mpf("0.5"), mp.mpf("0.5")], [mp.mpf("0.9"), mp.mpf("0.1")]]
    t = [[mp.mpf("0.9"), mp.mpf("0.1")], [mp.mpf("0.5"), mp.mpf("0.5")]]
    per = [mp.fsum(tc * mp.log(tc / pc) for pc, tc in zip(pr, tr)) for pr, tr in zip(p, t)]
    out = ok("loss", "kl", *args)
    assert near(out, (per[0] + per[1]) / 2)
    assert ok("loss", "kld", *args, "--reduction", "batchmean") == out
    lines = ok("loss", "kl_div", *args, "--reduction", "none").split()
    assert near(lines[0], per[0]) and near(lines[1], per[1])


def test_json_states_conventions():
    obj = json.loads(ok("loss", "ce", "--pred", "0.1,0.9;0.8,0.2", "--target", "1,0", "--format", "json"))
    assert obj["loss"] == "ce" and obj["reduction"] == "mean" and obj["per"] == "sample"
    assert obj["conventions"] == ["probabilities", "class indices"]
    assert obj["description"] == "probabilities, class indices, mean over 2 samples"
    assert obj["values"] == [-math.log(0.9), -math.log(0.8)]
    assert obj["target"] == [1, 0] and obj["pred"] == [[0.1, 0.9], [0.8, 0.2]]
    assert obj["parameters"] == {"logits": False, "label_smoothing": 0.0, "weight": None, "ignore_index": -100, "normalize": False}
    assert near(str(obj["value"]), (-mp.log(mp.mpf("0.9")) - mp.log(mp.mpf("0.8"))) / 2)
    g = json.loads(ok("grad", "ce", "--logits", "--pred", "[[1000,-1000]]", "--target", "1", "--format=json"))
    assert g["quantity"] == "gradient" and g["gradient"] == [[1.0, -1.0]]
    assert g["description"] == "logits (raw scores), class indices, gradient of the mean over 1 sample"


def test_json_weighted_mean_names_its_denominator():
    obj = json.loads(ok("loss", "ce", "--pred", "0.7,0.3;0.2,0.8", "--target", "0,1", "--weight", "1,3", "--format", "json"))
    assert obj["denominator"] == 4.0 and obj["parameters"]["weight"] == [1.0, 3.0]
    assert "divided by the sum of their class weights, 4" in obj["description"]


def test_csv():
    out = ok("loss", "mse", "--pred", "0.5,2", "--target", "1,2", "--format", "csv")
    assert out == "element,pred,target,loss\n0,0.5,1.0,0.25\n1,2.0,2.0,0.0\nmean,,,0.125\n"  # numbered from 0
    out = ok("grad", "ce", "--logits", "--pred", "[[1000,-1000]]", "--target", "1", "--format", "csv")
    assert out == "sample,pred_0,pred_1,target,grad_0,grad_1\n0,1000.0,-1000.0,1,1.0,-1.0\n"
    out = ok("loss", "kl", "--pred", "0.5,0.5", "--target", "1,0", "--format", "csv", "--reduction", "none")
    assert out == f"sample,pred_0,pred_1,target_0,target_1,loss\n0,0.5,0.5,1.0,0.0,{math.log(2.0)!r}\n"


def test_precision():
    assert ok("loss", "ce", "--pred", "0.1,0.9;0.8,0.2", "--target", "1,0", "--precision", "3") == "0.164\n"


def test_table_caption_spells_out_the_convention():
    out = ok("loss", "ce", "--pred", "0.1,0.9;0.8,0.2;0.5,0.5;0.3,0.7", "--target", "1,0,0,1", "--format", "table")
    assert out.splitlines()[0].strip() == "ce(pred, target)"
    assert "probabilities, class indices, mean over 4 samples" in out
    assert "0.1, 0.9" in out and " mean " in out
    out = ok("grad", "hinge", "--pred", "0.5,-2", "--target", "1,0", "--format", "table")
    assert "∂hinge/∂pred(pred, target)" in out and "labels {0, 1} mapped to {-1, 1}, gradient of the mean over 2 elements" in out


def test_terminal_gets_a_table_and_pipe_gets_plain():
    code, text = run_on_terminal(["loss", "mse", "--pred", "0.5,2", "--target", "1,2"], ENV, timeout=30)
    assert code == 0
    assert "mse(pred, target)" in text and "squared error, mean over 2 elements" in text and "0.125" in text


# ---------------------------------------------------------------------------
# input forms
# ---------------------------------------------------------------------------

def test_inputs_from_files_and_stdin(tmp_path):
    want = ok("loss", "ce", "--pred", "0.1,0.9;0.8,0.2", "--target", "1,0")
    (tmp_path / "p.json").write_text("[[0.1, 0.9], [0.8, 0.2]]")
    (tmp_path / "p.csv").write_text("a,b\n0.1,0.9\n0.8,0.2\n")
    (tmp_path / "p.txt").write_text("0.1 0.9\n0.8 0.2\n")
    (tmp_path / "t.txt").write_text("1\n0\n")
    np.save(tmp_path / "p.npy", np.array([[0.1, 0.9], [0.8, 0.2]]))
    np.save(tmp_path / "t.npy", np.array([1, 0]))
    for p in ("p.json", "p.csv", "p.txt", "p.npy"):
        for t in ("t.txt", "t.npy"):
            assert ok("loss", "ce", "--pred", f"@{tmp_path / p}", "--target", f"@{tmp_path / t}") == want, (p, t)
    assert ok("loss", "ce", "--pred", "-", "--target", "1,0", stdin="[[0.1,0.9],[0.8,0.2]]\n") == want
    assert ok("loss", "ce", "--pred", "0.1 0.9; 0.8 0.2", "--target", "-", stdin="1\n0\n") == want


def test_infinities_are_results_not_warnings():
    assert ok("loss", "mse", "--pred", "1e300", "--target", "-1e300") == "inf\n"
    assert ok("loss", "ce", "--pred", "0,1", "--target", "0") == "inf\n"
    assert ok("grad", "ce", "--pred", "0,1", "--target", "0") == "-inf\n0.0\n"
    assert ok("loss", "l1", "--pred", "[1e308, 1e308]", "--target", "[-1e308, -1e308]", "--reduction", "sum") == "inf\n"


def test_negative_numbers_need_no_quoting():
    assert ok("loss", "mse", "--pred", "-1,-2", "--target", "-1,0") == "2.0\n"
    assert ok("loss", "l1", "--pred=-1;-3", "--target=1;1") == "3.0\n"


# ---------------------------------------------------------------------------
# errors: one line, exit 2, with the fix
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("args, text", [
    (["loss", "ce", "--pred", "0.1,0.9"], "missing --target: usage: actloss loss ce --pred P --target T"),
    (["loss", "mse"], "missing --pred and --target"),
    (["loss", "ce", "--pred", "0.1,0.6;0.8,0.2", "--target", "1,0"],
     "pred rows must sum to 1 (row 1 sums to 0.7; --normalize divides each row by its sum); pass --logits if these are raw scores"),
    (["loss", "ce", "--pred", "2,-1;0.5,0.5", "--target", "0,1"], "pred holds 2 (row 1), outside [0, 1]; pass --logits if these are raw scores"),
    (["loss", "mse", "--pred", "1,2,3;4,5,6", "--target", "1,2"], "expected pred and target of the same shape, got (2, 3) and (2,)"),
    (["loss", "ce", "--pred", "0.1,0.9;0.8,0.2", "--target", "1,0,1"],
     "pred has shape (2, 2): expected target class indices of shape (2,) or class probabilities of shape (2, 2), got (3,)"),
    (["loss", "ce", "--pred", "0.1,0.9", "--target", "2"], "target class index 2 is out of range for 2 classes (valid: 0 to 1)"),
    (["loss", "kl", "--pred", "-", "--target", "-"], "only one of --pred and --target can read stdin ('-')"),
    (["loss", "cee", "--pred", "1", "--target", "1"], "unknown loss 'cee'; did you mean 'ce', 'bce'?"),
    (["loss", "relu", "--pred", "1", "--target", "1"], "relu is an activation, not a loss: use 'actloss eval relu -- X'"),
    (["loss", "--pred", "1", "--target", "1"], "no loss named; usage: actloss loss NAME --pred P --target T [OPTIONS] (see 'actloss list')"),
    (["loss", "ce", "--pred", "0.1,0.9", "--target", "1", "--delta", "2"], "ce does not take --delta; it takes --logits, --label-smoothing, --weight, --ignore-index, --normalize, --reduction"),
    (["loss", "mse", "--pred", "abc", "--target", "1"], "not a number: 'abc'"),
    (["loss", "mse", "--pred", "[1,[2]]", "--target", "1"], "--pred has rows of different lengths: expected a JSON number or a rectangular (nested) array"),
    (["loss", "mse", "--pred", "1", "--target", "1", "--format", "xml"], "--format must be one of table, plain, csv, json, got 'xml'"),
    (["loss", "mse", "--pred", "1", "--target", "1", "--precision", "0"], "--precision must be between 1 and 17"),
    (["loss", "kl", "--pred", "0.5,0.5", "--target", "0.9,0.1", "--reduction", "avg"], "--reduction must be one of mean, sum, none, batchmean, got 'avg'"),
    (["loss", "mse", "--pred", "@/nonexistent/p.csv", "--target", "1"], "no such input file"),
    (["loss", "mse", "--pred", "1", "--target", "1", "--input", "x.txt"], "not --input"),
    (["loss", "mse", "--pred", "1", "--target"], "--target needs a value"),
    (["loss", "mse", "2", "--pred", "1", "--target", "1"], "unexpected argument '2'"),
    (["loss", "mse", "--pred", "", "--target", "1"], "no numbers in --pred"),
    (["grad", "mse", "--pred", "1", "--target", "1", "--", "3"], "not numbers after --"),
    (["eval", "ce", "--", "1"], "ce is a loss: use 'actloss loss ce --pred P --target T'"),
    (["grad", "ce", "--pred", "0.5,0.5"], "missing --target: usage: actloss grad ce --pred P --target T"),
    (["loss", "hinge", "--pred", "1,2", "--target", "0.5,1"], "hinge labels must be -1 or 1"),
    (["loss", "focal", "--pred", "0.5", "--target", "1", "--alpha", "-0.5"], "--alpha must be in [0, 1], or -1 to turn the weighting off"),
    (["loss", "ce", "--pred", "0.5,0.5", "--target", "1", "--logits=maybe"], "--logits is a switch"),
])
def test_errors_are_one_line_with_the_fix(args, text):
    assert text in error(*args)


def test_help():
    code, out, err = run("loss", "--help")
    assert code == 0 and "--pred" in out and "--logits" in out and "Examples" in out
