"""Plots of functions and their derivatives: PNG, SVG, PDF and the other formats matplotlib writes.

Uses matplotlib's object API (``Figure`` and the backend of the output
format), never pyplot, and imports matplotlib only when a plot is drawn.

Files people can trust:

* deterministic: no dates, no version strings, a fixed SVG hash salt, so the
  same command gives byte-identical files;
* atomic: each file is rendered to a temporary file beside the target and
  renamed over it; on failure the target is untouched and the temporary
  file removed.

Curves: the x grid is ``points`` evenly spaced values plus each kink of the
function exactly (and the floats right beside it), so corners stay sharp and
jumps (hardshrink, threshold, the step of relu′) are drawn as breaks, not as
steep lines. Functions without kink metadata (vector functions, losses) have
their corners located by bisection on the derivative.
"""

from __future__ import annotations

import math
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Sequence

from actloss.errors import InputError, OutputError

#: what matplotlib writes without extra programs (pgf needs LaTeX), by extension
FORMATS = ("png", "svg", "pdf", "eps", "ps", "jpg", "jpeg", "tif", "tiff", "webp", "svgz", "raw", "rgba")

#: Okabe & Ito's colour-blind-safe palette (yellow last: weak on white)
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#E69F00", "#56B4E9", "#CC79A7", "#000000", "#F0E442")

DEFAULT_POINTS = 1000
MAX_POINTS = 1_000_000
DEFAULT_DPI = 150.0
DEFAULT_SIZE = (6.4, 4.2)
#: several functions: the legend goes below the axes, in columns, so the figure is taller
DEFAULT_SIZE_SEVERAL = (7.2, 4.8)
#: the default x range of probability losses: the open interval (0, 1), ends excluded
PROBABILITY_RANGE = (0.001, 0.999)

CREATOR = "actloss"

STYLE = {
    "svg.hashsalt": "actloss",
    "svg.fonttype": "path",
    "pdf.fonttype": 42,
    "ps.fonttype": 42,
    "font.size": 11.0,
    "axes.titlesize": 12.0,
    "axes.labelsize": 11.0,
    "legend.fontsize": 9.5,
    "xtick.labelsize": 9.5,
    "ytick.labelsize": 9.5,
    "axes.grid": True,
    "grid.color": "#e4e4e4",  # opaque (PostScript has no transparency)
    "grid.alpha": 1.0,
    "grid.linewidth": 0.6,
    "lines.linewidth": 2.0,
    "legend.framealpha": 1.0,
    "legend.edgecolor": "#cccccc",
    "mathtext.fontset": "dejavusans",
}


@dataclass
class Item:
    """One function to draw: its record, bound parameters, and the inputs held fixed.

    ``others``: the other logits of a softmax-family function (component 0 is
    plotted against logit 0); ``value``: the value half of a GLU-family function
    (plotted against the gate).
    """

    record: Any
    params: Mapping[str, Any] = field(default_factory=dict)
    others: tuple[float, ...] = (0.0,)
    value: float = 1.0
    label: str | None = None  # the legend name (a sweep's 'elu (alpha=0.5)'); None: the name and parameters
    dtype: str | None = None  # a low-precision format: x rounded to it, f correctly rounded in it (a staircase)


@dataclass
class Options:
    x_range: tuple[float, float] | None = None
    points: int = DEFAULT_POINTS
    grad: bool = False
    only_grad: bool = False
    second: bool = False  # f″ as one more curve (dotted), where the record gives derivative(x, order=2)
    ylim: tuple[float, float] | None = None
    title: str | None = None
    size: tuple[float, float] | None = None  # None: DEFAULT_SIZE, or DEFAULT_SIZE_SEVERAL for several functions
    dpi: float = DEFAULT_DPI

    def figsize(self, n_functions: int) -> tuple[float, float]:
        if self.size is not None:
            return self.size
        return DEFAULT_SIZE if n_functions <= 1 else DEFAULT_SIZE_SEVERAL


# ---------------------------------------------------------------------------
# checks (before any drawing)
# ---------------------------------------------------------------------------

def output_format(path: str | os.PathLike, fmt: str | None = None) -> str:
    """The format of ``path`` from its extension (or ``fmt``); an unsupported one is an error."""
    ext = Path(path).suffix.lower().lstrip(".")
    if fmt is not None:
        fmt = fmt.lower().lstrip(".")
        _check_format(fmt, f"--format {fmt}")
        if ext and ext in FORMATS and ext != fmt:
            raise InputError(f"{path} ends in .{ext} but --format is {fmt}: give one or make them agree")
        return fmt
    if not ext:
        raise InputError(f"{path} has no extension: name the file .png, .svg or .pdf (supported: {', '.join(FORMATS)})")
    _check_format(ext, f"{Path(path).name}:")
    return ext


def check_format(fmt: str, what: str) -> None:
    """An unsupported format is an error naming ``what`` (the option or file) and the supported ones."""
    _check_format(fmt, what)


def _check_format(fmt: str, what: str) -> None:
    if fmt not in FORMATS:
        raise InputError(f"{what} unsupported format {fmt!r}; supported: {', '.join(FORMATS)}")


def check_options(opts: Options) -> None:
    """Range, points, limits, size and dpi: one-line errors naming the option."""
    if opts.x_range is not None:
        _check_interval("--range", opts.x_range)
    if opts.ylim is not None:
        _check_interval("--ylim", opts.ylim)
    if not 2 <= opts.points <= MAX_POINTS:
        raise InputError(f"--points must be between 2 and {MAX_POINTS:,}, got {opts.points}")
    w, h = opts.figsize(1)
    if not (math.isfinite(w) and math.isfinite(h) and 0.5 <= w <= 100 and 0.5 <= h <= 100):
        raise InputError(f"--size must be a width and height in inches between 0.5 and 100, got {_g(w)} {_g(h)}")
    if not (math.isfinite(opts.dpi) and 10 <= opts.dpi <= 2400):
        raise InputError(f"--dpi must be between 10 and 2400, got {_g(opts.dpi)}")
    if w * opts.dpi > 30000 or h * opts.dpi > 30000:
        raise InputError("--size times --dpi must stay within 30000 pixels a side")


