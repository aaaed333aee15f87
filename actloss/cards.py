"""Reference cards: one record of the registry as a card, in English or Chinese.

``build(record, lang)`` gathers what the record states (formulas in Unicode
and LaTeX, range, properties, parameters, derivative at kinks, pros and cons,
common mistakes, PyTorch/JAX/Keras equivalents, paper), the computed analysis
of elementwise activations (extrema, inflection points, steepest slope,
saturation per low-precision format, from ``actloss/data/analysis.json``), plus a
few sample points of f and f' computed by the record's own kernels, so the
card shows exactly what ``actloss eval`` and ``actloss grad`` print.

``markdown(card)`` and ``json_obj(card)`` render it; the CLI adds a rich
panel on a terminal. ``functions_table(records)`` is the README table.

Importing this module imports neither numpy nor rich: the sample points load
the kernels (and numpy) on first use.
"""

from __future__ import annotations

import math
import re
from typing import Any, Mapping

LANGS = ("en", "zh")

#: sample inputs: elementwise functions, vector functions (softmax family), GLU family
SAMPLE_X = (-2.0, -1.0, 0.0, 1.0, 2.0)
SAMPLE_VECTOR = (1.0, 2.0, 3.0)
SAMPLE_GLU = (1.0, -1.0, 0.5, 2.0)
#: a loss is shown on its plot's ``make(t)`` at these points of the plot's axis
SAMPLE_LOSS_T = {"probability": (0.2, 0.7), "residual": (-1.0, 0.5, 2.0), "margin": (-1.0, 0.5, 2.0)}

FRAMEWORKS = (("torch", "PyTorch"), ("jax", "JAX"), ("keras", "Keras"))

# names that are also ordinary words: not taken as cross-references in prose
_NOT_REFERENCES = {"threshold", "identity"}

TEXT = {
    "en": {
        "aliases": "Aliases",
        "kind": "Kind",
        "formula": "Formula",
        "derivative": "Derivative",
        "derivative_loss": "Gradient with respect to the prediction",
        "range": "Range",
        "properties": "Properties",
        "parameters": "Parameters",
        "no_parameters": "none",
        "samples": "Sample points",
        "samples_params": "with the default parameters",
        "kinks": "At kinks",
        "pros": "Pros",
        "cons": "Cons",
        "mistakes": "Common mistakes",
        "analysis": "Analysis",
        "analysis_params": "at the default parameters",
        "equivalents": "In PyTorch, JAX and Keras",
        "paper": "Paper",
        "see_also": "See also",
        "option": "option",
        "default": "default",
        "valid": "valid values",
        "meaning": "meaning",
        "jacobian": "Jacobian",
        "yes": "yes",
        "no": "no",
    },
    "zh": {
        "aliases": "别名",
        "kind": "类别",
        "formula": "公式",
        "derivative": "导数",
        "derivative_loss": "对预测值的梯度",
        "range": "值域",
        "properties": "性质",
        "parameters": "参数",
        "no_parameters": "无",
        "samples": "样例点",
        "samples_params": "参数取默认值",
        "kinks": "不可导点处的导数",
        "pros": "优点",
        "cons": "缺点",
        "mistakes": "常见错误",
        "analysis": "分析",
        "analysis_params": "参数取默认值",
        "equivalents": "PyTorch、JAX、Keras 中的对应",
        "paper": "论文",
        "see_also": "另见",
        "option": "选项",
        "default": "默认值",
        "valid": "取值范围",
        "meaning": "含义",
        "jacobian": "雅可比矩阵",
        "yes": "是",
        "no": "否",
    },
}

_KIND = {
    "en": {"activation": "activation", "loss": "loss"},
    "zh": {"activation": "激活函数", "loss": "损失函数"},
}
_SHAPE = {
    "en": {
        "elementwise": "elementwise",
        "vector": "on whole vectors",
        "glu": "gated: the last axis splits into value half a and gate half b",
        "loss": "of a prediction and a target",
    },
    "zh": {
        "elementwise": "逐元素",
        "vector": "作用于整个向量",
        "glu": "门控:最后一维对半分为值 a 与门 b",
        "loss": "预测值与目标值的函数",
    },
}

