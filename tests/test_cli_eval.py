"""`actloss eval` and `actloss grad` as a user runs them: exact output, exit codes, one-line errors."""

from __future__ import annotations

import json
import os
import pty
import signal
import subprocess
import sys
import time

import mpmath as mp
import numpy as np
import pytest

from cli import invoke

ACTLOSS = [sys.executable, "-m", "actloss"]
ENV = {**os.environ, "NO_COLOR": "1", "COLUMNS": "100"}


def run(*args, stdin=None, env=None, process=False):
    """(exit status, stdout, stderr): in this process, or in a real one where ``env`` or ``process`` asks."""
    if env is None and not process:
        r = invoke(*args, stdin=stdin or "")
        return r.code, r.out, r.err
    p = subprocess.run(ACTLOSS + list(args), input=stdin, capture_output=True, text=True, env=env or ENV, timeout=60)
    return p.returncode, p.stdout, p.stderr


def one_error_line(err: str) -> str:
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("actloss: error: "), err
    assert "Traceback" not in err
    return lines[0]


def exact(f, *xs) -> str:
    """repr of the correctly rounded mpmath value."""
    mp.mp.prec = 300
    return "\n".join(repr(float(f(mp.mpf(x)))) for x in xs) + "\n"


def test_eval_gelu_half():
    assert run("eval", "gelu", "--", "0.5") == (0, exact(lambda x: x * mp.ncdf(x), 0.5), "")


def test_grad_sigmoid_tail():
    sig = lambda x: 1 / (1 + mp.exp(-x))  # noqa: E731
    code, out, err = run("grad", "sigmoid", "--", "40")
    assert (code, out, err) == (0, exact(lambda x: sig(x) * (1 - sig(x)), 40), "")
    assert out == "4.248354255291589e-18\n"


def test_stdin_elu_alpha():
    xs = list(range(-5, 6))
    code, out, err = run("eval", "elu", "--alpha", "0.5", stdin="\n".join(map(str, xs)) + "\n")
    assert code == 0 and err == ""
    assert out == exact(lambda x: x if x > 0 else 0.5 * mp.expm1(x), *xs)


def test_negative_numbers_need_no_quoting():
    assert run("eval", "relu", "-1", "2")[1] == "0.0\n2.0\n"
    assert run("eval", "relu", "--", "-1", "-inf", "nan", "inf")[1] == "0.0\n0.0\nnan\ninf\n"


def test_side_by_side_plain_and_csv():
    code, out, _ = run("eval", "relu", "gelu", "silu", "--", "-1", "0", "1")
    assert code == 0
    rows = [line.split(" ") for line in out.splitlines()]
    assert [r[0] for r in rows] == ["0.0", "0.0", "1.0"]
    assert all(len(r) == 3 for r in rows)
    # the CLI prints the core's float64 results digit for digit (accuracy is tested elsewhere)
    from actloss import registry

    assert rows[2][1:] == [repr(float(registry.get(n).value(np.array([1.0]))[0])) for n in ("gelu", "silu")]
    code, out, _ = run("eval", "relu", "gelu", "--format", "csv", "--", "-1", "2")
    assert out.splitlines()[0] == "x,relu,gelu"
    assert out.splitlines()[1].startswith("-1.0,0.0,-0.15865525393145")


def test_json_is_strict_and_complete():
    code, out, err = run("eval", "elu", "--alpha", "0.5", "--format", "json", "--", "-1", "nan", "inf")

    def reject(name):
        raise AssertionError(f"non-strict JSON constant {name}")

    doc = json.loads(out, parse_constant=reject)
    assert doc["function"] == "elu" and doc["parameters"] == {"alpha": 0.5}
    assert doc["quantity"] == "value"
    assert doc["x"] == [-1.0, "nan", "inf"]
    assert doc["y"][1:] == ["nan", "inf"]
    assert doc["y"][0] == float(exact(lambda x: 0.5 * mp.expm1(x), -1))


def test_grad_json_and_several_functions():
    code, out, _ = run("grad", "relu", "leaky_relu", "--format", "json", "--", "0")
    docs = json.loads(out)
    assert [d["function"] for d in docs] == ["relu", "leaky_relu"]
    assert [d["y"] for d in docs] == [[0.0], [0.01]]
    assert all(d["quantity"] == "derivative" for d in docs)


def test_precision():
    assert run("eval", "gelu", "--precision", "3", "--", "0.5", "-10")[1] == "0.346\n-7.62e-23\n"
    code, _, err = run("eval", "gelu", "--precision", "0", "--", "1")
    assert code == 2 and "--precision" in one_error_line(err)


def test_table_format_has_title_with_parameters():
    code, out, _ = run("eval", "elu", "--alpha", "0.5", "--format", "table", "--", "1")
    assert code == 0
    assert "elu(x; alpha=0.5)" in out
    assert "1.0" in out


