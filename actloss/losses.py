"""The loss records. Importing this module registers them (no numpy).

Each record states its formula and gradient (Unicode text and matplotlib
mathtext), the conventions it follows (probabilities or logits, class
indices or distributions, what 'mean' divides by), its parameters with
PyTorch's defaults, pros and cons in English and Chinese, the common mistakes
made about it, and its equivalents in PyTorch, JAX (optax) and
Keras with the places where they disagree.

``plot`` (a :class:`LossPlot`) tells ``actloss plot`` how to draw one loss curve; ``per`` says
whether the loss has one value per element or per sample (the rows of the last axis).
"""

from __future__ import annotations

from actloss.errors import ParameterError, arg
from dataclasses import replace

from actloss.registry import REGISTRY, Formula, Function, LossPlot, Param

L = "actloss._losses:"
REDUCTIONS = ("mean", "sum", "none")


def loss(**kw) -> Function:
    """Register a loss; ``per`` ("element" or "sample") is stated once and read by the card and the
    documentation of ``reduction``."""
    kw.setdefault("kind", "loss")
    kw.setdefault("shape", "loss")
    kw.setdefault("range", "[0, inf)")
    per = kw["per"]
    kw["properties"] = {**kw.get("properties", {}), "per": per}
    kw["params"] = tuple(_reduction_doc(p, per) if p.name == "reduction" else p for p in kw.get("params", ()))
    return REGISTRY.register(Function(**kw))


def _reduction_doc(p: Param, per: str) -> Param:
    over = "all elements" if per == "element" else "samples, the rows of the last axis"
    return replace(p, doc=f"mean over {over}; sum; or none, one loss per {per}")


def F(text: str, latex: str) -> Formula:
    return Formula(text, latex)


def reduction(default: str = "mean", extra: tuple[str, ...] = ()) -> Param:
    """The reduction parameter (its text follows the record's ``per``)."""
    return Param("reduction", default, "", choices=REDUCTIONS + extra)


def logits_flag() -> Param:
    return Param("logits", False, "pred holds raw scores (logits), not probabilities", flag=True)


def ignore_index_param() -> Param:
    return Param("ignore_index", -100, "samples whose target is this class index are skipped and not counted in the mean, as PyTorch")


def normalize_flag(what: str = "probability rows") -> Param:
    return Param("normalize", False, f"divide each of the {what} by its sum first (for rows that sum to 1 only after rounding)", flag=True)


def _check_ignore_index(p):
    v = p.get("ignore_index")
    if v is not None and float(v) != int(float(v)):
        raise ParameterError(f"{arg('ignore_index')} must be a whole number (a class index), got {v!r}")


def weight_param() -> Param:
    return Param("weight", None, "one weight per class, as PyTorch's weight (default: all 1)", low=0.0, vector=True)


def props(convex, smooth, robust, **more):
    return {"convex": convex, "smoothness": smooth, "robust_to_outliers": robust, **more}


def plot(x: str, xlabel: str, make: str) -> LossPlot:
    """The plot contract; ``make`` names a function of actloss._losses (imported when drawn: it needs numpy)."""
    return LossPlot(x, xlabel, "actloss._losses:" + make)


def notes(en_pros, en_cons, zh_pros, zh_cons) -> dict:
    return {"en": {"pros": tuple(en_pros), "cons": tuple(en_cons)}, "zh": {"pros": tuple(zh_pros), "cons": tuple(zh_cons)}}


def corrections(en, zh) -> dict:
    return {"en": tuple(en), "zh": tuple(zh)}


RESIDUAL = "residual ŷ − y"
MARGIN = "margin y·ŷ"
PROB_TRUE = "predicted probability of the true class"


def _check_p(p):
    if p["p"] not in (1.0, 2.0):
        raise ParameterError(f"{arg('p')} must be 1 or 2 (as PyTorch's MultiMarginLoss), got {p['p']!r}")
    p["p"] = int(p["p"])


def _check_focal(p):
    if not (0.0 <= p["alpha"] <= 1.0 or p["alpha"] == -1.0):
        raise ParameterError(f"{arg('alpha')} must be in [0, 1], or -1 to turn the weighting off, got {p['alpha']!r}")


# ---------------------------------------------------------------------------
# regression
# ---------------------------------------------------------------------------

loss(
    name="mse", aliases=("mean_squared_error", "squared_error"), kernel=L + "mse",
    params=(reduction(),),
    summary="mean squared error (1/n)·Σ(ŷ − y)²",
    formula=F("L = (1/n)·Σᵢ (ŷᵢ − yᵢ)²", r"L = \frac{1}{n}\sum_{i=1}^{n} (\hat{y}_i - y_i)^{2}"),
    derivative_formula=F("∂L/∂ŷᵢ = 2(ŷᵢ − yᵢ)/n", r"\frac{\partial L}{\partial \hat{y}_i} = \frac{2}{n}(\hat{y}_i - y_i)"),
    properties=props(True, "C∞", False, minimum="0 at ŷ = y"),
    plot_range=(-3.0, 3.0),
    plot=plot("residual", RESIDUAL, "plot_residual"), per="element",
    equivalents={
        "torch": "nn.MSELoss / F.mse_loss (reduction='mean': over every element)",
        "jax": "optax.squared_error(pred, target).mean() (optax.l2_loss is half of it)",
        "keras": "keras.losses.MeanSquaredError (mean over the last axis, then over the batch: the same number for equal-length rows)",
    },
    notes=notes(
        ["smooth and convex: one minimum, gradient shrinks as the error does",
         "the maximum-likelihood loss for Gaussian noise of fixed variance",
         "cheap, and the mean it estimates is easy to interpret"],
        ["squares outliers: one large error dominates the mean and the gradient",
         "its scale is the square of the target's unit, so learning rates depend on how targets are scaled",
         "with a sigmoid or softmax output for classification it learns slowly where the output saturates"],
        ["光滑且凸：只有一个最小值，误差变小时梯度也随之变小",
         "在方差固定的高斯噪声下是最大似然损失",
         "计算简单，估计的是均值，含义直观"],
        ["对离群点敏感：平方会让单个大误差主导均值和梯度",
         "量纲是目标单位的平方，学习率受目标缩放影响",
         "用于 sigmoid/softmax 输出的分类时，在饱和区学习缓慢"],
    ),
    corrections=corrections(
        ["The formula L = (1/n)·Σ_{i=1}^{N}(Yᵢ − f(xᵢ))² mixes n and N: the sum and the division run over the same count.",
         "“Mean” taken over the samples: PyTorch's reduction='mean' divides by the number of elements (batch × features), not by the number of samples.",
         "The gradient is 2(ŷ − y)/n: the factor 2 is often dropped (some texts define MSE with ½ to cancel it).",
         "The PyTorch call is torch.nn.functional.mse_loss(pred, target) or nn.MSELoss()(pred, target), prediction first."],
        ["公式 L = (1/n)·Σ_{i=1}^{N}(Yᵢ − f(xᵢ))² 中 n 与 N 混用：求和与除数应是同一个数量。",
         "以为“均值”是对样本取的：PyTorch 的 reduction='mean' 除以元素总数（批大小 × 特征数），而不是样本数。",
         "梯度是 2(ŷ − y)/n：常被省略的因子 2（有的教材在定义里乘 ½ 来抵消它）。",
         "PyTorch 中的调用是 torch.nn.functional.mse_loss(pred, target) 或 nn.MSELoss()(pred, target)，预测值在前。"],
    ),
)

