"""Low-precision formats: exact rounding, correctly rounded activations, printing.

References share no code with actloss: mpmath values (tests/reference.py)
rounded on exact integers and rationals (tests/lowp_reference.py) with the
formats' parameters read from ml_dtypes. bfloat16 and float16 are checked over
every value against tests/data/lowp_reference.npz (written by
tools/lowp_reference.py; a random sample of it is recomputed on every run, all
of it with --runslow); float8 is computed live over every value, float32 on a
sample plus the tails.
"""

from __future__ import annotations

import math
import os
import subprocess
import sys
from fractions import Fraction

import ml_dtypes
import numpy as np
import pytest

import lowp_reference as L
from reference import REFERENCES, evaluate

from actloss import lowp
from actloss.registry import load

DATA = os.path.join(os.path.dirname(__file__), "data", "lowp_reference.npz")
REG = load()
ELEMENTWISE = [f.name for f in REG if f.kind == "activation" and f.shape == "elementwise"]
ORDERS = (0, 1)
SMALL = ("float8_e4m3fn", "float8_e5m2")


def product(name, order, fmt, xs, **params):
    rec = REG.get(name)
    fn = rec.value if order == 0 else rec.derivative
    out = fn(np.asarray(xs, dtype=np.float64), dtype=fmt, **params)
    assert out.dtype == L.spec(fmt).dtype
    return out.astype(np.float64)


def report(name, order, fmt, xs, got_bits, want_bits):
    bad = np.nonzero(got_bits != want_bits)[0]
    s = L.spec(fmt)
    shown = [(float(xs[i]), float(np.array([got_bits[i]], s.uint).view(s.dtype)[0]),
              float(np.array([want_bits[i]], s.uint).view(s.dtype)[0])) for i in bad[:5]]
    return f"{name}{chr(39) * order} in {fmt}: {len(bad)} of {len(xs)} differ (x, got, exact): {shown}"


# ---------------------------------------------------------------------------
# the format table
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", list(L.NAMES))
def test_format_table_matches_ml_dtypes(fmt):
    f, s = lowp.get_format(fmt), L.spec(fmt)
    assert (f.precision, f.emin, Fraction(f.max), f.has_inf) == (s.p, s.emin, s.max, s.has_inf)
    assert f.dtype == s.dtype
    assert f.smallest_subnormal == float(ml_dtypes.finfo(s.dtype).smallest_subnormal)


def test_aliases_and_bad_names():
    assert lowp.get_format("bf16").name == "bfloat16"
    assert lowp.get_format("E4M3").name == "float8_e4m3fn"
    assert lowp.get_format("fp16").name == "float16"
    assert lowp.get_format(np.float32).name == "float32"
    assert lowp.get_format(ml_dtypes.bfloat16).name == "bfloat16"
    with pytest.raises(Exception, match="--dtype must be one of"):
        lowp.get_format("bf17")


# ---------------------------------------------------------------------------
# rounding float64 into a format
# ---------------------------------------------------------------------------

def _random_float64(n, seed):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(n) * np.exp2(rng.integers(-160, 140, n))
    return np.concatenate([x, [0.0, -0.0, np.inf, -np.inf, np.nan, 1e308, -1e-320]])


@pytest.mark.parametrize("fmt", list(L.NAMES))
def test_round_to_is_one_exact_rounding(fmt):
    s = L.spec(fmt)
    x = _random_float64(3000, 1)
    # and the midpoints of the format with their float64 neighbours
    v = L.finite_values(fmt) if fmt != "float32" else np.random.default_rng(2).standard_normal(2000).astype(np.float32).astype(np.float64)
    v = np.unique(v[v > 0])
    mids = (v[:-1] + v[1:]) / 2
    x = np.concatenate([x, mids, -mids, np.nextafter(mids, 0), np.nextafter(mids, np.inf)])
    got = lowp.round_to(x, fmt)
    want = np.array([math.nan if math.isnan(t) else (float(t) if math.isinf(t) and s.has_inf else
                     (math.nan if math.isinf(t) else L.round_fraction(Fraction(float(t)), s))) for t in x])
    both_nan = np.isnan(got) & np.isnan(want)
    assert np.all(both_nan | (got == want)), x[~both_nan & (got != want)][:5]
    zero = want == 0
    assert np.array_equal(np.signbit(got[zero]), np.signbit(x[zero]))  # tiny negatives become -0.0


