"""Plots as text: braille dots on a UTF-8 terminal, ASCII characters elsewhere.

A small renderer of its own (numpy only, a few milliseconds for a plot): a maintained library would
cost a dependency and 25-140 ms of import, and none of them does panels, round ticks and a legend the
way the image does.

Layout, from top to bottom: the title, one panel per derivative order (f, then f′ below it, then f″
dotted in the f′ panel), the x axis with round ticks, and the legend. Each panel has its own y axis.

Overlapping curves: a character cell holds one colour, so where curves cross or coincide only one can
show its colour. Drawing f′ in a panel of its own halves the curves in each panel and gives each its
own y range (a loss's −1/p no longer squashes the loss). Within a panel every curve's dots are kept,
and the cells that several curves share take their colours in turn along x (two columns each), the
way the image draws coinciding curves in dashes over each other: a stretch where curves coincide
shows all their colours instead of the last curve's alone. Without colour (a pipe, NO_COLOR)
several curves are told apart by a character of their own, shown in the legend, with '#' where they
share a cell. Identical curves are named as such in the legend by the caller.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from typing import Sequence

#: Okabe & Ito's palette as in the image, without black (invisible on a dark terminal)
TERM_PALETTE = ("#0072B2", "#D55E00", "#009E73", "#E69F00", "#56B4E9", "#CC79A7", "#F0E442")
#: one character per curve when there is no colour to tell them apart
MARKERS_UNICODE = "•×+o~=%@"
MARKERS_ASCII = "*+ox~=%@"
#: a cell that several curves pass through, when characters tell the curves apart
SHARED = "#"

#: what an ASCII terminal shows for the labels' other characters
ASCII = {"′": "'", "″": "''", "σ": "sigma", "ŷ": "y^", "·": "*", "−": "-", "–": "-", "—": "-", "×": "x",
         "₀": "0", "₁": "1", "₂": "2", "²": "^2", "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta",
         "λ": "lambda", "ε": "eps", "θ": "theta", "ℓ": "l", "≤": "<=", "≥": ">=", "…": "...", "√": "sqrt"}


def strip_ansi(text: str) -> str:
    """``text`` without its colour codes."""
    import re

    return re.sub(r"\x1b\[[0-9;]*m", "", text)


def to_ascii(text: str) -> str:
    """``text`` in ASCII: the usual Greek letters and marks spelled out, anything else as '?'."""
    out = "".join(ASCII.get(ch, ch) for ch in text)
    return out.encode("ascii", "replace").decode("ascii")


BRAILLE_BASE = 0x2800
#: dot bit of braille cell position (column 0..1, row 0..3)
_BRAILLE_BITS = ((0x01, 0x02, 0x04, 0x40), (0x08, 0x10, 0x20, 0x80))


@dataclass
class Series:
    """One curve: x and y (NaN breaks the line), its legend label and its line style."""

    x: object
    y: object
    label: str
    color: int = 0
    style: str = "solid"  # solid, dashed, dotted


@dataclass
class Panel:
    series: list[Series]
    ylim: tuple[float, float]
    ylabel: str = ""


@dataclass
class Chart:
    panels: list[Panel]
    xlim: tuple[float, float]
    xlabel: str = ""
    title: str = ""
    notes: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------
# the terminal: size, character set, colour
# ---------------------------------------------------------------------------

def locale_is_utf8(environ=None) -> bool:
    """Whether the user's locale is UTF-8 (LC_ALL, then LC_CTYPE, then LANG, as setlocale reads them).

    Python coerces the C locale to C.UTF-8 at start-up and sets LC_CTYPE so; that coercion says nothing
    about the terminal, so a C.UTF-8 LC_CTYPE over a C or unset LANG counts as the C locale.
    """
    env = os.environ if environ is None else environ
    lc_all, lc_ctype, lang = env.get("LC_ALL", ""), env.get("LC_CTYPE", ""), env.get("LANG", "")
    if lc_all:
        value = lc_all
    elif lc_ctype and not (lc_ctype == "C.UTF-8" and lang in ("", "C", "POSIX")):
        value = lc_ctype
    else:
        value = lang
    value = value.lower().replace("-", "")
    return "utf8" in value


def terminal_size(stream, environ=None) -> tuple[int, int]:
    """(columns, lines): the terminal's when ``stream`` is one, else COLUMNS and LINES, else 80 × 24."""
    env = os.environ if environ is None else environ
    try:
        if stream is not None and stream.isatty():
            size = os.get_terminal_size(stream.fileno())
            if size.columns > 0 and size.lines > 0:
                return size.columns, size.lines
    except (AttributeError, ValueError, OSError):
        pass

    def number(key: str, default: int) -> int:
        try:
            v = int(env.get(key, ""))
            return v if v > 0 else default
        except ValueError:
            return default

    return number("COLUMNS", 80), number("LINES", 24)