loss(
    name="l1", aliases=("mae", "mean_absolute_error", "l1_loss"), kernel=L + "l1",
    params=(reduction(),),
    summary="mean absolute error (1/n)·Σ|ŷ − y|",
    formula=F("L = (1/n)·Σᵢ |ŷᵢ − yᵢ|", r"L = \frac{1}{n}\sum_{i=1}^{n} |\hat{y}_i - y_i|"),
    derivative_formula=F("∂L/∂ŷᵢ = sign(ŷᵢ − yᵢ)/n, 0 where ŷᵢ = yᵢ",
                         r"\frac{\partial L}{\partial \hat{y}_i} = \frac{1}{n}\,\mathrm{sign}(\hat{y}_i - y_i)"),
    properties=props(True, "C⁰ (kink at ŷ = y)", True, minimum="0 at ŷ = y"),
    kink_note="the gradient at ŷ = y is 0, as PyTorch (sign(0) = 0)",
    plot_range=(-3.0, 3.0),
    plot=plot("residual", RESIDUAL, "plot_residual"), per="element",
    equivalents={
        "torch": "nn.L1Loss / F.l1_loss",
        "jax": "none in optax (jnp.mean(jnp.abs(pred - target)))",
        "keras": "keras.losses.MeanAbsoluteError (on the JAX backend the gradient at ŷ = y is −1/n: JAX differentiates |u| at 0 as 1)",
    },
    notes=notes(
        ["robust: an outlier adds its error, not its square",
         "estimates the median, which ignores a minority of wild targets",
         "same unit as the target, easy to read"],
        ["not differentiable at zero error; the gradient has constant size, so it does not shrink near the optimum",
         "needs a decaying learning rate to settle exactly",
         "the median is not the mean: biased when the noise is skewed"],
        ["稳健：离群点只按误差本身计入，而不是平方",
         "估计的是中位数，不受少数异常目标影响",
         "与目标同单位，易于解读"],
        ["在误差为零处不可导；梯度大小恒定，接近最优时不会变小",
         "需要逐渐减小的学习率才能精确收敛",
         "中位数不等于均值：噪声偏斜时有偏"],
    ),
    corrections=corrections(
        ["“L1 loss” taken for the sum: PyTorch's L1Loss is the mean (1/n)·Σ|ŷᵢ − yᵢ|; some texts mean the sum Σ|ŷᵢ − yᵢ|.",
         "It is not differentiable at ŷ = y: PyTorch and actloss use the subgradient 0 there (sign(0) = 0), but Keras on JAX gives −1/n, because JAX differentiates |u| at u = 0 as 1."],
        ["把“L1 损失”当成求和：PyTorch 的 L1Loss 是均值 (1/n)·Σ|ŷᵢ − yᵢ|；有些资料指求和 Σ|ŷᵢ − yᵢ|。",
         "在 ŷ = y 处不可导：PyTorch 与 actloss 在该点取次梯度 0（sign(0) = 0），而基于 JAX 的 Keras 给出 −1/n，因为 JAX 把 |u| 在 u = 0 处的导数取为 1。"],
    ),
)

loss(
    name="l2", aliases=("sse", "sum_squared_error", "l2_loss"), kernel=L + "l2",
    params=(reduction("sum"),),
    summary="sum of squared errors Σ(ŷ − y)²",
    formula=F("L = Σᵢ (ŷᵢ − yᵢ)²", r"L = \sum_{i} (\hat{y}_i - y_i)^{2}"),
    derivative_formula=F("∂L/∂ŷᵢ = 2(ŷᵢ − yᵢ)", r"\frac{\partial L}{\partial \hat{y}_i} = 2(\hat{y}_i - y_i)"),
    properties=props(True, "C∞", False, minimum="0 at ŷ = y"),
    plot_range=(-3.0, 3.0),
    plot=plot("residual", RESIDUAL, "plot_residual"), per="element",
    equivalents={
        "torch": "F.mse_loss(pred, target, reduction='sum')",
        "jax": "2 · optax.l2_loss(pred, target).sum(): optax's l2_loss is half of the squared error, ½(ŷ − y)²",
        "keras": "none (MeanSquaredError(reduction='sum') sums per-sample means, i.e. divides by the row length)",
    },
    notes=notes(
        ["the plain sum: does not change when samples are counted differently",
         "smooth and convex, the least-squares objective"],
        ["grows with the batch size, so the learning rate must shrink as batches grow",
         "the name is ambiguous (sum, mean, half, or the norm itself): check which one a paper means"],
        ["直接求和：不依赖样本计数方式",
         "光滑且凸，即最小二乘目标"],
        ["随批大小增长，批变大时学习率需相应减小",
         "名称有歧义（求和、均值、一半或范数本身）：需确认论文用的是哪一种"],
    ),
    corrections=corrections(
        ["“L2 loss” read in one sense only: it has several meanings: the sum of squares Σ(ŷ − y)² (here, also called SSE), "
         "the mean (that is MSE), half the square (optax.l2_loss = ½(ŷ − y)² per element), or the unsquared norm ‖ŷ − y‖₂.",
         "Its gradient is 2(ŷ − y); with the ½ convention it is ŷ − y."],
        ["只按一种含义理解“L2 损失”：它有多种含义：平方和 Σ(ŷ − y)²（本工具采用，也称 SSE）、均值（即 MSE）、"
         "平方的一半（optax.l2_loss 逐元素为 ½(ŷ − y)²），或不平方的范数 ‖ŷ − y‖₂。",
         "其梯度为 2(ŷ − y)；采用 ½ 约定时为 ŷ − y。"],
    ),
)

loss(
    name="huber", aliases=("huber_loss",), kernel=L + "huber",
    params=(Param("delta", 1.0, "where the loss switches from quadratic to linear", low=0.0, low_open=True), reduction()),
    summary="quadratic for small errors, linear beyond δ",
    formula=F("ℓ = ½r² for |r| < δ, δ(|r| − ½δ) otherwise; r = ŷ − y; L = mean ℓ",
              r"\ell = \frac{1}{2}r^{2}\ (|r| < \delta),\ \ \delta(|r| - \frac{1}{2}\delta)\ \mathrm{otherwise},\ \ r = \hat{y} - y"),
    derivative_formula=F("∂ℓ/∂ŷ = clip(r, −δ, δ)", r"\frac{\partial \ell}{\partial \hat{y}} = \mathrm{clip}(r,\ -\delta,\ \delta)"),
    properties=props(True, "C¹", True, minimum="0 at ŷ = y"),
    plot_range=(-3.0, 3.0),
    paper="Huber, 'Robust Estimation of a Location Parameter', Annals of Mathematical Statistics 35(1), 1964",
    plot=plot("residual", RESIDUAL, "plot_residual"), per="element",
    equivalents={
        "torch": "nn.HuberLoss(delta=1.0) / F.huber_loss",
        "jax": "optax.huber_loss(pred, target, delta=1.0) (per element)",
        "keras": "keras.losses.Huber(delta=1.0)",
    },
    notes=notes(
        ["MSE near the optimum, L1 for outliers: smooth yet robust",
         "the gradient is bounded by δ, like clipping the gradient of ½r²"],
        ["δ is one more hyperparameter, in the unit of the target",
         "only once differentiable: the second derivative jumps at |r| = δ"],
        ["最优点附近像 MSE，离群点处像 L1：既光滑又稳健",
         "梯度以 δ 为界，相当于对 ½r² 的梯度做裁剪"],
        ["δ 是额外的超参数，且与目标同单位",
         "只有一阶连续导数：二阶导数在 |r| = δ 处跳变"],
    ),
)

loss(
    name="smooth_l1", aliases=("smoothl1",), kernel=L + "smooth_l1",
    params=(Param("beta", 1.0, "width of the quadratic zone (0 gives L1)", low=0.0), reduction()),
    summary="Huber divided by β: ½r²/β for |r| < β, |r| − ½β otherwise",
    formula=F("ℓ = ½r²/β for |r| < β, |r| − ½β otherwise; r = ŷ − y",
              r"\ell = \frac{r^{2}}{2\beta}\ (|r| < \beta),\ \ |r| - \frac{1}{2}\beta\ \mathrm{otherwise}"),
    derivative_formula=F("∂ℓ/∂ŷ = r/β for |r| < β, sign(r) otherwise",
                         r"\frac{\partial \ell}{\partial \hat{y}} = \frac{r}{\beta}\ (|r| < \beta),\ \ \mathrm{sign}(r)\ \mathrm{otherwise}"),
    properties=props(True, "C¹ (C⁰ for β = 0)", True, minimum="0 at ŷ = y"),
    plot_range=(-3.0, 3.0),
    paper="Girshick, 'Fast R-CNN', ICCV 2015",
    plot=plot("residual", RESIDUAL, "plot_residual"), per="element",
    equivalents={
        "torch": "nn.SmoothL1Loss(beta=1.0) / F.smooth_l1_loss (= huber_loss / beta)",
        "jax": "none in optax (optax.huber_loss(pred, target, delta=beta) / beta)",
        "keras": "none (keras.losses.Huber(delta=beta) / beta)",
    },
    notes=notes(
        ["the slope is 1 outside the quadratic zone whatever β is, so gradients keep a fixed scale",
         "standard for bounding-box regression in detectors"],
        ["for small β it behaves like L1 and inherits its kink",
         "equal to Huber only up to the factor 1/β: the two names are easy to confuse"],
        ["二次区以外斜率恒为 1，与 β 无关，梯度尺度固定",
         "目标检测中边框回归的标准损失"],
        ["β 很小时接近 L1，并继承其不可导点",
         "与 Huber 只差因子 1/β：两个名字容易混淆"],
    ),
)