def test_no_double_rounding_through_float32():
    """1 + 2**-8 + 2**-30 is just above a bfloat16 midpoint: through float32 it becomes the midpoint and
    ties to even, 1.0 (as ml_dtypes' cast did before 0.7); rounded once it is 1 + 2**-7."""
    x = np.array([1 + 2.0**-8 + 2.0**-30])
    assert np.float32(x[0]) == 1 + 2.0**-8  # the midpoint, the way through float32
    assert lowp.round_to(x, "bfloat16")[0] == 1 + 2.0**-7
    assert lowp.round_to(-x, "float8_e4m3fn")[0] == -1.0 and lowp.round_to(x + 2.0**-4, "e4m3")[0] == 1.125


def test_overflow_rules():
    assert lowp.round_to([464.0, 464.0001, np.inf], "e4m3").tolist()[0] == 448.0
    assert np.isnan(lowp.round_to([464.0001, np.inf], "e4m3")).all()
    assert lowp.round_to([1e6, np.inf], "e4m3", saturate=True).tolist() == [448.0, 448.0]
    assert lowp.round_to([1e39, -np.inf], "bf16", saturate=True).tolist() == [float(ml_dtypes.finfo(ml_dtypes.bfloat16).max), -np.inf]
    assert lowp.round_to([65520.0, 65519.99], "fp16").tolist() == [np.inf, 65504.0]


# ---------------------------------------------------------------------------
# every value of bfloat16 and float16 against the committed reference
# ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def table():
    if not os.path.exists(DATA):
        pytest.fail("tests/data/lowp_reference.npz is missing: run python tools/lowp_reference.py")
    with np.load(DATA) as z:
        return {k: np.cumsum(z[k].astype(np.int64)) for k in z.files}


def _ref_bits(table, fmt, name, order):
    key = f"{fmt}/{name}/{order}"
    assert key in table, f"{key} missing from the reference: run python tools/lowp_reference.py --names {name}"
    return table[key].astype(L.spec(fmt).uint)


@pytest.mark.parametrize("fmt", ("bfloat16", "float16"))
@pytest.mark.parametrize("name", ELEMENTWISE)
def test_every_value_correctly_rounded(table, fmt, name):
    """Both ways the product evaluates: a long input through its table by bit pattern, and
    short inputs (fewer than lowp._BY_TABLE) directly."""
    xs = L.finite_values(fmt)
    short = lowp._BY_TABLE - 1
    for order in ORDERS:
        want = _ref_bits(table, fmt, name, order)
        got = L.product_bits(product(name, order, fmt, xs), fmt)
        assert np.array_equal(got, want), report(name, order, fmt, xs, got, want)
        direct = np.concatenate([product(name, order, fmt, xs[i:i + short]) for i in range(0, xs.size, short)])
        got = L.product_bits(direct, fmt)
        assert np.array_equal(got, want), report(name, order, fmt, xs, got, want) + " (short inputs)"


@pytest.mark.parametrize("fmt", ("bfloat16", "float16", "float8_e4m3fn", "float8_e5m2", "float4_e2m1fn"))
def test_bit_patterns_as_ml_dtypes_has_them(fmt):
    f = lowp.get_format(fmt)
    codes = np.arange(1 << f.bits).astype(f.uint)
    with np.errstate(invalid="ignore"):
        want = codes.view(getattr(ml_dtypes, fmt) if fmt != "float16" else np.float16).astype(np.float64)
    got = lowp.from_bits(codes, fmt)
    assert np.array_equal(got, want, equal_nan=True)
    assert np.array_equal(np.signbit(got), np.signbit(want))
    finite = np.isfinite(want)
    assert np.array_equal(lowp.bits_of(want[finite], fmt), codes[finite])
    assert np.isnan(lowp.from_bits(lowp.bits_of(want[~finite & np.isnan(want)], fmt), fmt)).all()
    assert np.array_equal(lowp.bits_of(want[np.isinf(want)], fmt), codes[np.isinf(want)])