def color_mode(stream, environ=None) -> str | None:
    """'truecolor', '256' or None: colour only on a terminal, never with NO_COLOR or TERM=dumb."""
    env = os.environ if environ is None else environ
    try:
        tty = stream is not None and stream.isatty()
    except (AttributeError, ValueError):
        tty = False
    if not tty or "NO_COLOR" in env or env.get("TERM") == "dumb":
        return None
    if env.get("COLORTERM", "").lower() in ("truecolor", "24bit"):
        return "truecolor"
    return "256"


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    h = hex_colour.lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


def _ansi(index: int, mode: str | None) -> tuple[str, str]:
    if mode is None:
        return "", ""
    r, g, b = _rgb(TERM_PALETTE[index % len(TERM_PALETTE)])
    if mode == "truecolor":
        return f"\x1b[38;2;{r};{g};{b}m", "\x1b[0m"
    levels = (0, 95, 135, 175, 215, 255)

    def nearest(v: int) -> int:
        return min(range(6), key=lambda i: abs(levels[i] - v))

    return f"\x1b[38;5;{16 + 36 * nearest(r) + 6 * nearest(g) + nearest(b)}m", "\x1b[0m"


# ---------------------------------------------------------------------------
# round ticks
# ---------------------------------------------------------------------------

def nice_ticks(lo: float, hi: float, target: int) -> list[float]:
    """Round tick values (1, 2 or 5 times a power of ten apart) within [lo, hi], as near ``target``
    of them as such a step gives (more rather than fewer)."""
    if not (math.isfinite(lo) and math.isfinite(hi)) or hi <= lo:
        return [lo]
    raw = (hi - lo) / max(target, 1)
    best = None
    for k in (math.floor(math.log10(raw)) - 1, math.floor(math.log10(raw)), math.floor(math.log10(raw)) + 1):
        for m in (1, 2, 5):
            step = m * 10.0 ** k
            first, last = math.ceil(lo / step - 1e-9), math.floor(hi / step + 1e-9)
            n = last - first + 1
            if n < 2:
                continue
            score = (abs(n - target), -n)
            if best is None or score < best[0]:
                best = (score, step, first, last)
    if best is None:
        return [lo, hi]
    _, step, first, last = best
    ticks = [k * step for k in range(first, last + 1)]
    return [0.0 if abs(t) < step * 1e-9 else t for t in ticks]


def tick_label(v: float, ticks: Sequence[float]) -> str:
    """The shortest decimal that writes every tick exactly (no offset notation, no exponent below 1e6)."""
    big = max(abs(t) for t in ticks) if ticks else abs(v)
    step = min((abs(b - a) for a, b in zip(ticks, ticks[1:])), default=abs(v) or 1.0)
    if big >= 1e6 or (0 < big < 1e-4):
        return f"{v:.3g}".replace("e+0", "e").replace("e-0", "e-")
    decimals = next((d for d in range(13) if all(abs(round(t, d) - t) <= step * 1e-6 for t in ticks)), 12)
    text = f"{v:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if float(text) == 0 else text


# ---------------------------------------------------------------------------
# rasterising
# ---------------------------------------------------------------------------

def _dots(s: Series, xlim, ylim, width: int, height: int):
    """Integer dot coordinates (column, row from the top) along the curve, clipped to the canvas."""
    import numpy as np

    x = np.asarray(s.x, dtype=np.float64)
    y = np.asarray(s.y, dtype=np.float64)
    (x0, x1), (y0, y1) = xlim, ylim
    with np.errstate(all="ignore"):
        px = (x - x0) / (x1 - x0) * (width - 1)
        py = (y1 - y) / (y1 - y0) * (height - 1)
    ok = np.isfinite(px) & np.isfinite(py)
    # keep the curve's direction where it leaves the canvas, without huge coordinates
    px = np.clip(px, -2.0 * width, 3.0 * width)
    py = np.clip(py, -2.0 * height, 3.0 * height)
    a = ok[:-1] & ok[1:]
    cols, rows = [px[ok & ~np.r_[a, False] & ~np.r_[False, a]]], [py[ok & ~np.r_[a, False] & ~np.r_[False, a]]]
    if a.any():
        xa, xb, ya, yb = px[:-1][a], px[1:][a], py[:-1][a], py[1:][a]
        steps = np.ceil(np.maximum(np.abs(xb - xa), np.abs(yb - ya))).astype(np.int64) + 1
        steps = np.minimum(steps, 4 * (width + height))
        seg = np.repeat(np.arange(steps.size), steps)
        start = np.cumsum(steps) - steps
        t = (np.arange(seg.size) - start[seg]) / np.maximum(steps[seg] - 1, 1)
        cols.append(xa[seg] + (xb - xa)[seg] * t)
        rows.append(ya[seg] + (yb - ya)[seg] * t)
    c = np.rint(np.concatenate(cols)).astype(np.int64)
    r = np.rint(np.concatenate(rows)).astype(np.int64)
    keep = (c >= 0) & (c < width) & (r >= 0) & (r < height)
    c, r = c[keep], r[keep]
    if s.style != "solid" and c.size:
        # dashes along x: on for 3 columns, off for 2 (dashed) or 1 on, 2 off (dotted)
        on, period = (3, 5) if s.style == "dashed" else (1, 3)
        m = (c % period) < on
        c, r = c[m], r[m]
    return c, r