loss(
    name="log_cosh", aliases=("logcosh",), kernel=L + "log_cosh",
    params=(reduction(),),
    summary="log(cosh(ŷ − y)): ½r² near 0, |r| − log 2 far away",
    formula=F("ℓ = log(cosh(ŷ − y))", r"\ell = \log\cosh(\hat{y} - y)"),
    derivative_formula=F("∂ℓ/∂ŷ = tanh(ŷ − y)", r"\frac{\partial \ell}{\partial \hat{y}} = \tanh(\hat{y} - y)"),
    properties=props(True, "C∞", True, minimum="0 at ŷ = y"),
    plot_range=(-4.0, 4.0),
    paper="Chen et al., 'Log Hyperbolic Cosine Loss Improves Variational Auto-Encoder', 2019",
    plot=plot("residual", RESIDUAL, "plot_residual"), per="element",
    equivalents={
        "torch": "none (torch.log(torch.cosh(r)) overflows for |r| > 710; use r + softplus(-2r) - log 2)",
        "jax": "optax.log_cosh(pred, target) (per element)",
        "keras": "keras.losses.LogCosh (mean over the last axis)",
    },
    notes=notes(
        ["like Huber without a hyperparameter, and smooth everywhere (twice differentiable)",
         "the gradient tanh(r) is bounded by 1"],
        ["computed naively, cosh overflows beyond |r| ≈ 710",
         "the quadratic zone has a fixed width of about 1: rescale targets to change it"],
        ["类似 Huber 但无需超参数，且处处光滑（二阶可导）",
         "梯度 tanh(r) 以 1 为界"],
        ["直接计算时 |r| 超过约 710 会使 cosh 溢出",
         "二次区宽度固定约为 1：需缩放目标来调整"],
    ),
)

loss(
    name="gaussian_nll", aliases=("gaussiannll", "gaussian_nll_loss"), kernel=L + "gaussian_nll",
    params=(Param("var", 1.0, "the predicted variance σ² (one number for every element)", low=0.0, low_open=True),
            Param("full", False, "add the constant ½·log 2π", flag=True),
            Param("eps", 1e-6, "the variance is clamped to at least eps, as PyTorch", low=0.0),
            reduction()),
    summary="Gaussian negative log-likelihood ½(log σ² + (ŷ − y)²/σ²)",
    formula=F("ℓ = ½·(log v + (ŷ − y)²/v) [+ ½·log 2π with --full], v = max(var, eps)",
              r"\ell = \frac{1}{2}\left(\log v + \frac{(\hat{y} - y)^{2}}{v}\right),\ \ v = \max(\sigma^{2},\ \epsilon)"),
    derivative_formula=F("∂ℓ/∂ŷ = (ŷ − y)/v", r"\frac{\partial \ell}{\partial \hat{y}} = \frac{\hat{y} - y}{v}"),
    range="(-inf, inf)",
    properties=props(True, "C∞", False, minimum="½·log v at ŷ = y"),
    plot_range=(-3.0, 3.0),
    paper="Nix, Weigend, 'Estimating the mean and variance of the target probability distribution', ICNN 1994",
    plot=plot("residual", RESIDUAL, "plot_residual"), per="element",
    equivalents={
        "torch": "nn.GaussianNLLLoss / F.gaussian_nll_loss(input, target, var) (var clamped to eps = 1e-6)",
        "jax": "none in optax (-jax.scipy.stats.norm.logpdf(target, pred, sqrt(var)), which includes ½·log 2π)",
        "keras": "none",
    },
    notes=notes(
        ["with a learned variance the network can say how sure it is (heteroscedastic regression)",
         "for a fixed variance it is MSE scaled by 1/(2v) plus a constant"],
        ["negative values are normal: only differences between losses mean something",
         "a learned variance can collapse towards 0 and blow the loss up; PyTorch clamps it at eps"],
        ["方差可学习时，网络能表达自身的不确定性（异方差回归）",
         "方差固定时等于 MSE 乘以 1/(2v) 再加常数"],
        ["出现负值是正常的：只有损失之间的差值有意义",
         "可学习的方差可能趋于 0 而使损失爆炸；PyTorch 将其截断在 eps"],
    ),
)

loss(
    name="poisson_nll", aliases=("poissonnll", "poisson", "poisson_nll_loss"), kernel=L + "poisson_nll",
    params=(Param("log_input", True, "pred is the log rate (PyTorch's default); false: pred is the rate", flag=True),
            Param("full", False, "add Stirling's approximation of log(y!) for y > 1", flag=True),
            Param("eps", 1e-8, "added to the rate before the log when pred is the rate", low=0.0),
            reduction()),
    summary="Poisson negative log-likelihood e^ŷ − y·ŷ (ŷ = log rate)",
    formula=F("ℓ = e^ŷ − y·ŷ (log input); ŷ − y·log(ŷ + ε) (rate input)",
              r"\ell = e^{\hat{y}} - y\,\hat{y}\ \ \mathrm{or}\ \ \hat{y} - y\log(\hat{y} + \epsilon)"),
    derivative_formula=F("∂ℓ/∂ŷ = e^ŷ − y (log input); 1 − y/(ŷ + ε) (rate input)",
                         r"\frac{\partial \ell}{\partial \hat{y}} = e^{\hat{y}} - y\ \ \mathrm{or}\ \ 1 - \frac{y}{\hat{y} + \epsilon}"),
    range="(-inf, inf)",
    properties=props(True, "C∞", False, minimum="y − y·log y at ŷ = log y (log input)"),
    plot_range=(-2.0, 3.0),
    plot=plot("residual", "predicted log rate (target count 2)", "plot_poisson"), per="element",
    equivalents={
        "torch": "nn.PoissonNLLLoss(log_input=True, full=False, eps=1e-8) / F.poisson_nll_loss; with log_input=False "
                 "PyTorch rounds ŷ + ε to float before the log (ε = 1e-8 is lost below the last bit of ŷ ≥ 1), "
                 "actloss takes the log of the exact sum",
        "jax": "none in optax",
        "keras": "keras.losses.Poisson (takes the rate, not its log: ŷ − y·log(ŷ + 1e-7))",
    },
    notes=notes(
        ["the right loss for counts (events, photons, clicks): variance grows with the mean",
         "with log input the rate is always positive and the loss convex"],
        ["the log(y!) term is dropped by default, so the value is not the full negative log-likelihood",
         "log input or rate input must match the model's output, and frameworks differ in the default"],
        ["适用于计数数据（事件、光子、点击）：方差随均值增大",
         "以对数输入时速率恒为正，损失为凸"],
        ["默认省略 log(y!) 项，数值并非完整的负对数似然",
         "对数输入还是速率输入必须与模型输出一致，而各框架默认不同"],
    ),
    corrections=corrections(
        ["With the rate as input, log(ŷ + ε) is the log of the exact sum here; PyTorch first rounds ŷ + ε to the "
         "input's precision, so for ŷ near 1 its ε = 1e-8 survives only as the rounding of 1 + 1e-8 (the gradient "
         "1 − y/(ŷ + ε) then differs from the exact one in the 8th digit)."],
        ["以速率为输入时，本工具对精确的和取 log(ŷ + ε)；PyTorch 先把 ŷ + ε 舍入到输入精度，因此 ŷ 接近 1 时，"
         "ε = 1e-8 只以 1 + 1e-8 的舍入形式保留（梯度 1 − y/(ŷ + ε) 与精确值在第 8 位有效数字上不同）。"],
    ),
)

# ---------------------------------------------------------------------------
# margin losses
# ---------------------------------------------------------------------------

_LABELS_EN = "labels y are −1 or 1; labels 0/1 are accepted and mapped to −1/1 (as Keras does)"
_LABELS_ZH = "标签 y 取 −1 或 1；也接受 0/1，并映射为 −1/1（与 Keras 相同）"
_HINGE_MISTAKE_EN = ("Labels 0/1 given to a −1/1 {name}: with y = 0 the margin y·ŷ is 0 whatever ŷ, the loss is the constant 1 "
                     "and that class teaches nothing (optax.hinge_loss uses the labels as given). actloss, like Keras, maps "
                     "a target whose labels are all 0 or 1 to −1/1, and refuses a target that mixes −1 and 0.")
_HINGE_MISTAKE_ZH = ("把 0/1 标签直接用于 −1/1 的 {name}：y = 0 时无论 ŷ 为何，间隔 y·ŷ 都为 0，损失恒为 1，这一类什么也学不到"
                     "（optax.hinge_loss 按原样使用标签）。actloss 与 Keras 一样，在标签全为 0 或 1 时映射为 −1/1，并拒绝 −1 与 0 混用的目标。")

