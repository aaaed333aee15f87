"""Fit the polynomials that actloss._kernels uses near the zeros of derivatives
(first and second derivatives).

Near a zero r of a derivative f = g' whose formula cancels (gelu', silu',
mish', the tanh-GELU's derivative), the kernels evaluate f(v) = d * q(d) with
d = v - r (r as a double-double) and q a polynomial approximating f(r + d)/d.
Where the formula cancels over a wider range (gelu' on [-1.8, -0.19]) further
pieces f(v) = p(v - c) around short midpoints c tile the range. This script
finds r to 300 bits and fits each polynomial by Chebyshev interpolation with
mpmath, then prints the _Pieces definitions to paste into _kernels.py:

    python tools/root_polynomials.py [NAME ...]

Requires mpmath (a test dependency), not the package.
"""

from __future__ import annotations

import mpmath as mp

mp.mp.prec = 300

C = mp.mpf(0.044715)  # the float constant of the tanh GELU
K2 = 2 * mp.sqrt(2 / mp.pi)


def sig(u):
    return 1 / (1 + mp.exp(-u))


def gelu_grad(x):
    return mp.erfc(-x / mp.sqrt(2)) / 2 + x * mp.exp(-x * x / 2) / mp.sqrt(2 * mp.pi)


def gelu_tanh_grad(x):
    w = K2 * (x + C * x**3)
    return sig(w) + x * sig(w) * sig(-w) * K2 * (1 + 3 * C * x * x)


def silu_grad(u):  # in u = beta * x
    return sig(u) + u * sig(u) * sig(-u)


def mish_grad(x):
    sp = mp.log1p(mp.exp(x))
    return mp.tanh(sp) + x * mp.sech(sp) ** 2 * sig(x)


def sig1(u):
    return sig(u) * sig(-u)


def sig2(u):
    return -sig1(u) * mp.tanh(u / 2)


def silu_grad2(u):  # d2/du2 [u sigma(u)], in u = beta * x
    return 2 * sig1(u) + u * sig2(u)


def gelu_tanh_grad2(x):
    w = K2 * (x + C * x**3)
    dw = K2 * (1 + 3 * C * x * x)
    return 2 * sig1(w) * dw + x * (sig2(w) * dw**2 + sig1(w) * 6 * K2 * C * x)


def mish_grad2(x):
    sp = mp.log1p(mp.exp(x))
    sech2 = mp.sech(sp) ** 2
    return 2 * sech2 * sig(x) + x * sech2 * (sig1(x) - 2 * mp.tanh(sp) * sig(x) ** 2)


# name: (f, initial guess of the zero, piece boundaries as offsets from the zero).
# The piece holding the zero is written f = d q(d), d = v - zero; the others
# f = p(v - c) around their midpoint c.
CASES = {
    "_GELU_ROOT": (gelu_grad, -0.75, (-1.05, -0.9, -0.7, -0.5, -0.3, -0.1, 0.1, 0.23, 0.36, 0.46, 0.56)),
    "_GELU_TANH_ROOT": (gelu_tanh_grad, -0.75, (-0.21, 0.21)),
    "_SILU_ROOT": (silu_grad, -1.28, (-0.21, 0.21)),
    "_MISH_ROOT": (mish_grad, -1.19, (-0.21, 0.21)),
    # second derivatives (all but mish'' are even: their kernels evaluate the positive zero)
    "_SILU_ROOT2": (silu_grad2, 2.4, (-0.45, -0.21, 0.21, 0.45)),
    "_GELU_TANH_ROOT2": (gelu_tanh_grad2, 1.42, (-0.45, -0.21, 0.21, 0.45)),
    "_MISH_ROOT2_NEG": (mish_grad2, -2.26, (-0.45, -0.21, 0.21, 0.45)),
    "_MISH_ROOT2_POS": (mish_grad2, 1.49, (-0.55, -0.25, 0.25, 0.55)),
}
TARGET = mp.mpf(2) ** -62  # relative error of each fit, far below the final rounding


def _lowest_fit(g, a, b):
    gmin = min(abs(g(t)) for t in mp.linspace(a, b, 41))
    for degree in range(2, 40):
        coefs, err = mp.chebyfit(g, [a, b], degree + 1, error=True)
        if err / gmin < TARGET:
            return [float(c) for c in coefs], err / gmin
    raise RuntimeError("no fit")


def pieces(f, guess, bounds):
    """The zero (300 bits) and (lo, hi, c_hi, c_lo, root, coefs, rel_error) per piece."""
    r = mp.findroot(f, mp.mpf(guess))
    fr = mp.diff(f, r)
    out = []
    for a, b in zip(bounds[:-1], bounds[1:]):
        lo, hi = float(r + a), float(r + b)
        if a < 0 < b:  # the piece holding the zero
            c = r

            def g(d):
                return fr if abs(d) < mp.mpf(2) ** -200 else f(r + d) / d

            ta, tb = mp.mpf(lo) - r, mp.mpf(hi) - r
            root = True
        else:
            c = mp.mpf(round((lo + hi) / 2 * 1024) / 1024)  # short: v - c is exact

            def g(t, c=c):
                return f(c + t)

            ta, tb = mp.mpf(lo) - c, mp.mpf(hi) - c
            root = False
        coefs, rel = _lowest_fit(g, ta, tb)
        ch = float(c)
        out.append((lo, hi, ch, float(c - ch), root, coefs, rel))
    return r, out


def main(names=None):
    for name, (f, guess, bounds) in CASES.items():
        if names and name not in names:
            continue
        r, ps = pieces(f, guess, bounds)
        worst = max(p[-1] for p in ps)
        print(f"# zero {mp.nstr(r, 25)}; largest relative error of the fits {mp.nstr(worst, 3)}")
        print(f"{name} = _Pieces((")
        for lo, hi, ch, cl, root, coefs, _ in ps:
            print(f"    ({lo!r}, {hi!r}, {ch!r}, {cl!r}, {root}, (")
            for i in range(0, len(coefs), 3):
                print("        " + " ".join(f"{c!r}," for c in coefs[i:i + 3]))
            print("    )),")
        print("))")


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
