"""actloss.testing: ulp distances, the assertion, the report and sweeps, checked on constructed errors."""

from __future__ import annotations

import math

import ml_dtypes
import numpy as np
import pytest

import lowp_reference as L
from reference import REFERENCES

from actloss import testing

BF16 = ml_dtypes.bfloat16


def _step(values, k, fmt="bfloat16"):
    """Each value moved k representable values up (the bit patterns of positive values are ordered)."""
    s = L.spec(fmt)
    b = np.asarray(values, np.float64).astype(s.dtype).view(s.uint).astype(np.int64)
    neg = b >= (1 << (8 * s.dtype.itemsize - 1))
    mag = b & ((1 << (8 * s.dtype.itemsize - 1)) - 1)
    pos = np.where(neg, -mag, mag) + k
    out = np.where(pos < 0, (-pos) | (1 << (8 * s.dtype.itemsize - 1)), pos)
    return out.astype(s.uint).view(s.dtype).astype(np.float64)


def _exact_bf16(name, xs, order=0):
    ref = REFERENCES[name]
    fn = ref.value if order == 0 else ref.derivative
    params = {"approximate": "none"} if name == "gelu" else {}
    return np.array([L.round_mpf(fn, float(x), params, L.spec("bfloat16")) for x in xs])


def test_ulp_errors_count_representable_values_between():
    xs = np.array([-3.0, -0.5, 0.25, 1.0, 2.5])
    exact = _exact_bf16("tanh", xs)
    for k in (0, 1, 2, 7, -3, 300):
        got = _step(exact, k)
        assert testing.ulp_errors(got.astype(BF16), "tanh", xs).tolist() == [abs(k)] * len(xs)


def test_plus_and_minus_zero_are_one_point_and_crossing_zero_counts():
    xs = np.array([0.0])
    # tanh(0) = 0: the smallest subnormals on either side are 1 ulp away; -0.0 is 0 ulp
    tiny = float(ml_dtypes.finfo(BF16).smallest_subnormal)
    assert testing.ulp_errors(np.array([tiny, -tiny, -0.0]), "tanh", np.zeros(3), dtype="bf16").tolist() == [1, 1, 0]
    r = testing.report(np.array([-0.0]), "tanh", xs, dtype="bf16")
    assert r["classes"]["wrong_zero_sign"] == 1 and r["passed"]


def test_classes():
    x = np.array([1.0, 1.0, 1e30, 2.0])
    got = np.array([np.nan, np.inf, 1.0, 0.0])
    r = testing.report(got, "identity", x, dtype="float16", max_ulp=1)
    assert r["classes"]["nan_for_number"] == 1
    assert r["classes"]["wrong_infinity"] == 2  # inf for 1; 1.0 where float16 overflows to inf
    assert r["max_ulp"] == "inf" and not r["passed"] and r["mismatches"] == 4
    r = testing.report(np.array([0.0]), "identity", np.array([2.0**-20]), dtype="float16")
    assert r["classes"]["flushed_subnormal"] == 1 and r["max_ulp"] == 16  # 2**-20 is 16 subnormal steps


def test_assert_ulp_close_passes_on_the_exact_and_fails_with_a_report():
    xs = np.linspace(-6, 6, 97)
    xs = xs.astype(BF16).astype(np.float64)
    exact = _exact_bf16("gelu", xs)
    testing.assert_ulp_close(exact.astype(BF16), "gelu", xs)
    bad = exact.copy()
    bad[10] = _step(bad[10:11], 3)[0]
    with pytest.raises(AssertionError, match=r"1 of 97 elements more than 1 ulp off.*3 ulp"):
        testing.assert_ulp_close(bad.astype(BF16), "gelu", xs)
    testing.assert_ulp_close(bad.astype(BF16), "gelu", xs, max_ulp=3)


def test_bit_patterns():
    xs = np.array([0.5, 1.0]).astype(BF16)
    exact = _exact_bf16("sigmoid", xs.astype(np.float64)).astype(BF16)
    assert testing.ulp_errors(exact.view(np.uint16), "sigmoid", xs.view(np.uint16), dtype="bf16", bits=True).tolist() == [0, 0]