loss(
    name="hinge", aliases=("hinge_loss",), kernel=L + "hinge",
    params=(reduction(),),
    summary="max(0, 1 − y·ŷ), labels −1/1 (0/1 mapped)",
    formula=F("ℓ = max(0, 1 − y·ŷ), y ∈ {−1, 1}", r"\ell = \max(0,\ 1 - y\,\hat{y}),\ \ y \in \{-1,\ 1\}"),
    derivative_formula=F("∂ℓ/∂ŷ = −y where y·ŷ ≤ 1, else 0", r"\frac{\partial \ell}{\partial \hat{y}} = -y\ (y\,\hat{y} \leq 1),\ \ 0\ \mathrm{otherwise}"),
    properties=props(True, "C⁰ (kink at y·ŷ = 1)", True, labels=_LABELS_EN, minimum="0 for y·ŷ ≥ 1"),
    kink_note="the gradient at y·ŷ = 1 is −y (divided by n for the mean), as autograd through clamp(1 − y·ŷ, min=0), "
              "which passes the gradient at its boundary",
    plot_range=(-2.0, 3.0),
    paper="Cortes, Vapnik, 'Support-Vector Networks', Machine Learning 20, 1995",
    plot=plot("margin", MARGIN, "plot_margin"), per="element",
    equivalents={
        "torch": "none (torch.clamp(1 - y * pred, min=0).mean(); nn.HingeEmbeddingLoss is a different loss)",
        "jax": "optax.hinge_loss(scores, labels) (labels strictly −1/1)",
        "keras": "keras.losses.Hinge (maps 0/1 labels to −1/1, mean over the last axis)",
    },
    notes=notes(
        ["zero loss once a sample is beyond the margin: the model stops pushing easy samples",
         "the maximum-margin loss of support vector machines; sparse gradients"],
        ["not differentiable at the margin, and no probabilities come out",
         "label convention −1/1 versus 0/1 is a common source of silent bugs"],
        ["样本越过间隔后损失为零：模型不再推动简单样本",
         "支持向量机的最大间隔损失；梯度稀疏"],
        ["在间隔处不可导，也不输出概率",
         "标签用 −1/1 还是 0/1 是常见的隐蔽错误来源"],
    ),
    corrections=corrections([_HINGE_MISTAKE_EN.format(name="hinge")], [_HINGE_MISTAKE_ZH.format(name="hinge")]),
)

loss(
    name="squared_hinge", aliases=("squaredhinge",), kernel=L + "squared_hinge",
    params=(reduction(),),
    summary="max(0, 1 − y·ŷ)², labels −1/1 (0/1 mapped)",
    formula=F("ℓ = max(0, 1 − y·ŷ)², y ∈ {−1, 1}", r"\ell = \max(0,\ 1 - y\,\hat{y})^{2},\ \ y \in \{-1,\ 1\}"),
    derivative_formula=F("∂ℓ/∂ŷ = −2y·max(0, 1 − y·ŷ)", r"\frac{\partial \ell}{\partial \hat{y}} = -2y\,\max(0,\ 1 - y\,\hat{y})"),
    properties=props(True, "C¹", False, labels=_LABELS_EN, minimum="0 for y·ŷ ≥ 1"),
    plot_range=(-2.0, 3.0),
    plot=plot("margin", MARGIN, "plot_margin"), per="element",
    equivalents={
        "torch": "none (torch.clamp(1 - y * pred, min=0).pow(2).mean())",
        "jax": "none in optax (optax.hinge_loss(...) ** 2)",
        "keras": "keras.losses.SquaredHinge (maps 0/1 labels to −1/1)",
    },
    notes=notes(
        ["differentiable everywhere, unlike the hinge", "still zero beyond the margin"],
        ["penalises badly misclassified samples quadratically, so outliers weigh more",
         "label convention −1/1 versus 0/1 as for the hinge"],
        ["与 hinge 不同，处处可导", "越过间隔后仍为零"],
        ["对严重误分类样本按平方惩罚，离群点影响更大",
         "标签约定 −1/1 与 0/1 的问题同 hinge"],
    ),
    corrections=corrections([_HINGE_MISTAKE_EN.format(name="squared hinge")], [_HINGE_MISTAKE_ZH.format(name="squared_hinge")]),
)

# ---------------------------------------------------------------------------
# binary classification
# ---------------------------------------------------------------------------

loss(
    name="bce", aliases=("binary_cross_entropy", "binary_crossentropy", "log_loss"), kernel=L + "bce",
    params=(logits_flag(),
            Param("pos_weight", None, "with --logits: one weight per class (last axis) for the positive term, as "
                  "BCEWithLogitsLoss's pos_weight (default: none)", low=0.0, vector=True),
            reduction()),
    summary="binary cross-entropy −[y log p + (1 − y) log(1 − p)]; probabilities, or logits with --logits",
    formula=F("ℓ = −[y·log p + (1 − y)·log(1 − p)], p = ŷ (or σ(ŷ) with --logits)",
              r"\ell = -\left[y\log p + (1 - y)\log(1 - p)\right],\ \ p = \hat{y}\ \mathrm{or}\ \sigma(\hat{y})"),
    derivative_formula=F("∂ℓ/∂ŷ = (p − y)/(p(1 − p)) for probabilities; σ(ŷ) − y for logits",
                         r"\frac{\partial \ell}{\partial \hat{y}} = \frac{p - y}{p(1 - p)}\ \ \mathrm{or}\ \ \sigma(\hat{y}) - y"),
    properties=props(True, "C∞", False, inputs="probabilities by default, logits with --logits",
                     minimum="at p = y (0 for hard labels)"),
    plot_range=(0.0, 1.0),
    plot=plot("probability", PROB_TRUE, "plot_binary"), per="element",
    equivalents={
        "torch": "F.binary_cross_entropy / nn.BCELoss (probabilities; log clamped at −100) and "
                 "F.binary_cross_entropy_with_logits / nn.BCEWithLogitsLoss (= --logits)",
        "jax": "optax.sigmoid_binary_cross_entropy(logits, labels) (logits only, per element)",
        "keras": "keras.losses.BinaryCrossentropy (probabilities by default, clipped to [1e-7, 1 − 1e-7]; from_logits=True for logits)",
    },
    notes=notes(
        ["the maximum-likelihood loss for a Bernoulli output; gives calibrated probabilities",
         "with logits the gradient is simply σ(ŷ) − y: no vanishing gradient from the sigmoid",
         "works per element, so it also serves multi-label problems"],
        ["on probabilities, log(0) is −∞: frameworks clamp it (PyTorch −100, Keras 1e-7) and so hide mistakes",
         "feeding probabilities where logits are expected (or the reverse) silently gives a wrong loss",
         "class imbalance needs weights (pos_weight) or focal loss"],
        ["伯努利输出的最大似然损失，给出校准的概率",
         "使用 logits 时梯度就是 σ(ŷ) − y：sigmoid 不会造成梯度消失",
         "逐元素计算，也适用于多标签问题"],
        ["输入概率时 log(0) 为 −∞：框架会截断（PyTorch 为 −100，Keras 为 1e-7），从而掩盖错误",
         "该传 logits 时传了概率（或相反）会得到错误而不报错的损失",
         "类别不平衡时需要加权（pos_weight）或使用 focal 损失"],
    ),
    corrections=corrections(
        ["A finite loss expected from a confident wrong prediction: the exact loss is +∞ at p = 0 for y = 1 (and at p = 1 for y = 0). PyTorch's BCELoss clamps each log at −100 (so at most 100 per element) and in the gradient divides by max(p(1 − p), 1e-12), so both stay finite; actloss returns inf, with an infinite gradient, and takes probabilities by default (as the formula is written), checking that they lie in [0, 1]."],
        ["以为完全预测错误时损失有限：y = 1 时 p = 0（或 y = 0 时 p = 1）的精确损失是 +∞。PyTorch 的 BCELoss 把每个 log 截断在 −100（每个元素至多 100），梯度中除以 max(p(1 − p), 1e-12)，二者都保持有限；actloss 返回 inf，梯度也为无穷，默认输入概率（与公式一致）并检查其在 [0, 1] 内。"],
    ),
)

