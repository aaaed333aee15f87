"""The computed analysis of the elementwise activations, read from ``actloss/data/analysis.json``.

The file is made by ``tools/card_analysis.py`` from the mathematical
definitions (mpmath and exact rationals, default parameters) and checked by
``tests/test_analysis.py``. Per function:

- ``extrema``: ``[{"kind": "minimum" | "maximum", "x": ..., "value": ...}]`` (strict local extrema);
- ``inflection_points``: ``[x, ...]``, where f'' changes sign;
- ``max_slope``: ``{"x": x or None, "value": sup |f'|}`` (the Lipschitz constant; ``x`` is None
  when it is approached only at +-inf), with ``"intervals"`` (open intervals, None for an
  infinite end) where |f'| equals it on a whole interval;
- ``limits``: ``{"-inf": f(-inf), "inf": f(+inf)}`` (floats, +-inf included);
- ``saturation``: per format (bfloat16, float16, float8_e4m3fn, float8_e5m2)
  ``{"low": x or None, "high": x or None}``: from ``high`` upward (``low`` downward) f correctly
  rounded to the format equals its upper (lower) asymptote correctly rounded.

Vector functions, the GLU family and losses have no analysis (``get`` returns None).
Reading it needs only ``json``; the file is read once, on first use.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

PATH = Path(__file__).resolve().parent / "data" / "analysis.json"
FORMATS = ("bfloat16", "float16", "float8_e4m3fn", "float8_e5m2")

_DATA: dict[str, Any] | None = None


def _number(v):
    if isinstance(v, str):
        return float(v)  # "inf", "-inf"
    return v


def load() -> dict[str, Any]:
    """Every function's analysis (cached)."""
    global _DATA
    if _DATA is None:
        raw = json.loads(PATH.read_text(encoding="utf-8"))
        for entry in raw.values():
            entry["limits"] = {k: _number(v) for k, v in entry["limits"].items()}
        _DATA = raw
    return _DATA


def get(name: str) -> dict[str, Any] | None:
    """The analysis of the function ``name`` (canonical name), or None if it has none."""
    return load().get(name)


def minimum(entry: dict[str, Any] | None):
    """The lowest local minimum ``{"x", "value"}``, or None."""
    if not entry:
        return None
    mins = [e for e in entry["extrema"] if e["kind"] == "minimum"]
    return min(mins, key=lambda e: e["value"]) if mins else None


def maximum(entry: dict[str, Any] | None):
    """The highest local maximum ``{"x", "value"}``, or None."""
    if not entry:
        return None
    maxs = [e for e in entry["extrema"] if e["kind"] == "maximum"]
    return max(maxs, key=lambda e: e["value"]) if maxs else None