def _canvas(panel: Panel, xlim, cols: int, rows: int, braille: bool, colored: bool):
    """cells[row][col] = (character or None, series index)."""
    import numpy as np

    sx, sy = (2, 4) if braille else (1, 1)
    bits = np.zeros((rows, cols), dtype=np.int64)
    owner = np.full((rows, cols), -1, dtype=np.int64)
    marks = np.full((rows, cols), -1, dtype=np.int64)
    members = np.zeros((rows, cols), dtype=object)  # the set of curves through each cell, as a bit mask
    for i, s in enumerate(panel.series):
        c, r = _dots(s, xlim, panel.ylim, cols * sx, rows * sy)
        cc, rr = c // sx, r // sy
        if braille and (colored or len(panel.series) == 1):
            table = np.array(_BRAILLE_BITS, dtype=np.int64)
            np.bitwise_or.at(bits, (rr, cc), table[c % 2, r % 4])
        else:
            marks[rr, cc] = i
        owner[rr, cc] = i
        hit = np.zeros((rows, cols), dtype=bool)
        hit[rr, cc] = True
        members[hit] = members[hit] | (1 << i)
    return bits, owner, marks, members


def _zero_row(ylim, rows: int, sy: int):
    y0, y1 = ylim
    if not y0 < 0 < y1:
        return None
    r = round(y1 / (y1 - y0) * (rows * sy - 1))
    return r // sy


def _zero_col(xlim, cols: int, sx: int):
    x0, x1 = xlim
    if not x0 < 0 < x1:
        return None
    return round(-x0 / (x1 - x0) * (cols * sx - 1)) // sx


def render(chart: Chart, columns: int, lines: int, unicode: bool = True, color: str | None = None) -> str:
    """The chart as text, at most ``columns`` wide and ``lines`` high (a few lines more if it cannot fit)."""
    text = _render(chart, columns, lines, unicode, color, 0)
    over = text.count("\n") - lines
    if over > 0:  # the x label or the legend took more lines than foreseen
        text = _render(chart, columns, lines, unicode, color, over)
    return text