def test_table_by_parameters_and_format():
    """A long input is looked up in a table per function, derivative, parameters and format."""
    x = np.linspace(-6, 6, 3 * lowp._BY_TABLE)
    elu = REG.get("elu")
    for alpha in (1.0, 0.5):
        for fmt in ("bfloat16", "float16"):
            for order in ORDERS:
                long = product("elu", order, fmt, x, alpha=alpha)
                short = np.concatenate([product("elu", order, fmt, x[i:i + 100], alpha=alpha) for i in range(0, x.size, 100)])
                assert np.array_equal(long, short), (alpha, fmt, order)
    assert elu.value(x, dtype="bfloat16", saturate=True, alpha=2.0).dtype == L.spec("bfloat16").dtype


@pytest.mark.parametrize("fmt", ("bfloat16", "float16"))
def test_committed_reference_sample_recomputed(table, fmt):
    """The committed table is what the mpmath reference gives (a fresh random sample each run)."""
    rng = np.random.default_rng()
    xs = L.finite_values(fmt)
    for name in ELEMENTWISE:
        for order in ORDERS:
            idx = rng.choice(len(xs), 6, replace=False)
            want = _ref_bits(table, fmt, name, order)[idx]
            got = L.reference_bits(name, order, fmt, xs[idx], REG.get(name).defaults())
            assert np.array_equal(got, want), (name, order, xs[idx], got, want)


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ("bfloat16", "float16"))
@pytest.mark.parametrize("name", ELEMENTWISE)
def test_committed_reference_whole(table, fmt, name):
    xs = L.finite_values(fmt)
    for order in ORDERS:
        want = _ref_bits(table, fmt, name, order)
        assert np.array_equal(L.reference_bits(name, order, fmt, xs, REG.get(name).defaults()), want)


# ---------------------------------------------------------------------------
# float8 over every value, live; float32 on a sample and the tails
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", SMALL)
@pytest.mark.parametrize("name", ELEMENTWISE)
def test_float8_every_value(fmt, name):
    xs = L.finite_values(fmt)
    params = [{}] + [dict(p) for p in REFERENCES[name].param_sets[:1]]
    for ps in params:
        if any(isinstance(v, float) and abs(v) > 1e30 for v in ps.values()):
            continue
        for order in ORDERS:
            want = L.reference_bits(name, order, fmt, xs, REG.get(name).bind(ps))
            got = L.product_bits(product(name, order, fmt, xs, **ps), fmt)
            assert np.array_equal(got, want), report(name, order, fmt, xs, got, want) + f" {ps}"


SECOND = [n for n in ELEMENTWISE if getattr(REFERENCES[n], "second", None) is not None]


@pytest.mark.parametrize("fmt", SMALL)
@pytest.mark.parametrize("name", SECOND)
def test_float8_second_derivative_every_value(fmt, name):
    xs = L.finite_values(fmt)
    rec = REG.get(name)
    want = L.reference_bits(name, 2, fmt, xs, rec.defaults())
    got = L.product_bits(rec.derivative(xs, order=2, dtype=fmt).astype(np.float64), fmt)
    assert np.array_equal(got, want), report(name, 2, fmt, xs, got, want)


def test_second_derivative_hard_cases_use_mpmath_differentiation():
    """With no NAME_grad2 among the exact definitions, f'' is mpmath's derivative of the exact f'.

    A float64 value placed exactly on the midpoint next to the correct rounding is a hard case:
    the answer must still be the correctly rounded f''.
    """
    from actloss import _exact

    assert not hasattr(_exact, "sigmoid_grad2")
    rec = REG.get("sigmoid")
    f = lowp.get_format("bfloat16")
    for x in (0.75, -2.5, 7.0):
        want = L.round_mpf(REFERENCES["sigmoid"].second, x, {}, L.spec("bfloat16"))
        q = math.ldexp(1.0, math.frexp(abs(want))[1] - 8)  # bfloat16 spacing at want
        for side in (-1, 1):
            mid = np.array([want + side * q / 2])
            assert lowp.correctly_rounded(rec, "derivative2", np.array([x]), mid, {}, f)[0] == want