loss(
    name="focal", aliases=("focal_loss", "sigmoid_focal", "sigmoid_focal_loss"), kernel=L + "focal",
    params=(Param("gamma", 2.0, "focusing exponent γ (0 gives α-weighted bce)", low=0.0),
            Param("alpha", 0.25, "weight α of the positive class, 1 − α of the negative; −1 turns it off", low=-1.0, high=1.0,
                  valid_text="[0, 1] or -1"),
            logits_flag(), reduction()),
    validate=_check_focal,
    summary="sigmoid focal loss α_t·(1 − p_t)^γ·bce: down-weights easy examples",
    formula=F("ℓ = α_t·(1 − p_t)^γ·bce(p, y), p_t = p·y + (1 − p)(1 − y), α_t = α·y + (1 − α)(1 − y)",
              r"\ell = -\alpha_t\,(1 - p_t)^{\gamma}\log p_t,\ \ p_t = p\,y + (1 - p)(1 - y)"),
    derivative_formula=F("∂ℓ/∂ŷ = α_t·[(1 − p_t)^γ·∂bce/∂ŷ + bce·γ(1 − p_t)^(γ−1)·(1 − 2y)·∂p/∂ŷ]",
                         r"\frac{\partial \ell}{\partial \hat{y}} = \alpha_t\left[(1 - p_t)^{\gamma}\frac{\partial b}{\partial \hat{y}} + b\,\gamma(1 - p_t)^{\gamma - 1}(1 - 2y)\frac{\partial p}{\partial \hat{y}}\right]"),
    properties=props("no (for γ > 0)", "C∞ for γ ≥ 1", False,
                     inputs="probabilities by default, logits with --logits (torchvision takes logits)", minimum="0 at p = y"),
    plot_range=(0.0, 1.0),
    paper="Lin, Goyal, Girshick, He, Dollár, 'Focal Loss for Dense Object Detection', ICCV 2017",
    plot=plot("probability", PROB_TRUE, "plot_binary"), per="element",
    equivalents={
        "torch": "torchvision.ops.sigmoid_focal_loss(logits, targets, alpha=0.25, gamma=2, reduction='none') "
                 "(= --logits; its default reduction is 'none', actloss's is 'mean'; alpha < 0 turns the weighting off; "
                 "it forms 1 − p_t from a rounded p, which is 0 in float64 from |logit| ≈ 36.7 on the confident side, and "
                 "there autograd gives NaN: for γ < 1 in the gradient, for 1 < γ < 2 in the second derivative; actloss keeps "
                 "1 − p_t exact)",
        "jax": "optax.sigmoid_focal_loss(logits, labels, alpha=None, gamma=2.0) (no α weighting by default)",
        "keras": "keras.losses.BinaryFocalCrossentropy(gamma=2.0) (α only with apply_class_balancing=True; probabilities by default; with from_logits=True it applies the sigmoid and then still clips p to [1e-7, 1 − 1e-7])",
    },
    notes=notes(
        ["focuses training on hard, misclassified examples; easy negatives stop dominating",
         "made one-stage detectors competitive under extreme foreground/background imbalance"],
        ["two hyperparameters (γ, α) that interact: α = 0.25 with γ = 2 down-weights the rare positives",
         "defaults differ between libraries (α 0.25 or none, reduction none or mean, logits or probabilities)",
         "probabilities it produces are less calibrated than with plain bce"],
        ["把训练集中在难分、误分的样本上；大量简单负样本不再主导损失",
         "使单阶段检测器在前景/背景极度不平衡时也具竞争力"],
        ["两个相互影响的超参数（γ, α）：γ = 2 时 α = 0.25 反而降低了稀少正样本的权重",
         "各库默认值不同（α 为 0.25 或不用、reduction 为 none 或 mean、输入 logits 或概率）",
         "输出概率的校准性不如普通 bce"],
    ),
)

# ---------------------------------------------------------------------------
# multi-class classification
# ---------------------------------------------------------------------------

loss(
    name="ce", aliases=("cross_entropy", "categorical_crossentropy", "crossentropy", "categorical_cross_entropy",
                        "sparse_categorical_crossentropy", "softmax_cross_entropy"),
    kernel=L + "ce",
    params=(logits_flag(),
            Param("label_smoothing", 0.0, "ε: mix the target with the uniform distribution, as PyTorch", low=0.0, high=1.0),
            weight_param(),
            ignore_index_param(),
            normalize_flag("probability rows of pred and target"),
            reduction()),
    validate=_check_ignore_index,
    summary="cross-entropy −Σ y log ŷ; probabilities or logits, class indices or distributions",
    formula=F("L = −(1/N)·Σₙ Σ_c yₙ,c·log pₙ,c, p = ŷ (or softmax(ŷ) with --logits); class index k: −log pₙ,k",
              r"L = -\frac{1}{N}\sum_{n=1}^{N}\sum_{c} y_{n,c}\log p_{n,c},\ \ p = \hat{y}\ \mathrm{or}\ \mathrm{softmax}(\hat{y})"),
    derivative_formula=F("∂L/∂ŷ = −y/(N·ŷ) for probabilities; (softmax(ŷ) − y)/N for logits",
                         r"\frac{\partial L}{\partial \hat{y}} = -\frac{y}{N\,\hat{y}}\ \ \mathrm{or}\ \ \frac{\mathrm{softmax}(\hat{y}) - y}{N}"),
    properties=props("in the logits", "C∞", False,
                     inputs="probabilities by default, logits with --logits; targets: class indices (pred's shape without "
                            "its last axis) or class probabilities (pred's shape)",
                     minimum="the entropy of y, at p = y (0 for hard labels)"),
    plot_range=(0.0, 1.0),
    paper="label smoothing: Szegedy et al., 'Rethinking the Inception Architecture for Computer Vision', CVPR 2016",
    plot=plot("probability", PROB_TRUE, "plot_categorical"), per="sample",
    equivalents={
        "torch": "nn.CrossEntropyLoss / F.cross_entropy: takes logits (= ce --logits); for probabilities "
                 "F.nll_loss(pred.log(), target). Class axis is dim 1, actloss's is the last axis",
        "jax": "optax.softmax_cross_entropy(logits, labels) (distributions), "
               "optax.softmax_cross_entropy_with_integer_labels (indices); logits, per sample, no reduction",
        "keras": "keras.losses.CategoricalCrossentropy (one-hot), SparseCategoricalCrossentropy (indices, and no label_smoothing); "
                 "probabilities by default (each row rescaled to sum 1, then clipped at 1e-7); from_logits=True for logits",
    },
    notes=notes(
        ["the maximum-likelihood loss for a categorical output; with softmax its gradient is softmax − y",
         "strong gradients for confident mistakes, so training does not stall",
         "label smoothing and class weights are built in"],
        ["probabilities versus logits is the classic mistake: PyTorch applies softmax itself",
         "log(0) is −∞: a single zero probability on the true class makes the loss infinite",
         "encourages over-confident predictions; label smoothing counters it"],
        ["类别分布输出的最大似然损失；配合 softmax 时梯度为 softmax − y",
         "对高置信度的错误给出大梯度，训练不易停滞",
         "内置标签平滑与类别权重"],
        ["概率与 logits 的混用是经典错误：PyTorch 会自行做 softmax",
         "log(0) 为 −∞：真实类别的概率为 0 就会使损失无穷大",
         "倾向于过度自信的预测；标签平滑可以缓解"],
    ),
    corrections=corrections(
        ["The formula L = −Σ y log ŷ assumes ŷ are probabilities (softmax outputs). PyTorch's CrossEntropyLoss takes raw scores "
         "(logits) and applies log_softmax itself: passing softmax outputs to it applies softmax twice. actloss takes "
         "probabilities by default and logits with --logits.",
         "Targets taken to be one-hot vectors only: they may be class indices (the usual form) or distributions (one-hot or soft labels); the one-hot sum reduces to −log ŷ of the true class.",
         "“Mean” taken to divide by m always: the multi-sample formula averages over the m samples (PyTorch's reduction='mean'), but with class weights and "
         "class-index targets PyTorch divides by the sum of the targets' weights, not by m; with probability targets it divides by m.",
         "log 0 = −∞ forgotten: a zero probability for the true class gives an infinite loss, which libraries hide by clamping."],
        ["公式 L = −Σ y log ŷ 假定 ŷ 是概率（softmax 的输出）。PyTorch 的 CrossEntropyLoss 接收原始分数（logits）并自行做 "
         "log_softmax：把 softmax 输出传给它等于做了两次 softmax。actloss 默认输入概率，加 --logits 时输入 logits。",
         "以为目标只能是 one-hot 向量：目标可以是类别索引（常见形式）或分布（one-hot 或软标签）；one-hot 时求和化为真实类别的 −log ŷ。",
         "以为“均值”总是除以 m：多样本公式对 m 个样本取平均（即 PyTorch 的 reduction='mean'），但带类别权重且目标为类别索引时，PyTorch 除以"
         "各目标权重之和而非 m；目标为概率分布时除以 m。",
         "忽略 log 0 = −∞：真实类别概率为 0 时损失为无穷大，各库用截断把它掩盖了。"],
    ),
)

