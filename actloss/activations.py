"""The activation records. Importing this module registers them (no numpy).

Each record states its formula and derivative (Unicode text and matplotlib
mathtext), output range, properties, parameters, the derivative actloss
returns at kinks (PyTorch's autograd convention), equivalents in PyTorch,
JAX and Keras, and the paper that introduced it.
"""

from __future__ import annotations

from actloss.constants import SELU_ALPHA, SELU_SCALE
from actloss.errors import ParameterError, arg
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


def notes(en_pros, en_cons, zh_pros, zh_cons):
    """Pros and cons in English and Chinese, as the cards show them."""
    return {"en": {"pros": en_pros, "cons": en_cons}, "zh": {"pros": zh_pros, "cons": zh_cons}}


ALPHA = "alpha"


def _slope(default: float, doc: str, aliases=("negative_slope",)) -> Param:
    return Param(ALPHA, default, doc, aliases=aliases)


def _positive(name: str, default: float, doc: str, aliases=()) -> Param:
    return Param(name, default, doc, low=0.0, low_open=True, aliases=aliases)


def _ordered(lo: str, hi: str):
    def check(p):
        if not p[lo] < p[hi]:
            raise ParameterError(
                f"{arg(lo)} must be less than {arg(hi)}, got {p[lo]!r} and {p[hi]!r}"
            )

    return check


def _ordered_le(lo: str, hi: str):
    def check(p):
        if not p[lo] <= p[hi]:
            raise ParameterError(
                f"{arg(lo)} must not exceed {arg(hi)}, got {p[lo]!r} and {p[hi]!r}"
            )

    return check



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
    notes=notes(
        en_pros=(
            "Output in (0, 1) reads as a probability: the output of binary and multi-label classifiers (one independent sigmoid per label) and the gate of LSTM and GRU cells.",
            "Smooth (C∞) and monotonic; the derivative comes from the value itself, σ′ = σ(1 − σ), so backpropagation reuses the forward output.",
        ),
        en_cons=(
            "Saturates: σ′(x) ≤ 1/4 (the maximum, at x = 0) and decays like e^(−|x|), so every sigmoid layer shrinks the gradient at least fourfold: vanishing gradients in deep stacks.",
            "Not zero-centred: outputs are always positive (mean near 0.5), so the gradients of one neuron's weights share a sign and updates zig-zag, slowing convergence.",
            "An exp per element, costlier than ReLU's comparison (on GPUs memory traffic usually dominates, so this matters less than it used to).",
            "Take losses from logits (log_sigmoid, BCE with logits): log(sigmoid(x)) underflows to −inf for very negative x (below about −745 in float64, −104 in float32).",
        ),
        zh_pros=(
            "输出在 (0, 1) 之间,可解释为概率:用作二分类和多标签分类的输出(每个标签一个独立的 sigmoid),也是 LSTM、GRU 的门函数。",
            "光滑(C∞)且单调;导数可由函数值直接得到 σ′ = σ(1 − σ),反向传播时可复用前向结果。",
        ),
        zh_cons=(
            "饱和:σ′(x) ≤ 1/4(最大值在 x = 0 处),且按 e^(−|x|) 衰减,每经过一层 sigmoid 梯度至少缩小 4 倍,深层网络易梯度消失。",
            "输出非零均值:输出恒为正(均值约 0.5),同一神经元各权重的梯度同号,更新呈锯齿状,收敛变慢。",
            "每个元素需一次指数运算,比 ReLU 的一次比较更贵(在 GPU 上瓶颈通常是访存,这一点已不如从前重要)。",
            "计算损失应从 logits 出发(log_sigmoid、带 logits 的 BCE):直接算 log(sigmoid(x)) 在 x 很负时会下溢为 −inf(float64 约 x < −745,float32 约 x < −104)。",
        ),
    ),
    corrections={
        "en": (
            "σ′ written as f(x) − (1 − f(x)): the derivative is the product σ′(x) = σ(x)·(1 − σ(x)). At x = 0 the difference gives 0; the true slope is 1/4.",
            "“Sigmoid is only for binary classification”: it is also the output of multi-label classification (one independent sigmoid per label); softmax is for mutually exclusive classes.",
        ),
        "zh": (
            "把 σ′ 写成 f(x) − (1 − f(x)):正确的导数是乘积 σ′(x) = σ(x)·(1 − σ(x))。在 x = 0 处差式得 0,实际斜率为 1/4。",
            "认为 sigmoid 只适用于二分类:它同样用于多标签分类(每个标签一个独立的 sigmoid);互斥的多分类才用 softmax。",
        ),
    },
    equivalents={
        "torch": "torch.sigmoid / nn.Sigmoid",
        "jax": "jax.nn.sigmoid",
        "keras": "keras.activations.sigmoid",
    },
)

activation(
    name="tanh", kernel=K + "tanh",
    summary="hyperbolic tangent",
    formula=F("tanh(x) = (e^x − e^(−x)) / (e^x + e^(−x))", r"\tanh(x) = \frac{e^{x} - e^{-x}}{e^{x} + e^{-x}}"),
    derivative_formula=F("tanh′(x) = 1 − tanh(x)²", r"\tanh'(x) = 1 - \tanh^{2}(x)"),
    range="(-1, 1)", properties=props(True, "both", True, "C∞"),
    plot_range=(-4.0, 4.0),
    notes=notes(
        en_pros=(
            "Zero-centred output in (−1, 1): tanh(x) = 2σ(2x) − 1, so activations average near zero and training usually converges faster than with sigmoid.",
            "Four times steeper than sigmoid at the origin (tanh′(0) = 1, σ′(0) = 1/4); the derivative 1 − tanh² comes from the output.",
            "The bounded state update of LSTM and GRU cells and of classic RNNs.",
        ),
        en_cons=(
            "Still saturates: tanh′(x) ≈ 4e^(−2|x|) for large |x|, so deep tanh stacks suffer vanishing gradients.",
            "An exp (or a tanh kernel) per element, costlier than ReLU.",
        ),
        zh_pros=(
            "输出以零为中心,范围 (−1, 1):tanh(x) = 2σ(2x) − 1,激活值均值接近 0,训练通常比 sigmoid 收敛更快。",
            "原点处斜率是 sigmoid 的 4 倍(tanh′(0) = 1,σ′(0) = 1/4);导数 1 − tanh² 可由输出直接得到。",
            "LSTM、GRU 及经典 RNN 中有界的状态更新函数。",
        ),
        zh_cons=(
            "仍然饱和:|x| 较大时 tanh′(x) ≈ 4e^(−2|x|),深层 tanh 网络易梯度消失。",
            "每个元素需一次指数(或 tanh)运算,比 ReLU 更贵。",
        ),
    ),
    corrections={
        "en": (
            "tanh's range written as (0, 1): tanh ranges over (−1, 1); it is odd, tanh(−x) = −tanh(x).",
        ),
        "zh": (
            "把 tanh 的值域写成 (0, 1):tanh 的值域是 (−1, 1);它是奇函数,tanh(−x) = −tanh(x)。",
        ),
    },
    equivalents={
        "torch": "torch.tanh / nn.Tanh",
        "jax": "jax.nn.tanh (= jax.numpy.tanh)",
        "keras": "keras.activations.tanh; on the JAX backend float64 input comes back float32 unless jax_enable_x64 is set (JAX computes in 32 bits by default)",
    },
)

activation(
    name="softsign", kernel=K + "softsign",
    summary="x/(1+|x|)",
    formula=F("softsign(x) = x / (1 + |x|)", r"\mathrm{softsign}(x) = \frac{x}{1 + |x|}"),
    derivative_formula=F("softsign′(x) = 1 / (1 + |x|)²", r"\mathrm{softsign}'(x) = \frac{1}{(1 + |x|)^{2}}"),
    range="(-1, 1)", properties=props(True, "both", True, "C¹"),
    kinks2=lambda p: [(0.0, -0.0)], kink_note="softsign″(0) = −0.0 (the jump from +2 to −2; PyTorch: sign(0) = 0)",
    plot_range=(-6.0, 6.0),
    paper="Bergstra, Desjardins, Lamblin, Bengio, 'Quadratic Polynomials Learn Better Image Features', 2009; compared with tanh by Glorot & Bengio, 2010",
    see_also=("tanh",),
    notes=notes(
        en_pros=(
            "Zero-centred and bounded in (−1, 1) like tanh, without exp: one absolute value, one addition, one division.",
            "Saturates polynomially: softsign′(x) = 1/(1 + |x|)² decays like 1/x², not exponentially, so gradients survive further from zero than with tanh.",
        ),
        en_cons=(
            "Only C¹: the second derivative jumps from +2 to −2 at x = 0.",
            "Gradients still vanish for large |x| (as 1/x²), and the function is rarely used, so few tuned recipes exist.",
        ),
        zh_pros=(
            "与 tanh 一样以零为中心、有界于 (−1, 1),但无需指数运算:一次取绝对值、一次加法、一次除法。",
            "多项式速度饱和:softsign′(x) = 1/(1 + |x|)² 按 1/x² 衰减而非指数衰减,远离零点处梯度比 tanh 保留得更多。",
        ),
        zh_cons=(
            "仅 C¹ 光滑:二阶导数在 x = 0 处从 +2 跳变到 −2。",
            "|x| 很大时梯度仍会消失(按 1/x²),且实际很少使用,可参考的调参经验不多。",
        ),
    ),
    corrections={
        "en": (
            "softsign′ written as 1/(1 + x)²: the derivative is 1/(1 + |x|)², with the absolute value; without it the formula is wrong for every x < 0 and blows up at x = −1.",
        ),
        "zh": (
            "把 softsign′ 写成 1/(1 + x)²:正确的导数是 1/(1 + |x|)²,分母中是绝对值;少了绝对值,公式对所有 x < 0 都不对,并在 x = −1 处发散。",
        ),
    },
    equivalents={
        "torch": "nn.functional.softsign / nn.Softsign",
        "jax": "jax.nn.soft_sign",
        "keras": "keras.activations.softsign",
    },
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
    kink_note="hardsigmoid′(±3) = 0, as PyTorch; hardsigmoid″ = 0 everywhere, the one-sided limits at ±3 (PyTorch has no double backward for hardsigmoid)",
    plot_range=(-5.0, 5.0),
    paper="Howard et al., 'Searching for MobileNetV3', 2019 (as h-sigmoid)",
    notes=notes(
        en_pros=(
            "Piecewise linear (add, multiply, clamp): cheap on mobile CPUs and in integer-quantised networks; MobileNetV3 uses it in place of sigmoid in squeeze-and-excitation blocks and inside hardswish.",
            "Exactly 0 and 1 outside [−3, 3]: true saturation, useful for gates.",
        ),
        en_cons=(
            "Zero gradient for |x| ≥ 3: saturated units stop learning altogether.",
            "Only C⁰ (kinks at ±3) and a rough copy of sigmoid: slope 1/6 at 0 instead of 1/4.",
            "Definitions differ between libraries (Keras 2: clip(0.2x + 0.5, 0, 1), saturating at ±2.5), so 'hard sigmoid' is ambiguous when porting a model.",
        ),
        zh_pros=(
            "分段线性(加法、乘法、截断):在移动端 CPU 和整数量化网络中很便宜;MobileNetV3 在 SE 模块中用它代替 sigmoid,hardswish 内部也用到它。",
            "在 [−3, 3] 之外恰好等于 0 和 1:真正的饱和,适合做门。",
        ),
        zh_cons=(
            "|x| ≥ 3 时梯度为零:饱和的单元完全停止学习。",
            "仅 C⁰ 连续(±3 处有折点),只是 sigmoid 的粗略近似:原点斜率 1/6 而非 1/4。",
            "各库定义不同(Keras 2 为 clip(0.2x + 0.5, 0, 1),在 ±2.5 处饱和),移植模型时“hard sigmoid”一词有歧义。",
        ),
    ),
    equivalents={
        "torch": "nn.functional.hardsigmoid / nn.Hardsigmoid: relu6(x + 3)/6, multiplied by the float32 constant 1/6 even in float64, so the slope is 0.1666666716337204 (3e-8 too large)",
        "jax": "jax.nn.hard_sigmoid: relu6(x + 3)/6",
        "keras": "keras.activations.hard_sigmoid: relu6(x + 3)/6 in Keras 3, but Keras 2 (tf.keras) used clip(0.2x + 0.5, 0, 1), a different function",
    },
)