def _check_interval(option: str, pair: Sequence[float]) -> None:
    lo, hi = pair
    if not (math.isfinite(lo) and math.isfinite(hi)):
        raise InputError(f"{option} bounds must be finite numbers, got {_g(lo)} {_g(hi)}")
    if not lo < hi:
        raise InputError(f"{option} needs MIN < MAX, got {_g(lo)} {_g(hi)}")
    if not math.isfinite((hi - lo) * 4.0):  # the axis and its ticks need room beyond the range
        raise InputError(f"{option} is too wide to draw: MAX − MIN must stay below 4e307, got {_g(lo)} {_g(hi)}")


def _g(v: float) -> str:
    return format(v, ".6g") if isinstance(v, float) else str(v)


def x_kind(record, params: Mapping[str, Any] | None = None) -> str:
    """What the x axis means: 'x' for activations, the loss's 'probability'/'residual'/'margin',
    or 'logit' for a probability loss given --logits."""
    if record.kind == "loss":
        return _spec(Item(record, params or {}))["x"]
    return "x"


#: probability losses that take logits: what their plot against the logit z of the true class feeds them
_LOGIT_MAKES = {"plot_binary": "binary", "plot_categorical": "categorical"}
LOGIT_RANGE = (-8.0, 8.0)


def _spec(item: Item) -> Mapping[str, Any]:
    """The loss's plot description, against the logit when it is given --logits."""
    spec = _loss_plot(item.record)
    which = _LOGIT_MAKES.get(spec.get("maker", ""))
    if which is None or not item.params.get("logits"):
        return spec

    def make(t, **params):
        import numpy as np

        t = np.asarray(t, dtype=np.float64).reshape(-1)
        if which == "binary":  # pred = z, target 1: p = σ(z)
            return t, np.ones_like(t)
        # two classes with logits (z, 0), target class 0: p = softmax(z, 0)₀ = σ(z)
        return np.column_stack([t, np.zeros_like(t)]), np.zeros(t.size)

    make.__name__ = "plot_logit_" + which
    return {**spec, "x": "logit", "xlabel": "logit z of the true class (p = σ(z); ce: logits z, 0)", "make": make,
            "maker": make.__name__, "range": LOGIT_RANGE}


def _loss_plot(record) -> Mapping[str, Any]:
    spec = record.plot
    if spec is None:
        raise InputError(f"{record.name} has no plot description")
    return {"x": spec.x, "xlabel": spec.xlabel, "make": spec.make, "maker": spec.maker.rpartition(":")[2]}


def has_second(item: Item) -> bool:
    """Whether f″ can be drawn: an elementwise activation whose record gives derivative(x, order=2)."""
    rec = item.record
    return rec.shape == "elementwise" and bool(getattr(rec, "has_second_derivative", lambda: False)())


def check_items(items: Sequence[Item], opts: Options) -> None:
    """Functions that can share one axes, and a range that suits them."""
    if opts.second:
        lacking = [it.record.name for it in items if not has_second(it)]
        if lacking:
            raise InputError(f"{', '.join(lacking)} {'has' if len(lacking) == 1 else 'have'} no second derivative "
                             "to plot (f″ is drawn for elementwise activations)")
    kinds = {x_kind(it.record, it.params) for it in items}
    if len(kinds) > 1:
        if "x" in kinds:
            loss = next(it.record.name for it in items if it.record.kind == "loss")
            act = next(it.record.name for it in items if it.record.kind != "loss")
            raise InputError(f"{loss} is a loss and {act} an activation: plot them separately")
        by = {}
        for it in items:
            by.setdefault(x_kind(it.record, it.params), it.record.name)
        listed = ", ".join(f"{n} against the {k}" for k, n in by.items())
        raise InputError(f"these losses have different x axes ({listed}): plot them separately")
    if kinds == {"probability"} and opts.x_range is not None:
        lo, hi = opts.x_range
        if lo < 0 or hi > 1:
            raise InputError(f"--range of a probability loss must lie within [0, 1], got {_g(lo)} {_g(hi)}")


def default_range(items: Sequence[Item]) -> tuple[float, float]:
    """The union of the records' own ranges (relu6 shows 6, sigmoid −8..8, probabilities (0, 1))."""
    if x_kind(items[0].record, items[0].params) == "probability":
        los, his = [], []
        for it in items:
            lo, hi = _spec(it).get("range", it.record.plot_range)
            los.append(lo if 0 < lo < 1 else PROBABILITY_RANGE[0])
            his.append(hi if 0 < hi < 1 else PROBABILITY_RANGE[1])
        return min(los), max(his)
    ranges = [tuple(_spec(it).get("range", it.record.plot_range)) if it.record.kind == "loss"
              else tuple(it.record.plot_range) for it in items]
    return min(r[0] for r in ranges), max(r[1] for r in ranges)


# ---------------------------------------------------------------------------
# the curves: f and f′ of one x variable, with their exact kinks
# ---------------------------------------------------------------------------

@dataclass
class _Fn:
    f: Callable[[Any], Any]
    df: Callable[[Any], Any]
    kinks: list[float] | None  # exact kinks, or None: find the corners numerically
    label: str  # the function as a legend label (first line)
    latex: str
    dlatex: str
    d2f: Callable[[Any], Any] | None = None  # f″, where the record has it
    d2latex: str = ""
    kinks2: list[float] | None = None  # where f′ has corners or jumps (None: the kinks of f)