loss(
    name="nll", aliases=("nll_loss", "negative_log_likelihood"), kernel=L + "nll",
    params=(weight_param(), ignore_index_param(), reduction()),
    validate=_check_ignore_index,
    summary="negative log-likelihood −ŷ[class] of log-probabilities (log_softmax output)",
    formula=F("L = −Σₙ w_{yₙ}·ŷₙ,yₙ / Σₙ w_{yₙ} (ŷ: log-probabilities, yₙ: class index)",
              r"L = -\frac{\sum_{n} w_{y_n}\,\hat{y}_{n,y_n}}{\sum_{n} w_{y_n}}"),
    derivative_formula=F("∂L/∂ŷₙ,c = −w_{yₙ}/Σw for c = yₙ, 0 otherwise",
                         r"\frac{\partial L}{\partial \hat{y}_{n,c}} = -\frac{w_{y_n}}{\sum_{m} w_{y_m}}\ (c = y_n),\ \ 0\ \mathrm{otherwise}"),
    properties=props(True, "linear", False, inputs="log-probabilities; targets: class indices",
                     minimum="0 when the true class has log-probability 0"),
    plot_range=(0.0, 1.0),
    plot=plot("probability", PROB_TRUE, "plot_log_probability"), per="sample",
    equivalents={
        "torch": "nn.NLLLoss / F.nll_loss (log-probabilities, class indices, weighted mean)",
        "jax": "none in optax (-jnp.take_along_axis(log_probs, labels[:, None], -1).mean())",
        "keras": "none",
    },
    notes=notes(
        ["separates the log-softmax from the loss: log_softmax + nll = ce on logits",
         "trivial gradient: −1 (times the weight) at the true class"],
        ["expects log-probabilities; passing probabilities or logits gives a meaningless number without an error in most libraries",
         "with class weights, 'mean' divides by the summed weights, not by the number of samples"],
        ["把 log-softmax 与损失分开：log_softmax + nll 等于对 logits 的 ce",
         "梯度极简单：在真实类别处为 −1（乘以权重）"],
        ["要求输入对数概率；多数库中传入概率或 logits 不会报错，但结果无意义",
         "有类别权重时，'mean' 除以权重之和而不是样本数"],
    ),
)

loss(
    name="kl", aliases=("kl_div", "kld", "kl_divergence", "kullback_leibler"), kernel=L + "kl",
    params=(normalize_flag("rows of pred and target"), reduction(extra=("batchmean",))),
    summary="KL divergence KL(target ‖ pred) = Σ y log(y/ŷ), averaged over samples",
    formula=F("D = (1/N)·Σₙ Σ_c yₙ,c·log(yₙ,c/ŷₙ,c) (0·log 0 = 0)",
              r"D_{KL}(y\,\|\,\hat{y}) = \frac{1}{N}\sum_{n}\sum_{c} y_{n,c}\log\frac{y_{n,c}}{\hat{y}_{n,c}}"),
    derivative_formula=F("∂D/∂ŷₙ,c = −yₙ,c/(N·ŷₙ,c)", r"\frac{\partial D}{\partial \hat{y}_{n,c}} = -\frac{y_{n,c}}{N\,\hat{y}_{n,c}}"),
    properties=props("in ŷ", "C∞ where ŷ > 0", False, symmetric=False,
                     inputs="pred and target: probability distributions over the last axis", minimum="0 at ŷ = y"),
    plot_range=(0.0, 1.0),
    paper="Kullback, Leibler, 'On Information and Sufficiency', Annals of Mathematical Statistics 22(1), 1951",
    plot=plot("probability", "predicted probability of class 0 (target 0.8, 0.2)", "plot_distribution"), per="sample",
    equivalents={
        "torch": "F.kl_div(pred.log(), target, reduction='batchmean') / nn.KLDivLoss: the input is log ŷ (log-space) and comes "
                 "first, the target y second; reduction='mean' divides by the number of elements, not samples",
        "jax": "optax.kl_divergence(log_predictions, targets) (log-space predictions; per sample)",
        "keras": "keras.losses.KLDivergence(y_true, y_pred) (both clipped to [1e-7, 1])",
    },
    notes=notes(
        ["measures the extra nats needed to code y with ŷ; zero only when they are equal",
         "minimising it over ŷ equals minimising the cross-entropy (the entropy of y is a constant)"],
        ["not symmetric and not a distance: KL(y‖ŷ) ≠ KL(ŷ‖y), and the triangle inequality fails",
         "infinite when ŷ is 0 where y is not",
         "PyTorch's argument order (log ŷ, y) and its 'mean' reduction are classic pitfalls"],
        ["度量用 ŷ 编码 y 时多付出的信息量（nats）；仅当二者相等时为零",
         "对 ŷ 最小化它等价于最小化交叉熵（y 的熵是常数）"],
        ["不对称，也不是距离：KL(y‖ŷ) ≠ KL(ŷ‖y)，且不满足三角不等式",
         "当 y 非零处 ŷ 为 0 时为无穷大",
         "PyTorch 的参数顺序（log ŷ, y）和它的 'mean' 归约是经典陷阱"],
    ),
    corrections=corrections(
        ["P and Q swapped: in D_KL(P‖Q) = Σ P log(P/Q), P is the target (true) distribution and Q the model's prediction; here KL(target ‖ pred).",
         "Probabilities passed to PyTorch's kl_div: kl_div(input, target) expects input = log Q (log-probabilities, not probabilities) and target = P, "
         "so the prediction comes first and in log space.",
         "reduction='mean' taken for the average KL: PyTorch's divides by the number of elements (N × classes): the true KL averaged over samples is "
         "reduction='batchmean'. actloss's 'mean' is the batchmean.",
         "KL taken for a distance: ‘smaller means closer’ holds, but KL is not a distance: it is not symmetric (KL(P‖Q) ≠ KL(Q‖P)); js is a symmetric alternative.",
         "The edge terms mishandled: 0·log 0 = 0, and P > 0 where Q = 0 gives +∞."],
        ["把 P 与 Q 弄反：D_KL(P‖Q) = Σ P log(P/Q) 中 P 是目标（真实）分布，Q 是模型预测；本工具计算 KL(target ‖ pred)。",
         "把概率直接传给 PyTorch 的 kl_div：kl_div(input, target) 要求 input = log Q（对数概率而非概率）、target = P，"
         "即预测放在前面且取对数。",
         "以为 reduction='mean' 就是平均 KL：PyTorch 的 reduction='mean' 除以元素个数（N × 类别数）：按样本平均的真正 KL 是 reduction='batchmean'。"
         "actloss 的 'mean' 即 batchmean。",
         "把 KL 当成距离：“越小越接近”没错，但 KL 不是距离：它不对称（KL(P‖Q) ≠ KL(Q‖P)）；对称的替代是 js。",
         "处理错边界项：约定 0·log 0 = 0；在 Q = 0 处若 P > 0，则结果为 +∞。"],
    ),
)

loss(
    name="js", aliases=("jsd", "js_div", "jensen_shannon"), kernel=L + "js",
    params=(normalize_flag("rows of pred and target"), reduction()),
    summary="Jensen–Shannon divergence ½KL(y‖m) + ½KL(ŷ‖m), m = (y + ŷ)/2",
    formula=F("JS = ½·KL(y ‖ m) + ½·KL(ŷ ‖ m), m = (y + ŷ)/2, averaged over samples",
              r"JS = \frac{1}{2}D_{KL}(y\,\|\,m) + \frac{1}{2}D_{KL}(\hat{y}\,\|\,m),\ \ m = \frac{y + \hat{y}}{2}"),
    derivative_formula=F("∂JS/∂ŷ_c = ½·log(2ŷ_c/(y_c + ŷ_c)) (per sample)",
                         r"\frac{\partial JS}{\partial \hat{y}_c} = \frac{1}{2}\log\frac{2\hat{y}_c}{y_c + \hat{y}_c}"),
    range="[0, log 2]",
    properties=props(True, "C∞ where ŷ > 0", False, symmetric=True, bounded="by log 2 ≈ 0.693 (natural log)",
                     inputs="pred and target: probability distributions over the last axis", minimum="0 at ŷ = y"),
    plot_range=(0.0, 1.0),
    paper="Lin, 'Divergence measures based on the Shannon entropy', IEEE Transactions on Information Theory 37(1), 1991",
    plot=plot("probability", "predicted probability of class 0 (target 0.8, 0.2)", "plot_distribution"), per="sample",
    equivalents={"torch": "none", "jax": "none in optax", "keras": "none"},
    notes=notes(
        ["symmetric and bounded (by log 2), finite even where one distribution is 0",
         "its square root is a metric"],
        ["the gradient vanishes when the distributions barely overlap (the GAN training problem)",
         "no standard implementation in the major libraries; the log base (nats or bits) varies"],
        ["对称且有界（上界 log 2），即使某一分布为 0 也有限",
         "其平方根是一个度量"],
        ["两分布几乎不重叠时梯度消失（GAN 训练中的问题）",
         "主流库没有标准实现；对数底（nats 或 bits）不统一"],
    ),
)

