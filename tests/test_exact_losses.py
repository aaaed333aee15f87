"""actloss._exact_losses (the mpmath losses that settle low-precision hard cases) against the
independent references of ``loss_reference``, on the cases of the float64 accuracy suite, and the
settling itself on hard cases made by construction.

The exact module must agree with the reference to far beyond any format's resolution (2**-90
relative): it decides roundings the float64 kernels cannot.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from mpmath import mp

import loss_reference as R
import lowp_reference as LR
import test_loss_accuracy as A
from actloss import _exact_losses as E
from actloss import _losses as L
from actloss import lowp
from actloss.registry import get

CLOSE = mp.mpf(2) ** -90


def _close(got, want) -> bool:
    """Within 2**-90 relative (2**-390 absolute: an exact 0 comes out as the noise of a finite precision)."""
    if mp.isnan(want) or mp.isinf(want):
        return bool(mp.isnan(got)) if mp.isnan(want) else got == want
    return abs(got - want) <= CLOSE * max(abs(want), mp.mpf(2) ** -300)


def _references(case):
    """(per-unit values, sum, denominator, gradient of the sum per flat pred index or None) from loss_reference."""
    rec = get(case.name)
    prm = rec.bind(case.params)
    flat = [R.mpf(v) for v in case.pred.reshape(-1).tolist()]
    lo, hi = A._domain(case)
    units = A._units(case, prm)
    refs, grads = [], [None] * len(flat)
    for idx, fn, _ in units:
        ps = [flat[i] for i in idx]
        refs.append(fn(ps))
        for j, i in enumerate(idx):
            if not mp.isfinite(ps[j]):
                continue

            def f(x, j=j, ps=ps, fn=fn):
                q = R.Perturbed(ps)
                q[j] = x
                return fn(q)

            d, kink = R.derivative(f, ps[j], R.mpf(lo) if lo is not None else None, R.mpf(hi) if hi is not None else None)
            if not kink and not mp.isnan(d):
                grads[i] = d
    return refs, grads


def _cases():
    for name, gen in sorted(A.GENERATORS.items()):
        cases = list(gen())
        plain = [c for c in cases if not c.params.get("normalize")]
        for case in plain[:: max(1, len(plain) // 4)][:4] + [c for c in cases if c.params.get("normalize")][:3]:
            yield pytest.param(case, id=f"{name}-{case.tag or len(case.pred.reshape(-1))}")


@pytest.mark.parametrize("case", list(_cases()))
def test_exact_losses_agree_with_the_reference(case):
    rec = get(case.name)
    prm = rec.bind(case.params)
    pred = np.asarray(case.pred, dtype=np.float64)
    target = np.asarray(case.target, dtype=np.float64)
    parts = L.parts(case.name, pred, target, **prm)
    with mp.workprec(R.PREC):
        refs, grads = _references(case)
    with mp.workprec(400):
        for k, want in enumerate(refs):
            got = E.exact(rec, "value", pred, target, prm, parts, "none", k)()
            assert _close(got, want), (k, got, want)
        total = E.exact(rec, "value", pred, target, prm, parts, "sum", 0)()
        assert _close(total, mp.fsum(refs))
        for i, want in enumerate(grads):
            if want is None or mp.isinf(want):  # infinite: never a hard case, not settled
                continue
            got = E.exact(rec, "derivative", pred, target, prm, parts, "sum", i)()
            assert _close(got, want), (i, got, want)
            got_mean = E.exact(rec, "derivative", pred, target, prm, parts, "mean", i)()
            assert _close(got_mean, want / mp.mpf(parts.denominator))


def _hard_cases():
    """Gradients that are sigmoids near 1/2, sigma(x) = 1/2 + x/4 - x^3/48 + ...: at x = k·2**-23 (k odd) the
    float64 result 1/2 + k·2**-25 is a float32 midpoint and the exact value just below it: hard cases
    by construction, half of them rounded the wrong way by a tie to even."""
    out = []
    for k in (1, 3, 5, 7, 9, 11, 13, 15):
        x = k * 2.0**-23
        out.append(("bce", {"logits": True}, x, 0.0))  # sigma(x)
        out.append(("bce", {"logits": True}, -x, 1.0))  # sigma(-x) - 1 = -sigma(x)
        out.append(("soft_margin", {}, -x, 1.0))  # -sigma(x)
        out.append(("focal", {"logits": True, "gamma": 0.0, "alpha": -1.0}, x, 0.0))
    return out


def _float32_of(name, params, x, t):
    rec = get(name)
    y64 = float(np.asarray(rec.derivative(np.array([x]), np.array([t]), reduction="none", **params)).reshape(-1)[0])
    got = float(np.asarray(rec.derivative(np.array([x]), np.array([t]), reduction="none", dtype="float32", **params),
                           dtype=np.float64)[0])
    return y64, got


@pytest.mark.parametrize("name,params,x,t", _hard_cases())
def test_loss_hard_cases_correctly_rounded(name, params, x, t):
    """The product's float32 gradient is the exact derivative (the independent reference, as an exact
    rational) rounded once, where float64 alone cannot tell."""
    y64, got = _float32_of(name, params, x, t)
    case = A.Case(name, params, np.array([x]), np.array([t]))
    with mp.workprec(R.PREC):
        _, grads = _references(case)
        sign, man, exp, _ = grads[0]._mpf_
        exact = (-1) ** sign * Fraction(int(man)) * Fraction(2) ** int(exp)
    assert lowp.hard_cases(np.array([y64]), lowp.get_format("float32"), False)[0], "not a hard case"
    assert got == LR.round_fraction(exact, LR.spec("float32")), (got, float(exact))


def test_some_hard_case_needs_settling():
    """Rounding the float64 result once would be wrong for some of those cases: the test above can fail."""
    wrong = [c for c in _hard_cases() if float(lowp.round_to(np.array([_float32_of(*c)[0]]), "float32")[0]) != _float32_of(*c)[1]]
    assert len(wrong) >= 16  # the ties that go to an even neighbour above the exact value


def test_loss_command_settles_as_the_api_does():
    """actloss grad LOSS --dtype float32 prints the settled gradient (the shortest float32 decimal of it)."""
    from cli import invoke

    checked = 0
    for name, params, x, t in _hard_cases():
        _, want = _float32_of(name, params, x, t)
        opts = [f"--{k.replace('_', '-')}={str(v).lower()}" if isinstance(v, bool) else f"--{k}={v!r}"
                for k, v in params.items()]
        r = invoke("grad", name, *opts, "--pred", repr(x), "--target", repr(t), "--dtype", "float32",
                   "--reduction", "none")
        assert r.code == 0, r.err
        assert np.float32(float(r.out)) == np.float32(want), (name, x, r.out, want)  # the float32 it names
        checked += 1
    assert checked == len(_hard_cases())


SMOOTH = ("mse", "log_cosh", "gaussian_nll", "poisson_nll", "bce")  # no kinks: second derivatives everywhere


@pytest.mark.parametrize("name,params", [c for c in __import__("test_loss_hessians").CONFIGS if c[0] in SMOOTH],
                         ids=lambda v: str(v))
def test_exact_second_derivatives_agree_with_the_reference(name, params):
    """The Hessian diagonal of the elementwise losses: the exact module's numerical second derivative
    against the closed forms of the Hessian tests (themselves checked against mpmath's differentiation)."""
    import test_loss_hessians as H

    _, second, _ = H.ELEMENTWISE[name]
    pred, target = H._cases(name, params, np.random.default_rng(11))
    pred, target = pred[-12:], target[-12:]  # the edge cases and a few random ones
    rec = get(name)
    prm = rec.bind(params)
    parts = L.parts(name, pred, target, **prm)
    checked = 0
    with mp.workprec(400):
        for k in range(pred.size):
            want = second(R.mpf(pred[k]), R.mpf(target[k]),
                          **{key: R.mpf(v) if isinstance(v, float) else v for key, v in params.items()})
            if not mp.isfinite(want):
                continue
            got = E.exact(rec, "derivative2", pred, target, prm, parts, "sum", k)()
            assert _close(got, want), (k, pred[k], target[k], got, want)
            checked += 1
    assert checked >= 6


@pytest.mark.parametrize("pred,target,params", __import__("test_loss_hessians").CE_CASES[:9])
def test_exact_ce_blocks_agree_with_the_reference(pred, target, params):
    import test_loss_hessians as H

    rec = get("ce")
    z = np.array(pred)
    t = np.array(target, dtype=np.float64)
    prm = rec.bind({"logits": True, **params})
    parts = L.parts("ce", z, t, **prm)
    c = z.shape[-1]
    with mp.workprec(400):
        for n, row in enumerate(z.tolist()):
            A = H._ce_coeffs_mp(t[n], c, params.get("weight"), params.get("label_smoothing", 0.0))
            want = H._ce_reference([R.mpf(v) for v in row], A)
            for i in range(c):
                for j in range(c):
                    got = E.exact(rec, "derivative2", z, t, prm, parts, "sum", (n * c + i) * c + j)()
                    assert _close(got, want[i][j]), (n, i, j, got, want[i][j])


def test_second_derivatives_in_low_precision_are_settled(monkeypatch):
    """With every element taken as hard, the second derivatives go through the exact module and come out
    as the one rounding does away from midpoints (the cases are not near any)."""
    rng = np.random.default_rng(5)
    x, t = rng.normal(size=6), rng.uniform(size=6)
    z, k = rng.normal(size=(2, 3)), np.array([0.0, 2.0])
    rec_b, rec_c = get("bce"), get("ce")
    plain_b = np.asarray(rec_b.derivative(x, t, logits=True, order=2, dtype="float32"))
    plain_c = np.asarray(rec_c.derivative(z, k, logits=True, order=2, dtype="bfloat16"))
    calls = []
    real = E.exact
    monkeypatch.setattr(lowp, "hard_cases", lambda y, *a, **kw: np.ones(np.shape(y), dtype=bool))
    monkeypatch.setattr(E, "exact", lambda *a, **kw: calls.append(a[1]) or real(*a, **kw))
    assert np.array_equal(np.asarray(rec_b.derivative(x, t, logits=True, order=2, dtype="float32")), plain_b)
    assert np.array_equal(np.asarray(rec_c.derivative(z, k, logits=True, order=2, dtype="bfloat16")), plain_c)
    assert calls.count("derivative2") == 6 + 18
