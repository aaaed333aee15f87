"""Evaluating a loss on a batch, with everything a report of it shows (the CLI only renders it)."""

from __future__ import annotations

from dataclasses import dataclass


def evaluate_loss(record, pred, target, bound: dict, derivative: int, dtype=None, saturate: bool = False) -> "LossEvaluation":
    """The loss of ``record`` on (pred, target) with bound parameters (``reduction`` among them);
    derivative 1 adds dL/dpred, 2 the second derivatives with respect to pred.

    ``dtype`` (an ``actloss.lowp`` format): pred, and target unless it holds class indices, are
    rounded into it first; the items, the loss and its derivatives are computed in float64 and
    correctly rounded into it (``actloss.lowp.round_loss``).
    """
    from actloss import _losses

    if dtype is not None:
        from actloss.lowp import round_to

        pred = round_to(pred, dtype, saturate)
        if target.shape == pred.shape:  # values, not class indices
            target = round_to(target, dtype, saturate)
    kw = {k: v for k, v in bound.items() if k != "reduction"}
    parts = _losses.parts(record.kernel.partition(":")[2], pred, target, **kw)
    return LossEvaluation(record, bound, pred, target, parts, bound["reduction"], derivative, dtype, saturate)


@dataclass
class LossEvaluation:
    """A loss of one batch: the items, the reduced value, the gradient (if asked) and what was applied."""

    record: object
    bound: dict
    pred: object
    target: object
    parts: object
    reduction: str
    derivative: int  # 0 (the loss), 1 (dL/dpred) or 2 (second derivatives: self.grad holds them)
    dtype: object = None  # a low-precision format the results are rounded into
    saturate: bool = False

    def __post_init__(self):
        from actloss import _losses

        if self.derivative == 2:
            self.grad = self.record.derivative(self.pred, self.target, order=2, **self.bound)
        elif self.derivative:
            self.grad = _losses.gradient(self.parts, self.reduction)
        self.value = _losses.reduce(self.parts, self.reduction)
        if self.dtype is not None:
            import dataclasses

            from actloss.lowp import round_loss

            def fit(which, a, reduction):
                params = {**self.bound, "reduction": reduction}
                return round_loss(self.record, which, self.pred, self.target, params, a, self.dtype, self.saturate)

            self.value = fit("value", self.value, self.reduction)
            if self.derivative:
                self.grad = fit(("derivative", "derivative2")[self.derivative - 1], self.grad, self.reduction)
            self.parts = dataclasses.replace(self.parts, items=fit("value", self.parts.items, "none"))

    def shown(self, precision) -> None:
        """Replace every number by the float64 of its shortest decimal in the format (for printing)."""
        if self.dtype is None or precision is not None:
            return
        import dataclasses

        from actloss.lowp import display

        self.value = display(self.value, self.dtype)
        if self.derivative:
            self.grad = display(self.grad, self.dtype)
        self.parts = dataclasses.replace(self.parts, items=display(self.parts.items, self.dtype))
        if self.target.shape == self.pred.shape:
            self.target = display(self.target, self.dtype)
        self.pred = display(self.pred, self.dtype)

    @property
    def blocks(self) -> bool:
        """Second derivatives as one C x C Hessian per sample (ce), not a diagonal."""
        return self.derivative == 2 and self.grad.ndim == self.pred.ndim + 1

    @property
    def indices(self) -> bool:
        """Targets are class indices (one per sample)."""
        return self.per_sample and self.target.shape != self.pred.shape

    @property
    def per_sample(self) -> bool:
        return self.parts.per == "sample"

    def caption(self) -> str:
        from actloss import _losses

        conventions = list(self.parts.conventions)
        red = _losses.reduction_text(self.parts, self.reduction)
        if self.derivative:
            what = "gradient" if self.derivative == 1 else ("Hessian" if self.blocks else "Hessian diagonal")
            red = (f"{what} of the " + red) if self.reduction != "none" else f"{what} of each {self.parts.per}'s loss"
        return ", ".join(conventions + [red])

    def title(self) -> str:
        defaults = self.record.defaults()
        from actloss import render

        shown = [f"{k}={render.param_text(v)}" for k, v in self.bound.items() if k != "reduction" and v != defaults.get(k)]
        name = self.record.name
        head = {0: name, 1: f"∂{name}/∂pred", 2: f"∂²{name}/∂pred²"}[self.derivative]
        in_format = f" in {self.dtype.name}" if self.dtype is not None else ""
        return f"{head}(pred, target{'; ' + ', '.join(shown) if shown else ''}){in_format}"

    def item_rows(self):
        """(pred, target) per item: scalars for elementwise losses, rows for per-sample ones."""
        import numpy as np

        n = self.parts.count
        if not self.per_sample:
            return self.pred.reshape(-1), self.target.reshape(-1)
        c = self.pred.shape[-1]
        p = self.pred.reshape(n, c)
        t = self.target.reshape(n, c) if self.target.shape == self.pred.shape else self.target.reshape(n)
        return p, np.asarray(t)