activation(
    name="log_sigmoid", aliases=("logsigmoid",), kernel=K + "log_sigmoid",
    summary="log σ(x) = −softplus(−x)",
    formula=F("logσ(x) = −log(1 + e^(−x))", r"\log\sigma(x) = -\log(1 + e^{-x})"),
    derivative_formula=F("(logσ)′(x) = 1 − σ(x) = σ(−x)", r"(\log\sigma)'(x) = \sigma(-x)"),
    range="(-inf, 0)", properties=props(True, "above", False, "C∞"),
    plot_range=(-6.0, 6.0),
    notes=notes(
        en_pros=(
            "The stable way to get log σ(x) = −softplus(−x): it equals x for very negative x instead of underflowing to −inf like log(sigmoid(x)).",
            "The building block of binary cross-entropy with logits, of word2vec's negative sampling and of preference losses such as DPO (−log σ of a score difference).",
            "Smooth and monotonic; its derivative σ(−x) lies in (0, 1).",
        ),
        en_cons=(
            "Unbounded below and never positive: a loss ingredient, not a hidden-layer activation.",
            "An exp and a log1p per element.",
        ),
        zh_pros=(
            "计算 log σ(x) = −softplus(−x) 的数值稳定方式:x 很负时结果约等于 x,而 log(sigmoid(x)) 会下溢为 −inf。",
            "带 logits 的二元交叉熵、word2vec 负采样以及 DPO 等偏好损失(对得分差取 −log σ)的基本组成部分。",
            "光滑且单调;导数 σ(−x) 位于 (0, 1)。",
        ),
        zh_cons=(
            "无下界且恒不为正:是构造损失的组件,而不是隐藏层激活函数。",
            "每个元素需一次指数和一次 log1p 运算。",
        ),
    ),
    equivalents={
        "torch": "nn.functional.logsigmoid / nn.LogSigmoid",
        "jax": "jax.nn.log_sigmoid",
        "keras": "keras.activations.log_sigmoid / keras.ops.log_sigmoid",
    },
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
    paper="Blondel, Martins, Niculae, 'Learning with Fenchel-Young Losses', 2019 (section 6.2)",
    notes=notes(
        en_pros=(
            "Exactly 0 or 1 outside [−1, 1]: sparse gates and probabilities. It is the sparsemax of [x, 0], the sparse counterpart of σ (the softmax of [x, 0]).",
            "Piecewise linear and cheap; the derivative of sparse_plus.",
        ),
        en_cons=(
            "Zero gradient outside (−1, 1): a saturated unit gets no learning signal.",
            "Only C⁰ (kinks at ±1); little use outside JAX and Keras.",
        ),
        zh_pros=(
            "在 [−1, 1] 之外恰好为 0 或 1:得到稀疏的门和概率。它是 [x, 0] 的 sparsemax,即 σ([x, 0] 的 softmax)的稀疏版本。",
            "分段线性,计算便宜;是 sparse_plus 的导数。",
        ),
        zh_cons=(
            "(−1, 1) 之外梯度为零:饱和单元得不到学习信号。",
            "仅 C⁰ 连续(±1 处有折点);除 JAX 和 Keras 外很少使用。",
        ),
    ),
    equivalents={"torch": "none",
                 "jax": "jax.nn.sparse_sigmoid: computed as 0.5·clip(x + 1, 0, 2), whose derivative at x = ±1 is 0.25 (a tie with a bound of clip shares the slope in halves), not 0",
                 "keras": "keras.activations.sparse_sigmoid (on the JAX backend jax.nn.sparse_sigmoid: derivative 0.25 at x = ±1)"},
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
    paper="Nair & Hinton, 'Rectified Linear Units Improve Restricted Boltzmann Machines', 2010; Glorot, Bordes, Bengio, 'Deep Sparse Rectifier Neural Networks', 2011",
    see_also=("leaky_relu", "relu6", "gelu"),
    notes=notes(
        en_pros=(
            "Gradient exactly 1 for x > 0: no saturation on the positive side, so deep networks train far better than with sigmoid or tanh (in the AlexNet paper a ReLU network reached 25% training error on CIFAR-10 six times faster than the same network with tanh).",
            "The cheapest activation: one comparison, no exp; its derivative is a step function.",
            "Sparse activations: for zero-mean inputs about half of the units output exactly 0.",
            "The default hidden activation of CNNs and MLPs; pairs with He (Kaiming) initialisation, weight variance 2/fan_in.",
        ),
        en_cons=(
            "Dying ReLU: a unit whose pre-activation stays negative (after a large update, or with too high a learning rate) gets zero gradient and never recovers.",
            "Not zero-centred: outputs are ≥ 0 with a positive mean, shifting the next layer's inputs (batch normalisation largely removes this).",
            "Unbounded above: activations can grow large without normalisation.",
            "Not differentiable at 0; frameworks use relu′(0) = 0.",
        ),
        zh_pros=(
            "x > 0 时梯度恰为 1:正区间不饱和,深层网络比 sigmoid、tanh 好训练得多(AlexNet 论文中,ReLU 网络在 CIFAR-10 上达到 25% 训练误差的速度是同结构 tanh 网络的 6 倍)。",
            "计算最便宜:只需一次比较,无指数运算;导数是阶跃函数。",
            "稀疏激活:输入均值为零时约一半单元的输出恰为 0。",
            "CNN 和 MLP 隐藏层的默认激活函数;与 He(Kaiming)初始化(权重方差 2/fan_in)配合使用。",
        ),
        zh_cons=(
            "神经元死亡:若某单元的输入一直为负(例如一次大的更新或学习率过高之后),其梯度为零,再也无法恢复。",
            "输出非零均值:输出 ≥ 0 且均值为正,使下一层输入发生偏移(批归一化可在很大程度上消除)。",
            "无上界:没有归一化时激活值可能变得很大。",
            "在 0 处不可导;各框架取 relu′(0) = 0。",
        ),
    ),
    corrections={
        "en": (
            "relu′ written as max(0, 1), which is the constant 1: the derivative is the step function: 0 for x < 0, 1 for x > 0 (at x = 0 actloss, like PyTorch and JAX, returns 0).",
            "relu's range written as (0, +∞): relu takes the value 0 (for every x ≤ 0), so the range is [0, ∞).",
            "ReLU's faster convergence credited to sigmoid and tanh being expensive to compute: cost per step is a separate matter; ReLU needs fewer steps because its gradient does not saturate for x > 0.",
        ),
        "zh": (
            "把 relu′ 写成 max(0, 1),这恒等于 1:正确的导数是阶跃函数:x < 0 时为 0,x > 0 时为 1(在 x = 0 处 actloss 与 PyTorch、JAX 一样取 0)。",
            "把 relu 的值域写成 (0, +∞):relu 能取到 0(所有 x ≤ 0 时),值域是 [0, ∞)。",
            "把 ReLU 收敛更快归因于 sigmoid 和 tanh 计算昂贵:每步的计算代价是另一回事;ReLU 所需的迭代步数更少,是因为它在 x > 0 时梯度不饱和。",
        ),
    },
    equivalents={
        "torch": "torch.relu / nn.ReLU (derivative 0 at x = 0)",
        "jax": "jax.nn.relu (documented derivative 0 at x = 0)",
        "keras": "keras.activations.relu(x, negative_slope=0.0, max_value=None, threshold=0.0)",
    },
)