def _float32_sample(seed, n=60):
    rng = np.random.default_rng(seed)
    x = (rng.standard_normal(n) * np.exp2(rng.integers(-6, 7, n))).astype(np.float32)
    tails = np.array([-88.0, -87.5, -40.0, -20.0, -10.5, -5.5625, 8.3203125, 11.09375, 17.0, 30.0, 90.0,
                      1e-30, -1e-30, 3.0e38, -3.0e38, 1e-45, -1e-45], np.float32)
    return np.concatenate([x, tails]).astype(np.float64)


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_float32_sample_and_tails(name):
    xs = _float32_sample(abs(hash(name)) % 1000)
    for order in ORDERS:
        want = L.reference_bits(name, order, "float32", xs, REG.get(name).defaults())
        got = L.product_bits(product(name, order, "float32", xs), "float32")
        assert np.array_equal(got, want), report(name, order, "float32", xs, got, want)


def test_zero_sign_of_underflow():
    # exact values that are tiny but nonzero round to a zero of their sign
    got = product("gelu", 0, "bfloat16", [-20.0, -40.0])
    assert got.tolist() == [0.0, 0.0] and np.signbit(got).all()
    got = product("sigmoid", 1, "float8_e4m3fn", [-30.0, 30.0])
    assert got.tolist() == [0.0, 0.0] and not np.signbit(got).any()


# ---------------------------------------------------------------------------
# hard cases: exact values next to (or on) a midpoint
# ---------------------------------------------------------------------------

def _counting_exact(monkeypatch):
    calls = []
    real = lowp.settle_exact

    def spy(*a, **k):
        calls.append(a)
        return real(*a, **k)

    monkeypatch.setattr(lowp, "settle_exact", spy)
    return calls


def test_exact_ties_round_to_even(monkeypatch):
    calls = _counting_exact(monkeypatch)
    # (x + 1)/2 at x = 2**-8 is 1/2 + 2**-9, the midpoint of 0.5 and 0.50390625 in bfloat16: even is 0.5
    x = np.array([2.0**-8, 3 * 2.0**-8])
    assert product("sparse_sigmoid", 0, "bfloat16", x).tolist() == [0.5, 0.5078125]
    assert len(calls) == 2


@pytest.mark.parametrize("fmt", ("bfloat16", "float16", "float8_e5m2"))
@pytest.mark.parametrize("name,inverse", [
    ("sigmoid", lambda m: math.log(m / (1 - m))),
    ("tanh", lambda m: math.atanh(m)),
    ("softplus", lambda m: math.log(math.expm1(m))),
])
def test_values_next_to_midpoints(monkeypatch, fmt, name, inverse):
    """float64 inputs whose exact image lies within ~2**-50 of a midpoint of the format.

    The kernel's float64 result is moved by 3 ulp towards and across the midpoint:
    the answer must not change (it is settled exactly, not read off the float64 value).
    """
    calls = _counting_exact(monkeypatch)
    s, f = L.spec(fmt), lowp.get_format(fmt)
    lo = 0.05 if name != "softplus" else 0.3
    v = L.finite_values(fmt)
    v = np.unique(v[(v > lo) & (v < 0.95)])
    mids = (v[:-1] + v[1:]) / 2
    rng = np.random.default_rng(7)
    mids = mids[rng.choice(len(mids), min(12, len(mids)), replace=False)]
    xs = np.array([inverse(m) for m in mids])
    rec = REG.get(name)
    y = rec.value(xs)
    want = np.array([L.round_mpf(REFERENCES[name].value, float(x), REG.get(name).defaults(), s) for x in xs])
    for nudge in (-3, 0, 3):
        y2 = y + nudge * np.spacing(y)
        got = lowp.correctly_rounded(rec, "value", xs, y2, rec.bind({}), f)
        assert got.tolist() == want.tolist(), (nudge, xs, got, want)
    assert calls, "no hard case was met"


