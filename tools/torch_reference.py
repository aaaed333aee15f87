"""Write tests/data/torch_activations.json: PyTorch's values and autograd derivatives of the activations.

Run by hand, never in CI (it imports torch, which is not a dependency of actloss):

    python3 -m venv /tmp/torchvenv && /tmp/torchvenv/bin/pip install torch==2.13.0 numpy
    PYTHONPATH=. /tmp/torchvenv/bin/python tools/torch_reference.py    # from the repository root

(any venv outside the repository will do; the header records the command).

(the registry needs only the standard library and numpy; mpmath comes with torch, through sympy).

For every activation PyTorch has, at each kink of the record (default and one other parameter set), the
kink's float neighbours and a few ordinary points: value, derivative and second derivative in float64
(autograd, double backward; null with the error where torch has no double backward), the same at +0.0
and -0.0 with their signs ("signed_zeros"), plus Jacobians of the vector functions and torch's defaults
for the parameters actloss shares with it.
"tails" holds a few points where torch's float64 result is not the correctly rounded one, next to the
exact value (mpmath, 200 bits), for the README.
tests/test_torch_conventions.py reads the file; it never imports torch.
"""

from __future__ import annotations

import datetime
import inspect
import json
import math
import sys
from pathlib import Path

import mpmath
import numpy as np
import torch
import torch.nn.functional as F

from actloss import registry

OUT = Path(__file__).resolve().parent.parent / "tests" / "data" / "torch_activations.json"
ORDINARY = [-3.0, -1.0, -0.5, 0.0, 0.25, 1.0, 2.5, 10.0]


def _t(v):
    return torch.tensor(v, dtype=torch.float64)


# name -> (torch call on a float64 tensor with actloss's parameters, other parameter set to try)
ELEMENTWISE = {
    "sigmoid": (lambda t: torch.sigmoid(t), None),
    "tanh": (lambda t: torch.tanh(t), None),
    "softsign": (lambda t: F.softsign(t), None),
    "hardsigmoid": (lambda t: F.hardsigmoid(t), None),
    "log_sigmoid": (lambda t: F.logsigmoid(t), None),
    "relu": (lambda t: F.relu(t), None),
    "relu6": (lambda t: F.relu6(t), None),
    "leaky_relu": (lambda t, alpha: F.leaky_relu(t, alpha), {"alpha": 0.2}),
    "prelu": (lambda t, alpha: F.prelu(t, _t([alpha])), {"alpha": 0.1}),
    "rrelu": (lambda t, lower, upper: F.rrelu(t, lower, upper, training=False), {"lower": 0.1, "upper": 0.3}),
    "elu": (lambda t, alpha: F.elu(t, alpha), {"alpha": 0.5}),
    "selu": (lambda t: F.selu(t), None),
    "celu": (lambda t, alpha: F.celu(t, alpha), {"alpha": 2.0}),
    "threshold": (lambda t, threshold, value: F.threshold(t, threshold, value), {"threshold": 1.0, "value": -2.0}),
    "gelu": (lambda t, approximate: F.gelu(t, approximate=approximate), {"approximate": "tanh"}),
    "quick_gelu": (lambda t: t * torch.sigmoid(1.702 * t), None),
    "silu": (lambda t, beta: F.silu(t), None),  # torch has beta = 1 only (the default)
    "mish": (lambda t: F.mish(t), None),
    "softplus": (lambda t, beta: F.softplus(t, beta=beta), {"beta": 2.0}),
    "hardtanh": (lambda t, min_val, max_val: F.hardtanh(t, min_val, max_val), {"min_val": -2.0, "max_val": 3.0}),
    "hardswish": (lambda t: F.hardswish(t), None),
    "tanhshrink": (lambda t: F.tanhshrink(t), None),
    "softshrink": (lambda t, lambd: F.softshrink(t, lambd), {"lambd": 1.5}),
    "hardshrink": (lambda t, lambd: F.hardshrink(t, lambd), {"lambd": 1.5}),
    "identity": (lambda t: t.clone(), None),
    "squared_relu": (lambda t: torch.square(F.relu(t)), None),  # no built-in: the Primer formula
    "softcap": (lambda t, cap: cap * torch.tanh(t / cap), {"cap": 50.0}),  # no built-in: Gemma 2's formula
}

VECTOR = {
    "softmax": lambda t: F.softmax(t, dim=-1),
    "log_softmax": lambda t: F.log_softmax(t, dim=-1),
    "softmin": lambda t: F.softmin(t, dim=-1),
    "glu": lambda t: F.glu(t, dim=-1),
    "logsumexp": lambda t: torch.logsumexp(t, dim=-1, keepdim=True),
}
VECTORS = [[1.0, 2.0, 3.0], [0.0, 0.0], [-1.0, 0.5, 2.0, -3.0], [10.0, -10.0, 0.0, 5.0]]

# actloss parameter -> (torch module, its constructor argument)
nn = torch.nn
DEFAULTS = {
    ("leaky_relu", "alpha"): (nn.LeakyReLU, "negative_slope"),
    ("prelu", "alpha"): (nn.PReLU, "init"),
    ("elu", "alpha"): (nn.ELU, "alpha"),
    ("celu", "alpha"): (nn.CELU, "alpha"),
    ("softplus", "beta"): (nn.Softplus, "beta"),
    ("hardtanh", "min_val"): (nn.Hardtanh, "min_val"),
    ("hardtanh", "max_val"): (nn.Hardtanh, "max_val"),
    ("softshrink", "lambd"): (nn.Softshrink, "lambd"),
    ("hardshrink", "lambd"): (nn.Hardshrink, "lambd"),
    ("rrelu", "lower"): (nn.RReLU, "lower"),
    ("rrelu", "upper"): (nn.RReLU, "upper"),
    ("gelu", "approximate"): (nn.GELU, "approximate"),
}