activation(
    name="relu6", kernel=K + "relu6",
    summary="min(max(0, x), 6)",
    formula=F("relu6(x) = min(max(0, x), 6)", r"\mathrm{relu6}(x) = \min(\max(0,\ x),\ 6)"),
    derivative_formula=F("relu6′(x) = 1 for 0 < x < 6, else 0", r"\mathrm{relu6}'(x) = 1\ (0 < x < 6),\ 0\ \mathrm{otherwise}"),
    range="[0, 6]", properties=props(True, "both", False, "C⁰"),
    kinks=lambda p: [(0.0, 0.0), (6.0, 0.0)], kink_note="relu6′(0) = relu6′(6) = 0, as PyTorch",
    plot_range=(-3.0, 9.0),
    paper="Krizhevsky, 'Convolutional Deep Belief Networks on CIFAR-10', 2010",
    notes=notes(
        en_pros=(
            "Caps activations at 6 so they fit a small fixed-point range: made for low-precision inference (MobileNet v1 and v2).",
            "As cheap as ReLU.",
        ),
        en_cons=(
            "Zero gradient both for x < 0 (dying units) and for x > 6 (saturation).",
            "Not zero-centred; only C⁰, with kinks at 0 and 6.",
        ),
        zh_pros=(
            "将激活值上限截断为 6,便于用较小的定点数范围表示:专为低精度推理设计(MobileNet v1、v2)。",
            "与 ReLU 一样便宜。",
        ),
        zh_cons=(
            "x < 0(神经元死亡)和 x > 6(饱和)时梯度都为零。",
            "输出非零均值;仅 C⁰ 连续,0 和 6 处有折点。",
        ),
    ),
    equivalents={
        "torch": "nn.functional.relu6 / nn.ReLU6",
        "jax": "jax.nn.relu6 (derivative 0 at x = 0 and x = 6)",
        "keras": "keras.activations.relu6",
    },
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
    paper="Maas, Hannun, Ng, 'Rectifier Nonlinearities Improve Neural Network Acoustic Models', 2013",
    see_also=("relu", "prelu", "rrelu"),
    notes=notes(
        en_pros=(
            "A small slope α for x < 0 keeps the gradient non-zero, so units cannot die.",
            "As cheap as ReLU; standard in GAN discriminators (DCGAN: α = 0.2) and in YOLOv3's Darknet backbone (α = 0.1).",
        ),
        en_cons=(
            "α is one more hyperparameter, and its default differs between frameworks (PyTorch and JAX 0.01, the Keras function 0.2, the Keras layer 0.3): a silent change when porting a model.",
            "Not consistently better than ReLU in practice; still unbounded and not differentiable at 0.",
        ),
        zh_pros=(
            "x < 0 时保留小斜率 α,梯度不为零,神经元不会死亡。",
            "与 ReLU 一样便宜;GAN 判别器的常用选择(DCGAN 取 α = 0.2),YOLOv3 的 Darknet 主干也用它(α = 0.1)。",
        ),
        zh_cons=(
            "α 多了一个超参数,且各框架默认值不同(PyTorch、JAX 为 0.01,Keras 函数为 0.2,Keras 层为 0.3):移植模型时会悄悄改变结果。",
            "实践中并不总是优于 ReLU;仍然无上界,且在 0 处不可导。",
        ),
    ),
    corrections={
        "en": (
            "The derivative written as 1 for x ≥ 0 and α for x ≤ 0 gives both values at the kink x = 0. actloss, like PyTorch, returns α there; JAX's where(x ≥ 0, x, αx), and Keras on JAX, give 1.",
        ),
        "zh": (
            "把导数写成 x ≥ 0 时为 1、x ≤ 0 时为 α,在折点 x = 0 处会同时给出两个值。actloss 与 PyTorch 一样在该点取 α;JAX 的 where(x ≥ 0, x, αx) 以及基于 JAX 的 Keras 给出 1。",
        ),
    },
    equivalents={
        "torch": "nn.functional.leaky_relu(negative_slope=0.01) / nn.LeakyReLU; derivative α at x = 0",
        "jax": "jax.nn.leaky_relu(negative_slope=0.01); computed as where(x ≥ 0, x, αx), so its derivative at 0 is 1, not α",
        "keras": "keras.activations.leaky_relu(negative_slope=0.2), but keras.layers.LeakyReLU(negative_slope=0.3) (Keras 2: alpha=0.3): two defaults, neither PyTorch's 0.01; on the JAX backend the derivative at 0 is 1, as in JAX",
    },
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
    paper="He, Zhang, Ren, Sun, 'Delving Deep into Rectifiers: Surpassing Human-Level Performance on ImageNet Classification', 2015",
    notes=notes(
        en_pros=(
            "The negative slope is learned by backpropagation (per channel or shared) for a negligible number of extra parameters; He et al. used it to pass human-level top-5 error on ImageNet.",
            "Costs the same as leaky_relu at inference.",
        ),
        en_cons=(
            "The extra parameters can overfit small data sets; weight decay should not be applied to α, since it pulls α towards 0, i.e. towards ReLU.",
            "The initial slope differs: PyTorch 0.25, Keras PReLU 0 (it starts as ReLU).",
            "A learned α < 0 makes the function non-monotonic, α > 1 makes the negative side steeper than the positive one.",
        ),
        zh_pros=(
            "负半轴斜率通过反向传播学习(每通道一个或共享一个),额外参数可以忽略不计;He 等人用它在 ImageNet 上首次超过人类的 top-5 错误率。",
            "推理时的计算量与 leaky_relu 相同。",
        ),
        zh_cons=(
            "额外参数在小数据集上可能过拟合;α 不应施加权重衰减,否则会把 α 推向 0,即退化为 ReLU。",
            "初始斜率各框架不同:PyTorch 为 0.25,Keras 的 PReLU 为 0(从 ReLU 开始)。",
            "若学到 α < 0,函数不再单调;α > 1 则负半轴比正半轴更陡。",
        ),
    ),
    equivalents={
        "torch": "nn.PReLU(num_parameters=1, init=0.25) / nn.functional.prelu(input, weight)",
        "jax": "none (jax.nn.leaky_relu with a learned negative_slope)",
        "keras": "keras.layers.PReLU(alpha_initializer='Zeros'): starts at slope 0 (ReLU), not 0.25",
    },
)


def _midpoint(a: float, b: float) -> float:
    """(a + b)/2, halving first where the sum overflows (as actloss._kernels.rrelu)."""
    m = (a + b) / 2.0
    return m if abs(m) != float("inf") else a / 2.0 + b / 2.0


activation(
    name="rrelu", kernel=K + "rrelu",
    params=(Param("lower", 1.0 / 8.0, "lower bound of the random slope"),
            Param("upper", 1.0 / 3.0, "upper bound of the random slope")),
    validate=_ordered_le("lower", "upper"),
    summary="randomized leaky ReLU, inference form: slope (lower+upper)/2",
    formula=F("rrelu(x) = x for x ≥ 0, ((l + u)/2)·x for x < 0", r"\mathrm{rrelu}(x) = \max(x,\ 0) + \frac{l + u}{2}\min(x,\ 0)"),
    derivative_formula=F("rrelu′(x) = 1 for x > 0, (l + u)/2 for x ≤ 0", r"\mathrm{rrelu}'(x) = 1\ (x > 0),\ \frac{l + u}{2}\ (x \leq 0)"),
    range="(-inf, inf)", properties=props("for lower + upper ≥ 0", "no", False, "C⁰"),
    kinks=lambda p: [(0.0, _midpoint(p["lower"], p["upper"]))], kink_note="rrelu′(0) = (lower+upper)/2, as PyTorch in eval mode",
    plot_range=(-5.0, 5.0),
    paper="Xu, Wang, Chen, Li, 'Empirical Evaluation of Rectified Activations in Convolutional Network', 2015",
    see_also=("leaky_relu", "prelu"),
    notes=notes(
        en_pros=(
            "In training the negative slope of each element is drawn uniformly from [lower, upper]: a regulariser that reduced overfitting on small data sets in Xu et al.'s experiments.",
            "At inference it is a fixed leaky ReLU with slope (lower + upper)/2 — what actloss computes.",
        ),
        en_cons=(
            "Randomness makes training non-deterministic, and the output depends on training or evaluation mode.",
            "Rarely used today; its gains were shown on small data sets. JAX and Keras have no built-in.",
        ),
        zh_pros=(
            "训练时每个元素的负半轴斜率从 [lower, upper] 均匀随机抽取:起正则化作用,Xu 等人的实验中减轻了小数据集上的过拟合。",
            "推理时是斜率固定为 (lower + upper)/2 的 leaky_relu——actloss 计算的正是这一形式。",
        ),
        zh_cons=(
            "随机性使训练不可复现,且输出取决于处于训练模式还是评估模式。",
            "如今很少使用;其收益只在小数据集上得到验证。JAX 和 Keras 没有内置实现。",
        ),
    ),
    equivalents={
        "torch": "nn.functional.rrelu(lower=1/8, upper=1/3, training=False) / nn.RReLU (random slopes in training mode)",
        "jax": "none",
        "keras": "none",
    },
)

activation(
    name="elu", kernel=K + "elu",
    params=(Param(ALPHA, 1.0, "scale of the negative saturation"),),
    summary="x for x > 0, α(e^x − 1) otherwise",
    formula=F("elu(x) = x for x > 0, α(e^x − 1) for x ≤ 0", r"\mathrm{elu}(x) = x\ (x > 0),\ \alpha\,(e^{x} - 1)\ (x \leq 0)"),
    derivative_formula=F("elu′(x) = 1 for x > 0, α·e^x for x ≤ 0", r"\mathrm{elu}'(x) = 1\ (x > 0),\ \alpha\,e^{x}\ (x \leq 0)"),
    range="(-α, inf)", properties=props("for α ≥ 0", "below (α ≥ 0)", "approximately", "C¹ for α = 1, else C⁰"),
    kinks=lambda p: [(0.0, p["alpha"])], kink_note="elu′(0) = α and elu″(0) = 0, as PyTorch",
    plot_range=(-5.0, 5.0), paper="Clevert, Unterthiner, Hochreiter, 'Fast and Accurate Deep Network Learning by Exponential Linear Units (ELUs)', 2015",
    see_also=("selu", "celu"),
    notes=notes(
        en_pros=(
            "Negative outputs down to −α pull mean activations towards zero, which speeds up learning (Clevert et al.); the saturation for very negative inputs makes the off state robust to noise.",
            "No dying units: the gradient α·e^x is positive for every x < 0.",
            "C¹ for α = 1: the derivative is continuous at 0.",
        ),
        en_cons=(
            "An exp on the negative side: costlier than ReLU.",
            "For α ≠ 1 the derivative jumps at 0 (1 on the right, α on the left); the gradient still vanishes for very negative inputs.",
            "Unbounded above.",
        ),
        zh_pros=(
            "负输出可低至 −α,使激活均值更接近零,从而加快学习(Clevert 等人);输入很负时饱和,使“关闭”状态对噪声稳健。",
            "神经元不会死亡:对所有 x < 0,梯度 α·e^x 都为正。",
            "α = 1 时为 C¹:导数在 0 处连续。",
        ),
        zh_cons=(
            "负半轴需要指数运算,比 ReLU 更贵。",
            "α ≠ 1 时导数在 0 处跳变(右侧为 1,左侧为 α);输入很负时梯度仍会消失。",
            "无上界。",
        ),
    ),
    equivalents={
        "torch": "nn.functional.elu(alpha=1.0) / nn.ELU; derivative α at x = 0",
        "jax": "jax.nn.elu(alpha=1.0); derivative α at x = 0",
        "keras": "keras.activations.elu(alpha=1.0)",
    },
)

activation(
    name="selu", kernel=K + "selu",
    summary="scaled ELU with the self-normalising constants λ, α",
    formula=F("selu(x) = λx for x > 0, λα(e^x − 1) for x ≤ 0; λ ≈ 1.0507, α ≈ 1.67326",
              r"\mathrm{selu}(x) = \lambda x\ (x > 0),\ \lambda\alpha(e^{x} - 1)\ (x \leq 0)"),
    derivative_formula=F("selu′(x) = λ for x > 0, λα·e^x for x ≤ 0", r"\mathrm{selu}'(x) = \lambda\ (x > 0),\ \lambda\alpha e^{x}\ (x \leq 0)"),
    range="(-λα, inf) = ({lim-}, inf)", properties=props(True, "below", "approximately", "C⁰", self_normalising=True),
    kinks=lambda p: [(0.0, SELU_SCALE * SELU_ALPHA)], kink_note="selu′(0) = λα and selu″(0) = 0, as PyTorch",
    plot_range=(-5.0, 5.0), paper="Klambauer, Unterthiner, Mayr, Hochreiter, 'Self-Normalizing Neural Networks', 2017",
    see_also=("elu",),
    notes=notes(
        en_pros=(
            "Self-normalising: with λ ≈ 1.0507 and α ≈ 1.6733, activations are driven towards mean 0 and variance 1 layer after layer, so deep fully connected networks train without batch normalisation.",
            "No dying units: the negative side λα·e^x has a positive gradient.",
        ),
        en_cons=(
            "The self-normalisation holds only under its conditions: standardised inputs, LeCun-normal weights (variance 1/fan_in; Keras kernel_initializer='lecun_normal'), plain stacks of dense layers, and AlphaDropout instead of ordinary dropout. He initialisation, batch normalisation or ordinary dropout break it.",
            "Only C⁰: the derivative jumps at 0 (λ ≈ 1.0507 on the right, λα ≈ {slope:5} on the left); an exp on the negative side.",
        ),
        zh_pros=(
            "自归一化:取 λ ≈ 1.0507、α ≈ 1.6733 时,激活值逐层被推向均值 0、方差 1,深层全连接网络无需批归一化即可训练。",
            "神经元不会死亡:负半轴 λα·e^x 的梯度为正。",
        ),
        zh_cons=(
            "自归一化只在一定条件下成立:输入已标准化、权重用 LeCun 正态初始化(方差 1/fan_in;Keras 中 kernel_initializer='lecun_normal')、由全连接层简单堆叠、用 AlphaDropout 代替普通 dropout。He 初始化、批归一化或普通 dropout 都会破坏它。",
            "仅 C⁰:导数在 0 处跳变(右侧 λ ≈ 1.0507,左侧 λα ≈ {slope:5});负半轴需要指数运算。",
        ),
    ),
    equivalents={
        "torch": "nn.functional.selu / nn.SELU (with nn.AlphaDropout)",
        "jax": "jax.nn.selu",
        "keras": "keras.activations.selu (with kernel_initializer='lecun_normal' and layers.AlphaDropout)",
    },
)

