"""The activation records. Importing this module registers them (no numpy).

Each record states its formula and derivative (Unicode text and matplotlib
mathtext), output range, properties, parameters, the derivative actloss
returns at kinks (PyTorch's autograd convention), equivalents in PyTorch,
JAX and Keras, and the paper that introduced it.
"""

from __future__ import annotations

from actloss.errors import ParameterError
from actloss.registry import REGISTRY, Formula, Function, Param

K = "actloss._kernels:"
V = "actloss._vector:"


def activation(**kw) -> Function:
    kw.setdefault("kind", "activation")
    kw.setdefault("shape", "elementwise")
    return REGISTRY.register(Function(**kw))


def F(text: str, latex: str) -> Formula:
    return Formula(text, latex)


def props(monotonic, bounded, zero_centred, smooth, **more):
    return {"monotonic": monotonic, "bounded": bounded, "zero_centred": zero_centred, "smoothness": smooth, **more}


ALPHA = "alpha"


def _slope(default: float, doc: str, aliases=("negative_slope",)) -> Param:
    return Param(ALPHA, default, doc, aliases=aliases)


def _positive(name: str, default: float, doc: str, aliases=()) -> Param:
    return Param(name, default, doc, low=0.0, low_open=True, aliases=aliases)


def _ordered(lo: str, hi: str):
    def check(p):
        if not p[lo] < p[hi]:
            raise ParameterError(
                f"--{lo.replace('_', '-')} must be less than --{hi.replace('_', '-')}, got {p[lo]!r} and {p[hi]!r}"
            )

    return check


def _ordered_le(lo: str, hi: str):
    def check(p):
        if not p[lo] <= p[hi]:
            raise ParameterError(
                f"--{lo} must not exceed --{hi}, got {p[lo]!r} and {p[hi]!r}"
            )

    return check


SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946

# ---------------------------------------------------------------------------
# sigmoid-like
# ---------------------------------------------------------------------------

activation(
    name="sigmoid", aliases=("logistic",), kernel=K + "sigmoid",
    summary="logistic function 1/(1+e^-x)",
    formula=F("σ(x) = 1 / (1 + e^(−x))", r"\sigma(x) = \frac{1}{1 + e^{-x}}"),
    derivative_formula=F("σ′(x) = σ(x)·(1 − σ(x))", r"\sigma'(x) = \sigma(x)\,(1 - \sigma(x))"),
    range="(0, 1)", properties=props(True, "both", False, "C∞"),
    plot_range=(-8.0, 8.0),
    equivalents={"torch": "torch.sigmoid / nn.Sigmoid", "jax": "jax.nn.sigmoid", "keras": "keras.activations.sigmoid"},
)

activation(
    name="tanh", kernel=K + "tanh",
    summary="hyperbolic tangent",
    formula=F("tanh(x) = (e^x − e^(−x)) / (e^x + e^(−x))", r"\tanh(x) = \frac{e^{x} - e^{-x}}{e^{x} + e^{-x}}"),
    derivative_formula=F("tanh′(x) = 1 − tanh(x)²", r"\tanh'(x) = 1 - \tanh^{2}(x)"),
    range="(-1, 1)", properties=props(True, "both", True, "C∞"),
    plot_range=(-4.0, 4.0),
    equivalents={"torch": "torch.tanh / nn.Tanh", "jax": "jax.numpy.tanh (jax.nn.tanh)", "keras": "keras.activations.tanh"},
)

activation(
    name="softsign", kernel=K + "softsign",
    summary="x/(1+|x|)",
    formula=F("softsign(x) = x / (1 + |x|)", r"\mathrm{softsign}(x) = \frac{x}{1 + |x|}"),
    derivative_formula=F("softsign′(x) = 1 / (1 + |x|)²", r"\mathrm{softsign}'(x) = \frac{1}{(1 + |x|)^{2}}"),
    range="(-1, 1)", properties=props(True, "both", True, "C¹"),
    plot_range=(-6.0, 6.0),
    equivalents={"torch": "nn.functional.softsign / nn.Softsign", "jax": "jax.nn.soft_sign", "keras": "keras.activations.softsign"},
)

activation(
    name="hardsigmoid", aliases=("hard_sigmoid",), kernel=K + "hardsigmoid",
    summary="piecewise-linear sigmoid relu6(x+3)/6",
    formula=F("hardsigmoid(x) = 0 for x ≤ −3, x/6 + 1/2 for −3 < x < 3, 1 for x ≥ 3",
              r"\mathrm{hardsigmoid}(x) = \min(\max(\frac{x}{6} + \frac{1}{2},\ 0),\ 1)"),
    derivative_formula=F("hardsigmoid′(x) = 1/6 for −3 < x < 3, else 0",
                         r"\mathrm{hardsigmoid}'(x) = \frac{1}{6}\ (|x| < 3),\ 0\ \mathrm{otherwise}"),
    range="[0, 1]", properties=props(True, "both", False, "C⁰"),
    kinks=lambda p: [(-3.0, 0.0), (3.0, 0.0)],
    kink_note="hardsigmoid′(±3) = 0, as PyTorch",
    plot_range=(-5.0, 5.0),
    equivalents={"torch": "nn.functional.hardsigmoid (x/6 + 1/2)", "jax": "jax.nn.hard_sigmoid (relu6(x+3)/6)",
                 "keras": "keras.activations.hard_sigmoid (Keras 3: x/6 + 1/2; Keras 2: 0.2x + 0.5)"},
)