def test_overflow_boundary_is_decided_exactly():
    # softplus(x) ~ x: the overflow threshold of float16 is 65520 (ties go to inf)
    f = lowp.get_format("float16")
    rec = REG.get("identity")
    xs = np.array([65520.0, np.nextafter(65520.0, 0), 65504.0 + 8.0])
    got = lowp.correctly_rounded(rec, "value", xs, xs.copy(), {}, f)
    assert got.tolist() == [np.inf, 65504.0, 65504.0]


def test_exact_definitions_follow_the_kink_conventions():
    from mpmath import mp

    from actloss import _exact

    for rec in REG:
        if rec.kind != "activation" or rec.shape != "elementwise":
            continue
        fn = getattr(_exact, rec.kernel.partition(":")[2] + "_grad")
        params = rec.bind({})
        for x, dydx in rec.kink_points():
            with mp.workprec(100):
                assert float(fn(mp.mpf(x), **params)) == pytest.approx(dydx, rel=1e-15, abs=0), (rec.name, x)


def test_exact_definitions_agree_with_kernels():
    from mpmath import mp

    from actloss import _exact

    xs = np.array([-7.5, -2.25, -0.75, -0.1, 0.3, 1.5, 4.0, 9.0])
    for rec in REG:
        if rec.kind != "activation":
            continue
        fn = rec.kernel.partition(":")[2]
        params = rec.bind({})
        for suffix, kernel in (("", rec.value), ("_grad", rec.derivative)):
            exact = getattr(_exact, fn + suffix)
            if rec.shape == "elementwise":
                y = kernel(xs)
                with mp.workprec(100):
                    e = np.array([float(exact(mp.mpf(float(x)), **params)) for x in xs])
            else:
                row = xs[:6]
                y = np.asarray(kernel(row)).reshape(-1)
                with mp.workprec(100):
                    e = np.array([float(v) for v in exact([mp.mpf(float(x)) for x in row], **params)])
            np.testing.assert_allclose(e, y, rtol=1e-13, atol=1e-300, err_msg=rec.name + suffix)


# ---------------------------------------------------------------------------
# vector functions and losses in low precision
# ---------------------------------------------------------------------------

def _rows(fmt, n, count, seed, scale=4.0):
    rng = np.random.default_rng(seed)
    return [lowp.round_to(rng.standard_normal(n) * scale, fmt) for _ in range(count)]


VECTOR_REFS = {
    "softmax": (lambda RV, r: RV.softmax(r), lambda RV, r: RV.softmax_jac(r)),
    "log_softmax": (lambda RV, r: RV.log_softmax(r), lambda RV, r: RV.log_softmax_jac(r)),
    "softmin": (lambda RV, r: RV.softmin(r), lambda RV, r: RV.softmin_jac(r)),
    "sparsemax": (lambda RV, r: RV.sparsemax(r), lambda RV, r: RV.sparsemax_jac(r)),
    "glu": (lambda RV, r: RV.glu_value("sigmoid", r), lambda RV, r: RV.glu_jac("sigmoid", r)),
    "reglu": (lambda RV, r: RV.glu_value("relu", r), lambda RV, r: RV.glu_jac("relu", r)),
    "geglu": (lambda RV, r: RV.glu_value("gelu", r), lambda RV, r: RV.glu_jac("gelu", r)),
    "swiglu": (lambda RV, r: RV.glu_value("silu", r), lambda RV, r: RV.glu_jac("silu", r)),
}


@pytest.mark.parametrize("fmt", ("bfloat16", "float8_e4m3fn", "float16"))
@pytest.mark.parametrize("name", list(VECTOR_REFS))
def test_vector_functions_per_element(fmt, name):
    """Values and Jacobians of the softmax and GLU families, each element correctly rounded."""
    import reference_vector as RV

    s = L.spec(fmt)
    value_ref, jac_ref = VECTOR_REFS[name]
    for row in _rows(fmt, 6, 8, abs(hash((fmt, name))) % 1000):
        rec = REG.get(name)
        got = rec.value(row, dtype=fmt).astype(np.float64).reshape(-1)
        want = [L.round_any(v, s) for v in value_ref(RV, list(row))]
        assert np.array_equal(np.where(got == 0, 0, got), want, equal_nan=True), (name, row, got, want)
        got = rec.derivative(row, dtype=fmt).astype(np.float64).reshape(-1)
        want = [L.round_any(v, s) for line in jac_ref(RV, list(row)) for v in line]
        assert np.array_equal(np.where(got == 0, 0, got), want, equal_nan=True), (name, row, got, want)