def _render(chart: Chart, columns: int, lines: int, unicode: bool, color: str | None, shrink: int) -> str:
    if not unicode:
        chart = Chart([Panel([Series(s.x, s.y, to_ascii(s.label), s.color, s.style) for s in p.series], p.ylim, p.ylabel)
                       for p in chart.panels], chart.xlim, to_ascii(chart.xlabel), to_ascii(chart.title),
                      [to_ascii(n) for n in chart.notes])
    markers = MARKERS_UNICODE if unicode else MARKERS_ASCII
    use_markers = color is None and any(len(p.series) > 1 for p in chart.panels)
    legend = _legend(chart, columns, unicode, color, use_markers, markers)
    header = [_fit(chart.title, columns, unicode)] if chart.title else []
    footer_lines = 2 + len(legend) + len(chart.notes)
    available = max(lines - len(header) - footer_lines - shrink, 4 * len(chart.panels))
    gaps = len(chart.panels) - 1
    plot_rows = max(available - gaps, 3 * len(chart.panels))
    weights = [3] + [2] * (len(chart.panels) - 1)
    heights = [max(3, plot_rows * w // sum(weights)) for w in weights]
    heights[0] += max(0, plot_rows - sum(heights))

    # y labels first (their width sets the canvas width)
    yticks, ylabels = [], []
    for p, h in zip(chart.panels, heights):
        t = nice_ticks(p.ylim[0], p.ylim[1], max(2, min(6, h // 3)))
        yticks.append(t)
        ylabels.append([tick_label(v, t) for v in t])
    margin = max([len(s) for labels in ylabels for s in labels] + [1])
    cols = max(10, columns - margin - 2)
    braille = unicode
    sx, sy = (2, 4) if braille else (1, 1)
    vertical = "│" if unicode else "|"
    horizontal = "─" if unicode else "-"
    ytick_char = "┤" if unicode else "+"
    corner = "└" if unicode else "+"

    out = list(header)
    for k, (p, h) in enumerate(zip(chart.panels, heights)):
        if k:
            out.append(" " * (margin + 1) + vertical)
        bits, owner, marks, members = _canvas(p, chart.xlim, cols, h, braille, color is not None)
        zr = _zero_row(p.ylim, h, sy)
        zc = _zero_col(chart.xlim, cols, sx)
        label_at = {}
        y0, y1 = p.ylim
        for v, text in zip(yticks[k], ylabels[k]):
            r = round((y1 - v) / (y1 - y0) * (h * sy - 1)) // sy
            if 0 <= r < h:
                label_at[r] = text
        for r in range(h):
            row = []
            for c in range(cols):
                i = owner[r, c]
                if i >= 0:
                    mask = int(members[r, c])
                    shared = mask & (mask - 1) != 0
                    if shared and color is not None:  # the curves' colours in turn along x, two columns each
                        through = [j for j in range(len(p.series)) if mask >> j & 1]
                        i = through[(c // 2) % len(through)]
                    if marks[r, c] >= 0:
                        ch = SHARED if shared and color is None else markers[i % len(markers)]
                    else:
                        ch = chr(BRAILLE_BASE + int(bits[r, c]))
                    on, off = _ansi(p.series[i].color, color)
                    row.append(on + ch + off)
                elif r == zr:
                    row.append(horizontal if c != zc else ("┼" if unicode else "+"))
                elif c == zc:
                    row.append(vertical if unicode else ":")
                else:
                    row.append(" ")
            text = label_at.get(r, "")
            axis = ytick_char if r in label_at else vertical
            out.append(text.rjust(margin) + " " + axis + "".join(row))
    # x axis
    xt = nice_ticks(chart.xlim[0], chart.xlim[1], max(2, min(10, cols // 10)))
    xl = [tick_label(v, xt) for v in xt]
    axis = [horizontal] * cols
    labels = [" "] * (cols + margin + 2 + 12)
    x0, x1 = chart.xlim
    last_end = -2
    for v, text in zip(xt, xl):
        c = round((v - x0) / (x1 - x0) * (cols * sx - 1)) // sx
        if not 0 <= c < cols:
            continue
        axis[c] = "┬" if unicode else "+"
        start = margin + 2 + c - len(text) // 2
        start = max(start, 0)
        if start <= last_end + 1:
            continue
        labels[start:start + len(text)] = list(text)
        last_end = start + len(text) - 1
    out.append(" " * margin + " " + corner + "".join(axis))
    xlabel_line = "".join(labels).rstrip()
    if chart.xlabel:
        room = columns - len(xlabel_line) - 2
        if room >= len(chart.xlabel):
            xlabel_line = xlabel_line + " " * (columns - len(xlabel_line) - len(chart.xlabel)) + chart.xlabel
        else:
            out.append(xlabel_line)
            xlabel_line = _fit(chart.xlabel, columns, unicode).rjust(columns)
    out.append(xlabel_line.rstrip())
    out.extend(legend)
    out.extend(chart.notes)
    return "\n".join(line.rstrip() for line in out) + "\n"


def _width(text: str) -> int:
    """Terminal columns of ``text``: two for wide (CJK) characters."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _fit(text: str, columns: int, unicode: bool) -> str:
    """``text`` cut to ``columns`` terminal columns, its end marked."""
    if _width(text) <= columns:
        return text
    mark = "…" if unicode else "..."
    out = ""
    for ch in text:
        if _width(out + ch) + len(mark) > max(columns, len(mark)):
            break
        out += ch
    return out + mark


def _legend(chart: Chart, columns: int, unicode: bool, color: str | None, use_markers: bool, markers: str) -> list[str]:
    """One entry per curve, packed on as few lines as fit."""
    entries = []
    for p in chart.panels:
        for i, s in enumerate(p.series):
            if not unicode or (use_markers and len(p.series) > 1):
                sym = markers[i % len(markers)] * 2
            elif s.style == "dotted":
                sym = "┄┄" if unicode else ".."
            elif s.style == "dashed":
                sym = "╌╌" if unicode else "--"
            else:
                sym = "━━" if unicode else "=="
            on, off = _ansi(s.color, color)
            label = _fit(s.label, columns - len(sym) - 1, unicode)
            entries.append((f"{on}{sym}{off} {label}", len(sym) + 1 + len(label)))
    if color is None and (use_markers or not unicode) and any(len(p.series) > 1 for p in chart.panels):
        entries.append((f"{SHARED * 2} several", 10))
    lines, line, width = [], "", 0
    for text, n in entries:
        if width and width + 3 + n > columns:
            lines.append(line)
            line, width = "", 0
        line, width = (line + "   " + text, width + 3 + n) if width else (text, n)
    if line:
        lines.append(line)
    return lines