_PROPERTY_NAMES = {
    "en": {
        "monotonic": "monotonic",
        "bounded": "bounded",
        "zero_centred": "zero-centred",
        "smoothness": "smoothness",
        "self_normalising": "self-normalising",
        "sums_to_one": "sums to one",
        "sparse": "sparse output",
        "minimum": "minimum",
        "robust_to_outliers": "robust to outliers",
        "scale_invariant": "scale-invariant",
        "smooth_default": "default of smooth",
    },
    "zh": {
        "monotonic": "单调",
        "bounded": "有界",
        "zero_centred": "以零为中心",
        "smoothness": "光滑性",
        "self_normalising": "自归一化",
        "sums_to_one": "和为 1",
        "sparse": "稀疏输出",
        "minimum": "最小值",
        "convex": "凸",
        "robust_to_outliers": "对离群点稳健",
        "per": "损失的计算单位",
        "symmetric": "对称",
        "inputs": "输入约定",
        "labels": "标签约定",
        "scale_invariant": "尺度不变",
        "smooth_default": "smooth 的默认值",
    },
}

# Chinese for the property values the records use; anything else is shown as written
_PROPERTY_VALUES_ZH = {
    "both": "上下均有界",
    "above": "有上界",
    "below": "有下界",
    "no": "否",
    "yes": "是",
    "approximately": "近似",
    "no (vector)": "不适用(向量函数)",
    "for α ≥ 0": "α ≥ 0 时是",
    "below (α ≥ 0)": "有下界(α ≥ 0)",
    "when v ≤ t": "v ≤ t 时是",
    "for a = −b": "a = −b 时是",
    "discontinuous": "不连续",
    "discontinuous unless v = t": "除 v = t 外不连续",
    "C¹ for α = 1, else C⁰": "α = 1 时 C¹,否则 C⁰",
    "element": "逐元素",
    "sample": "逐样本",
    "in ŷ": "关于 ŷ 是凸的",
    "in the logits": "关于 logits 是凸的",
}


def text(lang: str, key: str) -> str:
    return TEXT[lang][key]


def kind_text(card: Mapping[str, Any]) -> str:
    """'activation, elementwise' (or its Chinese)."""
    lang = card["lang"]
    return f"{_KIND[lang].get(card['kind'], card['kind'])}, {_SHAPE[lang].get(card['shape'], card['shape'])}"


# ---------------------------------------------------------------------------
# building
# ---------------------------------------------------------------------------

def default_text(value: Any) -> str:
    """A parameter default as typed on the command line (the one formatter: ``render.param_text``)."""
    from actloss.render import param_text

    return param_text(value)


def params_text(record) -> str:
    """'alpha=0.01, beta=1.0' (or '' without parameters)."""
    return ", ".join(f"{p.name}={default_text(p.default)}" for p in record.params)


def property_value(value: Any, lang: str) -> str:
    if isinstance(value, bool):
        return text(lang, "yes" if value else "no")
    value = str(value)
    if lang == "zh":
        from actloss import cards_zh

        return _PROPERTY_VALUES_ZH.get(value) or cards_zh.zh(value)
    return value


def property_name(key: str, lang: str) -> str:
    return _PROPERTY_NAMES[lang].get(key) or _PROPERTY_NAMES["en"].get(key) or key.replace("_", " ")


def _prose(record) -> str:
    en = record.notes.get("en", {})
    parts = [record.summary, record.formula.text, record.derivative_formula.text]
    return "\n".join(parts + list(en.get("pros", ())) + list(en.get("cons", ())))


def _mentions(blob: str, name: str) -> bool:
    return name not in _NOT_REFERENCES and re.search(rf"(?<![\w.]){re.escape(name)}(?!\w)", blob) is not None


def see_also(record, registry) -> list[str]:
    """Related functions: those named in this record's formulas, summary or English notes,
    then those whose own text names this one (``record.see_also`` comes first)."""
    found = list(record.see_also)
    mine = _prose(record)
    for other in registry:
        if other.name != record.name and other.name not in found and _mentions(mine, other.name):
            found.append(other.name)
    for other in registry:
        if other.name != record.name and other.name not in found and _mentions(_prose(other), record.name):
            found.append(other.name)
    return found


def _floats(a) -> Any:
    """Plain Python floats (nested lists) from a numpy array or scalar."""
    if hasattr(a, "tolist"):
        a = a.tolist()
    if isinstance(a, list):
        return [_floats(v) for v in a]
    return float(a)