loss(
    name="cosine", aliases=("cosine_distance", "cosine_embedding", "cosine_loss"), kernel=L + "cosine",
    params=(reduction(),),
    summary="1 − cosine similarity of pred and target along the last axis",
    formula=F("ℓ = 1 − ŷ·y / (‖ŷ‖·‖y‖)", r"\ell = 1 - \frac{\hat{y} \cdot y}{\|\hat{y}\|\,\|y\|}"),
    derivative_formula=F("∂ℓ/∂ŷ = −(y/‖y‖ − cos·ŷ/‖ŷ‖)/‖ŷ‖",
                         r"\frac{\partial \ell}{\partial \hat{y}} = -\frac{1}{\|\hat{y}\|}\left(\frac{y}{\|y\|} - \cos\theta\,\frac{\hat{y}}{\|\hat{y}\|}\right)"),
    range="[0, 2]",
    properties=props("no", "C∞ away from 0", False, scale_invariant=True, minimum="0 when ŷ points along y"),
    plot_range=(-1.0, 1.0),
    plot=plot("margin", "cosine similarity of pred and target", "plot_cosine"), per="sample",
    equivalents={
        "torch": "nn.CosineEmbeddingLoss with y = 1 (1 − cos, eps 1e-12 inside the norms); 1 - F.cosine_similarity(pred, target, dim=-1)",
        "jax": "optax.cosine_distance(pred, target) (1 − cos; per sample)",
        "keras": "keras.losses.CosineSimilarity returns −cos (in [−1, 1]), not 1 − cos",
    },
    notes=notes(
        ["ignores the length of the vectors: only the direction counts (embeddings, retrieval)",
         "bounded in [0, 2]"],
        ["undefined for a zero vector", "the gradient is orthogonal to ŷ, so it cannot fix a wrong scale"],
        ["忽略向量长度，只看方向（嵌入、检索）", "取值有界，在 [0, 2] 内"],
        ["零向量时无定义", "梯度与 ŷ 正交，无法纠正尺度错误"],
    ),
)

# ---------------------------------------------------------------------------
# quantile, soft margins, multi-class margin, dice
# ---------------------------------------------------------------------------

loss(
    name="quantile", aliases=("pinball", "pinball_loss", "quantile_loss"), kernel=L + "quantile",
    params=(Param("tau", 0.5, "τ: the quantile to estimate (0.5 is the median, half the absolute error)", low=0.0, high=1.0),
            reduction()),
    summary="pinball loss max(τr, (τ − 1)r), r = y − ŷ: regression to the τ-quantile",
    formula=F("ℓ = max(τ·r, (τ − 1)·r), r = y − ŷ", r"\ell = \max\left(\tau r,\ (\tau - 1) r\right),\ \ r = y - \hat{y}"),
    derivative_formula=F("∂ℓ/∂ŷ = −τ where y > ŷ, 1 − τ where y < ŷ, ½ − τ where y = ŷ",
                         r"\frac{\partial \ell}{\partial \hat{y}} = -\tau\ (y > \hat{y}),\ \ 1 - \tau\ (y < \hat{y})"),
    properties=props(True, "C⁰ (kink at ŷ = y)", True, minimum="0 at ŷ = y"),
    kink_note="the gradient at ŷ = y is ½ − τ (0 for the median), as autograd through torch.maximum, which "
              "splits the gradient between equal arguments",
    plot_range=(-3.0, 3.0),
    paper="Koenker, Bassett, 'Regression Quantiles', Econometrica 46(1), 1978",
    plot=plot("residual", RESIDUAL, "plot_residual"), per="element",
    equivalents={
        "torch": "none (torch.maximum(tau * r, (tau - 1) * r).mean() with r = target - pred)",
        "jax": "none in optax (jnp.maximum(tau * r, (tau - 1) * r).mean())",
        "keras": "none (tfa.losses.PinballLoss in the retired TensorFlow Addons; same formula, τ default 0.5)",
    },
    notes=notes(
        ["estimates any quantile, so a few of them give prediction intervals",
         "robust like L1: the gradient is bounded by max(τ, 1 − τ)",
         "τ = 0.5 is half the absolute error: the median"],
        ["not differentiable at ŷ = y; the gradient does not shrink near the optimum",
         "r is y − ŷ, not ŷ − y: swapping them estimates the (1 − τ)-quantile instead",
         "separately trained quantiles can cross (the 0.9-quantile below the 0.5-quantile)"],
        ["可估计任意分位数，几个分位数即可给出预测区间",
         "与 L1 一样稳健：梯度不超过 max(τ, 1 − τ)",
         "τ = 0.5 时为绝对误差的一半，即中位数回归"],
        ["在 ŷ = y 处不可导；接近最优时梯度不会变小",
         "r 是 y − ŷ 而不是 ŷ − y：写反了估计的是 (1 − τ) 分位数",
         "分别训练的分位数可能交叉（0.9 分位数低于 0.5 分位数）"],
    ),
    corrections=corrections(
        ["Common mistake: r = ŷ − y instead of y − ŷ turns the τ-quantile into the (1 − τ)-quantile."],
        ["常见错误：把 r 写成 ŷ − y 而不是 y − ŷ，估计的就成了 (1 − τ) 分位数。"],
    ),
)

loss(
    name="soft_margin", aliases=("softmargin", "soft_margin_loss", "logistic_loss"), kernel=L + "soft_margin",
    params=(reduction(),),
    summary="log(1 + exp(−y·ŷ)), labels −1/1 (0/1 mapped): the logistic loss",
    formula=F("ℓ = log(1 + exp(−y·ŷ)), y ∈ {−1, 1}", r"\ell = \log\left(1 + e^{-y\,\hat{y}}\right),\ \ y \in \{-1,\ 1\}"),
    derivative_formula=F("∂ℓ/∂ŷ = −y·σ(−y·ŷ)", r"\frac{\partial \ell}{\partial \hat{y}} = -y\,\sigma(-y\,\hat{y})"),
    properties=props(True, "C∞", False, labels=_LABELS_EN, minimum="→ 0 as y·ŷ → ∞"),
    plot_range=(-3.0, 4.0),
    plot=plot("margin", MARGIN, "plot_margin"), per="element",
    equivalents={
        "torch": "nn.SoftMarginLoss / F.soft_margin_loss (labels −1/1, mean over every element; it computes "
                 "log(1 + exp(−y·ŷ)) directly, so margins below about −709 give inf where actloss gives −y·ŷ)",
        "jax": "optax.sigmoid_binary_cross_entropy(pred, (y + 1) / 2) (the same numbers, labels 0/1)",
        "keras": "none (keras.losses.BinaryCrossentropy(from_logits=True) with labels (y + 1)/2)",
    },
    notes=notes(
        ["the smooth version of the hinge: every sample keeps a small gradient",
         "equal to binary cross-entropy on logits with labels 0/1, written for labels −1/1"],
        ["never exactly zero, so confident samples still pull a little",
         "computed as log(1 + exp(−y·ŷ)) it overflows for margins below about −710: use softplus"],
        ["合页损失的光滑版本：每个样本都保留一点梯度",
         "等同于以 0/1 为标签、输入 logits 的二元交叉熵，只是标签写成 −1/1"],
        ["永远不为零，高置信度样本仍有微小的拉力",
         "直接按 log(1 + exp(−y·ŷ)) 计算时，间隔低于约 −710 会溢出：应使用 softplus"],
    ),
    corrections=corrections([_LABELS_EN + "."], [_LABELS_ZH + "。"]),
)