def test_sweep_of_a_naive_kernel_finds_its_double_rounding():
    def naive(x):  # float32 arithmetic, then ml_dtypes' cast
        with np.errstate(over="ignore"):
            return (1 / (1 + np.exp(-x.astype(np.float32)))).astype(BF16)

    r = testing.sweep(naive, "sigmoid", "bfloat16")
    assert r["count"] == 65280 + 3  # every finite value, +-inf and NaN
    assert r["histogram"]["0"] > 0.9 * r["count"] and not r["passed"]
    assert r["classes"]["flushed_subnormal"] > 0  # float32's exp underflows where bfloat16 still has subnormals
    # the same sweep graded against the independent reference on the worst elements it names
    for w in r["worst"]:
        assert w["exact"] == L.round_mpf(REFERENCES["sigmoid"].value, w["x"], {}, L.spec("bfloat16"))
        assert w["got"] == float(naive(np.array([w["x"]]))[0])
    exact = L.reference_values("sigmoid", 0, "bfloat16", testing.every_value("bfloat16")[:-3])

    def table(x):
        out = np.full(x.shape, np.nan)
        out[:-3] = exact
        out[-3:] = [1.0, 0.0, np.nan]
        return out

    exact_r = testing.sweep(table, "sigmoid", "bfloat16")
    assert exact_r["passed"] and exact_r["max_ulp"] == 0 and exact_r["mismatches"] == 0
    assert set(r["histogram"]) == {"0", "1", "2", "3-4", "5-16", "17-256", ">256"}


def _f32_sigmoid_off_by(k_at):
    """A float32 sigmoid: exact (from the independent reference) except k ulps off where k_at says."""
    def fn(x):
        exact = np.array([L.round_mpf(REFERENCES["sigmoid"].value, float(v), {}, L.spec("float32"))
                          if np.isfinite(v) else (1.0 if v > 0 else 0.0) if not math.isnan(v) else v for v in x])
        k = k_at(x)
        return np.where(k != 0, _f32_step(exact, k), exact)
    return fn


def _f32_step(values, k):
    b = np.asarray(values, np.float64).astype(np.float32).view(np.int32).astype(np.int64)
    mag = b & 0x7FFFFFFF
    pos = np.where(b < 0, -mag, mag) + k
    out = np.where(pos < 0, (-pos) | (1 << 31), pos)
    return out.astype(np.uint32).view(np.float32).astype(np.float64)


def test_float32_sweep_parts_processes_and_merge():
    """A float32 sweep over a range of patterns: the same report whole, in two forked processes, or
    as parts merged; the errors planted are the errors found, the worst first, ties in input order."""
    start = 0x3F000000  # 0.5 and up: 3,000 patterns
    codes = range(start, start + 3000)
    x = np.arange(codes.start, codes.stop, dtype=np.uint32).view(np.float32).astype(np.float64)
    planted = {int(i): k for i, k in zip([7, 100, 101, 2000, 2999, 1500], [3, 1, 1, 40, 3, 2])}

    def k_at(xs):
        idx = np.searchsorted(x, xs)
        return np.array([planted.get(int(i), 0) if i < x.size and x[i] == v else 0 for i, v in zip(idx, xs)])

    fn = _f32_sigmoid_off_by(k_at)
    whole = testing.sweep(fn, "sigmoid", "float32", codes=codes, chunk=512, worst=4)
    forked = testing.sweep(fn, "sigmoid", "float32", codes=codes, chunk=512, worst=4, processes=2)
    halves = testing.merge_reports(testing.sweep(fn, "sigmoid", "float32", codes=range(start, start + 1200), chunk=512, worst=4),
                                   testing.sweep(fn, "sigmoid", "float32", codes=range(start + 1200, start + 3000), chunk=512, worst=4),
                                   worst=4)
    for r in (whole, forked, halves):
        assert r["count"] == 3000 and r["max_ulp"] == 40 and r["mismatches"] == 4
        assert r["histogram"]["1"] == 2 and r["histogram"]["2"] == 1 and r["histogram"]["3-4"] == 2
        assert [w["x"] for w in r["worst"]] == [x[2000], x[7], x[2999], x[1500]]
        assert [w["ulp"] for w in r["worst"]] == [40, 3, 3, 2]
    assert whole == forked == halves


def test_sweep_refusals():
    fn = lambda x: x  # noqa: E731
    with pytest.raises(ValueError, match="codes must be a range"):
        testing.sweep(fn, "relu", "float32", codes=range(0, 2**33))
    with pytest.raises(ValueError, match="empty range"):
        testing.sweep(fn, "relu", "float32", codes=range(5, 5))
    with pytest.raises(ValueError, match="all of its values at once"):
        testing.sweep(fn, "relu", "bfloat16", codes=range(0, 10))
    with pytest.raises(ValueError, match="different gradings"):
        testing.merge_reports(testing.sweep(fn, "relu", "float8_e5m2"), testing.sweep(fn, "relu", "float8_e4m3fn"))

    def broken(x):
        raise ZeroDivisionError("kernel bug")

    with pytest.raises(RuntimeError, match="ZeroDivisionError: kernel bug"):
        testing.sweep(broken, "relu", "float32", codes=range(0, 2048), chunk=512, processes=2)