def test_losses_rounded_from_exact_rationals():
    rng = np.random.default_rng(4)
    s = L.spec("bfloat16")
    for _ in range(20):
        p = lowp.round_to(rng.standard_normal(7), "bf16")
        t = lowp.round_to(rng.standard_normal(7), "bf16")
        exact = sum((Fraction(a) - Fraction(b)) ** 2 for a, b in zip(p, t)) / 7
        got = REG.get("mse").value(p, t, dtype="bf16")
        assert float(got) == L.round_fraction(exact, s)
        g = REG.get("mse").derivative(p, t, dtype="bf16").astype(np.float64)
        assert g.tolist() == [L.round_fraction(2 * (Fraction(a) - Fraction(b)) / 7, s) for a, b in zip(p, t)]


# ---------------------------------------------------------------------------
# printing
# ---------------------------------------------------------------------------

def _digits(text):
    mant = text.lstrip("-").split("e")[0].replace(".", "").strip("0")
    return len(mant)


@pytest.mark.parametrize("fmt", ("bfloat16", "float16", "float8_e4m3fn", "float8_e5m2"))
def test_shortest_round_trip_every_value(fmt):
    s = L.spec(fmt)
    v = L.finite_values(fmt)
    texts = lowp.shortest(v, fmt)
    limit = {"bfloat16": 4, "float16": 5, "float8_e4m3fn": 3, "float8_e5m2": 3}[fmt]
    for x, t in zip(v.tolist(), texts):
        if x == 0:
            assert t == repr(x)
            continue
        assert L.round_fraction(Fraction(t), s) == x, (x, t)  # the exact decimal rounds back
        k = _digits(t)
        assert k <= limit, (x, t)
        if k > 1:  # no decimal with one digit fewer rounds back: try the two around x
            e = math.floor(math.log10(abs(x)))
            scale = Fraction(10) ** (e - (k - 2))
            n = Fraction(x) / scale
            for cand in (math.floor(n), math.ceil(n), math.floor(n) - 1, math.ceil(n) + 1):
                assert L.round_fraction(cand * scale, s) != x, (x, t, cand * scale)


def test_float32_printing_is_shortest_round_trip():
    rng = np.random.default_rng()
    v = np.concatenate([rng.standard_normal(3000) * np.exp2(rng.integers(-140, 120, 3000)),
                        [3.4028234663852886e38, 1e-45, 1.1754943508222875e-38]]).astype(np.float32).astype(np.float64)
    shown = lowp.display(v, "float32")
    s = L.spec("float32")
    texts = lowp.shortest(v, "float32")
    for x, d, t in zip(v.tolist(), shown.tolist(), texts):
        assert L.round_fraction(Fraction(repr(d)), s) == x, (x, d)  # the printed decimal rounds back exactly
        assert _digits(repr(d)) <= _digits(t), (x, d, t)  # and is no longer than the searched shortest


def test_shortest_specials():
    assert lowp.shortest([np.nan, np.inf, -np.inf, -0.0, 1.0], "bf16") == ["nan", "inf", "-inf", "-0.0", "1.0"]
    assert lowp.shortest([0.1], "float64") == ["0.1"]
    assert lowp.shortest(lowp.round_to([0.1], "bf16"), "bf16") == ["0.1"]


# ---------------------------------------------------------------------------
# start-up: nothing extra for float64
# ---------------------------------------------------------------------------

def _modules_after(code):
    probe = code + "; import sys; print(sorted(m for m in ('ml_dtypes', 'mpmath', 'actloss.lowp') if m in sys.modules))"
    p = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    return p.stdout.strip()


