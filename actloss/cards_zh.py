"""Chinese for the records' English text on the cards: summaries, parameter meanings and valid
values, kink notes, ranges, property values, the PyTorch/JAX/Keras lines and the paper lines.

Keyed by the English text exactly as the records hold it, so a changed English line falls back
to English and the test of the Chinese cards (no English prose outside code, formulas, API names
and titles) points at it. Code, formulas, API names and paper titles stay as they are.
"""

from __future__ import annotations

ZH: dict[str, str] = {
    # ----- second-derivative kink notes --------------------------------------
    "softsign″(0) = −0.0 (the jump from +2 to −2; PyTorch: sign(0) = 0)": "softsign″(0) = −0.0(从 +2 跳到 −2;PyTorch 中 sign(0) = 0)",
    "hardsigmoid′(±3) = 0, as PyTorch; hardsigmoid″ = 0 everywhere, the one-sided limits at ±3 (PyTorch has no double backward for hardsigmoid)": "hardsigmoid′(±3) = 0,与 PyTorch 相同;hardsigmoid″ 处处为 0,在 ±3 处取单侧极限(PyTorch 没有 hardsigmoid 的二阶反向传播)",
    "elu′(0) = α and elu″(0) = 0, as PyTorch": "elu′(0) = α,elu″(0) = 0,与 PyTorch 相同",
    "selu′(0) = λα and selu″(0) = 0, as PyTorch": "selu′(0) = λα,selu″(0) = 0,与 PyTorch 相同",
    "celu′(0) = 1 (both sides agree); celu″(0) = 0, as PyTorch": "celu′(0) = 1(两侧一致);celu″(0) = 0,与 PyTorch 相同",
    "hardswish′(−3) = 0, hardswish′(3) = 1 and hardswish″(±3) = 0, as PyTorch": "hardswish′(−3) = 0,hardswish′(3) = 1,hardswish″(±3) = 0,与 PyTorch 相同",
    # ----- summaries -------------------------------------------------------
    "logistic function 1/(1+e^-x)": "logistic 函数 1/(1+e^-x)",
    "hyperbolic tangent": "双曲正切",
    "piecewise-linear sigmoid relu6(x+3)/6": "分段线性的 sigmoid:relu6(x+3)/6",
    "(hardtanh(x)+1)/2, the sparsemax of [x, 0]": "(hardtanh(x)+1)/2,即 [x, 0] 的 sparsemax",
    "x for x > 0, αx otherwise": "x > 0 时为 x,否则为 αx",
    "leaky ReLU with a learnable slope (initial 0.25)": "斜率可学习的 leaky_relu(初值 0.25)",
    "randomized leaky ReLU, inference form: slope (lower+upper)/2": "随机化 leaky_relu 的推理形式:斜率为 (lower+upper)/2",
    "x for x > 0, α(e^x − 1) otherwise": "x > 0 时为 x,否则为 α(e^x − 1)",
    "scaled ELU with the self-normalising constants λ, α": "带自归一化常数 λ、α 的缩放 ELU",
    "continuously differentiable ELU: max(0,x) + min(0, α(e^(x/α) − 1))": "连续可导的 ELU:max(0,x) + min(0, α(e^(x/α) − 1))",
    "x for x > threshold, value otherwise": "x > threshold 时为 x,否则为 value",
    "Gaussian error linear unit x·Φ(x)": "高斯误差线性单元 x·Φ(x)",
    "x·σ(1.702x), the sigmoid approximation of GELU (CLIP)": "x·σ(1.702x),GELU 的 sigmoid 近似(CLIP 使用)",
    "x·σ(βx) (SiLU for β = 1)": "x·σ(βx)(β = 1 时即 SiLU)",
    "(1/β)·log(1 + e^(βx)), exact for all x": "(1/β)·log(1 + e^(βx)),对所有 x 精确计算",
    "(x + √(x² + b))/2, an algebraic softplus": "(x + √(x² + b))/2,代数形式的 softplus",
    "0, (x+1)²/4, x on x ≤ −1, |x| < 1, x ≥ 1": "在 x ≤ −1、|x| < 1、x ≥ 1 上分别为 0、(x+1)²/4、x",
    "x − λ for x > λ, x + λ for x < −λ, else 0": "x > λ 时为 x − λ,x < −λ 时为 x + λ,否则为 0",
    "x for |x| > λ, else 0": "|x| > λ 时为 x,否则为 0",
    "e^(x_i/T) / Σ_j e^(x_j/T) over each vector": "对每个向量计算 e^(x_i/T) / Σ_j e^(x_j/T)",
    "log of softmax, x_i/T − logΣ_j e^(x_j/T)": "softmax 的对数,x_i/T − logΣ_j e^(x_j/T)",
    "Euclidean projection of x/T onto the probability simplex": "x/T 在概率单纯形上的欧氏投影",
    "a ⊗ σ(b) for x = [a, b] split in halves": "a ⊗ σ(b),x = [a, b] 对半分开",
    "a ⊗ relu(b) for x = [a, b]": "a ⊗ relu(b),x = [a, b]",
    "a ⊗ gelu(b) for x = [a, b]": "a ⊗ gelu(b),x = [a, b]",
    "a ⊗ swish(b) for x = [a, b] (Shazeer 2020)": "a ⊗ swish(b),x = [a, b](Shazeer 2020)",
    "mean squared error (1/n)·Σ(ŷ − y)²": "均方误差 (1/n)·Σ(ŷ − y)²",
    "mean absolute error (1/n)·Σ|ŷ − y|": "平均绝对误差 (1/n)·Σ|ŷ − y|",
    "sum of squared errors Σ(ŷ − y)²": "误差平方和 Σ(ŷ − y)²",
    "quadratic for small errors, linear beyond δ": "误差小时为二次,超过 δ 后为线性",
    "Huber divided by β: ½r²/β for |r| < β, |r| − ½β otherwise": "Huber 除以 β:|r| < β 时为 ½r²/β,否则为 |r| − ½β",
    "log(cosh(ŷ − y)): ½r² near 0, |r| − log 2 far away": "log(cosh(ŷ − y)):0 附近约为 ½r²,远处约为 |r| − log 2",
    "Gaussian negative log-likelihood ½(log σ² + (ŷ − y)²/σ²)": "高斯负对数似然 ½(log σ² + (ŷ − y)²/σ²)",
    "Poisson negative log-likelihood e^ŷ − y·ŷ (ŷ = log rate)": "泊松负对数似然 e^ŷ − y·ŷ(ŷ 为对数速率)",
    "max(0, 1 − y·ŷ), labels −1/1 (0/1 mapped)": "max(0, 1 − y·ŷ),标签为 −1/1(0/1 会被映射)",
    "max(0, 1 − y·ŷ)², labels −1/1 (0/1 mapped)": "max(0, 1 − y·ŷ)²,标签为 −1/1(0/1 会被映射)",
    "binary cross-entropy −[y log p + (1 − y) log(1 − p)]; probabilities, or logits with --logits":
        "二元交叉熵 −[y log p + (1 − y) log(1 − p)];输入概率,加 --logits 时输入 logits",
    "sigmoid focal loss α_t·(1 − p_t)^γ·bce: down-weights easy examples": "sigmoid focal 损失 α_t·(1 − p_t)^γ·bce:降低简单样本的权重",
    "cross-entropy −Σ y log ŷ; probabilities or logits, class indices or distributions":
        "交叉熵 −Σ y log ŷ;输入概率或 logits,目标为类别索引或分布",
    "negative log-likelihood −ŷ[class] of log-probabilities (log_softmax output)": "对数概率(log_softmax 的输出)的负对数似然 −ŷ[class]",
    "KL divergence KL(target ‖ pred) = Σ y log(y/ŷ), averaged over samples": "KL 散度 KL(target ‖ pred) = Σ y log(y/ŷ),对样本取平均",
    "Jensen–Shannon divergence ½KL(y‖m) + ½KL(ŷ‖m), m = (y + ŷ)/2": "Jensen–Shannon 散度 ½KL(y‖m) + ½KL(ŷ‖m),m = (y + ŷ)/2",
    "1 − cosine similarity of pred and target along the last axis": "沿最后一维计算 1 − pred 与 target 的余弦相似度",
    # ----- parameter meanings ------------------------------------------------
    "slope for x < 0 (PyTorch negative_slope)": "x < 0 时的斜率(PyTorch 的 negative_slope)",
    "slope for x < 0 (learned in a network; PyTorch initialises it to 0.25)": "x < 0 时的斜率(在网络中学习;PyTorch 的初值为 0.25)",
    "lower bound of the random slope": "随机斜率的下界",
    "upper bound of the random slope": "随机斜率的上界",
    "scale of the negative saturation": "负半轴饱和值的尺度",
    "inputs above it pass through": "大于它的输入原样通过",
    "the output for inputs at or below the threshold": "输入小于或等于阈值时的输出",
    "'none' for the exact x·Φ(x), 'tanh' for the tanh approximation": "'none' 为精确的 x·Φ(x),'tanh' 为 tanh 近似",
    "slope inside the sigmoid (β = 1 is SiLU)": "sigmoid 内的斜率(β = 1 即 SiLU)",
    "sharpness β > 0": "锐度 β > 0",
    "smoothness b > 0 (curvature at 0)": "光滑度 b > 0(决定 0 处的曲率)",
    "lower bound": "下界",
    "upper bound": "上界",
    "half-width λ ≥ 0 of the dead zone": "死区的半宽 λ ≥ 0",
    "temperature T > 0: the input is divided by T": "温度 T > 0:输入先除以 T",
    "'none' for the exact GELU gate, 'tanh' for its approximation": "'none' 为精确的 GELU 门,'tanh' 为其近似",
    "β of the Swish gate (β = 1 is SiLU)": "Swish 门中的 β(β = 1 即 SiLU)",
    "mean over all elements; sum; or none, one loss per element": "mean 对所有元素取均值;sum 求和;none 每个元素一个损失",
    "mean over samples, the rows of the last axis; sum; or none, one loss per sample":
        "mean 对样本(最后一维的各行)取均值;sum 求和;none 每个样本一个损失",
    "where the loss switches from quadratic to linear": "损失由二次转为线性的位置",
    "width of the quadratic zone (0 gives L1)": "二次区的宽度(取 0 即 L1)",
    "the predicted variance σ² (one number for every element)": "预测的方差 σ²(所有元素共用一个数)",
    "add the constant ½·log 2π": "加上常数 ½·log 2π",
    "the variance is clamped to at least eps, as PyTorch": "方差至少截断到 eps,与 PyTorch 相同",
    "pred is the log rate (PyTorch's default); false: pred is the rate": "pred 为对数速率(PyTorch 的默认);false:pred 为速率本身",
    "add Stirling's approximation of log(y!) for y > 1": "对 y > 1 加上 log(y!) 的 Stirling 近似",
    "added to the rate before the log when pred is the rate": "pred 为速率时,取对数前加到速率上",
    "pred holds raw scores (logits), not probabilities": "pred 为原始分数(logits)而不是概率",
    "focusing exponent γ (0 gives α-weighted bce)": "聚焦指数 γ(取 0 即按 α 加权的 bce)",
    "weight α of the positive class, 1 − α of the negative; −1 turns it off": "正类权重 α,负类权重 1 − α;取 −1 关闭加权",
    "ε: mix the target with the uniform distribution, as PyTorch": "ε:把目标与均匀分布混合,与 PyTorch 相同",
    "one weight per class, as PyTorch's weight (default: all 1)": "每个类别一个权重,同 PyTorch 的 weight(默认全为 1)",
    # ----- kink notes --------------------------------------------------------
    "0 at x = ±1, the convention of hardtanh in PyTorch": "在 x = ±1 处为 0,沿用 PyTorch 中 hardtanh 的约定",
    "relu′(0) = 0, as PyTorch": "relu′(0) = 0,与 PyTorch 相同",
    "relu6′(0) = relu6′(6) = 0, as PyTorch": "relu6′(0) = relu6′(6) = 0,与 PyTorch 相同",
    "leaky_relu′(0) = α, as PyTorch": "leaky_relu′(0) = α,与 PyTorch 相同",
    "prelu′(0) = α, as PyTorch": "prelu′(0) = α,与 PyTorch 相同",
    "rrelu′(0) = (lower+upper)/2, as PyTorch in eval mode": "rrelu′(0) = (lower+upper)/2,与 PyTorch 的推理(eval)模式相同",
    "threshold′(t) = 0, as PyTorch": "threshold′(t) = 0,与 PyTorch 相同",
    "continuous derivative: 0 at −1, 1 at 1": "导数连续:在 −1 处为 0,在 1 处为 1",
    "0 at both bounds, as PyTorch": "在两个边界处都为 0,与 PyTorch 相同",
    "softshrink′(±λ) = 0, as PyTorch": "softshrink′(±λ) = 0,与 PyTorch 相同",
    "hardshrink′(±λ) = 0, as PyTorch": "hardshrink′(±λ) = 0,与 PyTorch 相同",
    "the gradient at ŷ = y is 0, as PyTorch (sign(0) = 0)": "ŷ = y 处的梯度为 0,与 PyTorch 相同(sign(0) = 0)",
    # ----- ranges --------------------------------------------------------------
    "(0, 1), each vector sums to 1": "(0, 1),每个向量之和为 1",
    "[0, 1], each vector sums to 1": "[0, 1],每个向量之和为 1",
    "[{min}/β, inf) for β > 0": "[{min}/β, inf)(β > 0)",
    "(-λα, inf) = ({lim-}, inf)": "(-λα, inf) = ({lim-}, inf)",
    # ----- property values -----------------------------------------------------
    "for lower + upper ≥ 0": "lower + upper ≥ 0 时是",
    "C⁰ (kink at ŷ = y)": "C⁰(在 ŷ = y 处有折点)",
    "0 at ŷ = y": "在 ŷ = y 处为 0",
    "C¹ (C⁰ for β = 0)": "C¹(β = 0 时为 C⁰)",
    "½·log v at ŷ = y": "在 ŷ = y 处为 ½·log v",
    "y − y·log y at ŷ = log y (log input)": "在 ŷ = log y 处为 y − y·log y(对数输入)",
    "C⁰ (kink at y·ŷ = 1)": "C⁰(在 y·ŷ = 1 处有折点)",
    "0 for y·ŷ ≥ 1": "y·ŷ ≥ 1 时为 0",
    "labels y are −1 or 1; labels 0/1 are accepted and mapped to −1/1 (as Keras does)":
        "标签 y 取 −1 或 1;也接受 0/1,并映射为 −1/1(与 Keras 相同)",
    "probabilities by default, logits with --logits": "默认输入概率,加 --logits 时输入 logits",
    "at p = y (0 for hard labels)": "在 p = y 处取得(硬标签时为 0)",
    "no (for γ > 0)": "否(γ > 0 时)",
    "C∞ for γ ≥ 1": "γ ≥ 1 时 C∞",
    "probabilities by default, logits with --logits (torchvision takes logits)": "默认输入概率,加 --logits 时输入 logits(torchvision 接收 logits)",
    "0 at p = y": "在 p = y 处为 0",
    "probabilities by default, logits with --logits; targets: class indices (pred's shape without its last axis) or class probabilities (pred's shape)":
        "默认输入概率,加 --logits 时输入 logits;目标为类别索引(形状为 pred 去掉最后一维)或类别概率(形状与 pred 相同)",
    "the entropy of y, at p = y (0 for hard labels)": "y 的熵,在 p = y 处取得(硬标签时为 0)",
    "log-probabilities; targets: class indices": "输入对数概率;目标为类别索引",
    "0 when the true class has log-probability 0": "真实类别的对数概率为 0 时为 0",
    "pred and target: probability distributions over the last axis": "pred 与 target:沿最后一维的概率分布",
    "by log 2 ≈ 0.693 (natural log)": "上界为 log 2 ≈ 0.693(自然对数)",
    "C∞ away from 0": "0 以外 C∞",
    "0 when ŷ points along y": "ŷ 与 y 同向时为 0",
    "{min} at x = {min_x}": "在 x = {min_x} 处取 {min}",
    "C∞ where ŷ > 0": "ŷ > 0 处 C∞",
    "linear": "线性",
    # ----- PyTorch / JAX / Keras -------------------------------------------------
    "none": "无",
    "none in optax": "optax 中没有",
    "keras.activations.tanh; on the JAX backend float64 input comes back float32 unless jax_enable_x64 is set (JAX computes in 32 bits by default)":
        "keras.activations.tanh;在 JAX 后端上,除非设置了 jax_enable_x64,float64 输入会以 float32 返回(JAX 默认以 32 位计算)",
    "nn.functional.hardsigmoid / nn.Hardsigmoid: relu6(x + 3)/6, multiplied by the float32 constant 1/6 even in float64, so the slope is 0.1666666716337204 (3e-8 too large)":
        "nn.functional.hardsigmoid / nn.Hardsigmoid:relu6(x + 3)/6,即使在 float64 下也乘以 float32 常数 1/6,因此斜率为 0.1666666716337204(偏大 3e-8)",
    "keras.activations.hard_sigmoid: relu6(x + 3)/6 in Keras 3, but Keras 2 (tf.keras) used clip(0.2x + 0.5, 0, 1), a different function":
        "keras.activations.hard_sigmoid:Keras 3 中为 relu6(x + 3)/6,而 Keras 2(tf.keras)用的是 clip(0.2x + 0.5, 0, 1),是另一个函数",
    "jax.nn.sparse_sigmoid: computed as 0.5·clip(x + 1, 0, 2), whose derivative at x = ±1 is 0.25 (a tie with a bound of clip shares the slope in halves), not 0":
        "jax.nn.sparse_sigmoid:按 0.5·clip(x + 1, 0, 2) 计算,它在 x = ±1 处的导数是 0.25 而不是 0(clip 在取值等于边界时把斜率对半分)",
    "keras.activations.sparse_sigmoid (on the JAX backend jax.nn.sparse_sigmoid: derivative 0.25 at x = ±1)":
        "keras.activations.sparse_sigmoid(在 JAX 后端上即 jax.nn.sparse_sigmoid:x = ±1 处导数为 0.25)",
    "jax.nn.relu (documented derivative 0 at x = 0)": "jax.nn.relu(文档规定 x = 0 处导数为 0)",
    "jax.nn.leaky_relu(negative_slope=0.01); computed as where(x ≥ 0, x, αx), so its derivative at 0 is 1, not α":
        "jax.nn.leaky_relu(negative_slope=0.01);按 where(x ≥ 0, x, αx) 计算,所以 0 处的导数是 1 而不是 α",
    "keras.activations.leaky_relu(negative_slope=0.2), but keras.layers.LeakyReLU(negative_slope=0.3) (Keras 2: alpha=0.3): two defaults, neither PyTorch's 0.01; on the JAX backend the derivative at 0 is 1, as in JAX":
        "keras.activations.leaky_relu(negative_slope=0.2),而 keras.layers.LeakyReLU(negative_slope=0.3)(Keras 2:alpha=0.3):两个默认值,都不是 PyTorch 的 0.01;在 JAX 后端上 0 处的导数为 1,与 JAX 相同",
    "keras.layers.PReLU(alpha_initializer='Zeros'): starts at slope 0 (ReLU), not 0.25":
        "keras.layers.PReLU(alpha_initializer='Zeros'):初始斜率为 0(即 ReLU),而不是 0.25",
    "nn.functional.rrelu(lower=1/8, upper=1/3, training=False) / nn.RReLU (random slopes in training mode)":
        "nn.functional.rrelu(lower=1/8, upper=1/3, training=False) / nn.RReLU(训练模式下斜率随机)",
    "nn.functional.threshold(input, threshold, value) / nn.Threshold: both required":
        "nn.functional.threshold(input, threshold, value) / nn.Threshold:两个参数都必须给出",
    "keras.activations.threshold(x, threshold, default_value): both required":
        "keras.activations.threshold(x, threshold, default_value):两个参数都必须给出",
    "nn.functional.gelu(approximate='none') / nn.GELU: the exact erf form by default; approximate='tanh' for the approximation":
        "nn.functional.gelu(approximate='none') / nn.GELU:默认为精确的 erf 形式;approximate='tanh' 为近似",
    "jax.nn.gelu(approximate=True): the tanh approximation by default": "jax.nn.gelu(approximate=True):默认为 tanh 近似",
    "keras.activations.gelu(approximate=False), but keras.ops.gelu(approximate=True): the two Keras entry points disagree":
        "keras.activations.gelu(approximate=False),而 keras.ops.gelu(approximate=True):Keras 的两个入口默认值不同",
    "nn.functional.hardtanh(min_val=-1.0, max_val=1.0) / nn.Hardtanh; derivative 0 at both bounds":
        "nn.functional.hardtanh(min_val=-1.0, max_val=1.0) / nn.Hardtanh;两个边界处导数为 0",
    "jax.nn.hard_tanh: bounds fixed at ±1, derivative 1 at x = ±1": "jax.nn.hard_tanh:边界固定为 ±1,x = ±1 处导数为 1",
    "keras.activations.hard_tanh (bounds fixed at ±1; on the JAX backend the derivative at x = ±1 is 1, as in JAX)":
        "keras.activations.hard_tanh(边界固定为 ±1;在 JAX 后端上 x = ±1 处导数为 1,与 JAX 相同)",
    "keras.activations.soft_shrink(threshold=0.5) (λ is called threshold)": "keras.activations.soft_shrink(threshold=0.5)(λ 在这里叫 threshold)",
    "keras.activations.hard_shrink(threshold=0.5) (λ is called threshold)": "keras.activations.hard_shrink(threshold=0.5)(λ 在这里叫 threshold)",
    "nn.functional.softmax(input, dim) / nn.Softmax(dim): give dim, the implicit choice is deprecated; no temperature (divide the input by T)":
        "nn.functional.softmax(input, dim) / nn.Softmax(dim):要给出 dim,隐式选择已弃用;没有温度参数(先把输入除以 T)",
    "jax.nn.softmax(x, axis=-1); no temperature": "jax.nn.softmax(x, axis=-1);没有温度参数",
    "keras.activations.softmax(x, axis=-1); no temperature": "keras.activations.softmax(x, axis=-1);没有温度参数",
    "none (jax.nn has sparse_plus and sparse_sigmoid, not sparsemax)": "无(jax.nn 有 sparse_plus 和 sparse_sigmoid,没有 sparsemax)",
    "keras.activations.sparsemax(x, axis=-1) / keras.ops.sparsemax; in Keras 3.15 on the JAX backend its threshold adds up the running sums over the support, so whenever two or more entries are non-zero the rows do not sum to 1":
        "keras.activations.sparsemax(x, axis=-1) / keras.ops.sparsemax;Keras 3.15 的 JAX 后端在计算阈值时把支撑集上的累积和再求和,因此只要有两个或更多非零分量,各行之和就不为 1",
    "nn.functional.glu(input, dim=-1) / nn.GLU: first half ⊗ σ(second half), as actloss":
        "nn.functional.glu(input, dim=-1) / nn.GLU:前一半 ⊗ σ(后一半),与 actloss 相同",
    "jax.nn.glu(x, axis=-1): first half ⊗ σ(second half)": "jax.nn.glu(x, axis=-1):前一半 ⊗ σ(后一半)",
    "keras.activations.glu(x, axis=-1): first half ⊗ σ(second half)": "keras.activations.glu(x, axis=-1):前一半 ⊗ σ(后一半)",
    "none (a * F.relu(b) on the two halves of one projection)": "无(对同一投影的两半计算 a * F.relu(b))",
    "none (a * F.gelu(b) on the two halves of one projection)": "无(对同一投影的两半计算 a * F.gelu(b))",
    "nn.MSELoss / F.mse_loss (reduction='mean': over every element)": "nn.MSELoss / F.mse_loss(reduction='mean':对所有元素)",
    "optax.squared_error(pred, target).mean() (optax.l2_loss is half of it)": "optax.squared_error(pred, target).mean()(optax.l2_loss 是它的一半)",
    "keras.losses.MeanSquaredError (mean over the last axis, then over the batch: the same number for equal-length rows)":
        "keras.losses.MeanSquaredError(先对最后一维取均值,再对批取均值:各行等长时结果相同)",
    "none in optax (jnp.mean(jnp.abs(pred - target)))": "optax 中没有(jnp.mean(jnp.abs(pred - target)))",
    "keras.losses.MeanAbsoluteError (on the JAX backend the gradient at ŷ = y is −1/n: JAX differentiates |u| at 0 as 1)":
        "keras.losses.MeanAbsoluteError(在 JAX 后端上 ŷ = y 处梯度为 −1/n:JAX 把 |u| 在 0 处的导数取为 1)",
    "2 · optax.l2_loss(pred, target).sum(): optax's l2_loss is half of the squared error, ½(ŷ − y)²":
        "2 · optax.l2_loss(pred, target).sum():optax 的 l2_loss 是平方误差的一半 ½(ŷ − y)²",
    "none (MeanSquaredError(reduction='sum') sums per-sample means, i.e. divides by the row length)":
        "无(MeanSquaredError(reduction='sum') 对各样本的均值求和,相当于除以行长)",
    "optax.huber_loss(pred, target, delta=1.0) (per element)": "optax.huber_loss(pred, target, delta=1.0)(逐元素)",
    "none in optax (optax.huber_loss(pred, target, delta=beta) / beta)": "optax 中没有(optax.huber_loss(pred, target, delta=beta) / beta)",
    "none (torch.log(torch.cosh(r)) overflows for |r| > 710; use r + softplus(-2r) - log 2)":
        "无(torch.log(torch.cosh(r)) 在 |r| > 710 时溢出;应使用 r + softplus(-2r) - log 2)",
    "optax.log_cosh(pred, target) (per element)": "optax.log_cosh(pred, target)(逐元素)",
    "keras.losses.LogCosh (mean over the last axis)": "keras.losses.LogCosh(对最后一维取均值)",
    "nn.GaussianNLLLoss / F.gaussian_nll_loss(input, target, var) (var clamped to eps = 1e-6)":
        "nn.GaussianNLLLoss / F.gaussian_nll_loss(input, target, var)(var 截断到 eps = 1e-6)",
    "none in optax (-jax.scipy.stats.norm.logpdf(target, pred, sqrt(var)), which includes ½·log 2π)":
        "optax 中没有(-jax.scipy.stats.norm.logpdf(target, pred, sqrt(var)),其中含 ½·log 2π)",
    "keras.losses.Poisson (takes the rate, not its log: ŷ − y·log(ŷ + 1e-7))": "keras.losses.Poisson(输入速率而非其对数:ŷ − y·log(ŷ + 1e-7))",
    "none (torch.clamp(1 - y * pred, min=0).mean(); nn.HingeEmbeddingLoss is a different loss)":
        "无(torch.clamp(1 - y * pred, min=0).mean();nn.HingeEmbeddingLoss 是另一种损失)",
    "optax.hinge_loss(scores, labels) (labels strictly −1/1)": "optax.hinge_loss(scores, labels)(标签必须是 −1/1)",
    "keras.losses.Hinge (maps 0/1 labels to −1/1, mean over the last axis)": "keras.losses.Hinge(把 0/1 标签映射为 −1/1,对最后一维取均值)",
    "none (torch.clamp(1 - y * pred, min=0).pow(2).mean())": "无(torch.clamp(1 - y * pred, min=0).pow(2).mean())",
    "none in optax (optax.hinge_loss(...) ** 2)": "optax 中没有(optax.hinge_loss(...) ** 2)",
    "keras.losses.SquaredHinge (maps 0/1 labels to −1/1)": "keras.losses.SquaredHinge(把 0/1 标签映射为 −1/1)",
    "F.binary_cross_entropy / nn.BCELoss (probabilities; log clamped at −100) and F.binary_cross_entropy_with_logits / nn.BCEWithLogitsLoss (= --logits)":
        "F.binary_cross_entropy / nn.BCELoss(输入概率;log 截断在 −100)以及 F.binary_cross_entropy_with_logits / nn.BCEWithLogitsLoss(= --logits)",
    "optax.sigmoid_binary_cross_entropy(logits, labels) (logits only, per element)": "optax.sigmoid_binary_cross_entropy(logits, labels)(只接收 logits,逐元素)",
    "keras.losses.BinaryCrossentropy (probabilities by default, clipped to [1e-7, 1 − 1e-7]; from_logits=True for logits)":
        "keras.losses.BinaryCrossentropy(默认输入概率,截断到 [1e-7, 1 − 1e-7];from_logits=True 时输入 logits)",
    "torchvision.ops.sigmoid_focal_loss(logits, targets, alpha=0.25, gamma=2, reduction='none') (= --logits; its default reduction is 'none', actloss's is 'mean'; alpha < 0 turns the weighting off; it forms 1 − p_t from a rounded p, which is 0 in float64 from |logit| ≈ 36.7 on the confident side, and there autograd gives NaN: for γ < 1 in the gradient, for 1 < γ < 2 in the second derivative; actloss keeps 1 − p_t exact)":
        "torchvision.ops.sigmoid_focal_loss(logits, targets, alpha=0.25, gamma=2, reduction='none')(= --logits;它的默认 reduction 是 'none',actloss 的是 'mean';alpha < 0 关闭加权;它由舍入后的 p 计算 1 − p_t,在 float64 中预测正确一侧 |x| ≈ 36.7(原始分数)起即为 0,此时自动微分给出 NaN:γ < 1 时在梯度中,1 < γ < 2 时在二阶导数中;actloss 精确保留 1 − p_t)",
    "optax.sigmoid_focal_loss(logits, labels, alpha=None, gamma=2.0) (no α weighting by default)": "optax.sigmoid_focal_loss(logits, labels, alpha=None, gamma=2.0)(默认不做 α 加权)",
    "keras.losses.BinaryFocalCrossentropy(gamma=2.0) (α only with apply_class_balancing=True; probabilities by default; with from_logits=True it applies the sigmoid and then still clips p to [1e-7, 1 − 1e-7])":
        "keras.losses.BinaryFocalCrossentropy(gamma=2.0)(只有 apply_class_balancing=True 时才用 α;默认输入概率;from_logits=True 时先做 sigmoid,之后仍把 p 截断到 [1e-7, 1 − 1e-7])",
    "nn.CrossEntropyLoss / F.cross_entropy: takes logits (= ce --logits); for probabilities F.nll_loss(pred.log(), target). Class axis is dim 1, actloss's is the last axis":
        "nn.CrossEntropyLoss / F.cross_entropy:输入 logits(= ce --logits);输入概率时用 F.nll_loss(pred.log(), target)。类别维是 dim 1,actloss 的是最后一维",
    "optax.softmax_cross_entropy(logits, labels) (distributions), optax.softmax_cross_entropy_with_integer_labels (indices); logits, per sample, no reduction":
        "optax.softmax_cross_entropy(logits, labels)(分布),optax.softmax_cross_entropy_with_integer_labels(索引);输入 logits,逐样本,不做归约",
    "keras.losses.CategoricalCrossentropy (one-hot), SparseCategoricalCrossentropy (indices, and no label_smoothing); probabilities by default (each row rescaled to sum 1, then clipped at 1e-7); from_logits=True for logits":
        "keras.losses.CategoricalCrossentropy(one-hot),SparseCategoricalCrossentropy(索引,没有 label_smoothing);默认输入概率(每行先缩放到和为 1,再截断在 1e-7);from_logits=True 时输入 logits",
    "nn.NLLLoss / F.nll_loss (log-probabilities, class indices, weighted mean)": "nn.NLLLoss / F.nll_loss(对数概率,类别索引,加权均值)",
    "none in optax (-jnp.take_along_axis(log_probs, labels[:, None], -1).mean())": "optax 中没有(-jnp.take_along_axis(log_probs, labels[:, None], -1).mean())",
    "F.kl_div(pred.log(), target, reduction='batchmean') / nn.KLDivLoss: the input is log ŷ (log-space) and comes first, the target y second; reduction='mean' divides by the number of elements, not samples":
        "F.kl_div(pred.log(), target, reduction='batchmean') / nn.KLDivLoss:输入是 log ŷ(对数空间)且放在前面,目标 y 在后;reduction='mean' 除以元素个数而不是样本数",
    "optax.kl_divergence(log_predictions, targets) (log-space predictions; per sample)": "optax.kl_divergence(log_predictions, targets)(预测取对数;逐样本)",
    "keras.losses.KLDivergence(y_true, y_pred) (both clipped to [1e-7, 1])": "keras.losses.KLDivergence(y_true, y_pred)(两者都截断到 [1e-7, 1])",
    "nn.CosineEmbeddingLoss with y = 1 (1 − cos, eps 1e-12 inside the norms); 1 - F.cosine_similarity(pred, target, dim=-1)":
        "nn.CosineEmbeddingLoss 取 y = 1(1 − cos,范数内含 eps 1e-12);1 - F.cosine_similarity(pred, target, dim=-1)",
    "optax.cosine_distance(pred, target) (1 − cos; per sample)": "optax.cosine_distance(pred, target)(1 − cos;逐样本)",
    "none (jax.nn.leaky_relu with a learned negative_slope)": "无(jax.nn.leaky_relu,negative_slope 可学习)",
    "none (x * torch.sigmoid(1.702 * x); Hugging Face transformers: QuickGELUActivation)":
        "无(x * torch.sigmoid(1.702 * x);Hugging Face 的 transformers 库中为 QuickGELUActivation)",
    "none (jax.nn.softmax(-x))": "无(jax.nn.softmax(-x))",
    "none (a * F.silu(b); LLaMA writes w2(silu(w1(x)) * w3(x)))": "无(a * F.silu(b);LLaMA 写作 w2(silu(w1(x)) * w3(x)))",
    "none (keras.losses.Huber(delta=beta) / beta)": "无(keras.losses.Huber(delta=beta) / beta)",
    "torch.relu / nn.ReLU (derivative 0 at x = 0)": "torch.relu / nn.ReLU(x = 0 处导数为 0)",
    "jax.nn.relu6 (derivative 0 at x = 0 and x = 6)": "jax.nn.relu6(x = 0 和 x = 6 处导数为 0)",
    "nn.functional.leaky_relu(negative_slope=0.01) / nn.LeakyReLU; derivative α at x = 0":
        "nn.functional.leaky_relu(negative_slope=0.01) / nn.LeakyReLU;x = 0 处导数为 α",
    "nn.functional.elu(alpha=1.0) / nn.ELU; derivative α at x = 0": "nn.functional.elu(alpha=1.0) / nn.ELU;x = 0 处导数为 α",
    "jax.nn.elu(alpha=1.0); derivative α at x = 0": "jax.nn.elu(alpha=1.0);x = 0 处导数为 α",
    "nn.functional.selu / nn.SELU (with nn.AlphaDropout)": "nn.functional.selu / nn.SELU(配合 nn.AlphaDropout)",
    "keras.activations.selu (with kernel_initializer='lecun_normal' and layers.AlphaDropout)":
        "keras.activations.selu(配合 kernel_initializer='lecun_normal' 与 layers.AlphaDropout)",
    "nn.functional.silu / nn.SiLU (β = 1 only)": "nn.functional.silu / nn.SiLU(只有 β = 1)",
    "jax.nn.silu = jax.nn.swish (β = 1 only)": "jax.nn.silu = jax.nn.swish(只有 β = 1)",
    "keras.activations.silu = keras.activations.swish (β = 1 only)": "keras.activations.silu = keras.activations.swish(只有 β = 1)",
    "nn.functional.softplus(beta=1.0, threshold=20.0) / nn.Softplus: returns x where βx > 20":
        "nn.functional.softplus(beta=1.0, threshold=20.0) / nn.Softplus:βx > 20 时直接返回 x",
    "keras.losses.CosineSimilarity returns −cos (in [−1, 1]), not 1 − cos": "keras.losses.CosineSimilarity 返回 −cos(在 [−1, 1] 内),而不是 1 − cos",
    # ----- papers (titles stay) ---------------------------------------------------
    "Bergstra, Desjardins, Lamblin, Bengio, 'Quadratic Polynomials Learn Better Image Features', 2009; compared with tanh by Glorot & Bengio, 2010":
        "Bergstra, Desjardins, Lamblin, Bengio, 'Quadratic Polynomials Learn Better Image Features', 2009;Glorot 与 Bengio 在 2010 年将其与 tanh 比较",
    "Howard et al., 'Searching for MobileNetV3', 2019 (as h-sigmoid)": "Howard 等, 'Searching for MobileNetV3', 2019(称为 h-sigmoid)",
    "Hendrycks & Gimpel 2016 (sigmoid approximation); used by OpenAI CLIP, 2021": "Hendrycks 与 Gimpel 2016(sigmoid 近似);OpenAI CLIP 使用,2021",
    "Ramachandran, Zoph, Le, 'Searching for Activation Functions', 2017; Elfwing et al. 2017 (SiLU)":
        "Ramachandran, Zoph, Le, 'Searching for Activation Functions', 2017;Elfwing 等 2017(SiLU)",
    "Blondel, Martins, Niculae, 'Learning with Fenchel-Young Losses', 2019 (the sparse counterpart of softplus)":
        "Blondel, Martins, Niculae, 'Learning with Fenchel-Young Losses', 2019(softplus 的稀疏对应物)",
    "Howard et al., 'Searching for MobileNetV3', 2019": "Howard 等, 'Searching for MobileNetV3', 2019",
    "Dauphin et al., 'Language Modeling with Gated Convolutional Networks', 2016": "Dauphin 等, 'Language Modeling with Gated Convolutional Networks', 2016",
    "Chen et al., 'Log Hyperbolic Cosine Loss Improves Variational Auto-Encoder', 2019": "Chen 等, 'Log Hyperbolic Cosine Loss Improves Variational Auto-Encoder', 2019",
    "label smoothing: Szegedy et al., 'Rethinking the Inception Architecture for Computer Vision', CVPR 2016":
        "标签平滑:Szegedy 等, 'Rethinking the Inception Architecture for Computer Vision', CVPR 2016",
    "Blondel, Martins, Niculae, 'Learning with Fenchel-Young Losses', 2019 (section 6.2)":
        "Blondel, Martins, Niculae, 'Learning with Fenchel-Young Losses', 2019(第 6.2 节)",
    "Huber, 'Robust Estimation of a Location Parameter', Annals of Mathematical Statistics 35(1), 1964":
        "Huber, 'Robust Estimation of a Location Parameter', 《Annals of Mathematical Statistics》35(1), 1964",
    "Cortes, Vapnik, 'Support-Vector Networks', Machine Learning 20, 1995":
        "Cortes, Vapnik, 'Support-Vector Networks', 《Machine Learning》20, 1995",
    "Kullback, Leibler, 'On Information and Sufficiency', Annals of Mathematical Statistics 22(1), 1951":
        "Kullback, Leibler, 'On Information and Sufficiency', 《Annals of Mathematical Statistics》22(1), 1951",
    "Lin, 'Divergence measures based on the Shannon entropy', IEEE Transactions on Information Theory 37(1), 1991":
        "Lin, 'Divergence measures based on the Shannon entropy', 《IEEE Transactions on Information Theory》37(1), 1991",
}