activation(
    name="log_sigmoid", aliases=("logsigmoid",), kernel=K + "log_sigmoid",
    summary="log σ(x) = −softplus(−x)",
    formula=F("logσ(x) = −log(1 + e^(−x))", r"\log\sigma(x) = -\log(1 + e^{-x})"),
    derivative_formula=F("(logσ)′(x) = 1 − σ(x) = σ(−x)", r"(\log\sigma)'(x) = \sigma(-x)"),
    range="(-inf, 0)", properties=props(True, "above", False, "C∞"),
    plot_range=(-6.0, 6.0),
    equivalents={"torch": "nn.functional.logsigmoid / nn.LogSigmoid", "jax": "jax.nn.log_sigmoid", "keras": "keras.ops.log_sigmoid"},
)

activation(
    name="sparse_sigmoid", kernel=K + "sparse_sigmoid",
    summary="(hardtanh(x)+1)/2, the sparsemax of [x, 0]",
    formula=F("sparse_sigmoid(x) = 0 for x ≤ −1, (x + 1)/2 for −1 < x < 1, 1 for x ≥ 1",
              r"\mathrm{sparse\_sigmoid}(x) = \frac{1}{2}\min(\max(x + 1,\ 0),\ 2)"),
    derivative_formula=F("sparse_sigmoid′(x) = 1/2 for −1 < x < 1, else 0",
                         r"\mathrm{sparse\_sigmoid}'(x) = \frac{1}{2}\ (|x| < 1),\ 0\ \mathrm{otherwise}"),
    range="[0, 1]", properties=props(True, "both", False, "C⁰"),
    kinks=lambda p: [(-1.0, 0.0), (1.0, 0.0)],
    kink_note="0 at x = ±1, the convention of hardtanh in PyTorch",
    plot_range=(-3.0, 3.0),
    equivalents={"torch": "none", "jax": "jax.nn.sparse_sigmoid", "keras": "keras.activations.sparse_sigmoid"},
)

# ---------------------------------------------------------------------------
# ReLU family
# ---------------------------------------------------------------------------

activation(
    name="relu", kernel=K + "relu",
    summary="max(0, x)",
    formula=F("relu(x) = max(0, x)", r"\mathrm{relu}(x) = \max(0,\ x)"),
    derivative_formula=F("relu′(x) = 0 for x ≤ 0, 1 for x > 0 (the step function)",
                         r"\mathrm{relu}'(x) = 1\ (x > 0),\ 0\ (x \leq 0)"),
    range="[0, inf)", properties=props(True, "below", False, "C⁰"),
    kinks=lambda p: [(0.0, 0.0)], kink_note="relu′(0) = 0, as PyTorch",
    plot_range=(-5.0, 5.0),
    equivalents={"torch": "torch.relu / nn.ReLU", "jax": "jax.nn.relu", "keras": "keras.activations.relu"},
)

activation(
    name="relu6", kernel=K + "relu6",
    summary="min(max(0, x), 6)",
    formula=F("relu6(x) = min(max(0, x), 6)", r"\mathrm{relu6}(x) = \min(\max(0,\ x),\ 6)"),
    derivative_formula=F("relu6′(x) = 1 for 0 < x < 6, else 0", r"\mathrm{relu6}'(x) = 1\ (0 < x < 6),\ 0\ \mathrm{otherwise}"),
    range="[0, 6]", properties=props(True, "both", False, "C⁰"),
    kinks=lambda p: [(0.0, 0.0), (6.0, 0.0)], kink_note="relu6′(0) = relu6′(6) = 0, as PyTorch",
    plot_range=(-3.0, 9.0),
    equivalents={"torch": "nn.functional.relu6 / nn.ReLU6", "jax": "jax.nn.relu6", "keras": "keras.activations.relu6"},
)

activation(
    name="leaky_relu", aliases=("leakyrelu", "lrelu"), kernel=K + "leaky_relu",
    params=(_slope(0.01, "slope for x < 0 (PyTorch negative_slope)"),),
    summary="x for x > 0, αx otherwise",
    formula=F("leaky_relu(x) = x for x > 0, αx for x ≤ 0", r"\mathrm{leaky\_relu}(x) = \max(x,\ 0) + \alpha\,\min(x,\ 0)"),
    derivative_formula=F("leaky_relu′(x) = 1 for x > 0, α for x ≤ 0", r"\mathrm{leaky\_relu}'(x) = 1\ (x > 0),\ \alpha\ (x \leq 0)"),
    range="(-inf, inf)", properties=props("for α ≥ 0", "no", False, "C⁰"),
    kinks=lambda p: [(0.0, p["alpha"])], kink_note="leaky_relu′(0) = α, as PyTorch",
    plot_range=(-5.0, 5.0),
    equivalents={"torch": "nn.functional.leaky_relu(negative_slope=0.01)", "jax": "jax.nn.leaky_relu(negative_slope=0.01)",
                 "keras": "keras.activations.leaky_relu(negative_slope=0.2); layers.LeakyReLU default 0.3"},
)

