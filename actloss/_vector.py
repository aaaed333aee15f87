"""Vector kernels: the softmax family and the GLU family, value beside Jacobian.

Inputs are float64 arrays of shape (..., n); each row along the last axis is
one vector. Values keep that shape (GLU halves the last axis); derivatives
are Jacobians of shape (..., n_out, n) with J[..., i, j] = d out_i / d x_j.

Softmax family: the shift by the row maximum is carried as a double-double,
so exp(x_i - max) is exact to the last bits even when x_i - max is ~ -700;
the row sum excludes the maximum term (which is exactly 1) and is summed
with math.fsum, so log_softmax of the maximum is -log1p(rest), exact for
tiny rests.

GLU family layout (one for all four, as PyTorch's F.glu): the last axis is
split in halves x = [a, b]; out = a * act(b) (a: value half, b: gate half).
"""

from __future__ import annotations

import math

import numpy as np

from actloss import _kernels as K
from actloss._dd import div_dd, two_sum
from actloss.errors import ShapeError


def _arr(x):
    x = np.asarray(x, dtype=np.float64)
    if x.ndim == 0:
        x = x.reshape(1)
    return x


def _rowsum(e):
    """Exactly rounded sum along the last axis (math.fsum per row)."""
    n = e.shape[-1]
    flat = e.reshape(-1, n)
    out = np.fromiter((math.fsum(r) for r in flat.tolist()), dtype=np.float64, count=flat.shape[0])
    return out.reshape(e.shape[:-1] + (1,))


def _softmax_parts(x, temperature):
    """For z = x / T: e_i = exp(z_i - max z) (max term exactly 1), rest = sum of the others.

    Rows holding +inf are handled by the callers.
    """
    if temperature == 1.0:
        zh, zl = x, np.zeros_like(x)
    else:
        zh, zl = div_dd(x, temperature)
        zl = np.where(np.isfinite(zl), zl, 0.0)
    m = np.argmax(zh, axis=-1)[..., None]
    mh = np.take_along_axis(zh, m, axis=-1)
    ml = np.take_along_axis(zl, m, axis=-1)
    dh, dl = two_sum(zh, -mh)
    dl = dl + (zl - ml)
    dl = np.where(np.isfinite(dl) & (np.abs(dh) < 800.0), dl, 0.0)
    e = np.exp(dh)
    e = e + e * dl
    is_max = np.zeros(x.shape, dtype=bool)
    np.put_along_axis(is_max, m, True, axis=-1)
    e = np.where(is_max, 1.0, e)
    rest = _rowsum(np.where(is_max, 0.0, e))
    return dh, dl, e, rest, is_max


def _inf_rows(x, sign=1.0):
    """Rows with a +inf (after sign): mask of rows and the limiting distribution."""
    pinf = np.isposinf(sign * x)
    rows = pinf.any(axis=-1, keepdims=True)
    lim = pinf / np.maximum(pinf.sum(axis=-1, keepdims=True), 1)
    return rows, lim


def softmax(x, temperature=1.0):
    with np.errstate(all="ignore"):
        x = _arr(x)
        _, _, e, rest, _ = _softmax_parts(x, temperature)
        y = e / (1.0 + rest)
        rows, lim = _inf_rows(x)
        return np.where(rows, lim, y)


def _softmax_jac(s, one_minus_s, temperature):
    n = s.shape[-1]
    jac = -s[..., :, None] * s[..., None, :]
    idx = np.arange(n)
    jac[..., idx, idx] = s * one_minus_s
    return jac / temperature


def _one_minus(e, rest, is_max):
    """1 - s_i without cancellation: rest/(1+rest) at the maximum, 1 - s_i elsewhere (s_i <= 1/2)."""
    s = e / (1.0 + rest)
    return s, np.where(is_max, rest / (1.0 + rest), 1.0 - s)


def softmax_grad(x, temperature=1.0):
    with np.errstate(all="ignore"):
        x = _arr(x)
        _, _, e, rest, is_max = _softmax_parts(x, temperature)
        s, oms = _one_minus(e, rest, is_max)
        return _softmax_jac(s, oms, temperature)