activation(
    name="celu", kernel=K + "celu",
    params=(Param(ALPHA, 1.0, "scale of the negative saturation", low=0.0, low_open=True),),
    summary="continuously differentiable ELU: max(0,x) + min(0, α(e^(x/α) − 1))",
    formula=F("celu(x) = max(0, x) + min(0, α(e^(x/α) − 1))", r"\mathrm{celu}(x) = \max(0,\ x) + \min(0,\ \alpha(e^{x/\alpha} - 1))"),
    derivative_formula=F("celu′(x) = 1 for x > 0, e^(x/α) for x ≤ 0", r"\mathrm{celu}'(x) = 1\ (x > 0),\ e^{x/\alpha}\ (x \leq 0)"),
    range="(-α, inf)", properties=props(True, "below", "approximately", "C¹"),
    kinks=lambda p: [(0.0, 1.0)], kink_note="celu′(0) = 1 (both sides agree); celu″(0) = 0, as PyTorch",
    plot_range=(-5.0, 5.0), paper="Barron, 'Continuously Differentiable Exponential Linear Units', 2017",
    see_also=("elu",),
    notes=notes(
        en_pros=(
            "C¹ for every α (ELU is C¹ only for α = 1): the derivative is 1 on both sides of 0, and α only rescales, celu(x; α) = α·celu(x/α; 1).",
            "The benefits of ELU: negative outputs reduce the mean shift, no dying units.",
        ),
        en_cons=(
            "An exp on the negative side; α must be positive (it divides x).",
            "Little used; for α = 1 it is exactly ELU.",
        ),
        zh_pros=(
            "对任意 α 都是 C¹(ELU 只在 α = 1 时是 C¹):0 两侧导数都为 1,α 只起缩放作用,celu(x; α) = α·celu(x/α; 1)。",
            "具有 ELU 的优点:负输出减小均值偏移,神经元不会死亡。",
        ),
        zh_cons=(
            "负半轴需要指数运算;α 必须为正(x 要除以 α)。",
            "很少使用;α = 1 时与 ELU 完全相同。",
        ),
    ),
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
    see_also=("relu",),
    notes=notes(
        en_pros=(
            "Generalises ReLU: x above the threshold t passes, everything else becomes a fixed value v (ReLU is t = 0, v = 0; Keras 2's ThresholdedReLU is v = 0, t = θ).",
            "One comparison per element.",
        ),
        en_cons=(
            "Discontinuous at t unless v = t; zero gradient below t (a dead region, as in ReLU).",
            "PyTorch and Keras require both threshold and value (no defaults); JAX has no built-in.",
        ),
        zh_pros=(
            "ReLU 的推广:大于阈值 t 的 x 原样通过,其余变为固定值 v(ReLU 即 t = 0、v = 0;Keras 2 的 ThresholdedReLU 即 v = 0、t = θ)。",
            "每个元素只需一次比较。",
        ),
        zh_cons=(
            "除非 v = t,否则在 t 处不连续;t 以下梯度为零(与 ReLU 一样存在“死区”)。",
            "PyTorch 和 Keras 都要求同时给出阈值和替换值(没有默认值);JAX 没有内置实现。",
        ),
    ),
    equivalents={
        "torch": "nn.functional.threshold(input, threshold, value) / nn.Threshold: both required",
        "jax": "none",
        "keras": "keras.activations.threshold(x, threshold, default_value): both required",
    },
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
    range="[{min}, inf)", properties=props(False, "below", False, "C∞", minimum="{min} at x = {min_x}"),
    plot_range=(-4.0, 4.0), paper="Hendrycks & Gimpel, 'Gaussian Error Linear Units (GELUs)', 2016",
    see_also=("quick_gelu", "silu"),
    notes=notes(
        en_pros=(
            "A smooth (C∞) ReLU-like gate: the input weighted by the probability Φ(x) that a standard normal variable lies below it.",
            "The activation of Transformers: BERT, GPT-2, GPT-3, RoBERTa and ViT use GELU.",
            "Non-zero gradient for negative inputs (no dying units); a small dip to ≈ {min:3} at x ≈ {min_x:3}.",
        ),
        en_cons=(
            "An erf (exact form) or a tanh plus a cube (approximation) per element: several times the cost of ReLU unless fused.",
            "Two definitions in use, the exact erf form and the tanh approximation, differing by up to 4.7e-4 (at x ≈ ±2.70), and framework defaults disagree (PyTorch exact, JAX approximate): porting a model changes its outputs slightly.",
            "Non-monotonic: not invertible around the minimum.",
        ),
        zh_pros=(
            "光滑(C∞)的类 ReLU 门控:输入乘以标准正态变量小于它的概率 Φ(x)。",
            "Transformer 的标准激活函数:BERT、GPT-2、GPT-3、RoBERTa、ViT 都使用 GELU。",
            "负输入也有非零梯度(神经元不会死亡);在 x ≈ {min_x:3} 处有一个约 {min:3} 的小凹陷。",
        ),
        zh_cons=(
            "每个元素需一次 erf(精确形式)或一次 tanh 加一个三次方(近似形式):不做算子融合时代价是 ReLU 的数倍。",
            "存在两种定义:精确的 erf 形式与 tanh 近似,二者最多相差 4.7e-4(在 x ≈ ±2.70 处),而且各框架默认值不同(PyTorch 默认精确,JAX 默认近似):移植模型会使输出略有变化。",
            "非单调:在最小值附近不可逆。",
        ),
    ),
    corrections={
        "en": (
            "“Training uses the tanh approximation”: that was the choice of the original BERT and GPT-2 code, but PyTorch's default F.gelu is the exact erf form; both are in use (pick with --approximate none|tanh) and they differ by up to 4.7e-4.",
        ),
        "zh": (
            "认为实际训练使用 tanh 近似公式:原始 BERT 和 GPT-2 代码确实如此,但 PyTorch 默认的 F.gelu 是精确的 erf 形式;两者都在使用(用 --approximate none|tanh 选择),最多相差 4.7e-4。",
        ),
    },
    equivalents={
        "torch": "nn.functional.gelu(approximate='none') / nn.GELU: the exact erf form by default; approximate='tanh' for the approximation",
        "jax": "jax.nn.gelu(approximate=True): the tanh approximation by default",
        "keras": "keras.activations.gelu(approximate=False), but keras.ops.gelu(approximate=True): the two Keras entry points disagree",
    },
)

activation(
    name="quick_gelu", aliases=("quickgelu",), kernel=K + "quick_gelu",
    summary="x·σ(1.702x), the sigmoid approximation of GELU (CLIP)",
    formula=F("quick_gelu(x) = x·σ(1.702x)", r"\mathrm{quick\_gelu}(x) = x\,\sigma(1.702\,x)"),
    derivative_formula=F("quick_gelu′(x) = σ(1.702x) + 1.702x·σ(1.702x)(1 − σ(1.702x))",
                         r"\mathrm{quick\_gelu}'(x) = \sigma(1.702x) + 1.702x\,\sigma(1.702x)(1 - \sigma(1.702x))"),
    range="[{min}, inf)", properties=props(False, "below", False, "C∞"),
    plot_range=(-4.0, 4.0), paper="Hendrycks & Gimpel 2016 (sigmoid approximation); used by OpenAI CLIP, 2021",
    notes=notes(
        en_pros=(
            "One sigmoid instead of erf: x·σ(1.702x) is a cheap GELU look-alike; OpenAI's CLIP models are trained with it.",
            "Smooth, with SiLU's shape (it is silu with β = 1.702).",
        ),
        en_cons=(
            "Not GELU: it differs from the exact form by up to 0.020 (at x ≈ −2.27); running CLIP weights with exact GELU, or GELU-trained weights with quick_gelu, degrades the model.",
            "No built-in in PyTorch, JAX or Keras.",
        ),
        zh_pros=(
            "用一次 sigmoid 代替 erf:x·σ(1.702x) 是便宜的 GELU 近似;OpenAI 的 CLIP 模型就用它训练。",
            "光滑,形状与 SiLU 相同(即 β = 1.702 的 silu)。",
        ),
        zh_cons=(
            "并不等于 GELU:与精确形式最多相差 0.020(在 x ≈ −2.27 处);用精确 GELU 运行 CLIP 权重,或用 quick_gelu 运行按 GELU 训练的权重,都会降低模型效果。",
            "PyTorch、JAX、Keras 都没有内置实现。",
        ),
    ),
    equivalents={
        "torch": "none (x * torch.sigmoid(1.702 * x); Hugging Face transformers: QuickGELUActivation)",
        "jax": "none",
        "keras": "none",
    },
)

activation(
    name="silu", aliases=("swish",), kernel=K + "silu",
    params=(Param("beta", 1.0, "slope inside the sigmoid (β = 1 is SiLU)"),),
    summary="x·σ(βx) (SiLU for β = 1)",
    formula=F("silu(x) = x·σ(βx)", r"\mathrm{silu}(x) = x\,\sigma(\beta x)"),
    derivative_formula=F("silu′(x) = σ(βx) + βx·σ(βx)(1 − σ(βx))", r"\mathrm{silu}'(x) = \sigma(\beta x) + \beta x\,\sigma(\beta x)\,(1 - \sigma(\beta x))"),
    range="[{min}/β, inf) for β > 0", properties=props(False, "below", False, "C∞"),
    plot_range=(-5.0, 5.0), paper="Ramachandran, Zoph, Le, 'Searching for Activation Functions', 2017; Elfwing et al. 2017 (SiLU)",
    notes=notes(
        en_pros=(
            "Smooth, non-monotonic self-gating x·σ(βx), found by automated search to match or beat ReLU in deep models; used in EfficientNet, YOLOv5 and, as the gate of swiglu, in LLaMA.",
            "Bounded below (minimum ≈ {min:4}/β at x ≈ {min_x:5}/β), unbounded above, non-zero gradient for x < 0.",
            "β interpolates between the linear x/2 (β → 0) and ReLU (β → ∞).",
        ),
        en_cons=(
            "One exp per element: more than ReLU.",
            "Frameworks fix β = 1 (SiLU); a trainable β needs custom code.",
            "Non-monotonic below x ≈ {min_x:3}/β.",
        ),
        zh_pros=(
            "光滑、非单调的自门控函数 x·σ(βx),由自动搜索发现,在深层模型中与 ReLU 相当或更好;用于 EfficientNet、YOLOv5,并作为 swiglu 的门用于 LLaMA。",
            "有下界(在 x ≈ {min_x:5}/β 处取最小值 ≈ {min:4}/β),无上界,x < 0 时梯度不为零。",
            "β 在线性函数 x/2(β → 0)与 ReLU(β → ∞)之间插值。",
        ),
        zh_cons=(
            "每个元素需一次指数运算,比 ReLU 贵。",
            "各框架都固定 β = 1(即 SiLU);可训练的 β 需要自己实现。",
            "在 x ≈ {min_x:3}/β 以下非单调。",
        ),
    ),
    equivalents={
        "torch": "nn.functional.silu / nn.SiLU (β = 1 only)",
        "jax": "jax.nn.silu = jax.nn.swish (β = 1 only)",
        "keras": "keras.activations.silu = keras.activations.swish (β = 1 only)",
    },
)