activation(
    name="prelu", kernel=K + "prelu",
    params=(_slope(0.25, "slope for x < 0 (learned in a network; PyTorch initialises it to 0.25)", aliases=("weight", "a")),),
    summary="leaky ReLU with a learnable slope (initial 0.25)",
    formula=F("prelu(x) = x for x > 0, αx for x ≤ 0", r"\mathrm{prelu}(x) = \max(x,\ 0) + \alpha\,\min(x,\ 0)"),
    derivative_formula=F("prelu′(x) = 1 for x > 0, α for x ≤ 0", r"\mathrm{prelu}'(x) = 1\ (x > 0),\ \alpha\ (x \leq 0)"),
    range="(-inf, inf)", properties=props("for α ≥ 0", "no", False, "C⁰"),
    kinks=lambda p: [(0.0, p["alpha"])], kink_note="prelu′(0) = α, as PyTorch",
    plot_range=(-5.0, 5.0),
    equivalents={"torch": "nn.PReLU(init=0.25) / nn.functional.prelu", "jax": "none (use jax.nn.leaky_relu with a learned slope)", "keras": "keras.layers.PReLU (alpha initialised to 0)"},
)

activation(
    name="rrelu", kernel=K + "rrelu",
    params=(Param("lower", 1.0 / 8.0, "lower bound of the random slope"),
            Param("upper", 1.0 / 3.0, "upper bound of the random slope")),
    validate=_ordered_le("lower", "upper"),
    summary="randomized leaky ReLU, inference form: slope (lower+upper)/2",
    formula=F("rrelu(x) = x for x ≥ 0, ((l + u)/2)·x for x < 0", r"\mathrm{rrelu}(x) = \max(x,\ 0) + \frac{l + u}{2}\min(x,\ 0)"),
    derivative_formula=F("rrelu′(x) = 1 for x > 0, (l + u)/2 for x ≤ 0", r"\mathrm{rrelu}'(x) = 1\ (x > 0),\ \frac{l + u}{2}\ (x \leq 0)"),
    range="(-inf, inf)", properties=props(True, "no", False, "C⁰"),
    kinks=lambda p: [(0.0, (p["lower"] + p["upper"]) / 2.0)], kink_note="rrelu′(0) = (lower+upper)/2, as PyTorch in eval mode",
    plot_range=(-5.0, 5.0),
    equivalents={"torch": "nn.functional.rrelu(training=False) / nn.RReLU in eval mode", "jax": "none", "keras": "none"},
)

activation(
    name="elu", kernel=K + "elu",
    params=(Param(ALPHA, 1.0, "scale of the negative saturation"),),
    summary="x for x > 0, α(e^x − 1) otherwise",
    formula=F("elu(x) = x for x > 0, α(e^x − 1) for x ≤ 0", r"\mathrm{elu}(x) = x\ (x > 0),\ \alpha\,(e^{x} - 1)\ (x \leq 0)"),
    derivative_formula=F("elu′(x) = 1 for x > 0, α·e^x for x ≤ 0", r"\mathrm{elu}'(x) = 1\ (x > 0),\ \alpha\,e^{x}\ (x \leq 0)"),
    range="(-α, inf)", properties=props("for α ≥ 0", "below (α ≥ 0)", "approximately", "C¹ for α = 1, else C⁰"),
    kinks=lambda p: [(0.0, p["alpha"])], kink_note="elu′(0) = α, as PyTorch",
    plot_range=(-5.0, 5.0), paper="Clevert, Unterthiner, Hochreiter, 'Fast and Accurate Deep Network Learning by Exponential Linear Units (ELUs)', 2015",
    equivalents={"torch": "nn.functional.elu(alpha=1.0)", "jax": "jax.nn.elu(alpha=1.0)", "keras": "keras.activations.elu(alpha=1.0)"},
)

activation(
    name="selu", kernel=K + "selu",
    summary="scaled ELU with the self-normalising constants λ, α",
    formula=F("selu(x) = λx for x > 0, λα(e^x − 1) for x ≤ 0; λ ≈ 1.0507, α ≈ 1.67326",
              r"\mathrm{selu}(x) = \lambda x\ (x > 0),\ \lambda\alpha(e^{x} - 1)\ (x \leq 0)"),
    derivative_formula=F("selu′(x) = λ for x > 0, λα·e^x for x ≤ 0", r"\mathrm{selu}'(x) = \lambda\ (x > 0),\ \lambda\alpha e^{x}\ (x \leq 0)"),
    range="(-λα, inf) ≈ (-1.7581, inf)", properties=props(True, "below", "approximately", "C⁰", self_normalising=True),
    kinks=lambda p: [(0.0, SELU_SCALE * SELU_ALPHA)], kink_note="selu′(0) = λα, as PyTorch",
    plot_range=(-5.0, 5.0), paper="Klambauer, Unterthiner, Mayr, Hochreiter, 'Self-Normalizing Neural Networks', 2017",
    equivalents={"torch": "nn.functional.selu", "jax": "jax.nn.selu", "keras": "keras.activations.selu"},
)