def test_float64_imports_neither_ml_dtypes_nor_mpmath():
    assert _modules_after("from actloss.registry import get; get('gelu').value([1.0])") == "[]"
    assert _modules_after("import actloss.lowp") == "['actloss.lowp']"
    assert _modules_after("from actloss.registry import get; get('gelu').value([1.0], dtype='bf16')") == "['actloss.lowp', 'ml_dtypes']"


def test_cli_eval_in_bfloat16_and_float16_needs_no_ml_dtypes():
    """The command line prints float64 values: a long bfloat16 or float16 eval (the table by bit pattern,
    the shortest decimals) never needs ml_dtypes' array types, nor mpmath."""
    probe = (
        "import io, sys, os, tempfile, numpy as np\n"
        "p = os.path.join(tempfile.mkdtemp(), 'x.txt'); np.savetxt(p, np.linspace(-9, 9, 20000))\n"
        "from actloss.cli.entry import main\n"
        "for fmt in ('bfloat16', 'float16'):\n"
        "    sys.argv = ['actloss', 'eval', 'gelu', '--dtype', fmt, '--input', p]\n"
        "    out = sys.stdout; sys.stdout = io.TextIOWrapper(io.BytesIO())  # no file descriptor: one process\n"
        "    try:\n"
        "        main()\n"
        "    except SystemExit:\n"
        "        pass\n"
        "    sys.stdout = out\n"
        "print(sorted(m for m in ('ml_dtypes', 'mpmath', 'actloss.lowp') if m in sys.modules))\n"
    )
    p = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip() == "['actloss.lowp']"


# ---------------------------------------------------------------------------
# the command line
# ---------------------------------------------------------------------------

def _cli(*args):
    p = subprocess.run([sys.executable, "-m", "actloss", *args], capture_output=True, text=True, timeout=60)
    return p.returncode, p.stdout, p.stderr


def test_cli_eval_and_grad_in_bfloat16():
    assert _cli("eval", "sigmoid", "--dtype", "bf16", "--", "6", "6.25")[1] == "0.996\n1.0\n"
    assert _cli("grad", "sigmoid", "--dtype", "bfloat16", "--", "6.25")[1] == "0.00192\n"
    assert _cli("eval", "identity", "--dtype", "e4m3", "--", "500")[1] == "nan\n"
    assert _cli("eval", "identity", "--dtype", "e4m3", "--saturate", "--", "500")[1] == "450.0\n"  # 448's shortest


def test_cli_json_carries_dtype_and_rounded_input():
    import json

    code, out, _ = _cli("eval", "gelu", "--dtype", "bfloat16", "--format", "json", "--", "-5.5625", "0.1")
    obj = json.loads(out)
    assert obj["dtype"] == "bfloat16" and obj["x"] == [-5.56, 0.1] and obj["y"][0] == -7.4e-08


def test_cli_npy_input_keeps_its_dtype(tmp_path):
    path = tmp_path / "x.npy"
    np.save(path, np.array([8.3203125, 8.0], np.float16))
    assert _cli("eval", "sigmoid", "--input", str(path))[1] == "1.0\n0.9995\n"


def test_cli_loss_in_low_precision():
    code, out, _ = _cli("loss", "mse", "--pred", "1.1,2,3", "--target", "1,2,3.3", "--dtype", "bf16")
    p = lowp.round_to([1.1, 2, 3], "bf16")
    t = lowp.round_to([1, 2, 3.3], "bf16")
    exact = sum((Fraction(a) - Fraction(b)) ** 2 for a, b in zip(p, t)) / 3
    assert L.round_fraction(Fraction(out.strip()), L.spec("bfloat16")) == L.round_fraction(exact, L.spec("bfloat16"))


def test_cli_raw_npy_needs_a_dtype(tmp_path):
    path = tmp_path / "b.npy"
    np.save(path, np.array([6.25, 1.0], ml_dtypes.bfloat16))  # saved as raw 2-byte values
    assert _cli("eval", "sigmoid", "--dtype", "bfloat16", "--input", str(path))[1] == "1.0\n0.73\n"
    code, out, err = _cli("eval", "sigmoid", "--input", str(path))
    assert code == 2 and "--dtype bfloat16" in err and len(err.strip().splitlines()) == 1