def value_and_grad(fn, xs, params):
    t = _t(xs).requires_grad_(True)
    y = fn(t, **params)
    (g,) = torch.autograd.grad(y.sum(), t)
    return y.detach().tolist(), g.tolist()


def second_derivative(fn, xs, params):
    """d2y by double backward, or (None, the first line of torch's error) where it has none.
    A derivative that does not depend on x at all (identity) comes back unused: zeros."""
    t = _t(xs).requires_grad_(True)
    (g,) = torch.autograd.grad(fn(t, **params).sum(), t, create_graph=True)
    if not g.requires_grad:
        return [0.0] * len(xs), None
    try:
        (g2,) = torch.autograd.grad(g.sum(), t, allow_unused=True)
    except RuntimeError as err:
        return None, str(err).splitlines()[0]
    return ([0.0] * len(xs) if g2 is None else g2.tolist()), None


def signed_zeros(fn, params):
    """value, derivative and second derivative at +0.0 and -0.0 (tensors keep the sign)."""
    y, dy = value_and_grad(fn, [0.0, -0.0], params)
    d2y, _ = second_derivative(fn, [0.0, -0.0], params)
    return {"x": [0.0, -0.0], "y": y, "dy": dy, "d2y": d2y}


def points(record, params):
    xs = list(ORDINARY)
    kinks = []
    for k, _ in record.kink_points(params):
        kinks.append(k)
        xs += [float(np.nextafter(k, -math.inf)), float(np.nextafter(k, math.inf))]
    return kinks, sorted(set(xs + kinks))


def torch_default(module, arg):
    return inspect.signature(module.__init__).parameters[arg].default


mpmath.mp.prec = 200
_mp_sigmoid = lambda x: 1 / (1 + mpmath.exp(-x))
_mp_tanh_grad = lambda x: 1 / mpmath.cosh(x) ** 2
# label -> (torch function, value or derivative, x, exact function of an mpf)
TAILS = {
    "gelu(-10)": (F.gelu, "value", -10.0, lambda x: x * mpmath.ncdf(x)),
    "gelu'(-10)": (F.gelu, "derivative", -10.0, lambda x: mpmath.ncdf(x) + x * mpmath.npdf(x)),
    "sigmoid'(10)": (torch.sigmoid, "derivative", 10.0, lambda x: _mp_sigmoid(x) * _mp_sigmoid(-x)),
    "sigmoid'(40)": (torch.sigmoid, "derivative", 40.0, lambda x: _mp_sigmoid(x) * _mp_sigmoid(-x)),
    "tanh'(10)": (torch.tanh, "derivative", 10.0, _mp_tanh_grad),
    "tanh'(20)": (torch.tanh, "derivative", 20.0, _mp_tanh_grad),
    "tanhshrink(1e-6)": (F.tanhshrink, "value", 1e-6, lambda x: x - mpmath.tanh(x)),
    "softplus(21)": (F.softplus, "value", 21.0, lambda x: mpmath.log1p(mpmath.exp(x))),
    "softplus'(21)": (F.softplus, "derivative", 21.0, _mp_sigmoid),
    "softplus(30)": (F.softplus, "value", 30.0, lambda x: mpmath.log1p(mpmath.exp(x))),
    "hardsigmoid'(0)": (F.hardsigmoid, "derivative", 0.0, lambda x: mpmath.mpf(1) / 6),
}


def tail_values():
    out = {}
    for label, (fn, what, x, exact) in TAILS.items():
        y, dy = value_and_grad(lambda t, fn=fn: fn(t), [x], {})
        out[label] = {"x": x, "torch": (y if what == "value" else dy)[0], "exact": float(exact(mpmath.mpf(x)))}
    return out


def main() -> None:
    reg = registry.load()
    cases = []
    for name, (fn, other) in ELEMENTWISE.items():
        record = reg.get(name)
        for params in [record.defaults()] + ([{**record.defaults(), **other}] if other else []):
            kinks, xs = points(record, params)
            y, dy = value_and_grad(fn, xs, params)
            d2y, d2y_error = second_derivative(fn, xs, params)
            case = {"name": name, "params": params, "x": xs, "kinks": kinks, "y": y, "dy": dy, "d2y": d2y}
            if d2y_error:
                case["d2y_error"] = d2y_error
            case["signed_zeros"] = signed_zeros(fn, params)
            cases.append(case)
    vectors = []
    for name, fn in VECTOR.items():
        for v in VECTORS:
            if name == "glu" and len(v) % 2:
                continue
            t = _t(v)
            y = fn(t).tolist()
            jac = torch.autograd.functional.jacobian(fn, t).tolist()
            vectors.append({"name": name, "x": v, "y": y, "jacobian": jac})
    defaults = {f"{n}.{p}": torch_default(fn, arg) for (n, p), (fn, arg) in DEFAULTS.items()}
    tails = tail_values()
    doc = {
        "header": {
            "torch": torch.__version__,
            "generated_by": "PYTHONPATH=. /tmp/torchvenv/bin/python tools/torch_reference.py",
            "date": datetime.date.today().isoformat(),
            "python": sys.version.split()[0],
            "dtype": "float64; derivatives by torch.autograd (second derivatives by double backward)",
        },
        "defaults": defaults,
        "tails": tails,
        "elementwise": cases,
        "vector": vectors,
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(doc, indent=1) + "\n")
    print(f"wrote {OUT} ({len(cases)} elementwise cases, {len(vectors)} vectors)")


if __name__ == "__main__":
    main()