def test_every_value_order():
    v = testing.every_value("float8_e4m3fn")
    assert np.isfinite(v[:-1]).all() and math.isnan(v[-1]) and len(v) == 254 + 1


# ---------------------------------------------------------------------------
# actloss check
# ---------------------------------------------------------------------------

def _check(*args, cwd=None):
    import subprocess
    import sys

    p = subprocess.run([sys.executable, "-m", "actloss", "check", *args], capture_output=True, text=True, timeout=120, cwd=cwd)
    return p.returncode, p.stdout, p.stderr


def test_check_every_bfloat16_value_of_a_float32_kernel(tmp_path):
    import json

    code, out, err = _check("gelu", "--dtype", "bfloat16", "--write-inputs", str(tmp_path / "all.npy"))
    assert code == 0 and "65283 bfloat16 bit patterns" in err
    bits = np.load(tmp_path / "all.npy")
    assert bits.dtype == np.uint16 and len(bits) == 65283
    x = bits.view(BF16).astype(np.float64)
    assert np.isfinite(x[:-3]).all() and x[-3] == np.inf and x[-2] == -np.inf and math.isnan(x[-1])
    exact = L.reference_bits("gelu", 0, "bfloat16", x[:-3], {"approximate": "none"})
    y = np.concatenate([exact.view(BF16).astype(np.float64), [np.inf, -0.0, np.nan]])
    bad = y.copy()
    bad[100] = _step(bad[100:101], 5)[0]  # one element 5 ulp off
    np.save(tmp_path / "y.npy", y.astype(BF16).view(np.uint16))
    np.save(tmp_path / "bad.npy", bad.astype(np.float32))  # float32 output graded as bfloat16
    code, out, err = _check("gelu", "--dtype", "bf16", "--x", str(tmp_path / "all.npy"), "--y", str(tmp_path / "y.npy"))
    rep = json.loads(out)
    assert code == 0 and rep["passed"] and rep["max_ulp"] == 0 and rep["count"] == 65283, err
    code, out, err = _check("gelu", "--dtype", "bf16", "--x", str(tmp_path / "all.npy"), "--y", str(tmp_path / "bad.npy"),
                            "--format", "json")
    rep = json.loads(out)
    assert code == 1 and rep["mismatches"] == 1 and rep["max_ulp"] == 5 and rep["histogram"]["5-16"] == 1
    assert rep["worst"][0]["x"] == float(x[100]) and rep["worst"][0]["ulp"] == 5
    code, out, err = _check("gelu", "--dtype", "bf16", "--max-ulp", "5", "--x", str(tmp_path / "all.npy"),
                            "--y", str(tmp_path / "bad.npy"))
    assert code == 0


def test_check_usage_errors_exit_2(tmp_path):
    np.save(tmp_path / "b.npy", np.zeros(3, np.uint16))
    code, out, err = _check("gelu", "--x", str(tmp_path / "b.npy"), "--y", str(tmp_path / "b.npy"))
    assert code == 2 and "--dtype" in err and len(err.strip().splitlines()) == 1
    code, out, err = _check("gelu", "--x", str(tmp_path / "b.npy"))
    assert code == 2 and "missing --y" in err
    code, out, err = _check("gelu", "--dtype", "bf16", "--x", str(tmp_path / "b.npy"), "--y", str(tmp_path / "none.npy"))
    assert code == 2 and err == f"actloss: error: no such input file: {str(tmp_path / 'none.npy')!r}\n"  # as eval says it


def test_check_order_2_grades_a_second_derivative_kernel(tmp_path):
    """--order 2: every float16 value in [-4, 4] of silu'' graded against the correctly rounded f''."""
    import json

    x = np.linspace(-4, 4, 2001).astype(np.float16)
    from actloss import registry

    y = np.asarray(registry.get("silu").derivative(x.astype(np.float64), order=2, dtype="float16"))
    np.save(tmp_path / "x.npy", x)
    np.save(tmp_path / "y.npy", y)
    bad = y.copy()
    bad[7] = np.nextafter(np.nextafter(bad[7], np.float16(1)), np.float16(1))  # two values off
    np.save(tmp_path / "bad.npy", bad)
    code, out, _ = _check("silu", "--order", "2", "--x", str(tmp_path / "x.npy"), "--y", str(tmp_path / "y.npy"), "--format", "json")
    assert code == 0 and json.loads(out)["max_ulp"] == 0
    code, out, _ = _check("silu", "--order", "2", "--x", str(tmp_path / "x.npy"), "--y", str(tmp_path / "bad.npy"), "--format", "json")
    report = json.loads(out)
    assert code == 1 and report["mismatches"] == 1 and report["max_ulp"] == 2