activation(
    name="celu", kernel=K + "celu",
    params=(Param(ALPHA, 1.0, "scale of the negative saturation", low=0.0, low_open=True),),
    summary="continuously differentiable ELU: max(0,x) + min(0, α(e^(x/α) − 1))",
    formula=F("celu(x) = max(0, x) + min(0, α(e^(x/α) − 1))", r"\mathrm{celu}(x) = \max(0,\ x) + \min(0,\ \alpha(e^{x/\alpha} - 1))"),
    derivative_formula=F("celu′(x) = 1 for x > 0, e^(x/α) for x ≤ 0", r"\mathrm{celu}'(x) = 1\ (x > 0),\ e^{x/\alpha}\ (x \leq 0)"),
    range="(-α, inf)", properties=props(True, "below", "approximately", "C¹"),
    kinks=lambda p: [(0.0, 1.0)], kink_note="celu′(0) = 1 (both sides agree)",
    plot_range=(-5.0, 5.0), paper="Barron, 'Continuously Differentiable Exponential Linear Units', 2017",
    equivalents={"torch": "nn.functional.celu(alpha=1.0)", "jax": "jax.nn.celu(alpha=1.0)", "keras": "keras.activations.celu(alpha=1.0)"},
)

activation(
    name="threshold", kernel=K + "threshold",
    params=(Param("threshold", 0.0, "inputs above it pass through"),
            Param("value", 0.0, "the output for inputs at or below the threshold")),
    summary="x for x > threshold, value otherwise",
    formula=F("threshold(x) = x for x > t, v for x ≤ t", r"\mathrm{threshold}(x) = x\ (x > t),\ v\ (x \leq t)"),
    derivative_formula=F("threshold′(x) = 1 for x > t, 0 for x ≤ t", r"\mathrm{threshold}'(x) = 1\ (x > t),\ 0\ (x \leq t)"),
    range="{v} ∪ (t, inf)", properties=props("when v ≤ t", "below", False, "discontinuous unless v = t"),
    kinks=lambda p: [(p["threshold"], 0.0)], kink_note="threshold′(t) = 0, as PyTorch",
    plot_range=(-5.0, 5.0),
    equivalents={"torch": "nn.functional.threshold(threshold, value) (both required)", "jax": "none", "keras": "keras.activations.relu(threshold=...) (value is 0)"},
)

# ---------------------------------------------------------------------------
# smooth ReLU-likes
# ---------------------------------------------------------------------------

activation(
    name="gelu", kernel=K + "gelu",
    params=(Param("approximate", "none", "'none' for the exact x·Φ(x), 'tanh' for the tanh approximation", choices=("none", "tanh")),),
    summary="Gaussian error linear unit x·Φ(x)",
    formula=F("gelu(x) = x·Φ(x) = (x/2)·(1 + erf(x/√2)); tanh: (x/2)·(1 + tanh(√(2/π)·(x + 0.044715x³)))",
              r"\mathrm{gelu}(x) = x\,\Phi(x) = \frac{x}{2}\left(1 + \mathrm{erf}\left(\frac{x}{\sqrt{2}}\right)\right)"),
    derivative_formula=F("gelu′(x) = Φ(x) + x·φ(x), φ(x) = e^(−x²/2)/√(2π)",
                         r"\mathrm{gelu}'(x) = \Phi(x) + x\,\phi(x),\ \phi(x) = \frac{e^{-x^{2}/2}}{\sqrt{2\pi}}"),
    range="[≈ −0.170, inf)", properties=props(False, "below", False, "C∞", minimum="≈ −0.16997 at x ≈ −0.75179"),
    plot_range=(-4.0, 4.0), paper="Hendrycks & Gimpel, 'Gaussian Error Linear Units (GELUs)', 2016",
    equivalents={"torch": "nn.functional.gelu(approximate='none')", "jax": "jax.nn.gelu(approximate=True) (tanh form by default)",
                 "keras": "keras.activations.gelu(approximate=False); keras.ops.gelu(approximate=True)"},
)

activation(
    name="quick_gelu", aliases=("quickgelu",), kernel=K + "quick_gelu",
    summary="x·σ(1.702x), the sigmoid approximation of GELU (CLIP)",
    formula=F("quick_gelu(x) = x·σ(1.702x)", r"\mathrm{quick\_gelu}(x) = x\,\sigma(1.702\,x)"),
    derivative_formula=F("quick_gelu′(x) = σ(1.702x) + 1.702x·σ(1.702x)(1 − σ(1.702x))",
                         r"\mathrm{quick\_gelu}'(x) = \sigma(1.702x) + 1.702x\,\sigma(1.702x)(1 - \sigma(1.702x))"),
    range="[≈ −0.1643, inf)", properties=props(False, "below", False, "C∞"),
    plot_range=(-4.0, 4.0), paper="Hendrycks & Gimpel 2016 (sigmoid approximation); used by OpenAI CLIP, 2021",
    equivalents={"torch": "none (x * torch.sigmoid(1.702 * x))", "jax": "none", "keras": "none"},
)