def loss_sample(record):
    """(pred, target) of a loss's sample: its plot's ``make`` at a few points of the plot's axis."""
    import numpy as np

    t = np.asarray(SAMPLE_LOSS_T[record.plot.x], dtype=np.float64)
    pred, target = record.plot.make(t, **record.defaults())
    return np.asarray(pred, dtype=np.float64), np.asarray(target, dtype=np.float64)


def samples(record) -> dict[str, Any]:
    """Sample points of f and f' with the default parameters, from the record's kernels.

    elementwise: {"x": [...], "value": [...], "derivative": [...]}
    vector/glu:  {"x": [...], "value": [...], "derivative": [[...], ...]} (one vector, its Jacobian)
    loss:        {"pred": [...], "target": [...], "value": L, "derivative": dL/dpred}
    """
    import numpy as np

    if record.kind == "loss" or record.shape == "loss":
        pred, target = loss_sample(record)
        return {
            "pred": _floats(pred),
            "target": _floats(target),
            "value": _floats(record.value(pred, target)),
            "derivative": _floats(record.derivative(pred, target)),
        }
    if record.shape == "elementwise":
        x = np.asarray(SAMPLE_X, dtype=np.float64)
        return {"x": _floats(x), "value": _floats(record.value(x)), "derivative": _floats(record.derivative(x))}
    x = np.asarray([SAMPLE_GLU if record.shape == "glu" else SAMPLE_VECTOR], dtype=np.float64)
    return {
        "x": _floats(x[0]),
        "value": _floats(record.value(x)[0]),
        "derivative": _floats(record.derivative(x)[0]),
    }


# ---------------------------------------------------------------------------
# the computed analysis
# ---------------------------------------------------------------------------

#: placeholders the records' text may hold, filled from the analysis at the default parameters:
#: {min} {min_x} {max} {max_x} {slope} {slope_x} {lim-} {lim+}, in full (as eval prints),
#: or {min:4} with that many significant digits (prose, Unicode minus)
_PLACEHOLDER = re.compile(r"\{(min|min_x|max|max_x|slope|slope_x|lim-|lim\+)(?::(\d+))?\}")


def analysis_of(record):
    """The analysis of an elementwise activation (None for other records)."""
    if record.kind != "activation" or record.shape != "elementwise":
        return None
    from actloss import analysis

    return analysis.get(record.name)


def _short(v: float, digits: int) -> str:
    if not math.isfinite(v):
        return "∞" if v > 0 else "−∞"
    return f"{v:.{digits}g}".replace("-", "−")


def fill(text_: str, entry) -> str:
    """``text_`` with its analysis placeholders replaced by the computed numbers."""
    if "{" not in text_:
        return text_

    def value(m):
        from actloss import analysis

        key, digits = m.group(1), m.group(2)
        if entry is None:
            raise ValueError(f"{text_!r} uses {{{key}}} but the function has no analysis")
        if key in ("min", "min_x", "max", "max_x"):
            ext = (analysis.minimum if key.startswith("min") else analysis.maximum)(entry)
            if ext is None:
                raise ValueError(f"{text_!r} uses {{{key}}} but the function has no such extremum")
            v = ext["x"] if key.endswith("_x") else ext["value"]
        elif key in ("slope", "slope_x"):
            v = entry["max_slope"]["x" if key == "slope_x" else "value"]
        else:
            v = entry["limits"]["-inf" if key == "lim-" else "inf"]
        v = float(v)
        return _short(v, int(digits)) if digits else num(v)

    return _PLACEHOLDER.sub(value, text_)


def range_text(record) -> str:
    """The record's output range with the computed numbers filled in (``list`` and the card)."""
    if "{" not in record.range:
        return record.range
    return fill(record.range, analysis_of(record))


def _analysis_obj(entry):
    if entry is None:
        return None
    import copy

    return copy.deepcopy(entry)