activation(
    name="mish", kernel=K + "mish",
    summary="x·tanh(softplus(x))",
    formula=F("mish(x) = x·tanh(log(1 + e^x))", r"\mathrm{mish}(x) = x\,\tanh(\log(1 + e^{x}))"),
    derivative_formula=F("mish′(x) = tanh(sp(x)) + x·sech²(sp(x))·σ(x), sp = softplus",
                         r"\mathrm{mish}'(x) = \tanh(\mathrm{sp}(x)) + x\,\mathrm{sech}^{2}(\mathrm{sp}(x))\,\sigma(x)"),
    range="[{min}, inf)", properties=props(False, "below", False, "C∞"),
    plot_range=(-5.0, 5.0), paper="Misra, 'Mish: A Self Regularized Non-Monotonic Activation Function', 2019",
    notes=notes(
        en_pros=(
            "Smooth, non-monotonic x·tanh(softplus(x)) with a minimum of ≈ {min:4} at x ≈ {min_x:4}; reported small accuracy gains over Swish and ReLU and used in YOLOv4's CSPDarknet53 backbone.",
            "Non-zero gradient for negative inputs; bounded below, unbounded above.",
        ),
        en_cons=(
            "The most expensive of the common ReLU replacements: exp, log1p and tanh per element (fused kernels help).",
            "Gains over SiLU are small and not consistent across tasks.",
        ),
        zh_pros=(
            "光滑、非单调的 x·tanh(softplus(x)),在 x ≈ {min_x:4} 处取最小值 ≈ {min:4};报告显示比 Swish、ReLU 略有精度提升,YOLOv4 的 CSPDarknet53 主干使用它。",
            "负输入有非零梯度;有下界,无上界。",
        ),
        zh_cons=(
            "常见 ReLU 替代品中计算最贵的:每个元素需要 exp、log1p 和 tanh(算子融合可缓解)。",
            "相对 SiLU 的提升很小,且在不同任务上并不稳定。",
        ),
    ),
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
    paper="Dugas, Bengio, Bélisle, Nadeau, Garcia, 'Incorporating Second-Order Functional Knowledge for Better Option Pricing', 2001",
    notes=notes(
        en_pros=(
            "A smooth (C∞) ReLU with strictly positive output: the usual map to positive parameters such as standard deviations and rates (VAE and Gaussian output heads).",
            "Its derivative is the sigmoid σ(βx), never exactly 0.",
        ),
        en_cons=(
            "exp and log1p per element; the gradient still vanishes for x → −∞.",
            "Not zero-centred: softplus(0) = log 2/β.",
            "PyTorch returns x where βx > threshold (20), an error of log(1 + e^−20)/β ≈ 2.1e-9/β; JAX and Keras have no β.",
        ),
        zh_pros=(
            "光滑(C∞)的 ReLU,输出严格为正:常用于把输出映射为正参数,如标准差、速率(VAE、高斯输出头)。",
            "导数是 sigmoid σ(βx),永远不会恰为 0。",
        ),
        zh_cons=(
            "每个元素需 exp 和 log1p;x → −∞ 时梯度仍会消失。",
            "输出非零均值:softplus(0) = log 2/β。",
            "PyTorch 在 βx > threshold(20)时直接返回 x,误差为 log(1 + e^−20)/β ≈ 2.1e-9/β;JAX 和 Keras 没有 β 参数。",
        ),
    ),
    equivalents={
        "torch": "nn.functional.softplus(beta=1.0, threshold=20.0) / nn.Softplus: returns x where βx > 20",
        "jax": "jax.nn.softplus (no β)",
        "keras": "keras.activations.softplus (no β)",
    },
)

activation(
    name="squareplus", kernel=K + "squareplus",
    params=(_positive("b", 4.0, "smoothness b > 0 (curvature at 0)"),),
    summary="(x + √(x² + b))/2, an algebraic softplus",
    formula=F("squareplus(x) = (x + √(x² + b)) / 2", r"\mathrm{squareplus}(x) = \frac{x + \sqrt{x^{2} + b}}{2}"),
    derivative_formula=F("squareplus′(x) = (1 + x/√(x² + b)) / 2", r"\mathrm{squareplus}'(x) = \frac{1}{2}\left(1 + \frac{x}{\sqrt{x^{2} + b}}\right)"),
    range="(0, inf)", properties=props(True, "below", False, "C∞"),
    plot_range=(-5.0, 5.0), paper="Barron, 'Squareplus: A Softplus-Like Algebraic Rectifier', 2021",
    notes=notes(
        en_pros=(
            "Softplus-like with only a square root: (x + √(x² + b))/2 needs no exp or log and cannot overflow.",
            "b sets the curvature at 0: b → 0 gives ReLU; squareplus(0) = √b/2.",
        ),
        en_cons=(
            "Decays to 0 only like b/(4|x|) for x → −∞, much slower than softplus' e^x: negative inputs keep small positive outputs.",
            "Recent (2021) and little used; PyTorch has no built-in.",
        ),
        zh_pros=(
            "类似 softplus,但只需一次开方:(x + √(x² + b))/2 无需 exp 或 log,也不会溢出。",
            "b 决定 0 处的曲率:b → 0 即为 ReLU;squareplus(0) = √b/2。",
        ),
        zh_cons=(
            "x → −∞ 时只按 b/(4|x|) 趋于 0,比 softplus 的 e^x 慢得多:负输入仍有小的正输出。",
            "较新(2021 年),用得很少;PyTorch 没有内置实现。",
        ),
    ),
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
    plot_range=(-3.0, 3.0), paper="Blondel, Martins, Niculae, 'Learning with Fenchel-Young Losses', 2019 (the sparse counterpart of softplus)",
    notes=notes(
        en_pros=(
            "Exactly 0 for x ≤ −1 and exactly x for x ≥ 1, smooth (C¹) in between: ReLU's sparsity without its kink.",
            "A polynomial, so cheap; its derivative is sparse_sigmoid.",
        ),
        en_cons=(
            "Zero gradient for x ≤ −1 (a dead region, as in ReLU).",
            "The second derivative jumps at ±1; no PyTorch built-in, little adoption.",
        ),
        zh_pros=(
            "x ≤ −1 时恰为 0,x ≥ 1 时恰为 x,中间光滑(C¹):有 ReLU 的稀疏性而没有折点。",
            "是多项式,计算便宜;导数是 sparse_sigmoid。",
        ),
        zh_cons=(
            "x ≤ −1 时梯度为零(与 ReLU 一样有“死区”)。",
            "二阶导数在 ±1 处跳变;PyTorch 没有内置实现,使用很少。",
        ),
    ),
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
    see_also=("tanh", "relu6"),
    notes=notes(
        en_pros=(
            "Clips x to [min_val, max_val] (default ±1): a cheap, bounded, zero-centred activation; the straight-through estimator of binarised networks uses its gradient.",
            "Gradient exactly 1 inside the interval.",
        ),
        en_cons=(
            "Zero gradient outside the interval: saturated units stop learning.",
            "Only C⁰; JAX's and Keras's hard_tanh have fixed bounds ±1, and JAX's derivative at ±1 is 1 where PyTorch (and actloss) give 0.",
        ),
        zh_pros=(
            "把 x 截断到 [min_val, max_val](默认 ±1):便宜、有界、以零为中心;二值化网络的直通估计器(STE)用的就是它的梯度。",
            "区间内梯度恰为 1。",
        ),
        zh_cons=(
            "区间外梯度为零:饱和单元停止学习。",
            "仅 C⁰;JAX 和 Keras 的 hard_tanh 边界固定为 ±1,且 JAX 在 ±1 处的导数为 1,而 PyTorch(及 actloss)取 0。",
        ),
    ),
    equivalents={
        "torch": "nn.functional.hardtanh(min_val=-1.0, max_val=1.0) / nn.Hardtanh; derivative 0 at both bounds",
        "jax": "jax.nn.hard_tanh: bounds fixed at ±1, derivative 1 at x = ±1",
        "keras": "keras.activations.hard_tanh (bounds fixed at ±1; on the JAX backend the derivative at x = ±1 is 1, as in JAX)",
    },
)

activation(
    name="hardswish", aliases=("hard_swish", "hard_silu", "hardsilu"), kernel=K + "hardswish",
    summary="x·relu6(x+3)/6",
    formula=F("hardswish(x) = 0 for x ≤ −3, x(x + 3)/6 for −3 < x < 3, x for x ≥ 3",
              r"\mathrm{hardswish}(x) = x\,\frac{\min(\max(x + 3,\ 0),\ 6)}{6}"),
    derivative_formula=F("hardswish′(x) = 0 for x ≤ −3, (2x + 3)/6 for −3 < x < 3, 1 for x ≥ 3",
                         r"\mathrm{hardswish}'(x) = 0\ (x \leq -3),\ \frac{2x + 3}{6}\ (|x| < 3),\ 1\ (x \geq 3)"),
    range="[{min}, inf)", properties=props(False, "below", False, "C⁰"),
    kinks=lambda p: [(-3.0, 0.0), (3.0, 1.0)], kink_note="hardswish′(−3) = 0, hardswish′(3) = 1 and hardswish″(±3) = 0, as PyTorch",
    plot_range=(-5.0, 5.0), paper="Howard et al., 'Searching for MobileNetV3', 2019",
    notes=notes(
        en_pros=(
            "A piecewise approximation of swish, x·relu6(x + 3)/6, with no exp: fast on mobile CPUs and friendly to quantisation; MobileNetV3 uses it in place of swish in its deeper layers.",
            "Non-zero gradient on (−3, 0); bounded below (minimum {min} at x = {min_x}).",
        ),
        en_cons=(
            "Zero output and zero gradient for x ≤ −3.",
            "Only C⁰: the derivative jumps at −3 (from 0 to −1/2) and at 3 (from 3/2 to 1).",
            "Non-monotonic on (−3, −1.5).",
        ),
        zh_pros=(
            "swish 的分段近似 x·relu6(x + 3)/6,无需指数运算:在移动端 CPU 上快,且便于量化;MobileNetV3 在较深的层中用它代替 swish。",
            "在 (−3, 0) 上梯度不为零;有下界(在 x = {min_x} 处取最小值 {min})。",
        ),
        zh_cons=(
            "x ≤ −3 时输出和梯度都为零。",
            "仅 C⁰:导数在 −3 处从 0 跳到 −1/2,在 3 处从 3/2 跳到 1。",
            "在 (−3, −1.5) 上非单调。",
        ),
    ),
    equivalents={
        "torch": "nn.functional.hardswish / nn.Hardswish",
        "jax": "jax.nn.hard_swish = jax.nn.hard_silu",
        "keras": "keras.activations.hard_silu = keras.activations.hard_swish",
    },
)