def _f16(v) -> float:
    """An mpf (accurate to 2**-256) rounded to float16 exactly."""
    from fractions import Fraction

    import mpmath

    sign, man, exp, _ = mpmath.mpf(v)._mpf_
    return L.round_fraction((-1) ** sign * Fraction(int(man)) * Fraction(2) ** int(exp), L.spec("float16"))


def test_check_vector_functions_from_text_and_npy(tmp_path):
    """softmax (values and Jacobians) and glu graded by the command line: one vector per line of
    text, or an .npy of shape (N, n); exact outputs from the independent reference pass, a planted
    error is found, and outputs of the wrong width are refused in one line."""
    import json

    import reference_vector as V
    from cli import invoke

    rng = np.random.default_rng(3)
    x = rng.normal(0, 3, (4, 5)).astype(np.float16).astype(np.float64)
    soft = np.array([[_f16(v) for v in V.softmax(list(row))] for row in x])
    np.savetxt(tmp_path / "x.txt", x)
    np.savetxt(tmp_path / "y.txt", soft)
    r = invoke("check", "softmax", "--dtype", "float16", "--x", str(tmp_path / "x.txt"), "--y", str(tmp_path / "y.txt"))
    rep = json.loads(r.out)
    assert r.code == 0 and rep["passed"] and rep["count"] == 20 and rep["max_ulp"] == 0, r.err
    bad = soft.astype(np.float16)
    bad[2, 3] = np.nextafter(bad[2, 3], np.float16(2))  # one float16 value up
    np.save(tmp_path / "x.npy", x.astype(np.float16))
    np.save(tmp_path / "bad.npy", bad)
    r = invoke("check", "softmax", "--x", str(tmp_path / "x.npy"), "--y", str(tmp_path / "bad.npy"))
    rep = json.loads(r.out)
    assert r.code == 0 and rep["dtype"] == "float16" and rep["mismatches"] == 0 and rep["max_ulp"] == 1
    assert rep["worst"][0]["x"] == x[2, 3] and rep["worst"][0]["got"] == float(bad[2, 3])  # the entry's own input
    r = invoke("check", "softmax", "--max-ulp", "0", "--x", str(tmp_path / "x.npy"), "--y", str(tmp_path / "bad.npy"))
    assert r.code == 1 and json.loads(r.out)["mismatches"] == 1
    # the Jacobian: an (N, n, n) .npy, or n-wide lines of text
    jac = np.array([[[_f16(v) for v in row] for row in V.softmax_jac(list(xr))] for xr in x])
    np.save(tmp_path / "j.npy", jac.astype(np.float16))
    np.savetxt(tmp_path / "j.txt", jac.reshape(-1, 5))
    for f in ("j.npy", "j.txt"):
        r = invoke("check", "softmax", "--grad", "--dtype", "float16", "--x", str(tmp_path / "x.npy"), "--y", str(tmp_path / f))
        rep = json.loads(r.out)
        assert r.code == 0 and rep["count"] == 100 and rep["max_ulp"] == 0, (f, r.err)
    # glu: n inputs, n/2 outputs per vector (a·σ(b))
    g = np.array([[_f16(V.mpf(a) * V.gate("sigmoid", b)[0]) for a, b in zip(row[:2], row[2:4])] for row in x])
    np.savetxt(tmp_path / "gx.txt", x[:, :4])
    np.savetxt(tmp_path / "gy.txt", g)
    r = invoke("check", "glu", "--dtype", "float16", "--x", str(tmp_path / "gx.txt"), "--y", str(tmp_path / "gy.txt"))
    rep = json.loads(r.out)
    assert r.code == 0 and rep["count"] == 8 and rep["max_ulp"] == 0, r.err
    r = invoke("check", "glu", "--dtype", "float16", "--x", str(tmp_path / "gx.txt"), "--y", str(tmp_path / "x.txt"))
    assert r.code == 2 and "glu gives 2 outputs per vector" in r.err and len(r.err.strip().splitlines()) == 1