def softmin(x, temperature=1.0):
    return softmax(-_arr(x), temperature)


def softmin_grad(x, temperature=1.0):
    return -softmax_grad(-_arr(x), temperature)


def log_softmax(x, temperature=1.0):
    with np.errstate(all="ignore"):
        x = _arr(x)
        dh, dl, _, rest, _ = _softmax_parts(x, temperature)
        y = (dh - np.log1p(rest)) + dl
        rows, lim = _inf_rows(x)
        return np.where(rows, np.where(lim > 0, -np.log(np.maximum(np.isposinf(x).sum(-1, keepdims=True), 1)), -np.inf), y)


def log_softmax_grad(x, temperature=1.0):
    with np.errstate(all="ignore"):
        x = _arr(x)
        _, _, e, rest, is_max = _softmax_parts(x, temperature)
        s, oms = _one_minus(e, rest, is_max)
        n = x.shape[-1]
        jac = np.broadcast_to(-s[..., None, :], x.shape[:-1] + (n, n)).copy()
        idx = np.arange(n)
        jac[..., idx, idx] = oms
        return jac / temperature


def _sparsemax_support(z):
    zs = -np.sort(-z, axis=-1)
    n = z.shape[-1]
    k = np.arange(1, n + 1, dtype=np.float64)
    cs = np.cumsum(zs, axis=-1)
    cond = 1.0 + k * zs > cs
    kz = np.maximum(cond.sum(axis=-1, keepdims=True), 1)
    tau = (np.take_along_axis(cs, kz - 1, axis=-1) - 1.0) / kz
    return tau


def sparsemax(x, temperature=1.0):
    with np.errstate(all="ignore"):
        x = _arr(x)
        z = x / temperature
        tau = _sparsemax_support(z)
        return np.maximum(z - tau, 0.0)


def sparsemax_grad(x, temperature=1.0):
    with np.errstate(all="ignore"):
        x = _arr(x)
        p = sparsemax(x, temperature)
        s = (p > 0).astype(np.float64)
        k = np.maximum(s.sum(axis=-1, keepdims=True), 1.0)
        n = x.shape[-1]
        jac = -(s[..., :, None] * s[..., None, :]) / k[..., None]
        idx = np.arange(n)
        jac[..., idx, idx] += s
        return jac / temperature


# ---------------------------------------------------------------------------
# GLU family
# ---------------------------------------------------------------------------

def _halves(x, name):
    x = _arr(x)
    n = x.shape[-1]
    if n % 2:
        raise ShapeError(
            f"{name} splits each vector into a value half and a gate half: "
            f"expected an even number of inputs per vector, got {n}"
        )
    return x[..., : n // 2], x[..., n // 2 :]


def _glu_value(x, name, act, **kw):
    a, b = _halves(x, name)
    with np.errstate(all="ignore"):
        return a * act(b, **kw)


def _glu_jac(x, name, act, dact, **kw):
    a, b = _halves(x, name)
    m = a.shape[-1]
    with np.errstate(all="ignore"):
        jac = np.zeros(a.shape + (2 * m,), dtype=np.float64)
        idx = np.arange(m)
        jac[..., idx, idx] = act(b, **kw)
        jac[..., idx, m + idx] = a * dact(b, **kw)
    return jac


def glu(x):
    return _glu_value(x, "glu", K.sigmoid)


def glu_grad(x):
    return _glu_jac(x, "glu", K.sigmoid, K.sigmoid_grad)


def reglu(x):
    return _glu_value(x, "reglu", K.relu)


def reglu_grad(x):
    return _glu_jac(x, "reglu", K.relu, K.relu_grad)


def geglu(x, approximate="none"):
    return _glu_value(x, "geglu", K.gelu, approximate=approximate)


def geglu_grad(x, approximate="none"):
    return _glu_jac(x, "geglu", K.gelu, K.gelu_grad, approximate=approximate)


def swiglu(x, beta=1.0):
    return _glu_value(x, "swiglu", K.silu, beta=beta)


def swiglu_grad(x, beta=1.0):
    return _glu_jac(x, "swiglu", K.silu, K.silu_grad, beta=beta)