_ANALYSIS_WORDS = {
    "en": {
        "minimum": "minimum {v} at x = {x}",
        "maximum": "maximum {v} at x = {x}",
        "no_extrema": "no local minimum or maximum",
        "inflection": "inflection point at x = {xs}",
        "inflections": "inflection points at x = {xs}",
        "no_inflection": "no inflection point",
        "slope_at": "steepest slope (Lipschitz constant) sup |f′| = {v}, at x = {x}",
        "slope_on": "steepest slope (Lipschitz constant) sup |f′| = {v}, on {on}",
        "slope_inf": "steepest slope (Lipschitz constant) sup |f′| = {v}, approached only as |x| → ∞",
        "limits": "f → {a} as x → −∞ and f → {b} as x → +∞",
        "saturation": "Saturation: at and beyond these inputs, f correctly rounded to the format equals its "
                      "asymptote correctly rounded (\"never\": no such input):",
        "format": "format",
        "low": "lower asymptote for x ≤",
        "high": "upper asymptote for x ≥",
        "never": "never",
        "own_asymptote": "Saturation: none; f is its own asymptote.",
        "or": " and ",
    },
    "zh": {
        "minimum": "极小值 {v},位于 x = {x}",
        "maximum": "极大值 {v},位于 x = {x}",
        "no_extrema": "没有局部极小值或极大值",
        "inflection": "拐点位于 x = {xs}",
        "inflections": "拐点位于 x = {xs}",
        "no_inflection": "没有拐点",
        "slope_at": "最大斜率(利普希茨常数)sup |f′| = {v},位于 x = {x}",
        "slope_on": "最大斜率(利普希茨常数)sup |f′| = {v},在 {on} 上取得",
        "slope_inf": "最大斜率(利普希茨常数)sup |f′| = {v},仅在 |x| → ∞ 时趋近",
        "limits": "x → −∞ 时 f → {a},x → +∞ 时 f → {b}",
        "saturation": "饱和点:在下列输入处及其以外,f 正确舍入到该格式的结果等于其渐近线的正确舍入值(“从不”表示没有这样的输入):",
        "format": "格式",
        "low": "x ≤ 此值时等于下渐近线",
        "high": "x ≥ 此值时等于上渐近线",
        "never": "从不",
        "own_asymptote": "饱和点:无;f 本身就是它的渐近线。",
        "or": " 和 ",
    },
}


def _interval(lo, hi) -> str:
    return f"({'-inf' if lo is None else num(lo)}, {'inf' if hi is None else num(hi)})"


def analysis_lines(card: Mapping[str, Any]) -> list[str]:
    """The analysis in words, one item per line (empty without an analysis)."""
    entry = card.get("analysis")
    if not entry:
        return []
    w = _ANALYSIS_WORDS[card["lang"]]
    out = [w[e["kind"]].format(v=num(e["value"]), x=num(e["x"])) for e in entry["extrema"]] or [w["no_extrema"]]
    xs = entry["inflection_points"]
    out.append(w["no_inflection"] if not xs else w["inflection" if len(xs) == 1 else "inflections"].format(
        xs=", ".join(num(x) for x in xs)))
    slope = entry["max_slope"]
    if slope.get("intervals"):
        on = w["or"].join(_interval(lo, hi) for lo, hi in slope["intervals"])
        out.append(w["slope_on"].format(v=num(slope["value"]), on=on))
    elif slope["x"] is None:
        out.append(w["slope_inf"].format(v=num(slope["value"])))
    else:
        out.append(w["slope_at"].format(v=num(slope["value"]), x=num(slope["x"])))
    lim = entry["limits"]
    out.append(w["limits"].format(a=num(float(lim["-inf"])), b=num(float(lim["inf"]))))
    return out


def saturation_intro(lang: str) -> str:
    return _ANALYSIS_WORDS[lang]["saturation"]


def own_asymptote_text(lang: str) -> str:
    return _ANALYSIS_WORDS[lang]["own_asymptote"]


def saturation_rows(card: Mapping[str, Any]) -> list[tuple[str, str, str]]:
    """Header and one row per format: (format, low, high), 'never' where there is none;
    no rows when nothing saturates in any format (identity: f is its own asymptote)."""
    from actloss.analysis import FORMATS

    w = _ANALYSIS_WORDS[card["lang"]]
    sat = card["analysis"]["saturation"]
    if all(v is None for fmt in FORMATS for v in sat[fmt].values()):
        return []
    rows = [(w["format"], w["low"], w["high"])]
    for fmt in FORMATS:
        low, high = sat[fmt]["low"], sat[fmt]["high"]
        rows.append((fmt, w["never"] if low is None else num(low), w["never"] if high is None else num(high)))
    return rows