def _fmt_params(params: Mapping[str, Any], skip: Iterable[str] = ()) -> str:
    shown = [f"{k}={_pv(v)}" for k, v in params.items() if k not in skip and v is not None]
    return ", ".join(shown)


def _pv(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return format(v, ".6g")
    if isinstance(v, (tuple, list)):
        return ",".join(_pv(x) for x in v)
    return str(v)


def _mathsafe(text: str) -> str:
    """Text for a matplotlib label outside math: a lone $ would start mathtext."""
    return text.replace("$", r"\$")


def _title(text: str) -> str:
    """A title with $...$ as mathtext when it parses as such, else every $ as a literal dollar."""
    if "$" not in text:
        return text
    if text.count("$") - text.count(r"\$") * 1 >= 2:
        from matplotlib.mathtext import MathTextParser

        try:
            MathTextParser("path").parse(text)
            return text
        except ValueError:
            pass
    return _mathsafe(text.replace(r"\$", "$"))


def _function(item: Item) -> _Fn:
    import numpy as np

    rec, params = item.record, dict(item.params)
    shown = _fmt_params(params, skip=("reduction",) if rec.kind == "loss" else ())
    paren = f" ({shown})" if shown else ""
    latex, dlatex = rec.formula.latex, rec.derivative_formula.latex
    if item.dtype is not None:  # f of x as a tensor of that format holds it, correctly rounded in it
        from actloss import lowp

        fmt = lowp.get_format(item.dtype)
        paren = f"{paren[:-1]}; {fmt.name})" if paren else f" ({fmt.name})"

        def in_format(fn, **kw):
            return lambda x: np.asarray(fn(lowp.round_to(x, fmt), dtype=fmt.name, **kw, **params), dtype=np.float64)
    else:
        def in_format(fn, **kw):
            return lambda x: fn(x, **kw, **params)
    if rec.shape == "elementwise":
        second = getattr(rec, "second_derivative_formula", None)
        kinks2 = [k for k, _ in rec.kink_points2(params)] if hasattr(rec, "kink_points2") else None
        return _Fn(
            in_format(rec.value),
            in_format(rec.derivative),
            [k for k, _ in rec.kink_points(params)],
            rec.name + paren, latex, dlatex,
            in_format(rec.derivative, order=2),
            second.latex if second is not None else "",
            kinks2,
        )
    if rec.shape == "vector":
        others = np.asarray(item.others, dtype=np.float64)

        def rows(x):
            x = np.asarray(x, dtype=np.float64)
            return np.column_stack([x] + [np.full_like(x, o) for o in others])

        fixed = ", ".join(_pv(float(o)) for o in others)
        return _Fn(
            lambda x: rec.value(rows(x), **params)[:, 0],
            lambda x: rec.derivative(rows(x), **params)[:, 0, 0],
            None,
            f"{rec.name}([x, {fixed}])₀{paren}", latex, dlatex,
        )
    if rec.shape == "glu":
        a = float(item.value)

        def pairs(x):
            x = np.asarray(x, dtype=np.float64)
            return np.column_stack([np.full_like(x, a), x])

        return _Fn(
            lambda x: rec.value(pairs(x), **params)[:, 0],
            lambda x: rec.derivative(pairs(x), **params)[:, 0, 1],
            [0.0] if rec.name == "reglu" else None,
            f"{rec.name}([a, b]) at a = {_pv(a)}, b = x{paren}", latex, dlatex,
        )
    return _loss_function(item, params, paren, latex, dlatex)


def _loss_function(item: Item, params: dict, paren: str, latex: str, dlatex: str) -> _Fn:
    """Loss against t (probability, residual or margin): L(make(t)) and dL/dt by the chain rule."""
    import numpy as np

    rec = item.record
    spec = _spec(item)
    make = spec["make"]
    kw = {k: v for k, v in params.items() if k != "reduction"}

    def f(t):
        pred, target = make(np.asarray(t, dtype=np.float64), **params)
        return np.asarray(rec.value(pred, target, reduction="none", **kw), dtype=np.float64).reshape(len(t), -1).sum(axis=1)

    def df(t):
        t = np.asarray(t, dtype=np.float64)
        pred, target = make(t, **params)
        g = np.asarray(rec.derivative(pred, target, reduction="none", **kw), dtype=np.float64)
        # d pred / d t by a central difference of make (exact for the usual affine makes after rounding)
        h = 1e-6 * np.maximum(1.0, np.abs(t))
        if spec["x"] == "probability":
            h = 1e-5 * np.minimum(t, 1.0 - t)
            h = np.where(h > 0, h, 1e-12)
        exact = _DMAKE.get(spec.get("maker", ""))
        if exact is not None:
            with np.errstate(all="ignore"):
                dp = exact(t)
            with np.errstate(invalid="ignore"):
                out = (g * dp).reshape(len(t), -1).sum(axis=1)
            singular = ~np.isfinite(dp).reshape(len(t), -1).all(axis=1)
            if t.size >= 2:
                _fix_ends(f, t, out, singular)
            return out
        up, _ = make(t + h, **params)
        dn, _ = make(t - h, **params)
        shape = (-1,) + (1,) * (np.ndim(up) - 1)
        pred, up, dn = (np.asarray(v, dtype=np.float64) for v in (pred, up, dn))
        fwd = (up - pred) / ((t + h) - t).reshape(shape)
        bwd = (pred - dn) / (t - (t - h)).reshape(shape)
        dp = (up - dn) / ((t + h) - (t - h)).reshape(shape)
        near = np.round(dp)
        dp = np.where(np.abs(dp - near) < 1e-6, near, dp)
        out = (g * dp).reshape(len(t), -1).sum(axis=1)
        if t.size >= 2:
            with np.errstate(all="ignore"):
                gap = np.abs(fwd - bwd) > 1e-3 * (1.0 + np.abs(fwd) + np.abs(bwd))
                singular = (gap | ~np.isfinite(dp)).reshape(len(t), -1).any(axis=1)
            _fix_ends(f, t, out, singular)
        return out

    kinks = spec.get("kinks")
    if callable(kinks):
        kinks = [float(k) for k in kinks(params)]
    return _Fn(f, df, list(kinks) if kinks is not None else None, rec.name + paren, latex, dlatex)


def _dmake_cosine(t):
    """d pred / dc of the cosine plot's pred = (c, √(1 − c²)): exact, where a difference quotient of
    the square root loses digits near c = ±1 (infinite at ±1 itself)."""
    import numpy as np

    t = np.asarray(t, dtype=np.float64).reshape(-1)
    return np.column_stack([np.ones_like(t), -t / np.sqrt(1.0 - t * t)])


#: exact derivatives of the plot parametrisations that a difference quotient serves badly
_DMAKE = {"plot_cosine": _dmake_cosine}


def _fix_ends(f, t, d, singular) -> None:
    """The chain rule fails where make's parametrisation is singular (the cosine loss at c = ±1:
    a zero gradient times an infinite dpred/dt); at the two ends of the grid, the derivative there
    is continued from the two points beside it (the one-sided derivative of a smooth loss)."""
    import numpy as np

    n = t.size
    for end, a, b in ((0, 1, 2), (n - 1, n - 2, n - 3)):
        if not singular[end] or n < 3 or singular[a] or singular[b]:
            continue
        if not (np.isfinite(d[a]) and np.isfinite(d[b])) or t[a] == t[b]:
            continue
        d[end] = d[a] + (d[a] - d[b]) * (t[end] - t[a]) / (t[a] - t[b])


def _finite(y):
    import numpy as np

    y = np.asarray(y, dtype=np.float64)
    return np.where(np.isfinite(y), y, np.nan)


def _find_corners(fn: _Fn, x, dy) -> list[tuple[float, float]]:
    """Brackets (a, b) of adjacent floats around each jump of the derivative on the grid."""
    import numpy as np

    d = np.abs(np.diff(dy))
    ok = np.isfinite(d)
    if not ok.any():
        return []
    spread = np.nanmax(dy) - np.nanmin(dy)
    if not spread > 1e-12 * np.nanmax(np.abs(dy)):  # constant up to rounding (cosine's −1): no corners
        return []
    typical = np.median(d[ok])
    cand = np.flatnonzero(ok & (d > 0.05 * spread) & (d > 20.0 * typical))
    if cand.size > 16:
        cand = cand[np.argsort(-d[cand], kind="stable")[:16]]
    out = []
    for i in sorted(cand.tolist()):
        a, b = float(x[i]), float(x[i + 1])
        da, db = float(dy[i]), float(dy[i + 1])
        for _ in range(200):
            m = a + (b - a) / 2.0
            if not a < m < b:
                break
            dm = float(fn.df(np.array([m]))[0])
            if not math.isfinite(dm):
                break
            if abs(dm - da) <= abs(dm - db):
                a, da = m, dm
            else:
                b, db = m, dm
        out.append((a, b))
    return out


def curve(fn: _Fn, lo: float, hi: float, n: int, derivative: int | bool):
    """x and y of one curve (``derivative``: the order, 0 to 2): the grid with kinks exact, NaN where
    the curve jumps."""
    import numpy as np

    x = np.linspace(lo, hi, n)
    g = (fn.f, fn.df, fn.d2f)[int(derivative)]
    if g is None:
        raise InputError(f"{fn.label.split(' ')[0]} has no second derivative to plot")
    extra: list[float] = []
    pairs: list[tuple[float, float]] = []
    kinks = fn.kinks
    if int(derivative) == 2 and fn.kinks2 is not None:
        kinks = sorted(set(fn.kinks2) | set(fn.kinks or ()))
    if kinks is not None:
        for k in kinks:
            if lo <= k <= hi:
                left, right = math.nextafter(k, -math.inf), math.nextafter(k, math.inf)
                extra.append(k)
                if lo <= left:
                    extra.append(left)
                    pairs.append((left, k))
                if right <= hi:
                    extra.append(right)
                    pairs.append((k, right))
    else:
        with np.errstate(all="ignore"):
            dy = _finite(fn.df(x))
        for a, b in _find_corners(fn, x, dy):
            extra += [a, b]
            pairs.append((a, b))
    if extra:
        x = np.union1d(x, np.asarray(extra, dtype=np.float64))
    with np.errstate(all="ignore"):
        y = _finite(g(x))
    if pairs:
        scale = 1.0 + (np.nanmax(np.abs(y)) if np.isfinite(y).any() else 0.0)
        breaks = []
        for a, b in pairs:
            i = int(np.searchsorted(x, a))
            if i + 1 < x.size and x[i] == a and x[i + 1] == b:
                ya, yb = y[i], y[i + 1]
                if np.isfinite(ya) and np.isfinite(yb) and abs(ya - yb) > 1e-7 * scale:
                    breaks.append(i + 1)
        if breaks:
            x = np.insert(x, breaks, np.nan)
            y = np.insert(y, breaks, np.nan)
    return x, y


# ---------------------------------------------------------------------------
# drawing
# ---------------------------------------------------------------------------

def _xlabel(items: Sequence[Item]) -> str:
    rec = items[0].record
    if rec.kind == "loss":
        labels: dict[str, list[str]] = {}
        for it in items:
            spec = _spec(it)
            label = spec.get("xlabel") or {
                "probability": "predicted probability of the true class",
                "residual": "residual ŷ − y", "margin": "margin y·ŷ"}[spec["x"]]
            names = labels.setdefault(label, [])
            if it.record.name not in names:
                names.append(it.record.name)
        if len(labels) == 1:
            return next(iter(labels))
        return "; ".join(f"{label} ({', '.join(names)})" for label, names in labels.items())
    shapes = {it.record.shape for it in items}
    if shapes == {"vector"}:
        return "logit x₀ (the other logits fixed)"
    if shapes == {"glu"}:
        return "gate b (value a fixed)"
    return "x"


@dataclass
class Curve:
    """One drawn curve: f (order 0), f′ (1) or f″ (2) of one item, with its legend name and formula."""

    item: int
    order: int
    x: Any
    y: Any
    name: str
    latex: str
    gid: str
    short: str = ""  # the record's name and the order's prime
    same_as: str = ""  # the short name of an earlier curve with the same values (drawn over it)


#: the legend's mark of each derivative order
PRIMES = ("", "′", "″")


def orders(opts: Options) -> list[int]:
    """The derivative orders drawn: f unless --only-grad, f′ with --grad or --only-grad, f″ with second."""
    out = [] if opts.only_grad else [0]
    if opts.grad or opts.only_grad:
        out.append(1)
    if opts.second:
        out.append(2)
    return out


def curves(items: Sequence[Item], opts: Options) -> tuple[list[Curve], tuple[float, float]]:
    """Every curve to draw and the x range; identical curves are marked (``same_as``)."""
    import numpy as np

    lo, hi = opts.x_range if opts.x_range is not None else default_range(items)
    out: list[Curve] = []
    fns = []
    for i, item in enumerate(items):
        fn = _function(item)
        fns.append(fn)
        for order in orders(opts):
            x, y = curve(fn, lo, hi, opts.points, derivative=order)
            if len(items) == 1:  # one legend: the parameters in full
                name = fn.label if order == 0 else item.record.name + PRIMES[order]
            else:  # several: each name with the parameters that differ from their defaults
                shown = _fmt_params(_non_default(item), skip=("reduction",))
                name = fn.label.split(" (")[0] if item.record.shape != "elementwise" and item.record.kind != "loss" else item.record.name
                name = name + PRIMES[order] + (f" ({shown})" if shown else "")
            if item.label:
                name = item.label if order == 0 else _primed(item.label, order)
            latex = (fn.latex, fn.dlatex, fn.d2latex)[order]
            gid = f"curve-{i}-{item.record.name}" + ("", "-grad", "-grad2")[order]
            out.append(Curve(i, order, x, y, name, _legend_latex(latex, item.record), gid, item.record.name + PRIMES[order]))
    # identical curves: the same values where both are drawn
    for k, c in enumerate(out):
        for prev in out[:k]:
            if prev.order != c.order or prev.same_as:
                continue
            if _same_values(prev, c, fns[prev.item], fns[c.item]):
                c.same_as = prev.short
                break
    del np
    return out, (lo, hi)


def _non_default(item: Item) -> dict:
    defaults = {p.name: p.default for p in item.record.params}
    return {k: v for k, v in item.params.items() if k not in defaults or defaults[k] != v}


def _primed(label: str, order: int) -> str:
    name, sep, rest = label.partition(" ")
    return name + PRIMES[order] + sep + rest


def _same_values(a: Curve, b: Curve, fa: _Fn, fb: _Fn) -> bool:
    import numpy as np

    if a.x.shape == b.x.shape and np.array_equal(a.x, b.x, equal_nan=True):
        ya, yb = a.y, b.y
    else:
        x = b.x[np.isfinite(b.x)]
        g = (fa.f, fa.df, fa.d2f)[a.order]
        if g is None:
            return False
        with np.errstate(all="ignore"):
            ya, yb = _finite(g(x)), b.y[np.isfinite(b.x)]
    fin_a, fin_b = np.isfinite(ya), np.isfinite(yb)
    if not fin_a.any() or not np.array_equal(fin_a, fin_b):
        return False
    scale = float(np.max(np.abs(ya[fin_a]))) or 1.0
    return bool(np.all(np.abs(ya[fin_a] - yb[fin_b]) <= 1e-12 * scale))


def _legend_latex(latex: str, record=None) -> str:
    """One symbol for a loss in every legend: ℓ, the loss of one element or sample as plotted; a
    parameter by its option's name where the formula writes a symbol for it (var, not σ²)."""
    import re

    latex = re.sub(r"^\s*L\s*=", r"\\ell =", latex)
    if record is not None and record.param("var") is not None:
        latex = latex.replace(r"\sigma^{2}", r"\mathrm{var}")
    return latex.replace(r"\partial L}", r"\partial \ell}")


def separate_panels(items: Sequence[Item], opts: Options, text: bool = False) -> bool:
    """f′ in a panel of its own below f: always as text (a cell holds one colour), and for losses in an
    image (−1/p would otherwise set the y range and squash the loss into a band)."""
    drawn = orders(opts)
    if 0 not in drawn or len(drawn) < 2:
        return False
    return text or any(it.record.kind == "loss" for it in items)


def panels(items: Sequence[Item], opts: Options, text: bool = False):
    """(curves of each panel, x range): f above, the derivatives below when they get a panel."""
    all_curves, xr = curves(items, opts)
    if separate_panels(items, opts, text):
        return [[c for c in all_curves if c.order == 0], [c for c in all_curves if c.order > 0]], xr
    return [all_curves], xr


def panel_limits(cs: Sequence[Curve], opts: Options, first: bool):
    """y range of one panel: --ylim for the first panel, else fit its lowest order (others limited)."""
    if opts.ylim is not None and first:
        return tuple(opts.ylim)
    low = min(c.order for c in cs)
    return y_limits([c.y for c in cs if c.order == low], [c.y for c in cs if c.order != low])


def _style_of(c: Curve, overlaid: bool) -> str:
    if c.order == 2:
        return "dotted"
    if c.order == 1 and overlaid:
        return "dashed"
    return "solid"


_DASHES = {"solid": "-", "dashed": "--", "dotted": ":"}


def draw(items: Sequence[Item], opts: Options):
    """The figure (not yet saved): one axes, or f above f′ for losses with their derivative."""
    from matplotlib.figure import Figure

    groups, (lo, hi) = panels(items, opts)
    several = len(items) > 1
    fig = Figure(figsize=opts.figsize(len(items)), dpi=opts.dpi, layout="constrained")
    if len(groups) == 1:
        axes = [fig.add_subplot()]
    else:
        axes = list(fig.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": (3, 2)}))
    handles, labels = [], []
    for k, (ax, cs) in enumerate(zip(axes, groups)):
        overlaid = any(c.order == 0 for c in cs)
        for c in cs:
            color = PALETTE[c.item % len(PALETTE)]
            style = _style_of(c, overlaid)
            dashes = _DASHES[style]
            if c.item >= len(PALETTE) and style == "solid":
                dashes = "-."
            width = 1.6 if style != "solid" else 2.0
            if c.same_as:
                # drawn over the identical curve in dashes: both colours show
                dashes = (0, (3.0, 3.0)) if style == "solid" else (3.0, (1.0, 3.0))
            label = _mathsafe(c.name) + (f" (identical to {_mathsafe(c.same_as)})" if c.same_as else "")
            if not several and c.latex and not c.same_as:
                label += f"\n${c.latex}$"
            (line,) = ax.plot(c.x, c.y, color=color, linestyle=dashes, linewidth=width, label=label)
            line.set_gid(c.gid)
            handles.append(line)
            labels.append(label)
        ax.set_xlim(lo, hi)
        limits = panel_limits(cs, opts, first=k == 0)
        if limits is not None:
            ax.set_ylim(*limits)
        _frame(ax)
        if len(groups) > 1:
            ax.set_ylabel("value" if k == 0 else "derivative")
        if not several:
            ax.legend(loc="best", handlelength=2.6, labelspacing=0.7)
    axes[-1].set_xlabel(_xlabel(items), loc="right")
    if opts.title:
        family = title_font(opts.title)[0]
        axes[0].set_title(_title(opts.title), **({"fontfamily": family} if family else {}))
    if several:
        ncols = min(len(labels), 4 if max(len(s) for s in labels) <= 28 else 2)
        if len(orders(opts)) > 1 and len(items) <= ncols:
            ncols = len(items)  # a column per function: f above f′
        fig.legend(handles, labels, loc="outside lower center", ncols=ncols, handlelength=2.6,
                   columnspacing=1.6, frameon=False)
    return fig


def _frame(ax) -> None:
    """Tick labels on the frame's left and lower edges, where no curve runs; the axes through the origin
    as thin lines when it is in view; plain tick labels (no offset: a zoomed axis reads 0.9992, not +1)."""
    from matplotlib.ticker import ScalarFormatter

    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    for axis in (ax.xaxis, ax.yaxis):
        fmt = ScalarFormatter(useOffset=False)
        fmt.set_powerlimits((-4, 5))
        axis.set_major_formatter(fmt)
    # (not where it would double the frame's own line: within 3 % of the left or lower edge)
    if x0 < 0 < x1 and -x0 > 0.03 * (x1 - x0):
        ax.axvline(0.0, color="#555555", linewidth=0.8, zorder=1.2)
    if y0 < 0 < y1 and -y0 > 0.03 * (y1 - y0):
        ax.axhline(0.0, color="#555555", linewidth=0.8, zorder=1.2)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color("#333333")
        ax.spines[side].set_linewidth(0.9)
    ax.set_axisbelow(True)


# ---------------------------------------------------------------------------
# titles in other scripts
# ---------------------------------------------------------------------------

#: fonts with Chinese, Japanese and Korean glyphs, in order of preference
CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Sans CJK TC", "Noto Sans CJK KR", "Source Han Sans SC",
             "Source Han Sans", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "Droid Sans Fallback", "AR PL UMing CN",
             "AR PL UKai CN", "Noto Sans SC", "Noto Serif CJK SC", "IPAGothic", "IPAexGothic", "NanumGothic",
             "Microsoft YaHei", "SimHei", "PingFang SC", "Hiragino Sans GB", "Arial Unicode MS")

CJK_FONT_HINT = ("no CJK font is installed, so the title's Chinese, Japanese or Korean characters show as boxes: "
                 "install one (Debian and Ubuntu: apt install fonts-noto-cjk) and plot again")


def has_cjk(text: str) -> bool:
    return any(0x2E80 <= ord(ch) <= 0x9FFF or 0xAC00 <= ord(ch) <= 0xD7AF or 0xF900 <= ord(ch) <= 0xFAFF
               or 0xFF00 <= ord(ch) <= 0xFFEF or 0x20000 <= ord(ch) <= 0x2FA1F for ch in text)


def title_font(title: str | None) -> tuple[list[str] | None, str | None]:
    """(font families for the title, or None for the default; a one-line hint when it needs a missing font)."""
    if not title or not has_cjk(title):
        return None, None
    from matplotlib import font_manager

    for _ in range(2):
        installed = {f.name for f in font_manager.fontManager.ttflist}
        for name in CJK_FONTS:
            if name in installed:
                return [name, "DejaVu Sans"], None
        if not _add_new_cjk_fonts(font_manager):
            break
    return None, CJK_FONT_HINT


def _add_new_cjk_fonts(font_manager) -> bool:
    """Fonts installed since matplotlib cached its font list: add those that look CJK (by file name)."""
    import re

    known = {f.fname for f in font_manager.fontManager.ttflist}
    pattern = re.compile(r"cjk|wqy|wenquanyi|droidsansfallback|sourcehan|uming|ukai|ipag|ipaexg|nanum|simhei|yahei|msyh|pingfang",
                         re.IGNORECASE)
    added = False
    for path in font_manager.findSystemFonts():
        if path not in known and pattern.search(os.path.basename(path)):
            try:
                font_manager.fontManager.addfont(path)
                added = True
            except Exception:  # an unreadable font file: skip it
                continue
    return added


# ---------------------------------------------------------------------------
# text: the same plot in a terminal
# ---------------------------------------------------------------------------

def chart(items: Sequence[Item], opts: Options):
    """The plot as a ``textplot.Chart``: the same curves, ranges and limits as the image."""
    import actloss.textplot as T

    groups, xr = panels(items, opts, text=True)
    out = []
    for k, cs in enumerate(groups):
        overlaid = any(c.order == 0 for c in cs)
        series = [T.Series(c.x, c.y, c.name + (f" (identical to {c.same_as})" if c.same_as else ""),
                           c.item, _style_of(c, overlaid) if c.order == 2 else "solid") for c in cs]
        limits = panel_limits(cs, opts, first=k == 0) or (-1.0, 1.0)
        out.append(T.Panel(series, limits, "value" if k == 0 else "derivative"))
    title = opts.title or ""
    return T.Chart(out, xr, _xlabel(items), title)


def terminal_text(items: Sequence[Item], opts: Options, stream=None, environ=None) -> str:
    """The plot as text for ``stream`` (stdout): its size, UTF-8 or ASCII, colour only on a terminal."""
    import sys

    import actloss.textplot as T

    stream = sys.stdout if stream is None else stream
    check_options(opts)
    check_items(items, opts)
    columns, lines = T.terminal_size(stream, environ)
    unicode = T.locale_is_utf8(environ)
    text = T.render(chart(items, opts), columns, max(lines - 1, 8), unicode=unicode,
                    color=T.color_mode(stream, environ))
    if not unicode:
        text = text.encode("ascii", "replace").decode("ascii")
    return text


def _span(y, robust: bool):
    import numpy as np

    fin = y[np.isfinite(y)]
    if not fin.size:
        return None
    lo, hi = float(fin.min()), float(fin.max())
    if robust and fin.size >= 20:
        # a tail that dwarfs the rest (−1/p as p → 0): keep the bulk and a good part of the tail
        q5, q95 = (float(v) for v in np.percentile(fin, [5.0, 95.0]))
        bulk = q95 - q5
        if bulk > 0 and hi - lo > 6.0 * bulk:
            lo, hi = max(lo, q5 - 2.0 * bulk), min(hi, q95 + 2.0 * bulk)
    return lo, hi


def y_limits(primary, secondary):
    """y range: the plotted functions whole (a dwarfing tail trimmed); overlaid derivatives
    only as far as one height of the functions beyond them. A curve constant to rounding
    (cosine′ = −1) gets a range around its value, not a zoom into its last bits."""
    import numpy as np

    spans = [s for s in (_span(np.asarray(y), True) for y in primary) if s is not None]
    if not spans:
        spans = [s for s in (_span(np.asarray(y), True) for y in secondary) if s is not None]
        secondary = []
    if not spans:
        return None
    lo, hi = min(s[0] for s in spans), max(s[1] for s in spans)
    if hi - lo <= 1e-9 * max(abs(lo), abs(hi)):
        mid = (lo + hi) / 2.0
        lo = hi = mid
    height = hi - lo if hi > lo else max(1.0, abs(hi))
    for y in secondary:
        s = _span(np.asarray(y), False)
        if s is not None:
            lo, hi = min(lo, max(s[0], lo - height)), max(hi, min(s[1], hi + height))
    lo, hi = max(lo, -1e307), min(hi, 1e307)  # beyond, the axis's ticks overflow
    pad = 0.06 * (hi - lo) if hi > lo else max(0.5, abs(hi) * 0.1)
    return lo - pad, hi + pad


# ---------------------------------------------------------------------------
# saving: deterministic and atomic
# ---------------------------------------------------------------------------

def _metadata(fmt: str) -> dict:
    if fmt in ("png",):
        return {"Software": CREATOR}
    if fmt in ("svg", "svgz"):
        return {"Date": None, "Creator": CREATOR}
    if fmt == "pdf":
        return {"Creator": CREATOR, "Producer": CREATOR, "CreationDate": None, "ModDate": None}
    if fmt in ("ps", "eps"):
        return {"Creator": CREATOR}
    return {}


def _style():
    import matplotlib

    return matplotlib.rc_context(STYLE)


def save(fig, path: str | os.PathLike, fmt: str, dpi: float) -> Path:
    """Write ``fig`` to ``path`` atomically; byte-identical for identical figures."""
    return atomic_write(Path(path), lambda fh: _savefig(fig, fh, fmt, dpi))


def atomic_write(path: Path, write) -> Path:
    """Call ``write(binary file)`` on a temporary file beside ``path``, then rename it into place.

    A failure leaves an existing file untouched and no temporary file behind; an OSError becomes
    an OutputError naming the path.
    """
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise OutputError(f"cannot write {path}: directory {directory} does not exist")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
        os.chmod(tmp, _mode(path))
        os.replace(tmp, path)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError) and not isinstance(exc, OutputError):
            raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
        raise
    return path


