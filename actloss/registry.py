"""The registry: one record per function, registered once.

A record is plain metadata plus the dotted name of its kernels, so reading the
registry (``list``, ``--help``, completions) imports neither numpy nor any
kernel module; the kernels load on first evaluation.

Kernels follow one convention: for ``kernel="actloss._kernels:gelu"`` the
value is ``actloss._kernels.gelu(x, **params)``, the derivative is
``actloss._kernels.gelu_grad(x, **params)`` and the second derivative (where
there is one) ``actloss._kernels.gelu_grad2(x, **params)``, side by side in
the module.
"""

from __future__ import annotations

import difflib
import importlib
import math
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Mapping

from actloss.errors import ParameterError, RegistrationError, UnknownFunctionError, arg

KINDS = ("activation", "loss")
SHAPES = ("elementwise", "vector", "glu", "loss")


def normalize(name: str) -> str:
    """Lookup key: case-insensitive, '-' and '_' the same."""
    return name.strip().lower().replace("-", "_")


@dataclass(frozen=True)
class Formula:
    """A formula in readable Unicode text and in LaTeX (valid matplotlib mathtext)."""

    text: str
    latex: str


@dataclass(frozen=True)
class Param:
    """A parameter: option ``--name`` (underscores become dashes), default, valid range."""

    name: str
    default: Any
    doc: str
    low: float | None = None
    high: float | None = None
    low_open: bool = False
    high_open: bool = False
    choices: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    flag: bool = False  # a switch: --logits means true, --logits=false
    vector: bool = False  # a list of numbers (--weight 1,2,0.5), each in the range
    valid_text: str = ""  # the valid values in words, when low/high cannot say it ("[0, 1] or -1")

    @property
    def option(self) -> str:
        return "--" + self.name.replace("_", "-")

    @property
    def options(self) -> tuple[str, ...]:
        return (self.option,) + tuple("--" + a.replace("_", "-") for a in self.aliases)

    def range_text(self) -> str:
        if self.valid_text:
            return self.valid_text
        if self.flag:
            return "true or false"
        if self.vector:
            return "a list of numbers, each in " + Param(self.name, None, "", self.low, self.high, self.low_open, self.high_open).range_text()
        if self.choices:
            return "one of " + ", ".join(self.choices)
        if self.low is None and self.high is None:
            return "any finite number"
        lo = "(" if self.low_open or self.low is None else "["
        hi = ")" if self.high_open or self.high is None else "]"
        a = "-inf" if self.low is None else _fmt(self.low)
        b = "inf" if self.high is None else _fmt(self.high)
        return f"{lo}{a}, {b}{hi}"

    def convert(self, value: Any) -> Any:
        """Parse (if text) and check one value; raise ParameterError naming the option."""
        if self.choices:
            text = str(value).strip().lower()
            if text not in self.choices:
                raise ParameterError(
                    f"{arg(self.name)} must be one of {', '.join(self.choices)}, got {value!r}"
                )
            return text
        if self.flag:
            return _flag(self.name, value)
        if self.vector:
            if value is None:
                return None
            items = value.strip().strip("[]").replace(",", " ").split() if isinstance(value, str) else list(value)
            if not items:
                raise ParameterError(f"{arg(self.name)} expects a list of numbers such as 1,2,0.5, got {value!r}")
            return tuple(Param(self.name, None, "", self.low, self.high, self.low_open, self.high_open).convert(v) for v in items)
        if isinstance(value, str):
            try:
                v = float(value.strip())
            except ValueError:
                raise ParameterError(f"{arg(self.name)} expects a number, got {value!r}") from None
        else:
            v = float(value)
        if not math.isfinite(v):
            raise ParameterError(f"{arg(self.name)} must be finite, got {value!r}")
        bad = (
            (self.low is not None and (v < self.low or (self.low_open and v == self.low)))
            or (self.high is not None and (v > self.high or (self.high_open and v == self.high)))
        )
        if bad:
            raise ParameterError(f"{arg(self.name)} must be in {self.range_text()}, got {value!r}")
        return v


