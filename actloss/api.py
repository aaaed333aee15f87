"""The Python API: every registered function as a callable object, built from its record.

``actloss.gelu`` is an :class:`Activation`: ``gelu(x, *, approximate="none")`` is the value,
``gelu.grad(x, ...)`` the derivative (the Jacobian ``(..., n, n)`` of a vector function),
``gelu.grad(x, order=2)`` the second derivative of an elementwise activation.
``actloss.ce`` is a :class:`Loss`: ``ce(pred, target, *, logits=False, ...)`` and
``ce.grad(pred, target, ...)`` (dL/dpred, pred's shape); ``order=2`` gives the second derivative
with respect to pred (the Hessian diagonal, or a C x C Hessian per sample for ce). Inputs are anything ``numpy.asarray``
takes; outputs are float64 numpy arrays (a numpy scalar for a scalar input). Parameters are
keyword-only and named as the record's; every error is an :class:`actloss.ActlossError`.

This module imports no numpy: the kernels load on the first call.
"""

from __future__ import annotations

from typing import Any

from actloss.errors import ArgumentError
from actloss.registry import Function, load

_CACHE: dict[str, "Op"] = {}


class Op:
    """A registered function; call it for the value, ``.grad`` for the derivative."""

    _positional: tuple[str, ...] = ()

    def __init__(self, record: Function) -> None:
        self.record = record
        self.__name__ = record.name
        self.__qualname__ = record.name
        self.__module__ = "actloss"
        self.__doc__ = docstring(record)

    # ----- what the record says ------------------------------------------
    @property
    def name(self) -> str:
        return self.record.name

    @property
    def kind(self) -> str:
        return self.record.kind

    @property
    def aliases(self) -> tuple[str, ...]:
        return self.record.aliases

    @property
    def defaults(self) -> dict[str, Any]:
        """The parameters and their defaults, as ``info`` shows them."""
        return self.record.defaults()

    def __repr__(self) -> str:
        return f"<actloss {self.kind} {self.name}>"

    # ----- evaluation -----------------------------------------------------
    def _args(self, args: tuple) -> tuple:
        n = len(self._positional)
        if len(args) != n:
            shown = ", ".join(self._positional)
            example = _example_call(self.record)
            raise ArgumentError(
                f"{self.name}() takes {n} positional argument{'s' if n > 1 else ''} ({shown}), got {len(args)}; "
                f"parameters are keyword-only, e.g. {example}"
            )
        return args

    def __call__(self, *args: Any, **params: Any) -> Any:
        return _scalar(self.record.value(*self._args(args), **params))

    def grad(self, *args: Any, **params: Any) -> Any:
        """The derivative; ``order=2`` for the second derivative (see Function.derivative)."""
        return _scalar(self.record.derivative(*self._args(args), **params))


class Activation(Op):
    """An activation: ``f(x, *, **params)`` and ``f.grad(x, *, **params)``."""

    _positional = ("x",)


class Loss(Op):
    """A loss: ``L(pred, target, *, **params)`` and ``L.grad(pred, target, *, **params)`` (dL/dpred)."""

    _positional = ("pred", "target")


def _scalar(y: Any) -> Any:
    """A 0-d result as a numpy scalar (as numpy's ufuncs return it)."""
    return y[()] if getattr(y, "ndim", None) == 0 else y


def function(name: str) -> Op:
    """The API object of a name or alias (case-insensitive, '-' and '_' alike)."""
    record = load().get(name)
    op = _CACHE.get(record.name)
    if op is None:
        op = (Loss if record.kind == "loss" else Activation)(record)
        _CACHE[record.name] = op
    return op


def list_functions(kind: str | None = None) -> list[str]:
    """Canonical names of every function, or of one kind ("activation" or "loss")."""
    from actloss.errors import ParameterError
    from actloss.registry import KINDS

    if kind is not None and kind not in KINDS:
        raise ParameterError(f"kind must be one of {', '.join(KINDS)} or None, got {kind!r}")
    return load().names(kind)


def info(name: str, *, lang: str = "en") -> dict[str, Any]:
    """The reference card of a function as a dict: what ``actloss info NAME --format json`` prints."""
    from actloss import cards

    if lang not in cards.LANGS:
        from actloss.errors import ParameterError

        raise ParameterError(f"lang must be one of {', '.join(cards.LANGS)}, got {lang!r}")
    reg = load()
    return cards.json_obj(cards.build(reg.get(name), lang, reg))


# ---------------------------------------------------------------------------
# docstrings, from the record
# ---------------------------------------------------------------------------

def _value_text(v: Any) -> str:
    return repr(v)


def _example_call(record: Function) -> str:
    args = "pred, target" if record.kind == "loss" else "x"
    for p in record.params:
        if p.flag:
            return f"{record.name}({args}, {p.name}=True)"
        if p.choices:
            other = next((c for c in p.choices if c != p.default), p.default)
            return f"{record.name}({args}, {p.name}={other!r})"
    if record.params:
        p = record.params[0]
        return f"{record.name}({args}, {p.name}={_value_text(p.default)})"
    return f"{record.name}({args})"


def docstring(record: Function) -> str:
    """help(actloss.NAME): summary, formula, derivative, range, parameters, kinks, equivalents, example."""
    from actloss import cards, examples

    if record.kind == "loss":
        signature = "(pred, target, *" + "".join(f", {p.name}={_value_text(p.default)}" for p in record.params) + ")"
    else:
        signature = "(x" + (", *" if record.params else "") + "".join(f", {p.name}={_value_text(p.default)}" for p in record.params) + ")"
    what = {
        "elementwise": "Elementwise: any shape in, the same shape out.",
        "vector": "Along the last axis; .grad gives the Jacobian (..., n, n).",
        "glu": "The last axis splits into halves x = [a, b] (value a, gate b); .grad gives the Jacobian (..., n/2, n).",
        "loss": f"One loss per {record.per}; .grad gives dL/dpred in pred's shape.",
    }[record.shape]
    lines = [
        f"{record.name}{signature}: {record.summary}.",
        "",
        f"    {record.formula.text}",
        f"    {record.derivative_formula.text}",
        "",
        f"Range: {cards.range_text(record)}. {what}",
    ]
    if record.aliases:
        lines.append("Aliases: " + ", ".join(record.aliases) + ".")
    if record.params:
        lines += ["", "Parameters (keyword-only):"]
        for p in record.params:
            lines.append(f"    {p.name}: {p.doc}; default {_value_text(p.default)}; {p.range_text()}.")
    if record.kink_note:
        lines += ["", f"At kinks: {record.kink_note}"]
    if record.equivalents.get("torch"):
        lines += ["", f"PyTorch: {record.equivalents['torch']}."]
    example = examples.EXAMPLES.get(record.name)
    if example:
        lines += ["", "Example:", "", "    >>> import actloss as al"]
        for i, text in enumerate(example):
            if i % 2 == 0:
                lines.append(f"    >>> {text}")
            else:
                lines += [f"    {t}" for t in text.split("\n")]
    return "\n".join(lines) + "\n"