activation(
    name="silu", aliases=("swish",), kernel=K + "silu",
    params=(Param("beta", 1.0, "slope inside the sigmoid (β = 1 is SiLU)"),),
    summary="x·σ(βx) (SiLU for β = 1)",
    formula=F("silu(x) = x·σ(βx)", r"\mathrm{silu}(x) = x\,\sigma(\beta x)"),
    derivative_formula=F("silu′(x) = σ(βx) + βx·σ(βx)(1 − σ(βx))", r"\mathrm{silu}'(x) = \sigma(\beta x) + \beta x\,\sigma(\beta x)\,(1 - \sigma(\beta x))"),
    range="[≈ −0.2785/β, inf) for β > 0", properties=props(False, "below", False, "C∞"),
    plot_range=(-5.0, 5.0), paper="Ramachandran, Zoph, Le, 'Searching for Activation Functions', 2017; Elfwing et al. 2017 (SiLU)",
    equivalents={"torch": "nn.functional.silu (β = 1 only)", "jax": "jax.nn.silu / jax.nn.swish (β = 1)", "keras": "keras.activations.silu / swish (β = 1)"},
)

activation(
    name="mish", kernel=K + "mish",
    summary="x·tanh(softplus(x))",
    formula=F("mish(x) = x·tanh(log(1 + e^x))", r"\mathrm{mish}(x) = x\,\tanh(\log(1 + e^{x}))"),
    derivative_formula=F("mish′(x) = tanh(sp(x)) + x·sech²(sp(x))·σ(x), sp = softplus",
                         r"\mathrm{mish}'(x) = \tanh(\mathrm{sp}(x)) + x\,\mathrm{sech}^{2}(\mathrm{sp}(x))\,\sigma(x)"),
    range="[≈ −0.3088, inf)", properties=props(False, "below", False, "C∞"),
    plot_range=(-5.0, 5.0), paper="Misra, 'Mish: A Self Regularized Non-Monotonic Activation Function', 2019",
    equivalents={"torch": "nn.functional.mish", "jax": "jax.nn.mish", "keras": "keras.activations.mish"},
)

activation(
    name="softplus", kernel=K + "softplus",
    params=(_positive("beta", 1.0, "sharpness β > 0"),),
    summary="(1/β)·log(1 + e^(βx)), exact for all x",
    formula=F("softplus(x) = (1/β)·log(1 + e^(βx))", r"\mathrm{softplus}(x) = \frac{1}{\beta}\log(1 + e^{\beta x})"),
    derivative_formula=F("softplus′(x) = σ(βx)", r"\mathrm{softplus}'(x) = \sigma(\beta x)"),
    range="(0, inf)", properties=props(True, "below", False, "C∞"),
    plot_range=(-5.0, 5.0),
    equivalents={"torch": "nn.functional.softplus(beta=1, threshold=20) (returns x when βx > 20)", "jax": "jax.nn.softplus", "keras": "keras.activations.softplus"},
)

activation(
    name="squareplus", kernel=K + "squareplus",
    params=(_positive("b", 4.0, "smoothness b > 0 (curvature at 0)"),),
    summary="(x + √(x² + b))/2, an algebraic softplus",
    formula=F("squareplus(x) = (x + √(x² + b)) / 2", r"\mathrm{squareplus}(x) = \frac{x + \sqrt{x^{2} + b}}{2}"),
    derivative_formula=F("squareplus′(x) = (1 + x/√(x² + b)) / 2", r"\mathrm{squareplus}'(x) = \frac{1}{2}\left(1 + \frac{x}{\sqrt{x^{2} + b}}\right)"),
    range="(0, inf)", properties=props(True, "below", False, "C∞"),
    plot_range=(-5.0, 5.0), paper="Barron, 'Squareplus: A Softplus-Like Algebraic Rectifier', 2021",
    equivalents={"torch": "none", "jax": "jax.nn.squareplus(b=4)", "keras": "keras.activations.squareplus(b=4)"},
)

activation(
    name="sparse_plus", kernel=K + "sparse_plus",
    summary="0, (x+1)²/4, x on x ≤ −1, |x| < 1, x ≥ 1",
    formula=F("sparse_plus(x) = 0 for x ≤ −1, (x + 1)²/4 for −1 < x < 1, x for x ≥ 1",
              r"\mathrm{sparse\_plus}(x) = 0\ (x \leq -1),\ \frac{(x+1)^{2}}{4}\ (|x| < 1),\ x\ (x \geq 1)"),
    derivative_formula=F("sparse_plus′(x) = 0 for x ≤ −1, (x + 1)/2 for −1 < x < 1, 1 for x ≥ 1",
                         r"\mathrm{sparse\_plus}'(x) = 0\ (x \leq -1),\ \frac{x+1}{2}\ (|x| < 1),\ 1\ (x \geq 1)"),
    range="[0, inf)", properties=props(True, "below", False, "C¹"),
    kinks=lambda p: [(-1.0, 0.0), (1.0, 1.0)], kink_note="continuous derivative: 0 at −1, 1 at 1",
    plot_range=(-3.0, 3.0), paper="Martins & Astudillo 2016 (sparsemax); as in JAX",
    equivalents={"torch": "none", "jax": "jax.nn.sparse_plus", "keras": "keras.activations.sparse_plus"},
)

