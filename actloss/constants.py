"""Every numerical constant of the activations, stated once with where it comes from.

Plain Python floats (no numpy): the records (``actloss.activations``) and the
kernels (``actloss._kernels``, ``actloss._vector``) import them from here.

A pair ``(hi, lo)`` is a double-double: hi is the float64 nearest the real
number and lo the float64 nearest the remainder, so hi + lo carries about 106
bits. Each is checked against mpmath by tests/test_constants.py.
"""

from __future__ import annotations

# ---------------------------------------------------------------------------
# SELU (Klambauer, Unterthiner, Mayr, Hochreiter, 'Self-Normalizing Neural
# Networks', 2017, eq. 14 and its supplement): the fixed point of the
# mean/variance map, given there to 30 digits. PyTorch (aten Activation.cpp),
# JAX (jax.nn.selu) and Keras use the float64 nearest these decimals; so does
# actloss (the functions are defined with these float64 values, not the reals).
# ---------------------------------------------------------------------------
SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946
#: λα, the exact product of the two float64 constants above as a double-double
SELU_SCALE_ALPHA = (1.7580993408473766, 5.75014648756476e-17)

# ---------------------------------------------------------------------------
# GELU (Hendrycks & Gimpel, 'Gaussian Error Linear Units', 2016)
# ---------------------------------------------------------------------------
#: the cubic coefficient of the tanh approximation 0.5x(1 + tanh(√(2/π)(x + c x³))).
#: The paper's decimal 0.044715; every implementation (PyTorch's kKappa, JAX,
#: TensorFlow) evaluates it as this float64, 0.04471499999999999780..., 2.2e-18
#: below the decimal, and actloss defines the function with the float64 too. The
#: two definitions differ by 2√(2/π)·2.2e-18·x³ in the exponent of the far tail:
#: 5 ulp at x = −6, 295 ulp at x = −21.12 (tests/test_accuracy.py shows both).
GELU_TANH_C = 0.044715
#: √(2/π), 2/π, 1/√2, 1/√(2π), 2/√π as double-doubles (mpmath at 200 bits)
SQRT_2_OVER_PI = (0.7978845608028654, -4.98465440455546e-17)
TWO_OVER_PI = (0.6366197723675814, -3.935735335036497e-17)
INV_SQRT2 = (0.7071067811865476, -4.833646656726457e-17)
INV_SQRT_2PI = (0.3989422804014327, -2.49232720227773e-17)
TWO_OVER_SQRT_PI = (1.1283791670955126, 1.533545961316588e-17)

#: quick GELU x·σ(1.702x) (Hendrycks & Gimpel's sigmoid approximation, as OpenAI's
#: CLIP and Hugging Face's QuickGELUActivation use it), the float64 nearest 1.702
QUICK_GELU_BETA = 1.702

# ---------------------------------------------------------------------------
# ln 2 for exponent reduction (fdlibm e_exp.c's split): LN2_HI has 21 trailing
# zero bits, so k·LN2_HI is exact for |k| < 2**21; LN2_HI + LN2_LO = ln 2 to ~1e-27.
# ---------------------------------------------------------------------------
LN2_HI = 6.93147180369123816490e-01
LN2_LO = 1.90821492927058770002e-10
INV_LN2 = 1.4426950408889634