activation(
    name="tanhshrink", kernel=K + "tanhshrink",
    summary="x − tanh(x)",
    formula=F("tanhshrink(x) = x − tanh(x)", r"\mathrm{tanhshrink}(x) = x - \tanh(x)"),
    derivative_formula=F("tanhshrink′(x) = tanh(x)²", r"\mathrm{tanhshrink}'(x) = \tanh^{2}(x)"),
    range="(-inf, inf)", properties=props(True, "no", True, "C∞"),
    plot_range=(-4.0, 4.0),
    notes=notes(
        en_pros=(
            "x − tanh(x) is smooth, odd, monotonic and zero-centred: about x³/3 near 0 (small inputs shrink strongly) and x ∓ 1 for large |x|; a smooth alternative to softshrink.",
        ),
        en_cons=(
            "Its derivative tanh²(x) ≈ x² vanishes near 0: small inputs get almost no gradient.",
            "Rarely used; JAX has no built-in.",
        ),
        zh_pros=(
            "x − tanh(x) 光滑、奇对称、单调且以零为中心:0 附近约为 x³/3(小输入被强烈压缩),|x| 很大时约为 x ∓ 1;是 softshrink 的光滑替代。",
        ),
        zh_cons=(
            "导数 tanh²(x) ≈ x² 在 0 附近趋于零:小输入几乎得不到梯度。",
            "很少使用;JAX 没有内置实现。",
        ),
    ),
    equivalents={"torch": "nn.functional.tanhshrink", "jax": "none", "keras": "keras.activations.tanh_shrink"},
)

activation(
    name="softshrink", aliases=("soft_shrink",), kernel=K + "softshrink",
    params=(Param("lambd", 0.5, "half-width λ ≥ 0 of the dead zone", low=0.0, aliases=("lambda",)),),
    summary="x − λ for x > λ, x + λ for x < −λ, else 0",
    formula=F("softshrink(x) = x − λ for x > λ, x + λ for x < −λ, 0 otherwise", r"\mathrm{softshrink}(x) = \mathrm{sign}(x)\max(|x| - \lambda,\ 0)"),
    derivative_formula=F("softshrink′(x) = 1 for |x| > λ, else 0", r"\mathrm{softshrink}'(x) = 1\ (|x| > \lambda),\ 0\ \mathrm{otherwise}"),
    range="(-inf, inf)", properties=props(True, "no", True, "C⁰"),
    kinks=lambda p: [(-p["lambd"], 0.0), (p["lambd"], 0.0)], kink_note="softshrink′(±λ) = 0, as PyTorch",
    plot_range=(-3.0, 3.0),
    paper="Donoho, 'De-noising by Soft-Thresholding', 1995",
    notes=notes(
        en_pros=(
            "Soft thresholding, the proximal operator of λ‖x‖₁: the core step of ISTA/LISTA sparse coding and of wavelet denoising; exact zeros for |x| ≤ λ.",
            "Continuous, odd, monotonic, zero-centred.",
        ),
        en_cons=(
            "Zero gradient inside the dead zone [−λ, λ]; kinks at ±λ.",
            "Shrinks large values towards zero by λ (a bias); JAX has no built-in, and Keras calls λ 'threshold'.",
        ),
        zh_pros=(
            "软阈值,即 λ‖x‖₁ 的近端算子:ISTA/LISTA 稀疏编码和小波去噪的核心步骤;|x| ≤ λ 时输出恰为 0。",
            "连续、奇对称、单调、以零为中心。",
        ),
        zh_cons=(
            "死区 [−λ, λ] 内梯度为零;±λ 处有折点。",
            "大的值也会被向零收缩 λ(带来偏差);JAX 没有内置实现,Keras 把 λ 叫作 threshold。",
        ),
    ),
    equivalents={
        "torch": "nn.functional.softshrink(lambd=0.5) / nn.Softshrink",
        "jax": "none",
        "keras": "keras.activations.soft_shrink(threshold=0.5) (λ is called threshold)",
    },
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
    notes=notes(
        en_pros=(
            "Hard thresholding: keeps x where |x| > λ and zeroes the rest, as in ℓ0-penalised sparse coding; unlike softshrink it leaves large values unbiased.",
            "Exact zeros: sparse outputs.",
        ),
        en_cons=(
            "Discontinuous at ±λ (a jump of λ): a tiny change of input can switch the output; zero gradient in the dead zone.",
            "JAX has no built-in; Keras calls λ 'threshold'.",
        ),
        zh_pros=(
            "硬阈值:保留 |x| > λ 的 x,其余置零,与 ℓ0 正则的稀疏编码相同;与 softshrink 不同,大的值不被收缩,没有偏差。",
            "输出恰为零:得到稀疏输出。",
        ),
        zh_cons=(
            "在 ±λ 处不连续(跳变 λ):输入的微小变化即可改变输出;死区内梯度为零。",
            "JAX 没有内置实现;Keras 把 λ 叫作 threshold。",
        ),
    ),
    equivalents={
        "torch": "nn.functional.hardshrink(lambd=0.5) / nn.Hardshrink",
        "jax": "none",
        "keras": "keras.activations.hard_shrink(threshold=0.5) (λ is called threshold)",
    },
)

activation(
    name="identity", aliases=("linear",), kernel=K + "identity",
    summary="x",
    formula=F("identity(x) = x", r"\mathrm{identity}(x) = x"),
    derivative_formula=F("identity′(x) = 1", r"\mathrm{identity}'(x) = 1"),
    range="(-inf, inf)", properties=props(True, "no", True, "C∞"),
    plot_range=(-5.0, 5.0),
    notes=notes(
        en_pros=(
            "No non-linearity: the output layer of regression, and the activation wherever a layer must stay linear (logits handed to a loss that applies softmax or sigmoid itself, linear projections).",
            "Gradient exactly 1 everywhere, free to compute.",
        ),
        en_cons=(
            "A stack of linear layers is one linear map: as the only activation of a deep network it cannot represent non-linear functions.",
            "Unbounded output.",
        ),
        zh_pros=(
            "不引入非线性:回归任务的输出层,以及任何需要保持线性的层(把 logits 交给自带 softmax 或 sigmoid 的损失函数、线性投影)。",
            "处处梯度恰为 1,计算零开销。",
        ),
        zh_cons=(
            "多层线性层叠加仍是一个线性映射:若深层网络只用它作激活函数,就无法表示非线性函数。",
            "输出无界。",
        ),
    ),
    equivalents={
        "torch": "nn.Identity",
        "jax": "jax.nn.identity",
        "keras": "keras.activations.linear",
    },
)

# ---------------------------------------------------------------------------
# vector functions: softmax family
# ---------------------------------------------------------------------------

_TEMPERATURE = _positive("temperature", 1.0, "temperature T > 0: the input is divided by T", aliases=("t",))

activation(
    name="squared_relu", aliases=("relu_squared", "relu2", "squared_relu_primer"), kernel=K + "squared_relu",
    summary="relu(x)² = max(0, x)²",
    formula=F("squared_relu(x) = max(0, x)²", r"\mathrm{squared\_relu}(x) = \max(0,\ x)^{2}"),
    derivative_formula=F("squared_relu′(x) = 2·max(0, x)", r"\mathrm{squared\_relu}'(x) = 2\max(0,\ x)"),
    range="[0, inf)", properties=props(True, "below", False, "C¹"),
    kinks=lambda p: [(0.0, 0.0)], kink_note="squared_relu′(0) = 0 (the derivative is continuous there); f(−0.0) = +0.0, as PyTorch",
    plot_range=(-2.0, 2.0),
    paper="So, Mańke, Liu, Dai, Shazeer, Le, 'Primer: Searching for Efficient Transformers for Language Modeling', NeurIPS 2021",
    see_also=("relu", "gelu"),
    notes=notes(
        en_pros=(
            "Found by architecture search for Transformer feed-forward layers (Primer): it reached the quality of GELU or ReLU with less training compute.",
            "Cheap: a comparison and a multiplication; once differentiable (C¹), unlike ReLU.",
            "Sparse like ReLU: exactly 0 for every x ≤ 0.",
        ),
        en_cons=(
            "Grows like x²: large pre-activations become very large (overflow in float16 beyond x ≈ 256, in bfloat16 and float32 beyond 1.8e19), so it needs normalisation around it.",
            "Dead units as with ReLU: zero gradient for every x < 0.",
            "The gradient 2x is small near 0, so small positive inputs learn slowly.",
        ),
        zh_pros=(
            "通过架构搜索为 Transformer 前馈层找到的激活函数(Primer):以更少的训练计算量达到 GELU 或 ReLU 的效果。",
            "计算便宜:一次比较加一次乘法;与 ReLU 不同,它一阶连续可导(C¹)。",
            "与 ReLU 一样稀疏:所有 x ≤ 0 时恰为 0。",
        ),
        zh_cons=(
            "按 x² 增长:较大的输入会变得非常大(float16 在 x ≈ 256 以上溢出,bfloat16 与 float32 在 1.8e19 以上溢出),需要配合归一化。",
            "与 ReLU 一样有神经元死亡:x < 0 时梯度为零。",
            "在 0 附近梯度 2x 很小,小的正输入学习缓慢。",
        ),
    ),
    corrections={
        "en": ("Common mistake: squaring before the ReLU (relu(x²) = x²) instead of after; the Primer activation is relu(x)².",),
        "zh": ("常见错误:先平方再取 ReLU(relu(x²) = x²),而不是先 ReLU 再平方;Primer 的激活函数是 relu(x)²。",),
    },
    equivalents={
        "torch": "torch.square(F.relu(x)) (no built-in; relu(x) ** 2 gives the same numbers and signed zeros)",
        "jax": "jnp.square(jax.nn.relu(x))",
        "keras": "keras.ops.square(keras.activations.relu(x))",
    },
)