# ---------------------------------------------------------------------------
# hard and shrink functions
# ---------------------------------------------------------------------------

activation(
    name="hardtanh", aliases=("hard_tanh",), kernel=K + "hardtanh",
    params=(Param("min_val", -1.0, "lower bound"), Param("max_val", 1.0, "upper bound")),
    validate=_ordered("min_val", "max_val"),
    summary="clip(x, min_val, max_val)",
    formula=F("hardtanh(x) = min(max(x, a), b)", r"\mathrm{hardtanh}(x) = \min(\max(x,\ a),\ b)"),
    derivative_formula=F("hardtanh′(x) = 1 for a < x < b, else 0", r"\mathrm{hardtanh}'(x) = 1\ (a < x < b),\ 0\ \mathrm{otherwise}"),
    range="[min_val, max_val]", properties=props(True, "both", "for a = −b", "C⁰"),
    kinks=lambda p: [(p["min_val"], 0.0), (p["max_val"], 0.0)], kink_note="0 at both bounds, as PyTorch",
    plot_range=(-3.0, 3.0),
    equivalents={"torch": "nn.functional.hardtanh(min_val=-1, max_val=1)", "jax": "jax.nn.hard_tanh (bounds ±1)", "keras": "keras.ops.hard_tanh (bounds ±1)"},
)

activation(
    name="hardswish", aliases=("hard_swish", "hard_silu", "hardsilu"), kernel=K + "hardswish",
    summary="x·relu6(x+3)/6",
    formula=F("hardswish(x) = 0 for x ≤ −3, x(x + 3)/6 for −3 < x < 3, x for x ≥ 3",
              r"\mathrm{hardswish}(x) = x\,\frac{\min(\max(x + 3,\ 0),\ 6)}{6}"),
    derivative_formula=F("hardswish′(x) = 0 for x ≤ −3, (2x + 3)/6 for −3 < x < 3, 1 for x ≥ 3",
                         r"\mathrm{hardswish}'(x) = 0\ (x \leq -3),\ \frac{2x + 3}{6}\ (|x| < 3),\ 1\ (x \geq 3)"),
    range="[−0.375, inf)", properties=props(False, "below", False, "C⁰"),
    kinks=lambda p: [(-3.0, 0.0), (3.0, 1.0)], kink_note="hardswish′(−3) = 0 and hardswish′(3) = 1, as PyTorch",
    plot_range=(-5.0, 5.0), paper="Howard et al., 'Searching for MobileNetV3', 2019",
    equivalents={"torch": "nn.functional.hardswish", "jax": "jax.nn.hard_swish / hard_silu", "keras": "keras.activations.hard_silu / hard_swish"},
)

activation(
    name="tanhshrink", kernel=K + "tanhshrink",
    summary="x − tanh(x)",
    formula=F("tanhshrink(x) = x − tanh(x)", r"\mathrm{tanhshrink}(x) = x - \tanh(x)"),
    derivative_formula=F("tanhshrink′(x) = tanh(x)²", r"\mathrm{tanhshrink}'(x) = \tanh^{2}(x)"),
    range="(-inf, inf)", properties=props(True, "no", True, "C∞"),
    plot_range=(-4.0, 4.0),
    equivalents={"torch": "nn.functional.tanhshrink", "jax": "none", "keras": "keras.activations.tanh_shrink"},
)

activation(
    name="softshrink", aliases=("soft_shrink",), kernel=K + "softshrink",
    params=(Param("lambd", 0.5, "half-width λ ≥ 0 of the dead zone", low=0.0, aliases=("lambda", "threshold_")),),
    summary="x − λ for x > λ, x + λ for x < −λ, else 0",
    formula=F("softshrink(x) = x − λ for x > λ, x + λ for x < −λ, 0 otherwise", r"\mathrm{softshrink}(x) = \mathrm{sign}(x)\max(|x| - \lambda,\ 0)"),
    derivative_formula=F("softshrink′(x) = 1 for |x| > λ, else 0", r"\mathrm{softshrink}'(x) = 1\ (|x| > \lambda),\ 0\ \mathrm{otherwise}"),
    range="(-inf, inf)", properties=props(True, "no", True, "C⁰"),
    kinks=lambda p: [(-p["lambd"], 0.0), (p["lambd"], 0.0)], kink_note="softshrink′(±λ) = 0, as PyTorch",
    plot_range=(-3.0, 3.0),
    equivalents={"torch": "nn.functional.softshrink(lambd=0.5)", "jax": "none", "keras": "keras.activations.soft_shrink(threshold=0.5)"},
)