def build(record, lang: str = "en", registry=None) -> dict[str, Any]:
    """The card of one record as plain data (the JSON form)."""
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {', '.join(LANGS)}, got {lang!r}")
    if registry is None:
        from actloss.registry import load

        registry = load()
    notes = record.notes.get(lang, {})
    entry = analysis_of(record)
    from actloss import cards_zh

    def tr(s: str) -> str:
        return cards_zh.zh(s) if lang == "zh" and s else s

    return {
        "name": record.name,
        "kind": record.kind,
        "shape": record.shape,
        "lang": lang,
        "aliases": list(record.aliases),
        "summary": tr(record.summary),
        "formula": {"text": record.formula.text, "latex": record.formula.latex},
        "derivative": {"text": record.derivative_formula.text, "latex": record.derivative_formula.latex},
        "range": fill(tr(record.range), entry),
        "properties": {k: fill(tr(v), entry) if isinstance(v, str) else v for k, v in record.properties.items()},
        "analysis": _analysis_obj(entry),
        "parameters": [
            {
                "name": p.name,
                "option": p.option,
                "aliases": ["--" + a.replace("_", "-") for a in p.aliases],
                "default": list(p.default) if isinstance(p.default, tuple) else p.default,
                "range": cards_zh.valid_values(p) if lang == "zh" else p.range_text(),
                "doc": tr(p.doc),
            }
            for p in record.params
        ],
        "kinks": {
            "points": [[float(x), float(d)] for x, d in record.kink_points()],
            "note": tr(record.kink_note),
        },
        "samples": samples(record),
        "pros": [fill(s, entry) for s in notes.get("pros", ())],
        "cons": [fill(s, entry) for s in notes.get("cons", ())],
        "mistakes": [fill(s, entry) for s in record.corrections.get(lang, ())],
        "equivalents": {key: tr(record.equivalents.get(key, "none")) for key, _ in FRAMEWORKS},
        "paper": tr(record.paper),
        "see_also": see_also(record, registry),
    }


# ---------------------------------------------------------------------------
# rendering
# ---------------------------------------------------------------------------

def num(v: float) -> str:
    """A number exactly as eval/grad print it (shortest round-trip repr)."""
    return repr(float(v))


def vec(v) -> str:
    """A number, or a (nested) list of numbers, as '[1.0, [2.0, 3.0]]'."""
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(vec(x) for x in v) + "]"
    return num(v)


def _cell(s: str) -> str:
    return str(s).replace("|", "\\|").replace("\n", " ")


def sample_lines(card: Mapping[str, Any], lang: str) -> list[str]:
    """The sample points as Markdown (a table for elementwise functions)."""
    s = card["samples"]
    name = card["name"]
    if card["kind"] == "loss" or card["shape"] == "loss":
        return [
            f"- pred = `{vec(s['pred'])}`, target = `{vec(s['target'])}`",
            f"- {name} = `{vec(s['value'])}`",
            f"- ∂{name}/∂pred = `{vec(s['derivative'])}`",
        ]
    if card["shape"] == "elementwise":
        out = [f"| x | {name}(x) | {name}′(x) |", "|---:|---:|---:|"]
        out += [f"| {num(x)} | {num(y)} | {num(d)} |" for x, y, d in zip(s["x"], s["value"], s["derivative"])]
        return out
    out = [
        f"- x = `{vec(s['x'])}`",
        f"- {name}(x) = `{vec(s['value'])}`",
        f"- {text(lang, 'jacobian')} ∂{name}(x)_i/∂x_j:",
        "",
        "```",
    ]
    out += [" ".join(num(v) for v in row) for row in s["derivative"]]
    out.append("```")
    return out