def _flag(name: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off"):
        return False
    raise ParameterError(f"{arg(name)} is a switch: {arg(name, True)} or {arg(name, False)}, got {value!r}")


def _fmt(v: float) -> str:
    return repr(v) if v != int(v) else str(int(v))


@dataclass(frozen=True)
class LossPlot:
    """How ``actloss plot`` draws a loss: against ``x`` ("probability", "residual" or "margin"),
    labelled ``xlabel``; ``maker`` (``module:fn``) returns (pred, target) with one loss per t
    under reduction 'none'."""

    x: str
    xlabel: str
    maker: str

    def make(self, t: Any, **params: Any) -> Any:
        module, _, fn = self.maker.partition(":")
        return getattr(importlib.import_module(module), fn)(t, **params)


PER = ("element", "sample")


@dataclass(frozen=True)
class Function:
    """One function: everything the CLI, cards, plots, completions and tests read.

    kind:      "activation" or "loss".
    shape:     "elementwise" (value and derivative of each number), "vector"
               (a vector per row, the derivative is the Jacobian), "glu" (the
               last axis splits into value half and gate half), "loss".
    kinks:     points where the function is not differentiable (or switches
               branch) with the derivative actloss returns there, following
               PyTorch autograd: a callable ``params -> [(x, dydx), ...]``.
    kinks2:    the same for the second derivative (PyTorch's double backward):
               ``params -> [(x, d2ydx2), ...]``; by default every kink with 0.
    """

    name: str
    kind: str
    shape: str
    summary: str
    kernel: str
    formula: Formula
    derivative_formula: Formula
    range: str
    aliases: tuple[str, ...] = ()
    params: tuple[Param, ...] = ()
    properties: Mapping[str, Any] = field(default_factory=dict)
    kinks: Callable[[Mapping[str, Any]], list[tuple[float, float]]] | None = None
    kink_note: str = ""
    kinks2: Callable[[Mapping[str, Any]], list[tuple[float, float]]] | None = None
    plot_range: tuple[float, float] = (-5.0, 5.0)
    validate: Callable[[Mapping[str, Any]], None] | None = None
    notes: Mapping[str, Mapping[str, tuple[str, ...]]] = field(default_factory=dict)
    corrections: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    equivalents: Mapping[str, str] = field(default_factory=dict)
    paper: str = ""
    see_also: tuple[str, ...] = ()  # related functions, named first on the card
    per: str | None = None  # losses: one loss per "element", or per "sample" (the rows of the last axis)
    plot: LossPlot | None = None  # losses: how ``actloss plot`` draws them

    # ----- parameters -------------------------------------------------
    def param(self, name: str) -> Param | None:
        key = normalize(name).lstrip("_")
        for p in self.params:
            if key == p.name or key in p.aliases:
                return p
        return None

    def defaults(self) -> dict[str, Any]:
        return {p.name: p.default for p in self.params}

    def bind(self, given: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Defaults overridden by ``given`` (keys: names or aliases), each checked."""
        out = self.defaults()
        for key, value in (given or {}).items():
            p = self.param(key)
            if p is None:
                raise ParameterError(self.unknown_param_message(key))
            out[p.name] = p.convert(value)
        if self.validate is not None:
            self.validate(out)
        return out

    def takes(self) -> str:
        """'takes alpha, beta' or 'takes no parameters' (parameters marked for the CLI's options)."""
        if self.params:
            return "takes " + ", ".join(arg(p.name) for p in self.params)
        return "takes no parameters"

    def unknown_param_message(self, name: str) -> str:
        return f"{self.name} does not take {arg(normalize(name).lstrip('-').replace('-', '_'))}; it {self.takes()}"

    # ----- kernels ----------------------------------------------------
    def _kernels(self) -> tuple[Callable[..., Any], Callable[..., Any]]:
        cached = _KERNEL_CACHE.get(self.kernel)
        if cached is None:
            module, _, fn = self.kernel.partition(":")
            mod = importlib.import_module(module)
            cached = (getattr(mod, fn), getattr(mod, fn + "_grad"))
            _KERNEL_CACHE[self.kernel] = cached
        return cached

    def value(self, *args: Any, dtype: Any = None, saturate: bool = False, **params: Any) -> Any:
        """f(x) (or the loss of pred and target) with checked parameters.

        ``dtype`` (a format name such as "bfloat16", or a numpy dtype): the
        input is rounded to that format and the result correctly rounded into
        it, as an array of that dtype (see ``actloss.lowp``); ``saturate``
        clamps overflow to the largest finite value.
        """
        if dtype is not None or saturate:
            return _lowp().evaluate(self, "value", args[0], params, dtype, saturate, *args[1:])
        return self._kernels()[0](*args, **self.bind(params))

    def derivative(self, *args: Any, order: int = 1, dtype: Any = None, saturate: bool = False, **params: Any) -> Any:
        """f'(x), the Jacobian (vector functions), or dL/dpred (losses); with ``order=2``
        f''(x) of an elementwise activation, or the second derivative of a loss with
        respect to pred (its Hessian diagonal, or per-sample Hessians where stated).
        ``dtype`` and ``saturate`` as for ``value``."""
        self.check_order(order)
        if dtype is not None or saturate:
            which = "derivative" if order == 1 else "derivative2"
            return _lowp().evaluate(self, which, args[0], params, dtype, saturate, *args[1:])
        if self.shape in ("vector", "glu"):
            refuse_too_large(self.name, args[0])
        if order == 1:
            return self._kernels()[1](*args, **self.bind(params))
        return self._second()(*args, **self.bind(params))

    def check_order(self, order: Any) -> None:
        """ParameterError unless ``order`` is 1, or 2 for a function with a second derivative."""
        if order not in (1, 2) or isinstance(order, bool):
            raise ParameterError(f"{arg('order')} must be 1 or 2, got {order!r}")
        if order == 2:
            self._second()

    def has_second_derivative(self) -> bool:
        module, _, fn = self.kernel.partition(":")
        return hasattr(importlib.import_module(module), fn + "_grad2")

    def _second(self) -> Callable[..., Any]:
        cached = _KERNEL2_CACHE.get(self.kernel)
        if cached is None:
            module, _, fn = self.kernel.partition(":")
            cached = getattr(importlib.import_module(module), fn + "_grad2", None)
            if cached is None:
                raise ParameterError(
                    f"{self.name} has no second derivative in actloss ({arg('order', 2)} takes an elementwise "
                    f"activation, an elementwise loss, multilabel_soft_margin or ce); use {arg('order', 1)}"
                )
            _KERNEL2_CACHE[self.kernel] = cached
        return cached

    def kink_points(self, params: Mapping[str, Any] | None = None) -> list[tuple[float, float]]:
        if self.kinks is None:
            return []
        return list(self.kinks(self.bind(params)))

    def kink_points2(self, params: Mapping[str, Any] | None = None) -> list[tuple[float, float]]:
        """Where f' is not differentiable, with the f'' actloss returns there."""
        if self.kinks2 is not None:
            return list(self.kinks2(self.bind(params)))
        return [(x, 0.0) for x, _ in self.kink_points(params)]


_KERNEL_CACHE: dict[str, tuple[Callable[..., Any], Callable[..., Any]]] = {}
_KERNEL2_CACHE: dict[str, Callable[..., Any]] = {}

#: the largest result computed at once: half of this machine's memory
def _memory_limit() -> int:
    import os

    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2
    except (ValueError, OSError, AttributeError):
        return 8 << 30


def refuse_too_large(name: str, x: Any) -> None:
    """A Jacobian that cannot fit in memory is refused before anything is allocated, naming its size."""
    import numpy as np

    shape = np.shape(x)
    if not shape:
        return
    n = shape[-1]
    vectors = int(np.prod(shape[:-1], dtype=np.float64)) if len(shape) > 1 else 1
    entries = vectors * float(n) * float(n)
    size = entries * 8
    if size > _memory_limit():
        from actloss.errors import InputError

        gib = size / 2**30
        raise InputError(
            f"the Jacobian of {name} for {vectors:,} vector{'s' if vectors != 1 else ''} of {n:,} numbers has "
            f"{entries:.3g} entries ({gib:,.0f} GiB), more than this machine's memory can hold; "
            "evaluate fewer or shorter vectors at a time"
        )


def _lowp():
    return importlib.import_module("actloss.lowp")

_REQUIRED_TEXT = ("name", "summary", "kernel", "range")


class Registry:
    """Canonical records by name; names and aliases resolve case-insensitively.

    Registering a name or alias twice is refused (``RegistrationError``).
    """

    def __init__(self) -> None:
        self._records: dict[str, Function] = {}
        self._keys: dict[str, str] = {}

    def register(self, record: Function) -> Function:
        for attr in _REQUIRED_TEXT:
            if not getattr(record, attr):
                raise RegistrationError(f"record {record.name!r} has no {attr}")
        if record.kind not in KINDS:
            raise RegistrationError(f"record {record.name!r}: kind must be one of {KINDS}, got {record.kind!r}")
        if record.shape not in SHAPES:
            raise RegistrationError(f"record {record.name!r}: shape must be one of {SHAPES}, got {record.shape!r}")
        if record.kind == "loss" and (record.per not in PER or record.plot is None):
            raise RegistrationError(f"loss {record.name!r} needs per (one of {PER}) and plot")
        keys = [normalize(record.name)] + [normalize(a) for a in record.aliases]
        if len(set(keys)) != len(keys):
            raise RegistrationError(f"record {record.name!r} repeats a name among its aliases")
        for key in keys:
            if key in self._keys:
                raise RegistrationError(
                    f"{key!r} of {record.name!r} is already registered for {self._keys[key]!r}"
                )
        for key in keys:
            self._keys[key] = record.name
        self._records[record.name] = record
        return record

    def get(self, name: str, kind: str | None = None) -> Function:
        canonical = self._keys.get(normalize(name))
        record = self._records.get(canonical) if canonical else None
        if record is None or (kind is not None and record.kind != kind):
            raise UnknownFunctionError(name, self.suggest(name, kind), kind)
        return record

    def suggest(self, name: str, kind: str | None = None, n: int = 3) -> list[str]:
        keys = [k for k, c in self._keys.items() if kind is None or self._records[c].kind == kind]
        found: list[str] = []
        for key in difflib.get_close_matches(normalize(name), keys, n=n * 2, cutoff=0.6):
            canonical = self._keys[key]
            if canonical not in found:
                found.append(canonical)
        return found[:n]

    def names(self, kind: str | None = None) -> list[str]:
        return [r.name for r in self if kind is None or r.kind == kind]

    def all_names(self, kind: str | None = None) -> list[str]:
        """Canonical names and aliases, as typed on the command line."""
        out = []
        for r in self:
            if kind is None or r.kind == kind:
                out.append(r.name)
                out.extend(r.aliases)
        return out

    def __iter__(self) -> Iterator[Function]:
        return iter(self._records.values())

    def __len__(self) -> int:
        return len(self._records)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and normalize(name) in self._keys


REGISTRY = Registry()

#: Modules whose import registers records; read by ``load()``.
RECORD_MODULES = ("actloss.activations", "actloss.losses")


def load() -> Registry:
    """The registry with every record module imported (cheap: no numpy)."""
    for module in RECORD_MODULES:
        importlib.import_module(module)
    return REGISTRY


def get(name: str, kind: str | None = None) -> Function:
    return load().get(name, kind)