def _savefig(fig, fh, fmt: str, dpi: float) -> None:
    kw: dict[str, Any] = {"format": fmt, "dpi": dpi, "metadata": _metadata(fmt)}
    if fmt in ("jpg", "jpeg", "tif", "tiff", "webp", "raw", "rgba"):
        kw.pop("metadata")
    env = os.environ.get("SOURCE_DATE_EPOCH")
    if fmt in ("ps", "eps") and env is None:
        os.environ["SOURCE_DATE_EPOCH"] = "0"  # the PostScript backend dates its output otherwise
    import logging
    import warnings

    # fontTools, subsetting a font of the formulas into a PDF, logs its old timestamps as warnings
    fonttools = logging.getLogger("fontTools")
    level = fonttools.level
    fonttools.setLevel(logging.ERROR)
    try:
        with _style(), warnings.catch_warnings():
            # a title in a script no installed font has: the command says so in one line (title_font)
            warnings.filterwarnings("ignore", message="Glyph .* missing from")
            if fmt == "svgz":  # gzip without a timestamp in its header
                import gzip
                import io

                buf = io.BytesIO()
                fig.savefig(buf, **{**kw, "format": "svg"})
                with gzip.GzipFile(fileobj=fh, mode="wb", mtime=0, filename="") as gz:
                    gz.write(buf.getvalue())
            else:
                fig.savefig(fh, **kw)
    finally:
        fonttools.setLevel(level)
        if fmt in ("ps", "eps") and env is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)