def markdown(card: Mapping[str, Any]) -> str:
    """The card as Markdown (what ``actloss info NAME`` prints into a pipe)."""
    lang = card["lang"]
    t = TEXT[lang]
    loss = card["kind"] == "loss"
    lines = [f"# {card['name']}", "", card["summary"], ""]
    lines.append(f"- {t['kind']}: {kind_text(card)}")
    if card["aliases"]:
        lines.append(f"- {t['aliases']}: {', '.join(card['aliases'])}")
    lines += ["", f"## {t['formula']}", "", f"    {card['formula']['text']}", "", f"$${card['formula']['latex']}$$", ""]
    lines += [f"## {t['derivative_loss'] if loss else t['derivative']}", "", f"    {card['derivative']['text']}", "",
              f"$${card['derivative']['latex']}$$", ""]
    if card["kinks"]["note"] or card["kinks"]["points"]:
        pts = ", ".join(f"{card['name']}′({num(x)}) = {num(d)}" for x, d in card["kinks"]["points"])
        note = "; ".join(p for p in (pts, card["kinks"]["note"]) if p)
        lines += [f"{t['kinks']}: {note}", ""]
    lines += [f"## {t['range']}", "", card["range"], ""]
    lines += [f"## {t['properties']}", ""]
    lines += [f"- {property_name(k, lang)}: {property_value(v, lang)}" for k, v in card["properties"].items()]
    lines += ["", f"## {t['parameters']}", ""]
    if card["parameters"]:
        lines += [f"| {t['option']} | {t['default']} | {t['valid']} | {t['meaning']} |", "|---|---|---|---|"]
        for p in card["parameters"]:
            opts = ", ".join([p["option"]] + p["aliases"])
            lines.append(f"| `{_cell(opts)}` | {_cell(default_text(p['default']))} | {_cell(p['range'])} | {_cell(p['doc'])} |")
    else:
        lines.append(t["no_parameters"])
    lines += ["", f"## {t['samples']}", ""]
    if card["parameters"]:
        lines += [f"({t['samples_params']})", ""]
    lines += sample_lines(card, lang) + [""]
    if card.get("analysis"):
        lines += [f"## {t['analysis']}", ""]
        if card["parameters"]:
            lines += [f"({t['analysis_params']})", ""]
        lines += [f"- {item}" for item in analysis_lines(card)] + [""]
        rows = saturation_rows(card)
        if rows:
            lines += [saturation_intro(lang), "", "| " + " | ".join(rows[0]) + " |", "|---|---:|---:|"]
            lines += ["| " + " | ".join(row) + " |" for row in rows[1:]] + [""]
        else:
            lines += [own_asymptote_text(lang), ""]
    for key in ("pros", "cons", "mistakes"):
        if card[key]:
            lines += [f"## {t[key]}", ""] + [f"- {item}" for item in card[key]] + [""]
    lines += [f"## {t['equivalents']}", ""]
    lines += [f"- {label}: {card['equivalents'][key]}" for key, label in FRAMEWORKS] + [""]
    if card["paper"]:
        lines += [f"## {t['paper']}", "", card["paper"], ""]
    if card["see_also"]:
        lines += [f"{t['see_also']}: {', '.join(card['see_also'])}", ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def json_obj(card: Mapping[str, Any]) -> dict[str, Any]:
    """The card with non-finite numbers spelled as strings (strict JSON)."""

    def clean(v):
        if isinstance(v, float) and not math.isfinite(v):
            return "nan" if math.isnan(v) else ("inf" if v > 0 else "-inf")
        if isinstance(v, dict):
            return {k: clean(x) for k, x in v.items()}
        if isinstance(v, (list, tuple)):
            return [clean(x) for x in v]
        return v

    return clean(dict(card))


# ---------------------------------------------------------------------------
# the README table
# ---------------------------------------------------------------------------

README_START = "<!-- functions:start -->"
README_END = "<!-- functions:end -->"


def functions_table(records) -> str:
    """A Markdown table of all functions: name, kind, aliases, parameters, formula."""
    lines = ["| name | kind | aliases | parameters (defaults) | formula |", "|---|---|---|---|---|"]
    for r in records:
        aliases = ", ".join(f"`{a}`" for a in r.aliases)
        params = ", ".join(f"`{_cell(p.name)}={_cell(default_text(p.default))}`" for p in r.params)
        lines.append(f"| `{r.name}` | {r.kind} | {aliases} | {params} | `{_cell(r.formula.text)}` |")
    return "\n".join(lines) + "\n"


def readme_block(records) -> str:
    """What stands between the README markers (markers included)."""
    return f"{README_START}\n{functions_table(records)}{README_END}"


def replace_readme_block(readme: str, records) -> str:
    start, end = readme.find(README_START), readme.find(README_END)
    if start < 0 or end < start:
        raise ValueError(f"README has no {README_START} ... {README_END} block")
    return readme[:start] + readme_block(records) + readme[end + len(README_END):]