def test_vector_functions():
    code, out, _ = run("eval", "softmax", "--", "1", "2", "3")
    vals = [float(v) for v in out.split()]
    assert code == 0 and len(vals) == 3 and abs(sum(vals) - 1) < 1e-15
    code, out, _ = run("eval", "softmax", stdin="1 2 3\n0,0,0\n")
    lines = out.splitlines()
    assert len(lines) == 2 and lines[1] == " ".join([repr(1 / 3)] * 3)
    code, out, _ = run("grad", "softmax", "--", "0", "0")
    assert out == "0.25 -0.25\n-0.25 0.25\n"
    code, out, _ = run("grad", "glu", "--", "2", "0")
    assert out == "0.5 0.5\n"


def test_vector_errors():
    code, _, err = run("eval", "softmax", stdin="1 2 3\n1 2\n")
    line = one_error_line(err)
    assert code == 2 and "line 2" in line and "expected 3" in line
    code, _, err = run("eval", "swiglu", "--", "1", "2", "3")
    assert code == 2 and "even number" in one_error_line(err)
    code, _, err = run("eval", "softmax", "relu", "--", "1", "2")
    assert code == 2 and "softmax" in one_error_line(err)


@pytest.mark.parametrize(
    "args, stdin, needle",
    [
        (("eval", "gelux", "--", "1"), None, "unknown function 'gelux'; did you mean 'gelu'"),
        (("eval", "gelu", "--alpha", "2", "--", "1"), None, "gelu does not take --alpha; it takes --approximate"),
        (("eval", "relu", "gelu", "--beta", "2", "--", "1"), None, "none of relu, gelu takes --beta"),
        (("eval", "celu", "--alpha", "0", "--", "1"), None, "--alpha must be in (0, inf), got '0'"),
        (("eval", "hardtanh", "--min-val", "2", "--", "1"), None, "--min-val must be less than --max-val"),
        (("eval", "gelu", "--approximate", "fast", "--", "1"), None, "--approximate must be one of none, tanh"),
        (("eval", "gelu", "--alpha"), None, "--alpha needs a value"),
        (("eval", "gelu", "--", "1", "x2"), None, "not a number: 'x2'"),
        (("eval", "gelu"), "", "no numbers on stdin"),
        (("eval", "gelu"), " \n\n", "no numbers on stdin"),
        (("eval", "gelu", "--format", "xml", "--", "1"), None, "--format must be one of table, plain, csv, json"),
        (("eval", "gelu", "--input", "/nonexistent/x.txt"), None, "no such input file"),
        (("eval",), None, "no function named"),
        (("eval", "--alpha", "1", "--", "1"), None, "put the function name before its options"),
        (("eval", "gelu", "--input", "/dev/null", "--", "1"), None, "not both"),
    ],
)
def test_errors_are_one_line_exit_2(args, stdin, needle):
    code, out, err = run(*args, stdin=stdin if stdin is not None else "")
    assert code == 2, (code, out, err)
    assert out == ""
    assert needle in one_error_line(err)


def test_bad_number_on_stdin_after_good_ones():
    code, out, err = run("eval", "relu", stdin="1\n2 abc\n3\n")
    assert code == 2
    assert out == "1.0\n2.0\n"
    assert "not a number: 'abc' (stdin, line 2)" in one_error_line(err)


def test_input_files(tmp_path):
    txt = tmp_path / "x.txt"
    txt.write_text("-1, 0\n1\n")
    csv = tmp_path / "x.csv"
    csv.write_text("x\n-1\n0\n1\n")
    npy = tmp_path / "x.npy"
    np.save(npy, np.array([-1.0, 0.0, 1.0]))
    outs = {run("eval", "relu", "--input", str(p))[1] for p in (txt, csv, npy)}
    assert outs == {"0.0\n0.0\n1.0\n"}
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    code, _, err = run("eval", "relu", "--input", str(empty))
    assert code == 2 and "no numbers" in one_error_line(err)
    vec = tmp_path / "v.npy"
    np.save(vec, np.zeros((2, 3)))
    assert run("eval", "softmax", "--input", str(vec))[1] == (" ".join([repr(1 / 3)] * 3) + "\n") * 2


def test_terminal_stdin_is_an_error_not_a_hang():
    master, slave = pty.openpty()
    try:
        p = subprocess.run(ACTLOSS + ["eval", "gelu"], stdin=slave, capture_output=True, text=True, env=ENV, timeout=20)
    finally:
        os.close(master)
        os.close(slave)
    assert p.returncode == 2
    assert "no input numbers" in one_error_line(p.stderr)