def _mode(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_text(path: Path, text: str) -> None:
    """A text file, atomically (the gallery's index)."""
    atomic_write(path, lambda fh: fh.write(text.encode("utf-8")))


def image_bytes(items: Sequence[Item], opts: Options, fmt: str = "png") -> bytes:
    """The image itself, for ``-o -`` (stdout): the same bytes as the file would hold."""
    import io

    fmt = fmt.lower().lstrip(".")
    _check_format(fmt, f"--format {fmt}:")
    check_options(opts)
    check_items(items, opts)
    with _style():
        fig = draw(items, opts)
    buf = io.BytesIO()
    _savefig(fig, buf, fmt, opts.dpi)
    return buf.getvalue()


def sweep(records: Sequence[Any], params: Mapping[str, str]) -> tuple[str, list[str]] | None:
    """The swept parameter and its values, from a comma list given to a number parameter
    (``--alpha 0.5,1,2``); None when nothing is swept. Two swept parameters are an error."""
    swept = []
    for key, text in params.items():
        if "," not in str(text):
            continue
        takers = [r.param(key) for r in records if r.param(key) is not None]
        if not takers or any(p.vector for p in takers):
            continue
        values = [v.strip() for v in str(text).strip("[]").split(",")]
        if any(not v for v in values):
            raise InputError(f"--{key} {text}: a sweep is a comma list of values such as 0.5,1,2")
        swept.append((key, values))
    if len(swept) > 1:
        names = " and ".join("--" + k for k, _ in swept)
        raise InputError(f"{names} are both lists: sweep one parameter per plot (the others one value each)")
    return swept[0] if swept else None


def plot(items: Sequence[Item], opts: Options, path: str | os.PathLike, fmt: str | None = None) -> Path:
    """Draw ``items`` on one axes and write the file (format from the extension or ``fmt``)."""
    fmt = output_format(path, fmt)
    check_options(opts)
    check_items(items, opts)
    with _style():
        fig = draw(items, opts)
    return save(fig, path, fmt, opts.dpi)


# ---------------------------------------------------------------------------
# gallery
# ---------------------------------------------------------------------------

def gallery(items: Sequence[Item], opts: Options, directory: str | os.PathLike, fmt: str = "png",
            progress: Callable[[str], None] | None = None) -> list[Path]:
    """One file per function (value and derivative) and an index.md linking them."""
    directory = Path(directory)
    _check_format(fmt, f"--format {fmt}:")
    check_options(opts)
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create directory {directory}: {exc.strerror or exc}") from None
    if not os.access(directory, os.W_OK | os.X_OK):
        raise OutputError(f"cannot write to directory {directory}: permission denied")
    each = Options(**{**opts.__dict__, "grad": not opts.only_grad})
    written = []
    for item in items:
        if progress is not None:
            progress(item.record.name)
        one = Options(**each.__dict__)
        one.second = opts.second and has_second(item)  # f″ where the function has one
        if x_kind(item.record, item.params) == "probability" and one.x_range is not None:
            lo, hi = one.x_range
            one.x_range = (max(lo, 0.0), min(hi, 1.0)) if max(lo, 0.0) < min(hi, 1.0) else None
        path = directory / f"{item.record.name}.{fmt}"
        with _style():
            fig = draw([item], one)
        written.append(save(fig, path, fmt, one.dpi))
    write_text(directory / "index.md", index_markdown(items, written))
    return written


def index_markdown(items: Sequence[Item], files: Sequence[Path]) -> str:
    lines = ["# actloss gallery", "",
             "Each function (solid) and its derivative (dashed, same colour; a loss's derivative in a panel below it), "
             "drawn by `actloss plot`.", ""]
    groups = [("Activations", "activation"), ("Losses", "loss")]
    for title, kind in groups:
        pairs = [(it, p) for it, p in zip(items, files) if it.record.kind == kind]
        if not pairs:
            continue
        lines += [f"## {title}", ""]
        lines += [f"- [{it.record.name}](#{it.record.name.lower()}): {it.record.summary}"
                  for it, _ in pairs]
        lines.append("")
        for it, p in pairs:
            rec = it.record
            lines += [f"### {rec.name}", "", f"{rec.summary}. {rec.formula.text}", "",
                      f"![{rec.name} and its derivative]({p.name})", ""]
    return "\n".join(lines)