activation(
    name="softcap", aliases=("soft_cap", "logit_softcap", "tanh_softcap"), kernel=K + "softcap",
    params=(Param("cap", 30.0, "c: the outputs stay inside (−c, c) (Gemma 2: 30 for the final logits, 50 for attention scores)",
                  low=0.0, low_open=True),),
    summary="c·tanh(x/c): logit soft-capping, ≈ x for |x| ≪ c, never beyond ±c",
    formula=F("softcap(x) = c·tanh(x/c)", r"\mathrm{softcap}(x) = c\,\tanh(x / c)"),
    derivative_formula=F("softcap′(x) = sech²(x/c) = 1 − tanh²(x/c)", r"\mathrm{softcap}'(x) = \mathrm{sech}^{2}(x / c)"),
    range="(-cap, cap)", properties=props(True, "both", True, "C∞"),
    plot_range=(-100.0, 100.0),
    paper="Gemma Team, 'Gemma 2: Improving Open Language Models at a Practical Size', 2024 (logit soft-capping; earlier Bello et al., 2016)",
    see_also=("tanh", "hardtanh"),
    notes=notes(
        en_pros=(
            "Keeps logits in (−c, c) smoothly: the identity for |x| ≪ c, so ordinary logits pass almost unchanged while outliers cannot blow up the softmax.",
            "Stabilises training of large language models (Gemma 2 caps the final logits at 30 and the attention scores at 50).",
            "Smooth and monotonic, with derivative 1 at 0.",
        ),
        en_cons=(
            "Saturates for |x| ≫ c: the gradient sech²(x/c) vanishes, so capped logits stop learning.",
            "One more hyperparameter, in the unit of the logits; the right c depends on their scale.",
            "Incompatible with fused attention kernels that do not allow a score modification (it was dropped at inference in some Gemma 2 ports for that reason).",
        ),
        zh_pros=(
            "平滑地把 logits 限制在 (−c, c) 内:|x| ≪ c 时近似恒等,普通 logits 几乎不变,离群值也无法让 softmax 爆炸。",
            "稳定大语言模型的训练(Gemma 2 把最终 logits 限制在 30、注意力得分限制在 50)。",
            "光滑且单调,在 0 处导数为 1。",
        ),
        zh_cons=(
            "|x| ≫ c 时饱和:梯度 sech²(x/c) 趋于零,被限制的 logits 不再学习。",
            "多一个超参数,与 logits 同单位;合适的 c 取决于 logits 的尺度。",
            "与不支持修改得分的融合注意力内核不兼容(部分 Gemma 2 移植因此在推理时去掉了它)。",
        ),
    ),
    corrections={
        "en": ("Common mistake: tanh(x)·c or tanh(x/c) alone: the first caps at c but distorts every logit beyond |x| ≈ 1, the second squeezes them into (−1, 1); softcapping is c·tanh(x/c).",),
        "zh": ("常见错误:写成 tanh(x)·c 或只写 tanh(x/c):前者虽以 c 为界,但 |x| 超过约 1 的 logits 都被扭曲,后者把它们压进 (−1, 1);软上限是 c·tanh(x/c)。",),
    },
    equivalents={
        "torch": "cap * torch.tanh(x / cap) (no built-in; FlexAttention score_mod examples use the same formula)",
        "jax": "cap * jnp.tanh(x / cap) (as in the Gemma reference implementation)",
        "keras": "cap * keras.ops.tanh(x / cap) (keras_hub's Gemma 2 backbone, final_logit_soft_cap = 30)",
    },
)

activation(
    name="softmax", kernel=V + "softmax", shape="vector", params=(_TEMPERATURE,),
    summary="e^(x_i/T) / Σ_j e^(x_j/T) over each vector",
    formula=F("softmax(x)_i = e^(x_i/T) / Σ_j e^(x_j/T)", r"\mathrm{softmax}(x)_i = \frac{e^{x_i/T}}{\sum_j e^{x_j/T}}"),
    derivative_formula=F("∂s_i/∂x_j = s_i(δ_ij − s_j)/T", r"\frac{\partial s_i}{\partial x_j} = \frac{s_i(\delta_{ij} - s_j)}{T}"),
    range="(0, 1), each vector sums to 1", properties=props("no (vector)", "both", False, "C∞", sums_to_one=True),
    plot_range=(-6.0, 6.0),
    paper="Bridle, 'Probabilistic Interpretation of Feedforward Classification Network Outputs, with Relationships to Statistical Pattern Recognition', 1990",
    notes=notes(
        en_pros=(
            "Turns scores into a probability distribution (positive, summing to 1) that keeps their order: the output of mutually exclusive multi-class classification and the attention weights of Transformers.",
            "Unchanged by adding one constant to every input, so subtracting the maximum first is exact and avoids overflow; the temperature T sharpens (T < 1) or flattens (T > 1) the distribution.",
            "With cross-entropy the gradient with respect to the logits is simply p − y.",
        ),
        en_cons=(
            "Saturates when one input dominates: the Jacobian s_i(δ_ij − s_j)/T goes to 0, so pair it with log-softmax and cross-entropy rather than a loss on the probabilities.",
            "Never exactly zero (dense attention); an exp per element and a reduction over the whole vector.",
            "Computed literally as in the definition, e^x overflows for x > 709.78 in float64 (88.72 in float32): implementations subtract max x first.",
        ),
        zh_pros=(
            "把得分变成保持大小顺序的概率分布(为正、和为 1):互斥多分类的输出层,以及 Transformer 的注意力权重。",
            "所有输入加同一常数结果不变,因此先减去最大值既精确又不会溢出;温度 T 可使分布更尖锐(T < 1)或更平缓(T > 1)。",
            "与交叉熵配合时,对 logits 的梯度就是 p − y。",
        ),
        zh_cons=(
            "某个输入占绝对优势时饱和:雅可比矩阵 s_i(δ_ij − s_j)/T 趋于 0,因此应配合 log-softmax 与交叉熵,而不是对概率直接算损失。",
            "输出永远不会恰为 0(注意力是稠密的);每个元素一次指数运算,还要对整个向量求和。",
            "按定义直接计算时,e^x 在 x > 709.78(float64)或 88.72(float32)时溢出:实现中会先减去 max x。",
        ),
    ),
    equivalents={
        "torch": "nn.functional.softmax(input, dim) / nn.Softmax(dim): give dim, the implicit choice is deprecated; no temperature (divide the input by T)",
        "jax": "jax.nn.softmax(x, axis=-1); no temperature",
        "keras": "keras.activations.softmax(x, axis=-1); no temperature",
    },
)

activation(
    name="log_softmax", aliases=("logsoftmax",), kernel=V + "log_softmax", shape="vector", params=(_TEMPERATURE,),
    summary="log of softmax, x_i/T − logΣ_j e^(x_j/T)",
    formula=F("log_softmax(x)_i = x_i/T − log Σ_j e^(x_j/T)", r"\mathrm{log\_softmax}(x)_i = \frac{x_i}{T} - \log\sum_j e^{x_j/T}"),
    derivative_formula=F("∂y_i/∂x_j = (δ_ij − s_j)/T", r"\frac{\partial y_i}{\partial x_j} = \frac{\delta_{ij} - s_j}{T}"),
    range="(-inf, 0)", properties=props("no (vector)", "above", False, "C∞"),
    plot_range=(-6.0, 6.0),
    notes=notes(
        en_pros=(
            "Exact log-probabilities x_i − logsumexp(x): no log(0) = −inf when a probability underflows, unlike log(softmax(x)).",
            "With the negative log-likelihood it is cross-entropy: PyTorch's CrossEntropyLoss is log_softmax followed by NLLLoss.",
        ),
        en_cons=(
            "The outputs are log-probabilities (≤ 0), not probabilities: exponentiate to get those.",
            "An exp per element and a log per vector; like softmax it needs the whole vector.",
        ),
        zh_pros=(
            "精确的对数概率 x_i − logsumexp(x):某个概率下溢时也不会出现 log(0) = −inf,而 log(softmax(x)) 会。",
            "与负对数似然结合即为交叉熵:PyTorch 的 CrossEntropyLoss 就是 log_softmax 加 NLLLoss。",
        ),
        zh_cons=(
            "输出是对数概率(≤ 0)而非概率:需要取指数才能得到概率。",
            "每个元素一次指数运算、每个向量一次对数运算;与 softmax 一样需要整个向量。",
        ),
    ),
    equivalents={
        "torch": "nn.functional.log_softmax(input, dim) / nn.LogSoftmax(dim)",
        "jax": "jax.nn.log_softmax(x, axis=-1)",
        "keras": "keras.activations.log_softmax(x, axis=-1)",
    },
)

activation(
    name="softmin", kernel=V + "softmin", shape="vector", params=(_TEMPERATURE,),
    summary="softmax(−x/T)",
    formula=F("softmin(x)_i = e^(−x_i/T) / Σ_j e^(−x_j/T)", r"\mathrm{softmin}(x)_i = \frac{e^{-x_i/T}}{\sum_j e^{-x_j/T}}"),
    derivative_formula=F("∂s_i/∂x_j = −s_i(δ_ij − s_j)/T", r"\frac{\partial s_i}{\partial x_j} = -\frac{s_i(\delta_{ij} - s_j)}{T}"),
    range="(0, 1), each vector sums to 1", properties=props("no (vector)", "both", False, "C∞", sums_to_one=True),
    plot_range=(-6.0, 6.0),
    notes=notes(
        en_pros=(
            "softmax(−x/T): a probability distribution that favours the smallest inputs, for soft selection of the lowest cost or the nearest prototype.",
        ),
        en_cons=(
            "Just softmax of −x: the same saturation and cost; only PyTorch has a built-in.",
        ),
        zh_pros=(
            "softmax(−x/T):偏向最小输入的概率分布,可用于软性选择代价最小者或最近的原型。",
        ),
        zh_cons=(
            "只是 −x 的 softmax:饱和问题与计算代价相同;只有 PyTorch 有内置实现。",
        ),
    ),
    equivalents={"torch": "nn.functional.softmin(dim=-1)", "jax": "none (jax.nn.softmax(-x))", "keras": "none"},
)