loss(
    name="multilabel_soft_margin", aliases=("multilabelsoftmargin", "multilabel_soft_margin_loss"),
    kernel=L + "multilabel_soft_margin",
    params=(weight_param(), reduction()),
    summary="binary cross-entropy on logits per class, averaged over the classes, then over the samples",
    formula=F("ℓₙ = −(1/C)·Σ_c w_c·[y_c·log σ(ŷ_c) + (1 − y_c)·log σ(−ŷ_c)]",
              r"\ell_n = -\frac{1}{C}\sum_{c} w_c\left[y_c\log\sigma(\hat{y}_c) + (1 - y_c)\log\sigma(-\hat{y}_c)\right]"),
    derivative_formula=F("∂ℓₙ/∂ŷ_c = w_c·(σ(ŷ_c) − y_c)/C",
                         r"\frac{\partial \ell_n}{\partial \hat{y}_c} = \frac{w_c\left(\sigma(\hat{y}_c) - y_c\right)}{C}"),
    properties=props(True, "C∞", False, inputs="logits (N, C); targets 0/1 per class (N, C)",
                     minimum="→ 0 as the logits agree with the labels"),
    plot_range=(-4.0, 4.0),
    plot=plot("margin", "logit of a class whose label is 1", "plot_multilabel"), per="sample",
    equivalents={
        "torch": "nn.MultiLabelSoftMarginLoss / F.multilabel_soft_margin_loss (weight per class; mean over C, then N)",
        "jax": "optax.sigmoid_binary_cross_entropy(logits, labels).mean(axis=-1)",
        "keras": "keras.losses.BinaryCrossentropy(from_logits=True) (mean over the last axis)",
    },
    notes=notes(
        ["one independent yes/no decision per class: several labels may be true at once",
         "the same as bce with logits, averaged per sample over the classes"],
        ["dividing by C makes the loss (and the gradient) shrink as classes are added",
         "rare positive labels are swamped by the many negatives unless weighted"],
        ["每个类别独立做是/否判断：允许同时有多个正确标签",
         "等同于输入 logits 的 bce，再在每个样本内对类别取平均"],
        ["除以 C 使损失（和梯度）随类别数增加而变小",
         "不加权时，少量正标签会被大量负标签淹没"],
    ),
    corrections=corrections(
        ["Common mistake: softmax outputs (or probabilities) instead of raw logits; the sigmoid is applied inside."],
        ["常见错误：传入 softmax 输出（或概率）而不是原始 logits；sigmoid 在损失内部计算。"],
    ),
)

loss(
    name="multi_margin", aliases=("multimargin", "multi_margin_loss", "multiclass_hinge"), kernel=L + "multi_margin",
    params=(Param("p", 1, "exponent of the margin violations: 1 or 2, as PyTorch", low=1.0, high=2.0),
            Param("margin", 1.0, "the margin the true class must win by"),
            weight_param(), reduction()),
    validate=_check_p,
    summary="multi-class hinge: Σ_{i≠y} max(0, margin − ŷ_y + ŷ_i)^p / C",
    formula=F("ℓₙ = w_y·Σ_{i≠y} max(0, margin − ŷ_y + ŷ_i)^p / C",
              r"\ell_n = \frac{w_y}{C}\sum_{i \neq y}\max\left(0,\ m - \hat{y}_y + \hat{y}_i\right)^{p}"),
    derivative_formula=F("∂ℓₙ/∂ŷ_i = w_y·p·mᵢ^(p−1)/C for each violated i ≠ y; ∂ℓₙ/∂ŷ_y = −Σ of those",
                         r"\frac{\partial \ell_n}{\partial \hat{y}_i} = \frac{w_y\,p\,m_i^{p-1}}{C}\ (m_i > 0),\ \ \frac{\partial \ell_n}{\partial \hat{y}_y} = -\sum_{i \neq y}\frac{\partial \ell_n}{\partial \hat{y}_i}"),
    properties=props(True, "C⁰ for p = 1, C¹ for p = 2", True, inputs="scores (N, C); targets class indices (N,)",
                     minimum="0 once the true class wins by the margin"),
    kink_note="where a violation m_i is exactly 0 its gradient is 0, as PyTorch's kernel (which tests m_i > 0)",
    plot_range=(-2.0, 3.0),
    paper="Weston, Watkins, 'Support Vector Machines for Multi-Class Pattern Recognition', ESANN 1999",
    plot=plot("margin", "score of the true class minus the other (two classes)", "plot_multi_margin"), per="sample",
    equivalents={
        "torch": "nn.MultiMarginLoss(p=1, margin=1.0, weight=None) / F.multi_margin_loss",
        "jax": "none in optax (optax.multiclass_hinge_loss is the Crammer–Singer max over classes, not this sum)",
        "keras": "keras.losses.CategoricalHinge (one-hot targets, the largest wrong score only: a different loss)",
    },
    notes=notes(
        ["the multi-class SVM loss: zero once the true class wins by the margin",
         "robust: a wildly wrong score adds linearly (p = 1)"],
        ["not differentiable where a violation is exactly 0 (p = 1)",
         "the scale of the scores matters: the margin is in their unit",
         "dividing by C (PyTorch) rather than counting violations makes it depend on the number of classes"],
        ["多类支持向量机损失：真实类别的得分领先达到间隔后损失为零",
         "稳健：严重错误的得分只线性地增加损失（p = 1）"],
        ["某项违反量恰为 0 处不可导（p = 1）",
         "得分的尺度有影响：间隔与得分同单位",
         "（PyTorch）除以 C 而不是违反项的个数，使损失依赖于类别数"],
    ),
    corrections=corrections(
        ["Common mistake: taking this for the Crammer–Singer loss max_i(margin − ŷ_y + ŷ_i): PyTorch sums over the wrong classes and divides by C."],
        ["常见错误：把它当成 Crammer–Singer 损失 max_i(margin − ŷ_y + ŷ_i)：PyTorch 对所有错误类别求和并除以 C。"],
    ),
)

loss(
    name="dice", aliases=("dice_loss", "soft_dice", "sorensen_dice"), kernel=L + "dice",
    params=(Param("smooth", 1.0, "s, added to the overlap and to the total: keeps empty masks finite (0 for the plain ratio)",
                  low=0.0),
            reduction()),
    summary="soft Dice 1 − (2Σŷy + s)/(Σŷ + Σy + s) over the last axis (one mask per row)",
    formula=F("ℓₙ = 1 − (2·Σᵢ ŷᵢyᵢ + s)/(Σᵢ ŷᵢ + Σᵢ yᵢ + s)",
              r"\ell_n = 1 - \frac{2\sum_i \hat{y}_i y_i + s}{\sum_i \hat{y}_i + \sum_i y_i + s}"),
    derivative_formula=F("∂ℓₙ/∂ŷᵢ = ((1 − 2yᵢ)·D − N)/D², N = Σ(ŷ + y − 2ŷy), D = Σŷ + Σy + s",
                         r"\frac{\partial \ell_n}{\partial \hat{y}_i} = \frac{(1 - 2y_i)D - N}{D^{2}}"),
    range="[0, 1]",
    properties=props("no", "C∞", False, inputs="probabilities (sigmoid or softmax outputs) and masks, one mask per row",
                     minimum="0 at ŷ = y for 0/1 masks",
                     smooth_default="1, the 'smooth Dice' of most segmentation code: an empty prediction of an empty mask "
                                    "scores 0 instead of 0/0, and one stray pixel in an empty mask costs about its probability, "
                                    "not a jump to 1; libraries differ: MONAI DiceLoss smooth_nr = smooth_dr = 1e-5, "
                                    "segmentation_models_pytorch smooth 0 (eps 1e-7 in the denominator), Keras Dice no "
                                    "smoothing, PaddlePaddle dice_loss epsilon 1e-5, MindSpore DiceLoss 1e-5 in the denominator only"),
    plot_range=(0.0, 1.0),
    paper="Milletari, Navab, Ahmadi, 'V-Net: Fully Convolutional Neural Networks for Volumetric Medical Image Segmentation', 3DV 2016",
    plot=plot("probability", "predicted probability of a one-pixel mask", "plot_dice"), per="sample",
    equivalents={
        "torch": "none in torch; monai.losses.DiceLoss (smooth_nr = smooth_dr = 1e-5), "
                 "segmentation_models_pytorch.losses.DiceLoss (smooth 0, eps 1e-7)",
        "jax": "none in optax",
        "keras": "keras.losses.Dice (Keras 3: no smoothing; over all axes unless axis is given)",
    },
    notes=notes(
        ["insensitive to class imbalance: a small foreground counts as much as a large background",
         "directly optimises the overlap measure that segmentation is judged by"],
        ["the gradient is noisy for tiny structures and can be unstable early in training; often mixed with ce",
         "the smoothing constant changes the loss a lot for small or empty masks, and every library picks another",
         "computed per sample here; some code sums over the whole batch first, which weights large masks more"],
        ["对类别不平衡不敏感：小前景与大背景同等重要",
         "直接优化分割评估所用的重叠度"],
        ["小目标的梯度噪声大，训练初期可能不稳定；常与 ce 混合使用",
         "平滑常数对小掩码或空掩码影响很大，而各库取值各不相同",
         "此处按样本计算；有的代码先对整个批次求和，会更偏重大的掩码"],
    ),
    corrections=corrections(
        ["Common mistake: feeding logits; Dice needs probabilities (sigmoid or softmax first).",
         "The smoothing s appears in the numerator and the denominator; adding it to the denominator only "
         "(MindSpore, smp's eps) gives a different loss near empty masks."],
        ["常见错误：直接输入 logits；Dice 需要概率（先做 sigmoid 或 softmax）。",
         "平滑项 s 同时出现在分子和分母中；只加在分母上（MindSpore，以及 segmentation_models_pytorch 的 eps）在空掩码附近得到不同的损失。"],
    ),
)