activation(
    name="hardshrink", aliases=("hard_shrink",), kernel=K + "hardshrink",
    params=(Param("lambd", 0.5, "half-width λ ≥ 0 of the dead zone", low=0.0, aliases=("lambda",)),),
    summary="x for |x| > λ, else 0",
    formula=F("hardshrink(x) = x for |x| > λ, 0 otherwise", r"\mathrm{hardshrink}(x) = x\ (|x| > \lambda),\ 0\ \mathrm{otherwise}"),
    derivative_formula=F("hardshrink′(x) = 1 for |x| > λ, else 0", r"\mathrm{hardshrink}'(x) = 1\ (|x| > \lambda),\ 0\ \mathrm{otherwise}"),
    range="{0} ∪ (-inf, −λ) ∪ (λ, inf)", properties=props(True, "no", True, "discontinuous"),
    kinks=lambda p: [(-p["lambd"], 0.0), (p["lambd"], 0.0)], kink_note="hardshrink′(±λ) = 0, as PyTorch",
    plot_range=(-3.0, 3.0),
    equivalents={"torch": "nn.functional.hardshrink(lambd=0.5)", "jax": "none", "keras": "keras.activations.hard_shrink(threshold=0.5)"},
)

activation(
    name="identity", aliases=("linear",), kernel=K + "identity",
    summary="x",
    formula=F("identity(x) = x", r"\mathrm{identity}(x) = x"),
    derivative_formula=F("identity′(x) = 1", r"\mathrm{identity}'(x) = 1"),
    range="(-inf, inf)", properties=props(True, "no", True, "C∞"),
    plot_range=(-5.0, 5.0),
    equivalents={"torch": "nn.Identity", "jax": "none (lambda x: x)", "keras": "keras.activations.linear"},
)

# ---------------------------------------------------------------------------
# vector functions: softmax family
# ---------------------------------------------------------------------------

_TEMPERATURE = _positive("temperature", 1.0, "temperature T > 0: the input is divided by T", aliases=("t",))

activation(
    name="softmax", kernel=V + "softmax", shape="vector", params=(_TEMPERATURE,),
    summary="e^(x_i/T) / Σ_j e^(x_j/T) over each vector",
    formula=F("softmax(x)_i = e^(x_i/T) / Σ_j e^(x_j/T)", r"\mathrm{softmax}(x)_i = \frac{e^{x_i/T}}{\sum_j e^{x_j/T}}"),
    derivative_formula=F("∂s_i/∂x_j = s_i(δ_ij − s_j)/T", r"\frac{\partial s_i}{\partial x_j} = \frac{s_i(\delta_{ij} - s_j)}{T}"),
    range="(0, 1), each vector sums to 1", properties=props("no (vector)", "both", False, "C∞", sums_to_one=True),
    plot_range=(-6.0, 6.0),
    equivalents={"torch": "nn.functional.softmax(dim=-1)", "jax": "jax.nn.softmax(axis=-1)", "keras": "keras.activations.softmax(axis=-1)"},
)

activation(
    name="log_softmax", aliases=("logsoftmax",), kernel=V + "log_softmax", shape="vector", params=(_TEMPERATURE,),
    summary="log of softmax, x_i/T − logΣ_j e^(x_j/T)",
    formula=F("log_softmax(x)_i = x_i/T − log Σ_j e^(x_j/T)", r"\mathrm{log\_softmax}(x)_i = \frac{x_i}{T} - \log\sum_j e^{x_j/T}"),
    derivative_formula=F("∂y_i/∂x_j = (δ_ij − s_j)/T", r"\frac{\partial y_i}{\partial x_j} = \frac{\delta_{ij} - s_j}{T}"),
    range="(-inf, 0)", properties=props("no (vector)", "above", False, "C∞"),
    plot_range=(-6.0, 6.0),
    equivalents={"torch": "nn.functional.log_softmax(dim=-1)", "jax": "jax.nn.log_softmax(axis=-1)", "keras": "keras.activations.log_softmax(axis=-1)"},
)

activation(
    name="softmin", kernel=V + "softmin", shape="vector", params=(_TEMPERATURE,),
    summary="softmax(−x/T)",
    formula=F("softmin(x)_i = e^(−x_i/T) / Σ_j e^(−x_j/T)", r"\mathrm{softmin}(x)_i = \frac{e^{-x_i/T}}{\sum_j e^{-x_j/T}}"),
    derivative_formula=F("∂s_i/∂x_j = −s_i(δ_ij − s_j)/T", r"\frac{\partial s_i}{\partial x_j} = -\frac{s_i(\delta_{ij} - s_j)}{T}"),
    range="(0, 1), each vector sums to 1", properties=props("no (vector)", "both", False, "C∞", sums_to_one=True),
    plot_range=(-6.0, 6.0),
    equivalents={"torch": "nn.functional.softmin(dim=-1)", "jax": "none (jax.nn.softmax(-x))", "keras": "none"},
)