# ----- loss options and the new functions ------------------------------------
ZH.update({
    "the gradient at y·ŷ = 1 is −y (divided by n for the mean), as autograd through clamp(1 − y·ŷ, min=0), which passes the gradient at its boundary":
        "y·ŷ = 1 处的梯度为 −y(取均值时再除以 n),与经过 clamp(1 − y·ŷ, min=0) 的自动微分相同:截断函数在边界处传递梯度",
    "nn.PoissonNLLLoss(log_input=True, full=False, eps=1e-8) / F.poisson_nll_loss; with log_input=False PyTorch rounds ŷ + ε to float before the log (ε = 1e-8 is lost below the last bit of ŷ ≥ 1), actloss takes the log of the exact sum":
        "nn.PoissonNLLLoss(log_input=True, full=False, eps=1e-8) / F.poisson_nll_loss;log_input=False 时 PyTorch 先把 ŷ + ε 舍入为浮点数再取对数(ŷ ≥ 1 时 ε = 1e-8 低于末位而丢失),actloss 对精确的和取对数",
    "with --logits: one weight per class (last axis) for the positive term, as BCEWithLogitsLoss's pos_weight (default: none)":
        "配合 --logits 使用:每个类别(最后一维)一个正样本项权重,与 BCEWithLogitsLoss 的 pos_weight 相同(默认:无)",
    "divide each of the probability rows of pred and target by its sum first (for rows that sum to 1 only after rounding)":
        "先把 pred 与 target 的每个概率行除以其和(用于只有舍入后才和为 1 的行)",
    "divide each of the rows of pred and target by its sum first (for rows that sum to 1 only after rounding)":
        "先把 pred 与 target 的每一行除以其和(用于只有舍入后才和为 1 的行)",
    "samples whose target is this class index are skipped and not counted in the mean, as PyTorch":
        "目标为该类别索引的样本被跳过,也不计入均值,与 PyTorch 相同",
    # squared_relu
    "squared_relu′(0) = 0 (the derivative is continuous there); f(−0.0) = +0.0, as PyTorch":
        "squared_relu′(0) = 0(导数在该点连续);f(−0.0) = +0.0,与 PyTorch 相同",
    "torch.square(F.relu(x)) (no built-in; relu(x) ** 2 gives the same numbers and signed zeros)":
        "torch.square(F.relu(x))(无内置函数;relu(x) ** 2 给出相同的数值和带符号零)",
    # softcap
    "Gemma Team, 'Gemma 2: Improving Open Language Models at a Practical Size', 2024 (logit soft-capping; earlier Bello et al., 2016)":
        "Gemma Team, 'Gemma 2: Improving Open Language Models at a Practical Size', 2024(logit 软上限;更早见 Bello 等人, 2016)",
    "c: the outputs stay inside (−c, c) (Gemma 2: 30 for the final logits, 50 for attention scores)":
        "c:输出保持在 (−c, c) 内(Gemma 2:最终 logits 取 30,注意力得分取 50)",
    "cap * jnp.tanh(x / cap) (as in the Gemma reference implementation)": "cap * jnp.tanh(x / cap)(与 Gemma 参考实现相同)",
    "cap * keras.ops.tanh(x / cap) (keras_hub's Gemma 2 backbone, final_logit_soft_cap = 30)":
        "cap * keras.ops.tanh(x / cap)(keras_hub 的 Gemma 2 主干网络,final_logit_soft_cap = 30)",
    "cap * torch.tanh(x / cap) (no built-in; FlexAttention score_mod examples use the same formula)":
        "cap * torch.tanh(x / cap)(无内置函数;FlexAttention 的 score_mod 示例使用同一公式)",
    "c·tanh(x/c): logit soft-capping, ≈ x for |x| ≪ c, never beyond ±c": "c·tanh(x/c):对数几率(logits)的软上限,|x| ≪ c 时 ≈ x,永不超过 ±c",
    # logsumexp
    "T·log Σ_i e^(x_i/T): one number per vector, a smooth maximum; its gradient is the softmax":
        "T·log Σ_i e^(x_i/T):每个向量一个数,即光滑的最大值;其梯度就是 softmax",
    "[max x, max x + T·log n] for each vector": "对每个向量为 [max x, max x + T·log n]",
    "yes, in every entry": "是,对每个分量单调",
    # quantile
    "none (tfa.losses.PinballLoss in the retired TensorFlow Addons; same formula, τ default 0.5)":
        "无(已停止维护的 TensorFlow Addons 中有 tfa.losses.PinballLoss;公式相同,τ 默认 0.5)",
    "none (torch.maximum(tau * r, (tau - 1) * r).mean() with r = target - pred)":
        "无(torch.maximum(tau * r, (tau - 1) * r).mean(),其中 r = target - pred)",
    "pinball loss max(τr, (τ − 1)r), r = y − ŷ: regression to the τ-quantile": "pinball 损失 max(τr, (τ − 1)r),r = y − ŷ:回归到 τ 分位数",
    "the gradient at ŷ = y is ½ − τ (0 for the median), as autograd through torch.maximum, which splits the gradient between equal arguments":
        "ŷ = y 处的梯度为 ½ − τ(中位数时为 0),与经过 torch.maximum 的自动微分相同:参数相等时梯度平分",
    "τ: the quantile to estimate (0.5 is the median, half the absolute error)": "τ:要估计的分位数(0.5 为中位数,即绝对误差的一半)",
    # soft_margin
    "log(1 + exp(−y·ŷ)), labels −1/1 (0/1 mapped): the logistic loss": "log(1 + exp(−y·ŷ)),标签 −1/1(0/1 会被映射):逻辑斯蒂损失",
    "nn.SoftMarginLoss / F.soft_margin_loss (labels −1/1, mean over every element; it computes log(1 + exp(−y·ŷ)) directly, so margins below about −709 give inf where actloss gives −y·ŷ)":
        "nn.SoftMarginLoss / F.soft_margin_loss(标签 −1/1,对所有元素取均值;它直接计算 log(1 + exp(−y·ŷ)),间隔低于约 −709 时得到 inf,而 actloss 给出 −y·ŷ)",
    "none (keras.losses.BinaryCrossentropy(from_logits=True) with labels (y + 1)/2)":
        "无(keras.losses.BinaryCrossentropy(from_logits=True),标签取 (y + 1)/2)",
    "optax.sigmoid_binary_cross_entropy(pred, (y + 1) / 2) (the same numbers, labels 0/1)":
        "optax.sigmoid_binary_cross_entropy(pred, (y + 1) / 2)(数值相同,标签为 0/1)",
    # multilabel_soft_margin
    "binary cross-entropy on logits per class, averaged over the classes, then over the samples":
        "对每个类别的 logits 计算二元交叉熵,先在类别上取平均,再在样本上取平均",
    "keras.losses.BinaryCrossentropy(from_logits=True) (mean over the last axis)":
        "keras.losses.BinaryCrossentropy(from_logits=True)(在最后一维上取均值)",
    "logits (N, C); targets 0/1 per class (N, C)": "logits (N, C);目标为每个类别的 0/1 (N, C)",
    "nn.MultiLabelSoftMarginLoss / F.multilabel_soft_margin_loss (weight per class; mean over C, then N)":
        "nn.MultiLabelSoftMarginLoss / F.multilabel_soft_margin_loss(每个类别一个权重;先对 C 再对 N 取均值)",
    "→ 0 as the logits agree with the labels": "logits 与标签一致时 → 0",
    # multi_margin
    "0 once the true class wins by the margin": "真实类别领先达到间隔时为 0",
    "C⁰ for p = 1, C¹ for p = 2": "p = 1 时 C⁰,p = 2 时 C¹",
    "exponent of the margin violations: 1 or 2, as PyTorch": "间隔违反量的指数:1 或 2,与 PyTorch 相同",
    "keras.losses.CategoricalHinge (one-hot targets, the largest wrong score only: a different loss)":
        "keras.losses.CategoricalHinge(one-hot 目标,只取最大的错误得分:是另一种损失)",
    "none in optax (optax.multiclass_hinge_loss is the Crammer–Singer max over classes, not this sum)":
        "optax 中没有(optax.multiclass_hinge_loss 是对类别取最大值的 Crammer–Singer 损失,而不是这里的求和)",
    "scores (N, C); targets class indices (N,)": "得分 (N, C);目标为类别索引 (N,)",
    "the margin the true class must win by": "真实类别必须领先的间隔",
    "where a violation m_i is exactly 0 its gradient is 0, as PyTorch's kernel (which tests m_i > 0)":
        "违反量 m_i 恰为 0 处梯度为 0,与 PyTorch 的内核相同(它判断 m_i > 0)",
    # dice
    "0 at ŷ = y for 0/1 masks": "对 0/1 掩码在 ŷ = y 处为 0",
    "1, the 'smooth Dice' of most segmentation code: an empty prediction of an empty mask scores 0 instead of 0/0, and one stray pixel in an empty mask costs about its probability, not a jump to 1; libraries differ: MONAI DiceLoss smooth_nr = smooth_dr = 1e-5, segmentation_models_pytorch smooth 0 (eps 1e-7 in the denominator), Keras Dice no smoothing, PaddlePaddle dice_loss epsilon 1e-5, MindSpore DiceLoss 1e-5 in the denominator only":
        "1,即大多数分割代码中的“平滑 Dice”:空掩码的空预测得 0 而不是 0/0,空掩码中一个误判像素的代价约为其概率,而不是跳到 1;各库不同:MONAI DiceLoss 的 smooth_nr = smooth_dr = 1e-5,segmentation_models_pytorch 的 smooth 为 0(分母中 eps 1e-7),Keras Dice 不做平滑,PaddlePaddle 的 dice_loss 取 1e-5,MindSpore DiceLoss 只在分母中加 1e-5",
    "keras.losses.Dice (Keras 3: no smoothing; over all axes unless axis is given)": "keras.losses.Dice(Keras 3:不做平滑;未给 axis 时对所有轴计算)",
    "none in torch; monai.losses.DiceLoss (smooth_nr = smooth_dr = 1e-5), segmentation_models_pytorch.losses.DiceLoss (smooth 0, eps 1e-7)":
        "PyTorch 本身没有;monai.losses.DiceLoss(smooth_nr = smooth_dr = 1e-5),segmentation_models_pytorch.losses.DiceLoss(smooth 0,eps 1e-7)",
    "probabilities (sigmoid or softmax outputs) and masks, one mask per row": "概率(sigmoid 或 softmax 的输出)与掩码,每行一个掩码",
    "s, added to the overlap and to the total: keeps empty masks finite (0 for the plain ratio)": "s,同时加到重叠量与总量上:使空掩码的结果有限(0 为不平滑的比值)",
    "soft Dice 1 − (2Σŷy + s)/(Σŷ + Σy + s) over the last axis (one mask per row)": "在最后一维上计算软 Dice 1 − (2Σŷy + s)/(Σŷ + Σy + s)(每行一个掩码)",
})


def zh(text: str) -> str:
    """The Chinese of one English record text, or the text itself (code, formulas, names)."""
    return ZH.get(text, text)


def valid_values(param) -> str:
    """A parameter's valid values in Chinese (the intervals and choices stay as typed)."""
    if getattr(param, "valid_text", ""):
        return param.valid_text.replace(" or ", " 或 ")
    if param.flag:
        return "true 或 false"
    if param.choices:
        return "取值之一:" + "、".join(param.choices)
    text = param.range_text()
    if text == "any finite number":
        return "任意有限数"
    if text.startswith("a list of numbers, each in "):
        inner = text[len("a list of numbers, each in "):]
        return "数的列表,每个数在 " + ("任意有限数" if inner == "any finite number" else inner) + " 内"
    return text