def test_closed_pipe_is_silent():
    cmd = f"seq 1 300000 | {sys.executable} -m actloss eval sigmoid | head -1; echo \"${{PIPESTATUS[1]}}\""
    p = subprocess.run(["bash", "-c", cmd], capture_output=True, text=True, env=ENV, timeout=60)
    first, status = p.stdout.splitlines()
    assert first == repr(float(1 / (1 + np.exp(-1.0))))
    assert status == "0"
    assert p.stderr == ""


def test_ctrl_c_exits_130_quietly():
    p = subprocess.Popen(ACTLOSS + ["eval", "sigmoid"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ENV)
    time.sleep(1.0)
    p.send_signal(signal.SIGINT)
    out, err = p.communicate(timeout=20)
    assert p.returncode == 130
    assert b"Traceback" not in err


def test_streaming_matches_repr_of_each_value():
    rng = np.random.default_rng(7)
    x = np.concatenate([rng.normal(0, 30, 20000), [1e-300, -1e300, 0.0, -0.0]])
    code, out, _ = run("eval", "tanh", stdin="\n".join(map(repr, x.tolist())) + "\n")
    assert code == 0
    assert out == "".join(repr(float(v)) + "\n" for v in np.tanh(x))


def test_version_and_module_entry():
    from actloss import __version__

    assert run("--version") == (0, f"actloss {__version__}\n", "")


def test_typer_path_agrees_with_fast_path():
    """The same command through typer's parser (as --help builds it) gives the same output."""
    from typer.testing import CliRunner

    from actloss.cli import app

    runner = CliRunner()
    for args in (["eval", "gelu", "--", "0.5", "-1"], ["grad", "leaky_relu", "--alpha", "0.2", "--format", "csv", "--", "-1"]):
        res = runner.invoke(app, args)
        assert res.exit_code == 0, res.output
        assert res.output == run(*args)[1]


def test_help_has_examples():
    for cmd in ("eval", "grad"):
        code, out, _ = run(cmd, "--help")
        assert code == 0 and "Examples" in out and f"actloss {cmd} " in out


def test_error_after_long_input_keeps_every_earlier_line():
    n = 150_000  # several chunks: the two-process path
    text = "\n".join(str(i % 97 - 48) for i in range(n)) + "\nbad\n7\n"
    code, out, err = run("eval", "relu", stdin=text, process=True)
    assert code == 2
    assert "not a number: 'bad' (stdin, line %d)" % (n + 1) in one_error_line(err)
    lines = out.splitlines()
    assert len(lines) == n
    assert lines[:3] == ["0.0", "0.0", "0.0"] and lines[-1] == repr(float(max((n - 1) % 97 - 48, 0)))


def test_grad_of_a_loss_with_options_before_the_name():
    first = run("grad", "ce", "--pred", "[[0.2,0.8]]", "--target", "1")
    second = run("grad", "--format", "plain", "ce", "--pred", "[[0.2,0.8]]", "--target", "1")
    assert first == second and first[0] == 0 and first[1].split() == ["0.0", "-1.25"]


def test_narrow_tables_never_split_a_number():
    """A table wider than the terminal is printed as plain rows (with a note), every number whole."""
    from actloss import registry

    env = {**ENV, "COLUMNS": "60"}
    p = subprocess.run(ACTLOSS + ["grad", "swiglu", "--format", "table", "--", "1", "2", "3", "4"],
                       capture_output=True, text=True, env=env, timeout=60)
    assert p.returncode == 0 and "…" not in p.stdout
    assert p.stderr.startswith("actloss: the table needs ") and "printed as plain text" in p.stderr
    jac = registry.get("swiglu").derivative(np.array([1.0, 2.0, 3.0, 4.0]))
    words = p.stdout.split()
    assert all(repr(v) in words for v in jac.ravel().tolist())
    wide = subprocess.run(ACTLOSS + ["grad", "swiglu", "--format", "table", "--", "1", "2", "3", "4"],
                          capture_output=True, text=True, env={**ENV, "COLUMNS": "200"}, timeout=60)
    assert wide.stderr == "" and "┃" in wide.stdout


def test_input_files_stream_like_stdin(tmp_path):
    n = 200_000  # several chunks
    text = "\n".join(repr(i / 7 - 9000) for i in range(n)) + "\n"
    txt = tmp_path / "x.txt"
    txt.write_text(text)
    csv = tmp_path / "x.csv"
    csv.write_text("x\n" + text + "oops\n")
    from_stdin = run("eval", "softplus", stdin=text, process=True)
    assert run("eval", "softplus", "--input", str(txt), process=True) == from_stdin
    assert run("eval", "softplus", "--input", str(txt)) == from_stdin  # in one process, the same
    code, out, err = run("eval", "softplus", "--input", str(csv), process=True)
    assert code == 2 and out == from_stdin[1]
    assert f"not a number: 'oops' (x.csv, line {n + 2})" in one_error_line(err)