def test_python_api_returns_the_format():
    import actloss as al

    y = al.gelu(np.array([-5.5625, 1.0]), dtype="bfloat16")
    assert y.dtype == ml_dtypes.bfloat16 and float(y[0]) == L.round_mpf(REFERENCES["gelu"].value, -5.5625, {"approximate": "none"}, L.spec("bfloat16"))
    assert al.sigmoid.grad(6.25, dtype="bf16") == L.round_mpf(REFERENCES["sigmoid"].derivative, 6.25, {}, L.spec("bfloat16"))


def test_cli_bad_dtype_is_one_line():
    code, out, err = _cli("eval", "sigmoid", "--dtype", "bf17", "--", "1")
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1 and "bfloat16" in err


@pytest.mark.parametrize("fmt", ("float32", "bfloat16", "float16"))
@pytest.mark.parametrize("name,params,order", [
    ("gelu", {}, 0), ("gelu", {"approximate": "tanh"}, 0), ("silu", {}, 0), ("quick_gelu", {}, 0),
    ("hardswish", {}, 0), ("tanh", {}, 0), ("tanh", {}, 2), ("softsign", {}, 0), ("elu", {"alpha": 0.5}, 0),
    ("mish", {}, 0), ("sigmoid", {}, 2), ("tanhshrink", {}, 1), ("tanhshrink", {}, 0), ("softplus", {"beta": 2.0}, 1),
])
def test_tiny_inputs_settled_by_the_series_as_by_mpmath(monkeypatch, fmt, name, params, order):
    """Near 0, where f(x) = a1·x + ... and a1·x is a midpoint (x/2 of an odd subnormal), the series
    decides the side; every such element is what the per-element mpmath settling gives."""
    f = lowp.get_format(fmt)
    rng = np.random.default_rng(7)
    q = math.ldexp(1.0, f.emin - f.precision + 1)  # the smallest subnormal
    k = rng.integers(1, 2 ** (f.precision - 1), 300).astype(np.float64)
    tiny = np.concatenate([k * q, [q, 3 * q, math.ldexp(1.0, f.emin), math.ldexp(3.0, f.emin - 1)],
                           lowp.round_to(rng.uniform(-1, 1, 100) * 2.0**-50, fmt)])
    x = np.concatenate([tiny, -tiny])
    rec = REG.get(name)
    which = ("value", "derivative", "derivative2")[order]
    kernel = {0: rec._kernels()[0], 1: rec._kernels()[1], 2: rec._second()}[order]
    y = np.asarray(kernel(x, **rec.bind(params)), dtype=np.float64)
    hard = lowp.hard_cases(y, f, False)
    fast = lowp.correctly_rounded(rec, which, x, y, rec.bind(params), f)
    monkeypatch.setattr(lowp, "_near_origin", lambda *a, **k: None)
    slow = lowp.correctly_rounded(rec, which, x, y, rec.bind(params), f)
    assert np.array_equal(fast.view(np.int64), slow.view(np.int64)), (name, fmt, x[fast != slow][:5])
    if name in ("gelu", "silu") and fmt == "float32":
        assert hard.sum() > 100  # the case this is for: many odd subnormals halved


def test_class_indices_are_not_rounded_into_the_format():
    """float4_e2m1fn has no 5 (it would round to 4): a class index stays the class it names."""
    pred = np.zeros((1, 8))
    g = REG.get("ce").derivative(pred, np.array([5.0]), logits=True, dtype="float4_e2m1fn").astype(np.float64)
    assert g[0, 5] < 0 and (np.delete(g[0], 5) >= 0).all()
    g8 = REG.get("multi_margin").derivative(np.zeros((1, 20)), np.array([17.0]), dtype="float8_e4m3fn").astype(np.float64)
    assert g8[0, 17] < 0 and (np.delete(g8[0], 17) > 0).all()  # e4m3 has no 17 either (16 or 18)
