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
#: several functions: the legend goes to the right of the axes, so the figure is wider
DEFAULT_SIZE_SEVERAL = (8.4, 4.2)
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


@dataclass
class Options:
    x_range: tuple[float, float] | None = None
    points: int = DEFAULT_POINTS
    grad: bool = False
    only_grad: bool = False
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


def x_kind(record) -> str:
    """What the x axis means: 'x' for activations, the loss's 'probability'/'residual'/'margin'."""
    if record.kind == "loss":
        return _loss_plot(record)["x"]
    return "x"


def _loss_plot(record) -> Mapping[str, Any]:
    spec = record.plot
    if spec is None:
        raise InputError(f"{record.name} has no plot description")
    return {"x": spec.x, "xlabel": spec.xlabel, "make": spec.make}


def check_items(items: Sequence[Item], opts: Options) -> None:
    """Functions that can share one axes, and a range that suits them."""
    kinds = {x_kind(it.record) for it in items}
    if len(kinds) > 1:
        if "x" in kinds:
            loss = next(it.record.name for it in items if it.record.kind == "loss")
            act = next(it.record.name for it in items if it.record.kind != "loss")
            raise InputError(f"{loss} is a loss and {act} an activation: plot them separately")
        by = {}
        for it in items:
            by.setdefault(x_kind(it.record), it.record.name)
        listed = ", ".join(f"{n} against the {k}" for k, n in by.items())
        raise InputError(f"these losses have different x axes ({listed}): plot them separately")
    if kinds == {"probability"} and opts.x_range is not None:
        lo, hi = opts.x_range
        if lo < 0 or hi > 1:
            raise InputError(f"--range of a probability loss must lie within [0, 1], got {_g(lo)} {_g(hi)}")