activation(
    name="sparsemax", kernel=V + "sparsemax", shape="vector", params=(_TEMPERATURE,),
    summary="Euclidean projection of x/T onto the probability simplex",
    formula=F("sparsemax(x)_i = max(x_i/T − τ, 0), τ such that the outputs sum to 1",
              r"\mathrm{sparsemax}(x)_i = \max(x_i/T - \tau,\ 0)"),
    derivative_formula=F("∂p_i/∂x_j = (δ_ij − 1/|S|)/T for i, j in the support S, else 0",
                         r"\frac{\partial p_i}{\partial x_j} = \frac{\delta_{ij} - 1/|S|}{T}\ (i, j \in S)"),
    range="[0, 1], each vector sums to 1", properties=props("no (vector)", "both", False, "C⁰", sums_to_one=True, sparse=True),
    plot_range=(-3.0, 3.0), paper="Martins & Astudillo, 'From Softmax to Sparsemax', 2016",
    equivalents={"torch": "none", "jax": "none (optax / jax.nn has sparse_plus, sparse_sigmoid)", "keras": "keras.activations.sparsemax"},
)

# ---------------------------------------------------------------------------
# vector functions: GLU family (last axis split: value half a, gate half b)
# ---------------------------------------------------------------------------

_GLU_PAPER = "Dauphin et al., 'Language Modeling with Gated Convolutional Networks', 2016"
_GLU_VARIANTS = "Shazeer, 'GLU Variants Improve Transformer', 2020"

activation(
    name="glu", kernel=V + "glu", shape="glu",
    summary="a ⊗ σ(b) for x = [a, b] split in halves",
    formula=F("glu([a, b]) = a ⊗ σ(b)", r"\mathrm{glu}([a, b]) = a \otimes \sigma(b)"),
    derivative_formula=F("∂/∂a_i = σ(b_i), ∂/∂b_i = a_i·σ′(b_i)", r"\frac{\partial y_i}{\partial a_i} = \sigma(b_i),\ \frac{\partial y_i}{\partial b_i} = a_i\,\sigma'(b_i)"),
    range="(-inf, inf)", properties=props("no (vector)", "no", False, "C∞"),
    plot_range=(-6.0, 6.0), paper=_GLU_PAPER,
    equivalents={"torch": "nn.functional.glu(dim=-1) (first half · σ(second half))", "jax": "jax.nn.glu(axis=-1)", "keras": "keras.activations.glu(axis=-1)"},
)

activation(
    name="reglu", kernel=V + "reglu", shape="glu",
    summary="a ⊗ relu(b) for x = [a, b]",
    formula=F("reglu([a, b]) = a ⊗ max(0, b)", r"\mathrm{reglu}([a, b]) = a \otimes \max(0,\ b)"),
    derivative_formula=F("∂/∂a_i = relu(b_i), ∂/∂b_i = a_i·relu′(b_i)", r"\frac{\partial y_i}{\partial a_i} = \mathrm{relu}(b_i),\ \frac{\partial y_i}{\partial b_i} = a_i\,\mathrm{relu}'(b_i)"),
    range="(-inf, inf)", properties=props("no (vector)", "no", False, "C⁰"),
    plot_range=(-6.0, 6.0), paper=_GLU_VARIANTS,
    equivalents={"torch": "none (a * F.relu(b))", "jax": "none", "keras": "none"},
)

activation(
    name="geglu", kernel=V + "geglu", shape="glu",
    params=(Param("approximate", "none", "'none' for the exact GELU gate, 'tanh' for its approximation", choices=("none", "tanh")),),
    summary="a ⊗ gelu(b) for x = [a, b]",
    formula=F("geglu([a, b]) = a ⊗ gelu(b)", r"\mathrm{geglu}([a, b]) = a \otimes \mathrm{gelu}(b)"),
    derivative_formula=F("∂/∂a_i = gelu(b_i), ∂/∂b_i = a_i·gelu′(b_i)", r"\frac{\partial y_i}{\partial a_i} = \mathrm{gelu}(b_i),\ \frac{\partial y_i}{\partial b_i} = a_i\,\mathrm{gelu}'(b_i)"),
    range="(-inf, inf)", properties=props("no (vector)", "no", False, "C∞"),
    plot_range=(-6.0, 6.0), paper=_GLU_VARIANTS,
    equivalents={"torch": "none (a * F.gelu(b))", "jax": "none", "keras": "none"},
)

activation(
    name="swiglu", kernel=V + "swiglu", shape="glu",
    params=(Param("beta", 1.0, "β of the Swish gate (β = 1 is SiLU)"),),
    summary="a ⊗ swish(b) for x = [a, b] (Shazeer 2020)",
    formula=F("swiglu([a, b]) = a ⊗ (b·σ(βb))", r"\mathrm{swiglu}([a, b]) = a \otimes b\,\sigma(\beta b)"),
    derivative_formula=F("∂/∂a_i = silu(b_i), ∂/∂b_i = a_i·silu′(b_i)", r"\frac{\partial y_i}{\partial a_i} = \mathrm{silu}(b_i),\ \frac{\partial y_i}{\partial b_i} = a_i\,\mathrm{silu}'(b_i)"),
    range="(-inf, inf)", properties=props("no (vector)", "no", False, "C∞"),
    plot_range=(-6.0, 6.0), paper=_GLU_VARIANTS,
    equivalents={"torch": "none (a * F.silu(b); LLaMA writes silu(W1 x) * (W3 x))", "jax": "none", "keras": "none"},
)