activation(
    name="logsumexp", aliases=("log_sum_exp", "lse", "smooth_max"), kernel=V + "logsumexp", shape="vector",
    params=(_TEMPERATURE,),
    summary="T·log Σ_i e^(x_i/T): one number per vector, a smooth maximum; its gradient is the softmax",
    formula=F("logsumexp(x) = T·log Σ_i e^(x_i/T) (one number per vector)",
              r"\mathrm{logsumexp}(x) = T\log\sum_i e^{x_i/T}"),
    derivative_formula=F("∂ logsumexp/∂x_j = softmax(x/T)_j (a 1 × n Jacobian)",
                         r"\frac{\partial\,\mathrm{logsumexp}}{\partial x_j} = \mathrm{softmax}(x/T)_j"),
    range="[max x, max x + T·log n] for each vector", properties=props("yes, in every entry", "no", False, "C∞", convex=True),
    plot_range=(-6.0, 6.0),
    see_also=("softmax", "log_softmax"),
    notes=notes(
        en_pros=(
            "A smooth, convex upper bound of the maximum: max x ≤ logsumexp(x) ≤ max x + T·log n, tighter as T → 0.",
            "The normaliser of softmax and the cross-entropy: log_softmax(x) = x − logsumexp(x), and the gradient is the softmax itself.",
            "Computed as max x + log Σ e^(x_i − max x) it never overflows, however large the inputs.",
        ),
        en_cons=(
            "Written literally, e^x overflows for x > 709.78 in float64 (88.72 in float32) and underflows to log 0 = −∞ for very negative rows.",
            "Its output has one number per vector, not one per entry: keep the reduced axis in mind when broadcasting (PyTorch's keepdim).",
            "Over-estimates the maximum by up to T·log n, which grows with the vector's length.",
        ),
        zh_pros=(
            "最大值的光滑凸上界:max x ≤ logsumexp(x) ≤ max x + T·log n,T → 0 时越来越紧。",
            "softmax 与交叉熵的归一化项:log_softmax(x) = x − logsumexp(x),其梯度就是 softmax。",
            "按 max x + log Σ e^(x_i − max x) 计算,无论输入多大都不会溢出。",
        ),
        zh_cons=(
            "按定义直接计算时,e^x 在 x > 709.78(float64)或 88.72(float32)时溢出,很负的向量则下溢为 log 0 = −∞。",
            "每个向量只输出一个数,而不是每个元素一个:广播时要注意被约简的轴(PyTorch 的 keepdim)。",
            "对最大值的高估最多为 T·log n,随向量长度增长。",
        ),
    ),
    corrections={
        "en": ("Common mistake: log(sum(exp(x))) computed directly, which overflows; subtract the maximum first (torch.logsumexp does).",),
        "zh": ("常见错误:直接计算 log(sum(exp(x))),会溢出;应先减去最大值(torch.logsumexp 就是这样做的)。",),
    },
    equivalents={
        "torch": "torch.logsumexp(input, dim, keepdim=False) (no temperature: T·torch.logsumexp(x / T, dim))",
        "jax": "jax.nn.logsumexp(x, axis=-1) (jax.scipy.special.logsumexp; no temperature)",
        "keras": "keras.ops.logsumexp(x, axis=-1) (no temperature)",
    },
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
    notes=notes(
        en_pros=(
            "The Euclidean projection onto the probability simplex: a distribution that can hold exact zeros, for sparse, easier-to-read attention and multi-label outputs.",
            "Piecewise linear with a simple Jacobian, (δ_ij − 1/|S|)/T on the support S: cheap to backpropagate.",
        ),
        en_cons=(
            "Finding the threshold τ needs a sort (O(n log n)) or a selection: slower than softmax on accelerators.",
            "Inputs outside the support get zero gradient, and log 0 rules out cross-entropy: train it with the sparsemax loss. Only C⁰.",
            "No built-in in PyTorch or JAX.",
        ),
        zh_pros=(
            "到概率单纯形上的欧氏投影:得到的分布可以含有精确的零,使注意力和多标签输出稀疏、更易解读。",
            "分段线性,雅可比矩阵简单:在支撑集 S 上为 (δ_ij − 1/|S|)/T,反向传播开销小。",
        ),
        zh_cons=(
            "求阈值 τ 需要排序(O(n log n))或选择算法:在加速器上比 softmax 慢。",
            "支撑集以外的输入梯度为零,且 log 0 使交叉熵无法使用:应配合 sparsemax 损失训练。仅 C⁰ 连续。",
            "PyTorch 和 JAX 都没有内置实现。",
        ),
    ),
    equivalents={
        "torch": "none",
        "jax": "none (jax.nn has sparse_plus and sparse_sigmoid, not sparsemax)",
        "keras": "keras.activations.sparsemax(x, axis=-1) / keras.ops.sparsemax; in Keras 3.15 on the JAX backend its threshold adds up the running sums over the support, so whenever two or more entries are non-zero the rows do not sum to 1",
    },
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
    notes=notes(
        en_pros=(
            "The gated linear unit a ⊗ σ(b) learns what to let through while keeping a linear path for the gradient (∂/∂a = σ(b)): the basis of gated convolutional language models.",
            "The parent of the GLU variants (reglu, geglu, swiglu) in Transformer feed-forward layers.",
        ),
        en_cons=(
            "Halves the last dimension: the projection before it must be twice as wide (twice the parameters for the same output width).",
            "The sigmoid gate saturates; one exp per output.",
        ),
        zh_pros=(
            "门控线性单元 a ⊗ σ(b) 学习让哪些信息通过,同时为梯度保留线性通路(∂/∂a = σ(b)):门控卷积语言模型的基础。",
            "Transformer 前馈层中 GLU 变体(reglu、geglu、swiglu)的原型。",
        ),
        zh_cons=(
            "最后一维减半:前面的投影层必须加宽一倍(输出宽度相同时参数翻倍)。",
            "sigmoid 门会饱和;每个输出需一次指数运算。",
        ),
    ),
    equivalents={
        "torch": "nn.functional.glu(input, dim=-1) / nn.GLU: first half ⊗ σ(second half), as actloss",
        "jax": "jax.nn.glu(x, axis=-1): first half ⊗ σ(second half)",
        "keras": "keras.activations.glu(x, axis=-1): first half ⊗ σ(second half)",
    },
)

activation(
    name="reglu", kernel=V + "reglu", shape="glu",
    summary="a ⊗ relu(b) for x = [a, b]",
    formula=F("reglu([a, b]) = a ⊗ max(0, b)", r"\mathrm{reglu}([a, b]) = a \otimes \max(0,\ b)"),
    derivative_formula=F("∂/∂a_i = relu(b_i), ∂/∂b_i = a_i·relu′(b_i)", r"\frac{\partial y_i}{\partial a_i} = \mathrm{relu}(b_i),\ \frac{\partial y_i}{\partial b_i} = a_i\,\mathrm{relu}'(b_i)"),
    range="(-inf, inf)", properties=props("no (vector)", "no", False, "C⁰"),
    plot_range=(-6.0, 6.0), paper=_GLU_VARIANTS,
    notes=notes(
        en_pros=(
            "A ReLU gate, the cheapest GLU variant; in Shazeer's Transformer experiments a ReGLU feed-forward layer beat the plain ReLU layer at equal compute.",
        ),
        en_cons=(
            "The gate is exactly 0 for b ≤ 0: dead gates, as in dying ReLU; a kink at b = 0.",
            "Twice the projection width; slightly behind geglu and swiglu in Shazeer's results; no framework built-in.",
        ),
        zh_pros=(
            "ReLU 门,最便宜的 GLU 变体;在 Shazeer 的 Transformer 实验中,计算量相同时 ReGLU 前馈层优于普通 ReLU 前馈层。",
        ),
        zh_cons=(
            "b ≤ 0 时门恰为 0:与 ReLU 神经元死亡类似,门会“死掉”;b = 0 处有折点。",
            "投影宽度加倍;在 Shazeer 的结果中略逊于 geglu 和 swiglu;各框架均无内置实现。",
        ),
    ),
    equivalents={
        "torch": "none (a * F.relu(b) on the two halves of one projection)",
        "jax": "none",
        "keras": "none",
    },
)

activation(
    name="geglu", kernel=V + "geglu", shape="glu",
    params=(Param("approximate", "none", "'none' for the exact GELU gate, 'tanh' for its approximation", choices=("none", "tanh")),),
    summary="a ⊗ gelu(b) for x = [a, b]",
    formula=F("geglu([a, b]) = a ⊗ gelu(b)", r"\mathrm{geglu}([a, b]) = a \otimes \mathrm{gelu}(b)"),
    derivative_formula=F("∂/∂a_i = gelu(b_i), ∂/∂b_i = a_i·gelu′(b_i)", r"\frac{\partial y_i}{\partial a_i} = \mathrm{gelu}(b_i),\ \frac{\partial y_i}{\partial b_i} = a_i\,\mathrm{gelu}'(b_i)"),
    range="(-inf, inf)", properties=props("no (vector)", "no", False, "C∞"),
    plot_range=(-6.0, 6.0), paper=_GLU_VARIANTS,
    notes=notes(
        en_pros=(
            "A GELU gate: with swiglu the best feed-forward variant in Shazeer 2020; used by T5 v1.1 and Gemma.",
            "Smooth, with non-zero gradient for negative gate inputs.",
        ),
        en_cons=(
            "The cost of GELU per output on top of the doubled projection, and GELU's exact-or-tanh question carries over (Gemma uses the tanh form).",
            "No framework built-in.",
        ),
        zh_pros=(
            "GELU 门:在 Shazeer 2020 中与 swiglu 并列最佳的前馈层变体;T5 v1.1 和 Gemma 使用它。",
            "光滑,门输入为负时梯度仍不为零。",
        ),
        zh_cons=(
            "在投影加倍之外,每个输出还要付出 GELU 的计算代价,且 GELU 用精确形式还是 tanh 近似的问题依然存在(Gemma 用 tanh 形式)。",
            "各框架均无内置实现。",
        ),
    ),
    equivalents={
        "torch": "none (a * F.gelu(b) on the two halves of one projection)",
        "jax": "none",
        "keras": "none",
    },
)

activation(
    name="swiglu", kernel=V + "swiglu", shape="glu",
    params=(Param("beta", 1.0, "β of the Swish gate (β = 1 is SiLU)"),),
    summary="a ⊗ swish(b) for x = [a, b] (Shazeer 2020)",
    formula=F("swiglu([a, b]) = a ⊗ (b·σ(βb))", r"\mathrm{swiglu}([a, b]) = a \otimes b\,\sigma(\beta b)"),
    derivative_formula=F("∂/∂a_i = silu(b_i), ∂/∂b_i = a_i·silu′(b_i)", r"\frac{\partial y_i}{\partial a_i} = \mathrm{silu}(b_i),\ \frac{\partial y_i}{\partial b_i} = a_i\,\mathrm{silu}'(b_i)"),
    range="(-inf, inf)", properties=props("no (vector)", "no", False, "C∞"),
    plot_range=(-6.0, 6.0), paper=_GLU_VARIANTS,
    notes=notes(
        en_pros=(
            "A Swish (SiLU) gate a ⊗ silu(b): the feed-forward layer of LLaMA, PaLM, Mistral and most recent large language models; in Shazeer 2020 it tied with geglu as the best variant.",
            "Smooth, with non-zero gradient for negative gate inputs; with the hidden width scaled by 2/3 (8d/3 in LLaMA) it has the parameter count of a 4d ReLU feed-forward layer.",
        ),
        en_cons=(
            "Three weight matrices in the feed-forward layer instead of two, and memory for the doubled activation.",
            "No built-in in PyTorch, JAX or Keras, and implementations differ in which half of a fused projection is the gate (actloss and F.glu: value first, gate second).",
        ),
        zh_pros=(
            "Swish(SiLU)门 a ⊗ silu(b):LLaMA、PaLM、Mistral 及大多数近期大语言模型的前馈层;在 Shazeer 2020 中与 geglu 并列最佳。",
            "光滑,门输入为负时梯度仍不为零;把隐藏层宽度缩为 2/3(LLaMA 中为 8d/3)后,参数量与 4d 宽的 ReLU 前馈层相同。",
        ),
        zh_cons=(
            "前馈层有三个权重矩阵而不是两个,且加倍的激活值占用更多内存。",
            "PyTorch、JAX、Keras 都没有内置实现,而且各实现对融合投影中哪一半是门约定不同(actloss 与 F.glu:前一半是值,后一半是门)。",
        ),
    ),
    corrections={
        "en": (
            "SwiGLU left undefined, or taken for swish alone: SwiGLU([a, b]) = a ⊗ swish_β(b) = a ⊗ (b·σ(βb)), where a and b are two linear projections of the same input; Shazeer's feed-forward layer is FFN_SwiGLU(x) = (swish(xW) ⊗ xV)·W₂, so b = xW is the gate and a = xV the value.",
        ),
        "zh": (
            "SwiGLU 常被留空不定义,或被当成单独的 swish:SwiGLU([a, b]) = a ⊗ swish_β(b) = a ⊗ (b·σ(βb)),其中 a、b 是同一输入的两个线性投影;Shazeer 的前馈层为 FFN_SwiGLU(x) = (swish(xW) ⊗ xV)·W₂,即 b = xW 是门,a = xV 是值。",
        ),
    },
    equivalents={
        "torch": "none (a * F.silu(b); LLaMA writes w2(silu(w1(x)) * w3(x)))",
        "jax": "none",
        "keras": "none",
    },
)