def default_range(items: Sequence[Item]) -> tuple[float, float]:
    """The union of the records' own ranges (relu6 shows 6, sigmoid −8..8, probabilities (0, 1))."""
    if x_kind(items[0].record) == "probability":
        los, his = [], []
        for it in items:
            lo, hi = _loss_plot(it.record).get("range", it.record.plot_range)
            los.append(lo if 0 < lo < 1 else PROBABILITY_RANGE[0])
            his.append(hi if 0 < hi < 1 else PROBABILITY_RANGE[1])
        return min(los), max(his)
    ranges = [tuple(_loss_plot(it.record).get("range", it.record.plot_range)) if it.record.kind == "loss"
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
    if rec.shape == "elementwise":
        return _Fn(
            lambda x: rec.value(x, **params),
            lambda x: rec.derivative(x, **params),
            [k for k, _ in rec.kink_points(params)],
            rec.name + paren, latex, dlatex,
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
    spec = _loss_plot(rec)
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


def _fix_ends(f, t, d, singular) -> None:
    """The chain rule fails where make's parametrisation is singular (the cosine loss at c = ±1:
    a zero gradient times an infinite dpred/dt); at the two ends of the grid, a one-sided
    difference quotient replaces a chain-rule value it contradicts."""
    import numpy as np

    for end, inner in ((0, 1), (t.size - 1, t.size - 2)):
        h = (t[inner] - t[end]) * 1e-4
        if h == 0 or not singular[end]:
            continue
        with np.errstate(all="ignore"):
            q = (f(np.array([t[end] + h]))[0] - f(np.array([t[end]]))[0]) / h
        if np.isfinite(q) and not abs(d[end] - q) <= 1e-2 * (1.0 + abs(q)):
            d[end] = q


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
    if not spread > 0:
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


def curve(fn: _Fn, lo: float, hi: float, n: int, derivative: bool):
    """x and y of one curve: the grid with kinks exact, NaN where the curve jumps."""
    import numpy as np

    x = np.linspace(lo, hi, n)
    g = fn.df if derivative else fn.f
    extra: list[float] = []
    pairs: list[tuple[float, float]] = []
    if fn.kinks is not None:
        for k in fn.kinks:
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
            label = _loss_plot(it.record).get("xlabel") or {
                "probability": "predicted probability of the true class",
                "residual": "residual ŷ − y", "margin": "margin y·ŷ"}[x_kind(it.record)]
            labels.setdefault(label, []).append(it.record.name)
        if len(labels) == 1:
            return next(iter(labels))
        return "; ".join(f"{label} ({', '.join(names)})" for label, names in labels.items())
    shapes = {it.record.shape for it in items}
    if shapes == {"vector"}:
        return "logit x₀ (the other logits fixed)"
    if shapes == {"glu"}:
        return "gate b (value a fixed)"
    return "x"


def draw(items: Sequence[Item], opts: Options):
    """The figure (not yet saved) of every item on one axes."""
    from matplotlib.figure import Figure

    lo, hi = opts.x_range if opts.x_range is not None else default_range(items)
    fig = Figure(figsize=opts.figsize(len(items)), dpi=opts.dpi, layout="constrained")
    ax = fig.add_subplot()
    primary, secondary = [], []
    for i, item in enumerate(items):
        fn = _function(item)
        color = PALETTE[i % len(PALETTE)]
        solid, dashed = ("-", "--") if i < len(PALETTE) else ("-.", ":")
        name = _mathsafe(fn.label)
        gid = f"curve-{i}-{item.record.name}"
        if not opts.only_grad:
            x, y = curve(fn, lo, hi, opts.points, derivative=False)
            (line,) = ax.plot(x, y, color=color, linestyle=solid, label=f"{name}\n${fn.latex}$")
            line.set_gid(gid)
            primary.append(y)
        if opts.grad or opts.only_grad:
            x, y = curve(fn, lo, hi, opts.points, derivative=True)
            prime = item.record.name + "′"
            label = f"{_mathsafe(prime)}\n${fn.dlatex}$" if opts.only_grad else _mathsafe(prime)
            (line,) = ax.plot(x, y, color=color, linestyle=solid if opts.only_grad else dashed,
                              label=label, linewidth=2.0 if opts.only_grad else 1.6)
            line.set_gid(gid + "-grad")
            (primary if opts.only_grad else secondary).append(y)
    ax.set_xlim(lo, hi)
    if opts.ylim is not None:
        ax.set_ylim(*opts.ylim)
    else:
        limits = y_limits(primary, secondary)
        if limits is not None:
            ax.set_ylim(*limits)
    _origin_axes(ax)
    ax.set_xlabel(_xlabel(items), loc="right")
    y0, y1 = ax.get_ylim()
    if y0 < 0 < y1:
        # the x axis runs through the plot: its label goes below the plot's lower right corner,
        # clear of the curves and (when the axis runs low) of its tick labels
        at = -y0 / (y1 - y0)
        ticks = 22.0 / (72.0 * opts.figsize(len(items))[1] * 0.85)
        ax.xaxis.set_label_coords(1.0, min(-0.02, at - ticks))
        ax.xaxis.label.set_verticalalignment("top")
    if opts.title:
        ax.set_title(_title(opts.title))
    if len(items) == 1:
        ax.legend(loc="best", handlelength=2.4, labelspacing=0.7)
    else:
        fig.legend(loc="outside right upper", handlelength=2.4, labelspacing=0.7)
    return fig


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
    only as far as one height of the functions beyond them."""
    import numpy as np

    spans = [s for s in (_span(np.asarray(y), True) for y in primary) if s is not None]
    if not spans:
        spans = [s for s in (_span(np.asarray(y), True) for y in secondary) if s is not None]
        secondary = []
    if not spans:
        return None
    lo, hi = min(s[0] for s in spans), max(s[1] for s in spans)
    height = hi - lo if hi > lo else max(1.0, abs(hi))
    for y in secondary:
        s = _span(np.asarray(y), False)
        if s is not None:
            lo, hi = min(lo, max(s[0], lo - height)), max(hi, min(s[1], hi + height))
    lo, hi = max(lo, -1e307), min(hi, 1e307)  # beyond, the axis's ticks overflow
    pad = 0.06 * (hi - lo) if hi > lo else max(0.5, abs(hi) * 0.1)
    return lo - pad, hi + pad


def _origin_axes(ax) -> None:
    """Axes lines through the origin when it is in view, else along the lower and left edges."""
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    through_x, through_y = x0 < 0 < x1, y0 < 0 < y1
    ax.spines["left"].set_position(("data", 0.0) if through_x else ("axes", 0.0))
    ax.spines["bottom"].set_position(("data", 0.0) if through_y else ("axes", 0.0))
    if through_x and through_y:
        # one "0", below and right of the origin (a quadrant activations leave empty): each axis's own
        # would sit on the other axis's line
        from matplotlib.ticker import ScalarFormatter

        class _NoZero(ScalarFormatter):
            def __call__(self, v, pos=None):
                return "" if v == 0 else super().__call__(v, pos)

        ax.xaxis.set_major_formatter(_NoZero())
        ax.yaxis.set_major_formatter(_NoZero())
        ax.annotate("0", (0.0, 0.0), xycoords="data", xytext=(3.5, -3.5), textcoords="offset points",
                    ha="left", va="top", fontsize=STYLE["xtick.labelsize"], annotation_clip=False)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color("#333333")
        ax.spines[side].set_linewidth(0.9)
    ax.set_axisbelow(True)


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
    try:
        with _style():
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
        if x_kind(item.record) == "probability" and one.x_range is not None:
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
             "Each function (solid) and its derivative (dashed, same colour), drawn by `actloss plot`.", ""]
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
