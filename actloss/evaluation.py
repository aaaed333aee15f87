"""Evaluating a loss on a batch, with everything a report of it shows (the CLI only renders it)."""

from __future__ import annotations

from dataclasses import dataclass


def evaluate_loss(record, pred, target, bound: dict, derivative: int) -> "LossEvaluation":
    """The loss of ``record`` on (pred, target) with bound parameters (``reduction`` among them);
    derivative 1 adds dL/dpred, 2 the second derivatives with respect to pred."""
    from actloss import _losses

    kw = {k: v for k, v in bound.items() if k != "reduction"}
    parts = _losses.parts(record.kernel.partition(":")[2], pred, target, **kw)
    return LossEvaluation(record, bound, pred, target, parts, bound["reduction"], derivative)


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

    def __post_init__(self):
        from actloss import _losses

        if self.derivative == 2:
            self.grad = self.record.derivative(self.pred, self.target, order=2, **self.bound)
        elif self.derivative:
            self.grad = _losses.gradient(self.parts, self.reduction)
        self.value = _losses.reduce(self.parts, self.reduction)

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
        return f"{head}(pred, target{'; ' + ', '.join(shown) if shown else ''})"

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
